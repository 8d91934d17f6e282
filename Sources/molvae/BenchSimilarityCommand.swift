import ArgumentParser
import Foundation
import MolVAE

/// Times the all-pairs fingerprint work of `molvae report` (SNN against a reference set, IntDiv1
/// and IntDiv2 within the generated set) apart from reading and fingerprinting, which is what
/// `scripts/bench-report-similarity` compares with MOSES's Python implementation.
struct BenchSimilarity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Time SNN and IntDiv on bit-packed Morgan fingerprints.",
        discussion: """
        Example (full MOSES test set, after scripts/fetch-moses):
          molvae bench similarity --generated gen30k.smi --reference Data/moses-full/test.csv.gz
        Prints one JSON line: molecule counts, seconds per stage, pairs compared, SNN, IntDiv.
        """
    )

    @Option(help: "Generated SMILES file.") var generated: String
    @Option(help: "Reference SMILES file (the MOSES test set).") var reference: String
    @Option(help: "Worker threads; the default is this machine's core count.") var threads = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let generatedSet = try FingerprintSet.morgan1024(path: generated, threads: threads)
        let referenceSet = try FingerprintSet.morgan1024(path: reference, threads: threads).sortedByPopcount()
        let fingerprinting = clock.now - started
        guard generatedSet.count > 0, referenceSet.count > 0 else {
            throw ValidationError("no valid molecules read from \(generated) or \(reference)")
        }
        var snn = 0.0, intDiv1 = 0.0, intDiv2 = 0.0
        let snnTime = clock.measure {
            let best = generatedSet.maxSimilarities(to: referenceSet, threads: threads)
            snn = best.reduce(0, +) / Double(best.count)
        }
        let intDivTime = clock.measure {
            let n = Double(generatedSet.count)
            let sums = generatedSet.similaritySums(threads: threads)
            intDiv1 = 1 - sums.first.reduce(0) { $0 + $1 / n } / n
            intDiv2 = 1 - sums.second.reduce(0) { $0 + ($1 / n).squareRoot() } / n
        }
        let fields: [(String, String)] = [
            ("bench", "\"similarity\""), ("generated", "\(generatedSet.count)"), ("reference", "\(referenceSet.count)"),
            ("threads", "\(threads)"), ("fingerprint_seconds", seconds(fingerprinting)),
            ("snn_seconds", seconds(snnTime)), ("intdiv_seconds", seconds(intDivTime)),
            ("similarity_seconds", seconds(snnTime + intDivTime)),
            ("snn", String(format: "%.6f", snn)), ("intdiv1", String(format: "%.6f", intDiv1)),
            ("intdiv2", String(format: "%.6f", intDiv2)),
        ]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
    }
}
