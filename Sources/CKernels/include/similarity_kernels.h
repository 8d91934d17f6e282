// Tanimoto kernels over bit-packed fingerprints: the all-pairs work of the MOSES metrics
// (SNN, IntDiv) done with popcount instead of float matrix products.
//
// A fingerprint set is `count` rows of `words` 64-bit words, row-major, plus each row's
// popcount. The functions work on a range of query rows so callers can split them across
// threads; they allocate nothing and are safe to call concurrently.
#ifndef SIMILARITY_KERNELS_H
#define SIMILARITY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// For queries [begin, end): the largest Tanimoto similarity to any reference row.
// `references` must be sorted by ascending popcount: the search starts at the query's own
// popcount and stops in each direction once the bound min(a,b)/max(a,b) cannot beat the best
// found, so the result is exact while most pairs are never touched. Two empty fingerprints
// have similarity 1 (as MOSES, which maps 0/0 to 1).
void mk_max_tanimoto(const uint64_t *queries, const uint32_t *query_counts, size_t begin, size_t end,
                     const uint64_t *references, const uint32_t *reference_counts, size_t reference_count,
                     size_t words, double *best);

// Internal-diversity sums over the pairs (i, j) with i in `rows_of_worker` stripes and j > i:
// for each such pair, T and T^2 are added to both sums1/sums2[i] and [j]. Worker `worker` of
// `workers` takes blocks of 64 rows round-robin, so the triangle's work is balanced; each
// worker needs its own zeroed sums1/sums2 of length row_count, which the caller adds up
// afterwards, together with the diagonal (T(i, i) = 1).
void mk_tanimoto_pair_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                           size_t worker, size_t workers, double *sums1, double *sums2);

// Popcount of a row, for building the counts.
uint32_t mk_popcount(const uint64_t *row, size_t words);

#ifdef __cplusplus
}
#endif
#endif
