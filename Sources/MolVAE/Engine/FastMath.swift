import Foundation

/// The GRU's gate nonlinearities. glibc's tanhf (through expm1f) was ~9% of a training step
/// and scalar libm calls keep loops from vectorising, so these are written out here.

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

/// tanh = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|); below |x| < 1/16, where 1 − e would lose
/// relative precision, the Taylor polynomial (next term < 1e-12).
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
/// [3H] (W_h h + b_h) and h_prev, writes the gate values r,z,n to gv [3H] (gv may alias xi),
/// W_hn h + b_hn to hn if given, and h' to out (may alias hp). Three simple loops, each with
/// few pointers, so that LLVM vectorises them (one fused loop over six pointers it would not).
@inline(__always)
func gruRow(_ xi: UnsafePointer<Float>, _ hg: UnsafePointer<Float>, _ hp: UnsafePointer<Float>, _ h: Int,
            _ out: UnsafeMutablePointer<Float>, gates gv: UnsafeMutablePointer<Float>, hn hnb: UnsafeMutablePointer<Float>?) {
    if let hnb { hnb.update(from: hg + 2 * h, count: h) }
    for j in 0..<(2 * h) { gv[j] = sigmoidApprox(xi[j] + hg[j]) }
    let xn = xi + 2 * h, hgn = hg + 2 * h, n = gv + 2 * h, z = gv + h
    for j in 0..<h { n[j] = tanhApprox(xn[j] + gv[j] * hgn[j]) }
    for j in 0..<h { out[j] = (1 - z[j]) * n[j] + z[j] * hp[j] }
}

/// gruRow for decoding, in place: r, z go into hg [3H] (W_h h + b_h), n into xi's third block,
/// and hs (the row's state) becomes h'. Each loop writes one pointer at the index it reads, and
/// reads other buffers, so LLVM's runtime overlap checks pass and the loops vectorise (gruRow
/// with out == hp fails them and runs scalar).
@inline(__always)
func gruRowInPlace(_ xi: UnsafeMutablePointer<Float>, _ hg: UnsafeMutablePointer<Float>, _ hs: UnsafeMutablePointer<Float>, _ h: Int) {
    for j in 0..<(2 * h) { hg[j] = sigmoidApprox(xi[j] + hg[j]) }
    let n = xi + 2 * h, hgn = UnsafePointer(hg + 2 * h), r = UnsafePointer(hg), z = UnsafePointer(hg + h)
    for j in 0..<h { n[j] = tanhApprox(n[j] + r[j] * hgn[j]) }
    for j in 0..<h { hs[j] = (1 - z[j]) * n[j] + z[j] * hs[j] }
}

/// Backward of one GRU row. In: gate values r,z,n [3H], W_hn h + b_hn [H], h_prev, dL/dh' from
/// above (dOut) and, if hasCarry, from the next step (carry). Out: dL/d(input gates) [3H]
/// (dr, dz, dn pre-activation), dL/d(hidden gates) [3H] (dr, dz, dn ⊙ r) and, in carry, the
/// direct part dL/dh_prev = grad ⊙ z (the caller adds dgh W_hh). Short loops, one written
/// pointer each, so they vectorise.
@inline(__always)
func gruRowBackward(gates gv: UnsafePointer<Float>, hn: UnsafePointer<Float>, hPrev hp: UnsafePointer<Float>,
                    dOut dy: UnsafePointer<Float>, carry cb: UnsafeMutablePointer<Float>, hasCarry: Bool,
                    dInput di: UnsafeMutablePointer<Float>, dHidden dh: UnsafeMutablePointer<Float>, _ h: Int) {
    if hasCarry { for j in 0..<h { cb[j] += dy[j] } } else { cb.update(from: dy, count: h) }
    let r = gv, z = gv + h, n = gv + 2 * h
    let dr = di, dz = di + h, dn = di + 2 * h
    for j in 0..<h { dn[j] = cb[j] * (1 - z[j]) * (1 - n[j] * n[j]) }
    for j in 0..<h { dz[j] = cb[j] * (hp[j] - n[j]) * z[j] * (1 - z[j]) }
    for j in 0..<h { dr[j] = dn[j] * hn[j] * r[j] * (1 - r[j]) }
    dh.update(from: di, count: 2 * h)
    let dhn = dh + 2 * h
    for j in 0..<h { dhn[j] = dn[j] * r[j] }
    for j in 0..<h { cb[j] *= z[j] }
}
