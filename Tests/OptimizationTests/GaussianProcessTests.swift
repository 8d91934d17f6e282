import Foundation
import Testing
@testable import MolVAE

@Suite struct GaussianProcessTests {
    /// With tiny noise the GP interpolates its data: the mean equals the targets at the data
    /// points and the variance is near zero there; far away it returns to the prior.
    @Test func interpolatesItsData() throws {
        var rng = CounterRNG(seed: 2)
        let points = (0..<30).map { _ in (0..<3).map { _ in Double(rng.nextNormal()) } }
        let values = points.map { sin($0[0]) + 0.5 * $0[1] * $0[2] }
        let gp = try GaussianProcess(points: points, values: values, hyperparameters: KernelHyperparameters(lengthscale: 1.5, noise: 1e-8))
        let (mean, variance) = gp.predict(points)
        for i in 0..<points.count {
            #expect(abs(mean[i] - values[i]) < 1e-4)
            #expect(variance[i] < 1e-4)
        }
        let far = gp.predict([[50, 50, 50]])
        let mu = values.reduce(0, +) / Double(values.count)
        #expect(abs(far.mean[0] - mu) < 1e-9)
        let sd = (values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(values.count)).squareRoot()
        #expect(abs(far.variance[0] - sd * sd) < 1e-6)
    }

    /// Predictions against an independent dense solve of the same equations, and the log
    /// marginal likelihood against its definition.
    @Test func matchesTheTextbookFormulas() throws {
        let points: [[Double]] = [[0, 0], [1, 0], [0, 1], [1, 1.5], [-0.5, 0.3]]
        let values: [Double] = [1, 2, 0.5, 3, 1.2]
        let h = KernelHyperparameters(lengthscale: 0.9, noise: 0.05)
        let gp = try GaussianProcess(points: points, values: values, hyperparameters: h)
        let n = points.count
        let mu = values.reduce(0, +) / Double(n)
        let sd = (values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(n)).squareRoot()
        let y = values.map { ($0 - mu) / sd }
        func k(_ a: [Double], _ b: [Double]) -> Double {
            h.covariance(squaredDistance: zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
        }
        var K = (0..<n).map { i in (0..<n).map { j in k(points[i], points[j]) + (i == j ? h.noise : 0) } }
        // Gauss–Jordan inverse.
        var inv = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
        var det = 1.0
        for c in 0..<n {
            let p = (c..<n).max { abs(K[$0][c]) < abs(K[$1][c]) }!
            if p != c { K.swapAt(p, c); inv.swapAt(p, c); det = -det }
            let d = K[c][c]
            det *= d
            for j in 0..<n { K[c][j] /= d; inv[c][j] /= d }
            for r in 0..<n where r != c {
                let f = K[r][c]
                for j in 0..<n { K[r][j] -= f * K[c][j]; inv[r][j] -= f * inv[c][j] }
            }
        }
        let alpha = (0..<n).map { i in (0..<n).reduce(0) { $0 + inv[i][$1] * y[$1] } }
        let lml = -0.5 * zip(y, alpha).reduce(0) { $0 + $1.0 * $1.1 } - 0.5 * log(det) - 0.5 * Double(n) * log(2 * Double.pi)
        #expect(abs(gp.logMarginalLikelihood - lml) < 1e-9)
        let query: [Double] = [0.4, 0.7]
        let ks = points.map { k(query, $0) }
        let mean = mu + sd * zip(ks, alpha).reduce(0) { $0 + $1.0 * $1.1 }
        let quad = (0..<n).reduce(0.0) { s, i in s + ks[i] * (0..<n).reduce(0) { $0 + inv[i][$1] * ks[$1] } }
        let variance = (h.signal - quad) * sd * sd
        let p = gp.predict([query])
        #expect(abs(p.mean[0] - mean) < 1e-9)
        #expect(abs(p.variance[0] - variance) < 1e-9)
    }

    /// The grid picks a lengthscale near the truth for data drawn from a smooth function.
    @Test func marginalLikelihoodPrefersAFittingLengthscale() throws {
        var rng = CounterRNG(seed: 7)
        let points = (0..<80).map { _ in [Double(rng.nextFloat()) * 10] }
        let values = points.map { sin($0[0]) }
        let gp = try GaussianProcess.fit(points: points, values: values, lengthscaleFactors: [0.01, 0.5, 20], noises: [1e-4])
        // 0.5 × the median distance (about 3.3) is a lengthscale a sine of period 2π can use;
        // 0.01× overfits, 20× cannot bend.
        #expect(gp.hyperparameters.lengthscale > 0.5 && gp.hyperparameters.lengthscale < 5)
        let (mean, _) = gp.predict([[2.5], [7.1]])
        #expect(abs(mean[0] - sin(2.5)) < 0.05 && abs(mean[1] - sin(7.1)) < 0.05)
    }

    @Test func expectedImprovementFormula() {
        #expect(expectedImprovement(mean: 1, sd: 0, best: 0) == 1)
        #expect(expectedImprovement(mean: -1, sd: 0, best: 0) == 0)
        // mean = best: EI = sd·φ(0).
        #expect(abs(expectedImprovement(mean: 0, sd: 2, best: 0) - 2 / (2 * Double.pi).squareRoot()) < 1e-12)
        #expect(expectedImprovement(mean: 0, sd: 1, best: 0) > expectedImprovement(mean: -0.5, sd: 1, best: 0))
    }
}
