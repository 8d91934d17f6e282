import MolVAE

/// The options of a run: each one as given on the command line, else (with `--resume`) the
/// checkpoint's, else the default.
///
/// Why: `train --resume` used to take every option not given again at its default, so a run
/// resumed with only `--max-steps` went on at beta 1 and lr 1e-3 without free bits or the
/// prior-decoding term, whatever the checkpoint had been trained with. A user resuming expects
/// the run they stopped; options given with another value still take effect and are listed
/// (`TrainResume.changes`), as the phases of scripts/train-default-model need.
extension TrainCommand {
    /// `saved` is the checkpoint's options when resuming; a new run (also with `--init`,
    /// whose model file holds no training options) starts from the defaults.
    func trainingOptions(resuming saved: TrainingOptions?, batch: Int, seed: UInt64, validFraction: Double,
                         maxLength: Int, trainingMolecules: Int) throws -> TrainingOptions {
        var o = saved ?? TrainDefaults.options
        // What defines the data and when this invocation stops: decided by the caller.
        o.batchSize = batch
        o.seed = seed
        o.validFraction = valid == nil ? validFraction : nil
        o.epochs = epochs
        o.maxSteps = maxSteps
        o.maxMinutes = maxMinutes
        o.maxSampleSteps = maxLength + 1

        o.learningRate = lr ?? o.learningRate
        o.learningRateSchedule = try learningRateSchedule(saved: o.learningRateSchedule, peak: o.learningRate,
                                                          stepsPerEpoch: (trainingMolecules + batch - 1) / batch)
        o.beta = beta ?? o.beta
        o.klAnnealing = klAnnealing(saved: o.klAnnealing)
        o.freeBits = freeBits ?? o.freeBits
        o.wordDropout = wordDropout ?? o.wordDropout
        let validity = validityWeight ?? o.validityWeight ?? 0
        o.validitySamples = validity > 0 ? validitySamples ?? o.validitySamples ?? TrainDefaults.termSamples : nil
        o.validityWeight = validity > 0 ? validity : nil
        let priorDecoding = priorDecodingWeight ?? o.priorDecodingWeight ?? 0
        o.priorDecodingSamples = priorDecoding > 0 ? priorDecodingSamples ?? o.priorDecodingSamples ?? TrainDefaults.termSamples : nil
        o.priorDecodingWeight = priorDecoding > 0 ? priorDecoding : nil
        o.propertyWeight = propertyWeight ?? o.propertyWeight
        o.clipNorm = clip ?? o.clipNorm
        o.checkpointEvery = checkpointEvery ?? o.checkpointEvery
        o.priorSamples = samples ?? o.priorSamples
        if let evalEvery { o.evaluateEvery = evalEvery > 0 ? evalEvery : nil }
        if let evalFCD { o.fcdSamples = evalFCD > 0 ? evalFCD : nil }
        if let bestBy { o.bestByFCD = bestBy == "fcd" ? true : nil }
        if o.bestByFCD == true && o.fcdSamples == nil {
            throw CommandFailure("--best-by fcd needs --eval-fcd N, and the checkpoint evaluates no FCD")
        }
        return o
    }

    /// Constant (nil) or cosine; each part of a cosine curve not given is the saved curve's.
    private func learningRateSchedule(saved: LearningRateSchedule?, peak: Float, stepsPerEpoch: Int) throws -> LearningRateSchedule? {
        var savedCosine: (minimum: Float, warmup: Int, total: Int)?
        if case let .warmupCosine(_, minimum, warmup, total)? = saved { savedCosine = (minimum, warmup, total) }
        guard (lrSchedule ?? (savedCosine == nil ? "constant" : "cosine")) == "cosine" else { return nil }
        let lastStep = [maxSteps, epochs.map { $0 * stepsPerEpoch }].compactMap { $0 }.min()
        guard let total = scheduleSteps ?? savedCosine?.total ?? lastStep else {
            throw CommandFailure("--lr-schedule cosine decays to --lr-min at the last step, so it needs --epochs N, --max-steps S or --schedule-steps S")
        }
        return .warmupCosine(peak: peak, minimum: lrMin ?? savedCosine?.minimum ?? peak / 10,
                             warmupSteps: lrWarmup ?? savedCosine?.warmup ?? 0, totalSteps: total)
    }

    /// `--kl-warmup` and `--anneal`; the one not given is the saved schedule's.
    private func klAnnealing(saved: KLAnnealing) -> KLAnnealing {
        guard klWarmup != nil || anneal != nil else { return saved }
        let savedShape: String, savedSteps: Int
        switch saved {
        case .constant: (savedShape, savedSteps) = ("linear", 0)
        case .linear(let steps): (savedShape, savedSteps) = ("linear", steps)
        case .sigmoid(let steps): (savedShape, savedSteps) = ("sigmoid", steps)
        case .cyclical(let period, _): (savedShape, savedSteps) = ("cyclical", period)
        }
        let steps = klWarmup ?? savedSteps
        guard steps > 0 else { return .constant }
        switch anneal ?? savedShape {
        case "sigmoid": return .sigmoid(warmupSteps: steps)
        case "cyclical": return .cyclical(periodSteps: steps, rampFraction: 0.5)
        default: return .linear(warmupSteps: steps)
        }
    }

    /// The architecture of a new run: the sizes given, else the defaults.
    func modelConfig(vocabularySize: Int, batch: Int, maxLength: Int) -> VAEConfig {
        var config = TrainDefaults.model
        config.vocabSize = vocabularySize
        config.latent = latent ?? config.latent
        config.hidden = hidden ?? config.hidden
        config.layers = layers ?? config.layers
        config.convChannels = Self.sizes(convChannels ?? TrainDefaults.convChannels)!
        config.convKernels = Self.sizes(convKernels ?? TrainDefaults.convKernels)!
        config.convDilations = Array(repeating: 1, count: config.convChannels.count)
        config.pooling = pooling.flatMap(PoolingKind.init(rawValue:)) ?? config.pooling
        config.dense = dense ?? config.dense
        config.maxBatch = batch
        config.maxTokens = maxLength
        if structureFeatures { config.structureFeatures = true }
        return config
    }

    /// The sizes given that differ from the checkpoint's or the model file's, which are kept.
    func ignoredSizes(keeping kept: VAEConfig) -> [String] {
        var out: [String] = []
        func note<T: Equatable>(_ option: String, _ kept: T, _ given: T?, _ text: (T) -> String = { "\($0)" }) {
            if let given, given != kept { out.append("\(option) \(text(given)) (kept \(text(kept)))") }
        }
        let list: ([Int]) -> String = { $0.map(String.init).joined(separator: ",") }
        note("--latent", kept.latent, latent)
        note("--hidden", kept.hidden, hidden)
        note("--layers", kept.layers, layers)
        note("--conv-channels", kept.convChannels, convChannels.flatMap(Self.sizes), list)
        note("--conv-kernels", kept.convKernels, convKernels.flatMap(Self.sizes), list)
        note("--pooling", kept.pooling, pooling.flatMap(PoolingKind.init(rawValue:)), { $0.rawValue })
        note("--dense", kept.dense, dense)
        if structureFeatures && !kept.hasStructureFeatures && initModel == nil { out.append("--structure-features (kept none)") }
        return out
    }
}
