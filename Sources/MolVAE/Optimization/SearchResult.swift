/// What one search (one start molecule, or none) found.
public struct SearchResult: Sendable {
    public let method: SearchMethod
    public let start: StartMolecule?
    /// The start molecule's objective, computed by RDKit.
    public let startScore: Double?
    /// Every distinct feasible molecule decoded, in the order met (the start itself included
    /// when the search decoded it).
    public let molecules: [FoundMolecule]
    public let oracleCalls: Int
    /// Calls that decoded to a valid molecule.
    public let validCalls: Int
    /// Distinct valid molecules decoded (feasible or not).
    public let distinctMolecules: Int

    /// The best reported molecule.
    public var best: FoundMolecule? { molecules.max { a, b in a.score < b.score || (a.score == b.score && a.step > b.step) } }

    /// The `k` best reported molecules, best first (ties: met first).
    public func top(_ k: Int) -> [FoundMolecule] {
        Array(molecules.sorted { a, b in a.score != b.score ? a.score > b.score : a.step < b.step }.prefix(k))
    }

    /// The best molecule other than the start that scores higher than the start (the
    /// constrained-improvement benchmark's rule); nil without a start or when there is none.
    public var bestImprovement: FoundMolecule? {
        guard let start, let startScore else { return nil }
        return molecules.filter { $0.smiles != start.canonical && $0.score > startScore }
            .max { a, b in a.score < b.score || (a.score == b.score && a.step > b.step) }
    }

    /// bestImprovement's gain over the start, 0 when there is none.
    public var improvement: Double { bestImprovement.map { $0.score - (startScore ?? 0) } ?? 0 }
}

/// The constrained-improvement benchmark's summary over many starts (JT-VAE's table): mean ±
/// sd (population sd, as numpy.std) of the improvement over all starts (0 for a start without
/// improvement), mean similarity of the improved molecules, and the share of starts improved.
public struct ImprovementSummary: Sendable, CustomStringConvertible {
    public let starts: Int
    public let successes: Int
    public let meanImprovement: Double
    public let sdImprovement: Double
    public let meanSimilarity: Double?

    public init(_ results: [SearchResult]) {
        starts = results.count
        let gains = results.map(\.improvement)
        let improved = results.compactMap(\.bestImprovement)
        successes = improved.count
        let n = Double(max(1, gains.count))
        let mean = gains.reduce(0, +) / n
        meanImprovement = mean
        // Population sd (numpy.std), as the published tables were computed.
        sdImprovement = (gains.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let sims = improved.compactMap(\.similarity)
        meanSimilarity = sims.isEmpty ? nil : sims.reduce(0, +) / Double(sims.count)
    }

    public var successRate: Double { starts > 0 ? Double(successes) / Double(starts) : 0 }

    public var description: String {
        let sim = meanSimilarity.map { String(format: "%.3f", $0) } ?? "-"
        return String(format: "improvement %.2f ± %.2f, similarity %@, success %.1f %% (%d of %d)", meanImprovement, sdImprovement,
                      sim, 100 * successRate, successes, starts)
    }
}
