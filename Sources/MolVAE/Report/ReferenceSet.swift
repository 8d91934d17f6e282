/// The statistics of a reference set (MOSES test or test-scaffolds) that generated molecules
/// are compared against; computed once, like MOSES's `compute_intermediate_statistics`.
public struct ReferenceSet: Sendable {
    public let moleculeCount: Int
    /// Sorted by popcount for the pruned nearest-neighbour search.
    public let fingerprints: FingerprintSet
    public let fragments: [String: Int]
    public let scaffolds: [String: Int]
    public let properties: PropertySamples

    public init(features: [MoleculeFeatures]) {
        moleculeCount = features.count
        fingerprints = FingerprintSet(words: 16, rows: features.flatMap(\.morgan1024)).sortedByPopcount()
        fragments = countOccurrences(features.lazy.flatMap(\.fragments))
        scaffolds = countOccurrences(features.lazy.compactMap(\.scaffold))
        properties = PropertySamples(features: features)
    }

    init(moleculeCount: Int, fingerprints: FingerprintSet, fragments: [String: Int], scaffolds: [String: Int],
         properties: PropertySamples) {
        self.moleculeCount = moleculeCount
        self.fingerprints = fingerprints
        self.fragments = fragments
        self.scaffolds = scaffolds
        self.properties = properties
    }
}

/// The four property samples MOSES compares by Wasserstein distance.
public struct PropertySamples: Sendable {
    public var logP: [Double]
    public var sa: [Double]
    public var qed: [Double]
    public var weight: [Double]

    public init(features: [MoleculeFeatures]) {
        logP = features.map(\.logP)
        sa = features.map(\.sa)
        qed = features.map(\.qed)
        weight = features.map(\.molecularWeight)
    }

    init(logP: [Double], sa: [Double], qed: [Double], weight: [Double]) {
        self.logP = logP
        self.sa = sa
        self.qed = qed
        self.weight = weight
    }

    /// MOSES's names for the four properties, with their samples.
    public var named: [(name: String, values: [Double])] {
        [("logP", logP), ("SA", sa), ("QED", qed), ("weight", weight)]
    }
}

func countOccurrences<S: Sequence>(_ items: S) -> [String: Int] where S.Element == String {
    var counts: [String: Int] = [:]
    for item in items { counts[item, default: 0] += 1 }
    return counts
}
