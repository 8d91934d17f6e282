#include "similarity_kernels.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// Each kernel exists twice: an AVX-512 body (VPOPCNTDQ for the counts, DQ for converting them
// to doubles) and a portable POPCNT body. The choice is made once, at run time, or forced by
// the caller; both give identical integers.
//
// Layout: the all-pairs kernels read the other side of each pair as tiles of 8 rows stored
// word-major (mk_make_tiles), so `AND` of one register of a tile with a broadcast query word,
// VPOPCNTQ and a vertical add give word w's contribution to 8 intersection counts at once.
// After the 16 words of a 1024-bit fingerprint the 8 counts sit in one register: no
// horizontal reduction per pair. A tile is 1 KiB and is loaded once for a whole block of
// queries, so the reference set is streamed from L3 once per block, not once per query.

#define TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vpopcntdq,popcnt")))
#define TARGET_POPCNT __attribute__((target("popcnt")))

enum { TILE = MK_TILE_ROWS, QBLOCK = MK_QUERY_BLOCK, ROW_BLOCK = 64 };

// ---------------------------------------------------------------------------------------------
// Dispatch

static int vector_kernels_available(void) {
    static int answer = -1;
    int known = __atomic_load_n(&answer, __ATOMIC_ACQUIRE);
    if (known < 0) {
        __builtin_cpu_init();
        const char *portable = getenv("MOLVAE_PORTABLE_KERNELS");
        known = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                __builtin_cpu_supports("avx512vpopcntdq") && !(portable && strcmp(portable, "1") == 0);
        __atomic_store_n(&answer, known, __ATOMIC_RELEASE);
    }
    return known;
}

int mk_vector_kernels_active(void) { return vector_kernels_available(); }

static int use_vector(mk_kernel kernel) { return kernel == MK_KERNEL_AUTO && vector_kernels_available(); }

// ---------------------------------------------------------------------------------------------
// Layout

uint32_t mk_popcount(const uint64_t *row, size_t words) {
    uint32_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint32_t)__builtin_popcountll(row[w]);
    return total;
}

size_t mk_tile_count(size_t count) { return (count + TILE - 1) / TILE; }

