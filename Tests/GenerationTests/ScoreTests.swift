import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct ScoreTests {
    static let unusual = "CCCCCCCCCCCCCCCCCC"   // valid, only tiny-vocabulary tokens, nothing like the twelve

    @Test func aMemorisedMoleculeIsMoreTypicalThanAnUnusualOne() throws {
        let tiny = try TinyModel.load()
        let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules + [Self.unusual]).map { try $0.get() }
        let scores = ELBOScorer().score(encoded, model: tiny.model)
        let odd = scores.last!
        let typical = scores.dropLast().map(\.negativeELBO).sorted()
        // Every memorised molecule scores better than the stranger (lower negative ELBO).
        #expect(typical.last! < odd.negativeELBO, "memorised worst \(typical.last!) vs unusual \(odd.negativeELBO)")
        #expect(scores.allSatisfy { $0.recon > 0 && $0.kl >= 0 })

        // recon is −log p(x | mu) from the model's own likelihood pass; kl is the closed form.
        let ll = tiny.model.logLikelihoods(of: TokenBatch(sequences: [encoded[2].molecule.tokens]), latents: encoded[2].latent.mu)
        #expect(abs(scores[2].recon + ll[0]) < 1e-9 * max(1, abs(ll[0])))
        let g = encoded[2].latent
        let kl = (0..<g.dimension).reduce(0.0) { s, j in
            s + 0.5 * Double(g.mu[j] * g.mu[j] + Foundation.exp(g.logvar[j]) - 1 - g.logvar[j])
        }
        #expect(abs(scores[2].kl - kl) < 1e-4 * max(1, kl))
        #expect(scores[2].negativeELBO == scores[2].recon + scores[2].kl)
    }

    /// Sampled scores are seeded per molecule: the same for any batch size, different per seed,
    /// and not the score at the mean.
    @Test func sampledScoresAreSeededPerMolecule() throws {
        let tiny = try TinyModel.load()
        let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules).map { try $0.get() }
        let whole = ELBOScorer(samples: 3, seed: 4, batchSize: 256).score(encoded, model: tiny.model)
        let pieces = ELBOScorer(samples: 3, seed: 4, batchSize: 5).score(encoded, model: tiny.model)
        // Other batch shapes round the float GEMMs differently.
        for (a, b) in zip(whole, pieces) { #expect(abs(a.recon - b.recon) < 1e-5 * max(1, a.recon)) }
        let otherSeed = ELBOScorer(samples: 3, seed: 5).score(encoded, model: tiny.model)
        let atMean = ELBOScorer().score(encoded, model: tiny.model)
        #expect(zip(whole, otherSeed).contains { $0.recon != $1.recon })
        #expect(zip(whole, atMean).contains { $0.recon != $1.recon })
        #expect(zip(whole, atMean).allSatisfy { $0.kl == $1.kl })
    }

    /// The reference statistics skip (and count) lines that cannot be encoded; the stranger's
    /// z-score is far above every memorised molecule's.
    @Test func referenceStatisticsAndZScores() throws {
        let tiny = try TinyModel.load()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ref-\(UUID().uuidString).smi").path
        try (TinyModel.molecules + ["C1CC", "CCBr"]).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scorer = ELBOScorer()
        let (reference, skipped) = try scorer.reference(tiny, path: path, limit: 2000)
        #expect(skipped == 2)
        #expect(reference.count == 12)
        let limited = try scorer.reference(tiny, path: path, limit: 5)
        #expect(limited.reference.count == 5 && limited.skipped == 0)

        let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules + [Self.unusual]).map { try $0.get() }
        let z = scorer.score(encoded, model: tiny.model).map { reference.zScore($0.negativeELBO) }
        #expect(abs(z.dropLast().reduce(0, +) / 12) < 1e-9)   // the reference set itself averages 0
        #expect(z.last! > z.dropLast().max()!)
        #expect(z.last! > 2)
    }

    @Test func aMissingReferenceFileIsNamed() throws {
        let tiny = try TinyModel.load()
        let path = "/nonexistent/ref-\(UUID().uuidString).smi"
        #expect { try ELBOScorer().reference(tiny, path: path, limit: 10) } throws: { "\($0)".contains(path) }
    }
}
