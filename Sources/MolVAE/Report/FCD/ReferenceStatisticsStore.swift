import Foundation

/// Finds, or computes once and keeps, the ChemNet statistics of a reference file (a MOSES test
/// set, a training sample), keyed by the file's sha256 and the network's:
///
/// 1. `<reference path>.fcdstats` beside the reference (shipped for the bundled test sets,
///    written by scripts/fetch-moses for the full MOSES sets);
/// 2. `<cache folder>/<sha256>.fcdstats`.
///
/// A file made from other bytes or another network is stale and skipped (then recomputed,
/// never trusted); a damaged one is an error naming it. What is computed is written to the cache
/// folder, atomically, when there is one (a folder that cannot be written is reported through
/// `log` and otherwise ignored).
public struct ReferenceStatisticsStore: Sendable {
    public let network: ChemNet
    public let cacheDirectory: String?
    public let threads: Int

    public init(network: ChemNet, cacheDirectory: String?, threads: Int) {
        self.network = network
        self.cacheDirectory = cacheDirectory
        self.threads = threads
    }

    /// Where a computed statistics file for `sha256` goes (nil without a cache folder).
    public func cachePath(sha256: String) -> String? {
        cacheDirectory.map { ($0 as NSString).appendingPathComponent("\(sha256).\(ChemNetStatisticsFile.pathExtension)") }
    }

    /// The statistics of the reference file at `path` (digest `sha256`), from a stored file when
    /// a valid one exists, else from `canonicalSMILES()` through ChemNet. Nil below two molecules.
    /// `log` hears what happened (found, stale, computed). `lookBeside` false skips step 1, for
    /// references that are not a file of their own (a draw from a training file).
    public func statistics(forReferenceAt path: String, sha256: String, lookBeside: Bool = true, canonicalSMILES: () throws -> [String],
                           log: (String) -> Void = { _ in }) throws -> ChemNetStatistics? {
        if let stored = try storedStatistics(forReferenceAt: path, sha256: sha256, lookBeside: lookBeside, log: log) { return stored }
        let started = ContinuousClock.now
        let smiles = try canonicalSMILES()
        guard let statistics = network.statistics(of: smiles, threads: threads) else { return nil }
        log(String(format: "ChemNet statistics of %@: %d molecules in %.1f s", path, smiles.count, MolVAE.seconds(since: started)))
        keep(statistics, sha256: sha256, log: log)
        return statistics
    }

    /// Step 1 and 2 of `statistics(forReferenceAt:...)`: a valid stored file's statistics, or nil.
    func storedStatistics(forReferenceAt path: String, sha256: String, lookBeside: Bool, log: (String) -> Void) throws -> ChemNetStatistics? {
        let beside = lookBeside ? [path + "." + ChemNetStatisticsFile.pathExtension] : []
        let candidates = beside + [cachePath(sha256: sha256)].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            switch try ChemNetStatisticsFile.read(from: candidate, referenceSHA256: sha256, networkSHA256: network.sha256) {
            case .valid(let statistics):
                log("ChemNet statistics of \(path) from \(candidate)")
                return statistics
            case .stale(let reason):
                log("ignoring \(candidate): \(reason)")
            }
        }
        return nil
    }

    /// Writes computed statistics to the cache folder, if there is one.
    func keep(_ statistics: ChemNetStatistics, sha256: String, log: (String) -> Void) {
        guard let target = cachePath(sha256: sha256) else { return }
        // A cache that cannot be written costs the next run time, never this run its result
        // (as for the other cached reference artefacts).
        do {
            try FileManager.default.createDirectory(atPath: cacheDirectory!, withIntermediateDirectories: true)
            try ChemNetStatisticsFile(referenceSHA256: sha256, networkSHA256: network.sha256, statistics: statistics).write(to: target)
        } catch {
            log("cannot keep the ChemNet statistics in \(target): \(error)")
        }
    }
}

/// The Fréchet ChemNet Distance of generated molecules against reference statistics, or why it
/// is undefined.
public struct FCDValue: Sendable, Codable, Equatable {
    /// Nil when undefined (see `reason`).
    public let value: Double?
    public let generatedMolecules: Int
    public let referenceMolecules: Int
    public let reason: String?

    public init(generated: ChemNetStatistics?, generatedCount: Int, reference: ChemNetStatistics?, referenceCount: Int) {
        generatedMolecules = generatedCount
        referenceMolecules = reference?.count ?? referenceCount
        if let generated, let reference {
            let distance = frechetDistance(reference, generated)
            value = distance.isFinite ? distance : nil
            reason = distance.isFinite ? nil : "the matrix square root did not converge, even with 1e-6 added to the diagonals"
        } else {
            value = nil
            reason = generated == nil ? "FCD needs at least 2 valid generated molecules (\(generatedCount) given)"
                : "FCD needs at least 2 valid reference molecules (\(referenceCount) given)"
        }
    }
}

extension ReferenceStatisticsStore {
    /// FCD/Test and FCD/TestSF as MOSES computes them: every valid generated molecule in
    /// canonical form (duplicates kept) against each reference file's statistics (read again and
    /// canonicalised only when no stored statistics serve). The generated features are computed
    /// once for all references, or passed in as `generatedStatistics` when the caller has them.
    public func mosesFCD(generated: EvaluatedSet, references: [(suffix: String, path: String, sha256: String)],
                         generatedStatistics given: ChemNetStatistics?? = nil,
                         log: (String) -> Void = { _ in }) throws -> [String: FCDValue] {
        guard !references.isEmpty else { return [:] }
        let smiles = generated.valid.map(\.canonicalSMILES)
        let generatedStatistics: ChemNetStatistics?
        if let given {
            generatedStatistics = given
        } else {
            let started = ContinuousClock.now
            generatedStatistics = network.statistics(of: smiles, threads: threads)
            log(String(format: "ChemNet features of %d generated molecules in %.1f s", smiles.count, MolVAE.seconds(since: started)))
        }
        var values: [String: FCDValue] = [:]
        for (suffix, path, sha256) in references {
            var referenceCount = 0
            let reference = try statistics(forReferenceAt: path, sha256: sha256, canonicalSMILES: {
                let molecules = try CanonicalMolecules(path: path, threads: threads)
                referenceCount = molecules.smiles.count
                return molecules.smiles
            }, log: log)
            values[suffix] = FCDValue(generated: generatedStatistics, generatedCount: smiles.count,
                                      reference: reference, referenceCount: referenceCount)
        }
        return values
    }
}