void mk_make_tiles(const uint64_t *rows, const uint32_t *counts, size_t count, size_t words, double pad_count,
                   uint64_t *tiles, double *tile_counts) {
    size_t tile_count = mk_tile_count(count);
    for (size_t t = 0; t < tile_count; t++) {
        uint64_t *tile = tiles + t * words * TILE;
        for (size_t lane = 0; lane < TILE; lane++) {
            size_t r = t * TILE + lane;
            for (size_t w = 0; w < words; w++) tile[w * TILE + lane] = r < count ? rows[r * words + w] : 0;
            tile_counts[t * 2 * TILE + lane] = r < count ? (double)counts[r] : pad_count;
            tile_counts[t * 2 * TILE + TILE + lane] = r < count ? (double)mk_popcount(rows + r * words + words / 2, words - words / 2) : 0;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SNN: max Tanimoto of each query over the references
//
// Per query the best so far is kept as the exact fraction bc/bu (intersection/union counts).
// A reference with intersection c and count b beats it iff c/(a+b-c) > bc/bu, i.e.
//     c*(bu+bc) - bc*a - bc*b > 0,
// all integers below 2^22, so the AVX-512 body evaluates it in doubles with FMAs exactly, for 8
// pairs at once, and only the rare lanes that pass go through the scalar update. The result is
// written as (double)bc/bu, the same division brute force does.

typedef struct {
    uint32_t a[QBLOCK], bc[QBLOCK], bu[QBLOCK];
    // Broadcast operands of the test above, refreshed when a query's best changes.
    double k[QBLOCK], abc[QBLOCK], bcd[QBLOCK];
    // Popcount of the query's second half of words (for the half-way bound of the AVX-512 body).
    double arest[QBLOCK];
} snn_block;

static inline void snn_refresh(snn_block *s, size_t q) {
    s->k[q] = (double)(s->bu[q] + s->bc[q]);
    s->abc[q] = (double)s->a[q] * (double)s->bc[q];
    s->bcd[q] = (double)s->bc[q];
}

// Exact update of query q's best with intersection c against a reference of count b.
static inline void snn_offer(snn_block *s, size_t q, uint32_t c, uint32_t b) {
    uint32_t u = s->a[q] + b - c;  // > 0: empty queries never reach the kernels
    if ((uint64_t)c * s->bu[q] > (uint64_t)s->bc[q] * u) {
        s->bc[q] = c;
        s->bu[q] = u;
    }
}

// Whether a reference with count in [bmin, bmax] could beat query q's best: the bound
// min(a,b)/max(a,b) must exceed bc/bu (a tie cannot change the maximum).
static inline int snn_can_gain(const snn_block *s, size_t q, uint32_t bmin, uint32_t bmax) {
    uint32_t a = s->a[q], num = 1, den = 1;
    if (bmin > a) {
        num = a;
        den = bmin;
    } else if (bmax < a) {
        num = bmax;
        den = a;
    }
    return (uint64_t)num * s->bu[q] > (uint64_t)s->bc[q] * den;
}

// One reference tile (`valid` real rows with counts b[0..valid), range [bmin, bmax]) against
// the block's queries; returns how many queries were not skipped by the bound.
typedef size_t (*snn_tile_fn)(const uint64_t *tile, const double *tile_counts, const uint32_t *b, size_t valid,
                              uint32_t bmin, uint32_t bmax, const uint64_t *queries, size_t nq, size_t words,
                              snn_block *s);

static TARGET_POPCNT size_t snn_tile_scalar(const uint64_t *tile, const double *tile_counts, const uint32_t *b,
                                            size_t valid, uint32_t bmin, uint32_t bmax, const uint64_t *queries,
                                            size_t nq, size_t words, snn_block *s) {
    (void)tile_counts;
    size_t active = 0;
    for (size_t q = 0; q < nq; q++) {
        if (!snn_can_gain(s, q, bmin, bmax)) continue;
        active++;
        const uint64_t *query = queries + q * words;
        for (size_t lane = 0; lane < valid; lane++) {
            uint32_t c = 0;
            for (size_t w = 0; w < words; w++) c += (uint32_t)__builtin_popcountll(query[w] & tile[w * TILE + lane]);
            snn_offer(s, q, c, b[lane]);
        }
    }
    return active;
}

// The 8 intersection counts of `query` with the tile's rows over words [FROM, TO). The bounds are
// compile-time constants for the 1024-bit case so the loop unrolls and the tile stays in
// registers across queries. Two accumulators halve the dependency chain of the adds.
#define TILE_COMMON(FROM, TO, REG, QUERY, OUT)                                                     \
    do {                                                                                           \
        __m512i acc0_ = _mm512_setzero_si512(), acc1_ = _mm512_setzero_si512();                    \
        size_t w_ = (FROM);                                                                        \
        for (; w_ + 2 <= (TO); w_ += 2) {                                                          \
            acc0_ = _mm512_add_epi64(acc0_, _mm512_popcnt_epi64(_mm512_and_si512(                  \
                                                REG(w_), _mm512_set1_epi64((long long)(QUERY)[w_])))); \
            acc1_ = _mm512_add_epi64(acc1_, _mm512_popcnt_epi64(_mm512_and_si512(                  \
                                                REG(w_ + 1), _mm512_set1_epi64((long long)(QUERY)[w_ + 1])))); \
        }                                                                                          \
        if (w_ < (TO))                                                                             \
            acc0_ = _mm512_add_epi64(acc0_, _mm512_popcnt_epi64(_mm512_and_si512(                  \
                                                REG(w_), _mm512_set1_epi64((long long)(QUERY)[w_])))); \
        (OUT) = _mm512_add_epi64(acc0_, acc1_);                                                    \
    } while (0)

// Lanes whose intersection (or upper bound of it) `common`, as doubles, beats query q's best:
// c*(bu+bc) - bc*a - bc*b > 0, exact in doubles.
static inline TARGET_AVX512 __mmask8 snn_beats(__m512d common, __m512d bvec, size_t q, const snn_block *s) {
    __m512d t = _mm512_fmsub_pd(common, _mm512_set1_pd(s->k[q]), _mm512_set1_pd(s->abc[q]));
    t = _mm512_fnmadd_pd(bvec, _mm512_set1_pd(s->bcd[q]), t);
    return _mm512_cmp_pd_mask(t, _mm512_setzero_pd(), _CMP_GT_OQ);
}

static inline TARGET_AVX512 void snn_test(__m512i common, __m512d bvec, const uint32_t *b, size_t q, snn_block *s) {
    __mmask8 hit = snn_beats(_mm512_cvtepi64_pd(common), bvec, q, s);
    if (__builtin_expect(hit != 0, 0)) {
        // Padding lanes never pass (their count is huge and their intersection 0).
        uint64_t counts[TILE];
        _mm512_storeu_si512((void *)counts, common);
        for (unsigned m = hit; m; m &= m - 1) {
            unsigned lane = (unsigned)__builtin_ctz(m);
            snn_offer(s, q, (uint32_t)counts[lane], b[lane]);
        }
        snn_refresh(s, q);
    }
}

// The intersection is taken in two halves. After the first half, c <= c_first + min(a_rest,
// b_rest) (the second half cannot share more bits than either side has there); when that bound
// cannot beat the query's best in any lane, the second half is skipped. For Morgan fingerprints
// against the MOSES test set this drops the second half for most query-tile pairs: a typical
// pair shares few bits, while the best is around 0.6.
//
// The queries are taken in two passes: the first half and the bound for every query, then the
// second half for the few queries that passed. A branch per query on the bound would be taken
// at random and mispredicted often, which cost more than the skipped work saved.
static TARGET_AVX512 size_t snn_tile_avx512(const uint64_t *tile, const double *tile_counts, const uint32_t *b,
                                            size_t valid, uint32_t bmin, uint32_t bmax, const uint64_t *queries,
                                            size_t nq, size_t words, snn_block *s) {
    (void)valid;
    size_t active = 0, pending = 0, half = words / 2;
    __m512i first[QBLOCK];
    uint8_t pending_query[QBLOCK];
    __m512d bvec = _mm512_loadu_pd(tile_counts), brest = _mm512_loadu_pd(tile_counts + TILE);
    if (words == 16) {
        __m512i r[16];
        for (int w = 0; w < 16; w++) r[w] = _mm512_loadu_si512((const void *)(tile + w * TILE));
#define REG16(w) r[(w)]
        for (size_t q = 0; q < nq; q++) {
            if (!snn_can_gain(s, q, bmin, bmax)) continue;
            active++;
            TILE_COMMON(0, 8, REG16, queries + q * 16, first[q]);
            __m512d bound = _mm512_add_pd(_mm512_cvtepi64_pd(first[q]), _mm512_min_pd(brest, _mm512_set1_pd(s->arest[q])));
            pending_query[pending] = (uint8_t)q;
            pending += snn_beats(bound, bvec, q, s) != 0;
        }
        for (size_t k = 0; k < pending; k++) {
            size_t q = pending_query[k];
            __m512i second;
            TILE_COMMON(8, 16, REG16, queries + q * 16, second);
            snn_test(_mm512_add_epi64(first[q], second), bvec, b, q, s);
        }
#undef REG16
    } else {
#define REGN(w) _mm512_loadu_si512((const void *)(tile + (w) * TILE))
        for (size_t q = 0; q < nq; q++) {
            if (!snn_can_gain(s, q, bmin, bmax)) continue;
            active++;
            TILE_COMMON(0, half, REGN, queries + q * words, first[q]);
            __m512d bound = _mm512_add_pd(_mm512_cvtepi64_pd(first[q]), _mm512_min_pd(brest, _mm512_set1_pd(s->arest[q])));
            pending_query[pending] = (uint8_t)q;
            pending += snn_beats(bound, bvec, q, s) != 0;
        }
        for (size_t k = 0; k < pending; k++) {
            size_t q = pending_query[k];
            __m512i second;
            TILE_COMMON(half, words, REGN, queries + q * words, second);
            snn_test(_mm512_add_epi64(first[q], second), bvec, b, q, s);
        }
#undef REGN
    }
    return active;
}

// First index whose count is >= value, in counts sorted ascending.
static size_t lower_bound(const uint32_t *counts, size_t n, uint32_t value) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (counts[mid] < value) lo = mid + 1; else hi = mid;
    }
    return lo;
}

void mk_max_tanimoto(const uint64_t *queries, const uint32_t *query_counts, size_t query_count,
                     size_t first_block, size_t last_block, const uint64_t *tiles, const double *tile_counts,
                     const uint32_t *reference_counts, size_t reference_count, size_t words, mk_kernel kernel,
                     double *best) {
    snn_tile_fn run_tile = use_vector(kernel) ? snn_tile_avx512 : snn_tile_scalar;
    size_t tile_count = mk_tile_count(reference_count);
    int has_empty_reference = reference_count > 0 && reference_counts[0] == 0;
    snn_block s;
    for (size_t block = first_block; block < last_block; block++) {
        size_t q0 = block * QBLOCK;
        if (q0 >= query_count) break;
        size_t nq = query_count - q0 < QBLOCK ? query_count - q0 : QBLOCK;
        const uint64_t *block_queries = queries + q0 * words;
        for (size_t q = 0; q < nq; q++) {
            s.a[q] = query_counts[q0 + q];
            s.bc[q] = 0;
            s.bu[q] = 1;
            s.arest[q] = (double)mk_popcount(block_queries + q * words + words / 2, words - words / 2);
            // An empty query has T = 0/b = 0 against every non-empty reference and 0/0 = 1
            // against an empty one; settling it here keeps a+b-c > 0 inside the kernels, and
            // bc/bu = 1 or 0 makes the bound skip it everywhere.
            if (s.a[q] == 0 && has_empty_reference) s.bc[q] = 1;
            snn_refresh(&s, q);
        }
        if (reference_count > 0) {
            uint32_t amin = s.a[0], amax = s.a[nq - 1];
            size_t start = lower_bound(reference_counts, reference_count, amin) / TILE;
            // Upward: tiles from the block's lowest count on. A tile that straddles some query's
            // count has bound 1 for it, so stopping is only safe once tiles lie above every
            // query (then the bound a/bmin only falls as bmin grows).
            for (size_t t = start; t < tile_count; t++) {
                size_t lo = t * TILE, valid = reference_count - lo < TILE ? reference_count - lo : TILE;
                uint32_t bmin = reference_counts[lo], bmax = reference_counts[lo + valid - 1];
                size_t active = run_tile(tiles + t * words * TILE, tile_counts + t * 2 * TILE, reference_counts + lo,
                                         valid, bmin, bmax, block_queries, nq, words, &s);
                if (active == 0 && bmin >= amax) break;
            }
            // Downward: every tile below `start` lies at or below every query's count, so the
            // bound b/a only falls from here and the first tile nobody can use ends the walk.
            for (size_t t = start; t-- > 0;) {
                size_t lo = t * TILE;
                uint32_t bmin = reference_counts[lo], bmax = reference_counts[lo + TILE - 1];
                size_t active = run_tile(tiles + t * words * TILE, tile_counts + t * 2 * TILE, reference_counts + lo,
                                         TILE, bmin, bmax, block_queries, nq, words, &s);
                if (active == 0) break;
            }
        }
        for (size_t q = 0; q < nq; q++) best[q0 + q] = (double)s.bc[q] / (double)s.bu[q];
    }
}

// ---------------------------------------------------------------------------------------------
// IntDiv: sums of T and T^2 over the upper triangle

static inline TARGET_POPCNT uint32_t common_scalar(const uint64_t *a, const uint64_t *b, size_t words) {
    uint64_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint64_t)__builtin_popcountll(a[w] & b[w]);
    return (uint32_t)total;
}

