import Foundation
import Testing
@testable import MolVAE

@Suite struct LatentPathTests {
    @Test func timesRunFromZeroToOneInclusive() {
        #expect(LatentPath.times(steps: 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(LatentPath.times(steps: 1) == [0])
    }

    @Test func bothMethodsStartAndEndAtTheEndpoints() {
        let a: [Float] = [1, -2, 0.5, 3], b: [Float] = [-0.5, 1, 2, -1]
        for method in InterpolationMethod.allCases {
            let path = LatentPath.points(from: a, to: b, steps: 7, method: method)
            #expect(path.count == 7)
            #expect(LatentPath.distance(path.first!.z, a) < 1e-5, "\(method) t=0")
            #expect(LatentPath.distance(path.last!.z, b) < 1e-5, "\(method) t=1")
        }
    }

    @Test func linearMidpointIsTheAverage() {
        let mid = LatentPath.point(from: [0, 2, -4], to: [2, 0, 4], t: 0.5, method: .linear)
        #expect(mid == [1, 1, 0])
    }

    /// Slerp's norm stays between the endpoints' norms, even for wide angles where the plain
    /// slerp formula on unnormalised vectors would dip below both; linear does dip.
    @Test func slerpKeepsTheNormBetweenTheEndpoints() {
        var rng = CounterRNG(seed: 42)
        var linearDipped = false
        for trial in 0..<50 {
            let d = 16
            let a = (0..<d).map { _ in rng.nextNormal() * 2 }
            // Some pairs nearly opposite, some unrelated, with different norms.
            let b = (0..<d).map { j in (trial % 3 == 0 ? -a[j] * 0.6 : 0) + rng.nextNormal() * (trial % 2 == 0 ? 0.5 : 1.5) }
            let low = min(LatentPath.norm(a), LatentPath.norm(b)), high = max(LatentPath.norm(a), LatentPath.norm(b))
            for (t, z) in LatentPath.points(from: a, to: b, steps: 11, method: .slerp) {
                let n = LatentPath.norm(z)
                #expect(n >= low - 1e-4 && n <= high + 1e-4, "trial \(trial) t=\(t): |z| = \(n) outside [\(low), \(high)]")
            }
            let mid = LatentPath.point(from: a, to: b, t: 0.5, method: .linear)
            if LatentPath.norm(mid) < low - 1e-3 { linearDipped = true }
        }
        #expect(linearDipped, "the test pairs should include ones where the straight line loses norm")
    }

    /// For endpoints of equal norm, slerp moves along the great circle at constant angular speed.
    @Test func slerpTurnsAtConstantAngularSpeed() {
        let a: [Float] = [1, 0, 0], b: [Float] = [0, 1, 0]
        let z = LatentPath.point(from: a, to: b, t: 1.0 / 3, method: .slerp)
        #expect(abs(Double(z[0]) - cos(Double.pi / 6)) < 1e-6)
        #expect(abs(Double(z[1]) - sin(Double.pi / 6)) < 1e-6)
        #expect(abs(z[2]) < 1e-7)
    }
}
