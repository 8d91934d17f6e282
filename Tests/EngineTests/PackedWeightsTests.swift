import Testing
@testable import MolVAE

/// The packed AVX-512 product (CKernels/packed_gemm.c) against the plain definition, on shapes
/// that exercise every edge of its blocking: rows not a multiple of the 14-row register tile,
/// columns not a multiple of the 32-column panel, depths across the 256 K block, and more rows
/// than one 518-row block. Skipped on CPUs without AVX-512, where the engine never calls it.
@Suite(.enabled(if: ProductKernel.packedAvailable, "the CPU has no AVX-512 (or MOLVAE_PORTABLE_KERNELS=1)"))
struct PackedWeightsTests {
    /// C += A · Wᵀ in Double, over padded leading dimensions, and for each element the sum of the
    /// magnitudes of its terms (|c| + Σ|a·w|), which bounds the rounding error of any float sum.
    static func reference(_ a: [Float], lda: Int, _ w: [Float], _ c: [Float], ldc: Int, m: Int, n: Int, k: Int)
        -> (values: [Double], magnitudes: [Double]) {
        var out = c.map(Double.init), magnitudes = c.map { Double(abs($0)) }
        for i in 0..<m {
            for j in 0..<n {
                var sum = Double(c[i * ldc + j]), magnitude = abs(sum)
                for p in 0..<k {
                    let term = Double(a[i * lda + p]) * Double(w[j * k + p])
                    sum += term
                    magnitude += abs(term)
                }
                out[i * ldc + j] = sum
                magnitudes[i * ldc + j] = magnitude
            }
        }
        return (out, magnitudes)
    }

    @Test(arguments: [(1, 1, 1), (13, 31, 7), (14, 32, 256), (15, 33, 257), (29, 70, 300), (3, 17, 600),
                      (1037, 47, 19), (40, 2048, 512)])
    func equalsThePlainProduct(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let lda = k + 3, ldc = n + 5
        let a = randomValues(m * lda, seed: 1), w = randomValues(n * k, seed: 2), start = randomValues(m * ldc, seed: 3)
        let expected = Self.reference(a, lda: lda, w, start, ldc: ldc, m: m, n: n, k: k)
        let packed = w.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: n, k: k) }!
        let c = Vec(start), scratch = FloatBuffer()
        a.withUnsafeBufferPointer { packed.accumulate($0.baseAddress!, lda: lda, rows: m, into: c.p, ldc: ldc, scratch: scratch) }
        // Each element is a float sum of k + 1 terms: its error is at most (k + 1) · 2⁻²⁴ times the
        // sum of the terms' magnitudes (the classic bound, whatever the order of the additions).
        // Measured as a fraction of that bound; a lost or doubled term would be far outside it.
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let e = i * ldc + j
                let bound = Double(k + 1) * 0x1p-24 * expected.magnitudes[e]
                worst = max(worst, abs(Double(c[e]) - expected.values[e]) / bound)
            }
            // The padding columns of C (ldc > n) are neither read into the result nor written.
            for j in n..<ldc { #expect(c[i * ldc + j] == start[i * ldc + j]) }
        }
        #expect(worst <= 1, "\(m)×\(n)×\(k): largest error \(worst) of the rounding bound")
    }

    /// A row's result does not depend on the other rows of the call (its register tile, its row
    /// block): the same bits alone as in company. This is what makes ChemNet's features exactly
    /// independent of the molecules that share a chunk.
    @Test func aRowIsTheSameAloneOrInCompany() {
        let m = 45, n = 70, k = 300
        let a = randomValues(m * k, seed: 4), w = randomValues(n * k, seed: 5), start = randomValues(m * n, seed: 6)
        let packed = w.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: n, k: k) }!
        let together = Vec(start), scratch = FloatBuffer()
        a.withUnsafeBufferPointer { packed.accumulate($0.baseAddress!, lda: k, rows: m, into: together.p, ldc: n, scratch: scratch) }
        for row in [0, 13, 14, 44] {
            let alone = Vec(Array(start[(row * n)..<((row + 1) * n)]))
            a.withUnsafeBufferPointer { packed.accumulate($0.baseAddress! + row * k, lda: k, rows: 1, into: alone.p, ldc: n, scratch: scratch) }
            #expect((0..<n).allSatisfy { alone[$0] == together[row * n + $0] }, "row \(row)")
        }
    }

    /// An LSTM on the packed kernel and one on OpenBLAS (the path of CPUs without AVX-512) give the
    /// same states to rounding.
    @Test func lstmKernelsAgree() {
        let input = 37, hidden = 45, steps = 12
        let wih = randomValues(4 * hidden * input, seed: 7, scale: 0.3), whh = randomValues(4 * hidden * hidden, seed: 8, scale: 0.3)
        let bih = randomValues(4 * hidden, seed: 9), bhh = randomValues(4 * hidden, seed: 10)
        let packed = LSTM(weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh, inputSize: input, hiddenSize: hidden)
        let blas = LSTM(weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh, inputSize: input, hiddenSize: hidden, kernel: .blas)
        #expect(packed.usesPackedKernel && !blas.usesPackedKernel)
        let x = randomValues(steps * input, seed: 11)
        let difference = zip(packed.run(x, steps: steps), blas.run(x, steps: steps)).map { abs($0 - $1) }.max()!
        #expect(difference <= 1e-5, "largest difference \(difference)")
    }
}
