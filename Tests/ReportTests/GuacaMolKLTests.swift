import Foundation
import Testing
@testable import MolVAE

/// GuacaMol's KL-divergence benchmark against the guacamol 0.5.5 package itself: the fixture
/// (`scripts/make-guacamol-fixture`) holds its score, per-descriptor KL values, drawn reference
/// and per-molecule descriptors, computed by the package's own functions (RDKit 2022.09,
/// SciPy 1.11.4, NumPy 1.26).
@Suite struct GuacaMolKLTests {
    struct Expected: Decodable {
        let number_samples: Int
        let seed: UInt32
        let score: Double
        let kl_divs: [String: Double]
        let reference: [String]
        let generated: [String]
    }

    static let folder = Bundle.module.url(forResource: "Fixtures/guacamol-kl", withExtension: nil)!
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }

    @Test func everyDescriptorEqualsRDKitPython() throws {
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("descriptors.json"))) as! [[String: Any]]
        #expect(rows.count >= 100)
        for row in rows {
            let smiles = row["smiles"] as! String
            let ours = try Molecule(smiles: smiles).guacamolDescriptors().values
            for (d, name) in GuacaMolDescriptors.names.enumerated() {
                let theirs = (row[name] as! NSNumber).doubleValue
                if d < 4 {
                    #expect(abs(ours[d] - theirs) <= 1e-9 * max(1, abs(theirs)), "\(name) of \(smiles): ours \(ours[d]), RDKit \(theirs)")
                } else {
                    #expect(ours[d] == theirs, "\(name) of \(smiles): ours \(ours[d]), RDKit \(theirs)")
                }
            }
        }
    }

    @Test func referenceIsNumPysSeededDraw() throws {
        let expected = try Self.expected()
        let train = try TrainingSet(path: Self.path("train.smi"), threads: 2)
        let reference = GuacaMolSampling.reference(training: train.smiles, count: expected.number_samples, seed: expected.seed, threads: 2)
        #expect(reference == expected.reference)
    }

    @Test func generatedMoleculesAreGuacaMols() throws {
        let expected = try Self.expected()
        let generated = try EvaluatedSet(path: Self.path("generated.smi"), role: .generated, threads: 2)
        let ours = GuacaMolSampling.generated(canonical: generated.valid.map(\.canonicalSMILES), count: expected.number_samples, threads: 2)
        #expect(ours.count == Set(ours).count)
        #expect(Set(ours) == Set(expected.generated))
        #expect(ours.count == 797)  // 800 distinct with stereo, 797 without
    }

    @Test func scoreEqualsGuacaMolPackage() throws {
        let expected = try Self.expected()
        let generated = try EvaluatedSet(path: Self.path("generated.smi"), role: .generated, threads: 2)
        let train = try TrainingSet(path: Self.path("train.smi"), threads: 2)
        let kl = GuacaMolKLDivergence(generatedCanonical: generated.valid.map(\.canonicalSMILES), training: train.smiles,
                                      samples: expected.number_samples, seed: expected.seed, threads: 2)
        #expect(kl.generatedMolecules == expected.generated.count)
        #expect(kl.referenceMolecules == expected.reference.count)
        #expect(Set(kl.klDivergences.keys) == Set(expected.kl_divs.keys))
        #expect(kl.klDivergences.count == 10)
        for (name, theirs) in expected.kl_divs {
            let ours = try #require(kl.klDivergences[name])
            #expect(abs(ours - theirs) <= 1e-6 * theirs, "\(name): ours \(ours), GuacaMol \(theirs)")
        }
        #expect(abs(kl.score - expected.score) <= 1e-8, "score: ours \(kl.score), GuacaMol \(expected.score)")
    }

    @Test func reportCarriesTheScoreOnlyWithTrain() throws {
        let generated = try EvaluatedSet(path: Self.path("generated.smi"), role: .generated, threads: 2)
        let train = try TrainingSet(path: Self.path("train.smi"), threads: 2)
        let without = QualityReport(generated: generated, train: nil, test: nil, testScaffolds: nil, threads: 2)
        #expect(without.guacamol.klDivergence == nil)
        let with = QualityReport(generated: generated, train: train, test: nil, testScaffolds: nil, threads: 2, guacamolSamples: 800)
        let expected = try Self.expected()
        #expect(abs(try #require(with.guacamol.klDivergence).score - expected.score) <= 1e-8)
        let json = try JSONSerialization.jsonObject(with: with.jsonData()) as! [String: Any]
        let section = (json["guacamol"] as! [String: Any])["kl_divergence"] as! [String: Any]
        #expect((section["kl_divs"] as! [String: Any]).count == 10)
        #expect(section["number_samples"] as? Int == 800)
        #expect(section["seed"] as? Int == 42)
    }
}

