import Foundation

/// Gaussian-process Bayesian optimisation over the latent space with RDKit as the oracle.
///
/// `initialPoints` random points first (the start's mean and points around it within
/// `radius` per dimension, or prior draws without a start); then rounds of: fit a GP
/// (isotropic Matérn-5/2, hyperparameters by marginal likelihood on a grid, refitted every
/// fifth round) to the fitness of every point decoded so far, score `candidates` random points
/// by expected improvement (perturbations of the ten best points at several scales, and points
/// of the search region), refine around the five best candidates, and decode the `batch`
/// best candidates that are not too close to one another. A point that decoded to no valid
/// molecule enters the GP with the lowest fitness seen. The GP keeps at most `gpPoints` points:
/// the best half and the most recent half.
///
/// The GP's linear algebra runs on one BLAS thread so the result does not depend on the
/// thread count.
enum BayesianOptimizationSearch {
    static let refitEvery = 5

    static func run(_ context: SearchContext) {
        let s = context.settings, latent = context.latent
        let center = context.center.map(Double.init)
        var points: [[Double]] = []
        var fitness: [Double?] = []
        func record(_ evaluations: [OracleEvaluation]) {
            for e in evaluations {
                points.append(e.latent.map(Double.init))
                fitness.append(context.fitness(e))
            }
        }
        // A point of the search region: around the start, or from the prior.
        func regionPoint(_ rng: inout CounterRNG) -> [Double] {
            context.start == nil ? (0..<latent).map { _ in Double(rng.nextNormal()) }
                : (0..<latent).map { center[$0] + s.radius * Double(rng.nextNormal()) }
        }
        var rng = context.rng(0x424F_494E)
        var initial: [[Double]] = context.start == nil ? [] : [center]
        while initial.count < s.initialPoints { initial.append(regionPoint(&rng)) }
        record(context.evaluate(initial.map { $0.map(Float.init) }))

        var hyperparameters: KernelHyperparameters?
        var round = 0
        while !context.oracle.isExhausted {
            var roundRNG = context.rng(0x424F_5244, round)
            defer { round += 1 }
            let (xs, ys) = trainingSet(points: points, fitness: fitness, cap: s.gpPoints)
            let q = min(s.batch, context.oracle.remaining)
            guard !ys.isEmpty else {
                // Nothing valid yet: keep exploring at random.
                record(context.evaluate((0..<q).map { _ in regionPoint(&roundRNG).map(Float.init) }))
                continue
            }
            EngineThreads.setBLASOnly(1)
            let gp: GaussianProcess? = {
                if hyperparameters == nil || round % refitEvery == 0 {
                    hyperparameters = (try? GaussianProcess.bestHyperparameters(points: xs, values: ys)) ?? hyperparameters
                }
                guard let h = hyperparameters else { return nil }
                return try? GaussianProcess(points: xs, values: ys, hyperparameters: h)
            }()
            let chosen: [[Double]]
            if let gp {
                chosen = propose(gp: gp, data: xs, values: ys, count: q, region: regionPoint, rng: &roundRNG, settings: s)
            } else {
                chosen = (0..<q).map { _ in regionPoint(&roundRNG) }
            }
            EngineThreads.setBLASOnly(EngineThreads.blasCount)
            record(context.evaluate(chosen.map { $0.map(Float.init) }))
        }
    }

    /// The GP's data: valid points with their fitness, invalid ones at the lowest fitness seen;
    /// over `cap` points, the best half and the most recent half, in call order.
    static func trainingSet(points: [[Double]], fitness: [Double?], cap: Int) -> ([[Double]], [Double]) {
        let valid = fitness.compactMap { $0 }
        guard let floor = valid.min() else { return ([], []) }
        let values = fitness.map { $0 ?? floor }
        var keep = Array(points.indices)
        if keep.count > cap {
            let best = keep.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.prefix(cap / 2)
            var chosen = Set(best)
            for i in keep.reversed() where chosen.count < cap { chosen.insert(i) }
            keep = chosen.sorted()
        }
        return (keep.map { points[$0] }, keep.map { values[$0] })
    }

    /// The `count` candidates with the highest expected improvement, no two closer than a
    /// twentieth of the lengthscale and none on a point already decoded.
    static func propose(gp: GaussianProcess, data: [[Double]], values: [Double], count: Int,
                        region: (inout CounterRNG) -> [Double], rng: inout CounterRNG, settings s: SearchSettings) -> [[Double]] {
        let d = gp.dimension
        let lengthscale = gp.hyperparameters.lengthscale
        let perDimension = lengthscale / Double(d).squareRoot()
        let ranked = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        let elite = ranked.prefix(10).map { data[$0] }
        let scales = [0.1, 0.25, 0.5, 1.0]
        var candidates: [[Double]] = []
        candidates.reserveCapacity(s.candidates + 100)
        for i in 0..<s.candidates {
            if i % 2 == 0 {
                let base = elite[(i / 2) % elite.count], scale = scales[(i / 2 / elite.count) % scales.count] * perDimension
                candidates.append(base.map { $0 + scale * Double(rng.nextNormal()) })
            } else {
                candidates.append(region(&rng))
            }
        }
        let best = values.max() ?? 0
        func acquisition(_ xs: [[Double]]) -> [Double] {
            let (mean, variance) = gp.predict(xs)
            return zip(mean, variance).map { expectedImprovement(mean: $0, sd: $1.squareRoot(), best: best) }
        }
        var ei = acquisition(candidates)
        // Local refinement around the five most promising candidates.
        let top = ei.indices.sorted { ei[$0] != ei[$1] ? ei[$0] > ei[$1] : $0 < $1 }.prefix(5).map { candidates[$0] }
        var local: [[Double]] = []
        for base in top {
            for _ in 0..<20 { local.append(base.map { $0 + 0.05 * perDimension * Double(rng.nextNormal()) }) }
        }
        candidates += local
        ei += acquisition(local)
        let order = ei.indices.sorted { ei[$0] != ei[$1] ? ei[$0] > ei[$1] : $0 < $1 }
        let minimum = 0.05 * lengthscale
        func far(_ x: [Double], from others: [[Double]], _ limit: Double) -> Bool {
            others.allSatisfy { o in zip(x, o).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } > limit * limit }
        }
        var chosen: [[Double]] = []
        for i in order where chosen.count < count {
            let x = candidates[i]
            if far(x, from: chosen, minimum) && far(x, from: elite, 1e-9) { chosen.append(x) }
        }
        // Too few far-apart candidates: fill from the region.
        while chosen.count < count { chosen.append(region(&rng)) }
        return chosen
    }
}
