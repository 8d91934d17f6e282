import Foundation

/// What every search method works with: the oracle, the start (if any), the settings and the
/// search's own seed, plus helpers shared by the methods.
struct SearchContext {
    let oracle: MoleculeOracle
    let start: StartMolecule?
    let settings: SearchSettings
    /// This search's seed (derived from the run's seed and the start's index).
    let seed: UInt64
    let latent: Int

    /// Where a search centres: the start's mean, or the prior's (the origin).
    var center: [Float] { start?.mu ?? [Float](repeating: 0, count: latent) }

    /// A counter stream for `purpose` (a constant per use) and `index`.
    func rng(_ purpose: UInt64, _ index: Int = 0) -> CounterRNG {
        CounterRNG(seed: seed, stream: (purpose << 32) ^ UInt64(truncatingIfNeeded: index))
    }

    /// A point from the prior N(0, I).
    func priorPoint(_ rng: inout CounterRNG) -> [Float] { (0..<latent).map { _ in rng.nextNormal() } }

    /// A point from the start's posterior N(mu, exp(logvar)) (the prior without a start).
    func posteriorPoint(_ rng: inout CounterRNG) -> [Float] {
        guard let start else { return priorPoint(&rng) }
        return (0..<latent).map { j in start.latent.mu[j] + Foundation.exp(0.5 * start.latent.logvar[j]) * rng.nextNormal() }
    }

    /// The scalar CMA-ES and BO maximise: the score, minus the similarity shortfall times the
    /// penalty; nil for a point that decoded to no valid molecule.
    func fitness(_ e: OracleEvaluation) -> Double? {
        guard let score = e.score else { return nil }
        guard let minimum = oracle.constraint?.minimum else { return score }
        return score - settings.similarityPenalty * max(0, minimum - (e.similarity ?? 0))
    }

    /// Evaluates points in batches of at most `settings.decodeBatch` (progress comes per batch).
    func evaluate(_ points: [[Float]]) -> [OracleEvaluation] {
        var out: [OracleEvaluation] = []
        var i = 0
        while i < points.count && !oracle.isExhausted {
            let end = min(points.count, i + settings.decodeBatch)
            out += oracle.evaluate(Array(points[i..<end]))
            i = end
        }
        return out
    }
}
