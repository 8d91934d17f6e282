import Foundation

/// What one oracle call found: the molecule decoded from a latent point and RDKit's verdict.
public struct OracleEvaluation: Sendable {
    /// The call's number within the search, from 1. Under `.distinctMolecules` counting, the
    /// calls made so far including this one's (a repeat or an invalid molecule makes none).
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

/// What one oracle call is, and so what the budget counts.
public enum OracleCounting: String, Sendable, Equatable {
    /// Every latent point decoded (and its molecule judged) is a call, whatever the outcome
    /// (`molvae optimize`).
    case decodedPoints = "decoded-points"
    /// A call is the scoring of a distinct valid molecule, as in the PMO benchmark (Gao et al.
    /// 2022): invalid decodings and molecules met before are free in calls but still cost
    /// decoding, so the points decoded are capped separately (`decodeCap`).
    case distinctMolecules = "distinct-molecules"
}

/// The oracle of a search: decodes latent points and has RDKit score what they decode to.
///
/// With `.decodedPoints` counting (the default, `molvae optimize`), one oracle call is one
/// latent point decoded and its molecule judged by RDKit, whatever the outcome: an invalid
/// decoding costs a call, and so does a molecule met before (its score is looked up rather than
/// recomputed, but the decoding was paid for). `budget` calls are made at most, exactly: a batch
/// that would pass the budget is cut to what remains.
///
/// With `.distinctMolecules` counting (`molvae benchmark guacamol`), one call is one distinct
/// valid molecule handed to the scoring function (whatever it returns); `decoded` counts the
/// latent points decoded, at most `decodeCap`. A batch is decoded whole (cut to the decoding
/// cap) and its points are taken in order until the budget is reached; the points after the one
/// that made the last call are decoded but not used (`evaluate` returns fewer results).
///
/// What is maximised is any `MoleculeScoringFunction`; an `Objective` is one (it scores the
/// molecule's RDKit properties).
public final class MoleculeOracle {
    public let scoring: any MoleculeScoringFunction
    /// The objective, when the oracle was built from one.
    public let objective: Objective?
    public let budget: Int
    public let counting: OracleCounting
    /// Latent points decoded at most (`.distinctMolecules` only; `.decodedPoints`: the budget).
    public let decodeCap: Int
    public let constraint: SimilarityConstraint?
    let decoder: LatentDecoder
    public let strategy: DecodingStrategy
    /// The seed of stochastic decoding (tries); decoded point i decodes from stream i.
    let decodingSeed: UInt64
    /// RDKit workers for scoring a batch's new molecules.
    public var threads: Int
    /// A lower ceiling on calls and decoded points for the next steps of a search (a phase of a
    /// longer search shares one oracle): `isExhausted` is true once either is reached. Nil: the
    /// budget and the decoding cap.
    public var phaseLimit: (calls: Int, decoded: Int)?

    public private(set) var calls = 0
    /// Latent points decoded (under `.decodedPoints` the same as `calls`).
    public private(set) var decoded = 0
    /// Calls whose decoding was a valid molecule (`.decodedPoints`); under `.distinctMolecules`,
    /// decoded points whose molecule was valid and scored.
    public private(set) var validCalls = 0
    /// Every distinct feasible molecule, in the order met.
    public private(set) var found: [FoundMolecule] = []
    /// Distinct valid molecules met and scored (feasible or not).
    public var distinctMolecules: Int { met.count }
    /// Called after every batch of calls (progress).
    public var onBatch: ((MoleculeOracle) -> Void)?

    private var cache: [String: (score: Double?, similarity: Double?)] = [:]
    private var bestIndex: Int?

    public convenience init(objective: Objective, budget: Int, decoder: LatentDecoder, strategy: DecodingStrategy = .greedy,
                decodingSeed: UInt64 = 0, constraint: SimilarityConstraint?, threads: Int = 1) {
        self.init(scoring: objective, objective: objective, budget: budget, counting: .decodedPoints, decodeCap: budget, decoder: decoder,
                  strategy: strategy, decodingSeed: decodingSeed, constraint: constraint, threads: threads)
    }

    /// An oracle for any scoring function; `decodeCap` bounds the latent points decoded under
    /// `.distinctMolecules` counting (ignored under `.decodedPoints`, where it is the budget).
    public convenience init(scoring: any MoleculeScoringFunction, budget: Int, counting: OracleCounting, decodeCap: Int,
                            decoder: LatentDecoder, strategy: DecodingStrategy = .greedy, decodingSeed: UInt64 = 0,
                            constraint: SimilarityConstraint? = nil, threads: Int = 1) {
        self.init(scoring: scoring, objective: scoring as? Objective, budget: budget, counting: counting, decodeCap: decodeCap,
                  decoder: decoder, strategy: strategy, decodingSeed: decodingSeed, constraint: constraint, threads: threads)
    }

