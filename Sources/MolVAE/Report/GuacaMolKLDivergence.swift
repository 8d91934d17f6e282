import Foundation

/// GuacaMol's distribution-learning "KL divergence" benchmark (guacamol 0.5.5,
/// `KLDivBenchmark.assess_model`): for the nine physico-chemical descriptors and the internal
/// ECFP4 nearest-neighbour similarity, the KL divergence of the generated molecules'
/// distribution from the reference's (continuous descriptors and the similarity through Gaussian
/// KDEs, counts through histograms); the score is the mean of exp(-KL) over the ten, in [0, 1],
/// higher is closer. Molecules: `GuacaMolSampling`. NaN where the Python code would raise.
public struct GuacaMolKLDivergence: Codable, Sendable {
    /// GuacaMol's benchmark size (`number_samples` of its distribution-learning suite).
    public static let defaultSamples = 10_000
    /// The seed `KLDivBenchmark` hard-codes for its training-set draw.
    public static let defaultSeed: UInt32 = 42
    /// The tenth divergence's name, after GuacaMol's metadata.
    public static let internalSimilarityName = "internal_similarity"

    public let score: Double
    /// Descriptor name (GuacaMol's) → KL divergence.
    public let klDivergences: [String: Double]
    public let numberSamples: Int
    public let seed: UInt32
    /// Distinct molecules compared on each side, after stereo is removed.
    public let generatedMolecules: Int
    public let referenceMolecules: Int

    enum CodingKeys: String, CodingKey {
        case score
        case klDivergences = "kl_divs"
        case numberSamples = "number_samples"
        case seed
        case generatedMolecules = "generated_molecules"
        case referenceMolecules = "reference_molecules"
    }

    /// `generatedCanonical`: the generated file's valid molecules' canonical SMILES in file order;
    /// `training`: the training file's SMILES in file order.
    public init(generatedCanonical: [String], training: [String], samples: Int = defaultSamples,
                seed: UInt32 = defaultSeed, threads: Int) {
        let generated = GuacaMolSampling.generated(canonical: generatedCanonical, count: samples, threads: threads)
        let reference = GuacaMolSampling.reference(training: training, count: samples, seed: seed, threads: threads)
        self.init(generated: GuacaMolProfile(smiles: generated, threads: threads),
                  reference: GuacaMolProfile(smiles: reference, threads: threads), samples: samples, seed: seed, threads: threads)
    }

    init(generated: GuacaMolProfile, reference: GuacaMolProfile, samples: Int, seed: UInt32, threads: Int) {
        var names: [String] = [], values: [Double] = []
        for (d, name) in GuacaMolDescriptors.names.enumerated() {
            let kl = d < 4
                ? KLDivergence.continuous(baseline: reference.columns[d], sampled: generated.columns[d], threads: threads)
                : KLDivergence.discrete(baseline: reference.columns[d], sampled: generated.columns[d])
            names.append(name)
            values.append(kl)
        }
        names.append(Self.internalSimilarityName)
        values.append(KLDivergence.continuous(baseline: reference.internalSimilarity, sampled: generated.internalSimilarity,
                                              threads: threads))
        // Summed in GuacaMol's order (its dict's), then divided by ten.
        score = values.reduce(0) { $0 + exp(-$1) } / Double(values.count)
        klDivergences = Dictionary(uniqueKeysWithValues: zip(names, values))
        numberSamples = samples
        self.seed = seed
        generatedMolecules = generated.columns[0].count
        referenceMolecules = reference.columns[0].count
    }
}
