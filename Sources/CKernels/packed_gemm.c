// C += A · Wᵀ with W packed once: the AVX-512 SGEMM behind ChemNet's LSTMs (packed_gemm.h).
//
// Why our own: the second LSTM's recurrent product ([rows, 512] · [512, 2048] per step) is
// nearly all of ChemNet's time, and OpenBLAS runs it with whatever kernels OPENBLAS_CORETYPE
// names (AVX2 under this project's machine image), which a library must not override. On a
// CPU with full-width AVX-512 FMA units (AMD Zen 5, Intel server cores) that is half the peak.
//
// The blocking is GotoBLAS's, with the B side packed ahead of time:
// - W is stored as K blocks of KC (the last one shorter); inside a block, panels of NR = 32
//   columns of Wᵀ, each kc × 32 floats, k-major. A panel (32 KB at kc = 256) stays in L1 while
//   it meets every row block of A. Columns past n are zero.
// - Per call and K block, rows of A are packed into micro-panels of MR rows, k-major (kc × MR),
//   rows past m zero: one sequential stream for the micro-kernel's broadcasts, in L2.
// - The micro-kernel keeps an MR × 32 tile of C in MR × 2 zmm accumulators (28 of 32 registers
//   at MR = 14): per k, two loads of W and MR broadcasts of A feed 2·MR FMAs. The tile is added
//   to C after the k loop, with masks for the columns past n and a row count for the rows past m.
#include "packed_gemm.h"
#include "packed_gemm_internal.h"
#include "similarity_kernels.h"
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mk_gemm_avx512_available(void) {
    static int answer = -1;
    int known = __atomic_load_n(&answer, __ATOMIC_ACQUIRE);
    if (known < 0) {
        const char *portable = getenv("MOLVAE_PORTABLE_KERNELS");
        known = mk_cpu_has_avx512_gemm() && !(portable && strcmp(portable, "1") == 0);
        __atomic_store_n(&answer, known, __ATOMIC_RELEASE);
    }
    return known;
}

long mk_gemm_packed_size(long n, long k) { return round_up(n, NR) * k; }

void mk_gemm_pack(const float *w, long ldw, long n, long k, float *packed) {
    long npad = round_up(n, NR);
    for (long k0 = 0; k0 < k; k0 += KC) {
        long kc = k - k0 < KC ? k - k0 : KC;
        for (long p = 0; p < npad / NR; p++) {
            float *dst = packed + k0 * npad + p * kc * NR;
            for (long kk = 0; kk < kc; kk++) {
                for (long j = 0; j < NR; j++) {
                    long col = p * NR + j;
                    dst[kk * NR + j] = col < n ? w[col * ldw + k0 + kk] : 0.0f;
                }
            }
        }
    }
}

static long row_block(long m) { return balanced_row_block(m, MC); }

long mk_gemm_scratch_size(long m, long k) {
    if (m <= 0 || k <= 0) return 16;
    long mc = row_block(m);
    return mc * (k < KC ? k : KC) + 16;   // + 16: room to align to 64 bytes
}

// C[rows, 32 under masks m0/m1] += (packed A micro-panel) · (packed W panel), depth kc.
AVX512 static void micro_kernel(long kc, const float *restrict a, const float *restrict b, float *restrict c,
                                long ldc, long rows, __mmask16 m0, __mmask16 m1) {
#define DECLARE(i) __m512 c##i##_0 = _mm512_setzero_ps(), c##i##_1 = _mm512_setzero_ps();
    ROWS(DECLARE)
    // The tile of C is read only after the k loop; ask for it now so that it is in L1 by then.
#define PREFETCH(i) if (i < rows) { _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0); \
                                    _mm_prefetch((const char *)(c + i * ldc + NR - 1), _MM_HINT_T0); }
    ROWS(PREFETCH)
    for (long kk = 0; kk < kc; kk++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#define FMA(i) { __m512 ai = _mm512_set1_ps(a[i]); c##i##_0 = _mm512_fmadd_ps(ai, b0, c##i##_0); \
                 c##i##_1 = _mm512_fmadd_ps(ai, b1, c##i##_1); }
        ROWS(FMA)
        a += MR;
        b += NR;
    }
#define STORE(i) if (i < rows) { float *row = c + i * ldc;                                              \
        _mm512_mask_storeu_ps(row, m0, _mm512_add_ps(_mm512_maskz_loadu_ps(m0, row), c##i##_0));       \
        _mm512_mask_storeu_ps(row + 16, m1, _mm512_add_ps(_mm512_maskz_loadu_ps(m1, row + 16), c##i##_1)); }
    ROWS(STORE)
#undef DECLARE
#undef PREFETCH
#undef FMA
#undef STORE
}

void mk_gemm_packed_acc(long m, long n, long k, const float *a, long lda, const float *packed,
                        float *c, long ldc, float *scratch) {
    if (m <= 0 || n <= 0 || k <= 0) return;
    float *ap = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    long npad = round_up(n, NR), mc = row_block(m);
    for (long k0 = 0; k0 < k; k0 += KC) {
        long kc = k - k0 < KC ? k - k0 : KC;
        for (long i0 = 0; i0 < m; i0 += mc) {
            long rows = m - i0 < mc ? m - i0 : mc;
            mk_gemm_pack_a(a + i0 * lda + k0, lda, rows, kc, ap);
            for (long p = 0; p < npad / NR; p++) {
                const float *bp = packed + k0 * npad + p * kc * NR;
                long cols = n - p * NR;
                __mmask16 m0 = low_mask(cols), m1 = low_mask(cols - 16);
                for (long r = 0; r < rows; r += MR) {
                    long live = rows - r < MR ? rows - r : MR;
                    micro_kernel(kc, ap + r * kc, bp, c + (i0 + r) * ldc + p * NR, ldc, live, m0, m1);
                }
            }
        }
    }
}

void mk_gemm_pack_a(const float *a, long lda, long rows, long kc, float *dst) {
    for (long r0 = 0; r0 < rows; r0 += MR) {
        long live = rows - r0 < MR ? rows - r0 : MR;
        for (long i = 0; i < live; i++) {
            const float *src = a + (r0 + i) * lda;
            for (long kk = 0; kk < kc; kk++) dst[kk * MR + i] = src[kk];
        }
        for (long i = live; i < MR; i++) {
            for (long kk = 0; kk < kc; kk++) dst[kk * MR + i] = 0.0f;
        }
        dst += MR * kc;
    }
}
