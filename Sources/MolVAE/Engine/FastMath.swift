import Foundation

/// Sigmoid and tanh for the GRU's inner loops. glibc's tanhf goes through expm1f and was ~9%
/// of a training step; these use one expf each (the fast FMA path) and stay within a few
/// float ulps: tanh from (1 − e)/(1 + e) with e = exp(−2|x|), and a Taylor polynomial below
/// |x| < 1/16, where 1 − e would lose relative precision (next term < 1e-12).
@inline(__always)
func fastSigmoid(_ x: Float) -> Float {
    1 / (1 + expf(-x))
}

@inline(__always)
func fastTanh(_ x: Float) -> Float {
    let ax = abs(x)
    if ax < 0.0625 {
        let x2 = x * x
        return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315))))
    }
    let e = expf(-2 * ax)
    let t = (1 - e) / (1 + e)
    return x < 0 ? -t : t
}
