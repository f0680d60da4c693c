/*
 * fastla/gemm.h -- dense matrix-matrix product (GEMM), blocked Goto/BLIS style.
 *
 *   C := alpha * A B + beta * C
 *
 * fastla_sgemm (float) and fastla_dgemm (double) share this contract:
 *   m, n, k    C is m x n, A is m x k, B is k x n (all >= 0)
 *   a          A(i, p) = a[i * rs_a + p * cs_a]   any strides, negative allowed
 *   b          B(p, j) = b[p * rs_b + j * cs_b]   any strides
 *   c          C(i, j) = c[i * rs_c + j * cs_c]   C must not overlap A or B, and
 *              distinct (i, j) must address distinct elements
 *   beta == 0  C is write-only (NaN/Inf in C are ignored, as in BLAS)
 * Algorithm: the five loops around an MR x NR register micro-kernel
 * (jc over n by NC, pc over k by KC packing a KC x NC panel of B into
 * NR-wide slivers, ic over m by MC packing an MC x KC block of A into
 * MR-tall slivers, jr, ir).  Packing absorbs any strides: nothing is copied
 * before it.  A C stored column-major (rs_c == 1) is computed as
 * C^T = B^T A^T so the kernel always writes along C's unit stride.
 * Block sizes and kernels come from the active ISA's table.
 * Threads: the ic loop (rows of C, each thread packs its own A block into its
 * own L2) and, when m is small, the jr loop; the B panel is packed by all
 * threads together.  One thread below the measured work threshold.
 * Returns FASTLA_OK, FASTLA_ERR_NOMEM or FASTLA_ERR_ARG (negative sizes).
 * Complexity: 2 m n k flops; workspace (MC*KC per thread + KC*NC) elements.
 */
#ifndef FASTLA_GEMM_H
#define FASTLA_GEMM_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

fastla_status fastla_sgemm(fastla_index m, fastla_index n, fastla_index k, float alpha,
                           const float *a, fastla_index rs_a, fastla_index cs_a,
                           const float *b, fastla_index rs_b, fastla_index cs_b,
                           float beta, float *c, fastla_index rs_c, fastla_index cs_c);

fastla_status fastla_dgemm(fastla_index m, fastla_index n, fastla_index k, double alpha,
                           const double *a, fastla_index rs_a, fastla_index cs_a,
                           const double *b, fastla_index rs_b, fastla_index cs_b,
                           double beta, double *c, fastla_index rs_c, fastla_index cs_c);

/*
 * Batched GEMM: for t in [0, batch): C_t := alpha * A_t B_t + beta * C_t with
 * A_t = a + t * bs_a (bs_a == 0 broadcasts one A over the batch), likewise
 * B_t and C_t (bs_c must not be 0 when batch > 1).  Same per-matrix contract
 * as fastla_?gemm.  Small matrices are spread over threads one matrix per
 * thread; large ones use the threaded GEMM one after another.
 * Complexity: 2 batch m n k flops.
 */
fastla_status fastla_sgemm_batch(fastla_index batch, fastla_index m, fastla_index n,
                                 fastla_index k, float alpha,
                                 const float *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                                 const float *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                                 float beta, float *c, fastla_index bs_c, fastla_index rs_c,
                                 fastla_index cs_c);

fastla_status fastla_dgemm_batch(fastla_index batch, fastla_index m, fastla_index n,
                                 fastla_index k, double alpha,
                                 const double *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                                 const double *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                                 double beta, double *c, fastla_index bs_c, fastla_index rs_c,
                                 fastla_index cs_c);

#ifdef __cplusplus
}
#endif
#endif
