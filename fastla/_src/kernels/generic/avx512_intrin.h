/*
 * kernels/generic/avx512_intrin.h -- the AVX-512 intrinsics the kernels call
 * by name (the 8 x 8 double transpose and the float64 transposing pack).
 * Sets FASTLA_AVX512_INTRIN to 1 where they are available:
 *   - compiling for AVX-512 (__AVX512F__): the compiler's own;
 *   - the emulated test build (FASTLA_EMULATE_AVX512, setup.py), whose avx512
 *     kernel set (FASTLA_VBYTES 64) is compiled for AVX2: SIMDe's portable
 *     implementations (the simde-py package, an independent statement of each
 *     intrinsic's semantics) under the same names, so that code runs and is
 *     tested on a CPU without AVX-512.
 * Include after FASTLA_VBYTES is set (kernels/generic/vec.h).
 */
#ifndef FASTLA_KERNELS_AVX512_INTRIN_H
#define FASTLA_KERNELS_AVX512_INTRIN_H

#if defined(__AVX512F__)
#include <immintrin.h>
#define FASTLA_AVX512_INTRIN 1
#elif defined(FASTLA_EMULATE_AVX512) && FASTLA_VBYTES == 64
#include <immintrin.h>            /* first: its declarations keep their names */
#include <simde/x86/avx512.h>
#define __m512d simde__m512d
#define _mm512_unpacklo_pd simde_mm512_unpacklo_pd
#define _mm512_unpackhi_pd simde_mm512_unpackhi_pd
#define _mm512_shuffle_f64x2 simde_mm512_shuffle_f64x2
#define _mm512_mul_pd simde_mm512_mul_pd
#define _mm512_fmadd_pd simde_mm512_fmadd_pd
#define _mm512_set1_pd simde_mm512_set1_pd
#define _mm512_loadu_pd simde_mm512_loadu_pd
#define _mm512_storeu_pd simde_mm512_storeu_pd
#define FASTLA_AVX512_INTRIN 1
#else
#define FASTLA_AVX512_INTRIN 0
#endif

#endif
