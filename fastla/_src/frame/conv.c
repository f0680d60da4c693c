/*
 * frame/conv.c -- im2col / col2im and conv2d forward / backward
 * (include/fastla/conv.h), generated for both dtypes from
 * frame/conv_frame.inc.  Every product goes through fastla_?gemm.
 */
#include <stdlib.h>
#include <string.h>
#include "fastla/conv.h"
#include "fastla/gemm.h"
#include "threads.h"
#include "scratch.h"
#include "gemm_packed.h"
#include "../config/table.h"
#include "testing.h"

/* Bytes of the column workspace conv2d builds per chunk (and, in the
 * backward, of the second one holding W^T gy; the forward's implicit path
 * keeps the same row chunks, holds only the padded images, and puts images
 * side by side up to this size -- conv_implicit_imgs): a few MB, so a chunk's
 * columns are still in L2/L3 when the GEMM packs them, and peak memory stays
 * near input + output + weights + workspace (one per thread when threads
 * take whole chunks).  Measured on the issue-6 shapes (CPU time, 1 thread,
 * and peak RSS of a forward with N = 32, 2 threads): 4 MB is up to 10%
 * faster on 256x14x14 (two images side by side) but its peak memory exceeds
 * PyTorch's there; 2 MB stays below PyTorch's peak on all five shapes; 1 MB
 * loses 10-15% on 28x28 and 14x14 (narrow chunks). */
#ifndef FASTLA_CONV_WORKSPACE_BYTES
#define FASTLA_CONV_WORKSPACE_BYTES (2u << 20)
#endif
/* Bytes of the transformed inputs and products the chunks of images of
 * fastla_?conv2d_winograd hold at once (frame/conv_winograd.inc), shared by
 * the threads that take whole chunks; at least one image per chunk.
 * Measured (N = 32, AVX2, 2 threads, growth of the peak RSS of a forward):
 * 8 MB per thread put 256x14x14 at 29.8 MB against PyTorch's 32.5 in the
 * same run; 8 MB per call at 18.4 against 28.5 in a later run, and as fast
 * (1.01-1.05x in adjacent calls); on one thread 4 MB loses 7% on 256x14x14
 * (products two images wide). */
#ifndef FASTLA_WINO_WORKSPACE_BYTES
#define FASTLA_WINO_WORKSPACE_BYTES (8u << 20)
#endif
/* conv2d packs each group's weights once per call (frame/gemm_packed.h)
 * when there are at most this many groups. */
#ifndef FASTLA_CONV_PACKED_GROUPS
#define FASTLA_CONV_PACKED_GROUPS 8
#endif
/* im2col / col2im: elements per thread below which one thread is used. */
#ifndef FASTLA_CONV_GRAIN
#define FASTLA_CONV_GRAIN 32768.0
#endif

/* Geometry preconditions of conv.h; `grouped` also checks c_out and groups. */
static int conv_geom_ok(const fastla_conv2d_geom *g, int grouped)
{
    if (!g) return 0;
    if (g->n < 0 || g->c < 0 || g->h < 0 || g->w < 0 || g->ho < 0 || g->wo < 0) return 0;
    if (g->kh < 1 || g->kw < 1 || g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1) return 0;
    if (g->ph < 0 || g->pw < 0) return 0;
    if (grouped) {
        if (g->groups < 1 || g->c_out < 0) return 0;
        if (g->c % g->groups != 0 || g->c_out % g->groups != 0) return 0;
    }
    return 1;
}

/* 1 if the index (i0, i1, ...) of dims sizes n[] / strides s[] (outermost
 * first) is addressed as (flat index) * (*st); size-1 dims are ignored. */
static int conv_collapse(int nd, const fastla_index *n, const fastla_index *s, fastla_index *st)
{
    fastla_index expect = 0;
    int first = 1;
    *st = 1;
    for (int d = nd - 1; d >= 0; --d) {
        if (n[d] <= 1) continue;
        if (first) { *st = s[d]; expect = s[d] * n[d]; first = 0; }
        else if (s[d] != expect) return 0;
        else expect *= n[d];
    }
    return 1;
}

/* [*lo, *hi): the output columns ow < wo whose input column ow*sw + off lies
 * in [0, W); columns outside read zero padding. */
static inline void conv_valid_cols(fastla_index W, fastla_index wo, fastla_index sw,
                                   fastla_index off, fastla_index *lo, fastla_index *hi)
{
    fastla_index a = off >= 0 ? 0 : (-off + sw - 1) / sw;
    fastla_index b = (W - 1 - off) < 0 ? 0 : (W - 1 - off) / sw + 1;
    if (a > wo) a = wo;
    if (b > wo) b = wo;
    if (b < a) b = a;
    *lo = a;
    *hi = b;
}

/* im2col's output from this many bytes is built in an L1 stage and copied
 * out (IM2COL_STAGED in conv_frame.inc); smaller ones, which stay in the
 * caches, are written in place.  A variable so the tests can reach the
 * staged path with small shapes (fastla_test_im2col_stage_bytes). */
#ifndef FASTLA_IM2COL_STAGE_BYTES
#define FASTLA_IM2COL_STAGE_BYTES (8 << 20)
#endif
static long im2col_stage_bytes_ = FASTLA_IM2COL_STAGE_BYTES;

long fastla_test_im2col_stage_bytes(long bytes)      /* frame/testing.h */
{
    const long old = im2col_stage_bytes_;
    if (bytes >= 0) im2col_stage_bytes_ = bytes;
    return old;
}

#define FASTLA_TEMPLATE "conv_frame.inc"
#include "for_each_dtype.h"
