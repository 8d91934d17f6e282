// One LSTM step of ChemNet's second LSTM on one thread, unfused (copy the input half into a
// [rows, 4H] gates matrix, the packed product, the cell per row) against the fused step
// (lstm_step.c), interleaved per round: per-thread CPU seconds (CLOCK_THREAD_CPUTIME_ID, which
// on a shared machine counts only this thread), the best of the rounds, and the number of h and
// c values that differ (0: the same bits). Inputs are contiguous rows here; in ChemNet they lie
// in a buffer far larger than L3, which this does not reproduce (`molvae bench chemnet` does).
#include "lstm_step.h"
#include "packed_gemm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mk_lstm_cell(float *gates, float *h, float *c, long n);

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float next_random(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return ((*s >> 8) / 16777216.0f * 2 - 1) * 0.1f;
}

int main(int argc, char **argv) {
    long m = argc > 1 ? atol(argv[1]) : 512, hidden = argc > 2 ? atol(argv[2]) : 512;
    long steps = argc > 3 ? atol(argv[3]) : 20;
    int rounds = argc > 4 ? atoi(argv[4]) : 5;
    if (!mk_gemm_avx512_available() || hidden % 8 != 0) { fprintf(stderr, "needs AVX-512 and hidden %% 8 == 0\n"); return 1; }
    long g = 4 * hidden;
    unsigned seed = 1;
    float *w = malloc(g * hidden * 4), *wi = malloc(g * hidden * 4), *in = malloc(m * g * 4), *ini = malloc(m * g * 4);
    for (long i = 0; i < g * hidden; i++) w[i] = next_random(&seed);
    for (long i = 0; i < m * g; i++) in[i] = next_random(&seed) * 10;
    for (long q = 0; q < g; q++) {   // the interleaved copies of W_hh and of the input halves
        long r = mk_lstm_interleaved_row(q, hidden);
        memcpy(wi + q * hidden, w + r * hidden, hidden * 4);
        for (long i = 0; i < m; i++) ini[i * g + q] = in[i * g + r];
    }
    long packed_size = mk_gemm_packed_size(g, hidden) * 4;
    float *pw = aligned_alloc(64, packed_size), *pwi = aligned_alloc(64, packed_size);
    mk_gemm_pack(w, hidden, g, hidden, pw);
    mk_gemm_pack(wi, hidden, g, hidden, pwi);
    float *gates = malloc(m * g * 4), *h = calloc(m * hidden, 4), *c = calloc(m * hidden, 4);
    float *h_a = calloc(m * hidden, 4), *h_b = calloc(m * hidden, 4), *c2 = calloc(m * hidden, 4);
    float *scratch = malloc(mk_gemm_scratch_size(m, hidden) * 4), *scratch2 = malloc(mk_lstm_step_scratch_size(m, hidden) * 4);
    const float **inputs = malloc(m * sizeof(float *));
    for (long i = 0; i < m; i++) inputs[i] = ini + i * g;
    double best_unfused = 1e30, best_fused = 1e30, flop = 2.0 * m * g * hidden * steps;
    for (int r = 0; r < rounds; r++) {
        double t0 = cpu_seconds();
        for (long t = 0; t < steps; t++) {
            memcpy(gates, in, m * g * 4);
            mk_gemm_packed_acc(m, g, hidden, h, hidden, pw, gates, g, scratch);
            for (long i = 0; i < m; i++) mk_lstm_cell(gates + i * g, h + i * hidden, c + i * hidden, hidden);
        }
        double t1 = cpu_seconds();
        for (long t = 0; t < steps; t++) {
            mk_lstm_fused_step(m, hidden, inputs, pwi, t % 2 ? h_b : h_a, t % 2 ? h_a : h_b, c2, scratch2);
        }
        double t2 = cpu_seconds();
        const float *h_fused = steps % 2 ? h_b : h_a;
        long differing = 0;
        for (long i = 0; i < m * hidden; i++) differing += h[i] != h_fused[i] || c[i] != c2[i];
        printf("round %d: unfused %.3f s (%.1f GFLOP/s), fused %.3f s (%.1f GFLOP/s), ratio %.3f, %ld values differ\n", r + 1,
               t1 - t0, flop / (t1 - t0) * 1e-9, t2 - t1, flop / (t2 - t1) * 1e-9, (t1 - t0) / (t2 - t1), differing);
        if (t1 - t0 < best_unfused) best_unfused = t1 - t0;
        if (t2 - t1 < best_fused) best_fused = t2 - t1;
    }
    printf("best of %d: unfused %.3f s, fused %.3f s, ratio %.3f (rows %ld, hidden %ld, %ld steps)\n", rounds, best_unfused,
           best_fused, best_unfused / best_fused, m, hidden, steps);
    return 0;
}
