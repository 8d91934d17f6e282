import Foundation

/// What one oracle call found: the molecule decoded from a latent point and RDKit's verdict.
public struct OracleEvaluation: Sendable {
    /// The call's number within the search, from 1.
    public let call: Int
    public let latent: [Float]
    /// Canonical SMILES; nil when the point did not decode to a valid, scorable molecule.
    public let smiles: String?
    /// The objective, computed by RDKit from `smiles`.
    public let score: Double?
    /// Similarity to the start molecule (nil without a start, or for an invalid decoding).
    public let similarity: Double?
    /// Valid and at least the minimum similarity: a molecule the search may report.
    public let feasible: Bool
    /// The first time this search met this molecule.
    public let isNew: Bool
}

/// A distinct molecule a search reports: feasible, scored by RDKit, first met at oracle call
/// `step`.
public struct FoundMolecule: Sendable, Equatable {
    public let smiles: String
    public let score: Double
    public let similarity: Double?
    public let step: Int
}

/// The similarity constraint of a search with a start molecule.
public struct SimilarityConstraint: Sendable {
    public let reference: SimilarityReference
    /// Decoded molecules below this similarity are not reported (0: none excluded).
    public let minimum: Double

    public init(reference: SimilarityReference, minimum: Double) {
        self.reference = reference
        self.minimum = minimum
    }
}

/// The oracle of a search: decodes latent points and has RDKit score what they decode to.
///
/// One oracle call is one latent point decoded and its molecule judged by RDKit, whatever the
/// outcome: an invalid decoding costs a call, and so does a molecule met before (its score is
/// looked up rather than recomputed, but the decoding was paid for). `budget` calls are made at
/// most, exactly: a batch that would pass the budget is cut to what remains.
public final class MoleculeOracle {
    public let objective: Objective
    public let budget: Int
    public let constraint: SimilarityConstraint?
    let decoder: LatentDecoder
    public let strategy: DecodingStrategy
    /// The seed of stochastic decoding (tries); call i decodes from stream i.
    let decodingSeed: UInt64
    /// RDKit workers for scoring a batch's new molecules.
    public var threads: Int

    public private(set) var calls = 0
    /// Calls whose decoding was a valid molecule.
    public private(set) var validCalls = 0
    /// Every distinct feasible molecule, in the order met.
    public private(set) var found: [FoundMolecule] = []
    /// Distinct valid molecules met and scored (feasible or not).
    public var distinctMolecules: Int { met.count }
    /// Called after every batch of calls (progress).
    public var onBatch: ((MoleculeOracle) -> Void)?

    private var cache: [String: (score: Double?, similarity: Double?)] = [:]
    private var bestIndex: Int?

    public init(objective: Objective, budget: Int, decoder: LatentDecoder, strategy: DecodingStrategy = .greedy,
                decodingSeed: UInt64 = 0, constraint: SimilarityConstraint?, threads: Int = 1) {
        self.objective = objective
        self.budget = max(0, budget)
        self.decoder = decoder
        self.strategy = strategy
        self.decodingSeed = decodingSeed
        self.constraint = constraint
        self.threads = max(1, threads)
    }

    public var remaining: Int { budget - calls }
    public var isExhausted: Bool { calls >= budget }
    public var latentSize: Int { decoder.model.config.latent }
    /// The best feasible molecule so far.
    public var best: FoundMolecule? { bestIndex.map { found[$0] } }

    /// Evaluates the points in order, as many as the budget still allows (possibly none).
    public func evaluate(_ points: [[Float]]) -> [OracleEvaluation] {
        let n = min(points.count, remaining)
        guard n > 0 else { return [] }
        let lat = latentSize
        var flat = [Float]()
        flat.reserveCapacity(n * lat)
        for p in points.prefix(n) {
            precondition(p.count == lat, "a latent point needs \(lat) values")
            flat += p
        }
        let decoded = decoder.decode(latents: flat, count: n, strategy: strategy, seed: decodingSeed, firstIndex: calls).map(\.canonical)
        score(Set(decoded.compactMap { $0 }).filter { cache[$0] == nil }.sorted())
        var out: [OracleEvaluation] = []
        out.reserveCapacity(n)
        var seen = Set<String>()
        for i in 0..<n {
            calls += 1
            guard let smiles = decoded[i], let entry = cache[smiles], let score = entry.score else {
                out.append(OracleEvaluation(call: calls, latent: points[i], smiles: nil, score: nil, similarity: nil,
                                            feasible: false, isNew: false))
                continue
            }
            validCalls += 1
            let feasible = constraint.map { (entry.similarity ?? 0) >= $0.minimum } ?? true
            let isNew = !met.contains(smiles) && !seen.contains(smiles)
            if isNew { seen.insert(smiles) }
            if isNew && feasible {
                found.append(FoundMolecule(smiles: smiles, score: score, similarity: entry.similarity, step: calls))
                if bestIndex.map({ score > found[$0].score }) ?? true { bestIndex = found.count - 1 }
            }
            out.append(OracleEvaluation(call: calls, latent: points[i], smiles: smiles, score: score, similarity: entry.similarity,
                                        feasible: feasible, isNew: isNew))
        }
        met.formUnion(seen)
        onBatch?(self)
        return out
    }

    public func evaluate(_ point: [Float]) -> OracleEvaluation? { evaluate([point]).first }

    /// Valid molecules met before this batch.
    private var met = Set<String>()

    /// Scores new canonical SMILES with RDKit (in parallel) into the cache. A molecule RDKit
    /// cannot score, or whose score is not finite, is cached as invalid.
    private func score(_ molecules: [String]) {
        guard !molecules.isEmpty else { return }
        let objective = self.objective, reference = constraint?.reference
        let results: [(Double?, Double?)] = BatchScoring.parallelMap(molecules.count, threads: threads) { i in
            guard let molecule = try? Molecule(smiles: molecules[i]), let p = try? molecule.properties() else { return (nil, nil) }
            let s = objective.score(p)
            guard s.isFinite else { return (nil, nil) }
            return (s, reference.flatMap { try? $0.similarity(to: molecule) })
        }
        for (smiles, r) in zip(molecules, results) { cache[smiles] = (r.0, r.1) }
    }
}
