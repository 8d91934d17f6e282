import Foundation
import Testing
@testable import MolVAE

@Suite struct PropertyHeadGradientTests {
    /// d(Σ w_j head(z)_j)/dz against central differences in double-checked float.
    @Test func inputGradientMatchesFiniteDifferences() {
        let latent = 6, rows = 3
        let head = PropertyHead(latent: latent, hidden: 9, outputs: 3, seed: 4)
        var rng = CounterRNG(seed: 11)
        let z = (0..<(rows * latent)).map { _ in rng.nextNormal() }
        let weights: [Float] = [0.7, -1.3, 0.4]
        let (values, gradients) = head.weightedPrediction(at: z, rows: rows, weights: weights)
        func value(_ z: [Float], row: Int) -> Double {
            let p = head.predict(z, rows: rows)
            return (0..<3).reduce(0) { $0 + Double(weights[$1]) * Double(p[row * 3 + $1]) }
        }
        for r in 0..<rows { #expect(abs(Double(values[r]) - value(z, row: r)) < 1e-5) }
        var checked = 0
        let h: Float = 1e-2
        for i in 0..<(rows * latent) {
            var plus = z, minus = z
            plus[i] += h
            minus[i] -= h
            let numeric = (value(plus, row: i / latent) - value(minus, row: i / latent)) / Double(2 * h)
            #expect(abs(numeric - Double(gradients[i])) < 2e-3 * max(1, abs(numeric)), "component \(i)")
            checked += 1
        }
        #expect(checked == rows * latent)
        // The head's own gradients are untouched.
        #expect(head.parameters.allSatisfy { $0.gradients.allSatisfy { $0 == 0 } })
    }
}
