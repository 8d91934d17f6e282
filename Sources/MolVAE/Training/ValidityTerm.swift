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

    /// Adds weight · d(mean CE of the valid samples) to the decoder's gradients.
    func accumulate(model: SmilesVAE, vocabulary: Vocabulary, seed: UInt64, step: Int) -> Outcome {
        let lat = model.config.latent, maxTokens = model.config.maxTokens
        var latents = [Float](repeating: 0, count: samples * lat)
        for i in 0..<samples {
            var rng = CounterRNG(seed: seed ^ 0x7A11_D000, stream: (UInt64(step) << 20) ^ UInt64(i))
            for j in 0..<lat { latents[i * lat + j] = rng.nextNormal() }
        }
        let result = model.sample(latents: latents, count: samples, maxSteps: maxTokens + 1, seed: seed ^ 0x7A11_D000,
                                  rowOffset: step * samples, syntaxMask: mask)
        let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
        let canonical = MoleculeCanonicaliser.canonical(smiles)
        var kept: [[Int32]] = [], keptLatents: [Float] = []
        for i in 0..<samples where result.finished[i] && canonical[i] != nil && !result.sequences[i].isEmpty
            && result.sequences[i].count <= maxTokens {
            kept.append(result.sequences[i])
            keptLatents.append(contentsOf: latents[(i * lat)..<((i + 1) * lat)])
        }
        var outcome = Outcome(drawn: samples)
        guard !kept.isEmpty else { return outcome }
        outcome.kept = kept.count
        outcome.loss = model.decoderLossAndBackward(TokenBatch(sequences: kept), latents: keptLatents, weight: weight)
        return outcome
    }
}
