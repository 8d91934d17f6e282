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
    /// With T threads the molecules are split into T groups decoded independently (molecules
    /// never interact), each with single-threaded GEMMs; results do not depend on T.
    /// topK (when set) draws only among the k most likely tokens (ties at the k-th value kept).
    /// rowOffset numbers the rows' random streams from rowOffset on, so a long run cut into
    /// calls draws the same tokens as one call: row i of this call uses stream rowOffset + i.
    /// syntaxMask (when given) keeps each row's string parsable: before every choice the logits
    /// of the tokens it forbids (syntax errors, and strings that could no longer be completed
    /// within maxSteps) are set to −infinity, so sampling renormalises over the allowed tokens
    /// and greedy takes the likeliest allowed one. It changes which token a draw lands on, not
    /// which draws are made, so rows stay independent of batching and threads.
    public func sample(latents: [Float], count: Int, maxSteps: Int = 100, temperature: Float = 1,
                       greedy: Bool = false, seed: UInt64 = 0, stopAtEOS: Bool = true,
                       topK: Int? = nil, rowOffset: Int = 0, syntaxMask: SMILESSyntaxMask? = nil) -> SampleResult {
        let lat = config.latent, v = config.vocabSize, e = config.decoderEmbedding, g3 = 3 * config.hidden
        precondition(latents.count == count * lat, "latents need count * latent values")
        precondition(syntaxMask.map { $0.count == v } ?? true, "the syntax mask does not belong to this model's vocabulary")
        guard count > 0 else { return SampleResult(sequences: [], steps: 0, finished: []) }
        // Per token: embedding · W_ie^T, shared by all groups.
        let tokenGates = FloatBuffer(v * g3)
        sgemm(false, true, v, g3, e, 1, decoderEmbedding.weight.value, e, gru.weightIH[0].value, e + lat, 0, tokenGates.pointer, g3)
        let parts = min(EngineThreads.count, max(1, count / 16))
        let groups = (0..<parts).map { p in SampleGroup(rows: (count * p / parts)..<(count * (p + 1) / parts)) }
        latents.withUnsafeBufferPointer { z in
            let zp = z.baseAddress!
            if parts == 1 {
                decode(groups[0], latents: zp, tokenGates: tokenGates.pointer, maxSteps: maxSteps, temperature: temperature,
                       greedy: greedy, topK: topK, seed: seed, rowOffset: rowOffset, stopAtEOS: stopAtEOS, syntaxMask: syntaxMask)
            } else {
                EngineThreads.setGEMMThreads(1)
                EngineThreads.parallelFor(parts, minPerChunk: 1) { chunk in
                    for p in chunk {
                        decode(groups[p], latents: zp, tokenGates: tokenGates.pointer, maxSteps: maxSteps, temperature: temperature,
                               greedy: greedy, topK: topK, seed: seed, rowOffset: rowOffset, stopAtEOS: stopAtEOS,
                               syntaxMask: syntaxMask)
                    }
                }
                EngineThreads.restoreGEMMThreads()
            }
        }
        return SampleResult(sequences: groups.flatMap(\.sequences), steps: groups.map(\.steps).max() ?? 0,
                            finished: groups.flatMap(\.finished))
    }

    final class SampleGroup {
        let rows: Range<Int>
        var sequences: [[Int32]]
        var finished: [Bool]
        var steps = 0
        init(rows: Range<Int>) {
            self.rows = rows
            sequences = Array(repeating: [], count: rows.count)
            finished = Array(repeating: false, count: rows.count)
        }
    }

    /// Decodes one group of molecules step by step; finished rows leave the active batch (the
    /// survivors' state is compacted). The z part of the first layer's input gates is computed
    /// once per molecule, the token part is a row of tokenGates. With a syntax mask each molecule
    /// has its syntax state (fixed-size, allocated once here), advanced by every token it takes.
    func decode(_ group: SampleGroup, latents: UnsafePointer<Float>, tokenGates: UnsafePointer<Float>, maxSteps: Int,
                temperature: Float, greedy: Bool, topK: Int?, seed: UInt64, rowOffset: Int, stopAtEOS: Bool,
                syntaxMask: SMILESSyntaxMask?) {
        let lat = config.latent, h = config.hidden, layers = config.layers, v = config.vocabSize
        let e = config.decoderEmbedding, g3 = 3 * h
        let count = group.rows.count, first = group.rows.lowerBound
        guard count > 0 else { return }
        let z = latents + first * lat
        let h0 = FloatBuffer(count * layers * h)
        latentToHidden.forward(z, rows: count, into: h0.pointer)
        Activation.tanh.forward(h0.pointer, h0.pointer, count: count * layers * h)
        let states = (0..<layers).map { _ in FloatBuffer(count * h) }
        for l in 0..<layers {
            for b in 0..<count { (states[l].pointer + b * h).update(from: h0.pointer + b * layers * h + l * h, count: h) }
        }
        let wih0 = gru.weightIH[0].value, ld0 = e + lat
        let zGates = FloatBuffer(count * g3)
        broadcastRows(zGates.pointer, gru.biasIH[0].value, rows: count, cols: g3)
        sgemm(false, true, count, g3, lat, 1, z, lat, wih0 + e, ld0, 1, zGates.pointer, g3)
        let gates = FloatBuffer(count * g3), scratch = FloatBuffer(count * g3)
        let logits = FloatBuffer(count * v)
        var rowOf = Array(0..<count)          // active slot -> molecule (within the group)
        var previous = [Int32](repeating: TokenID.bos, count: count)
        // One syntax state per molecule, read and advanced in place (an array element would be
        // copied, a few hundred bytes, at every read).
        let syntax = UnsafeMutablePointer<SMILESSyntaxState>.allocate(capacity: syntaxMask == nil ? 0 : count)
        if let syntaxMask { for r in 0..<count { (syntax + r).initialize(to: syntaxMask.initialState) } }
        defer { syntax.deallocate() }
        // With structure features, one structure tracker per molecule, advanced by every token.
        // (The roles are there exactly when the gates are: SmilesVAE.init.)
        let structure = self.structure
        let trackers = UnsafeMutablePointer<SMILESStructureTracker>.allocate(capacity: structure == nil ? 0 : count)
        if structure != nil { trackers.initialize(repeating: SMILESStructureTracker(), count: count) }
        defer { trackers.deallocate() }
        let featureIds = UnsafeMutablePointer<Int32>.allocate(capacity: StructureFeatures.perStep)
        defer { featureIds.deallocate() }
        var active = count
        var step = 0
        while active > 0 && step < maxSteps {
            let gi = gates.pointer
            for a in 0..<active {
                let dst = gi + a * g3, zg = zGates.pointer + a * g3, tg = tokenGates + Int(previous[a]) * g3
                for j in 0..<g3 { dst[j] = zg[j] + tg[j] }
                if structure != nil { addStructureGates(of: trackers[rowOf[a]], to: dst, scratch: featureIds) }
            }
            gru.cell(layer: 0, inputGates: gi, hidden: states[0].pointer, rows: active, scratch: scratch.pointer)
            for l in 1..<max(1, layers) {
                broadcastRows(gi, gru.biasIH[l].value, rows: active, cols: g3)
                sgemm(false, true, active, g3, h, 1, states[l - 1].pointer, h, gru.weightIH[l].value, h, 1, gi, g3)
                gru.cell(layer: l, inputGates: gi, hidden: states[l].pointer, rows: active, scratch: scratch.pointer)
            }
            outputHead.forward(states[layers - 1].pointer, rows: active, into: logits.pointer)
            var kept = 0
            for a in 0..<active {
                let row = rowOf[a]
                // A finished row (kept only when stopAtEOS is false) writes nothing more: no mask.
                let masked = syntaxMask != nil && !group.finished[row]
                if masked { syntaxMask!.forbidDisallowed(logits.pointer + a * v, in: syntax[row], steps: maxSteps - step) }
                let token = pick(logits.pointer + a * v, classes: v, temperature: temperature, greedy: greedy, topK: topK,
                                 seed: seed, row: rowOffset + first + row, step: step)
                if masked { syntaxMask!.advance(&syntax[row], by: token) }
                if let structure { structure.advance(&trackers[row], by: token) }
                if token == TokenID.eos && !group.finished[row] {
                    group.finished[row] = true
                    if stopAtEOS { continue }
                } else if !group.finished[row] {
                    group.sequences[row].append(token)
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
        group.steps = step
    }

    /// Draws from z ~ N(0, I) with the counter RNG and decodes (unconstrained unless a syntax
    /// mask is given: training's evaluation and `molvae bench` measure the raw model).
    public func sampleFromPrior(count: Int, maxSteps: Int = 100, temperature: Float = 1, greedy: Bool = false,
                                seed: UInt64 = 0, stopAtEOS: Bool = true, syntaxMask: SMILESSyntaxMask? = nil,
                                firstRow: Int = 0) -> SampleResult {
        // Samples firstRow..<firstRow + count of the stream (a rank's block of a larger draw).
        var z = [Float](repeating: 0, count: count * config.latent)
        for b in 0..<count {
            var rng = CounterRNG(seed: seed, stream: 0x5A4D_0000_0000 ^ UInt64(firstRow + b))
            for j in 0..<config.latent { z[b * config.latent + j] = rng.nextNormal() }
        }
        return sample(latents: z, count: count, maxSteps: maxSteps, temperature: temperature, greedy: greedy, seed: seed,
                      stopAtEOS: stopAtEOS, rowOffset: firstRow, syntaxMask: syntaxMask)
    }

    func pick(_ logits: UnsafeMutablePointer<Float>, classes v: Int, temperature: Float, greedy: Bool, topK: Int? = nil,
              seed: UInt64, row: Int, step: Int) -> Int32 {
        var best = 0
        for j in 1..<v where logits[j] > logits[best] { best = j }
        if greedy || temperature <= 0 || topK == 1 { return Int32(best) }
        let m = logits[best], invT = 1 / temperature
        let floor = topK.map { topKThreshold(logits, classes: v, k: $0) } ?? -Float.infinity
        var s = Float(0)
        for j in 0..<v {
            let p = logits[j] >= floor ? Foundation.exp((logits[j] - m) * invT) : 0
            logits[j] = p
            s += p
        }
        var rng = CounterRNG(seed: seed, stream: 0x5A3B_0000_0000 ^ UInt64(row), counter: UInt64(step))
        var u = rng.nextFloat() * s
        for j in 0..<v {
            u -= logits[j]
            if u < 0 { return Int32(j) }
        }
        return Int32(best)
    }

    /// The k-th largest logit counting tied values once each time they occur, so that keeping
    /// every logit >= the result keeps the k best tokens plus any tied with the k-th. O(k·V)
    /// without allocating: k is small and so is the vocabulary.
    func topKThreshold(_ logits: UnsafePointer<Float>, classes v: Int, k: Int) -> Float {
        guard k > 0, k < v else { return -Float.infinity }
        var threshold = Float.infinity, taken = 0
        while taken < k {
            var next = -Float.infinity, ties = 0
            for j in 0..<v where logits[j] < threshold {
                if logits[j] > next { next = logits[j]; ties = 1 } else if logits[j] == next { ties += 1 }
            }
            if ties == 0 { break }
            threshold = next
            taken += ties
        }
        return threshold
    }
}
