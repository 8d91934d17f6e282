import Foundation

/// Sigmoid and tanh with one expf each (glibc's tanhf goes through expm1f and was ~9% of a
/// training step): tanh from (1 − e)/(1 + e) with e = exp(−2|x|), and a Taylor polynomial
/// below |x| < 1/16, where 1 − e would lose relative precision (next term < 1e-12).
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

/// exp without a libm call (Cephes expf: clamp, Cody–Waite reduction by ln 2, degree-6
/// polynomial, exponent assembled in the float's bits); about 1 ulp. Straight-line arithmetic
/// and selects only, so loops calling it auto-vectorise. (Swift's SIMD16 min/max/select lower
/// to scalar lane loops on the baseline x86-64 target, which made an explicit-SIMD version
/// slower than this.)
@inline(__always)
func expApprox(_ v: Float) -> Float {
    var x = v < -87.3 ? -87.3 : v
    x = x > 88.3 ? 88.3 : x
    let t = x * 1.442_695_04 + 12_582_912             // 1.5·2^23: adding it rounds to an integer
    let n = t - 12_582_912
    let f = x - n * 0.693_359_375 - n * -2.121_944_40e-4
    var p: Float = 1.987_569_150_0e-4
    p = p * f + 1.398_199_950_7e-3
    p = p * f + 8.333_451_907_3e-3
    p = p * f + 4.166_579_589_4e-2
    p = p * f + 1.666_666_545_9e-1
    p = p * f + 5.000_000_120_1e-1
    p = p * (f * f) + f + 1
    let k = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000   // the integer n
    return p * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
}

@inline(__always)
func sigmoidApprox(_ x: Float) -> Float { 1 / (1 + expApprox(-x)) }

/// tanh = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|); Taylor polynomial below |x| < 1/16.
@inline(__always)
func tanhApprox(_ x: Float) -> Float {
    let ax = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF)
    let e = expApprox(-2 * ax)
    let big = (1 - e) / (1 + e)
    let x2 = x * x
    let small = ax * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315))))
    let t = ax < 0.0625 ? small : big
    return Float(bitPattern: t.bitPattern | (x.bitPattern & 0x8000_0000))
}

/// One GRU row: from input gates xi [3H] (incl. b_ih and any constant part), hidden gates hg
/// [3H] (W_h h + b_h) and h_prev, writes h' to out (may alias hp) and, for training, the gate
/// values r,z,n [3H] and W_hn h + b_hn [H].
@inline(__always)
func gruRow(_ xi: UnsafePointer<Float>, _ hg: UnsafePointer<Float>, _ hp: UnsafePointer<Float>, _ h: Int,
            _ out: UnsafeMutablePointer<Float>, gates gv: UnsafeMutablePointer<Float>?, hn hnb: UnsafeMutablePointer<Float>?) {
    if let gv, let hnb {
        for j in 0..<h {
            let r = sigmoidApprox(xi[j] + hg[j])
            let z = sigmoidApprox(xi[h + j] + hg[h + j])
            let hnv = hg[2 * h + j]
            let nv = tanhApprox(xi[2 * h + j] + r * hnv)
            gv[j] = r; gv[h + j] = z; gv[2 * h + j] = nv; hnb[j] = hnv
            out[j] = (1 - z) * nv + z * hp[j]
        }
    } else {
        for j in 0..<h {
            let r = sigmoidApprox(xi[j] + hg[j])
            let z = sigmoidApprox(xi[h + j] + hg[h + j])
            let nv = tanhApprox(xi[2 * h + j] + r * hg[2 * h + j])
            out[j] = (1 - z) * nv + z * hp[j]
        }
    }
}
