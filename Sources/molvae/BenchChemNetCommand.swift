import ArgumentParser
import Foundation
import MolVAE

/// Times ChemNet's features alone on one thread, the fused LSTM step against the unfused one,
/// interleaved in one process. On a shared machine wall time measures the other jobs as much as
/// ours; the thread's CPU time (CLOCK_THREAD_CPUTIME_ID) counts only this thread's work, so the
/// ratio of CPU times is what the comparison reports.
struct BenchChemNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chemnet",
        abstract: "Time ChemNet on one thread: fused LSTM step against unfused.",
        discussion: """
        Example: molvae bench chemnet --data /tmp/molvae-bench-fcd/generated-30000.smi --n-mols 5000 --rounds 5
        Prints a line per round (CPU and wall seconds of each path) and one JSON line: the medians,
        their ratio and the largest difference between the two paths' features.
        """
    )

    @Option(help: "SMILES file (default: the bundled MOSES test-scaffolds subset).") var data: String?
    @Option(help: "Molecules read from the file (canonicalised first, untimed).") var nMols = 3000
    @Option(help: "Interleaved rounds.") var rounds = 3

    func run() throws {
        let path = try data ?? DataFiles.path(of: "moses-test-scaffolds-10k.smi.gz")
        let records = try SMILESReader.readAll(path: path)
        let smiles = Array(records.prefix(nMols).compactMap { try? Molecule(smiles: $0.smiles).canonicalSMILES })
        guard !smiles.isEmpty else { throw ValidationError("no valid molecules in \(path)") }
        let fused = try ChemNet.bundled(), unfused = try ChemNet.bundled(fusedSteps: false)
        var fusedFeatures: [Float] = [], unfusedFeatures: [Float] = []
        var times: [(fused: (cpu: Double, wall: Double), unfused: (cpu: Double, wall: Double))] = []
        func timed(_ body: () -> Void) -> (cpu: Double, wall: Double) {
            let wall = Date(), cpu = threadCPUSeconds()
            body()
            return (threadCPUSeconds() - cpu, Date().timeIntervalSince(wall))
        }
        for round in 0..<rounds {
            // Alternate which runs first, so that a drift in the load does not favour one.
            var f = (cpu: 0.0, wall: 0.0), u = (cpu: 0.0, wall: 0.0)
            let order = round % 2 == 0 ? [true, false] : [false, true]
            for isFused in order {
                if isFused { f = timed { fusedFeatures = fused.activations(smiles, threads: 1) } }
                else { u = timed { unfusedFeatures = unfused.activations(smiles, threads: 1) } }
            }
            times.append((f, u))
            print(String(format: "round %d: fused cpu %.3f s wall %.3f s | unfused cpu %.3f s wall %.3f s | cpu ratio %.3f",
                         round + 1, f.cpu, f.wall, u.cpu, u.wall, u.cpu / f.cpu))
        }
        let difference = zip(fusedFeatures, unfusedFeatures).map { abs($0 - $1) }.max() ?? 0
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
        let fusedCPU = median(times.map(\.fused.cpu)), unfusedCPU = median(times.map(\.unfused.cpu))
        let fields: [(String, String)] = [
            ("bench", "\"chemnet\""), ("molecules", "\(smiles.count)"), ("rounds", "\(rounds)"),
            ("fused_cpu_median", String(format: "%.3f", fusedCPU)), ("unfused_cpu_median", String(format: "%.3f", unfusedCPU)),
            ("cpu_ratio", String(format: "%.3f", unfusedCPU / fusedCPU)),
            ("fused_cpu_best", String(format: "%.3f", times.map(\.fused.cpu).min()!)),
            ("unfused_cpu_best", String(format: "%.3f", times.map(\.unfused.cpu).min()!)),
            ("max_abs_difference", "\(difference)"),
        ]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    private func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
