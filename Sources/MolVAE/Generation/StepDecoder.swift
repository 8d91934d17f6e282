import Foundation

/// The decoder run one token at a time for a set of hypotheses, each with its own latent point
/// and GRU state, for searches that choose what to feed next (beam search).
///
/// Rows are hypotheses. `step(inputs:)` feeds one token per row and returns the log-probabilities
/// of the next token; `keep(_:)` rebuilds the row set from chosen parents (a parent may be kept
/// several times, as when several extensions of one hypothesis survive). The arithmetic is
/// `SmilesVAE.sample`'s: the latent's share of the first layer's gates is computed once per row,
/// the token's share is a row of embedding · W_ie^T.
public final class StepDecoder {
    public let model: SmilesVAE
    /// Live hypotheses.
    public private(set) var rows: Int

    private let lat: Int, hidden: Int, layers: Int, vocab: Int, g3: Int
    private let tokenGates: FloatBuffer
    private var states: [FloatBuffer]
    private var zGates: FloatBuffer
    private var spareStates: [FloatBuffer]
    private var spareZGates: FloatBuffer
    private let gates = FloatBuffer(), scratch = FloatBuffer(), logits = FloatBuffer()
    /// Each row's structure tracker, for a model with structure features (empty otherwise).
    private var trackers: [SMILESStructureTracker] = []
    private let featureIds = IntBuffer(StructureFeatures.perStep)

    /// One hypothesis per latent point: latents is [count, latent].
    public init(model: SmilesVAE, latents: [Float], count: Int) {
        let c = model.config
        precondition(latents.count == count * c.latent, "latents need count * latent values")
        self.model = model
        lat = c.latent
        hidden = c.hidden
        layers = c.layers
        vocab = c.vocabSize
        g3 = 3 * c.hidden
        rows = count
        if model.structure != nil {
            trackers = Array(repeating: SMILESStructureTracker(), count: count)
        }
        tokenGates = FloatBuffer(vocab * g3)
        let e = c.decoderEmbedding
        sgemm(false, true, vocab, g3, e, 1, model.decoderEmbedding.weight.value, e, model.gru.weightIH[0].value, e + lat,
              0, tokenGates.pointer, g3)
        states = (0..<layers).map { _ in FloatBuffer(max(1, count) * c.hidden) }
        spareStates = (0..<layers).map { _ in FloatBuffer(max(1, count) * c.hidden) }
        zGates = FloatBuffer(max(1, count) * g3)
        spareZGates = FloatBuffer(max(1, count) * g3)
        guard count > 0 else { return }
        let h0 = FloatBuffer(count * layers * hidden)
        latents.withUnsafeBufferPointer { z in
            let zp = z.baseAddress!
            model.latentToHidden.forward(zp, rows: count, into: h0.pointer)
            broadcastRows(zGates.pointer, model.gru.biasIH[0].value, rows: count, cols: g3)
            sgemm(false, true, count, g3, lat, 1, zp, lat, model.gru.weightIH[0].value + e, e + lat, 1, zGates.pointer, g3)
        }
        Activation.tanh.forward(h0.pointer, h0.pointer, count: count * layers * hidden)
        for l in 0..<layers {
            for b in 0..<count { (states[l].pointer + b * hidden).update(from: h0.pointer + b * layers * hidden + l * hidden, count: hidden) }
        }
    }

    /// Feeds `inputs[r]` (the previous token, `<bos>` first) to row r and returns the
    /// log-probabilities of the next token, [rows, vocabulary], natural log.
    public func step(inputs: [Int32]) -> [Float] {
        precondition(inputs.count == rows, "one input token per row")
        guard rows > 0 else { return [] }
        let gi = gates.reserve(rows * g3), sc = scratch.reserve(rows * g3)
        for r in 0..<rows {
            let token = Int(inputs[r])
            precondition(token >= 0 && token < vocab, "token id \(token) outside the vocabulary")
            let dst = gi + r * g3, zg = zGates.pointer + r * g3, tg = tokenGates.pointer + token * g3
            for j in 0..<g3 { dst[j] = zg[j] + tg[j] }
            if let structure = model.structure, !trackers.isEmpty {
                structure.advance(&trackers[r], by: inputs[r])
                model.addStructureGates(of: trackers[r], to: dst, scratch: featureIds.pointer)
            }
        }
        let gru = model.gru
        gru.cell(layer: 0, inputGates: gi, hidden: states[0].pointer, rows: rows, scratch: sc)
        for l in 1..<max(1, layers) {
            broadcastRows(gi, gru.biasIH[l].value, rows: rows, cols: g3)
            sgemm(false, true, rows, g3, hidden, 1, states[l - 1].pointer, hidden, gru.weightIH[l].value, hidden, 1, gi, g3)
            gru.cell(layer: l, inputGates: gi, hidden: states[l].pointer, rows: rows, scratch: sc)
        }
        let lg = logits.reserve(rows * vocab)
        model.outputHead.forward(states[layers - 1].pointer, rows: rows, into: lg)
        var out = [Float](repeating: 0, count: rows * vocab)
        for r in 0..<rows {
            let x = lg + r * vocab
            var m = x[0]
            for j in 1..<vocab { m = max(m, x[j]) }
            var s = Float(0)
            for j in 0..<vocab { s += Foundation.exp(x[j] - m) }
            let shift = m + Foundation.log(s)
            for j in 0..<vocab { out[r * vocab + j] = x[j] - shift }
        }
        return out
    }

    /// Makes row i a copy of current row parents[i]; the row count becomes parents.count.
    public func keep(_ parents: [Int]) {
        let n = parents.count
        for l in 0..<layers {
            let dst = spareStates[l].reserve(max(1, n) * hidden), src = states[l].pointer
            for (i, p) in parents.enumerated() {
                precondition(p >= 0 && p < rows, "parent \(p) is not a live row")
                (dst + i * hidden).update(from: src + p * hidden, count: hidden)
            }
        }
        let dz = spareZGates.reserve(max(1, n) * g3)
        for (i, p) in parents.enumerated() { (dz + i * g3).update(from: zGates.pointer + p * g3, count: g3) }
        if !trackers.isEmpty { trackers = parents.map { trackers[$0] } }
        swap(&states, &spareStates)
        swap(&zGates, &spareZGates)
        rows = n
    }
}