/// The numerical pieces against values printed by NumPy 1.26 / SciPy 1.11.4 / guacamol 0.5.5.
@Suite struct GuacaMolKLPieceTests {
    @Test func numpyLegacyPermutation() {
        // np.random.RandomState(42).permutation(10), and seed 0.
        #expect(NumPyLegacyRandom.choiceWithoutReplacement(from: 10, count: 10, seed: 42) == [8, 1, 5, 0, 7, 2, 9, 4, 3, 6])
        #expect(NumPyLegacyRandom.choiceWithoutReplacement(from: 10, count: 10, seed: 0) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
        // MT19937's reference output for init_genrand(5489).
        var random = NumPyLegacyRandom(seed: 5489)
        #expect(random.nextUInt32() == 3_499_211_612)
    }

    @Test func gaussianKDEEqualsSciPy() {
        // gaussian_kde([0, 1, 3, 3.5]): factor 4^(-1/5), covariance 1.5674946302563704.
        let kde = GaussianKDE(data: [0, 1, 3, 3.5])
        #expect(abs(kde.bandwidth * kde.bandwidth - 1.5674946302563704) <= 1e-15)
        let values = kde.evaluate([0, 0.5, 2, 10], threads: 2)
        let scipy = [0.1436796009693433, 0.1624735643039251, 0.17691354637177037, 1.247406956412311e-07]
        for (ours, theirs) in zip(values, scipy) { #expect(abs(ours - theirs) <= 1e-14 * theirs) }
        #expect(GaussianKDE(data: [2, 2, 2]).bandwidth.isNaN)  // SciPy raises (singular covariance)
        #expect(GaussianKDE(data: [2]).bandwidth.isNaN)
    }

    @Test func klEstimatorsEqualGuacaMol() {
        #expect(abs(KLDivergence.continuous(baseline: [0, 1, 3, 3.5, 2], sampled: [1, 2, 2.5, 4], threads: 2)
                    - 0.016333856166296207) <= 1e-14)
        #expect(abs(KLDivergence.discrete(baseline: [0, 1, 1, 2, 3, 7], sampled: [0, 0, 1, 5, 7, 9]) - 7.1908989570202415) <= 1e-12)
        // Constant baseline: NumPy widens the range by 0.5 each side; 3 falls outside.
        #expect(KLDivergence.discrete(baseline: [2, 2, 2], sampled: [2, 2, 3]) == 0)
        // Nothing sampled inside the baseline's range: NumPy's 0/0 density, a NaN divergence.
        #expect(KLDivergence.discrete(baseline: [2, 2, 2], sampled: [5, 6]).isNaN)
        #expect(KLDivergence.continuous(baseline: [1, 2, 4], sampled: [1, 2, 4], threads: 1) == 0)
    }

    @Test func internalSimilarityExcludesSelf() throws {
        let smiles = ["CCO", "CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CC(=O)O", "CCCCCC", "C"]
        let fingerprints = try smiles.map { try Molecule(smiles: $0).morganFingerprint(radius: 2, bits: 4096) }
        let set = FingerprintSet(words: 64, rows: fingerprints.flatMap(\.words))
        let brute = fingerprints.indices.map { i in
            fingerprints.indices.filter { $0 != i }.map { fingerprints[i].tanimoto(fingerprints[$0]) }.max()!
        }
        for threads in [1, 3] { #expect(set.maxSimilaritiesToOthers(threads: threads) == brute) }
        #expect(brute[0] == 1)  // the duplicate, not itself
        #expect(FingerprintSet(words: 64, rows: fingerprints[3].words).maxSimilaritiesToOthers(threads: 2) == [0])
    }
}
