import ArgumentParser
import Foundation
import MolVAE

struct FCDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcd",
        abstract: "The Fréchet ChemNet Distance between two SMILES files.",
        discussion: """
        Computes FCD as MOSES (fcd_torch 1.0.7) does: every valid line of each file in RDKit's \
        canonical form, duplicates kept; ChemNet's 512 features; the Fréchet distance between \
        the two Gaussians (means, covariances with N - 1). Invalid lines are counted and left \
        out. The reference's statistics are kept (REFERENCE.fcdstats beside it or \
        SHA256.fcdstats in the cache folder) so the next call against it costs nothing.

        Example:
          molvae fcd samples.csv Data/moses-test-10k.smi.gz
        """
    )

    @Argument(help: "Generated SMILES (.smi/.txt/.csv with a smiles column, optionally .gz).")
    var generated: String

    @Argument(help: "Reference SMILES.")
    var reference: String

    @Option(name: .long, help: "Worker threads; the default is this machine's core count.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "ChemNet weights (default: the bundled Data/chemnet-v0.13.safetensors).")
    var chemnet: String?

    @OptionGroup var caching: CacheOptions

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let network = try chemnet.map { try ChemNet(contentsOf: $0) } ?? ChemNet.bundled()
        let store = ReferenceStatisticsStore(network: network, cacheDirectory: caching.cache?.directory, threads: threads)
        func log(_ line: String) { FileHandle.standardError.write(Data("fcd: \(line)\n".utf8)) }

        var stage = Date()
        let generatedSet = try CanonicalMolecules(path: generated, threads: threads)
        let readSeconds = Date().timeIntervalSince(stage)
        stage = Date()
        let generatedStatistics = network.statistics(of: generatedSet.smiles, threads: threads)
        let chemnetSeconds = Date().timeIntervalSince(stage)
        log(String(format: "%@: %d lines, %d valid; read and canonicalised in %.1f s, ChemNet in %.1f s (%.0f molecules/s)",
                   generated, generatedSet.lineCount, generatedSet.smiles.count, readSeconds, chemnetSeconds,
                   Double(generatedSet.smiles.count) / max(chemnetSeconds, 1e-9)))

        let referenceDigest = try SHA256.hexDigest(ofFileAt: reference)
        var referenceCount = 0
        let referenceStatistics = try store.statistics(forReferenceAt: reference, sha256: referenceDigest, canonicalSMILES: {
            let set = try CanonicalMolecules(path: reference, threads: threads)
            if set.invalidCount > 0 { log("\(reference): \(set.invalidCount) of \(set.lineCount) lines are not valid molecules and are left out") }
            referenceCount = set.smiles.count
            return set.smiles
        }, log: log)
        let value = FCDValue(generated: generatedStatistics, generatedCount: generatedSet.smiles.count,
                             reference: referenceStatistics, referenceCount: referenceCount)
        guard let fcd = value.value else { throw ValidationError("FCD is undefined: \(value.reason ?? "unknown reason")") }
        print(String(format: "%.6f", fcd))
        log(String(format: "FCD %.6f (%d generated, %d reference molecules); %.1f s in all", fcd, value.generatedMolecules,
                   value.referenceMolecules, Date().timeIntervalSince(started)))
    }
}
