import Foundation

/// Why run() returned.
public enum TrainingStop: String, Sendable, Equatable, CustomStringConvertible {
    case finished          // epochs or maxSteps reached
    case timeLimit         // maxMinutes reached
    case interrupted       // SIGINT/SIGTERM or requestStop()

    /// In words, for the summary line.
    public var description: String {
        switch self {
        case .finished: return "finished"
        case .timeLimit: return "stopped at the time limit (--max-minutes)"
        case .interrupted: return "interrupted"
        }
    }
}

public struct TrainingDivergedError: Error, CustomStringConvertible {
    public let step: Int
    public let failures: Int
    public let checkpoint: String?
    public var description: String {
        "training stopped at step \(step): \(failures) consecutive steps had a non-finite loss or gradient norm"
            + (checkpoint.map { "; the last good checkpoint is \($0)" } ?? "")
            + " (try a lower --lr or a higher --kl-warmup)"
    }
}

/// What one step did (for progress display).
public struct StepReport: Sendable {
    public var step: Int
    public var epoch: Int
    public var batchInEpoch: Int
    public var batchesInEpoch: Int
    public var loss: Double
    public var recon: Double
    public var kl: Double
    public var property: Double
    public var klWeight: Double
    public var gradientNorm: Float
    public var molecules: Int
    public var skipped: Bool
}

/// The training loop: length-bucketed shuffled batches, reconstruction CE + annealed beta·KL
/// (optionally free bits), optional word dropout, a jointly trained property head, gradient
/// clipping, Adam, evaluation at each epoch end and at the finish, checkpoints and
/// DIR/best.safetensors / DIR/last.safetensors. Every random draw is a counter-RNG function of
/// (seed, step, row), so a resumed run equals an uninterrupted one bit for bit (same threads).
public final class Trainer {
    public let model: SmilesVAE
    public let propertyHead: PropertyHead?
    public let standardisation: PropertyStandardisation?
    public let optimizer: AdamOptimizer
    public let vocabulary: Vocabulary
    public let train: TrainingData
    public let valid: TrainingData
    public let options: TrainingOptions
    /// Output folder (nil: write nothing, for tests).
    public let directory: String?
    public private(set) var state: TrainingState
    public let metrics: MetricsLog?
    public var threads = 1
    /// The ranks training this model together (data-parallel, docs/SCALING.md): each takes a
    /// contiguous block of every global batch, gradients and losses are summed over the ranks,
    /// so every rank takes the same optimiser step. Only a rank with a `directory` writes.
    public var group: ProcessGroup = .single
    /// Seconds of the last step spent summing over the ranks (0 in a single process), and
    /// totals since this trainer was made: steps, their wall time, the time in collectives.
    public private(set) var lastStepCommunicationSeconds = 0.0
    public private(set) var communicationSeconds = 0.0
    public private(set) var communicationSteps = 0
    public private(set) var stepSeconds = 0.0

    public var onStep: ((StepReport) -> Void)?
    public var onEvaluation: ((EvaluationMetrics) -> Void)?
    public var onWarning: ((String) -> Void)?
    /// Test hook: called after the backward pass of each step, before the finiteness check.
    public var afterBackward: ((Int) -> Void)?

    let targets: [Float]           // standardised train properties [n, 3]
    let trainLengths: [Int]
    var plan: [[Int]] = []
    var planEpoch = -1
    var stopRequested = false
    var sums = (loss: 0.0, recon: 0.0, kl: 0.0, property: 0.0, steps: 0)
    let dmu = FloatBuffer(), dlogvar = FloatBuffer(), batchTargets = FloatBuffer(), gradientSums = FloatBuffer()
    let validityTerm: ValidityTerm?
    let priorDecodingTerm: PriorDecodingTerm?
    /// FCD at each evaluation (`options.fcdSamples`), with the validation set's statistics.
    let fcdEvaluation: FCDEvaluation?
    /// Kept / drawn prior samples of the validity term since the last evaluation.
    var validityCounts = (kept: 0, drawn: 0)

    public var checkpointPath: String? { directory.map { $0 + "/checkpoint.safetensors" } }
    public var allParameters: [Parameter] { model.parameters + (propertyHead?.parameters ?? []) }

