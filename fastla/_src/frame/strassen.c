/*
 * frame/strassen.c -- fastla_sstrassen / fastla_dstrassen
 * (include/fastla/strassen.h): the product plans (one-level Strassen and its
 * Kronecker powers, dtype-free) and the loop nest of frame/strassen_frame.inc
 * instantiated for both dtypes.
 */
#include <stdlib.h>
#include "fastla/gemm.h"
#include "fastla/gemv.h"
#include "fastla/strassen.h"
#include "../config/table.h"
#include "threads.h"
#include "scratch.h"

#ifndef FASTLA_GEMM_GRAIN_FLOPS
#define FASTLA_GEMM_GRAIN_FLOPS (2.0 * 64 * 64 * 64)
#endif

/* Two threads share a product only when it has at least 2 x this many
 * flops (about 160**3 multiply-adds): one product with 2 threads costs a
 * parallel region's worth of barriers, and a barrier whose partner thread
 * was descheduled costs far more than a GEMM grain.  Chosen, not measured
 * precisely: 8 GEMM grains. */
#ifndef FASTLA_STRASSEN_GRAIN_FLOPS
#define FASTLA_STRASSEN_GRAIN_FLOPS (8.0 * FASTLA_GEMM_GRAIN_FLOPS)
#endif

#define SP_MAXT (1 << FASTLA_STRASSEN_MAX_LEVELS)   /* terms per operand / destinations */
#define SP_MAXP 49                                  /* 7 ** FASTLA_STRASSEN_MAX_LEVELS */
#define PACK_MAXSRC SP_MAXT                         /* frame/pack_frame.inc */

/* A sum sum_t coef[t] * X(row[t], col[t]) of blocks of a g x g grid. */
typedef struct sp_terms {
    int n;
    signed char row[SP_MAXT], col[SP_MAXT], coef[SP_MAXT];
} sp_terms;

/* Product r: M = (sum A terms)(sum B terms); C(row, col) += coef * M for each
 * C term.  first[d]: this product is the first to write C term d (it stores
 * instead of adding, so C never needs zeroing). */
typedef struct sp_product {
    sp_terms a, b, c;
    unsigned char first[SP_MAXT];
} sp_product;

/* One-level Strassen (1969), blocks (row, col) of the 2 x 2 grid:
 *   M1 = (A00 + A11)(B00 + B11)   C00 += M1, C11 += M1
 *   M2 = (A10 + A11) B00          C10 += M2, C11 -= M2
 *   M3 = A00 (B01 - B11)          C01 += M3, C11 += M3
 *   M4 = A11 (B10 - B00)          C00 += M4, C10 += M4
 *   M5 = (A00 + A01) B11          C00 -= M5, C01 += M5
 *   M6 = (A10 - A00)(B00 + B01)   C11 += M6
 *   M7 = (A01 - A11)(B10 + B11)   C00 += M7 */
static const sp_product sp_one[7] = {
    {{2, {0, 1}, {0, 1}, {1, 1}}, {2, {0, 1}, {0, 1}, {1, 1}}, {2, {0, 1}, {0, 1}, {1, 1}}, {0}},
    {{2, {1, 1}, {0, 1}, {1, 1}}, {1, {0}, {0}, {1}}, {2, {1, 1}, {0, 1}, {1, -1}}, {0}},
    {{1, {0}, {0}, {1}}, {2, {0, 1}, {1, 1}, {1, -1}}, {2, {0, 1}, {1, 1}, {1, 1}}, {0}},
    {{1, {1}, {1}, {1}}, {2, {1, 0}, {0, 0}, {1, -1}}, {2, {0, 1}, {0, 0}, {1, 1}}, {0}},
    {{2, {0, 0}, {0, 1}, {1, 1}}, {1, {1}, {1}, {1}}, {2, {0, 0}, {0, 1}, {-1, 1}}, {0}},
    {{2, {1, 0}, {0, 0}, {1, -1}}, {2, {0, 0}, {0, 1}, {1, 1}}, {1, {1}, {1}, {1}}, {0}},
    {{2, {0, 1}, {1, 1}, {1, -1}}, {2, {1, 1}, {0, 1}, {1, 1}}, {1, {0}, {0}, {1}}, {0}},
};

/* Terms of the Kronecker product: the coarse term picks the block of the
 * outer 2 x 2 grid, the fine term the block inside it (grid g_fine). */
static void sp_kron(const sp_terms *coarse, const sp_terms *fine, int g_fine, sp_terms *out)
{
    out->n = 0;
    for (int s = 0; s < coarse->n; ++s)
        for (int t = 0; t < fine->n; ++t) {
            out->row[out->n] = (signed char)(coarse->row[s] * g_fine + fine->row[t]);
            out->col[out->n] = (signed char)(coarse->col[s] * g_fine + fine->col[t]);
            out->coef[out->n] = (signed char)(coarse->coef[s] * fine->coef[t]);
            out->n++;
        }
}

/* The 7**levels products of `levels`-level Strassen (1 <= levels <= MAX),
 * with the first-writer flags set; returns their count. */
static int sp_plan(int levels, sp_product *out)
{
    int np = 7, g = 2;
    for (int r = 0; r < 7; ++r) out[r] = sp_one[r];
    for (int l = 1; l < levels; ++l) {
        sp_product prev[SP_MAXP];
        for (int r = 0; r < np; ++r) prev[r] = out[r];
        int q = 0;
        for (int r1 = 0; r1 < 7; ++r1)
            for (int r2 = 0; r2 < np; ++r2, ++q) {
                sp_kron(&sp_one[r1].a, &prev[r2].a, g, &out[q].a);
                sp_kron(&sp_one[r1].b, &prev[r2].b, g, &out[q].b);
                sp_kron(&sp_one[r1].c, &prev[r2].c, g, &out[q].c);
            }
        np = q;
        g *= 2;
    }
    unsigned char seen[SP_MAXT * SP_MAXT] = {0};
    for (int r = 0; r < np; ++r)
        for (int d = 0; d < out[r].c.n; ++d) {
            const int blk = out[r].c.row[d] * g + out[r].c.col[d];
            out[r].first[d] = !seen[blk];
            seen[blk] = 1;
        }
    return np;
}

static int sp_levels_for(const fastla_kernel_table *kt, int dtype_bits, fastla_index m,
                         fastla_index n, fastla_index k)
{
    const int *cross = dtype_bits == 32 ? kt->strassen_cross_s : kt->strassen_cross_d;
    fastla_index lo = m < n ? m : n;
    lo = lo < k ? lo : k;
    int levels = 0;
    while (levels < FASTLA_STRASSEN_MAX_LEVELS && cross[levels] > 0 && lo >= cross[levels])
        ++levels;
    return levels;
}

int fastla_strassen_levels(int dtype_bits, fastla_index m, fastla_index n, fastla_index k)
{
    return sp_levels_for(fastla_kt(), dtype_bits, m, n, k);
}

#define FASTLA_TEMPLATE "strassen_frame.inc"
#include "for_each_dtype.h"
