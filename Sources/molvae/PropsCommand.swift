import ArgumentParser
import Foundation
import MolVAE

/// `molvae props`: computes RDKit properties (logP, QED, SA, penalized logP, …) for every SMILES
/// in a table and writes one CSV row per input line.
struct PropsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "props",
        abstract: "Compute molecular properties (logP, QED, SA, penalized logP, MW, TPSA, ...) for a SMILES table.",
        discussion: """
            INPUT is .smi/.txt (SMILES then an optional name, whitespace-separated) or .csv (a \
            'smiles' column by header name), optionally gzipped; '-' or nothing reads standard \
            input. Writes CSV with one row per input line, in order: invalid lines have valid=0 \
            and a reason in the error column. A summary goes to standard error.
            """
    )

    @Argument(help: "Input table (.smi, .txt, .csv, optionally .gz); '-' for standard input.")
    var input: String = "-"

    @Option(name: .shortAndLong, help: "Output CSV file, written atomically (default: standard output).")
    var out: String?

    @Option(help: "Worker threads.")
    var threads: Int = defaultThreads

    @Option(help: "Lines scored per parallel chunk; bounds memory.")
    var chunkSize: Int = 4096

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size must be at least 1") }
        try refusePathClashes(inputs: [("INPUT", input)], outputs: [("--out", out)])
    }

    func run() throws {
        let group = ProcessGroup.world
        try RankedRun.run("props", group: group) {
            do {
                try RankAgreement.prepare(group: group, inputs: [input]) {}
                let summary = try PropsRunner.run(inputPath: input, outputPath: out, chunkSize: chunkSize, threads: threads, group: group)
                if group.isRoot {
                    FileHandle.standardError.write(Data((summary.description + (group.usesMPI ? " (\(group.size) ranks)" : "") + "\n").utf8))
                }
            } catch let error as CollectiveError where group.usesMPI {
                throw error
            } catch {
                FileHandle.standardError.write(Data("molvae props: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