    /// A new run (checkpoint nil) or a resumed one. The model must match the vocabulary.
    public init(model: SmilesVAE, vocabulary: Vocabulary, train: TrainingData, valid: TrainingData,
                options: TrainingOptions, directory: String?, resumeFrom checkpoint: Checkpoint? = nil,
                chemnet: ChemNet? = nil, initialPropertyHead: (head: PropertyHead, standardisation: PropertyStandardisation)? = nil,
                group: ProcessGroup = .single) throws {
        self.group = group
        self.vocabulary = vocabulary
        self.train = train
        self.valid = valid
        self.options = options
        self.directory = directory
        if let checkpoint {
            guard checkpoint.vocabulary == vocabulary.tokens else {
                throw CheckpointError.vocabularyMismatch(path: directory.map { $0 + "/checkpoint.safetensors" } ?? "checkpoint",
                    detail: "the checkpoint has \(checkpoint.vocabulary.count) tokens, this run's vocabulary has \(vocabulary.count)"
                        + (checkpoint.vocabulary.count == vocabulary.count ? " (same count, different tokens)" : ""))
            }
            self.model = checkpoint.model
            propertyHead = checkpoint.propertyHead
            standardisation = checkpoint.standardisation
            state = checkpoint.state
        } else {
            self.model = model
            if options.propertyWeight > 0, let initial = initialPropertyHead, initial.head.latent == model.config.latent {
                // A run started from a model file keeps its head (and the scale it was trained on).
                propertyHead = initial.head
                standardisation = initial.standardisation
            } else if options.propertyWeight > 0 {
                propertyHead = PropertyHead(latent: model.config.latent, hidden: options.propertyHidden, seed: options.seed)
                standardisation = PropertyStandardisation.fit(train.properties, hidden: options.propertyHidden)
            } else {
                propertyHead = nil
                standardisation = nil
            }
            state = TrainingState(seed: options.seed)
        }
        optimizer = AdamOptimizer(parameters: self.model.parameters + (propertyHead?.parameters ?? []), learningRate: options.learningRate)
        checkpoint?.restore(into: optimizer)
        if let standardisation, train.properties.count == train.count * standardisation.names.count {
            targets = standardisation.standardise(train.properties)
        } else {
            targets = []
        }
        trainLengths = train.lengths
        if let w = options.validityWeight, w > 0 {
            validityTerm = ValidityTerm(samples: options.validitySamples ?? 64, weight: w, mask: SMILESSyntaxMask(vocabulary: vocabulary))
        } else {
            validityTerm = nil
        }
        if let w = options.priorDecodingWeight, w > 0 {
            priorDecodingTerm = PriorDecodingTerm(samples: options.priorDecodingSamples ?? 64, weight: w)
        } else {
            priorDecodingTerm = nil
        }
        if let n = options.fcdSamples, n > 0 {
            let network = try chemnet ?? ChemNet.bundled()
            guard let evaluation = FCDEvaluation(samples: n, network: network, valid: valid, vocabulary: vocabulary,
                                                 threads: max(threads, EngineThreads.count), group: group) else {
                throw FCDEvaluationError(description: "--eval-fcd needs at least 2 valid validation molecules (\(valid.count) in the validation set)")
            }
            fcdEvaluation = evaluation
        } else {
            fcdEvaluation = nil
        }
        metrics = directory.map { MetricsLog(directory: $0, resumingAt: checkpoint == nil ? nil : checkpoint!.state.step) }
    }

    public var batchesPerEpoch: Int { (train.count + options.batchSize - 1) / options.batchSize }

    public func requestStop() { stopRequested = true }

    /// Extra metadata for best.safetensors and last.safetensors, e.g. how the data was prepared
    /// (`DataPreparationRecord.metadataKey`).
    public var modelMetadata: [String: String] = [:]

    /// The step of the last checkpoint written by this trainer (nil: none yet), so one step is
    /// not written twice.
    private var checkpointStep: Int?

