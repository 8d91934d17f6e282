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
        let lat = config.latent, h = config.hidden, layers = config.layers, v = config.vocabSize
        precondition(latents.count == batch.count * lat, "latents need batch.count * latent values")
        guard batch.count > 0 else { return [] }
        precondition(batch.tokens.allSatisfy { $0 >= 0 && Int($0) < v }, "token ids must lie inside the vocabulary")
        hasForward = false
        sortBatch(batch)
        let b = batchSize
        let zs = z.reserve(b * lat)
        latents.withUnsafeBufferPointer { src in
            for i in 0..<b { (zs + i * lat).update(from: src.baseAddress! + order[i] * lat, count: lat) }
        }
        let h0 = latentToHidden.forward(zs, rows: b)
        Activation.tanh.forward(h0, h0, count: b * layers * h)
        decoderLayout.set(count: b) { batch.lengths[self.order[$0]] + 1 }
        let n = decoderLayout.total
        let ids = decoderIds.reserve(n), tg = targets.reserve(n)
        for i in 0..<b {
            let row = order[i], l = batch.lengths[row]
            for t in 0...l {
                let r = decoderLayout.row(i, t)
                ids[r] = t == 0 ? TokenID.bos : batch.token(row, t - 1)
                tg[r] = t < l ? batch.token(row, t) : TokenID.eos
            }
        }
        let out = gru.forward(tokens: ids, embedding: decoderEmbedding, constant: zs, h0: h0, h0Stride: layers * h, layout: decoderLayout)
        let logits = outputHead.forward(out, rows: n)
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
