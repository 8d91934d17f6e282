import CBLAS

/// Row-major SGEMM: C = alpha * op(A) * op(B) + beta * C, with op(X) = X or X^T.
/// Every matrix product of the engine goes through here so that leading dimensions can point
/// at column blocks of larger matrices (e.g. the z columns of a GRU input weight) without copies.
@inline(__always)
func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
           _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
           _ b: UnsafePointer<Float>, _ ldb: Int,
           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        else if beta != 1 { for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } } }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// y[r, :] = bias for every row (the start of every affine layer's output).
@inline(__always)
func broadcastRows(_ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows { (y + r * cols).update(from: bias, count: cols) }
}

/// db[j] += scale * sum_r dy[r, j].
@inline(__always)
func accumulateColumnSums(_ db: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, rows: Int, cols: Int, scale: Float = 1) {
    if scale == 1 {
        for r in 0..<rows { let row = dy + r * cols; for j in 0..<cols { db[j] += row[j] } }
    } else {
        for r in 0..<rows { let row = dy + r * cols; for j in 0..<cols { db[j] += scale * row[j] } }
    }
}
