import Testing
@testable import MolVAE
import MolVAETestSupport

/// A product cut into panels of C (our pool's way of threading a GEMM) gives what one call gives.
@Suite struct MatrixProductTests {
    /// C = alpha op(A) op(B) + beta C for m x n x k, with op(A) m x k and op(B) k x n stored
    /// with padded leading dimensions, as the engine's column-block products do.
    static func product(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, c: Vec, a: Vec, b: Vec) -> MatrixProduct {
        MatrixProduct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7,
                      a: UnsafePointer(a.p), lda: (transA ? m : k) + 3, b: UnsafePointer(b.p), ldb: (transB ? k : n) + 2,
                      beta: 0.5, c: c.p, ldc: n + 1)
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], [(37, 70), (70, 37)])
    func panelsEqualOneCall(_ trans: (Bool, Bool), _ size: (Int, Int)) {
        let (m, n) = size, k = 29
        let a = Vec(randomValues(k * (m + 3) + m * (k + 3), seed: 1))
        let b = Vec(randomValues(k * (n + 2) + n * (k + 2), seed: 2))
        let start = randomValues(m * (n + 1), seed: 3)
        let whole = Vec(start), cut = Vec(start), pooled = Vec(start)
        Self.product(transA: trans.0, transB: trans.1, m: m, n: n, k: k, c: whole, a: a, b: b).run()
        let split = Self.product(transA: trans.0, transB: trans.1, m: m, n: n, k: k, c: cut, a: a, b: b)
        #expect(split.splitsColumns == (n >= m))
        #expect(split.panels == 5)
        for p in [0..<1, 1..<2, 2..<split.panels] { split.run(p) }   // uneven cuts, the last one partial
        let maxDiff = zip(whole.array, cut.array).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDiff <= 1e-5, "panels differ from one call by \(maxDiff)")

        withEngineThreads(2) {
            Self.product(transA: trans.0, transB: trans.1, m: m, n: n, k: k, c: pooled, a: a, b: b).runSplit()
        }
        let poolDiff = zip(whole.array, pooled.array).map { abs($0 - $1) }.max() ?? 0
        #expect(poolDiff <= 1e-5, "pool-split product differs from one call by \(poolDiff)")
        // The padding columns of C (ldc = n + 1) are never written.
        for i in 0..<m { #expect(pooled[i * (n + 1) + n] == start[i * (n + 1) + n]) }
    }
}
