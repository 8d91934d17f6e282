import Foundation

extension SmilesVAE {
    /// log p(x | z) of each molecule of `batch` under its own latent point (`latents` is
    /// [batch.count, latent] in the batch's order): teacher forcing, summed over the molecule's
    /// tokens and the final <eos> (natural log). With z = mu, minus the sum over the batch equals
    /// `forward(batch, epsilon: .zero).recon · batch.count`.
    ///
    /// A separate pass rather than an output of `forward`, so training pays nothing for it. It
    /// reuses the model's workspaces: a pending `backward` is invalidated.
    public func logLikelihoods(of batch: TokenBatch, latents: [Float]) -> [Double] {
        let lat = config.latent, v = config.vocabSize
        precondition(latents.count == batch.count * lat, "latents need batch.count * latent values")
        guard batch.count > 0 else { return [] }
        precondition(batch.tokens.allSatisfy { $0 >= 0 && Int($0) < v }, "token ids must lie inside the vocabulary")
        hasForward = false
        sortBatch(batch)
        let b = batchSize
        let zs = sortRows(latents, into: z, width: lat)
        let (logits, tg, _) = runDecoder(batch, z: zs, wordDropout: nil)
        var result = [Double](repeating: 0, count: b)
        for i in 0..<b {
            let row = order[i]
            var sum = 0.0
            for t in 0...batch.lengths[row] {
                let r = decoderLayout.row(i, t), x = logits + r * v
                var m = x[0]
                for j in 1..<v { m = max(m, x[j]) }
                var s = Float(0)
                for j in 0..<v { s += Foundation.exp(x[j] - m) }
                // The same expression as SoftmaxCrossEntropy, so the two agree to rounding.
                sum -= Double(Foundation.log(s) + m - x[Int(tg[r])])
            }
            result[row] = sum
        }
        return result
    }
}
