import Foundation
import Testing
@testable import MolVAE

/// The reference cache: a hit gives back exactly what was computed, and a changed, damaged or
/// foreign cache file is never trusted.
@Suite struct ReferenceCacheTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures/moses-agreement", withExtension: nil)!

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// A fresh folder per test, so tests never share (or pollute the user's) cache.
    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A reference file with one invalid line, so the invalid lines round-trip too.
    func referenceWithInvalidLine(in folder: String) throws -> String {
        let lines = try String(contentsOfFile: Self.fixture("test.smi"), encoding: .utf8).split(separator: "\n").prefix(300)
        let path = folder + "/test.smi"
        try AtomicFile.write((lines + ["C1CC"] + lines.prefix(5)).joined(separator: "\n") + "\n", to: path)
        return path
    }

    final class Notes: @unchecked Sendable {
        var lines: [String] = []
        func add(_ line: String) { lines.append(line) }
    }

    @Test func defaultDirectoryFollowsTheEnvironmentInOrder() {
        #expect(ReferenceCache.defaultDirectory(environment: ["MOLVAE_CACHE_DIR": "/m", "XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/m")
        #expect(ReferenceCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/molvae")
        #expect(ReferenceCache.defaultDirectory(environment: ["MOLVAE_CACHE_DIR": "", "HOME": "/h"]) == "/h/.cache/molvae")
        let cache = ReferenceCache(directory: "/c")
        let sha = String(repeating: "ab", count: 32)
        #expect(cache.path(sha256: sha, role: "reference", kind: "chemnet", version: 3) == "/c/\(sha).reference.chemnet.v3")
        #expect(cache.url(sha256: sha, role: "train", kind: "strings", version: 1).lastPathComponent == "\(sha).train.strings.v1")
    }

    @Test func trainingSetHitEqualsTheComputedSetBitForBit() throws {
        let cache = ReferenceCache(directory: try folder())
        let notes = Notes()
        let path = Self.fixture("train.smi")
        let clock = ContinuousClock()
        var first: (set: TrainingSet, outcome: ReferenceCache.Outcome?)!
        let missTime = try clock.measure { first = try TrainingSet.load(path: path, threads: 2, cache: cache, note: notes.add) }
        var second: (set: TrainingSet, outcome: ReferenceCache.Outcome?)!
        let hitTime = try clock.measure { second = try TrainingSet.load(path: path, threads: 2, cache: cache, note: notes.add) }
        #expect(first.outcome == .missing(written: true))
        #expect(second.outcome == .hit)
        #expect(notes.lines.isEmpty)
        let plain = try TrainingSet(path: path, threads: 2)
        #expect(second.set.raw == plain.raw && second.set.canonical == plain.canonical)
        #expect(second.set.lineCount == 4000 && second.set.lineCount == plain.lineCount && second.set.validCount == plain.validCount)
        #expect(second.set.sha256 == plain.sha256)
        #expect(second.set.cachePayload() == first.set.cachePayload())
        #expect(hitTime < missTime, "hit \(hitTime), miss \(missTime)")
    }

    @Test func referenceHitEqualsTheComputedStatisticsBitForBit() throws {
        let directory = try folder()
        let cache = ReferenceCache(directory: directory)
        let path = try referenceWithInvalidLine(in: directory)
        let clock = ContinuousClock()
        var first: (file: ReferenceFile, outcome: ReferenceCache.Outcome?)!
        let missTime = try clock.measure { first = try ReferenceFile.load(path: path, threads: 2, cache: cache) { Issue.record("\($0)") } }
        let cacheFile = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".reference.statistics.v1") })
        let written = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + cacheFile))
        var second: (file: ReferenceFile, outcome: ReferenceCache.Outcome?)!
        let hitTime = try clock.measure { second = try ReferenceFile.load(path: path, threads: 2, cache: cache) { Issue.record("\($0)") } }
        #expect(first.outcome == .missing(written: true))
        #expect(second.outcome == .hit)
        #expect(hitTime < missTime, "hit \(hitTime), miss \(missTime)")
        // A hit does not rewrite the file, and decodes to the very bytes that were stored.
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + cacheFile)) == written)
        #expect(second.file.cachePayload() == first.file.cachePayload())

        let plain = ReferenceFile(try EvaluatedSet(path: path, role: .reference, threads: 2))
        #expect(second.file.cachePayload() == plain.cachePayload())
        #expect(second.file.lineCount == 306 && second.file.validCount == 305)
        #expect(second.file.invalid.map(\.line) == [301] && second.file.invalid.first?.reason == .syntax)
        #expect(second.file.statistics.fingerprints.rows == plain.statistics.fingerprints.rows)
        #expect(second.file.statistics.fingerprints.counts == plain.statistics.fingerprints.counts)
        #expect(second.file.statistics.fragments == plain.statistics.fragments)
        #expect(second.file.statistics.scaffolds == plain.statistics.scaffolds)
        #expect(second.file.statistics.properties.logP.map(\.bitPattern) == plain.statistics.properties.logP.map(\.bitPattern))
        #expect(second.file.statistics.properties.qed.map(\.bitPattern) == plain.statistics.properties.qed.map(\.bitPattern))
    }

    @Test func aChangedFileIsRecomputedNotServedFromTheOldCache() throws {
        let directory = try folder()
        let cache = ReferenceCache(directory: directory)
        let path = directory + "/train.smi"
        try AtomicFile.write("CCO\nc1ccccc1\n", to: path)
        let before = try TrainingSet.load(path: path, threads: 1, cache: cache) { Issue.record("\($0)") }
        try AtomicFile.write("CCO\nc1ccccc1\nCCN\n", to: path)
        let after = try TrainingSet.load(path: path, threads: 1, cache: cache) { Issue.record("\($0)") }
        #expect(before.outcome == .missing(written: true))
        #expect(after.outcome == .missing(written: true))  // another sha256, another cache file
        #expect(after.set.raw == ["CCO", "c1ccccc1", "CCN"] && after.set.lineCount == 3)
        #expect(before.set.sha256 != after.set.sha256)

        // A cache file put under the new file's name by hand still carries the old key: stale.
        let key = { (sha: String) in CacheKey(sha256: sha, role: "train", kind: TrainingSet.cacheKind,
                                               version: TrainingSet.cacheVersion, producer: ReferenceCache.producer) }
        let newPath = cache.path(for: key(after.set.sha256))
        try FileManager.default.removeItem(atPath: newPath)
        try FileManager.default.copyItem(atPath: cache.path(for: key(before.set.sha256)), toPath: newPath)
        let notes = Notes()
        let again = try TrainingSet.load(path: path, threads: 1, cache: cache, note: notes.add)
        guard case .replaced(.stale, written: true)? = again.outcome else { Issue.record("\(String(describing: again.outcome))"); return }
        #expect(again.set.raw == ["CCO", "c1ccccc1", "CCN"])
        #expect(notes.lines.count == 1 && notes.lines[0].contains(newPath) && notes.lines[0].contains("stale"))
        #expect(try TrainingSet.load(path: path, threads: 1, cache: cache) { Issue.record("\($0)") }.outcome == .hit)
    }

    /// Damage of every kind gives one line naming the file, then the value computed afresh.
    @Test(arguments: ["flip a payload byte", "truncate", "empty", "not a cache file", "flip a header byte", "append"])
    func aDamagedCacheFileIsReportedAndRecomputed(damage: String) throws {
        let directory = try folder()
        let cache = ReferenceCache(directory: directory)
        let path = try referenceWithInvalidLine(in: directory)
        let first = try ReferenceFile.load(path: path, threads: 2, cache: cache) { Issue.record("\($0)") }
        let cachePath = cache.path(sha256: first.file.sha256, role: "reference", kind: ReferenceFile.cacheKind, version: ReferenceFile.cacheVersion)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cachePath)))
        switch damage {
        case "flip a payload byte": bytes[bytes.count - 100] ^= 0x10
        case "truncate": bytes.removeLast(bytes.count / 2)
        case "empty": bytes = []
        case "not a cache file": bytes = Array("CCO\n".utf8)
        case "flip a header byte": bytes[20] ^= 0x01  // inside the sha256
        default: bytes += [0, 1, 2]
        }
        try Data(bytes).write(to: URL(fileURLWithPath: cachePath))

        let notes = Notes()
        let second = try ReferenceFile.load(path: path, threads: 2, cache: cache, note: notes.add)
        guard case .replaced(.corrupt, written: true)? = second.outcome else { Issue.record("\(damage): \(String(describing: second.outcome))"); return }
        #expect(notes.lines.count == 1)
        #expect(notes.lines.first?.contains("cache file \(cachePath) is corrupt") == true, "\(notes.lines)")
        #expect(second.file.cachePayload() == first.file.cachePayload())
        // The damaged file was replaced by a good one.
        #expect(try ReferenceFile.load(path: path, threads: 2, cache: cache) { Issue.record("\($0)") }.outcome == .hit)
    }

    @Test func anUnwritableCacheIsReportedAndOtherwiseIgnored() throws {
        let blocker = try folder() + "/file"
        try AtomicFile.write("not a folder", to: blocker)
        let notes = Notes()
        let loaded = try TrainingSet.load(path: Self.fixture("train.smi"), threads: 2, cache: ReferenceCache(directory: blocker), note: notes.add)
        #expect(loaded.outcome == .missing(written: false))
        #expect(loaded.set.lineCount == 4000)
        #expect(notes.lines.count == 1 && notes.lines[0].hasPrefix("cannot write cache file \(blocker)/"))
    }

    @Test func reportFromCachedReferencesEqualsReportWithoutCache() throws {
        let cache = ReferenceCache(directory: try folder())
        let generated = try EvaluatedSet(path: Self.fixture("generated.smi"), role: .generated, threads: 2)
        func cached() throws -> QualityReport {
            QualityReport(generated: generated,
                          train: try TrainingSet.load(path: Self.fixture("train.smi"), threads: 2, cache: cache) { Issue.record("\($0)") }.set,
                          test: try ReferenceFile.load(path: Self.fixture("test.smi"), threads: 2, cache: cache) { Issue.record("\($0)") }.file,
                          testScaffolds: try ReferenceFile.load(path: Self.fixture("test_scaffolds.smi"), threads: 2, cache: cache) { Issue.record("\($0)") }.file,
                          threads: 2)
        }
        _ = try cached()  // fills the cache
        let fromCache = try cached()
        let uncached = QualityReport(
            generated: generated, train: try TrainingSet(path: Self.fixture("train.smi"), threads: 2),
            test: try EvaluatedSet(path: Self.fixture("test.smi"), role: .reference, threads: 2),
            testScaffolds: try EvaluatedSet(path: Self.fixture("test_scaffolds.smi"), role: .reference, threads: 2), threads: 2)
        #expect(fromCache.moses.count == 17)
        #expect(fromCache.moses == uncached.moses)  // exact equality, every metric
        #expect(fromCache.uniqueShortfalls == uncached.uniqueShortfalls)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(fromCache.guacamol) == encoder.encode(uncached.guacamol))
        #expect(try encoder.encode(fromCache.inputs) == encoder.encode(uncached.inputs))
        #expect(try encoder.encode(fromCache.invalid) == encoder.encode(uncached.invalid))
    }
}