static inline double tanimoto(uint32_t common, uint32_t a, uint32_t b) {
    uint32_t union_count = a + b - common;
    return union_count == 0 ? 1.0 : (double)common / (double)union_count;
}

// Portable body: row-major, one pair at a time.
static TARGET_POPCNT void pair_sums_scalar(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                                           size_t words, size_t worker, size_t workers, double *sums1, double *sums2) {
    for (size_t first = worker * ROW_BLOCK; first < row_count; first += workers * ROW_BLOCK) {
        size_t last = first + ROW_BLOCK < row_count ? first + ROW_BLOCK : row_count;
        for (size_t i = first; i < last; i++) {
            const uint64_t *row = rows + i * words;
            uint32_t a = counts[i];
            double s1 = 0.0, s2 = 0.0;
            for (size_t j = i + 1; j < row_count; j++) {
                double t = tanimoto(common_scalar(row, rows + j * words, words), a, counts[j]);
                s1 += t;
                s2 += t * t;
                sums1[j] += t;
                sums2[j] += t * t;
            }
            sums1[i] += s1;
            sums2[i] += s2;
        }
    }
}

// AVX-512 body: for a block of 64 rows, each tile of 8 columns j is loaded once and met by every
// row of the block; per row and tile, 8 similarities come out of one division. Row sums stay in
// per-row vectors until the block is done, column sums in registers until the tile is done.
static TARGET_AVX512 void pair_sums_avx512(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                                           size_t words, const uint64_t *tiles, const double *tile_counts,
                                           size_t worker, size_t workers, double *sums1, double *sums2) {
    size_t tile_count = mk_tile_count(row_count);
    __m512d row1[ROW_BLOCK], row2[ROW_BLOCK];
    const __m512i lane_index = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    for (size_t first = worker * ROW_BLOCK; first < row_count; first += workers * ROW_BLOCK) {
        size_t last = first + ROW_BLOCK < row_count ? first + ROW_BLOCK : row_count;
        for (size_t i = first; i < last; i++) row1[i - first] = row2[i - first] = _mm512_setzero_pd();
        for (size_t t = first / TILE; t < tile_count; t++) {
            size_t j0 = t * TILE;
            const uint64_t *tile = tiles + t * words * TILE;
            __m512d bvec = _mm512_loadu_pd(tile_counts + 2 * j0);
            // Lanes j < row_count: the last tile's padding never counts.
            __mmask8 valid = (__mmask8)(row_count - j0 >= TILE ? 0xFF : (1u << (row_count - j0)) - 1);
            __m512d col1 = _mm512_setzero_pd(), col2 = _mm512_setzero_pd();
            __m512i r[16];
            if (words == 16)
                for (int w = 0; w < 16; w++) r[w] = _mm512_loadu_si512((const void *)(tile + w * TILE));
            // Rows i >= j0 + 7 have no column j > i in this tile.
            size_t row_end = last < j0 + TILE - 1 ? last : j0 + TILE - 1;
            for (size_t i = first; i < row_end; i++) {
                __mmask8 mask = valid;
                if (i >= j0) mask &= _mm512_cmpgt_epi64_mask(lane_index, _mm512_set1_epi64((long long)(i - j0)));
                const uint64_t *row = rows + i * words;
                uint32_t a = counts[i];
                __m512d sim;
                if (a == 0) {
                    // 0/b = 0, and 0/0 = 1 (MOSES) where the column is empty too.
                    __mmask8 empty = _mm512_cmp_pd_mask(bvec, _mm512_setzero_pd(), _CMP_EQ_OQ);
                    sim = _mm512_maskz_mov_pd(mask & empty, _mm512_set1_pd(1.0));
                } else {
                    __m512i common;
                    if (words == 16) {
#define REG16(w) r[(w)]
                        TILE_COMMON(0, 16, REG16, row, common);
#undef REG16
                    } else {
#define REGN(w) _mm512_loadu_si512((const void *)(tile + (w) * TILE))
                        TILE_COMMON(0, words, REGN, row, common);
#undef REGN
                    }
                    __m512d x = _mm512_cvtepi64_pd(common);
                    __m512d u = _mm512_sub_pd(_mm512_add_pd(bvec, _mm512_set1_pd((double)a)), x);  // >= a > 0
                    sim = _mm512_maskz_div_pd(mask, x, u);
                }
                size_t k = i - first;
                row1[k] = _mm512_add_pd(row1[k], sim);
                row2[k] = _mm512_fmadd_pd(sim, sim, row2[k]);
                col1 = _mm512_add_pd(col1, sim);
                col2 = _mm512_fmadd_pd(sim, sim, col2);
            }
            _mm512_mask_storeu_pd(sums1 + j0, valid, _mm512_add_pd(_mm512_maskz_loadu_pd(valid, sums1 + j0), col1));
            _mm512_mask_storeu_pd(sums2 + j0, valid, _mm512_add_pd(_mm512_maskz_loadu_pd(valid, sums2 + j0), col2));
        }
        for (size_t i = first; i < last; i++) {
            sums1[i] += _mm512_reduce_add_pd(row1[i - first]);
            sums2[i] += _mm512_reduce_add_pd(row2[i - first]);
        }
    }
}