    func batchPlan(epoch: Int) -> [[Int]] {
        if planEpoch != epoch {
            plan = BatchPlan.batches(lengths: trainLengths, batchSize: options.batchSize, seed: state.seed, epoch: epoch)
            planEpoch = epoch
        }
        return plan
    }

    var finished: Bool {
        if let e = options.epochs, state.epoch >= e { return true }
        if let s = options.maxSteps, state.step >= s { return true }
        return false
    }

    /// Trains until a limit or a stop request; writes a final evaluation, checkpoint and
    /// last.safetensors (when there is an output folder). Throws TrainingDivergedError after
    /// maxConsecutiveFailures non-finite steps (without overwriting the last good checkpoint).
    @discardableResult
    public func run() throws -> TrainingStop {
        let started = Date()
        let startElapsed = state.elapsedSeconds
        var reason = TrainingStop.finished
        // From the moment the run has outputs, a kill must leave something --resume accepts.
        if state.step == 0 { try writeCheckpoint() }
        while !finished {
            var stop = [stopRequested || StopSignal.received != 0 ? 1 : 0, 0]
            if let minutes = options.maxMinutes, Date().timeIntervalSince(started) >= minutes * 60 { stop[1] = 1 }
            // Signals and clocks reach the ranks at different moments; they stop together or
            // their collectives would no longer pair up.
            if group.isParallel { group.sum(&stop) }
            if stop[0] > 0 { reason = .interrupted; break }
            if stop[1] > 0 { reason = .timeLimit; break }
            try step()
            state.elapsedSeconds = startElapsed + Date().timeIntervalSince(started)
            let epochEnd = state.batchInEpoch == 0 && options.evaluateEachEpoch
            let interval = (options.evaluateEvery ?? 0) > 0 && state.step % options.evaluateEvery! == 0
            if (epochEnd || interval) && !finished {
                try evaluateAndRecord()
            }
            // A checkpoint is only written after a good step, so the last one is always a good one.
            if options.checkpointEvery > 0 && state.step % options.checkpointEvery == 0 && state.consecutiveFailures == 0
                && checkpointStep != state.step {
                try group.collectively { try writeCheckpoint() }
            }
        }
        state.elapsedSeconds = startElapsed + Date().timeIntervalSince(started)
        try evaluateAndRecord()
        // Only rank 0 writes; `collectively` makes a failed write (a full disk) one error on
        // every rank instead of MPI_Abort.
        try group.collectively {
            if checkpointStep != state.step { try writeCheckpoint() }
            if let directory { try saveModel(to: directory + "/last.safetensors") }
        }
        return reason
    }

