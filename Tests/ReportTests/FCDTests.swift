import Foundation
import Testing
@testable import MolVAE

/// FCD against MOSES's own `get_all_metrics` (fcd_torch) on the report fixture, the Fréchet
/// distance against closed forms, and the statistics files that keep reference sets' features.
@Suite struct FCDTests {
    struct Expected: Decodable {
        let moses: [String: Double]
        let guacamol_train_reference: [String: Double]
    }

    static let agreement = Bundle.module.url(forResource: "Fixtures/moses-agreement", withExtension: nil)!
    static let chemnetFolder = Bundle.module.url(forResource: "Fixtures/chemnet", withExtension: nil)!

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fcd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func mosesFCDEqualsGetAllMetrics() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.chemnetFolder.appendingPathComponent("expected.json")))
        let path = { (name: String) in Self.agreement.appendingPathComponent(name).path }
        let generated = try EvaluatedSet(path: path("generated.smi"), role: .generated, threads: 2)
        let test = try EvaluatedSet(path: path("test.smi"), role: .reference, threads: 2)
        let scaffolds = try EvaluatedSet(path: path("test_scaffolds.smi"), role: .reference, threads: 2)
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let store = ReferenceStatisticsStore(network: try ChemNet.bundled(), cacheDirectory: cache, threads: 2)
        let fcd = try store.mosesFCD(generated: generated, references: [("Test", test.path, test.sha256), ("TestSF", scaffolds.path, scaffolds.sha256)])
        for suffix in ["Test", "TestSF"] {
            let ours = try #require(fcd[suffix]?.value), theirs = expected.moses["FCD/\(suffix)"]!
            #expect(abs(ours - theirs) <= 1e-3 * theirs, "FCD/\(suffix): ours \(ours), MOSES \(theirs)")
            #expect(fcd[suffix]?.generatedMolecules == 1104 && fcd[suffix]?.referenceMolecules == 1500)
        }
        // The second time the reference statistics come from the cache, to the same value.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
        let again = try store.mosesFCD(generated: generated, references: [("Test", test.path, test.sha256)])
        #expect(again["Test"] == fcd["Test"])

        let report = QualityReport(generated: generated, train: nil, test: test, testScaffolds: scaffolds, fcd: fcd, threads: 2)
        #expect(report.moses["FCD/Test"] == fcd["Test"]!.value)
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(json.contains("\"FCD/TestSF\""))
    }

    /// GuacaMol's FCD benchmark arithmetic (exp(−0.2·FCD)) with fcd_torch's ChemNet against the
    /// same value the fixture records; the `fcd` package's tokeniser moves FCD by under 0.1%.
    @Test func guacamolFCDScoreMatchesTheFixture() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.chemnetFolder.appendingPathComponent("expected.json")))
        let generated = try CanonicalMolecules(path: Self.agreement.appendingPathComponent("generated.smi").path, threads: 2)
        let train = try TrainingSet(path: Self.agreement.appendingPathComponent("train.smi").path, threads: 2)
        let store = ReferenceStatisticsStore(network: try ChemNet.bundled(), cacheDirectory: nil, threads: 2)
        // 4,000 training lines, fewer than GuacaMol's 10,000: all are used (GuacaMol would refuse).
        let guacamol = try GuacaMolFCD(generatedCanonical: generated.smiles, training: train.smiles, trainingSHA256: train.sha256, store: store)
        let fcd = try #require(guacamol.fcd)
        let theirs = expected.guacamol_train_reference["fcd_torch_fcd"]!
        #expect(abs(fcd - theirs) <= 1e-3 * theirs, "ours \(fcd), fcd_torch \(theirs)")
        #expect(abs(guacamol.score! - expected.guacamol_train_reference["fcd_torch_score"]!) <= 1e-4)
        #expect(guacamol.generatedMolecules == 1104 && guacamol.referenceMolecules == 4000)
        // Only the first N valid generated molecules count.
        let fewer = try GuacaMolFCD(generatedCanonical: generated.smiles, training: train.smiles, trainingSHA256: train.sha256, samples: 500, store: store)
        #expect(fewer.generatedMolecules == 500 && fewer.referenceMolecules == 500 && fewer.fcd != guacamol.fcd)
        let package = expected.guacamol_train_reference["fcd_package_fcd"]!
        #expect(abs(package - theirs) / theirs < 1e-3)
    }

    @Test func frechetDistanceHasItsClosedForms() {
        // Identical Gaussians are 0 apart.
        let d = 6
        var covariance = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { covariance[i * d + j] = (i == j ? 2.0 : 0) + 0.3 / Double(1 + abs(i - j)) } }
        let a = ChemNetStatistics(count: 10, mean: [Double](repeating: 0.5, count: d), covariance: covariance)
        #expect(abs(frechetDistance(a, a)) < 1e-9)
        // Diagonal covariances: Σ (√σ1 − √σ2)² plus the squared mean distance.
        let v1 = [1.0, 4.0, 9.0, 0.25, 2.0, 0.0], v2 = [4.0, 1.0, 1.0, 1.0, 8.0, 3.0]
        let diagonal = { (v: [Double]) in (0..<d * d).map { $0 % (d + 1) == 0 ? v[$0 / (d + 1)] : 0.0 } }
        let b = ChemNetStatistics(count: 10, mean: [1, 0, 0, 0, 0, 2], covariance: diagonal(v1))
        let c = ChemNetStatistics(count: 10, mean: [0, 0, 0, 0, 0, 0], covariance: diagonal(v2))
        let closed = 5 + zip(v1, v2).map { ($0.squareRoot() - $1.squareRoot()) * ($0.squareRoot() - $1.squareRoot()) }.reduce(0, +)
        #expect(abs(frechetDistance(b, c) - closed) < 1e-9)
        #expect(abs(frechetDistance(c, b) - closed) < 1e-9)
    }

    @Test func statisticsEqualNumpyMeanAndCovariance() {
        // Rows far from zero: the shifted sums keep the covariance exact.
        let rows = 5, d = 3
        let x: [Float] = [1000.5, 2, -1, 1001.5, 4, 0, 999.5, 3, 1, 1002.5, 5, 3, 1000.5, 1, -3]
        var accumulator = ChemNetStatisticsAccumulator(dimension: d)
        accumulator.add(Array(x[0..<6]), rows: 2)
        accumulator.add(Array(x[6...]), rows: 3)
        let s = accumulator.statistics()!
        #expect(s.count == 5)
        let mean = (0..<d).map { j in (0..<rows).map { Double(x[$0 * d + j]) }.reduce(0, +) / 5 }
        for j in 0..<d { #expect(abs(s.mean[j] - mean[j]) < 1e-9) }
        for i in 0..<d {
            for j in 0..<d {
                let c = (0..<rows).map { (Double(x[$0 * d + i]) - mean[i]) * (Double(x[$0 * d + j]) - mean[j]) }.reduce(0, +) / 4
                #expect(abs(s.covariance[i * d + j] - c) < 1e-9)
            }
        }
        var one = ChemNetStatisticsAccumulator(dimension: d)
        one.add(Array(x[0..<3]), rows: 1)
        #expect(one.statistics() == nil)
        let undefined = FCDValue(generated: nil, generatedCount: 1, reference: s, referenceCount: 5)
        #expect(undefined.value == nil && undefined.reason!.contains("at least 2 valid generated molecules (1 given)"))
    }

    @Test func statisticsFilesAreCheckedNamingTheFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let d = 4
        let statistics = ChemNetStatistics(count: 7, mean: [1, 2, 3, 4], covariance: (0..<16).map { $0 % 5 == 0 ? 1.5 : 0.25 })
        let file = ChemNetStatisticsFile(referenceSHA256: String(repeating: "a", count: 64), networkSHA256: String(repeating: "b", count: 64), statistics: statistics)
        let path = folder + "/x.fcdstats"
        try file.write(to: path)
        guard case .valid(let read) = try ChemNetStatisticsFile.read(from: path, referenceSHA256: file.referenceSHA256, networkSHA256: file.networkSHA256) else {
            Issue.record("not read back"); return
        }
        #expect(read == statistics && read.dimension == d)
        // Another reference file or another network: stale, to be recomputed.
        guard case .stale(let reason) = try ChemNetStatisticsFile.read(from: path, referenceSHA256: String(repeating: "c", count: 64), networkSHA256: file.networkSHA256) else {
            Issue.record("stale file accepted"); return
        }
        #expect(reason.contains("not " + String(repeating: "c", count: 64)))
        guard case .stale = try ChemNetStatisticsFile.read(from: path, referenceSHA256: file.referenceSHA256, networkSHA256: String(repeating: "c", count: 64)) else {
            Issue.record("statistics of another network accepted"); return
        }
        // Damaged: one flipped byte, a truncation, a foreign file.
        let good = file.encoded()
        var flipped = good
        flipped[200] ^= 0x40
        for (name, data, message) in [("flipped", flipped, "checksum"), ("truncated", good.prefix(good.count - 10), "truncated"),
                                      ("foreign", Data("hello".utf8), "truncated"), ("other", Data(repeating: 7, count: good.count), "not a molvae ChemNet statistics file")] {
            let bad = folder + "/\(name).fcdstats"
            try data.write(to: URL(fileURLWithPath: bad))
            #expect(throws: ChemNetStatisticsFileError.self) {
                try ChemNetStatisticsFile.read(from: bad, referenceSHA256: file.referenceSHA256, networkSHA256: file.networkSHA256)
            }
            do { _ = try ChemNetStatisticsFile.read(from: bad, referenceSHA256: file.referenceSHA256, networkSHA256: file.networkSHA256) }
            catch { #expect("\(error)".contains(bad) && "\(error)".contains(message), "\(name): \(error)") }
        }
    }

    /// A stale statistics file beside a reference is ignored and the statistics recomputed into
    /// the cache; a damaged one stops the computation with its name.
    @Test func staleStatisticsAreRecomputedAndDamagedOnesRefused() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = folder + "/ref.smi"
        try "CCO\nc1ccccc1\nCC(=O)O\nCCN\n".write(toFile: reference, atomically: true, encoding: .utf8)
        let network = try ChemNet.bundled()
        let store = ReferenceStatisticsStore(network: network, cacheDirectory: folder + "/cache", threads: 1)
        let smiles = try CanonicalMolecules(path: reference, threads: 1).smiles
        let sha = try SHA256.hexDigest(ofFileAt: reference)
        let fresh = try #require(try store.statistics(forReferenceAt: reference, sha256: sha, canonicalSMILES: { smiles }))
        // A stale file beside the reference (made from other bytes): ignored.
        let stale = ChemNetStatisticsFile(referenceSHA256: String(repeating: "0", count: 64), networkSHA256: network.sha256,
                                          statistics: ChemNetStatistics(count: 2, mean: [Double](repeating: 9, count: 512), covariance: [Double](repeating: 0, count: 512 * 512)))
        try stale.write(to: reference + ".fcdstats")
        var computed = false
        var lines: [String] = []
        let again = try store.statistics(forReferenceAt: reference, sha256: sha, canonicalSMILES: { computed = true; return smiles }, log: { lines.append($0) })
        #expect(again == fresh && !computed, "the cache copy should serve it")
        #expect(lines.contains { $0.contains("ignoring \(reference).fcdstats") })
        // A cache folder that cannot be written: the statistics still come, with a message.
        var messages: [String] = []
        let unwritable = ReferenceStatisticsStore(network: network, cacheDirectory: "/proc/molvae-cannot-write", threads: 1)
        let computedAnyway = try unwritable.statistics(forReferenceAt: reference, sha256: sha, lookBeside: false, canonicalSMILES: { smiles },
                                                       log: { messages.append($0) })
        #expect(computedAnyway == fresh)
        #expect(messages.contains { $0.contains("cannot keep the ChemNet statistics in /proc/molvae-cannot-write/") })
        // Damage the cache copy: an error naming it.
        let cached = try #require(store.cachePath(sha256: sha))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cached))
        bytes[100] ^= 1
        try bytes.write(to: URL(fileURLWithPath: cached))
        do {
            _ = try store.statistics(forReferenceAt: reference, sha256: sha, canonicalSMILES: { smiles })
            Issue.record("damaged cache accepted")
        } catch {
            #expect("\(error)".contains(cached))
        }
    }
}
