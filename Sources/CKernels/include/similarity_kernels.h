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

// For rows [begin, end) of a set against the whole set (itself included): the sum over j of
// Tanimoto(i, j)^power, for power 1 or 2.
void mk_tanimoto_power_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                            size_t begin, size_t end, size_t words, int power, double *sums);

// Popcount of a row, for building the counts.
uint32_t mk_popcount(const uint64_t *row, size_t words);

#ifdef __cplusplus
}
#endif
#endif
