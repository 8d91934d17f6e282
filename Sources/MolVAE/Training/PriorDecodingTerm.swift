import Foundation

/// The prior-decoding term of training: pair molecules of the batch with points drawn from the
/// prior, independently of the molecules, and train the decoder to write each molecule from its
/// point. Its loss, E over z ~ p(z) of −log p(x | z), is the negative of the evidence lower bound
/// whose approximate posterior is the prior itself (no KL term), so adding it keeps training a
/// maximum-likelihood objective: a weighted sum of two lower bounds on log p(x).
///
/// Why: a low-beta model's posteriors are narrow, so most of the prior's mass lies between them,
/// where nothing in the VAE loss says what the decoder should write, and prior samples come out
/// unlike the data (docs/MODEL.md section 10). This term says it: where z carries no molecule,
/// write the data's distribution. Unlike the validity term it rewards no property of the
/// samples, only the likelihood of the training molecules.
///
/// Every draw is a counter-RNG function of (seed, step, row of the global batch), so a resumed or
/// a multi-rank run repeats it; the molecules are the first `samples` rows of the global batch.
struct PriorDecodingTerm {
    let samples: Int
    let weight: Float

    /// Adds weight · d(mean CE) to the decoder's gradients and returns this rank's part of the
    /// mean cross-entropy per molecule (the ranks' parts sum to the mean over all `samples`).
    func accumulate(model: SmilesVAE, sequences: [[Int32]], seed: UInt64, step: Int, group: ProcessGroup = .single) -> Double {
        let total = min(samples, sequences.count)
        let share = group.contiguousShare(of: total)
        guard !share.isEmpty else { return 0 }
        let lat = model.config.latent
        let latents = PriorDraws.latents(rows: share, latent: lat, seed: seed ^ 0x9A10_DEC0, step: step)
        let batch = TokenBatch(sequences: share.map { sequences[$0] })
        return model.decoderLossAndBackward(batch, latents: latents, weight: weight, divisor: total)
    }
}
