import Foundation

/// One row of DIR/metrics.jsonl and DIR/metrics.csv.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    public var step = 0
    /// The 1-based epoch of the last step before this evaluation (`TrainingState.epochOfLastStep`).
    public var epoch = 0
    public var elapsedSeconds = 0.0
    /// Mean training loss parts since the previous evaluation (per molecule).
    public var trainLoss = 0.0
    public var trainRecon = 0.0
    public var trainKL = 0.0
    public var trainProperty = 0.0
    public var klWeight = 0.0
    /// Validation: ELBO as a loss (recon + KL per molecule, lower is better), its parts,
    /// reconstruction CE per token, teacher-forced token accuracy.
    public var validELBO = 0.0
    public var validRecon = 0.0
    public var validKL = 0.0
    public var validReconPerToken = 0.0
    public var tokenAccuracy = 0.0
    /// Latent units whose mu varies over the validation set by more than 0.01.
    public var activeUnits = 0
    /// R² of the property head per property (logp, qed, sa), on the standardised values.
    public var propertyR2: [String: Double] = [:]
    /// Of the prior samples: RDKit-valid fraction and unique canonical SMILES among the valid.
    public var validity = 0.0
    public var uniqueness = 0.0
    public var samples = 0
    /// With the validity term on: the share of its prior samples (syntax mask on) that were
    /// valid since the previous evaluation; nil (absent from the JSON) when it is off.
    public var trainSampleValidity: Double?
    /// FCD of `--eval-fcd` prior samples (syntax mask on) against the validation molecules;
    /// nil (absent from the JSON) when off or undefined.
    public var fcd: Double?

    public init() {}

    public static let csvColumns = ["step", "epoch", "elapsed_s", "train_loss", "train_recon", "train_kl", "train_property", "kl_weight",
                                    "valid_elbo", "valid_recon", "valid_kl", "valid_recon_per_token", "token_accuracy",
                                    "active_units", "r2_logp", "r2_qed", "r2_sa", "validity", "uniqueness", "samples", "fcd"]

    public var csvRow: [String] {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "nan" }
        func r(_ k: String) -> String { propertyR2[k].map(f) ?? "" }
        var row: [String] = [String(step), String(epoch), f(elapsedSeconds), f(trainLoss), f(trainRecon), f(trainKL)]
        row += [f(trainProperty), f(klWeight), f(validELBO), f(validRecon), f(validKL), f(validReconPerToken)]
        row += [f(tokenAccuracy), String(activeUnits), r("logp"), r("qed"), r("sa")]
        row += [f(validity), f(uniqueness), String(samples), fcd.map(f) ?? ""]
        return row
    }
}

/// Validation metrics of a model (no parameter or gradient is changed).
public enum Evaluation {
    /// What one validation batch contributes, kept apart so that ranks can compute different
    /// batches and every rank then adds them up in batch order, as one process does.
    struct BatchOutcome {
        var recon = 0.0, kl = 0.0          // batch means times rows
        var correct = 0, total = 0
        var mu: [Float] = []               // [rows, latent]
        var predictions: [Float] = []      // [rows, properties]
        var targets: [Float] = []

        func encoded() -> [UInt8] {
            var w = BinaryWriter()
            w.f64(recon); w.f64(kl); w.int(correct); w.int(total)
            for values in [mu, predictions, targets] { w.int(values.count); values.withUnsafeBytes { w.raw($0) } }
            return w.bytes
        }

        static func decoded(_ r: inout BinaryReader) throws -> BatchOutcome {
            var o = BatchOutcome()
            o.recon = try r.f64(); o.kl = try r.f64(); o.correct = try r.int(); o.total = try r.int()
            func floats() throws -> [Float] {
                let n = try r.int()
                return try r.raw(n * 4, "floats").withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            }
            o.mu = try floats(); o.predictions = try floats(); o.targets = try floats()
            return o
        }
    }