void mk_tanimoto_pair_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                           const uint64_t *tiles, const double *tile_counts, size_t worker, size_t workers,
                           mk_kernel kernel, double *sums1, double *sums2) {
    if (use_vector(kernel)) {
        pair_sums_avx512(rows, counts, row_count, words, tiles, tile_counts, worker, workers, sums1, sums2);
    } else {
        pair_sums_scalar(rows, counts, row_count, words, worker, workers, sums1, sums2);
    }
}

// ---------------------------------------------------------------------------------------------
// Nearest neighbour within one set (GuacaMol's internal similarity): max of T over the pairs
// (i, j), j != i, from one pass over the upper triangle. Scalar only: it runs once per report
// on at most GuacaMol's 10,000 molecules per set.

static TARGET_POPCNT void pair_max_scalar(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                                          size_t words, size_t worker, size_t workers, double *best) {
    for (size_t first = worker * ROW_BLOCK; first < row_count; first += workers * ROW_BLOCK) {
        size_t last = first + ROW_BLOCK < row_count ? first + ROW_BLOCK : row_count;
        for (size_t i = first; i < last; i++) {
            const uint64_t *row = rows + i * words;
            uint32_t a = counts[i];
            double bi = best[i];
            for (size_t j = i + 1; j < row_count; j++) {
                double t = tanimoto(common_scalar(row, rows + j * words, words), a, counts[j]);
                if (t > bi) bi = t;
                if (t > best[j]) best[j] = t;
            }
            best[i] = bi;
        }
    }
}

void mk_tanimoto_pair_max(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                          size_t worker, size_t workers, double *best) {
    pair_max_scalar(rows, counts, row_count, words, worker, workers, best);
}
