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

typealias Vec16 = SIMD16<Float>

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> Vec16 {
    UnsafeRawPointer(p).loadUnaligned(as: Vec16.self)
}

@inline(__always) func store16(_ v: Vec16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec16.self)
}

/// exp on 16 lanes (Cephes expf: Cody–Waite reduction by ln 2, degree-6 polynomial, exponent by
/// bit assembly); about 1 ulp, no libm call, so the GRU's gate loop vectorises.
@inline(__always)
func exp16(_ v: Vec16) -> Vec16 {
    let x = v.clamped(lowerBound: Vec16(repeating: -87.3), upperBound: Vec16(repeating: 88.3))
    let magic = Vec16(repeating: 12_582_912)          // 1.5·2^23: adding it rounds to an integer
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    let f = x - n * 0.693_359_375 - n * -2.121_944_40e-4
    var p = Vec16(repeating: 1.987_569_150_0e-4)
    p = p * f + 1.398_199_950_7e-3
    p = p * f + 8.333_451_907_3e-3
    p = p * f + 4.166_579_589_4e-2
    p = p * f + 1.666_666_545_9e-1
    p = p * f + 5.000_000_120_1e-1
    p = p * (f * f) + f + 1
    let k = unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000   // the integer n
    let scale = unsafeBitCast((k &+ 127) &<< 23, to: Vec16.self)
    return p * scale
}

@inline(__always)
func sigmoid16(_ x: Vec16) -> Vec16 { 1 / (1 + exp16(-x)) }

@inline(__always)
func tanh16(_ x: Vec16) -> Vec16 {
    let ax = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Vec16.self)
    let e = exp16(-2 * ax)
    let one = Vec16(repeating: 1)
    var t = (one - e) / (one + e)
    let x2 = x * x
    var poly = Vec16(repeating: -17.0 / 315)
    poly = poly * x2 + Vec16(repeating: 2.0 / 15)
    poly = poly * x2 + Vec16(repeating: -1.0 / 3)
    poly = poly * x2 + one
    t.replace(with: ax * poly, where: ax .< 0.0625)
    t.replace(with: -t, where: x .< 0)
    return t
}

/// One GRU row: from input gates xi [3H] (incl. b_ih and any constant part), hidden gates hg
/// [3H] (W_h h + b_h) and h_prev, writes h' to out (may alias hp) and, for training, the gate
/// values r,z,n [3H] and W_hn h + b_hn [H].
@inline(__always)
func gruRow(_ xi: UnsafePointer<Float>, _ hg: UnsafePointer<Float>, _ hp: UnsafePointer<Float>, _ h: Int,
            _ out: UnsafeMutablePointer<Float>, gates gv: UnsafeMutablePointer<Float>?, hn hnb: UnsafeMutablePointer<Float>?) {
    var j = 0
    while j + 16 <= h {
        let r = sigmoid16(load16(xi + j) + load16(hg + j))
        let z = sigmoid16(load16(xi + h + j) + load16(hg + h + j))
        let hnv = load16(hg + 2 * h + j)
        let nv = tanh16(load16(xi + 2 * h + j) + r * hnv)
        let hv = (1 - z) * nv + z * load16(hp + j)
        if let gv {
            store16(r, gv + j); store16(z, gv + h + j); store16(nv, gv + 2 * h + j)
        }
        if let hnb { store16(hnv, hnb + j) }
        store16(hv, out + j)
        j += 16
    }
    while j < h {
        let r = fastSigmoid(xi[j] + hg[j])
        let z = fastSigmoid(xi[h + j] + hg[h + j])
        let hnv = hg[2 * h + j]
        let nv = fastTanh(xi[2 * h + j] + r * hnv)
        let hv = (1 - z) * nv + z * hp[j]
        if let gv { gv[j] = r; gv[h + j] = z; gv[2 * h + j] = nv }
        if let hnb { hnb[j] = hnv }
        out[j] = hv
        j += 1
    }
}
