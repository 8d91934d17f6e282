import Foundation
import Testing
@testable import MolVAE

/// `report` under `mpirun -np 2` writes the report one process writes (apart from the timing
/// fields), with the generated lines, the reference files (cold cache) and ChemNet's chunks
/// shared over the ranks; a failure on rank 0 alone is one clear error.
@Suite(.serialized) struct ReportUnderMPITests {
    /// Lines `range` of a bundled MOSES file.
    static func bundledLines(_ name: String, _ range: Range<Int>) throws -> [String] {
        let reader = try SMILESReader(path: try DataFiles.path(of: name))
        let records = try reader.nextBatch(maxCount: range.upperBound)
        return records[range].map(\.smiles)
    }

    /// 700 generated molecules (two ChemNet chunks of 512, so both ranks run one) and lines
    /// that fail in different ways; small train, test and test-scaffold files.
    static func inputs(in dir: String) throws -> (generated: String, train: String, test: String, scaffolds: String) {
        func write(_ lines: [String], _ name: String) throws -> String {
            let path = dir + "/" + name
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        var generated = try bundledLines("moses-test-scaffolds-10k.smi.gz", 0..<700)
        generated.insert("C1CC", at: 10)
        generated.insert("[Xe]", at: 311)
        generated.insert("c1ccccc", at: 500)
        generated.append("CC(C)(C)(C)(C)C")
        return (try write(generated, "generated.smi"),
                try write(try bundledLines("moses-test-10k.smi.gz", 300..<700), "train.smi"),
                try write(try bundledLines("moses-test-10k.smi.gz", 0..<300), "test.smi"),
                try write(try bundledLines("moses-test-scaffolds-10k.smi.gz", 9800..<10000), "scaffolds.smi"))
    }

    /// The JSON report without the fields that hold seconds.
    static func reportWithoutTimings(_ path: String) throws -> NSDictionary? {
        guard let data = FileManager.default.contents(atPath: path),
              var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        object["timings"] = nil
        object["seconds"] = nil
        return object as NSDictionary
    }

    @Test func twoRanksWriteOneProcessReport() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try Self.inputs(in: dir)
        func arguments(_ out: String, _ cache: [String]) -> [String] {
            ["report", "--generated", files.generated, "--train", files.train, "--test", files.test, "--test-scaffolds", files.scaffolds,
             "--guacamol-samples", "100", "--threads", "1", "--out", dir + "/" + out, "--html", dir + "/" + out + ".html"] + cache
        }
        let plain = Launcher.plain(arguments("plain.json", ["--no-cache"]), deadline: 300)
        #expect(plain.status == 0, "plain report: \(plain.error.suffix(1500))")
        // Cold: the reference files and the FCD statistics are computed over the ranks and cached.
        let cold = try Launcher.mpi(2, arguments("cold.json", ["--cache-dir", dir + "/cache"]), deadline: 300)
        #expect(cold.status == 0 && !cold.timedOut, "np2 cold: \(cold.error.suffix(1500))")
        #expect(cold.error.contains("2 ranks share"), "\(cold.error.suffix(800))")
        #expect(cold.error.contains("test: computed, cached") && cold.error.contains("train: computed, cached"), "\(cold.error.suffix(1500))")
        // Warm: rank 0 reads every reference from the cache, the other rank is told so.
        let warm = try Launcher.mpi(2, arguments("warm.json", ["--cache-dir", dir + "/cache"]), deadline: 300)
        #expect(warm.status == 0 && !warm.timedOut, "np2 warm: \(warm.error.suffix(1500))")
        #expect(warm.error.contains("test_scaffolds: from cache") && warm.error.contains("train: from cache"), "\(warm.error.suffix(1500))")

        let expected = try Self.reportWithoutTimings(dir + "/plain.json")
        #expect(expected != nil)
        #expect(try Self.reportWithoutTimings(dir + "/cold.json") == expected, "np2 (cold cache) report differs from the plain one")
        #expect(try Self.reportWithoutTimings(dir + "/warm.json") == expected, "np2 (warm cache) report differs from the plain one")
        // The report is not trivial: every stage ran, every reference was used.
        let moses = expected?["moses"] as? [String: Any]
        for name in ["valid", "FCD/Test", "FCD/TestSF", "SNN/TestSF", "Novelty", "Filters"] {
            #expect(moses?[name] is Double, "\(name) missing from the plain report")
        }
        #expect(((expected?["invalid"] as? [String: Any])?["total"] as? Int) == 3)
        #expect(((expected?["guacamol"] as? [String: Any])?["fcd"] as? [String: Any])?["fcd"] is Double)
        #expect(FileManager.default.fileExists(atPath: dir + "/cold.json.html"))
    }

    @Test func anUnwritableOutputIsOneErrorNotAnAbort() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let generated = dir + "/generated.smi"
        try (try Self.bundledLines("moses-test-10k.smi.gz", 0..<40).joined(separator: "\n") + "\n")
            .write(toFile: generated, atomically: true, encoding: .utf8)
        // A folder that cannot exist (a file is in the way), even for root.
        let target = generated + "/report.json"
        let o = try Launcher.mpi(2, ["report", "--generated", generated, "--no-fcd", "--threads", "1", "--out", target], deadline: 120)
        #expect(!o.timedOut && o.status != 0, "status \(o.status): \(o.error.suffix(1500))")
        #expect(o.error.components(separatedBy: "molvae report:").count == 2, "want one error: \(o.error)")
        #expect(o.error.contains("generated.smi/report.json"), "the error should name the output: \(o.error)")
        #expect(!o.error.contains("MPI_ABORT"), "a rank-0 failure should not abort the job: \(o.error)")
    }
}
