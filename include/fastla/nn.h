/*
 * fastla/nn.h -- neural-network building blocks on top of the GEMM and CSR
 * kernels: fused linear layers (bias + activation in the GEMM epilogue), the
 * activation derivatives of their backward pass, attention with an online
 * softmax, and the max mode of embedding bags.
 *
 * Every function exists for float (fastla_s...) and double (fastla_d...);
 * T below is that type.  Matrices are given by a pointer and element strides
 * (any sign), as in fastla/gemm.h.  All return FASTLA_OK, FASTLA_ERR_NOMEM
 * or FASTLA_ERR_ARG (negative sizes or an unknown code).
 */
#ifndef FASTLA_NN_H
#define FASTLA_NN_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element-wise activations (the `act` arguments).  GELU is the exact (erf)
 * form 0.5 z (1 + erf(z / sqrt 2)), as torch's default. */
typedef enum fastla_activation {
    FASTLA_ACT_NONE = 0,
    FASTLA_ACT_RELU = 1,
    FASTLA_ACT_SIGMOID = 2,
    FASTLA_ACT_TANH = 3,
    FASTLA_ACT_GELU = 4
} fastla_activation;

/*
 * GEMM with a fused epilogue:
 *   C := act(alpha * A B + beta * C + bias)
 * with the GEMM contract of fastla/gemm.h, plus
 *   bias       NULL (no bias), or a vector along C's columns (bias_axis 1:
 *              bias(j) = bias[j * inc_bias], j < n) or rows (bias_axis 0:
 *              bias(i) = bias[i * inc_bias], i < m)
 *   act        a fastla_activation code
 * The epilogue is applied to each MR x NR tile of C right after the
 * micro-kernel's call for the last k block, while the tile is in L1 (no
 * second pass over C).  Complexity: 2 m n k flops + O(m n) for the epilogue.
 */
fastla_status fastla_sgemm_bias_act(fastla_index m, fastla_index n, fastla_index k, float alpha,
                                    const float *a, fastla_index rs_a, fastla_index cs_a,
                                    const float *b, fastla_index rs_b, fastla_index cs_b,
                                    float beta, float *c, fastla_index rs_c, fastla_index cs_c,
                                    const float *bias, fastla_index inc_bias, int bias_axis,
                                    int act);
fastla_status fastla_dgemm_bias_act(fastla_index m, fastla_index n, fastla_index k, double alpha,
                                    const double *a, fastla_index rs_a, fastla_index cs_a,
                                    const double *b, fastla_index rs_b, fastla_index cs_b,
                                    double beta, double *c, fastla_index rs_c, fastla_index cs_c,
                                    const double *bias, fastla_index inc_bias, int bias_axis,
                                    int act);

/*
 * Activation derivative (backward of the epilogue):
 *   D(i, j) := G(i, j) * act'(z(i, j)),   i < m, j < n
 * G(i, j) = g[i*rs_g + j*cs_g]; Y(i, j) = y[i*rs_y + j*cs_y] holds the saved
 * forward output act(z) for relu, sigmoid and tanh, and the pre-activation z
 * for gelu (and is ignored for act == NONE); D(i, j) = d[i*ld_d + j] (rows
 * contiguous, must not overlap G or Y).  Threads over rows.  O(m n).
 */
fastla_status fastla_sact_backward(fastla_index m, fastla_index n,
                                   const float *g, fastla_index rs_g, fastla_index cs_g,
                                   const float *y, fastla_index rs_y, fastla_index cs_y,
                                   float *d, fastla_index ld_d, int act);
fastla_status fastla_dact_backward(fastla_index m, fastla_index n,
                                   const double *g, fastla_index rs_g, fastla_index cs_g,
                                   const double *y, fastla_index rs_y, fastla_index cs_y,
                                   double *d, fastla_index ld_d, int act);

