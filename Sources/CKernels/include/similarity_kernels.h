// Tanimoto kernels over bit-packed fingerprints: the all-pairs work of the MOSES metrics
// (SNN, IntDiv) done with popcount instead of float matrix products.
//
// A fingerprint set is `count` rows of `words` 64-bit words, row-major, plus each row's
// popcount. The all-pairs kernels read the "other side" of each pair from a tiled copy
// (mk_make_tiles): groups of MK_TILE_ROWS rows stored word-major, so one 512-bit register holds
// the same word of 8 rows and 8 intersection counts come out of vertical adds, with no
// horizontal reduction per pair. The functions work on a range of query blocks or rows so
// callers can split them across threads; they allocate nothing and are safe to call
// concurrently.
#ifndef SIMILARITY_KERNELS_H
#define SIMILARITY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Rows per tile of the word-major layout (one AVX-512 register of 64-bit lanes).
#define MK_TILE_ROWS 8
// Queries per block in mk_max_tanimoto: each loaded reference tile serves this many queries.
#define MK_QUERY_BLOCK 64

// Which body a kernel call runs. MK_KERNEL_AUTO takes AVX-512 VPOPCNTDQ where the CPU has it,
// unless the environment variable MOLVAE_PORTABLE_KERNELS is set to 1 (read once);
// MK_KERNEL_PORTABLE always takes the scalar POPCNT body. Both give identical counts.
typedef enum { MK_KERNEL_AUTO = 0, MK_KERNEL_PORTABLE = 1 } mk_kernel;

// 1 when MK_KERNEL_AUTO would run the AVX-512 body.
int mk_vector_kernels_active(void);

// 1 when the CPU has AVX-512 F, DQ, BW, VL and CD, what the AVX-512 variants of these kernels
// are compiled for (cpu_features.c).
int mk_cpu_has_avx512_gemm(void);

// One LSTM cell update for a row of gates [i f g o] (n each, torch's order; overwritten):
// c <- sigmoid(f)*c + sigmoid(i)*tanh(g), h <- sigmoid(o)*tanh(c). AVX-512 when the CPU has it
// (lstm_cell.c). gates, h and c must not overlap.
void mk_lstm_cell(float *gates, float *h, float *c, long n);

// Number of tiles for `count` rows.
size_t mk_tile_count(size_t count);

// Writes the word-major copy of `rows`: tile t holds rows 8t..8t+7 as `words` groups of 8
// words (word w of each row), and `tile_counts` gets 16 doubles per tile: those rows'
// popcounts, then the popcounts of their words [words/2, words) (for a half-way bound).
// `tiles` needs mk_tile_count(count) * words * 8 words, `tile_counts` mk_tile_count(count) * 16.
// The padding rows of the last tile are empty, with count `pad_count` (see the kernels).
void mk_make_tiles(const uint64_t *rows, const uint32_t *counts, size_t count, size_t words, double pad_count,
                   uint64_t *tiles, double *tile_counts);

// For query blocks [first_block, last_block) of MK_QUERY_BLOCK queries each: the largest
// Tanimoto similarity of each query to any reference row, written to best[query].
// Queries AND references must be sorted by ascending popcount. Reference tiles are visited
// outward from the block's popcounts, a tile is skipped for a query when the bound
// min(a,b)/max(a,b) over its count range cannot beat that query's best, and the walk stops
// once no query can gain, so the result is exact (the same count ratio as brute force) while
// far pairs are never touched. Two empty fingerprints have similarity 1 (as MOSES, which maps
// 0/0 to 1). `tiles`/`tile_counts` come from mk_make_tiles with pad_count 1e9.
void mk_max_tanimoto(const uint64_t *queries, const uint32_t *query_counts, size_t query_count,
                     size_t first_block, size_t last_block, const uint64_t *tiles, const double *tile_counts,
                     const uint32_t *reference_counts, size_t reference_count, size_t words, mk_kernel kernel,
                     double *best);

// Internal-diversity sums over the pairs (i, j) with j > i, for rows i in the 64-row blocks
// worker, worker + workers, ... (round-robin, so the triangle's work is balanced): for each
// such pair, T and T^2 are added to both sums1/sums2[i] and [j]. Each worker needs its own
// zeroed sums1/sums2 of length row_count, which the caller adds up afterwards, together with
// the diagonal (T(i, i) = 1). `tiles`/`tile_counts` are mk_make_tiles of the same rows
// (pad_count 0; padding lanes are masked).
void mk_tanimoto_pair_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                           const uint64_t *tiles, const double *tile_counts, size_t worker, size_t workers,
                           mk_kernel kernel, double *sums1, double *sums2);

// GuacaMol's internal nearest-neighbour similarity: for the rows i in the 64-row blocks worker,
// worker + workers, ... (round-robin, as above), every pair (i, j) with j > i raises best[i] and
// best[j] to T(i, j) when larger, so after all workers have run, the max over their `best`
// arrays is each row's largest similarity to any *other* row (0 for a single row). Each worker
// needs its own `best` of length row_count, zeroed. Two empty rows have T = 1 (as RDKit).
void mk_tanimoto_pair_max(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                          size_t worker, size_t workers, double *best);

// Popcount of a row, for building the counts.
uint32_t mk_popcount(const uint64_t *row, size_t words);

#ifdef __cplusplus
}
#endif
#endif
