import Foundation

/// CMA-ES over the latent space with RDKit as the oracle: the mean starts at the start
/// molecule's latent mean (the origin without one) with step size `sigma`; each generation is
/// decoded and scored, and the fitness is the objective (minus the similarity penalty under a
/// constraint; a point that decodes to no valid molecule ranks last). When the distribution
/// collapses (spread below 1e-6, or not finite) the search restarts from the centre with twice
/// the population (IPOP, at most 1024), so the budget is always spent.
///
/// Under PMO counting (`.distinctMolecules`) a converged distribution keeps decoding molecules
/// met before, which costs decoding but no calls, long before its spread collapses; there a
/// run of `stagnation` generations that met no new molecule also counts as collapse (the same
/// restart). `molvae optimize` (`.decodedPoints`) is unaffected.
enum CMAESSearch {
    static let stagnation = 10

    static func run(_ context: SearchContext) {
        let s = context.settings
        let sigma = s.sigma ?? (context.start == nil ? 1 : 0.5)
        let center = context.center.map(Double.init)
        var restart = 0
        var population = s.population
        while !context.oracle.isExhausted {
            let es = CMAES(mean: center, sigma: sigma, population: population,
                           seed: CounterRNG.hash(seed: context.seed, stream: 0x434D_4145, counter: UInt64(restart)))
            var stale = 0
            let watchStagnation = context.oracle.counting == .distinctMolecules
            while !context.oracle.isExhausted && es.spread > 1e-6 && es.spread.isFinite && stale < Self.stagnation {
                let points = es.ask()
                let callsBefore = context.oracle.calls
                let evaluations = context.evaluate(points.map { $0.map(Float.init) })
                guard evaluations.count == points.count else { break }
                es.tell(evaluations.map { context.fitness($0) ?? -Double.infinity })
                if watchStagnation { stale = context.oracle.calls > callsBefore ? 0 : stale + 1 }
            }
            restart += 1
            population = min(es.populationSize * 2, 1024)
        }
    }
}
