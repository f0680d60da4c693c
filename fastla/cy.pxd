# fastla/cy.pxd -- the cimportable Cython API of fastla.
#
#     from fastla cimport cy
#     with nogil:
#         status = cy.gemv(m, n, 1.0, a, lda, 1, x, 1, 0.0, y, 1)
#
# Every function is `noexcept nogil`, takes raw pointers and element strides
# (any sign), is generic over `cy.floating` (float or double) and returns a
# status: 0 (cy.OK) on success, cy.ERR_NOMEM or cy.ERR_ARG otherwise.
# The contracts (sizes, preconditions, complexity) are those of the C
# functions in include/fastla/, found through fastla.get_include().
# Nothing needs to be linked by hand: the functions are imported from the
# fastla.cy extension module at import time.
from fastla._capi cimport fastla_index

ctypedef fused floating:
    float
    double

cdef enum:
    OK = 0
    ERR_NOMEM = 1
    ERR_ARG = 2

# y := alpha * A x + beta * y; A(i, j) = a[i*rs_a + j*cs_a]; x(j) = x[j*incx];
# y(i) = y[i*incy].  beta == 0 ignores y's contents.  See fastla/gemv.h.
cdef int gemv(fastla_index m, fastla_index n, floating alpha,
              const floating *a, fastla_index rs_a, fastla_index cs_a,
              const floating *x, fastla_index incx, floating beta,
              floating *y, fastla_index incy) noexcept nogil

# C := alpha * A B + beta * C; A(i, p) = a[i*rs_a + p*cs_a], B(p, j) =
# b[p*rs_b + j*cs_b], C(i, j) = c[i*rs_c + j*cs_c].  See fastla/gemm.h.
cdef int gemm(fastla_index m, fastla_index n, fastla_index k, floating alpha,
              const floating *a, fastla_index rs_a, fastla_index cs_a,
              const floating *b, fastla_index rs_b, fastla_index cs_b,
              floating beta, floating *c, fastla_index rs_c, fastla_index cs_c) noexcept nogil

# Batched: matrix t of A starts at a + t*bs_a (bs_a == 0 broadcasts), etc.
cdef int gemm_batch(fastla_index batch, fastla_index m, fastla_index n, fastla_index k,
                    floating alpha,
                    const floating *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                    const floating *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                    floating beta, floating *c, fastla_index bs_c, fastla_index rs_c,
                    fastla_index cs_c) noexcept nogil

# Threads used by the parallel kernels (see fastla/runtime.h).
cdef int get_num_threads() noexcept nogil
cdef void set_num_threads(int n) noexcept nogil
# Frees the idle cached workspace of this thread and its team; bytes freed.
cdef size_t release_workspace() noexcept nogil

# ---- sparse CSR (see fastla/csr.h) ----
# A is (indptr, indices, data) of one index type `csr_index` (int32 or int64)
# and one value type `floating`.  The products assume a structure that
# csr_check accepted.  parts/nparts: optional nnz-balanced row partition from
# csr_partition (NULL, 0 lets the kernel split the rows itself).
from libc.stdint cimport int32_t, int64_t

ctypedef fused csr_index:
    int32_t
    int64_t

# 0 if valid, else a fastla_csr_error code (1 size, 2 indptr[0], 3 decreasing
# indptr at row where[0], 4 indptr[nrows] != nnz, 5 index out of range at where[0]).
cdef int csr_check(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                   const csr_index *indptr, const csr_index *indices,
                   fastla_index *where) noexcept nogil
# parts[0..nparts]: row boundaries balancing nnz + rows.
cdef void csr_partition(fastla_index nrows, const csr_index *indptr, int nparts,
                        fastla_index *parts) noexcept nogil
# cols[2k], cols[2k+1]: smallest and largest + 1 column of the rows of range k
# of a partition (for csr_spmv_t, cached with the partition).
cdef void csr_col_ranges(fastla_index nrows, const csr_index *indptr, const csr_index *indices,
                         const fastla_index *parts, int nparts,
                         fastla_index *cols) noexcept nogil
