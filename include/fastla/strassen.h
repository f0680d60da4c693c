/*
 * fastla/strassen.h -- Strassen's matrix product on top of the blocked GEMM
 * ("Strassen's Algorithm Reloaded", Huang, Smith, Henry, van de Geijn, SC16).
 *
 *   C := A B            (C is write-only: its previous contents are ignored)
 *
 * fastla_sstrassen (float) and fastla_dstrassen (double) share this contract:
 *   m, n, k    C is m x n, A is m x k, B is k x n (all >= 0)
 *   a, b, c    A(i, p) = a[i * rs_a + p * cs_a], B(p, j) = b[p * rs_b + j * cs_b],
 *              C(i, j) = c[i * rs_c + j * cs_c]; any strides, as in fastla_?gemm.
 *              C must not overlap A or B; distinct (i, j) address distinct elements.
 *   levels     0, 1 or 2 Strassen levels (FASTLA_STRASSEN_MAX_LEVELS); < 0 picks
 *              the count from the active ISA's crossover (fastla_strassen_levels).
 *              A count too large for the size is reduced until every dimension
 *              of the core has at least 2**levels rows/columns (never an error).
 * Algorithm: L levels split the largest core m0 x k0 x n0 whose dimensions
 * are multiples of 2**L into a 2**L x 2**L grid of blocks and compute 7**L
 * products of block sums (the Kronecker power of one-level Strassen: up to
 * 2**L terms per operand, up to 2**L destination blocks of C per product).
 * Each product runs the GEMM loop nest of frame/gemm_frame.inc with the
 * operand sums formed while packing and the micro-kernel's tile added into
 * every destination block with its sign, so there are no temporaries beyond
 * the packing buffers.  The fringes (rows >= m0, columns >= n0, the rank
 * k - k0 update) run through fastla_?gemm: nothing is padded.
 * Threads: as in the GEMM (rows of each product split between threads, the B
 * panel packed by all of them).
 * Accuracy: norm-wise, not element-wise: |C - A B| <= c(n, L) u |A| |B| with a
 * constant growing about 12x per level (Higham, Accuracy and Stability of
 * Numerical Algorithms, ch. 23); see docs/strassen.rst.
 * Infinities and NaNs: a core whose result holds an inf or NaN (an operand
 * held one, which block sums spread as inf - inf = NaN, or a block sum
 * overflowed) is computed again by fastla_?gemm, so they come out as the
 * classical product gives them; the check reads the core once, O(m0 n0).
 * Returns FASTLA_OK, FASTLA_ERR_NOMEM or FASTLA_ERR_ARG (negative sizes,
 * levels > FASTLA_STRASSEN_MAX_LEVELS).
 * Complexity: about 2 (7/8)**L m n k flops plus O(7**L (m k + k n) / 4**L)
 * packing and O(12**L m n / 4**L) destination updates per KC-deep pass.
 */
#ifndef FASTLA_STRASSEN_H
#define FASTLA_STRASSEN_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FASTLA_STRASSEN_MAX_LEVELS 2

fastla_status fastla_sstrassen(fastla_index m, fastla_index n, fastla_index k,
                               const float *a, fastla_index rs_a, fastla_index cs_a,
                               const float *b, fastla_index rs_b, fastla_index cs_b,
                               float *c, fastla_index rs_c, fastla_index cs_c, int levels);

fastla_status fastla_dstrassen(fastla_index m, fastla_index n, fastla_index k,
                               const double *a, fastla_index rs_a, fastla_index cs_a,
                               const double *b, fastla_index rs_b, fastla_index cs_b,
                               double *c, fastla_index rs_c, fastla_index cs_c, int levels);

/* The level count fastla_?strassen uses for levels < 0 on the active ISA
 * (dtype_bits 32 or 64): the largest L with min(m, n, k) >= the table's
 * crossover for L levels.  O(1). */
int fastla_strassen_levels(int dtype_bits, fastla_index m, fastla_index n, fastla_index k);

#ifdef __cplusplus
}
#endif
#endif
