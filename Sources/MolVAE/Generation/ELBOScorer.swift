import Foundation

/// The negative ELBO of molecules under a model, split into its two parts:
///
///     −ELBO(x) = −E_q[log p(x | z)] + KL(q(z | x) ‖ N(0, I))
///
/// `recon` is −log p(x | z) summed over the molecule's tokens and its <eos> (natural log), at
/// z = mu when `samples` is 0 (deterministic: the usual reconstruction score), else averaged
/// over `samples` draws z = mu + sigma·eps (a Monte Carlo estimate of the expectation; draw d
/// of the molecule with index i comes from its own seeded stream). `kl` is exact (closed form).
/// A molecule the model finds unusual has a high negative ELBO: the basis of anomaly ranking.
public struct ELBOScorer {
    public var samples: Int
    public var seed: UInt64
    /// Molecules per likelihood pass.
    public var batchSize: Int

    public init(samples: Int = 0, seed: UInt64 = 0, batchSize: Int = 256) {
        precondition(samples >= 0 && batchSize >= 1)
        self.samples = samples
        self.seed = seed
        self.batchSize = batchSize
    }

    public struct Score: Sendable, Equatable {
        public let recon: Double
        public let kl: Double
        public var negativeELBO: Double { recon + kl }
    }

    /// What the scorer does, for summaries.
    public var methodDescription: String {
        samples == 0 ? "reconstruction at z = mu" : "reconstruction averaged over \(samples) draws z ~ q(z|x) (seed \(seed))"
    }

    /// Scores of `molecules` in order; `firstIndex` is the index of the first one in the whole
    /// run (it names the random streams when sampling).
    public func score(_ molecules: [EncodedMolecule], model: SmilesVAE, firstIndex: Int = 0) -> [Score] {
        var scores: [Score] = []
        scores.reserveCapacity(molecules.count)
        var start = 0
        while start < molecules.count {
            let chunk = molecules[start..<min(molecules.count, start + batchSize)]
            let batch = TokenBatch(sequences: chunk.map(\.molecule.tokens))
            var recon = [Double](repeating: 0, count: chunk.count)
            if samples == 0 {
                let ll = model.logLikelihoods(of: batch, latents: chunk.flatMap(\.latent.mu))
                for i in 0..<chunk.count { recon[i] = -ll[i] }
            } else {
                for draw in 0..<samples {
                    let z = chunk.enumerated().flatMap { offset, m in
                        m.latent.sample(seed: seed, index: firstIndex + start + offset, draw: draw)
                    }
                    let ll = model.logLikelihoods(of: batch, latents: z)
                    for i in 0..<chunk.count { recon[i] -= ll[i] / Double(samples) }
                }
            }
            for (i, m) in chunk.enumerated() { scores.append(Score(recon: recon[i], kl: Self.kl(m.latent))) }
            start += chunk.count
        }
        return scores
    }

    /// KL(N(mu, exp(logvar)) ‖ N(0, I)) = ½ Σ (mu² + exp(logvar) − 1 − logvar).
    public static func kl(_ latent: LatentGaussian) -> Double {
        latent.mu.withUnsafeBufferPointer { mu in
            latent.logvar.withUnsafeBufferPointer { lv in
                GaussianLatent.kl(mu: mu.baseAddress!, logvar: lv.baseAddress!, count: mu.count)
            }
        }
    }

    /// The reference statistics from the first `limit` records of a molecule file: records that
    /// cannot be encoded are skipped and counted (they have no score to compare with).
    public func reference(_ trained: TrainedModel, path: String, limit: Int) throws -> (reference: ELBOReference, skipped: Int) {
        precondition(limit >= 1)
        let encoder = LatentEncoder(trained)
        let reader = try SMILESReader(path: path)
        var usable: [EncodedMolecule] = []
        var skipped = 0, read = 0
        while read < limit {
            let records = try reader.nextBatch(maxCount: min(1024, limit - read))
            if records.isEmpty { break }
            read += records.count
            for outcome in encoder.encode(records.map(\.smiles)) {
                if let m = try? outcome.get() { usable.append(m) } else { skipped += 1 }
            }
        }
        let values = score(usable, model: trained.model).map(\.negativeELBO)
        return (try ELBOReference(source: path, values: values), skipped)
    }
}
