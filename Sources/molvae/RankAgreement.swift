import Foundation
import MolVAE

/// Batch commands under mpirun: before any work each rank opens what it needs (`prepare`), and
/// the ranks compare their command lines (apart from --threads, which may follow each machine's
/// cores) and the content of their input files. A rank that failed or differs gives one error,
/// from rank 0, on every rank (ProcessGroup.agree); without MPI `prepare` simply runs.
enum RankAgreement {
    static func prepare<T>(group: ProcessGroup, inputs: [String?], _ prepare: () throws -> T) throws -> T {
        guard group.usesMPI else { return try prepare() }
        var value: T?
        var failure: String?
        var facts: [RankFact] = []
        do {
            for case let path? in inputs where path == "-" {
                throw CommandFailure("under mpirun \(path == "-" ? "standard input" : path) cannot be an input: it reaches rank 0 only; give a file")
            }
            value = try prepare()
            let arguments = commandLineWithoutThreads()
            facts.append(RankFact(name: "command line", digest: arguments, detail: arguments))
            for case let path? in inputs {
                let digest = try SHA256.hexDigest(ofFileAt: path)
                facts.append(RankFact(name: "input \(path)", digest: digest, detail: "sha256 \(digest.prefix(12))"))
            }
        } catch {
            failure = "\(error)"
        }
        try group.agree(failure: failure, facts: facts)
        return value!
    }

    /// This process's arguments without `--threads N` / `--threads=N`.
    static func commandLineWithoutThreads() -> String {
        var out: [String] = []
        var skipNext = false
        for a in CommandLine.arguments.dropFirst() {
            if skipNext { skipNext = false; continue }
            if a == "--threads" { skipNext = true; continue }
            if a.hasPrefix("--threads=") { continue }
            out.append(a)
        }
        return out.joined(separator: " ")
    }
}
