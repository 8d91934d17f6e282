import Foundation

/// GuacaMol's FCD benchmark (guacamol/frechet_benchmark.py, `FrechetBenchmark`) on a file of
/// generated SMILES: the first `samples` valid generated molecules (duplicates kept, as
/// `sample_valid_molecules` returns them) against GuacaMol's seeded draw of `samples` training
/// lines (`get_random_subset(training, samples, seed=42)`, NumPy's legacy generator, reproduced
/// exactly), both canonicalised; score = exp(−0.2 · FCD).
///
/// GuacaMol runs ChemNet through the `fcd` package, whose tokeniser differs a little from
/// fcd_torch's (it reads past a '.', and splits unknown two-letter symbols in two). molvae keeps
/// one ChemNet, fcd_torch's, for every FCD it reports; on the test fixture the two packages'
/// FCD differ by 0.07% (docs/REPORT.md).
public struct GuacaMolFCD: Sendable, Codable, Equatable {
    public let fcd: Double?
    public let score: Double?
    public let generatedMolecules: Int
    public let referenceMolecules: Int
    public let reason: String?

    enum CodingKeys: String, CodingKey {
        case fcd, score, reason
        case generatedMolecules = "generated_molecules"
        case referenceMolecules = "reference_molecules"
    }

    /// `trainingSHA256` keys the cached statistics of the training draw.
    public init(generatedCanonical: [String], training: [String], trainingSHA256: String, samples: Int = GuacaMolKLDivergence.defaultSamples,
                seed: UInt32 = GuacaMolKLDivergence.defaultSeed, store: ReferenceStatisticsStore, log: (String) -> Void = { _ in }) throws {
        let generated = Array(generatedCanonical.prefix(samples))
        try self.init(generatedStatistics: store.network.statistics(of: generated, threads: store.threads), generatedCount: generated.count,
                      training: training, trainingSHA256: trainingSHA256, samples: samples, seed: seed, store: store, log: log)
    }

    /// The same from the statistics of the first `samples` valid generated molecules, when the
    /// caller computed them already (`ChemNet.statistics(of:threads:prefix:)`).
    public init(generatedStatistics: ChemNetStatistics?, generatedCount: Int, training: [String], trainingSHA256: String,
                samples: Int = GuacaMolKLDivergence.defaultSamples, seed: UInt32 = GuacaMolKLDivergence.defaultSeed,
                store: ReferenceStatisticsStore, log: (String) -> Void = { _ in }) throws {
        let drawn = Self.draw(from: training, samples: samples, seed: seed)
        var referenceCount = 0
        let reference = try store.statistics(forReferenceAt: Self.referenceName(samples: samples, seed: seed),
                                             sha256: Self.referenceKey(trainingSHA256: trainingSHA256, samples: samples, seed: seed),
                                             lookBeside: false, canonicalSMILES: {
            let canonical = MoleculeCanonicaliser.canonical(drawn, threads: store.threads).compactMap { $0 }
            referenceCount = canonical.count
            return canonical
        }, log: log)
        self.init(FCDValue(generated: generatedStatistics, generatedCount: generatedCount,
                           reference: reference, referenceCount: referenceCount))
    }

    init(_ value: FCDValue) {
        fcd = value.value
        score = value.value.map { exp(-0.2 * $0) }
        generatedMolecules = value.generatedMolecules
        referenceMolecules = value.referenceMolecules
        reason = value.reason
    }

    /// GuacaMol's reference molecules: its seeded draw of `samples` training lines, or every
    /// line when there are fewer.
    static func draw(from training: [String], samples: Int, seed: UInt32) -> [String] {
        training.count >= samples
            ? NumPyLegacyRandom.choiceWithoutReplacement(from: training.count, count: samples, seed: seed).map { training[$0] }
            : training
    }

    /// The draw is a function of the file, the sample size and the seed: its statistics are
    /// cached under a digest of the three.
    static func referenceKey(trainingSHA256: String, samples: Int, seed: UInt32) -> String {
        SHA256.hexDigest(of: Array("guacamol-fcd-reference:\(trainingSHA256):\(samples):\(seed)".utf8))
    }

    static func referenceName(samples: Int, seed: UInt32) -> String { "GuacaMol draw of \(samples) training lines (seed \(seed))" }
}