    /// One optimisation step on the next batch (a non-finite step is skipped: parameters and
    /// Adam state stay as they were, the batch is consumed).
    public func step() throws {
        let stepStarted = DispatchTime.now().uptimeNanoseconds
        defer { stepSeconds += Double(DispatchTime.now().uptimeNanoseconds - stepStarted) / 1e9 }
        let batches = batchPlan(epoch: state.epoch)
        let globalRows = batches[state.batchInEpoch]
        // This rank's block of the global batch; every loss and gradient is averaged over the
        // global batch, so the ranks' parts sum to what one process computes for the whole.
        let share = group.contiguousShare(of: globalRows.count)
        let rows = Array(globalRows[share])
        let b = rows.count, lat = model.config.latent, total = globalRows.count
        let step = state.step
        model.zeroGradients()
        propertyHead?.parameters.zeroGrad()
        let klWeight = options.beta * options.klAnnealing.factor(at: step)
        // Loss parts, each this rank's share of the batch mean: recon, KL, property, validity,
        // prior decoding.
        var parts = [0.0, 0.0, 0.0, 0.0, 0.0]
        var klTerm: Double? = nil
        let dm = dmu.reserve(max(1, b * lat)), dl = dlogvar.reserve(max(1, b * lat))
        dm.update(repeating: 0, count: b * lat)
        dl.update(repeating: 0, count: b * lat)
        var modelKLWeight = Float(klWeight)
        if b > 0 {
            let batch = TokenBatch(sequences: rows.map { train.sequences[$0] })
            model.wordDropout = options.wordDropout > 0
                ? WordDropout(probability: options.wordDropout, seed: state.seed, step: UInt64(step), firstRow: share.lowerBound) : nil
            let loss = model.forward(batch, epsilon: .random(seed: state.seed, step: UInt64(step), firstRow: share.lowerBound),
                                     divisor: total)
            model.wordDropout = nil
            parts[0] = loss.recon
            parts[1] = loss.kl
        }
        if options.freeBits > 0 {
            // The clamp depends on the global batch's mean KL per dimension.
            var perDim = b > 0 ? FreeBits.perDimensionSums(mu: model.mu.pointer, logvar: model.logvar.pointer, rows: b, dim: lat)
                               : [Double](repeating: 0, count: lat)
            if group.isParallel { group.sum(&perDim) }
            klTerm = FreeBits.apply(perDimensionSums: perDim, totalRows: total, mu: model.mu.pointer, logvar: model.logvar.pointer,
                                    rows: b, dim: lat, lambda: options.freeBits, weight: Float(klWeight), dmu: dm, dlogvar: dl).clamped
            modelKLWeight = 0
        }
        if let head = propertyHead, !targets.isEmpty, b > 0 {
            let k = head.outputs
            let t = batchTargets.reserve(b * k)
            for (r, row) in rows.enumerated() { for j in 0..<k { t[r * k + j] = targets[row * k + j] } }
            // The mean is over the global batch's finite targets; every rank holds all targets.
            var finite = 0
            for row in globalRows { for j in 0..<k where targets[row * k + j].isFinite { finite += 1 } }
            parts[2] = head.lossAndBackward(mu: model.mu.pointer, targets: t, rows: b, weight: options.propertyWeight, dmu: dm,
                                            accumulate: true, validTargets: finite)
        }
        if b > 0 { model.backward(reconWeight: 1, klWeight: modelKLWeight, muGrad: dm, logvarGrad: dl) }
        if let validityTerm {
            let outcome = validityTerm.accumulate(model: model, vocabulary: vocabulary, seed: state.seed, step: step, group: group)
            parts[3] = outcome.loss
            validityCounts.kept += outcome.kept
            validityCounts.drawn += outcome.drawn
        }
        if let priorDecodingTerm {
            parts[4] = priorDecodingTerm.accumulate(model: model, sequences: globalRows.prefix(priorDecodingTerm.samples).map { train.sequences[$0] },
                                                    seed: state.seed, step: step, group: group)
        }
        lastStepCommunicationSeconds = 0
        if group.isParallel {
            let before = group.communicationSeconds
            sumGradientsOverRanks()
            group.sum(&parts)
            lastStepCommunicationSeconds = group.communicationSeconds - before
            communicationSeconds += lastStepCommunicationSeconds
            communicationSteps += 1
        }
        let loss = (recon: parts[0], kl: parts[1])
        let propertyLoss = parts[2], validityLoss = parts[3], priorDecodingLoss = parts[4]
        let klPart = klTerm ?? loss.kl
        afterBackward?(step)
        let norm = clipGradientNorm(allParameters, maxNorm: options.clipNorm)
        let objective = loss.recon + klWeight * klPart + Double(options.propertyWeight) * propertyLoss
            + Double(options.validityWeight ?? 0) * validityLoss + Double(options.priorDecodingWeight ?? 0) * priorDecodingLoss
        let ok = objective.isFinite && norm.isFinite
        if ok {
            if let schedule = options.learningRateSchedule { optimizer.learningRate = schedule.rate(at: step) }
            optimizer.update()
            state.consecutiveFailures = 0
            sums.loss += objective; sums.recon += loss.recon; sums.kl += loss.kl; sums.property += propertyLoss; sums.steps += 1
        } else {
            state.consecutiveFailures += 1
            state.skippedSteps += 1
            onWarning?("step \(step): skipped (loss \(objective), gradient norm \(norm)); parameters unchanged "
                       + "(\(state.consecutiveFailures) in a row)")
        }
        state.step += 1
        state.moleculesSeen += total
        state.batchInEpoch += 1
        let batchesInEpoch = batches.count
        if state.batchInEpoch >= batchesInEpoch {
            state.batchInEpoch = 0
            state.epoch += 1
        }
        onStep?(StepReport(step: state.step, epoch: state.epoch, batchInEpoch: state.batchInEpoch, batchesInEpoch: batchesInEpoch,
                           loss: objective, recon: loss.recon, kl: loss.kl, property: propertyLoss, klWeight: klWeight,
                           gradientNorm: norm, molecules: total, skipped: !ok))
        if state.consecutiveFailures >= options.maxConsecutiveFailures {
            var path: String? = nil
            if let p = checkpointPath, FileManager.default.fileExists(atPath: p) { path = p }
            throw TrainingDivergedError(step: state.step, failures: state.consecutiveFailures, checkpoint: path)
        }
    }

