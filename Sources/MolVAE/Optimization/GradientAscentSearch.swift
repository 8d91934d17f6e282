import Foundation

/// Gradient ascent on the property head's prediction of the objective (its `HeadSurrogate`):
/// each path starts at a latent point and moves `stepSize` per iteration along the normalised
/// gradient; every point of the path is decoded and RDKit scores the molecules.
///
/// Path 0 starts at the start molecule's mean; the others at draws from its posterior
/// N(mu, exp(logvar)), or from the prior without a start. The budget buys
/// ⌈budget / iterations⌉ paths (the last one cut short by the budget). The paths depend only on
/// the head, so they are computed first and decoded in batches.
enum GradientAscentSearch {
    static func run(_ context: SearchContext, head: PropertyHead, surrogate: HeadSurrogate) {
        let s = context.settings
        let paths = (s.budget + s.iterations - 1) / s.iterations
        var points: [[Float]] = []
        points.reserveCapacity(s.budget)
        for p in 0..<paths where points.count < s.budget {
            var rng = context.rng(0x4752_4144, p)
            var z = p == 0 && context.start != nil ? context.center : context.posteriorPoint(&rng)
            let steps = min(s.iterations, s.budget - points.count)
            for k in 0..<steps {
                points.append(z)
                guard k + 1 < steps else { break }
                let g = head.weightedPrediction(at: z, rows: 1, weights: surrogate.weights).gradients
                let norm = g.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
                // A flat head (all ReLUs off) has no direction to follow: the path stays put.
                guard norm > 0, norm.isFinite else { continue }
                let scale = Float(s.stepSize / norm)
                for j in 0..<z.count { z[j] += scale * g[j] }
            }
        }
        _ = context.evaluate(points)
    }
}
