#include "similarity_kernels.h"

// The AVX-512 subsets the kernels' AVX-512 variants are compiled for.
int mk_cpu_has_avx512_gemm(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512cd");
}
