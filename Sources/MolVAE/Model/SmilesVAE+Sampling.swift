import Foundation

/// Decoded molecules (token ids without <bos>/<eos>) and the number of decoder steps run.
public struct SampleResult: Sendable {
    public var sequences: [[Int32]]
    public var steps: Int
    /// Whether each row emitted <eos> before the step limit.
    public var finished: [Bool]
}

extension SmilesVAE {
    /// Decodes latents z ([count, latent]) one GRU step at a time for the whole batch.
    /// Rows that emit <eos> leave the active batch (the state of the remaining rows is
    /// compacted), so late steps only pay for unfinished molecules. The z part of the first
    /// GRU layer's input is projected once per molecule, and since the vocabulary is small the
    /// token-embedding part is a table lookup: [V, 3H] = embedding · W_ie^T, computed once.
    /// temperature scales the logits; greedy takes the argmax. The draw for (row, step) comes
    /// from the counter RNG stream of that row, so results do not depend on threads.
    /// stopAtEOS false keeps finished rows in the batch until maxSteps (their later tokens are
    /// dropped): the worst case, for comparisons with decoders that cannot shrink the batch.
    public func sample(latents: [Float], count: Int, maxSteps: Int = 100, temperature: Float = 1,
                       greedy: Bool = false, seed: UInt64 = 0, stopAtEOS: Bool = true) -> SampleResult {
        let lat = config.latent, h = config.hidden, layers = config.layers, v = config.vocabSize
        let e = config.decoderEmbedding, g3 = 3 * h
        precondition(latents.count == count * lat, "latents need count * latent values")
        var result = SampleResult(sequences: Array(repeating: [], count: count), steps: 0,
                                  finished: Array(repeating: false, count: count))
        guard count > 0 else { return result }
        let zbuf = FloatBuffer(count * lat)
        latents.withUnsafeBufferPointer { zbuf.pointer.update(from: $0.baseAddress!, count: count * lat) }
        // Hidden state per layer, [count, H] contiguous (rows compacted as molecules finish).
        let h0 = FloatBuffer(count * layers * h)
        latentToHidden.forward(zbuf.pointer, rows: count, into: h0.pointer)
        Activation.tanh.forward(h0.pointer, h0.pointer, count: count * layers * h)
        let states = (0..<layers).map { _ in FloatBuffer(count * h) }
        for l in 0..<layers {
            for b in 0..<count { (states[l].pointer + b * h).update(from: h0.pointer + b * layers * h + l * h, count: h) }
        }
        let wih0 = gru.weightIH[0].value, ld0 = e + lat
        // Per molecule: z W_iz^T + b_ih.
        let zGates = FloatBuffer(count * g3)
        broadcastRows(zGates.pointer, gru.biasIH[0].value, rows: count, cols: g3)
        sgemm(false, true, count, g3, lat, 1, zbuf.pointer, lat, wih0 + e, ld0, 1, zGates.pointer, g3)
        // Per token: embedding W_ie^T.
        let tokenGates = FloatBuffer(v * g3)
        sgemm(false, true, v, g3, e, 1, decoderEmbedding.weight.value, e, wih0, ld0, 0, tokenGates.pointer, g3)
        let gates = FloatBuffer(count * g3)
        let logits = FloatBuffer(count * v)
        var rowOf = Array(0..<count)          // active slot -> molecule
        var previous = [Int32](repeating: TokenID.bos, count: count)
        var active = count
        var step = 0
        while active > 0 && step < maxSteps {
            let gi = gates.pointer
            for a in 0..<active {
                let dst = gi + a * g3, zg = zGates.pointer + a * g3, tg = tokenGates.pointer + Int(previous[a]) * g3
                for j in 0..<g3 { dst[j] = zg[j] + tg[j] }
            }
            gru.cell(layer: 0, inputGates: gi, hidden: states[0].pointer, rows: active)
            for l in 1..<max(1, layers) {
                broadcastRows(gi, gru.biasIH[l].value, rows: active, cols: g3)
                sgemm(false, true, active, g3, h, 1, states[l - 1].pointer, h, gru.weightIH[l].value, h, 1, gi, g3)
                gru.cell(layer: l, inputGates: gi, hidden: states[l].pointer, rows: active)
            }
            outputHead.forward(states[layers - 1].pointer, rows: active, into: logits.pointer)
            var kept = 0
            for a in 0..<active {
                let row = rowOf[a]
                let token = pick(logits.pointer + a * v, classes: v, temperature: temperature, greedy: greedy,
                                 seed: seed, row: row, step: step)
                if token == TokenID.eos && !result.finished[row] {
                    result.finished[row] = true
                    if stopAtEOS { continue }
                } else if !result.finished[row] {
                    result.sequences[row].append(token)
                }
                if kept != a {
                    for l in 0..<layers { (states[l].pointer + kept * h).update(from: states[l].pointer + a * h, count: h) }
                    (zGates.pointer + kept * g3).update(from: zGates.pointer + a * g3, count: g3)
                    rowOf[kept] = row
                }
                previous[kept] = token
                kept += 1
            }
            active = kept
            step += 1
        }
        result.steps = step
        return result
    }

    /// Draws from z ~ N(0, I) with the counter RNG and decodes.
    public func sampleFromPrior(count: Int, maxSteps: Int = 100, temperature: Float = 1, greedy: Bool = false,
                                seed: UInt64 = 0, stopAtEOS: Bool = true) -> SampleResult {
        var z = [Float](repeating: 0, count: count * config.latent)
        for b in 0..<count {
            var rng = CounterRNG(seed: seed, stream: 0x5A4D_0000_0000 ^ UInt64(b))
            for j in 0..<config.latent { z[b * config.latent + j] = rng.nextNormal() }
        }
        return sample(latents: z, count: count, maxSteps: maxSteps, temperature: temperature, greedy: greedy, seed: seed, stopAtEOS: stopAtEOS)
    }

    func pick(_ logits: UnsafeMutablePointer<Float>, classes v: Int, temperature: Float, greedy: Bool,
              seed: UInt64, row: Int, step: Int) -> Int32 {
        var best = 0
        for j in 1..<v where logits[j] > logits[best] { best = j }
        if greedy || temperature <= 0 { return Int32(best) }
        let m = logits[best], invT = 1 / temperature
        var s = Float(0)
        for j in 0..<v { let p = Foundation.exp((logits[j] - m) * invT); logits[j] = p; s += p }
        var rng = CounterRNG(seed: seed, stream: 0x5A3B_0000_0000 ^ UInt64(row), counter: UInt64(step))
        var u = rng.nextFloat() * s
        for j in 0..<v {
            u -= logits[j]
            if u < 0 { return Int32(j) }
        }
        return Int32(best)
    }
}