# Column split plan of A^T x for nparts threads (rows with sorted columns):
# 1 written, 0 some row unsorted, -1 out of memory.  bounds: 3*nparts + 1
# entries, split: nrows * (nparts - 1) (include/fastla/csr.h).
cdef int csr_col_split(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                       const csr_index *indices, int nparts, fastla_index *bounds,
                       csr_index *split) noexcept nogil
# y := alpha * A x + beta * y   (x: ncols, y: nrows)
cdef int csr_spmv(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                  const csr_index *indices, const floating *data, floating alpha,
                  const floating *x, fastla_index incx, floating beta,
                  floating *y, fastla_index incy,
                  const fastla_index *parts, int nparts) noexcept nogil
# y := alpha * A^T x + beta * y   (x: nrows, y: ncols; A^T never formed);
# cols: csr_col_ranges of parts, or NULL.
cdef int csr_spmv_t(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                    const csr_index *indices, const floating *data, floating alpha,
                    const floating *x, fastla_index incx, floating beta,
                    floating *y, fastla_index incy,
                    const fastla_index *parts, int nparts,
                    const fastla_index *cols) noexcept nogil
# csr_spmv_t with the plan of csr_col_split (any team size: without the plan
# when the team is not nparts).
cdef int csr_spmv_t_split(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                          const csr_index *indices, const floating *data, floating alpha,
                          const floating *x, fastla_index incx, floating beta,
                          floating *y, fastla_index incy, const fastla_index *bounds,
                          const csr_index *split, int nparts) noexcept nogil
# Y := alpha * A X + beta * Y; X(j, c) = x[j*rs_x + c*cs_x] (ncols x k),
# Y(i, c) = y[i*rs_y + c*cs_y] (nrows x k).
cdef int csr_spmm(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                  const csr_index *indices, const floating *data, fastla_index k,
                  floating alpha, const floating *x, fastla_index rs_x, fastla_index cs_x,
                  floating beta, floating *y, fastla_index rs_y, fastla_index cs_y,
                  const fastla_index *parts, int nparts) noexcept nogil
# CSR arrays of A^T (out_indptr: ncols+1, out_indices/out_data: nnz); sorted indices.
cdef int csr_transpose(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                       const csr_index *indices, const floating *data,
                       csr_index *out_indptr, csr_index *out_indices,
                       floating *out_data) noexcept nogil
# COO triplets -> CSR, duplicates summed; out_nnz[0] = distinct entries.
cdef int csr_from_coo(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                      const csr_index *rows, const csr_index *cols, const floating *vals,
                      csr_index *out_indptr, csr_index *out_indices, floating *out_data,
                      fastla_index *out_nnz) noexcept nogil

# ---- Strassen (see fastla/strassen.h) ----
# C := A B (C write-only) with `levels` (0..2) Strassen levels fused into the
# GEMM's packing; levels < 0 picks the count from the active ISA's measured
# crossover; a count too large for the size is reduced.  Same strides as gemm.
cdef int strassen(fastla_index m, fastla_index n, fastla_index k,
                  const floating *a, fastla_index rs_a, fastla_index cs_a,
                  const floating *b, fastla_index rs_b, fastla_index cs_b,
                  floating *c, fastla_index rs_c, fastla_index cs_c, int levels) noexcept nogil
# The level count strassen uses for levels < 0 (dtype_bits 32 or 64).
cdef int strassen_levels(int dtype_bits, fastla_index m, fastla_index n,
                         fastla_index k) noexcept nogil
# ---- 2-D convolution (see fastla/conv.h) ----
# g: the geometry (N, C, H, W, C_out, groups, kernel, stride, top/left
# padding, dilation, output size); tensors are pointers with element strides
# (x: 4 strides n, c, h, w; cols: 3 strides n, row, column; weight: 4).
# Downstream code declares the geometry as `cdef cy.fastla_conv2d_geom g`.
from fastla._capi cimport fastla_conv2d_geom

# cols := unfold(x), the layout of torch.nn.functional.unfold.
cdef int im2col(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                floating *cols, const fastla_index *cs) noexcept nogil
# x := beta * x + fold(cols)  (overlaps accumulate; beta == 0 ignores x).
cdef int col2im(const fastla_conv2d_geom *g, const floating *cols, const fastla_index *cs,
                floating beta, floating *x, const fastla_index *xs) noexcept nogil
