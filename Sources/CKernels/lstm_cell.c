// The LSTM cell's elementwise update, c <- s(f)*c + s(i)*tanh(g); h <- s(o)*tanh(c), over a row
// of gates [i f g o]. Swift compiles for baseline x86-64 (SSE2), where these loops run 4 wide;
// here the same code is also compiled for AVX-512 and chosen at run time (16 wide), as the
// popcount kernels are. exp is Cephes expf (clamp, Cody-Waite reduction, degree-6 polynomial),
// the same approximation as the engine's Swift `expApprox` (about 1 ulp).
#include "lstm_cell_math.h"
#include "similarity_kernels.h"

static void lstm_cell_portable(float *restrict gates, float *restrict h, float *restrict c, long n) {
    LSTM_CELL_BODY
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))
static void lstm_cell_avx512(float *restrict gates, float *restrict h, float *restrict c, long n) {
    LSTM_CELL_BODY
}

void mk_lstm_cell(float *gates, float *h, float *c, long n) {
    static int avx512 = -1;
    if (avx512 < 0) avx512 = mk_cpu_has_avx512_gemm();   // a benign race: every thread stores the same value
    if (avx512) lstm_cell_avx512(gates, h, c, n);
    else lstm_cell_portable(gates, h, c, n);
}
