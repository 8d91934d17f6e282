import CKernels

/// Which code computes a layer's products with its fixed weights.
public enum ProductKernel: Sendable {
    /// The packed AVX-512 SGEMM (CKernels/packed_gemm.c) where the CPU has AVX-512 and
    /// MOLVAE_PORTABLE_KERNELS is not 1; OpenBLAS otherwise.
    case auto
    /// OpenBLAS (cblas_sgemm) on the weights as stored: the path of CPUs without AVX-512.
    case blas

    /// Whether `.auto` takes the packed kernel on this machine.
    public static var packedAvailable: Bool { mk_gemm_avx512_available() != 0 }
}

/// A weight matrix W [n, k] (torch's [out, in]) packed once into the layout of the AVX-512
/// micro-kernel, for products C += A · Wᵀ. OpenBLAS reads W as stored and uses the kernels that
/// OPENBLAS_CORETYPE names, AVX2 ones where a machine image forces them; this product runs at
/// the CPU's AVX-512 rate whatever the environment says. Immutable after init: threads share it,
/// each with its own scratch buffer.
public final class PackedWeights: @unchecked Sendable {
    public let n: Int
    public let k: Int
    private let packed: UnsafeMutableRawPointer

    /// nil where the packed kernel is not available (see `ProductKernel.packedAvailable`).
    public init?(_ weight: UnsafePointer<Float>, n: Int, k: Int) {
        guard ProductKernel.packedAvailable, n > 0, k > 0 else { return nil }
        self.n = n
        self.k = k
        packed = .allocate(byteCount: mk_gemm_packed_size(n, k) * MemoryLayout<Float>.size, alignment: 64)
        mk_gemm_pack(weight, k, n, k, packed.assumingMemoryBound(to: Float.self))
    }

    deinit { packed.deallocate() }

    /// The packed copy, for kernels that read it directly (the fused LSTM step).
    var pointer: UnsafePointer<Float> { UnsafePointer(packed.assumingMemoryBound(to: Float.self)) }

    /// C [rows, n] (row stride ldc) += A [rows, k] (row stride lda) · Wᵀ. `scratch` grows to what
    /// the largest call needs and is then reused: no allocation in steady state.
    public func accumulate(_ a: UnsafePointer<Float>, lda: Int, rows: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                           scratch: FloatBuffer) {
        guard rows > 0 else { return }
        let work = scratch.reserve(mk_gemm_scratch_size(rows, k))
        mk_gemm_packed_acc(rows, n, k, a, lda, packed.assumingMemoryBound(to: Float.self), c, ldc, work)
    }
}