# y := conv2d(x, w) + bias (bias may be NULL); w's (c, kh, kw) and y's
# (ho, wo) dimensions must collapse to one stride each.
cdef int conv2d(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                const floating *w, const fastla_index *ws, const floating *bias,
                fastla_index bs, floating *y, const fastla_index *ys) noexcept nogil
# The same y by Winograd's F(2x2, 3x3): 3x3 kernels, stride 1, dilation 1,
# groups 1 (else FASTLA_ERR_ARG); w any strides; different rounding.
cdef int conv2d_winograd(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                         const floating *w, const fastla_index *ws, const floating *bias,
                         fastla_index bs, floating *y, const fastla_index *ys) noexcept nogil
# 1 if conv2d's automatic choice takes conv2d_winograd for g on this CPU's
# ISA (measured thresholds in its table; never for ISAs without them).
cdef int conv2d_winograd_pays(const fastla_conv2d_geom *g, floating dtype_tag) noexcept nogil
# Gradients of conv2d from gy; gx, gw, gb may each be NULL (not computed).
cdef int conv2d_backward(const fastla_conv2d_geom *g,
                         const floating *gy, const fastla_index *gys,
                         const floating *x, const fastla_index *xs,
                         const floating *w, const fastla_index *ws,
                         floating *gx, const fastla_index *gxs,
                         floating *gw, const fastla_index *gws,
                         floating *gb, fastla_index gbs) noexcept nogil
# ---- neural networks (see fastla/nn.h) ----
# Activation codes (fastla_activation).
cdef enum:
    ACT_NONE = 0
    ACT_RELU = 1
    ACT_SIGMOID = 2
    ACT_TANH = 3
    ACT_GELU = 4

# C := act(alpha * A B + beta * C + bias); bias NULL or along C's columns
# (bias_axis 1, bias(j) = bias[j*inc_bias]) or rows (bias_axis 0); fused in
# the GEMM epilogue.
cdef int gemm_bias_act(fastla_index m, fastla_index n, fastla_index k, floating alpha,
                       const floating *a, fastla_index rs_a, fastla_index cs_a,
                       const floating *b, fastla_index rs_b, fastla_index cs_b,
                       floating beta, floating *c, fastla_index rs_c, fastla_index cs_c,
                       const floating *bias, fastla_index inc_bias, int bias_axis,
                       int act) noexcept nogil
# D(i, j) := G(i, j) * act'(.) from Y = act(z) (relu/sigmoid/tanh) or z (gelu);
# D rows contiguous with leading dimension ld_d.
cdef int act_backward(fastla_index m, fastla_index n,
                      const floating *g, fastla_index rs_g, fastla_index cs_g,
                      const floating *y, fastla_index rs_y, fastla_index cs_y,
                      floating *d, fastla_index ld_d, int act) noexcept nogil
# O_h := softmax(scale Q_h K_h^T + M_h) V_h over nb0 x nb1 heads (online
# softmax, O(L d) memory); mask_kind 0 none, 1 uint8 keep-mask, 2 additive.
cdef int attention(fastla_index nb0, fastla_index nb1, fastla_index L, fastla_index S,
                   fastla_index E, fastla_index Ev, floating scale,
                   const floating *q, fastla_index b0_q, fastla_index b1_q,
                   fastla_index rs_q, fastla_index cs_q,
                   const floating *k, fastla_index b0_k, fastla_index b1_k,
                   fastla_index rs_k, fastla_index cs_k,
                   const floating *v, fastla_index b0_v, fastla_index b1_v,
                   fastla_index rs_v, fastla_index cs_v,
                   int mask_kind, const void *mask, fastla_index b0_m, fastla_index b1_m,
                   fastla_index rs_m, fastla_index cs_m, int causal,
                   floating *o, fastla_index b0_o, fastla_index b1_o,
                   fastla_index rs_o, fastla_index cs_o) noexcept nogil
# out[b, :] := max over the bag's rows of W (zeros for empty bags); argmax
# NULL or nbags*dim int64 (winning row, -1 for empty bags).
cdef int embedding_bag_max(fastla_index nbags, fastla_index dim, const int64_t *indptr,
                           const int64_t *indices, const floating *w, fastla_index ld_w,
                           floating *out, fastla_index ld_out, int64_t *argmax) noexcept nogil
