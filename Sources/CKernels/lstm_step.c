// The fused LSTM step (lstm_step.h): the packed SGEMM's register tile, with the cell in its
// epilogue.
//
// Blocking. Rows come in blocks of up to STEP_MC; a block's h is packed once for all of K (every
// K block's micro-panels, as mk_gemm_pack_a lays them out: about 0.5 MB at 266 rows × 512, in L2).
// For each 32-column panel (8 hidden units), K blocks outside, tiles inside, as in the GEMM: the
// panel's kc × 32 block of W (32 KB) stays in L1 while every MR-row tile of the block meets it;
// each tile adds its chain of FMAs (28 zmm accumulators, from zero) to its gates, the input half
// first. The gates live in a buffer of the row block's tiles for this one panel (block rows × 32
// floats, 34 KB), not in a [rows, 4·hidden] matrix (4 MB for ChemNet's second LSTM); after the
// last K block each tile runs the cell on its gates and writes c and h. (Running all of K per
// tile, gates in registers, measured no different in scripts/bench-lstm-step: W's 64 KB panel
// then streams from L2 for every tile.)
//
// Exactness. The unfused step computes C = input half; C += (K block 0 chain); C += (K block 1
// chain); cell(C). Here the same chains, the same additions in the same order, and the same cell
// code (lstm_cell_math.h, compiled for the same target), so the bits are the same;
// LSTMFusedStepTests checks it.
#include "lstm_step.h"
#include "lstm_cell_math.h"
#include "packed_gemm_internal.h"
#include <stdint.h>
#include <string.h>

#ifndef MK_LSTM_STEP_MC
#define MK_LSTM_STEP_MC 266
#endif
enum { STEP_MC = MK_LSTM_STEP_MC, UNITS = NR / 4 };   // 8 hidden units per 32-column panel

long mk_lstm_interleaved_row(long q, long hidden) {
    long panel = q / NR, within = q % NR;
    return (within / UNITS) * hidden + panel * UNITS + within % UNITS;
}

static long step_row_block(long m) { return balanced_row_block(m, STEP_MC); }

long mk_lstm_step_scratch_size(long m, long hidden) {
    if (m <= 0 || hidden <= 0) return 16;
    long mc = step_row_block(m);
    return mc * hidden + mc * NR + 16;   // h's packed block, the panel's gates; + 16: room to align to 64 bytes
}

// The cell over gates [4][n] (i, f, g, o), as mk_lstm_cell's AVX-512 variant runs it.
AVX512 static void cell(float *restrict gates, float *restrict h, float *restrict c, long n) {
    LSTM_CELL_BODY
}

// One K block of one tile (`live` rows ≤ MR × one panel of 8 hidden units): a chain of FMAs from
// zero over kc, added to the tile's gates, the first K block (k0 = 0) onto the rows' input halves
// (inputs[i] + col). a: the tile's packed micro-panel; b: the panel's kc × 32 block of W_hh.
// gates: the tile's gates in the layout the cell reads, [4][live · 8], row i's 8 units at i · 8.
AVX512 static void tile_k_block(long kc, long k0, const float *restrict a, const float *restrict b,
                                const float *const *inputs, long col, float *restrict gates, long live) {
    const long s = live * UNITS;
    // The next panel's input halves: ChemNet's lie in rows far apart in a buffer larger than L3,
    // where no hardware prefetcher finds them; the FMA loop hides the wait.
    if (k0 == 0) {
        for (long i = 0; i < live; i++) {
            _mm_prefetch((const char *)(inputs[i] + col + NR), _MM_HINT_T0);
            _mm_prefetch((const char *)(inputs[i] + col + NR + 16), _MM_HINT_T0);
        }
    }
#define DECLARE(i) __m512 c##i##_0 = _mm512_setzero_ps(), c##i##_1 = _mm512_setzero_ps();
    ROWS(DECLARE)
    for (long kk = 0; kk < kc; kk++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#define FMA(i) { __m512 ai = _mm512_set1_ps(a[i]); c##i##_0 = _mm512_fmadd_ps(ai, b0, c##i##_0); \
                 c##i##_1 = _mm512_fmadd_ps(ai, b1, c##i##_1); }
        ROWS(FMA)
        a += MR;
        b += NR;
    }
    // zmm 0 of a row holds its i and f (8 units each), zmm 1 its g and o: split into the four arrays.
#define ADD(i) if (i < live) {                                                                          \
        __m512 x0, x1;                                                                                   \
        if (k0 == 0) { x0 = _mm512_loadu_ps(inputs[i] + col); x1 = _mm512_loadu_ps(inputs[i] + col + 16); } \
        else {                                                                                           \
            x0 = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_load_ps(gates + i * UNITS)),            \
                                    _mm256_load_ps(gates + s + i * UNITS), 1);                            \
            x1 = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_load_ps(gates + 2 * s + i * UNITS)),    \
                                    _mm256_load_ps(gates + 3 * s + i * UNITS), 1);                        \
        }                                                                                                \
        x0 = _mm512_add_ps(x0, c##i##_0);                                                                \
        x1 = _mm512_add_ps(x1, c##i##_1);                                                                \
        _mm256_store_ps(gates + i * UNITS, _mm512_castps512_ps256(x0));                                  \
        _mm256_store_ps(gates + s + i * UNITS, _mm512_extractf32x8_ps(x0, 1));                           \
        _mm256_store_ps(gates + 2 * s + i * UNITS, _mm512_castps512_ps256(x1));                          \
        _mm256_store_ps(gates + 3 * s + i * UNITS, _mm512_extractf32x8_ps(x1, 1)); }
    ROWS(ADD)
#undef DECLARE
#undef FMA
#undef ADD
}

