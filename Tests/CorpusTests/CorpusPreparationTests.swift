import Foundation
import Testing
@testable import MolVAE

@Suite struct CorpusPreparationTests {
    static func options(canonicalize: Bool = true, dedupe: Bool = true, validFraction: Double = 0.5, seed: UInt64 = 1,
                        threads: Int = 2, chunkSize: Int = 4096) -> CorpusPreparation.Options {
        var options = CorpusPreparation.Options()
        options.canonicalize = canonicalize
        options.dedupe = dedupe
        options.validFraction = validFraction
        options.seed = seed
        options.threads = threads
        options.chunkSize = chunkSize
        return options
    }

    static func run(_ path: String, _ options: CorpusPreparation.Options) throws -> (train: [String], valid: [String], summary: CorpusPreparation.Summary) {
        var train: [String] = []
        var valid: [String] = []
        let summary = try CorpusPreparation.process(inputPath: path, options: options) { smiles, split in
            if split == .train { train.append(smiles) } else { valid.append(smiles) }
        }
        return (train, valid, summary)
    }

    /// Issue 18: non-ASCII letters, symbols and inner whitespace used to be dropped by RDKit, so
    /// `CéC` was kept as `C`. Every such line is now an invalid drop, counted with its reason.
    @Test func foreignCharactersAreDroppedAsInvalidNotCanonicalisedAway() throws {
        let folder = try TestPaths.temporaryFolder()
        let lines = ["smiles", "\"CéC\"", "\"C€O\"", "\"CC→O\"", "\"c1ccccc1ñ\"", "\"CC O\"", "\"N\u{00A0}C\"", "CCO", "OCC"]
        try lines.joined(separator: "\n").write(toFile: folder + "/foreign.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(folder + "/foreign.csv", Self.options())
        #expect(result.summary.recordsRead == 8)
        #expect(result.summary.dropped(.invalid) == 6)
        #expect(result.summary.dropped(.duplicate) == 1)
        #expect(result.train + result.valid == ["CCO"])
        let reasons = result.summary.invalidReasons
        #expect(reasons.values.reduce(0, +) == 6)
        #expect(reasons.keys.allSatisfy { $0.contains("is not SMILES syntax") }, "\(reasons)")
    }

    /// dirty.csv: 16 records; 1 empty cell; 4 invalid (2 unparsable, 1 unkekulizable, 1 over-valent);
    /// with canonicalization 3 duplicates (OCC = CCO, CCO again, C1CCCCC1 = C%10CCCCC%10); 1 of 130 tokens.
    @Test func dropsAreCountedByReason() throws {
        let result = try Self.run(TestPaths.fixture("dirty.csv"), Self.options())
        let summary = result.summary
        #expect(summary.recordsRead == 16)
        #expect(summary.dropped(.empty) == 1)
        #expect(summary.dropped(.invalid) == 4)
        #expect(summary.dropped(.duplicate) == 3)
        #expect(summary.dropped(.tooLong) == 1)
        #expect(summary.kept == 7)
        #expect(summary.train + summary.valid == 7)
        #expect(summary.invalidReasons.values.reduce(0, +) == 4)
        #expect(summary.invalidReasons["RDKit could not parse the SMILES: unclosed ring"] == 1)
        #expect(summary.invalidReasons["RDKit could not parse the SMILES: syntax error"] == 1)
        #expect(Set(result.train + result.valid) == ["CCO", "c1cc[nH]c1", "C1CCCCC1", "F/C=C/F", "C[C@H](N)C(=O)O", "[Cl-].[NH4+]", "[13CH4]"])
        #expect(summary.lengths.maximum == 11)
        #expect(summary.tokenCounts["[nH]"] == 1)
    }

    @Test func withoutCanonicalizationOnlyExactCopiesAreDuplicates() throws {
        let result = try Self.run(TestPaths.fixture("dirty.csv"), Self.options(canonicalize: false))
        #expect(result.summary.dropped(.duplicate) == 1)
        #expect(result.summary.kept == 9)
        #expect((result.train + result.valid).contains("OCC"))
        #expect((result.train + result.valid).contains("C%10CCCCC%10"))
    }

    @Test func maxLengthNilKeepsLongMolecules() throws {
        var options = Self.options()
        options.maxLength = nil
        #expect(try Self.run(TestPaths.fixture("dirty.csv"), options).summary.dropped(.tooLong) == 0)
    }

    /// Same seed, same split — for any thread count and chunk size; another seed, another split.
    @Test func splitIsReproducible() throws {
        let path = TestPaths.bundledData("moses-test-10k.smi.gz")
        let reference = try Self.run(path, Self.options(canonicalize: false, dedupe: true, validFraction: 0.1, seed: 42, threads: 2))
        let again = try Self.run(path, Self.options(canonicalize: false, dedupe: true, validFraction: 0.1, seed: 42, threads: 1, chunkSize: 333))
        #expect(again.train == reference.train)
        #expect(again.valid == reference.valid)
        #expect(again.summary == reference.summary)
        let other = try Self.run(path, Self.options(canonicalize: false, dedupe: true, validFraction: 0.1, seed: 43, threads: 2))
        #expect(other.valid != reference.valid)
        #expect(Set(other.train + other.valid) == Set(reference.train + reference.valid))
        // about a tenth goes to validation
        #expect(reference.summary.kept == 10_000)
        #expect((900...1100).contains(reference.valid.count))
    }

    @Test func duplicatesLandOnTheSameSide() {
        for seed: UInt64 in 0..<50 {
            #expect(CorpusSplit.assign("CCO", seed: seed, validFraction: 0.5) == CorpusSplit.assign("CCO", seed: seed, validFraction: 0.5))
        }
        #expect(CorpusSplit.assign("CCO", seed: 3, validFraction: 0) == .train)
        #expect(CorpusSplit.assign("CCO", seed: 3, validFraction: 1) == .valid)
    }

    @Test func writesFilesAndSummary() throws {
        let folder = try TestPaths.temporaryFolder()
        let summary = try CorpusPreparation.run(inputPath: TestPaths.fixture("dirty.csv"), outputDirectory: folder, options: Self.options())
        let train = try SMILESReader.readAll(path: folder + "/train.smi").map(\.smiles)
        let valid = (try? SMILESReader.readAll(path: folder + "/valid.smi").map(\.smiles)) ?? []
        #expect(train.count == summary.train)
        #expect(valid.count == summary.valid)
        let json = try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))
        #expect(try JSONDecoder().decode(CorpusPreparation.Summary.self, from: json) == summary)
    }

    @Test func percentilesUseNearestRank() {
        var histogram = LengthHistogram()
        for length in 1...100 { histogram.add(length) }
        #expect(histogram.percentile(50) == 50)
        #expect(histogram.percentile(90) == 90)
        #expect(histogram.percentile(99) == 99)
        #expect(histogram.maximum == 100)
        #expect(LengthHistogram().percentile(50) == nil)
    }

    @Test func invalidReasonsGroupAtomIndices() {
        #expect(CorpusPreparation.normalizedReason("Can't kekulize mol.  Unkekulized atoms: 0 1 2 3 4")
                == "Can't kekulize mol. Unkekulized atoms: N…")
        #expect(CorpusPreparation.normalizedReason("Explicit valence for atom # 12 N, 4, is greater than permitted")
                == "Explicit valence for atom # N N, N, is greater than permitted")
    }
}
