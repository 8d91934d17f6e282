import Foundation
import Testing
@testable import MolVAE

@Suite struct CMAESTests {
    /// On a shifted sphere in 10-D, CMA-ES converges to the optimum.
    @Test func findsTheOptimumOfASphere() {
        let n = 10
        let optimum = (0..<n).map { Double($0) / 5 - 1 }
        let es = CMAES(mean: [Double](repeating: 0, count: n), sigma: 0.5, seed: 3)
        var best = -Double.infinity
        for _ in 0..<300 {
            let xs = es.ask()
            let f = xs.map { x in -zip(x, optimum).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            best = max(best, f.max()!)
            es.tell(f)
        }
        #expect(best > -1e-8, "best \(best)")
        #expect(zip(es.mean, optimum).allSatisfy { abs($0 - $1) < 1e-3 })
    }

    /// The covariance adapts to an ill-conditioned ellipsoid (1 : 10⁴ scales), which plain
    /// isotropic search would crawl through.
    @Test func adaptsToAnIllConditionedEllipsoid() {
        let n = 6
        let scales = (0..<n).map { pow(100.0, Double($0) / Double(n - 1)) }
        let es = CMAES(mean: [Double](repeating: 1, count: n), sigma: 0.3, seed: 8)
        var best = -Double.infinity
        for _ in 0..<500 {
            let xs = es.ask()
            let f = xs.map { x in -zip(x, scales).reduce(0) { $0 + ($1.1 * $1.0) * ($1.1 * $1.0) } }
            best = max(best, f.max()!)
            es.tell(f)
        }
        #expect(best > -1e-8, "best \(best)")
    }

    @Test func sameSeedSameRun() {
        func run(_ seed: UInt64) -> [Double] {
            let es = CMAES(mean: [0, 0, 0], sigma: 1, seed: seed)
            for _ in 0..<5 { let xs = es.ask(); es.tell(xs.map { -$0[0] * $0[0] - $0[1] }) }
            return es.mean
        }
        #expect(run(1) == run(1))
        #expect(run(1) != run(2))
    }
}