    public static func evaluate(model: SmilesVAE, propertyHead: PropertyHead?, standardisation: PropertyStandardisation?,
                                valid: TrainingData, vocabulary: Vocabulary, batchSize: Int, seed: UInt64,
                                priorSamples: Int, maxSampleSteps: Int, threads: Int, group: ProcessGroup = .single) -> EvaluationMetrics {
        var m = EvaluationMetrics()
        let saved = model.wordDropout
        model.wordDropout = nil
        defer { model.wordDropout = saved }
        let lat = model.config.latent, n = valid.count
        // Batches of similar lengths, in a fixed order.
        let lengths = valid.lengths
        let order: [Int] = (0..<n).sorted { (a: Int, b: Int) -> Bool in lengths[a] != lengths[b] ? lengths[a] < lengths[b] : a < b }
        let size = max(1, batchSize)
        let batchCount = (n + size - 1) / size
        let k = standardisation?.names.count ?? 0
        // Each rank runs every size-th batch; each batch's noise is keyed by its index.
        var mine: [BatchOutcome] = []
        for batchIndex in group.interleavedShare(of: batchCount) {
            let rows = Array(order[(batchIndex * size)..<min(n, (batchIndex + 1) * size)])
            let batch = TokenBatch(sequences: rows.map { valid.sequences[$0] })
            let loss = model.forward(batch, epsilon: .random(seed: seed ^ 0xE7A1_0000, step: UInt64(batchIndex)))
            let acc = model.lastForwardTokenAccuracy()
            var o = BatchOutcome(recon: loss.recon * Double(rows.count), kl: loss.kl * Double(rows.count), correct: acc.correct,
                                 total: acc.total)
            o.mu = model.mu.toArray(rows.count * lat)
            if let head = propertyHead, let standardisation, valid.properties.count == n * k {
                let p = head.predict(model.mu.pointer, rows: rows.count)
                for (r, row) in rows.enumerated() {
                    for j in 0..<k {
                        o.predictions.append(p[r * k + j])
                        let raw = valid.properties[row * k + j]
                        o.targets.append(raw.isFinite ? Float((Double(raw) - standardisation.means[j]) / standardisation.sds[j]) : .nan)
                    }
                }
            }
            mine.append(o)
        }
        let outcomes = group.isParallel ? allBatchOutcomes(mine, group: group) : mine
        var recon = 0.0, kl = 0.0, tokens = 0, correct = 0
        var muSum = [Double](repeating: 0, count: lat), muSq = [Double](repeating: 0, count: lat)
        var pred = [Float](), target = [Float]()
        for o in outcomes {
            correct += o.correct
            tokens += o.total
            recon += o.recon
            kl += o.kl
            for r in 0..<(o.mu.count / max(1, lat)) {
                for j in 0..<lat { let v = Double(o.mu[r * lat + j]); muSum[j] += v; muSq[j] += v * v }
            }
            pred += o.predictions
            target += o.targets
        }
        if n > 0 {
            m.validRecon = recon / Double(n)
            m.validKL = kl / Double(n)
            m.validELBO = m.validRecon + m.validKL
            m.validReconPerToken = tokens > 0 ? recon / Double(tokens) : 0
            m.tokenAccuracy = tokens > 0 ? Double(correct) / Double(tokens) : 0
            for j in 0..<lat {
                let mean = muSum[j] / Double(n)
                if muSq[j] / Double(n) - mean * mean > 0.01 { m.activeUnits += 1 }
            }
        }
        if let standardisation, !pred.isEmpty {
            for (j, name) in standardisation.names.enumerated() {
                var ys: [Double] = [], ps: [Double] = []
                var i = j
                while i < pred.count {
                    if target[i].isFinite { ys.append(Double(target[i])); ps.append(Double(pred[i])) }
                    i += k
                }
                m.propertyR2[name] = rSquared(truth: ys, prediction: ps)
            }
        }
        if priorSamples > 0 {
            // Deliberately unconstrained (no syntax mask): this validity measures the raw model,
            // so it tracks what training has learnt, not what decoding can repair.
            // Each rank decodes and checks a contiguous block of the samples.
            let share = group.contiguousShare(of: priorSamples)
            var canonical: [String?] = []
            if !share.isEmpty {
                let result = model.sampleFromPrior(count: share.count, maxSteps: maxSampleSteps, seed: seed ^ 0x5A3D_0000,
                                                   firstRow: share.lowerBound)
                let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
                canonical = MoleculeCanonicaliser.canonical(smiles, threads: threads)
            }
            if group.isParallel {
                // Blocks in rank order are the samples in order; "-" marks an invalid sample.
                let mine = canonical.map { $0.map { "+" + $0 } ?? "-" }
                canonical = group.allGather(ProcessGroup.encode(mine)).flatMap(ProcessGroup.decode)
                    .map { $0.hasPrefix("+") ? String($0.dropFirst()) : nil }
            }
            let validOnes = canonical.compactMap { $0 }
            m.samples = priorSamples
            m.validity = Double(validOnes.count) / Double(priorSamples)
            m.uniqueness = validOnes.isEmpty ? 0 : Double(Set(validOnes).count) / Double(validOnes.count)
        }
        return m
    }

    /// Every rank's batch outcomes, back in batch order (rank r ran batches r, r + size, ...).
    static func allBatchOutcomes(_ mine: [BatchOutcome], group: ProcessGroup) -> [BatchOutcome] {
        var w = BinaryWriter()
        w.int(mine.count)
        for o in mine { w.raw(o.encoded()) }
        let pieces = group.allGather(w.bytes).map { bytes -> [BatchOutcome] in
            var r = BinaryReader(bytes)
            // Bytes written above by another rank of the same binary: a failure is a bug.
            guard let count = try? r.int(), let outcomes = try? (0..<count).map({ _ in try BatchOutcome.decoded(&r) }) else {
                preconditionFailure("malformed evaluation outcome from another rank")
            }
            return outcomes
        }
        return ProcessGroup.interleave(pieces)
    }

    /// 1 − SS_res / SS_tot (NaN when there are no values or no variance).
    public static func rSquared(truth: [Double], prediction: [Double]) -> Double {
        guard !truth.isEmpty else { return .nan }
        let mean = truth.reduce(0, +) / Double(truth.count)
        var res = 0.0, tot = 0.0
        for (y, p) in zip(truth, prediction) { res += (y - p) * (y - p); tot += (y - mean) * (y - mean) }
        return tot > 0 ? 1 - res / tot : .nan
    }
}
