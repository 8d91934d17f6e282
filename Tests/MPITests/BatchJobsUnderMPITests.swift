import Foundation
import Testing

/// `props`, `sample`, `encode` and `score` under `mpirun -np 2` write the same bytes as one
/// process (each rank a share of the work, rank 0 writing in input order).
@Suite(.serialized) struct BatchJobsUnderMPITests {
    /// The sixty fixture molecules plus lines that fail in different ways, so that failures
    /// land on both ranks.
    static func input(in dir: String) throws -> String {
        let path = dir + "/input.smi"
        var text = try String(contentsOfFile: Launcher.fixture("sixty.smi"), encoding: .utf8)
        text = text.split(separator: "\n").enumerated().flatMap { i, line in
            i == 7 ? [String(line), "C1CC not-a-ring"] : i == 30 ? [String(line), "[Xe]"] : [String(line)]
        }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `arguments` (with OUT standing for the output file) plainly and under two ranks;
    /// both must succeed and write identical, non-trivial files.
    static func expectSameBytes(_ arguments: [String], in dir: String, name: String, rows: Int) throws {
        func with(_ out: String) -> [String] { arguments.map { $0 == "OUT" ? out : $0 } }
        let plain = Launcher.plain(with(dir + "/\(name)-1.csv"))
        #expect(plain.status == 0, "\(name) plain: \(plain.error.suffix(1500))")
        let two = try Launcher.mpi(2, with(dir + "/\(name)-2.csv"), deadline: 120)
        #expect(two.status == 0 && !two.timedOut, "\(name) np2: \(two.error.suffix(1500))")
        let a = FileManager.default.contents(atPath: dir + "/\(name)-1.csv")
        let b = FileManager.default.contents(atPath: dir + "/\(name)-2.csv")
        #expect(a != nil && a == b, "\(name): the two-rank output differs from one process's")
        let lines = a.map { String(decoding: $0, as: UTF8.self).split(separator: "\n").count } ?? 0
        #expect(lines == rows, "\(name): \(lines) lines, expected \(rows)")
    }

    @Test func outputsAreByteIdentical() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try Self.input(in: dir)
        // Small chunks and batches so that the work really is split into several rounds.
        try Self.expectSameBytes(["props", input, "--out", "OUT", "--threads", "1", "--chunk-size", "9"], in: dir, name: "props", rows: 63)
        try Self.expectSameBytes(["sample", "--n", "70", "--batch", "16", "--threads", "1", "--seed", "5", "--out", "OUT"],
                                 in: dir, name: "sample", rows: 71)
        try Self.expectSameBytes(["encode", "--input", input, "--sample", "--seed", "2", "--batch", "8", "--threads", "1", "--out", "OUT"],
                                 in: dir, name: "encode", rows: 61)
        try Self.expectSameBytes(["score", "--input", input, "--samples", "2", "--reference-size", "20", "--batch", "8", "--threads", "1",
                                  "--out", "OUT"], in: dir, name: "score", rows: 63)
        // --failures of encode as well.
        let failures = ["encode", "--input", input, "--batch", "8", "--threads", "1", "--out", dir + "/e.csv", "--failures", "OUT"]
        try Self.expectSameBytes(failures, in: dir, name: "encode-failures", rows: 3)
    }

    @Test func aMissingInputOnOneRankIsOneClearError() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try Self.input(in: dir)
        let o = try Launcher.mpi(perRank: [["props", input, "--out", dir + "/p.csv"], ["props", dir + "/absent.smi", "--out", dir + "/p.csv"]],
                                 deadline: 60)
        #expect(!o.timedOut && o.status != 0)
        #expect(o.error.components(separatedBy: "do not agree").count == 2, "want one report: \(o.error)")
        #expect(o.error.contains("rank 1:") && o.error.contains("absent.smi"), "\(o.error)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/p.csv"))
    }

    /// An output rank 0 cannot create (a file stands where its folder should be) fails on rank 0
    /// alone; every rank learns it, so the job ends with one error and no MPI_Abort.
    @Test(arguments: ["props", "encode", "score", "sample"])
    func anOutputRankZeroCannotCreateIsOneError(command: String) throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try Self.input(in: dir)
        let out = input + "/out.csv"
        let arguments: [String] = switch command {
        case "props": ["props", input, "--out", out, "--threads", "1"]
        case "sample": ["sample", "--n", "10", "--threads", "1", "--out", out]
        default: [command, "--input", input, "--threads", "1", "--out", out]
        }
        let o = try Launcher.mpi(2, arguments, deadline: 120)
        #expect(!o.timedOut && o.status != 0, "\(command): status \(o.status): \(o.error.suffix(1500))")
        #expect(o.error.components(separatedBy: "molvae \(command)").count == 2, "\(command): want one error: \(o.error)")
        #expect(o.error.contains("input.smi/out.csv"), "\(command): the error should name the output: \(o.error)")
        #expect(!o.error.contains("MPI_ABORT"), "\(command): \(o.error)")
    }
}