    private init(scoring: any MoleculeScoringFunction, objective: Objective?, budget: Int, counting: OracleCounting, decodeCap: Int,
                 decoder: LatentDecoder, strategy: DecodingStrategy, decodingSeed: UInt64, constraint: SimilarityConstraint?,
                 threads: Int) {
        self.scoring = scoring
        self.objective = objective
        self.budget = max(0, budget)
        self.counting = counting
        self.decodeCap = counting == .decodedPoints ? max(0, budget) : max(0, decodeCap)
        self.decoder = decoder
        self.strategy = strategy
        self.decodingSeed = decodingSeed
        self.constraint = constraint
        self.threads = max(1, threads)
    }

    /// Calls left before the budget (or the phase limit).
    public var remaining: Int { max(0, min(budget, phaseLimit?.calls ?? budget) - calls) }
    /// Latent points that may still be decoded (before the cap or the phase limit).
    public var remainingDecodes: Int {
        counting == .decodedPoints ? remaining : max(0, min(decodeCap, phaseLimit?.decoded ?? decodeCap) - decoded)
    }
    public var isExhausted: Bool { remaining == 0 || remainingDecodes == 0 }
    public var latentSize: Int { decoder.model.config.latent }
    /// The best feasible molecule so far.
    public var best: FoundMolecule? { bestIndex.map { found[$0] } }

    /// Evaluates the points in order, as many as the budget still allows (possibly none).
    public func evaluate(_ points: [[Float]]) -> [OracleEvaluation] {
        let n = min(points.count, remainingDecodes)
        guard n > 0, remaining > 0 else { return [] }
        let lat = latentSize
        var flat = [Float]()
        flat.reserveCapacity(n * lat)
        for p in points.prefix(n) {
            precondition(p.count == lat, "a latent point needs \(lat) values")
            flat += p
        }
        let molecules = decoder.decode(latents: flat, count: n, strategy: strategy, seed: decodingSeed, firstIndex: decoded)
            .map(\.canonical)
        decoded += n
        return judge(molecules, latents: Array(points.prefix(n)))
    }

    public func evaluate(_ point: [Float]) -> OracleEvaluation? { evaluate([point]).first }

    /// Scores molecules given as SMILES rather than decoded (e.g. training molecules, which
    /// GuacaMol lets a generator start from). They cost calls as decoded molecules do under the
    /// oracle's counting, but decode nothing: under `.distinctMolecules`, one call per distinct
    /// valid molecule not met before; under `.decodedPoints`, one call per SMILES. Each result's
    /// `latent` is empty. Stops at the budget like `evaluate(_:)`.
    public func evaluate(smiles: [String]) -> [OracleEvaluation] {
        guard remaining > 0, !smiles.isEmpty else { return [] }
        let n = counting == .decodedPoints ? min(smiles.count, remaining) : smiles.count
        let molecules = MoleculeCanonicaliser.canonical(Array(smiles.prefix(n)), threads: threads)
        return judge(molecules, latents: [[Float]](repeating: [], count: n))
    }

    /// Counts, scores and records canonical molecules (nil: invalid) in order.
    private func judge(_ molecules: [String?], latents: [[Float]]) -> [OracleEvaluation] {
        var n = molecules.count
        if counting == .distinctMolecules {
            // Take points in order until the budget: each new valid molecule is one call.
            var fresh = Set<String>()
            var cut = n
            for (i, m) in molecules.enumerated() {
                guard let m, cache[m] == nil, !fresh.contains(m) else { continue }
                if fresh.count == remaining { cut = i; break }
                fresh.insert(m)
            }
            n = cut
        }
        let scored = Set(molecules.prefix(n).compactMap { $0 }).filter { cache[$0] == nil }
        score(scored.sorted())
        // Under .distinctMolecules each molecule scored now is one call, counted at its first point.
        var uncharged = scored
        var out: [OracleEvaluation] = []
        out.reserveCapacity(n)
        var seen = Set<String>()
        for i in 0..<n {
            let smiles = molecules[i]
            if counting == .decodedPoints { calls += 1 } else if let smiles, uncharged.remove(smiles) != nil { calls += 1 }
            guard let smiles, let entry = cache[smiles], let score = entry.score else {
                out.append(OracleEvaluation(call: calls, latent: latents[i], smiles: nil, score: nil, similarity: nil,
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
            out.append(OracleEvaluation(call: calls, latent: latents[i], smiles: smiles, score: score, similarity: entry.similarity,
                                        feasible: feasible, isNew: isNew))
        }
        met.formUnion(seen)
        onBatch?(self)
        return out
    }

    /// Valid molecules met before this batch.
    private var met = Set<String>()

    /// Scores new canonical SMILES (in parallel) into the cache. A molecule that cannot be
    /// scored, or whose score is not finite, is cached as invalid.
    private func score(_ molecules: [String]) {
        guard !molecules.isEmpty else { return }
        let scoring = self.scoring, reference = constraint?.reference
        let results: [(Double?, Double?)] = BatchScoring.parallelMap(molecules.count, threads: threads) { i in
            guard let molecule = try? Molecule(smiles: molecules[i]), let s = scoring.score(molecule), s.isFinite else { return (nil, nil) }
            return (s, reference.flatMap { try? $0.similarity(to: molecule) })
        }
        for (smiles, r) in zip(molecules, results) { cache[smiles] = (r.0, r.1) }
    }
}
