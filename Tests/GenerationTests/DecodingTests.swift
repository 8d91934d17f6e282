import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Latent points to decode: the twelve molecules' means and some prior draws (which the tiny
/// model decodes into a mix of valid and invalid strings).
func testLatents(_ tiny: TrainedModel, prior: Int) throws -> (values: [Float], count: Int) {
    let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules).map { try $0.get() }
    var values = encoded.flatMap(\.latent.mu)
    let lat = tiny.model.config.latent
    for i in 0..<prior {
        var rng = CounterRNG(seed: 42, stream: UInt64(i))
        for _ in 0..<lat { values.append(rng.nextNormal()) }
    }
    return (values, encoded.count + prior)
}

/// The same molecules chosen the same way. Beam scores are compared to rounding: a GEMM over
/// another number of rows may round the last bit differently.
func sameChoices(_ a: [DecodedMolecule], _ b: [DecodedMolecule]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { x, y in
        x.raw == y.raw && x.canonical == y.canonical && x.tokens == y.tokens && x.count == y.count && x.validCount == y.validCount
            && x.tries == y.tries && (x.logLikelihood == nil) == (y.logLikelihood == nil)
            && abs((x.logLikelihood ?? 0) - (y.logLikelihood ?? 0)) <= 1e-4 * max(1, abs(x.logLikelihood ?? 0))
    }
}

@Suite(.serialized) struct DecodingTests {
    /// The same seed gives the same molecules with 1 or 2 threads and any chunk size; another
    /// seed gives other draws.
    @Test func decodingIsDeterministicForASeedAcrossThreadsAndChunks() throws {
        let tiny = try TinyModel.load()
        let (z, count) = try testLatents(tiny, prior: 36)
        let strategies: [DecodingStrategy] = [.tries(6, temperature: 1), .tries(4, temperature: 1.5, topK: 3), .greedy, .beam(width: 3)]
        withEngineThreads(1) {
            for strategy in strategies {
                EngineThreads.set(1)
                let one = LatentDecoder(tiny).decode(latents: z, count: count, strategy: strategy, seed: 11)
                EngineThreads.set(2)
                let two = LatentDecoder(tiny).decode(latents: z, count: count, strategy: strategy, seed: 11)
                let chunked = LatentDecoder(tiny, chunkSize: 7).decode(latents: z, count: count, strategy: strategy, seed: 11)
                #expect(sameChoices(one, two), "\(strategy.name): 1 vs 2 threads")
                #expect(sameChoices(one, chunked), "\(strategy.name): chunk size")
                // A point decoded alone, at its global index, gets the same answer as in the batch.
                let p = count - 3, lat = tiny.model.config.latent
                let alone = LatentDecoder(tiny).decode(latents: Array(z[(p * lat)..<((p + 1) * lat)]), count: 1, strategy: strategy,
                                                       seed: 11, firstIndex: p)
                #expect(sameChoices(alone, [one[p]]), "\(strategy.name): point alone")
            }
        }
        let a = LatentDecoder(tiny).decodings(latents: z, count: count, tries: 4, temperature: 1, topK: nil, seed: 1)
        let b = LatentDecoder(tiny).decodings(latents: z, count: count, tries: 4, temperature: 1, topK: nil, seed: 2)
        #expect(a.raw != b.raw)
    }

