import Foundation
import Testing
@testable import MolVAE

@Suite struct NeighborsTests {
    @Test func directionsAreUnitLengthSeededAndDistinct() {
        let a = SphereDirections.direction(index: 0, dimension: 32, seed: 9)
        let again = SphereDirections.direction(index: 0, dimension: 32, seed: 9)
        let b = SphereDirections.direction(index: 1, dimension: 32, seed: 9)
        let otherSeed = SphereDirections.direction(index: 0, dimension: 32, seed: 10)
        #expect(abs(LatentPath.norm(a) - 1) < 1e-5)
        #expect(a == again)
        #expect(a != b && a != otherSeed)
        let centre: [Float] = (0..<32).map { Float($0) * 0.1 }
        let p = SphereDirections.point(around: centre, radius: 2.5, index: 4, seed: 9)
        #expect(abs(LatentPath.distance(p, centre) - 2.5) < 1e-4)
    }

    /// Uniform on the sphere: the mean of many directions is near zero in every coordinate.
    @Test func directionsHaveNoPreferredSide() {
        let d = 8, n = 4000
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let u = SphereDirections.direction(index: i, dimension: d, seed: 1)
            for j in 0..<d { mean[j] += Double(u[j]) / Double(n) }
        }
        // Each coordinate has variance 1/d; the mean's sd is sqrt(1/(d n)) ≈ 0.0056.
        #expect(mean.allSatisfy { abs($0) < 0.03 }, "\(mean)")
    }
}
