// What packed_gemm.c shares with lstm_step.c, the fused LSTM step built on the same packed W and
// the same register tile: the blocking constants, the packing of A and the tile's macros.
#ifndef PACKED_GEMM_INTERNAL_H
#define PACKED_GEMM_INTERNAL_H
#include <immintrin.h>

// KC and MC can be set with -D for scripts/bench-gemm's tuning runs.
#ifndef MK_GEMM_KC
#define MK_GEMM_KC 256
#endif
#ifndef MK_GEMM_MC
#define MK_GEMM_MC 518
#endif
enum {
    MR = 14,            // rows of a register tile
    NR = 32,            // columns of a register tile: two zmm
    KC = MK_GEMM_KC,    // depth of a K block: a W panel of KC × NR floats is 32 KB (L1 is 48 KB on Zen 5)
    MC = MK_GEMM_MC,    // most rows of A packed at once (37 micro-panels, 518 KB at KC = 256: L2 is 1 MB)
};

static inline long round_up(long x, long to) { return (x + to - 1) / to * to; }

// Row blocks of at most `limit` rows: as few as that allows, of equal size rounded up to MR, so
// that no last block sweeps all of W for a handful of rows.
static inline long balanced_row_block(long m, long limit) {
    long blocks = (m + limit - 1) / limit;
    return round_up((m + blocks - 1) / blocks, MR);
}

// Micro-panels of rows [0, rows) of A's block (kc columns from a), zero rows up to a multiple of
// MR: MR × kc floats each, k-major (packed_gemm.c).
void mk_gemm_pack_a(const float *a, long lda, long rows, long kc, float *dst);

#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))

// The 14 rows of a tile, for the declarations, the FMAs and the epilogue.
#define ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)

static inline __mmask16 low_mask(long count) {
    if (count <= 0) return 0;
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}
#endif
