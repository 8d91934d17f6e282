import Foundation

extension SmilesVAE {
    /// Teacher-forced decoder loss of sequences at given latent points, with no encoder
    /// involved, and its gradient: `weight` · d(mean cross-entropy per molecule) is accumulated
    /// into the decoder's parameters (latent-to-hidden, embedding, GRU, output head). Returns
    /// the mean cross-entropy per molecule (nats).
    ///
    /// Used to train on (z, molecule) pairs that did not come from the encoder: the validity
    /// term of training, whose pairs are prior samples z and the valid molecules the decoder
    /// drew from them. latents: [count, latent] in the batch's order.
    public func decoderLossAndBackward(_ batch: TokenBatch, latents: [Float], weight: Float, divisor: Int? = nil) -> Double {
        precondition(batch.count > 0, "empty batch")
        let lat = config.latent, h = config.hidden, layers = config.layers
        precondition(latents.count == batch.count * lat, "latents need count * latent values")
        sortBatch(batch)
        let b = batchSize
        let zs = sortRows(latents, into: z, width: lat)
        let (logits, tg, n) = runDecoder(batch, z: zs, wordDropout: nil)
        let ce = SoftmaxCrossEntropy.forwardBackward(logits: logits, targets: tg, rows: n, classes: config.vocabSize,
                                                     ignoreIndex: nil, dlogits: logits)
        let dOut = dGRUOutput.reserve(n * h)
        outputHead.backward(gru.outputs[layers - 1].pointer, outputHead.output.pointer, rows: n, dx: dOut,
                            scale: weight / Float(divisor ?? b))
        let dh = dh0.reserve(b * layers * h)
        gru.backward(dOut: dOut, layout: decoderLayout, dh0: dh, h0Stride: layers * h)
        let h0 = latentToHidden.output.pointer
        Activation.tanh.backward(h0, h0, dh, dh, count: b * layers * h)
        latentToHidden.backward(zs, dh, rows: b, dx: nil)
        hasForward = false
        return ce.loss / Double(divisor ?? b)
    }
}
