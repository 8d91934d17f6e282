import Foundation
import Testing
@testable import MolVAE

@Suite struct PrincipalComponentsTests {
    /// Orthonormal directions from seeded random vectors (Gram-Schmidt).
    static func randomBasis(dimension d: Int, seed: UInt64) -> [[Double]] {
        var basis: [[Double]] = []
        var rng = CounterRNG(seed: seed)
        while basis.count < d {
            var v = (0..<d).map { _ in Double(rng.nextNormal()) }
            for b in basis {
                let dot = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                v = zip(v, b).map { $0 - dot * $1 }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { basis.append(v.map { $0 / norm }) }
        }
        return basis
    }

    /// A cloud whose covariance is known exactly: for each direction v_k, the two points
    /// centre ± a_k v_k. Then Cov = Σ 2 a_k² v_k v_kᵀ / (n − 1) with n = 2d, so the principal
    /// directions are v_k and the variances 2 a_k² / (n − 1).
    @Test func recoversKnownDirectionsAndVariances() throws {
        let d = 6
        let basis = Self.randomBasis(dimension: d, seed: 3)
        let amplitudes = [5.0, 3.0, 2.0, 1.0, 0.5, 0.25]
        let centre = (0..<d).map { Double($0) - 2.5 }
        var points: [Float] = []
        for k in 0..<d {
            for sign in [1.0, -1.0] {
                points += (0..<d).map { Float(centre[$0] + sign * amplitudes[k] * basis[k][$0]) }
            }
        }
        let n = 2 * d
        let pca = try PrincipalComponents(points: points, count: n, dimension: d, components: 2)
        for k in 0..<2 {
            let dot = zip(pca.directions[k], basis[k]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-4, "direction \(k): |cos| = \(abs(dot))")
            let expected = 2 * amplitudes[k] * amplitudes[k] / Double(n - 1)
            #expect(abs(pca.variances[k] - expected) < 1e-4 * expected, "variance \(k): \(pca.variances[k]) vs \(expected)")
        }
        let total = amplitudes.reduce(0) { $0 + 2 * $1 * $1 } / Double(n - 1)
        #expect(abs(pca.totalVariance - total) < 1e-4 * total)
        #expect(abs(pca.explainedFractions[0] - 2 * 25 / (Double(n - 1) * total)) < 1e-4)
        for j in 0..<d { #expect(abs(pca.mean[j] - centre[j]) < 1e-5) }

        // The first pair of points sits at ±a_0 on PC1 and 0 on PC2.
        let projected = pca.project(points: Array(points[0..<(2 * d)]), count: 2)
        #expect(abs(abs(projected[0][0]) - amplitudes[0]) < 1e-4)
        #expect(abs(projected[0][0] + projected[1][0]) < 1e-4)
        #expect(abs(projected[0][1]) < 1e-4)
    }

    /// Gaussian samples with a known diagonal covariance in a rotated frame: the estimates
    /// converge to it (within sampling error for 20,000 points).
    @Test func estimatesTheCovarianceOfAGaussianCloud() throws {
        let d = 4, n = 20_000
        let basis = Self.randomBasis(dimension: d, seed: 11)
        let sds = [3.0, 1.5, 0.6, 0.2]
        var rng = CounterRNG(seed: 7)
        var points = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            for k in 0..<d {
                let g = Double(rng.nextNormal()) * sds[k]
                for j in 0..<d { points[i * d + j] += Float(g * basis[k][j]) }
            }
        }
        let pca = try PrincipalComponents(points: points, count: n, dimension: d)
        for k in 0..<2 {
            let dot = zip(pca.directions[k], basis[k]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(dot) > 0.995, "direction \(k): |cos| = \(abs(dot))")
            #expect(abs(pca.variances[k] / (sds[k] * sds[k]) - 1) < 0.05, "variance \(k): \(pca.variances[k])")
        }
        // Sign convention: the largest component of each direction is positive.
        for direction in pca.directions {
            let largest = direction.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
    }

    @Test func rejectsTooFewPointsAndNonFiniteValues() {
        #expect(throws: PrincipalComponents.InputError.self) {
            try PrincipalComponents(points: [1, 2], count: 1, dimension: 2)
        }
        #expect(throws: PrincipalComponents.InputError.self) {
            try PrincipalComponents(points: [1, 2, .nan, 4], count: 2, dimension: 2)
        }
        #expect(throws: PrincipalComponents.InputError.self) {
            try PrincipalComponents(points: [1, 2, 3], count: 2, dimension: 2)
        }
    }
}
