// An AVX-512 SGEMM for the products C += A · Wᵀ whose right side is a fixed weight matrix W
// (torch's [out, in] layout): the LSTM products of ChemNet. W is packed once, at load, into the
// layout the micro-kernel reads (packed_gemm.c); A is packed per call into caller-owned scratch,
// so a call allocates nothing.
//
// Each element of C is one fixed sequence of operations over k (its K blocks in order, each a
// chain of fused multiply-adds from zero, added to C), whatever m is and wherever the row falls
// in a register block, so a row's result does not depend on the other rows of the call.
#ifndef PACKED_GEMM_H
#define PACKED_GEMM_H

#ifdef __cplusplus
extern "C" {
#endif

// 1 when the CPU has the AVX-512 subsets the kernel is compiled for (mk_cpu_has_avx512_gemm)
// and the environment variable MOLVAE_PORTABLE_KERNELS is not 1 (read once). Callers use their
// cblas path otherwise; the functions below must not be called then.
int mk_gemm_avx512_available(void);

// Floats needed for the packed copy of W [n, k].
long mk_gemm_packed_size(long n, long k);

// Packs W [n, k] (row stride ldw) into `packed` (mk_gemm_packed_size floats; 64-byte aligned
// is best, any alignment works).
void mk_gemm_pack(const float *w, long ldw, long n, long k, float *packed);

// Floats of scratch a call with these m and k needs (the packed block of A).
long mk_gemm_scratch_size(long m, long k);

// C [m, n] (row stride ldc) += A [m, k] (row stride lda) · Wᵀ, W packed by mk_gemm_pack with the
// same n and k. `scratch` holds mk_gemm_scratch_size(m, k) floats (any alignment: the size
// includes room to align it). Only C's m × n elements are read or written.
void mk_gemm_packed_acc(long m, long n, long k, const float *a, long lda, const float *packed,
                        float *c, long ldc, float *scratch);

#ifdef __cplusplus
}
#endif
#endif