// The cell for one tile's gates; c and h_out at the tile's first row and the panel's first unit
// (row stride hidden).
static void tile_cell(float *gates, long live, float *c, float *h_out, long hidden) {
    float cs[MR * UNITS] __attribute__((aligned(64))), hs[MR * UNITS] __attribute__((aligned(64)));
    for (long i = 0; i < live; i++) memcpy(cs + i * UNITS, c + i * hidden, UNITS * sizeof(float));
    cell(gates, hs, cs, live * UNITS);
    for (long i = 0; i < live; i++) {
        memcpy(c + i * hidden, cs + i * UNITS, UNITS * sizeof(float));
        memcpy(h_out + i * hidden, hs + i * UNITS, UNITS * sizeof(float));
    }
}

void mk_lstm_fused_step(long m, long hidden, const float *const *inputs, const float *packed_hh,
                        const float *h_in, float *h_out, float *c, float *scratch) {
    if (m <= 0 || hidden <= 0) return;
    long mc = step_row_block(m), npad = 4 * hidden;
    float *ap = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    float *panel_gates = ap + mc * hidden;   // a tile's gates at + r · NR (MR · 32 floats per tile)
    for (long i0 = 0; i0 < m; i0 += mc) {
        long rows = m - i0 < mc ? m - i0 : mc, block_rows = round_up(rows, MR);
        for (long k0 = 0; k0 < hidden; k0 += KC) {
            long kc = hidden - k0 < KC ? hidden - k0 : KC;
            mk_gemm_pack_a(h_in + i0 * hidden + k0, hidden, rows, kc, ap + k0 * block_rows);
        }
        for (long p = 0; p < hidden / UNITS; p++) {
            // K blocks outside the tiles, as in the GEMM: the panel's kc × 32 block of W (32 KB)
            // stays in L1 while every tile of the row block meets it.
            for (long k0 = 0; k0 < hidden; k0 += KC) {
                long kc = hidden - k0 < KC ? hidden - k0 : KC;
                const float *b = packed_hh + k0 * npad + p * kc * NR;
                for (long r = 0; r < rows; r += MR) {
                    long live = rows - r < MR ? rows - r : MR;
                    tile_k_block(kc, k0, ap + k0 * block_rows + r * kc, b, inputs + i0 + r, p * NR, panel_gates + r * NR, live);
                }
            }
            for (long r = 0; r < rows; r += MR) {
                long live = rows - r < MR ? rows - r : MR, row = i0 + r;
                tile_cell(panel_gates + r * NR, live, c + row * hidden + p * UNITS, h_out + row * hidden + p * UNITS, hidden);
            }
        }
    }
}
