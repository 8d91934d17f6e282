/// GuacaMol's distribution-learning definitions of validity, uniqueness and novelty
/// (guacamol/distribution_learning_benchmark.py), applied to a file of generated strings:
/// - validity: valid strings / all strings;
/// - uniqueness: distinct canonical valid molecules / valid strings;
/// - novelty: distinct canonical valid molecules absent from the canonicalized training set /
///   distinct canonical valid molecules.
/// They differ from MOSES in that uniqueness counts all valid molecules, not the first k, and
/// the training set is canonicalized before comparison.
public struct GuacaMolMetrics: Sendable, Codable {
    public let validity: Double
    public let uniqueness: Double
    public let novelty: Double?
    /// The KL-divergence benchmark, against the training set (nil without one).
    public var klDivergence: GuacaMolKLDivergence?
    /// The FCD benchmark against the training set (nil without one, or with --no-fcd).
    public var fcd: GuacaMolFCD?

    enum CodingKeys: String, CodingKey {
        case validity, uniqueness, novelty, fcd
        case klDivergence = "kl_divergence"
    }

    public init(lineCount: Int, validCanonical: [String], canonicalTrain: Set<String>?) {
        let unique = Set(validCanonical)
        validity = lineCount == 0 ? .nan : Double(validCanonical.count) / Double(lineCount)
        uniqueness = validCanonical.isEmpty ? .nan : Double(unique.count) / Double(validCanonical.count)
        novelty = canonicalTrain.map { train in
            unique.isEmpty ? .nan : Double(unique.subtracting(train).count) / Double(unique.count)
        }
    }
}
