/// The MOSES distribution-learning metrics (moses/metrics/metrics.py `get_all_metrics`, without
/// FCD), under MOSES's own names so that JSON reports can be compared line by line.
///
/// As in MOSES, every metric after validity is computed on the valid molecules in their
/// canonical form with duplicates kept; unique@k looks at the first k of them.
public struct MosesMetrics: Sendable {
    /// Metric name → value, in MOSES's order. NaN where MOSES gives NaN (for example Scaf when
    /// no generated molecule has a two-ring scaffold).
    public private(set) var values: [(name: String, value: Double)] = []
    /// unique@k entries computed on fewer than k valid molecules (MOSES warns about these).
    public private(set) var uniqueShortfalls: [(k: Int, available: Int)] = []
    /// Seconds spent in the all-pairs fingerprint work (SNN against each reference, IntDiv).
    public private(set) var similaritySeconds = 0.0

    public subscript(name: String) -> Double? { values.first { $0.name == name }?.value }

    /// - Parameters:
    ///   - lineCount: how many generated strings there were, valid or not.
    ///   - valid: the valid ones, in input order.
    ///   - train: training SMILES exactly as given (MOSES compares canonical generated SMILES
    ///     with the training strings without canonicalizing them).
    public init(lineCount: Int, valid: [MoleculeFeatures], train: Set<String>?,
                test: ReferenceSet?, testScaffolds: ReferenceSet?, threads: Int) {
        values.append(("valid", lineCount == 0 ? .nan : Double(valid.count) / Double(lineCount)))
        for k in [1000, 10000] {
            let head = valid.prefix(k)
            if head.count < k { uniqueShortfalls.append((k, head.count)) }
            let unique = Set(head.map(\.canonicalSMILES)).count
            values.append(("unique@\(k / 1000)k", head.isEmpty ? .nan : Double(unique) / Double(head.count)))
        }

        let fingerprints = FingerprintSet(words: 16, rows: valid.flatMap(\.morgan1024))
        let fragments = countOccurrences(valid.lazy.flatMap(\.fragments))
        let scaffolds = countOccurrences(valid.lazy.compactMap(\.scaffold))
        for (suffix, reference) in [("Test", test), ("TestSF", testScaffolds)] {
            guard let reference else { continue }
            let started = ContinuousClock.now
            let nearest = fingerprints.maxSimilarities(to: reference.fingerprints, threads: threads)
            similaritySeconds += seconds(since: started)
            values.append(("SNN/\(suffix)", mean(nearest)))
            values.append(("Frag/\(suffix)", cosineSimilarity(reference.fragments, fragments)))
            values.append(("Scaf/\(suffix)", cosineSimilarity(reference.scaffolds, scaffolds)))
        }

        let started = ContinuousClock.now
        let diversity = internalDiversity(fingerprints, threads: threads)
        values.append(("IntDiv", diversity.first))
        values.append(("IntDiv2", diversity.second))
        similaritySeconds += seconds(since: started)
        values.append(("Filters", valid.isEmpty ? .nan : Double(valid.filter { $0.passesFilters == true }.count) / Double(valid.count)))

        if let test {
            let generated = PropertySamples(features: valid)
            for ((name, ours), (_, theirs)) in zip(generated.named, test.properties.named) {
                values.append((name, wassersteinDistance(theirs, ours)))
            }
        }
        if let train {
            let unique = Set(valid.map(\.canonicalSMILES))
            values.append(("Novelty", unique.isEmpty ? .nan : Double(unique.subtracting(train).count) / Double(unique.count)))
        }
    }
}

/// MOSES's IntDiv_p for p = 1 and 2: 1 - mean over molecules i of
/// (mean over all j, i included, of T(i, j)^p)^(1/p).
func internalDiversity(_ set: FingerprintSet, threads: Int) -> (first: Double, second: Double) {
    guard set.count > 0 else { return (.nan, .nan) }
    let n = Double(set.count)
    let sums = set.similaritySums(threads: threads)
    return (1 - mean(sums.first.map { $0 / n }), 1 - mean(sums.second.map { ($0 / n).squareRoot() }))
}

func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
