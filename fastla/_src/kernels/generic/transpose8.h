/*
 * kernels/generic/transpose8.h -- 8 x 8 in-register transposes for the
 * packing kernels (pack_kern.inc), on the ISAs that have them:
 *   fastla_transpose8_d (AVX-512F): r[i] holds row i (8 doubles) on entry,
 *                                   column i on exit.  24 shuffles.
 *   fastla_transpose8_s (AVX):      the same for 8 floats per row.
 * FASTLA_HAVE_TRANSPOSE8_d / _s say which are compiled in.
 */
#ifndef FASTLA_KERNELS_TRANSPOSE8_H
#define FASTLA_KERNELS_TRANSPOSE8_H

#if defined(__AVX512F__) || defined(__AVX__)
#include <immintrin.h>
#endif

#if defined(__AVX512F__)
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
#endif

#endif
