import CBLAS

/// Row-major SGEMM: C = alpha * op(A) * op(B) + beta * C, with op(X) = X or X^T.
/// Every matrix product of the engine goes through here so that leading dimensions can point
/// at column blocks of larger matrices (e.g. the z columns of a GRU input weight) without copies,
/// and so that one place decides how a product uses the threads (`EngineThreads.gemmThreading`).
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
    let product = MatrixProduct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    if EngineThreads.gemmThreads > 1, EngineThreads.gemmThreading == .pool, m * n * k >= MatrixProduct.splitThreshold {
        product.runSplit()
    } else {
        product.run()
    }
}

/// One row-major SGEMM call, which can run as independent panels of C on our worker pool.
/// Each panel is a single-threaded OpenBLAS product over the full k, so an element of C is the
/// same sum whichever way C is cut.
struct MatrixProduct: ParallelWork {
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    /// m·n·k below which a product runs on one thread: OpenBLAS's own cut-off
    /// (GEMM_MULTITHREAD_THRESHOLD 4 × 65,536), where the handover costs more than it saves.
    static let splitThreshold = 4 * 65_536
    /// Panel edge: a multiple of the SGEMM kernels' register blocks (16 and 8 on x86-64).
    static let panel = 16

    /// Cuts along the longer side of C.
    var splitsColumns: Bool { n >= m }
    var panels: Int { ((splitsColumns ? n : m) + Self.panel - 1) / Self.panel }

    /// The panels in contiguous chunks, one per pool thread.
    func runSplit() {
        if panels < 2 { run(); return }
        EngineThreads.parallelFor(panels, minPerChunk: 1, work: self)
    }

    /// Panels `range` of C (ParallelWork).
    func run(_ range: Range<Int>) {
        let lo = range.lowerBound * Self.panel, hi = min(range.upperBound * Self.panel, splitsColumns ? n : m)
        guard lo < hi else { return }
        if splitsColumns {
            // Columns lo..<hi of C come from columns lo..<hi of op(B).
            let bPanel = transB ? b + lo * ldb : b + lo
            Self.cblas(transA, transB, m, hi - lo, k, alpha, a, lda, bPanel, ldb, beta, c + lo, ldc)
        } else {
            // Rows lo..<hi of C come from rows lo..<hi of op(A).
            let aPanel = transA ? a + lo : a + lo * lda
            Self.cblas(transA, transB, hi - lo, n, k, alpha, aPanel, lda, b, ldb, beta, c + lo * ldc, ldc)
        }
    }

    func run() { Self.cblas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) }

    @inline(__always)
    static func cblas(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                      _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                      _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
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
