/*
 * kernels/generic/transpose8.h -- 8 x 8 in-register transposes for the
 * packing kernels (pack_kern.inc), on the ISAs that have them:
 *   fastla_transpose8_d (AVX-512F): r[i] holds row i (8 doubles) on entry,
 *                                   column i on exit.  24 shuffles.  (In the
 *                                   emulated test build, SIMDe's intrinsics:
 *                                   avx512_intrin.h.)
 *   fastla_transpose8_s (AVX):      the same for 8 floats per row.
 *   fastla_transpose4_d (AVX):      4 x 4 doubles (the AVX2 vector).
 * FASTLA_HAVE_TRANSPOSE8_d / _s and FASTLA_HAVE_TRANSPOSE4_d say which are
 * compiled in; fastla_store_part_s / _d store the first lanes of a vector
 * (the rows of a block that are not a whole transpose high).
 */
#ifndef FASTLA_KERNELS_TRANSPOSE8_H
#define FASTLA_KERNELS_TRANSPOSE8_H

#include "avx512_intrin.h"
#if defined(__AVX__)
#include <immintrin.h>
#endif

#if FASTLA_AVX512_INTRIN
#define FASTLA_HAVE_TRANSPOSE8_d 1
static inline __attribute__((always_inline)) void fastla_transpose8_d(__m512d r[8])
{
    __m512d t[8], u[8];
    for (int i = 0; i < 4; ++i) {           /* pairs of rows, interleaved by element */
        t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
    for (int h = 0; h < 2; ++h)             /* 128-bit lanes: rows 0-3, then 4-7 */
        for (int o = 0; o < 2; ++o) {
            u[4 * h + o] = _mm512_shuffle_f64x2(t[4 * h + o], t[4 * h + o + 2], 0x88);
            u[4 * h + o + 2] = _mm512_shuffle_f64x2(t[4 * h + o], t[4 * h + o + 2], 0xDD);
        }
    /* u[0]: cols 0,4 of rows 0-3; u[1]: cols 1,5; u[2]: cols 2,6; u[3]: cols 3,7 */
    for (int c = 0; c < 4; ++c) {
        r[c] = _mm512_shuffle_f64x2(u[c], u[c + 4], 0x88);
        r[c + 4] = _mm512_shuffle_f64x2(u[c], u[c + 4], 0xDD);
    }
}
#endif

#if defined(__AVX__)
#define FASTLA_HAVE_TRANSPOSE8_s 1
static inline __attribute__((always_inline)) void fastla_transpose8_s(__m256 r[8])
{
    __m256 t[8], u[8];
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int h = 0; h < 2; ++h) {
        u[4 * h + 0] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
        u[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0xEE);
        u[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
        u[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c) {
        r[c] = _mm256_permute2f128_ps(u[c], u[c + 4], 0x20);
        r[c + 4] = _mm256_permute2f128_ps(u[c], u[c + 4], 0x31);
    }
}
/* The first n (< 8) lanes of v to d[0..n): whole halves, pairs and a last
 * lane, never a byte past d[n-1] (n is a constant once inlined). */
static inline __attribute__((always_inline)) void fastla_store_part_s(float *d, __m256 v, int n)
{
    __m128 h = _mm256_castps256_ps128(v);
    if (n >= 4) { _mm_storeu_ps(d, h); h = _mm256_extractf128_ps(v, 1); d += 4; n -= 4; }
    if (n >= 2) { _mm_storel_pi((__m64 *)d, h); h = _mm_movehl_ps(h, h); d += 2; n -= 2; }
    if (n >= 1) _mm_store_ss(d, h);
}

/* fastla_transpose4_d (AVX): r[i] holds row i (4 doubles) on entry, column
 * i on exit.  8 shuffles. */
#define FASTLA_HAVE_TRANSPOSE4_d 1
static inline __attribute__((always_inline)) void fastla_transpose4_d(__m256d r[4])
{
    const __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
    const __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
    r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* The first n (< 4) lanes of v to d[0..n). */
static inline __attribute__((always_inline)) void fastla_store_part_d(double *d, __m256d v, int n)
{
    __m128d h = _mm256_castpd256_pd128(v);
    if (n >= 2) { _mm_storeu_pd(d, h); h = _mm256_extractf128_pd(v, 1); d += 2; n -= 2; }
    if (n >= 1) _mm_store_sd(d, h);
}
#endif

#endif
