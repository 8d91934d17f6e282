import Foundation
import Testing
@testable import MolVAE

@Suite struct FastMathTests {
    /// The gate nonlinearities against libm in Double, over the range that matters and beyond
    /// (saturation must give exactly 0/1/±1, never NaN or garbage from the exponent bits).
    @Test func accuracyAndSaturation() {
        var worstExp = 0.0, worstTanh = 0.0, worstSigmoid = 0.0
        var x: Float = -90
        while x <= 90 {
            let e = Double(expApprox(x)), ref = exp(Double(x))
            if x > -87 && x < 88 { worstExp = max(worstExp, abs(e - ref) / ref) }
            worstTanh = max(worstTanh, abs(Double(tanhApprox(x)) - tanh(Double(x))) / max(abs(tanh(Double(x))), 1e-30))
            // Relative error where sigmoid is a normal float; below, exp's clamp at -87.3 leaves
            // values under 1e-37 (absolute error, harmless in a gate).
            let s = Double(sigmoidApprox(x)), sref = 1 / (1 + exp(-Double(x)))
            if x > -80 { worstSigmoid = max(worstSigmoid, abs(s - sref) / sref) } else { #expect(s < 1e-34) }
            x += 0.00731
        }
        #expect(worstExp < 3e-7)
        #expect(worstTanh < 5e-7)
        #expect(worstSigmoid < 5e-7)
        #expect(tanhApprox(1e-8) == 1e-8 && tanhApprox(-30) == -1 && tanhApprox(500) == 1)
        #expect(sigmoidApprox(-1000) >= 0 && sigmoidApprox(-1000) < 1e-37 && sigmoidApprox(1000) == 1)
        #expect(expApprox(-1000) >= 0 && expApprox(-1000) < 1e-37 && expApprox(1000).isFinite)
    }
}