    @Test func mostFrequentRulePrefersValidMolecules() {
        // An invalid string decoded most often loses to a valid molecule seen once.
        let raw = ["C1CC", "C1CC", "C1CC", "OCC", "CCO", "c1ccccc1"]
        let canonical: [String?] = [nil, nil, nil, "CCO", "CCO", "c1ccccc1"]
        let tokens: [[Int32]] = raw.indices.map { [Int32($0)] }
        let chosen = DecodedMolecule.mostFrequent(raw: raw, canonical: canonical, tokens: tokens)
        #expect(chosen.canonical == "CCO" && chosen.raw == "OCC" && chosen.count == 2 && chosen.validCount == 3 && chosen.tries == 6)
        #expect(chosen.tokens == [3] && abs(chosen.frequency - 2.0 / 6) < 1e-12)
        // Ties go to the molecule seen first.
        let tie = DecodedMolecule.mostFrequent(raw: ["N", "CC", "C", "N"], canonical: ["N", "CC", "C", "N"],
                                               tokens: [[0], [1], [2], [3]])
        #expect(tie.canonical == "N" && tie.count == 2)
        let tie2 = DecodedMolecule.mostFrequent(raw: ["CC", "N", "N", "CC"], canonical: ["CC", "N", "N", "CC"], tokens: [[0], [1], [2], [3]])
        #expect(tie2.canonical == "CC" && tie2.tokens == [0])
        // Nothing valid: the most frequent string, reported invalid.
        let none = DecodedMolecule.mostFrequent(raw: ["C(", "C1", "C1"], canonical: [nil, nil, nil], tokens: [[0], [1], [2]])
        #expect(none.canonical == nil && none.raw == "C1" && none.count == 2 && none.validCount == 0 && !none.isValid)
    }

    /// On the model: hot decodings of prior points mix valid and invalid strings; the chosen
    /// molecule is valid whenever any try was, and is the most frequent valid one.
    @Test func triesPickTheMostFrequentValidDecoding() throws {
        let tiny = try TinyModel.load()
        let (z, count) = try testLatents(tiny, prior: 24)
        let k = 12
        let decoder = LatentDecoder(tiny)
        let chosen = decoder.decode(latents: z, count: count, strategy: .tries(k, temperature: 1.6), seed: 5)
        let all = decoder.decodings(latents: z, count: count, tries: k, temperature: 1.6, topK: nil, seed: 5)
        var mixed = 0
        for p in 0..<count {
            let canon = all.raw[(p * k)..<((p + 1) * k)].map { try? Molecule(smiles: $0).canonicalSMILES }
            let valid = canon.compactMap { $0 }
            #expect(chosen[p].validCount == valid.count && chosen[p].tries == k)
            if valid.count > 0 && valid.count < k { mixed += 1 }
            guard !valid.isEmpty else { #expect(!chosen[p].isValid); continue }
            #expect(chosen[p].isValid)
            let top = Dictionary(valid.map { ($0, 1) }, uniquingKeysWith: +).values.max()!
            #expect(chosen[p].count == top && valid.filter { $0 == chosen[p].canonical }.count == top)
        }
        #expect(mixed > 0, "the test needs points with both valid and invalid decodings")
    }

    @Test func topKRestrictsSampling() throws {
        let tiny = try TinyModel.load()
        let (z, count) = try testLatents(tiny, prior: 8)
        let decoder = LatentDecoder(tiny)
        // top-k 1 is greedy whatever the temperature.
        let greedy = decoder.decode(latents: z, count: count, strategy: .greedy)
        let top1 = decoder.decodings(latents: z, count: count, tries: 1, temperature: 3, topK: 1, seed: 9)
        #expect(top1.tokens == greedy.map(\.tokens))
        // Every token drawn with top-k 2 is one of the two likeliest after its prefix, among the
        // tokens the syntax mask allows there.
        let top2 = decoder.decodings(latents: z, count: count, tries: 2, temperature: 2, topK: 2, seed: 9)
        let lat = tiny.model.config.latent, v = tiny.model.config.vocabSize
        let mask = try #require(decoder.activeSyntaxMask)
        for (row, tokens) in top2.tokens.enumerated().prefix(12) {
            let point = row / 2
            let steps = StepDecoder(model: tiny.model, latents: Array(z[(point * lat)..<((point + 1) * lat)]), count: 1)
            var input = TokenID.bos
            var syntax = SMILESSyntaxState()
            for (t, token) in (tokens + [TokenID.eos]).enumerated() where t < decoder.maxSteps {
                let logp = steps.step(inputs: [input])
                let budget = mask.budget(in: syntax, steps: decoder.maxSteps - t)
                let ranked = (0..<v).filter { mask.allows(Int32($0), in: syntax, within: budget) }.sorted { logp[$0] > logp[$1] }
                #expect(ranked.prefix(2).contains(Int(token)), "row \(row) step \(t)")
                mask.advance(&syntax, by: token)
                input = token
            }
        }
    }
}