/*
 * Scaled dot-product attention over a batch of nb0 x nb1 heads:
 *   O_h := softmax(scale * Q_h K_h^T + M_h) V_h
 * for h = (h0, h1); Q_h is L x E, K_h is S x E, V_h is S x Ev, O_h is L x Ev.
 * Operand X (q, k, v, o, mask) of head h starts at x + h0*b0_x + h1*b1_x and
 * X(i, j) = x[i*rs_x + j*cs_x].
 *   mask_kind  0: no mask; 1: boolean (uint8_t, nonzero = attend); 2: additive
 *              (T, added to the scaled scores).  mask is L x S per head
 *              (strides may be 0 to broadcast).
 *   causal     nonzero: query i attends to keys j <= i only (top-left
 *              aligned, as torch's is_causal); key blocks above the diagonal
 *              are skipped.
 * A query row that can attend to no key (all masked, or S == 0) gets zeros,
 * as torch 2.x does.
 * Computed block by block (about 192 queries x 256 keys) with an online
 * softmax (running max and sum per query, rescaling of the output), on
 * fastla's GEMM micro-kernels: K and V are packed once per head (per task)
 * into the micro-kernel's operand layouts, S^T = scale K_blk Q_blk^T is
 * written straight into the layout of the P^T operand of O^T += V_blk^T P^T,
 * so the L x S matrix is never formed: workspace O(S (E + Ev) + 192 (E +
 * 256 + Ev)) per thread.  Threads over heads (and over query blocks when
 * there are fewer heads than 2 x threads).  O must not overlap the inputs.
 * Complexity: 2 L S (E + Ev) flops per head (about half with causal).
 */
fastla_status fastla_sattention(fastla_index nb0, fastla_index nb1, fastla_index L,
                                fastla_index S, fastla_index E, fastla_index Ev, float scale,
                                const float *q, fastla_index b0_q, fastla_index b1_q,
                                fastla_index rs_q, fastla_index cs_q,
                                const float *k, fastla_index b0_k, fastla_index b1_k,
                                fastla_index rs_k, fastla_index cs_k,
                                const float *v, fastla_index b0_v, fastla_index b1_v,
                                fastla_index rs_v, fastla_index cs_v,
                                int mask_kind, const void *mask, fastla_index b0_m,
                                fastla_index b1_m, fastla_index rs_m, fastla_index cs_m,
                                int causal,
                                float *o, fastla_index b0_o, fastla_index b1_o,
                                fastla_index rs_o, fastla_index cs_o);
fastla_status fastla_dattention(fastla_index nb0, fastla_index nb1, fastla_index L,
                                fastla_index S, fastla_index E, fastla_index Ev, double scale,
                                const double *q, fastla_index b0_q, fastla_index b1_q,
                                fastla_index rs_q, fastla_index cs_q,
                                const double *k, fastla_index b0_k, fastla_index b1_k,
                                fastla_index rs_k, fastla_index cs_k,
                                const double *v, fastla_index b0_v, fastla_index b1_v,
                                fastla_index rs_v, fastla_index cs_v,
                                int mask_kind, const void *mask, fastla_index b0_m,
                                fastla_index b1_m, fastla_index rs_m, fastla_index cs_m,
                                int causal,
                                double *o, fastla_index b0_o, fastla_index b1_o,
                                fastla_index rs_o, fastla_index cs_o);

/*
 * Embedding bags, max mode:
 *   out[b, c] := max over p in [indptr[b], indptr[b+1]) of W[indices[p], c]
 * for b < nbags, c < dim; an empty bag gives zeros.  W(r, c) = w[r*ld_w + c]
 * (rows contiguous), out(b, c) = out[b*ld_out + c].  argmax (NULL or
 * nbags*dim int64, row-major) receives the winning index (-1 for empty
 * bags; ties: the first).  indptr/indices must be a valid CSR structure
 * with indices < num_rows (fastla_csr_check_i64).  Threads over bags.
 * O(nnz * dim).
 */
fastla_status fastla_sembedding_bag_max(fastla_index nbags, fastla_index dim,
                                        const int64_t *indptr, const int64_t *indices,
                                        const float *w, fastla_index ld_w,
                                        float *out, fastla_index ld_out, int64_t *argmax);
fastla_status fastla_dembedding_bag_max(fastla_index nbags, fastla_index dim,
                                        const int64_t *indptr, const int64_t *indices,
                                        const double *w, fastla_index ld_w,
                                        double *out, fastla_index ld_out, int64_t *argmax);

#ifdef __cplusplus
}
#endif
#endif
