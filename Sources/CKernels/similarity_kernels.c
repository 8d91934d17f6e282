#include "similarity_kernels.h"

#include <immintrin.h>

// Two code paths chosen once at run time: AVX-512 VPOPCNTDQ (8 words per instruction) where
// the CPU has it, the scalar POPCNT instruction otherwise. Both give identical integers.

__attribute__((target("popcnt"))) static uint32_t intersection_scalar(const uint64_t *a, const uint64_t *b,
                                                                      size_t words) {
    uint64_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint64_t)__builtin_popcountll(a[w] & b[w]);
    return (uint32_t)total;
}

__attribute__((target("avx512f,avx512vpopcntdq"))) static uint32_t intersection_avx512(const uint64_t *a,
                                                                                       const uint64_t *b,
                                                                                       size_t words) {
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

typedef uint32_t (*intersection_fn)(const uint64_t *, const uint64_t *, size_t);

static intersection_fn choose_intersection(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("avx512f")) return intersection_avx512;
    return intersection_scalar;
}

static intersection_fn intersection(void) {
    static intersection_fn chosen = 0;
    intersection_fn f = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (!f) {
        f = choose_intersection();
        __atomic_store_n(&chosen, f, __ATOMIC_RELEASE);
    }
    return f;
}

uint32_t mk_popcount(const uint64_t *row, size_t words) {
    uint32_t total = 0;
    for (size_t w = 0; w < words; w++) total += (uint32_t)__builtin_popcountll(row[w]);
    return total;
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

void mk_max_tanimoto(const uint64_t *queries, const uint32_t *query_counts, size_t begin, size_t end,
                     const uint64_t *references, const uint32_t *reference_counts, size_t reference_count,
                     size_t words, double *best) {
    intersection_fn common = intersection();
    for (size_t q = begin; q < end; q++) {
        const uint64_t *query = queries + q * words;
        uint32_t a = query_counts[q];
        double found = 0.0;
        size_t start = lower_bound(reference_counts, reference_count, a);
        // Upward: counts >= a, bound a/b falls as b grows.
        for (size_t r = start; r < reference_count; r++) {
            uint32_t b = reference_counts[r];
            if (bound(a, b) <= found) break;
            double t = tanimoto(common(query, references + r * words, words), a, b);
            if (t > found) found = t;
        }
        // Downward: counts < a, bound b/a falls as b shrinks.
        for (size_t r = start; r-- > 0;) {
            uint32_t b = reference_counts[r];
            if (bound(a, b) <= found) break;
            double t = tanimoto(common(query, references + r * words, words), a, b);
            if (t > found) found = t;
        }
        best[q - begin] = found;
    }
}

void mk_tanimoto_power_sums(const uint64_t *rows, const uint32_t *counts, size_t row_count,
                            size_t begin, size_t end, size_t words, int power, double *sums) {
    intersection_fn common = intersection();
    for (size_t i = begin; i < end; i++) {
        const uint64_t *row = rows + i * words;
        double sum = 0.0;
        for (size_t j = 0; j < row_count; j++) {
            double t = tanimoto(common(row, rows + j * words, words), counts[i], counts[j]);
            sum += power == 2 ? t * t : t;
        }
        sums[i - begin] = sum;
    }
}
