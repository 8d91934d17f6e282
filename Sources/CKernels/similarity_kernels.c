#include "similarity_kernels.h"

#include <immintrin.h>

// Each kernel exists twice: an AVX-512 VPOPCNTDQ body (8 words per instruction, the 1024-bit
// MOSES fingerprint is two registers) and a portable POPCNT body. The choice is made once, at
// run time; both give identical integers. The intersection is inlined into each body: an
// indirect call per pair cost more than the popcounts themselves.

#define TARGET_AVX512 __attribute__((target("avx512f,avx512vpopcntdq")))
#define TARGET_POPCNT __attribute__((target("popcnt")))

static inline TARGET_POPCNT uint32_t common_scalar(const uint64_t *a, const uint64_t *b, size_t words) {
    uint64_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint64_t)__builtin_popcountll(a[w] & b[w]);
    return (uint32_t)total;
}

static inline TARGET_AVX512 uint32_t common_avx512(const uint64_t *a, const uint64_t *b, size_t words) {
    __m512i total = _mm512_setzero_si512();
    size_t w = 0;
    for (; w + 8 <= words; w += 8) {
        __m512i x = _mm512_loadu_si512((const void *)(a + w));
        __m512i y = _mm512_loadu_si512((const void *)(b + w));
        total = _mm512_add_epi64(total, _mm512_popcnt_epi64(_mm512_and_si512(x, y)));
    }
    uint64_t rest = 0;
    for (; w < words; w++) rest += (uint64_t)__builtin_popcountll(a[w] & b[w]);
    return (uint32_t)(_mm512_reduce_add_epi64(total) + rest);
}

static inline double tanimoto(uint32_t common, uint32_t a, uint32_t b) {
    uint32_t union_count = a + b - common;
    return union_count == 0 ? 1.0 : (double)common / (double)union_count;
}

// Upper bound of Tanimoto for popcounts a and b: min/max (0/0 counts as 1).
static inline double bound(uint32_t a, uint32_t b) {
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    return hi == 0 ? 1.0 : (double)lo / (double)hi;
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

#define MAX_TANIMOTO_BODY(COMMON)                                                                \
    for (size_t q = begin; q < end; q++) {                                                       \
        const uint64_t *query = queries + q * words;                                             \
        uint32_t a = query_counts[q];                                                            \
        double found = 0.0;                                                                      \
        size_t start = lower_bound(reference_counts, reference_count, a);                        \
        /* Upward: counts >= a, the bound a/b falls as b grows. */                              \
        for (size_t r = start; r < reference_count; r++) {                                       \
            uint32_t b = reference_counts[r];                                                    \
            if (bound(a, b) <= found) break;                                                     \
            double t = tanimoto(COMMON(query, references + r * words, words), a, b);             \
            if (t > found) found = t;                                                            \
        }                                                                                        \
        /* Downward: counts < a, the bound b/a falls as b shrinks. */                           \
        for (size_t r = start; r-- > 0;) {                                                       \
            uint32_t b = reference_counts[r];                                                    \
            if (bound(a, b) <= found) break;                                                     \
            double t = tanimoto(COMMON(query, references + r * words, words), a, b);             \
            if (t > found) found = t;                                                            \
        }                                                                                        \
        best[q - begin] = found;                                                                 \
    }

static TARGET_AVX512 void max_tanimoto_avx512(const uint64_t *queries, const uint32_t *query_counts, size_t begin,
                                              size_t end, const uint64_t *references, const uint32_t *reference_counts,
                                              size_t reference_count, size_t words, double *best) {
    MAX_TANIMOTO_BODY(common_avx512)
}

static TARGET_POPCNT void max_tanimoto_scalar(const uint64_t *queries, const uint32_t *query_counts, size_t begin,
                                              size_t end, const uint64_t *references, const uint32_t *reference_counts,
                                              size_t reference_count, size_t words, double *best) {
    MAX_TANIMOTO_BODY(common_scalar)
}

#define PAIR_SUMS_BODY(COMMON)                                                                   \
    const size_t block = 64;                                                                     \
    for (size_t first = worker * block; first < row_count; first += workers * block) {           \
        size_t last = first + block < row_count ? first + block : row_count;                     \
        for (size_t i = first; i < last; i++) {                                                  \
            const uint64_t *row = rows + i * words;                                              \
            uint32_t a = counts[i];                                                              \
            double s1 = 0.0, s2 = 0.0;                                                           \
            for (size_t j = i + 1; j < row_count; j++) {                                         \
                double t = tanimoto(COMMON(row, rows + j * words, words), a, counts[j]);         \
                s1 += t;                                                                         \
                s2 += t * t;                                                                     \
                sums1[j] += t;                                                                   \
                sums2[j] += t * t;                                                               \
            }                                                                                    \
            sums1[i] += s1;                                                                      \
            sums2[i] += s2;                                                                      \
        }                                                                                        \
    }

static TARGET_AVX512 void pair_sums_avx512(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                                           size_t words, size_t worker, size_t workers, double *sums1, double *sums2) {
    PAIR_SUMS_BODY(common_avx512)
}

static TARGET_POPCNT void pair_sums_scalar(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                                           size_t words, size_t worker, size_t workers, double *sums1, double *sums2) {
    PAIR_SUMS_BODY(common_scalar)
}

static int has_avx512_popcount(void) {
    static int answer = -1;
    int known = __atomic_load_n(&answer, __ATOMIC_ACQUIRE);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
        __atomic_store_n(&answer, known, __ATOMIC_RELEASE);
    }
    return known;
}

uint32_t mk_popcount(const uint64_t *row, size_t words) {
    uint32_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint32_t)__builtin_popcountll(row[w]);
    return total;
}

void mk_max_tanimoto(const uint64_t *queries, const uint32_t *query_counts, size_t begin, size_t end,
                     const uint64_t *references, const uint32_t *reference_counts, size_t reference_count,
                     size_t words, double *best) {
    if (has_avx512_popcount()) {
        max_tanimoto_avx512(queries, query_counts, begin, end, references, reference_counts, reference_count, words, best);
    } else {
        max_tanimoto_scalar(queries, query_counts, begin, end, references, reference_counts, reference_count, words, best);
    }
}

void mk_tanimoto_pair_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count, size_t words,
                           size_t worker, size_t workers, double *sums1, double *sums2) {
    if (has_avx512_popcount()) {
        pair_sums_avx512(rows, counts, row_count, words, worker, workers, sums1, sums2);
    } else {
        pair_sums_scalar(rows, counts, row_count, words, worker, workers, sums1, sums2);
    }
}
