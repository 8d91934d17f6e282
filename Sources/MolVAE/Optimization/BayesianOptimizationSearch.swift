import Foundation

/// Gaussian-process Bayesian optimisation over the latent space with RDKit as the oracle, in a
/// trust region (as TuRBO, Eriksson et al. 2019: a GP over a 128-dimensional space is only
/// trustworthy near its data, so candidates are drawn in a box around the best point, which
/// grows after successes and shrinks after failures).
///
/// `initialPoints` random points first (the start's mean and points around it within `radius`
/// per dimension, or prior draws without a start). Then rounds of: fit a GP (isotropic
/// Matérn-5/2, hyperparameters by marginal likelihood on a grid, refitted every fifth round) to
/// the fitness of every point decoded so far; draw `candidates` points in the trust region
/// (uniform in the box of side L around the best point of the current region); score them by expected improvement, refine around
/// the five best; decode the `batch` best that are not too close to one another. Three
/// improving rounds in a row double L, and so does a round that decoded no molecule not met
/// before (the box sits inside a region the decoder maps to known molecules);
/// max(4, ⌈latent / batch⌉) rounds without improvement halve it; below 1/64 of its initial side
/// the region restarts at fresh random points. L starts at 2·radius and never exceeds 8·radius.
///
/// A point that decoded to no valid molecule enters the GP with the lowest fitness seen. The GP
/// keeps at most `gpPoints` points: the best half and the most recent half. Its linear algebra
/// runs on one BLAS thread so the result does not depend on the thread count.
enum BayesianOptimizationSearch {
    static let refitEvery = 5
    static let successesToGrow = 3

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
        // Every trust region (the first and each restart) begins with its own random design.
        var regionStart = 0
        func design(_ restart: Int) {
            var rng = context.rng(0x424F_494E, restart)
            var initial: [[Double]] = context.start != nil && restart == 0 ? [center] : []
            while initial.count < s.initialPoints { initial.append(regionPoint(&rng)) }
            regionStart = points.count
            record(context.evaluate(initial.map { $0.map(Float.init) }))
        }
        var restarts = 0
        design(restarts)

        let initialSide = 2 * s.radius, minimumSide = initialSide / 64, maximumSide = 8 * s.radius
        var side = initialSide
        var successes = 0, failures = 0
        let patience = max(4, (latent + s.batch - 1) / s.batch)
        var hyperparameters: KernelHyperparameters?
        var round = 0
        while !context.oracle.isExhausted {
            var roundRNG = context.rng(0x424F_5244, round)
            defer { round += 1 }
            let (xs, ys) = trainingSet(points: points, fitness: fitness, cap: s.gpPoints)
            let q = min(s.batch, context.oracle.remaining)
            // The trust region's centre: the best valid point since the region began.
            let regionBest = (regionStart..<points.count).filter { fitness[$0] != nil }.max { fitness[$0]! < fitness[$1]! }
            guard let regionBest, !ys.isEmpty else {
                // Nothing valid yet: keep exploring at random.
                record(context.evaluate((0..<q).map { _ in regionPoint(&roundRNG).map(Float.init) }))
                continue
            }
            let incumbent = fitness[regionBest]!
            EngineThreads.setGEMMThreads(1)
            let gp: GaussianProcess? = {
                if hyperparameters == nil || round % refitEvery == 0 {
                    hyperparameters = (try? GaussianProcess.bestHyperparameters(points: xs, values: ys)) ?? hyperparameters
                }
                guard let h = hyperparameters else { return nil }
                return try? GaussianProcess(points: xs, values: ys, hyperparameters: h)
            }()
            let chosen: [[Double]]
            if let gp {
                chosen = propose(gp: gp, around: points[regionBest], side: side, best: ys.max() ?? incumbent, count: q,
                                 rng: &roundRNG, candidates: s.candidates)
            } else {
                chosen = (0..<q).map { _ in trustRegionPoint(around: points[regionBest], side: side, rng: &roundRNG) }
            }
            EngineThreads.restoreGEMMThreads()
            let before = points.count
            let evaluations = context.evaluate(chosen.map { $0.map(Float.init) })
            record(evaluations)
            // Grow or shrink the trust region. A round that decoded nothing new grows it: the
            // decoder maps whole regions to one molecule, and a box inside such a plateau must
            // widen to find anything.
            let newBest = fitness[before...].compactMap { $0 }.max() ?? -Double.infinity
            if !evaluations.contains(where: \.isNew) {
                side = min(2 * side, maximumSide)
                successes = 0
                failures = 0
            } else if newBest > incumbent + 1e-3 * max(1, abs(incumbent)) {
                successes += 1
                failures = 0
            } else {
                failures += 1
                successes = 0
            }
            if successes >= successesToGrow {
                side = min(2 * side, maximumSide)
                successes = 0
            } else if failures >= patience {
                side /= 2
                failures = 0
            }
            if side < minimumSide && !context.oracle.isExhausted {
                restarts += 1
                side = initialSide
                design(restarts)
            }
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

    /// A uniform point of the box of side `side` around `center`. (TuRBO's mask, moving only
    /// about 20 coordinates, found far fewer molecules here: a VAE's latent has dimensions the
    /// decoder ignores, and moves confined to them decode to the centre's molecule again.)
    static func trustRegionPoint(around center: [Double], side: Double, rng: inout CounterRNG) -> [Double] {
        center.map { $0 + side * (Double(rng.nextFloat()) - 0.5) }
    }

    /// The `count` trust-region candidates with the highest expected improvement over `best`,
    /// no two closer than a twentieth of the GP's lengthscale.
    static func propose(gp: GaussianProcess, around center: [Double], side: Double, best: Double, count: Int,
                        rng: inout CounterRNG, candidates: Int) -> [[Double]] {
        var pool = (0..<candidates).map { _ in trustRegionPoint(around: center, side: side, rng: &rng) }
        func acquisition(_ xs: [[Double]]) -> [Double] {
            let (mean, variance) = gp.predict(xs)
            return zip(mean, variance).map { expectedImprovement(mean: $0, sd: $1.squareRoot(), best: best) }
        }
        var ei = acquisition(pool)
        // Local refinement: small moves around the five most promising candidates.
        let top = ei.indices.sorted { ei[$0] != ei[$1] ? ei[$0] > ei[$1] : $0 < $1 }.prefix(5).map { pool[$0] }
        var local: [[Double]] = []
        for base in top {
            for _ in 0..<20 { local.append(trustRegionPoint(around: base, side: side / 8, rng: &rng)) }
        }
        pool += local
        ei += acquisition(local)
        let order = ei.indices.sorted { ei[$0] != ei[$1] ? ei[$0] > ei[$1] : $0 < $1 }
        let minimum = 0.05 * gp.hyperparameters.lengthscale
        var chosen: [[Double]] = []
        for i in order where chosen.count < count {
            let x = pool[i]
            let far = chosen.allSatisfy { o in zip(x, o).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } > minimum * minimum }
            if far { chosen.append(x) }
        }
        // Too few far-apart candidates: fill with fresh trust-region points.
        while chosen.count < count { chosen.append(trustRegionPoint(around: center, side: side, rng: &rng)) }
        return chosen
    }
}