    /// Validation metrics now (also appended to the metrics files, and best.safetensors updated
    /// when the validation ELBO improved).
    @discardableResult
    public func evaluateAndRecord() throws -> EvaluationMetrics {
        try checkRanksHoldSameParameters()
        var m = Evaluation.evaluate(model: model, propertyHead: propertyHead, standardisation: standardisation, valid: valid,
                                    vocabulary: vocabulary, batchSize: options.batchSize, seed: state.seed,
                                    priorSamples: options.priorSamples, maxSampleSteps: options.maxSampleSteps, threads: threads,
                                    group: group)
        m.step = state.step
        m.epoch = state.epochOfLastStep
        m.elapsedSeconds = state.elapsedSeconds
        m.klWeight = options.beta * options.klAnnealing.factor(at: max(0, state.step - 1))
        if sums.steps > 0 {
            let n = Double(sums.steps)
            m.trainLoss = sums.loss / n; m.trainRecon = sums.recon / n; m.trainKL = sums.kl / n; m.trainProperty = sums.property / n
        }
        sums = (0, 0, 0, 0, 0)
        if validityCounts.drawn > 0 { m.trainSampleValidity = Double(validityCounts.kept) / Double(validityCounts.drawn) }
        validityCounts = (0, 0)
        if let fcdEvaluation {
            m.fcd = fcdEvaluation.measure(model: model, vocabulary: vocabulary, seed: state.seed &+ UInt64(state.step),
                                          maxSteps: options.maxSampleSteps, threads: threads)
        }
        var improved = false
        if options.bestByFCD == true {
            if let fcd = m.fcd, state.bestFCD == nil || fcd < state.bestFCD! {
                state.bestFCD = fcd
                state.bestStep = state.step
                improved = true
            }
            if m.validELBO.isFinite, state.bestValidELBO == nil || m.validELBO < state.bestValidELBO! { state.bestValidELBO = m.validELBO }
        } else if m.validELBO.isFinite, state.bestValidELBO == nil || m.validELBO < state.bestValidELBO! {
            state.bestValidELBO = m.validELBO
            state.bestStep = state.step
            improved = true
        }
        // Rank 0's writes, whose failure every rank learns (see run()). The resumable state
        // first: a kill between these writes leaves a checkpoint that --resume continues (at
        // worst best.safetensors or the metrics lag it by one evaluation). A checkpoint is only
        // written after a good step, so the last one is always a good one.
        try group.collectively {
            if state.consecutiveFailures == 0 { try writeCheckpoint() }
            if improved, let directory { try saveModel(to: directory + "/best.safetensors") }
            try metrics?.append(m)
        }
        onEvaluation?(m)
        return m
    }

    public func writeCheckpoint() throws {
        guard let path = checkpointPath else { return }
        try Checkpoint.write(to: path, model: model, propertyHead: propertyHead, standardisation: standardisation, optimizer: optimizer,
                             vocabulary: vocabulary.tokens, state: state, options: options)
        checkpointStep = state.step
    }

    public func saveModel(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var meta = modelMetadata
        meta[TrainingState.metadataKey] = String(decoding: try encoder.encode(state), as: UTF8.self)
        meta["molvae.version"] = MolVAEVersion.current
        try model.save(to: path, vocabulary: vocabulary.tokens, propertyHead: propertyHead, standardisation: standardisation, metadata: meta)
    }
}
