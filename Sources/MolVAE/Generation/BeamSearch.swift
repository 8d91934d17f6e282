import Foundation

/// The best token sequence beam search found for one latent point.
public struct BeamHypothesis: Sendable, Equatable {
    /// Token ids without <bos>/<eos>.
    public let tokens: [Int32]
    /// log p(tokens, <eos> | z): the sum of the chosen tokens' log-probabilities (natural log),
    /// <eos> included when finished.
    public let logLikelihood: Double
    /// Whether the hypothesis ended with <eos> before the step limit.
    public let finished: Bool
}

/// Beam search over the decoder: for each latent point, the `width` best prefixes by summed
/// log-probability are extended by every token; the `width` best extensions survive. An extension
/// by <eos> ends its hypothesis, which is kept aside (it no longer takes a beam slot). A point's
/// search stops when no live prefix could still beat its best ended hypothesis (log-probabilities
/// only add negative terms) or nothing is live, or at `maxSteps` tokens.
///
/// <pad>, <bos> and <unk> are never proposed: the decoder is never trained to emit them. With a
/// syntax mask a prefix is extended only by the tokens its syntax state allows (<eos> included;
/// the step limit counts too, see `SMILESSyntaxMask`), so every finished hypothesis parses.
/// Scores stay the model's own log-probabilities (not renormalised over the allowed tokens), so
/// they equal teacher-forced log p(x | z).
/// Ties are broken by hypothesis order, then token id, so the search is deterministic. With
/// width 1 it is exactly greedy decoding. A wider beam usually, but not provably, finds a likelier
/// sequence than greedy decoding: a prefix it prunes early can lead to a better end.
///
/// Latent points are independent: with T threads they are split into T groups, each searched
/// with single-threaded GEMMs, and the result does not depend on T.
public enum BeamSearch {
    public static func search(model: SmilesVAE, latents: [Float], count: Int, width: Int, maxSteps: Int,
                              syntaxMask: SMILESSyntaxMask? = nil) -> [BeamHypothesis] {
        let lat = model.config.latent
        precondition(latents.count == count * lat, "latents need count * latent values")
        precondition(width >= 1, "beam width must be at least 1")
        precondition(syntaxMask.map { $0.count == model.config.vocabSize } ?? true, "the syntax mask does not belong to this model's vocabulary")
        guard count > 0 else { return [] }
        let parts = min(EngineThreads.count, max(1, count / 4))
        if parts == 1 {
            return searchGroup(model: model, latents: latents, count: count, width: width, maxSteps: maxSteps, syntaxMask: syntaxMask)
        }
        var results = [[BeamHypothesis]](repeating: [], count: parts)
        results.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            EngineThreads.setGEMMThreads(1)
            EngineThreads.parallelFor(parts, minPerChunk: 1) { chunk in
                for p in chunk {
                    let lo = count * p / parts, hi = count * (p + 1) / parts
                    box.value[p] = searchGroup(model: model, latents: Array(latents[(lo * lat)..<(hi * lat)]), count: hi - lo,
                                               width: width, maxSteps: maxSteps, syntaxMask: syntaxMask)
                }
            }
            EngineThreads.restoreGEMMThreads()
        }
        return results.flatMap { $0 }
    }

    private struct Prefix {
        var tokens: [Int32]
        var score: Double
        /// Where the prefix stands in the SMILES grammar (used with a syntax mask only).
        var syntax = SMILESSyntaxState()
    }

    private struct Candidate {
        var parent: Int        // row in the decoder
        var token: Int32
        var score: Double
    }

    static func searchGroup(model: SmilesVAE, latents: [Float], count: Int, width: Int, maxSteps: Int,
                            syntaxMask: SMILESSyntaxMask?) -> [BeamHypothesis] {
        let v = model.config.vocabSize
        let decoder = StepDecoder(model: model, latents: latents, count: count)
        // Live prefixes of each point, in decoder-row order: the rows of point p are contiguous.
        let start = syntaxMask?.initialState ?? SMILESSyntaxState()
        var live: [[Prefix]] = (0..<count).map { _ in [Prefix(tokens: [], score: 0, syntax: start)] }
        var best: [BeamHypothesis?] = Array(repeating: nil, count: count)
        var inputs = [Int32](repeating: TokenID.bos, count: count)
        var step = 0
        var candidates: [Candidate] = []
        while decoder.rows > 0 && step < maxSteps {
            let logp = decoder.step(inputs: inputs)
            var parents: [Int] = [], nextInputs: [Int32] = []
            var row = 0
            for p in 0..<count where !live[p].isEmpty {
                candidates.removeAll(keepingCapacity: true)
                for (k, prefix) in live[p].enumerated() {
                    let base = (row + k) * v
                    let budget = syntaxMask?.budget(in: prefix.syntax, steps: maxSteps - step) ?? .max
                    if syntaxMask?.allows(TokenID.eos, in: prefix.syntax, within: budget) ?? true {
                        candidates.append(Candidate(parent: k, token: TokenID.eos, score: prefix.score + Double(logp[base + Int(TokenID.eos)])))
                    }
                    for t in TokenID.firstRegularID..<v where syntaxMask?.allows(Int32(t), in: prefix.syntax, within: budget) ?? true {
                        candidates.append(Candidate(parent: k, token: Int32(t), score: prefix.score + Double(logp[base + t])))
                    }
                }
                candidates.sort { a, b in
                    a.score != b.score ? a.score > b.score : (a.parent != b.parent ? a.parent < b.parent : a.token < b.token)
                }
                var survivors: [Prefix] = []
                for c in candidates.prefix(width) {
                    let prefix = live[p][c.parent]
                    if c.token == TokenID.eos {
                        if best[p] == nil || c.score > best[p]!.logLikelihood {
                            best[p] = BeamHypothesis(tokens: prefix.tokens, logLikelihood: c.score, finished: true)
                        }
                    } else {
                        var syntax = prefix.syntax
                        syntaxMask?.advance(&syntax, by: c.token)
                        survivors.append(Prefix(tokens: prefix.tokens + [c.token], score: c.score, syntax: syntax))
                        parents.append(row + c.parent)
                        nextInputs.append(c.token)
                    }
                }
                row += live[p].count
                // No live prefix can gain probability, so the best ended one is final once it is
                // at least as likely as the best live one.
                if let done = best[p], let top = survivors.first?.score, done.logLikelihood >= top {
                    parents.removeLast(survivors.count)
                    nextInputs.removeLast(survivors.count)
                    survivors = []
                }
                live[p] = survivors
            }
            decoder.keep(parents)
            inputs = nextInputs
            step += 1
        }
        return (0..<count).map { p in
            if let done = best[p] { return done }
            // The step limit came first: the likeliest unfinished prefix, marked so.
            let top = live[p].first ?? Prefix(tokens: [], score: -.infinity)
            return BeamHypothesis(tokens: top.tokens, logLikelihood: top.score, finished: false)
        }
    }
}
