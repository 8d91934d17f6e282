// Microbenchmark: the packed AVX-512 SGEMM (Sources/CKernels/packed_gemm.c) against OpenBLAS's
// cblas_sgemm on the shapes of ChemNet's products, C += A · Wᵀ, one thread, both in one run.
// Built and run by scripts/bench-gemm.
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "packed_gemm.h"

void openblas_set_num_threads(int);
char *openblas_get_corename(void);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static float *randoms(long count, unsigned seed) {
    float *x = aligned_alloc(64, ((count * sizeof(float) + 63) / 64) * 64 + 64);
    srand(seed);
    for (long i = 0; i < count; i++) x[i] = (float)(rand() / (double)RAND_MAX) - 0.5f;
    return x;
}

// Best of `rounds` timings of `reps` calls, in GFLOP/s.
#define TIME(expr, flops, reps, rounds, out) do {                          \
        double best = 1e30;                                              \
        for (int r_ = 0; r_ < (rounds); r_++) {                          \
            double t0_ = now();                                          \
            for (int i_ = 0; i_ < (reps); i_++) { expr; }                \
            double t_ = now() - t0_;                                     \
            if (t_ < best) best = t_;                                    \
        }                                                                \
        out = (flops) * (reps) / best * 1e-9;                            \
    } while (0)

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    openblas_set_num_threads(1);
    if (!mk_gemm_avx512_available()) { fprintf(stderr, "no AVX-512 (or MOLVAE_PORTABLE_KERNELS=1)\n"); return 1; }
    printf("OpenBLAS core: %s, OPENBLAS_CORETYPE=%s\n", openblas_get_corename(),
           getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)");
    printf("%-34s %10s %10s %7s %10s\n", "m x n x k", "cblas GF/s", "packed GF/s", "ratio", "max |diff|");
    // ChemNet: LSTM2 recurrent (chunk of 512, smaller chunks), LSTM1 recurrent, LSTM2 input projection.
    long shapes[][3] = {{512, 2048, 512}, {256, 2048, 512}, {37, 2048, 512}, {512, 512, 128},
                        {6144, 2048, 128}, {8, 2048, 512}, {1000, 1000, 300}};
    const char *names[] = {"LSTM2 h.W_hh^T, chunk 512", "LSTM2 h.W_hh^T, 256 rows", "LSTM2 h.W_hh^T, 37 rows",
                           "LSTM1 h.W_hh^T, 512 rows", "LSTM2 x.W_ih^T, 6144 rows", "LSTM2 h.W_hh^T, 8 rows",
                           "square-ish 1000x1000x300"};
    for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        long m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = randoms(m * k, 1), *w = randoms(n * k, 2), *c0 = randoms(m * n, 3);
        float *c1 = randoms(m * n, 3), *c2 = randoms(m * n, 3);
        float *packed = aligned_alloc(64, mk_gemm_packed_size(n, k) * sizeof(float));
        float *scratch = malloc(mk_gemm_scratch_size(m, k) * sizeof(float));
        mk_gemm_pack(w, k, n, k, packed);
        // One call each on the same C for the agreement column.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, a, k, w, k, 1, c1, n);
        mk_gemm_packed_acc(m, n, k, a, k, packed, c2, n, scratch);
        double diff = 0;
        for (long i = 0; i < m * n; i++) diff = fmax(diff, fabs(c1[i] - c2[i]));
        double flops = 2.0 * m * n * k;
        int reps = (int)(3e9 / flops) + 1;   // about 30 ms a round at 100 GFLOP/s
        double blas, ours;
        // Interleaved rounds so that a load spike hits both sides alike.
        double bestB = 0, bestO = 0;
        for (int r = 0; r < rounds; r++) {
            TIME(cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, a, k, w, k, 1, c0, n), flops, reps, 1, blas);
            TIME(mk_gemm_packed_acc(m, n, k, a, k, packed, c0, n, scratch), flops, reps, 1, ours);
            if (blas > bestB) bestB = blas;
            if (ours > bestO) bestO = ours;
        }
        char label[64];
        snprintf(label, sizeof label, "%ldx%ldx%ld", m, n, k);
        printf("%-14s %-26s %7.1f %10.1f %7.2f %10.2e\n", label, names[s], bestB, bestO, bestO / bestB, diff);
        free(a); free(w); free(c0); free(c1); free(c2); free(packed); free(scratch);
    }
    return 0;
}
