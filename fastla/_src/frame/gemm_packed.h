/*
 * frame/gemm_packed.h -- GEMM with A packed once for many products
 * (internal; conv2d packs its weights once per call and multiplies them by
 * every chunk of columns).  Defined in frame/gemm_frame.inc.
 *
 * fastla_?gemm_apack(m, k, a, rs_a, cs_a, pk): packs the m x k matrix A
 *   (A(i, p) = a[i*rs_a + p*cs_a]) in the active table's sliver layout: for
 *   each KC block of k, ceil(m/MR) MR-slivers.  Allocates
 *   roundup(m, MR) * k elements (64-byte aligned); on failure pk->data is
 *   NULL and the products below fall back to the plain GEMM.  O(m k).
 * fastla_?gemm_apk(pk, n, alpha, a, rs_a, cs_a, b, ..., c, ...): what
 *   fastla_?gemm(pk->m, n, pk->k, ...) computes, reading A from the packed
 *   copy (a, rs_a, cs_a must still describe the same A: the fallback when
 *   the packed copy cannot serve, i.e. C stored column-major or the ISA
 *   changed since packing).  Contract otherwise as fastla_?gemm.
 * fastla_gemm_apack_free(pk): releases the packed copy (pk may hold NULL).
 *
 * fastla_?gemm_bg(pk, m, n, k, alpha, a, rs_a, cs_a, bg, beta, c, rs_c, cs_c):
 *   C := alpha A B + beta C where B is given by offsets (fastla_gemm_bgather):
 *   B(p, j) = src[rowoff[p] + coloff[j]], p < k, j < n.  conv2d's implicit
 *   im2col: B is the column matrix, read from a padded copy of the image by
 *   the packing kernel, never written out.  src must be readable
 *   FASTLA_BGATHER_SLACK elements before and after every element B
 *   addresses (the packing kernel loads whole vectors around each run of
 *   consecutive offsets).  A from pk when pk is non-NULL and usable (as
 *   fastla_?gemm_apk), else from a.  C any strides (never transposed away).
 *   Returns FASTLA_OK, FASTLA_ERR_ARG (negative size) or FASTLA_ERR_NOMEM.
 *   O(m n k).
 */
#ifndef FASTLA_FRAME_GEMM_PACKED_H
#define FASTLA_FRAME_GEMM_PACKED_H

#include "fastla/types.h"

typedef struct fastla_gemm_apack {
    const void *table;      /* the kernel table the layout belongs to */
    fastla_index m, k;
    void *data;
} fastla_gemm_apack;

/* Elements of readable memory a gathered B needs around what it addresses:
 * at least the widest vector of any table (16 floats on AVX-512). */
#define FASTLA_BGATHER_SLACK 64

typedef struct fastla_gemm_bgather {
    const void *src;               /* T * */
    const fastla_index *rowoff;    /* k entries */
    const fastla_index *coloff;    /* n entries */
} fastla_gemm_bgather;

#define FASTLA_GEMM_PACKED_DECL(T, tc)                                                  \
    void fastla_##tc##gemm_apack(fastla_index m, fastla_index k, const T *a,             \
                                 fastla_index rs_a, fastla_index cs_a, fastla_gemm_apack *pk); \
    fastla_status fastla_##tc##gemm_apk(const fastla_gemm_apack *pk, fastla_index n, T alpha, \
                                        const T *a, fastla_index rs_a, fastla_index cs_a,  \
                                        const T *b, fastla_index rs_b, fastla_index cs_b,  \
                                        T beta, T *c, fastla_index rs_c, fastla_index cs_c); \
    fastla_status fastla_##tc##gemm_bg(const fastla_gemm_apack *pk, fastla_index m,        \
                                       fastla_index n, fastla_index k, T alpha, const T *a,  \
                                       fastla_index rs_a, fastla_index cs_a,                \
                                       const fastla_gemm_bgather *bg, T beta, T *c,         \
                                       fastla_index rs_c, fastla_index cs_c);
FASTLA_GEMM_PACKED_DECL(double, d)
FASTLA_GEMM_PACKED_DECL(float, s)
#undef FASTLA_GEMM_PACKED_DECL

void fastla_gemm_apack_free(fastla_gemm_apack *pk);

#endif
