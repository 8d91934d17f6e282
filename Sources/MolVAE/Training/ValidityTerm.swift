import Foundation

/// The validity term of training: draw z from the prior, decode each once (temperature 1,
/// syntax mask on, as `molvae sample` does), keep the molecules RDKit accepts, and train the
/// decoder on those (z, molecule) pairs. In expectation this is the REINFORCE gradient of the
/// validity of prior samples (reward 1 for a valid molecule, 0 otherwise, no baseline): it
/// raises the probability of what the decoder already gets right in the regions of the prior
/// that no training molecule's posterior covers. The VAE loss itself is unchanged.
///
/// Every draw is a counter-RNG function of (seed, step, row), so a resumed run repeats it.
struct ValidityTerm {
    let samples: Int
    let weight: Float
    let mask: SMILESSyntaxMask?

    struct Outcome {
        var loss = 0.0      // mean cross-entropy per kept molecule (nats), before the weight
        var kept = 0
        var drawn = 0
    }

    /// Adds weight · d(mean CE of the valid samples) to the decoder's gradients. Over several
    /// ranks each draws and decodes a contiguous block of the samples (sample i keeps its
    /// streams), the mean is over every rank's kept molecules, and `loss` is this rank's part of
    /// it (the parts sum to the mean); `kept` and `drawn` are the totals over the ranks.
    func accumulate(model: SmilesVAE, vocabulary: Vocabulary, seed: UInt64, step: Int, group: ProcessGroup = .single) -> Outcome {
        let lat = model.config.latent, maxTokens = model.config.maxTokens
        let share = group.contiguousShare(of: samples)
        let count = share.count
        let latents = PriorDraws.latents(rows: share, latent: lat, seed: seed ^ 0x7A11_D000, step: step)
        var kept: [[Int32]] = [], keptLatents: [Float] = []
        if count > 0 {
            let result = model.sample(latents: latents, count: count, maxSteps: maxTokens + 1, seed: seed ^ 0x7A11_D000,
                                      rowOffset: step * samples + share.lowerBound, syntaxMask: mask)
            let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
            let canonical = MoleculeCanonicaliser.canonical(smiles)
            for i in 0..<count where result.finished[i] && canonical[i] != nil && !result.sequences[i].isEmpty
                && result.sequences[i].count <= maxTokens {
                kept.append(result.sequences[i])
                keptLatents.append(contentsOf: latents[(i * lat)..<((i + 1) * lat)])
            }
        }
        let keptTotal = group.isParallel ? group.sum(kept.count) : kept.count
        var outcome = Outcome(drawn: samples)
        outcome.kept = keptTotal
        guard !kept.isEmpty else { return outcome }
        outcome.loss = model.decoderLossAndBackward(TokenBatch(sequences: kept), latents: keptLatents, weight: weight, divisor: keptTotal)
        return outcome
    }
}
