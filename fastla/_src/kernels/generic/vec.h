/*
 * kernels/generic/vec.h -- portable SIMD vocabulary for micro-kernels.
 *
 * Kernels are written once with GCC/Clang vector extensions and compiled
 * once per ISA (kernels/<isa>/kernels.c set FASTLA_VBYTES and are built with that
 * ISA's flags only).  With -mfma, `c += a * b` on these types becomes a
 * vector FMA (GNU C contracts by default).  Loads and stores are unaligned.
 *
 * Before including: FASTLA_VBYTES (16, 32 or 64) and FASTLA_ISA (a token).
 */
#ifndef FASTLA_KERNELS_VEC_H
#define FASTLA_KERNELS_VEC_H

#include "fastla/types.h"

#define FASTLA_CAT_(a, b) a##b
#define FASTLA_CAT(a, b) FASTLA_CAT_(a, b)
#define FASTLA_CAT3(a, b, c) FASTLA_CAT(FASTLA_CAT(a, b), c)

typedef double fastla_vd __attribute__((vector_size(FASTLA_VBYTES)));
typedef float fastla_vs __attribute__((vector_size(FASTLA_VBYTES)));
typedef double fastla_vd_u __attribute__((vector_size(FASTLA_VBYTES), aligned(8), may_alias));
typedef float fastla_vs_u __attribute__((vector_size(FASTLA_VBYTES), aligned(4), may_alias));

#define FASTLA_VL_d (FASTLA_VBYTES / 8)
#define FASTLA_VL_s (FASTLA_VBYTES / 4)

static inline fastla_vd fastla_load_d(const double *p) { return *(const fastla_vd_u *)p; }
static inline fastla_vs fastla_load_s(const float *p) { return *(const fastla_vs_u *)p; }
static inline void fastla_store_d(double *p, fastla_vd v) { *(fastla_vd_u *)p = v; }
static inline void fastla_store_s(float *p, fastla_vs v) { *(fastla_vs_u *)p = v; }
typedef int64_t fastla_vi64 __attribute__((vector_size(FASTLA_VBYTES)));
typedef int32_t fastla_vi32 __attribute__((vector_size(FASTLA_VBYTES)));
/* Lane masks of a T vector (all bits of a lane set or clear). */
typedef fastla_vi64 fastla_vmask_d;
typedef fastla_vi32 fastla_vmask_s;
/* Broadcast as a shuffle of lane 0: one vbroadcast instruction. */
static inline fastla_vd fastla_bcast_d(double x) {
    return __builtin_shuffle((fastla_vd){x}, (fastla_vi64){0});
}
static inline fastla_vs fastla_bcast_s(float x) {
    return __builtin_shuffle((fastla_vs){x}, (fastla_vi32){0});
}
static inline double fastla_hsum_d(fastla_vd v) {
    double s = 0; for (int k = 0; k < FASTLA_VL_d; ++k) s += v[k]; return s;
}
static inline float fastla_hsum_s(fastla_vs v) {
    float s = 0; for (int k = 0; k < FASTLA_VL_s; ++k) s += v[k]; return s;
}

#endif

/* Per-dtype names, redefined for each instantiation: set FASTLA_TC to d or s
 * and T to double or float, then include kernels/generic/vec_type.h. */
