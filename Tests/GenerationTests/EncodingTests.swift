import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct EncodingTests {
    /// A memorised molecule, written differently, is canonicalised, encoded and comes back.
    @Test func encodedThenGreedyDecodedMoleculesComeBack() throws {
        let tiny = try TinyModel.load()
        let encoder = LatentEncoder(tiny)
        // The first fixture molecule spelled from another atom: RDKit's canonical form is the fixture's.
        let respelled = "OCC(O)COc1ccc(C(=O)CC)cc1OC"
        let outcomes = encoder.encode(TinyModel.molecules + [respelled])
        let encoded = try outcomes.map { try $0.get() }
        #expect(encoded.last!.molecule.canonical == TinyModel.molecules[0])
        #expect(encoded.last!.molecule.input == respelled)
        #expect(encoded.last!.molecule.tokens == encoded[0].molecule.tokens)
        for (a, b) in zip(encoded.last!.latent.mu, encoded[0].latent.mu) { #expect(abs(a - b) < 1e-5) }

        let decoder = LatentDecoder(tiny)
        let mus = encoded.flatMap(\.latent.mu)
        let decoded = decoder.decode(latents: mus, count: encoded.count, strategy: .greedy)
        let back = zip(decoded, encoded).filter { $0.canonical == $1.molecule.canonical }.count
        #expect(back >= 10, "\(back) of \(encoded.count) came back")
        if decoded[0].canonical == TinyModel.molecules[0] { #expect(decoded.last!.canonical == TinyModel.molecules[0]) }
        // Greedy decoding through the decoder equals the model's own greedy sampling (same mask).
        let direct = tiny.model.sample(latents: mus, count: encoded.count, maxSteps: decoder.maxSteps, greedy: true,
                                       syntaxMask: decoder.activeSyntaxMask)
        #expect(decoded.map(\.tokens) == direct.sequences)
    }

    /// Every kind of failure is reported for its own line, with the reason's details.
    @Test func everyFailureIsReportedForItsLine() throws {
        let tiny = try TinyModel.load()
        let encoder = LatentEncoder(tiny, chunkSize: 2)
        let limit = tiny.model.config.maxTokens
        let lines = [
            "smiles",                               // header, not a record
            TinyModel.molecules[3],                 // line 2: fine
            "C1CC",                                 // line 3: unclosed ring
            "",                                     // line 4: blank, skipped
            "CCBr",                                 // line 5: Br is not in the twelve molecules' vocabulary
            String(repeating: "C", count: limit + 1), // line 6: one atom too many (refused before RDKit)
            "c1cccc1",                              // line 7: cannot be kekulized
            "CC(C)(C)(C)(C)C",                      // line 8: pentavalent carbon
            TinyModel.molecules[5],                 // line 9: fine
            "CC(C)" + String(repeating: "C", count: limit - 3), // line 10: `limit` atoms, two tokens too many once canonical
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gen-fail-\(UUID().uuidString).smi").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var seen: [Int: Result<EncodedMolecule, EncodingFailure>] = [:]
        try encoder.encodeFile(at: path, batchSize: 3) { record, outcome in seen[record.lineNumber] = outcome }
        #expect(seen.keys.sorted() == [2, 3, 5, 6, 7, 8, 9, 10])
        #expect((try? seen[2]!.get())?.molecule.canonical == TinyModel.molecules[3])
        #expect((try? seen[9]!.get())?.molecule.canonical == TinyModel.molecules[5])
        func failure(_ line: Int) -> EncodingFailure? {
            if case .failure(let f) = seen[line]! { return f }
            return nil
        }
        guard case .invalidSMILES(let ring) = failure(3) else { Issue.record("line 3: \(String(describing: failure(3)))"); return }
        #expect(!ring.isEmpty)
        #expect(failure(5) == .unknownToken(token: "Br", canonical: "CCBr"))
        #expect(failure(6) == .tooManyAtoms(atoms: limit + 1, limit: limit))
        #expect(failure(6)!.description.contains("\(limit + 1) atoms, so at least \(limit + 1) tokens; the model allows at most \(limit)"))
        #expect(failure(10) == .tooLong(tokens: limit + 2, limit: limit))
        #expect(failure(10)!.description.contains("\(limit + 2) tokens, the model allows at most \(limit)"))
        guard case .invalidSMILES(let kekule) = failure(7) else { Issue.record("line 7: \(String(describing: failure(7)))"); return }
        #expect(kekule.lowercased().contains("kekul"), "\(kekule)")
        guard case .invalidSMILES(let valence) = failure(8) else { Issue.record("line 8: \(String(describing: failure(8)))"); return }
        #expect(valence.lowercased().contains("valence"), "\(valence)")
    }

    @Test func unreadableInputsAreFailuresNotCrashes() throws {
        let tiny = try TinyModel.load()
        let outcomes = LatentEncoder(tiny).encode(["", "CC\u{0}O", "C\u{FFFD}C", "   "])
        let kinds = outcomes.map { outcome -> String in
            if case .failure(let f) = outcome { return f.kind }
            return "encoded"
        }
        #expect(kinds == ["invalid_smiles", "unreadable_input", "unreadable_input", "invalid_smiles"])
    }

    @Test func missingFileNamesThePath() throws {
        let tiny = try TinyModel.load()
        let path = "/nonexistent/gen-\(UUID().uuidString).smi"
        #expect { try LatentEncoder(tiny).encodeFile(at: path) { _, _ in } } throws: { "\($0)".contains(path) }
    }

    /// Encodings do not depend on the chunk size; sampled points are seeded per molecule and draw.
    @Test func encodingIsIndependentOfChunksAndSeededPerMolecule() throws {
        let tiny = try TinyModel.load()
        let whole = LatentEncoder(tiny, chunkSize: 256).encode(TinyModel.molecules).map { try! $0.get().latent }
        let pieces = LatentEncoder(tiny, chunkSize: 5).encode(TinyModel.molecules).map { try! $0.get().latent }
        for (a, b) in zip(whole, pieces) {
            for j in 0..<a.dimension { #expect(abs(a.mu[j] - b.mu[j]) < 1e-5 && abs(a.logvar[j] - b.logvar[j]) < 1e-5) }
        }
        let g = whole[0]
        #expect(g.point(.mean, index: 0) == g.mu)
        #expect(g.sample(seed: 3, index: 7) == g.sample(seed: 3, index: 7))
        #expect(g.sample(seed: 3, index: 7) != g.sample(seed: 3, index: 8))
        #expect(g.sample(seed: 3, index: 7, draw: 0) != g.sample(seed: 3, index: 7, draw: 1))
        #expect(g.sample(seed: 3, index: 7) != g.sample(seed: 4, index: 7))
        // z - mu = sigma * eps: standardised, 2000 draws of every dimension look standard normal.
        var sum = 0.0, squares = 0.0, n = 0.0
        for draw in 0..<2000 {
            let z = g.sample(seed: 1, index: 0, draw: draw)
            for j in 0..<g.dimension {
                let e = Double((z[j] - g.mu[j]) / Foundation.exp(0.5 * g.logvar[j]))
                sum += e
                squares += e * e
                n += 1
            }
        }
        #expect(abs(sum / n) < 0.05 && abs(squares / n - 1) < 0.05)
    }
}
