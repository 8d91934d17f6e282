import Foundation
import Testing
@testable import MolVAE

@Suite struct SAScoreTests {
    /// Contrib's own expectations (SA_Score/data/zim.100.txt), given to three decimals.
    @Test func reproducesContribZincExpectations() throws {
        let text = try String(contentsOf: fixtureURL("sa_zim100.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t")
            guard f.count == 3, let expected = Double(f[2]) else { continue }
            let score = try Molecule(smiles: String(f[0])).syntheticAccessibility()
            #expect(abs(score - expected) <= 0.0005 + 1e-9, "\(f[1]): \(score) vs \(expected)")
            checked += 1
        }
        #expect(checked == 100)
    }

    @Test func tableHasContribSize() throws {
        // 3549 scores over 705292 ids in fpscores.pkl.gz; duplicates collapse to distinct ids.
        let ids = try SAFragmentTable.ensureLoaded()
        #expect(ids > 700_000 && ids <= 705_292)
    }

    @Test func missingTableFileIsAClearError() {
        #expect {
            try SAFragmentTable.install(from: "/nonexistent/sa_fragment_scores.txt.gz")
        } throws: { error in
            "\(error)".contains("/nonexistent/sa_fragment_scores.txt.gz")
        }
    }

    @Test func missingDataFileNamesSearchedFolders() {
        #expect {
            try DataFiles.path(of: "no-such-file.txt")
        } throws: { error in
            let text = "\(error)"
            return text.contains("no-such-file.txt") && text.contains("MOLVAE_DATA") && text.contains("/Data")
        }
    }

    @Test func dataFolderOverrideComesFirst() throws {
        let folder = NSTemporaryDirectory() + "molvae-data-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/probe.txt", contents: Data("x".utf8))
        setenv("MOLVAE_DATA", folder, 1)
        defer { unsetenv("MOLVAE_DATA") }
        #expect(DataFiles.candidateFolders().first == folder)
        #expect(try DataFiles.path(of: "probe.txt") == folder + "/probe.txt")
        // Files not in the override are still found in the package's Data folder.
        #expect(try DataFiles.path(of: SAFragmentTable.fileName).hasSuffix("/Data/" + SAFragmentTable.fileName))
    }

    @Test func penalizedLogPForms() {
        // logP 2, SA 3, ring of 8: raw = 2 - 3 - 2
        #expect(PenalizedLogP.raw(logP: 2, syntheticAccessibility: 3, largestRingSize: 8) == -3)
        #expect(PenalizedLogP.cyclePenalty(largestRingSize: 0) == 0)
        #expect(PenalizedLogP.cyclePenalty(largestRingSize: 6) == 0)
        let n = PenalizedLogP.normalized(logP: 2.4570953396190123, syntheticAccessibility: 3.0525811293166134, largestRingSize: 6)
        #expect(abs(n - 0.0485696876403053 / 0.2860212110245455) < 1e-12)
    }
}
