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
    public static func evaluate(model: SmilesVAE, propertyHead: PropertyHead?, standardisation: PropertyStandardisation?,
                                valid: TrainingData, vocabulary: Vocabulary, batchSize: Int, seed: UInt64,
                                priorSamples: Int, maxSampleSteps: Int, threads: Int) -> EvaluationMetrics {
        var m = EvaluationMetrics()
        let saved = model.wordDropout
        model.wordDropout = nil
        defer { model.wordDropout = saved }
        let lat = model.config.latent, n = valid.count
        // Batches of similar lengths, in a fixed order.
        let lengths = valid.lengths
        let order: [Int] = (0..<n).sorted { (a: Int, b: Int) -> Bool in lengths[a] != lengths[b] ? lengths[a] < lengths[b] : a < b }
        var recon = 0.0, kl = 0.0, tokens = 0, correct = 0
        var muSum = [Double](repeating: 0, count: lat), muSq = [Double](repeating: 0, count: lat)
        let k = standardisation?.names.count ?? 0
        var pred = [Float](), target = [Float]()
        var start = 0, batchIndex: UInt64 = 0
        while start < n {
            let rows = Array(order[start..<min(n, start + max(1, batchSize))])
            let batch = TokenBatch(sequences: rows.map { valid.sequences[$0] })
            let loss = model.forward(batch, epsilon: .random(seed: seed ^ 0xE7A1_0000, step: batchIndex))
            let acc = model.lastForwardTokenAccuracy()
            correct += acc.correct
            tokens += acc.total
            recon += loss.recon * Double(rows.count)
            kl += loss.kl * Double(rows.count)
            let mu = model.mu.pointer
            for r in 0..<rows.count {
                for j in 0..<lat { let v = Double(mu[r * lat + j]); muSum[j] += v; muSq[j] += v * v }
            }
            if let head = propertyHead, let standardisation, valid.properties.count == n * k {
                let p = head.predict(mu, rows: rows.count)
                for (r, row) in rows.enumerated() {
                    for j in 0..<k {
                        pred.append(p[r * k + j])
                        let raw = valid.properties[row * k + j]
                        target.append(raw.isFinite ? Float((Double(raw) - standardisation.means[j]) / standardisation.sds[j]) : .nan)
                    }
                }
            }
            start += rows.count
            batchIndex += 1
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
            let result = model.sampleFromPrior(count: priorSamples, maxSteps: maxSampleSteps, seed: seed ^ 0x5A3D_0000)
            let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
            let canonical = MoleculeCanonicaliser.canonical(smiles, threads: threads)
            let validOnes = canonical.compactMap { $0 }
            m.samples = priorSamples
            m.validity = Double(validOnes.count) / Double(priorSamples)
            m.uniqueness = validOnes.isEmpty ? 0 : Double(Set(validOnes).count) / Double(validOnes.count)
        }
        return m
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
