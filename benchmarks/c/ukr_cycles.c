/*
 * benchmarks/c/ukr_cycles.c -- time stamp counter ticks per call of one ISA's
 * GEMM micro-kernels, for every tile height m = 1..MR at full width NR and at
 * one vector (n = VL): the edge tiles next to the full one.  The packed
 * slivers (k = 256) stay in L1, so this is the register loop alone; the best
 * of 5 runs of 20,000 calls, 3 rounds (the VM's clock and neighbours move).
 *
 * Build from the repository root (AVX2 shown; for AVX-512 use the avx512
 * flags of setup.py and -DISA=avx512):
 *   gcc -O3 -std=gnu11 -fno-math-errno -fno-trapping-math -mavx2 -mfma -mf16c \
 *       -Iinclude -Ifastla/_src -Wno-unused-function -fopenmp \
 *       fastla/_src/kernels/avx2/kernels.c benchmarks/c/ukr_cycles.c -lm -o /tmp/ukr_cycles
 *   /tmp/ukr_cycles
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#include "fastla/types.h"

#ifndef ISA
#define ISA avx2
#endif
#define CAT_(a, b, c) a##b##c
#define CAT(a, b, c) CAT_(a, b, c)
#define UKR(tc) CAT(fastla_, ISA, CAT(_, tc, gemm_ukr))
#define TILE(field, tc) CAT(FASTLA_GEMM_, field, CAT(_, tc, ))

#define STR_(x) #x
#define STR(x) STR_(x)
#include STR(config/ISA.h)

void UKR(d)(fastla_index m, fastla_index n, fastla_index k, double alpha, const double *a,
            const double *b, double beta, double *c, fastla_index rs_c, fastla_index cs_c);
void UKR(s)(fastla_index m, fastla_index n, fastla_index k, float alpha, const float *a,
            const float *b, float beta, float *c, fastla_index rs_c, fastla_index cs_c);

enum { K = 256, REPS = 20000 };

/* One dtype: prints "<tc> m=.. n=..: ticks/call flop/tick". */
#define RUN(T, tc)                                                                            \
    do {                                                                                      \
        const int MR = TILE(MR, tc), VL = FASTLA_VBYTES / sizeof(T);                          \
        const int NR = TILE(NV, tc) * VL;                                                     \
        T *a = aligned_alloc(64, sizeof(T) * MR * K), *b = aligned_alloc(64, sizeof(T) * NR * K); \
        T *c = aligned_alloc(64, sizeof(T) * MR * 256);                                       \
        for (int i = 0; i < MR * K; ++i) a[i] = (T)1e-3 * (i % 7);                            \
        for (int i = 0; i < NR * K; ++i) b[i] = (T)1e-3 * (i % 5);                            \
        for (int i = 0; i < MR * 256; ++i) c[i] = 0;                                          \
        for (int n = NR; n >= VL; n = (n == VL ? 0 : VL))                                     \
            for (int m = 1; m <= MR; ++m) {                                                   \
                uint64_t best = ~0ull;                                                        \
                for (int t = 0; t < 5; ++t) {                                                 \
                    const uint64_t t0 = __rdtsc();                                            \
                    for (int r = 0; r < REPS; ++r) UKR(tc)(m, n, K, 1, a, b, 1, c, 256, 1);   \
                    const uint64_t d = __rdtsc() - t0;                                        \
                    if (d < best) best = d;                                                   \
                }                                                                             \
                const double ticks = (double)best / REPS;                                     \
                printf("%s m=%d n=%02d: %7.1f ticks/call %6.2f flop/tick\n", #tc, m, n, ticks, \
                       2.0 * m * n * K / ticks);                                              \
            }                                                                                 \
        free(a); free(b); free(c);                                                            \
    } while (0)

int main(void)
{
    for (int round = 0; round < 3; ++round) {
        RUN(float, s);
        RUN(double, d);
        printf("\n");
    }
    return 0;
}
