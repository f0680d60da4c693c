/*
 * config/table.h -- the per-ISA kernel table (internal).
 *
 * One table per ISA (config/ref.c, config/avx2.c, config/avx512.c) says which
 * micro-kernel serves each operation and dtype, and holds the block sizes.
 * The loop nests in frame/ only ever call kernels through the active table,
 * so adding an ISA means adding kernels/<isa>/ and config/<isa>.c.
 *
 * Every micro-kernel of one operation has one signature (below); the letter
 * after the ISA in a kernel's name is the dtype: s = float, d = double.
 */
#ifndef FASTLA_CONFIG_TABLE_H
#define FASTLA_CONFIG_TABLE_H

#include "fastla/types.h"

/* GEMV, A row-contiguous: y[i] = alpha * sum_j a[i*lda + j] x[j] + beta y[i],
 * 0 <= i < m.  x and y contiguous; beta == 0 overwrites y.  O(m n). */
#define FASTLA_GEMV_ROWS_ARGS(T) \
    fastla_index m, fastla_index n, T alpha, const T *a, fastla_index lda, \
    const T *x, T beta, T *y
/* GEMV, A column-contiguous: y[i] = alpha * sum_j a[i + j*lda] x[j] + beta y[i].
 * Same contract; the kernel blocks y so a block stays in L1.  O(m n). */
#define FASTLA_GEMV_COLS_ARGS(T) FASTLA_GEMV_ROWS_ARGS(T)

/* GEMM micro-kernel: C[i, j] = alpha * sum_p a[p*MR + i] * b[p*NR + j] + beta * C[i, j]
 * for i < m <= MR, j < n <= NR, where C[i, j] = c[i*rs_c + j*cs_c].
 * a is a packed MR x k sliver (column p holds MR rows), b a packed k x NR
 * sliver; partial tiles (m < MR or n < NR) are handled by the kernel (the
 * packed slivers are zero-padded).  beta == 0: C is write-only.
 * Fastest with cs_c == 1 (vector stores along rows of C).  O(MR NR k). */
#define FASTLA_GEMM_UKR_ARGS(T) \
    fastla_index m, fastla_index n, fastla_index k, T alpha, const T *a, const T *b, \
    T beta, T *c, fastla_index rs_c, fastla_index cs_c

/* The same micro-kernel with A read in place instead of packed: a[i*lda + p]
 * for i < m <= MR, p < k (rows of A with unit column stride, lda of any
 * sign; only the m real rows are read).  For products with few columns (n <= 4 NR), where
 * packing A would cost more than the micro-kernel saves by reading it
 * packed.  O(MR NR k). */
#define FASTLA_GEMM_UKR_RA_ARGS(T) \
    fastla_index m, fastla_index n, fastla_index k, T alpha, const T *a, fastla_index lda, \
    const T *b, T beta, T *c, fastla_index rs_c, fastla_index cs_c

/* Strassen destination update (frame/strassen_frame.inc): for i < m, j < n,
 *   c[i*rs_c + j] = coef * tile[i*ldt + j]    (store != 0)
 *   c[i*rs_c + j] += coef * tile[i*ldt + j]   (store == 0)
 * tile is an L1-resident micro-kernel tile; C's columns are unit-stride.
 * O(m n). */
#define FASTLA_STRASSEN_ADD_ARGS(T) \
    fastla_index m, fastla_index n, const T *tile, fastla_index ldt, T coef, int store, \
    T *c, fastla_index rs_c

/* GEMM packing, one sliver of width W (W = MR: a sliver of the packed A
 * block; W = NR: a sliver of the packed B panel):
 *   dst[p*W + i] = sum_{t < nsrc} coef[t] * src[t][i*si + p*sp]
 * for i < mn <= W, p < kc; rows mn <= i < W are zero (the micro-kernels'
 * zero padding).  nsrc >= 1 (Strassen packs sums of up to 4 blocks; the
 * GEMM passes one block with coef 1).  Fastest for si == 1 (whole vectors);
 * sp == 1 is transposed through L1-sized tiles.  O(nsrc W kc). */
#define FASTLA_PACK_ARGS(T) \
    fastla_index mn, fastla_index kc, const T *const *src, const T *coef, int nsrc, \
    fastla_index si, fastla_index sp, T *dst

/* Gathered B sliver (frame/gemm_packed.h's fastla_gemm_bgather: conv2d's
 * columns read straight from a padded image): for p < kc,
 *   dst[p*NR + e] = src[rowoff[p] + coloff[e]]   (e < mn <= NR),
 *   dst[p*NR + e] = 0                            (mn <= e < NR).
 * Fastest when the lanes form a few runs of consecutive addresses
 * (coloff[e+1] == coloff[e] + 1).  Reads up to one vector's length of
 * elements before and after the addressed ones (FASTLA_BGATHER_SLACK).
 * O(NR kc). */
#define FASTLA_PACK_GATHER_ARGS(T) \
    fastla_index mn, fastla_index kc, const T *src, const fastla_index *rowoff, \
    const fastla_index *coloff, T *dst

/* One dtype's GEMM entry in a table: the micro-kernel, its register tile
 * MR x NR, its packing kernels (pack_a: W = MR, pack_b: W = NR, pack_b_gather:
 * a B sliver from offsets), the micro-kernel reading A in place (ukr_ra) and the cache blocking (KC: depth of a packed sliver, sized so a
 * KC x NR sliver of B stays in L1; MC: rows of the packed A block kept in
 * L2; NC: columns of the packed B panel kept in L3). */
#define FASTLA_GEMM_BLOCKING(T) \
    struct { \
        void (*ukr)(FASTLA_GEMM_UKR_ARGS(T)); \
        int mr, nr, kc, mc, nc; \
        void (*pack_a)(FASTLA_PACK_ARGS(T)); \
        void (*pack_b)(FASTLA_PACK_ARGS(T)); \
        void (*pack_b_gather)(FASTLA_PACK_GATHER_ARGS(T)); \
        void (*ukr_ra)(FASTLA_GEMM_UKR_RA_ARGS(T)); \
        /* a row-major A is also read in place (ukr_ra) when n <= ra_n and \
           min(m, k) <= ra_mk (frame/gemm_frame.inc); 0: not measured */ \
        int ra_n, ra_mk; \
        /* MC of a KC pass that reads C back (beta != 0, or a pass after \
           the first): its MC-row blocks of C are streamed in and out */ \
        int mc_read; \
        /* a "short" A (m <= fly_m) is one block and B is packed sliver by \
           sliver right before use, fly_kc deep (frame/gemm_frame.inc) */ \
        int fly_m, fly_kc; \
    }
/* CSR SpMV over rows [r0, r1) (T values, I indices):
 *   y[i*incy] = alpha * sum_{p in [indptr[i], indptr[i+1])} val[p] * x[ind[p]] + beta * y[i*incy]
 * x contiguous; beta == 0 overwrites y.  Scalar gathers; 2 (indptr[r1] - indptr[r0]) flops. */
#define FASTLA_CSRMV_ARGS(T, I) \
    fastla_index r0, fastla_index r1, const I *indptr, const I *ind, const T *val, \
    T alpha, const T *x, T beta, T *y, fastla_index incy
/* CSR SpMM over rows [r0, r1): Y[i, 0..k) = alpha * sum_p val[p] X[ind[p], 0..k) + beta Y[i, 0..k)
 * X(j, c) = x[j*ldx + c], Y(i, c) = y[i*ldy + c] (row-major, contiguous rows);
 * beta == 0 overwrites Y; val == NULL means every value is 1.  Vectorized
 * across the k columns in register blocks.  2 k (indptr[r1] - indptr[r0]) flops. */
#define FASTLA_CSRMM_ARGS(T, I) \
    fastla_index r0, fastla_index r1, const I *indptr, const I *ind, const T *val, \
    fastla_index k, T alpha, const T *x, fastla_index ldx, T beta, T *y, fastla_index ldy

/* im2col's padded rows: for q < m, row q of dst (dst + q*ldd, wo entries)
 * is zeros in [0, lo), src[q*lds + e*st] at lo + e for e < n, zeros in
 * [lo + n, wo) (lo + n <= wo).  Reads src[q*lds .. q*lds + (n-1)*st] only.
 * st 1 and 2 take whole vectors (at 2: two loads and one even-lane shuffle
 * per output vector); other strides go lane by lane.  O(m wo). */
#define FASTLA_ROW_GATHER_ARGS(T)                                                          \
    fastla_index m, fastla_index wo, fastla_index lo, fastla_index n, const T *src,        \
        fastla_index lds, fastla_index st, T *dst, fastla_index ldd

/* Machine probes used by `python -m fastla bench`.
 * fma: runs `iters` rounds of 12 independent vector FMA chains; returns a
 *      value that depends on every FMA (so nothing is optimized away).
 *      Flops = 2 * lanes * 12 * iters.
 * read: sum of x[0..n); copy: y = x; triad: a = b + s*c.  Contiguous. */
typedef struct fastla_probe_kernels {
    int lanes_d, lanes_s;
    double (*fma_d)(long iters);
    double (*fma_s)(long iters);
    double (*read_d)(const double *x, fastla_index n);
    void (*copy_d)(double *y, const double *x, fastla_index n);
    void (*triad_d)(double *a, const double *b, const double *c, double s, fastla_index n);
} fastla_probe_kernels;

/* Neural-network element-wise kernels (kernels/generic/nn_kern.inc); act codes
 * are fastla_activation (include/fastla/nn.h).
 * act: x[j*incx] := act(x[j*incx] + bias[j*incb]) for j < n (bias NULL: no
 *      bias; incb 0 broadcasts bias[0]).  Vectorized when incx == 1.  O(n).
 * act_grad: dst[j] := g[j*incg] * act'(.) where the derivative is taken from
 *      y[j*incy] = act(z) (relu, sigmoid, tanh) or y = z (gelu); dst contiguous.
 * softmax_step: one online-softmax update of a key-major score block for
 *      ncols queries (a multiple of the vector length); see nn_kern.inc.
 *      O(nrows ncols) exponentials. */
#include "fastla/nn.h"
#define FASTLA_ACT_ARGS(T) \
    fastla_index n, T *x, fastla_index incx, const T *bias, fastla_index incb, int act
#define FASTLA_ACT_GRAD_ARGS(T) \
    fastla_index n, const T *g, fastla_index incg, const T *y, fastla_index incy, T *dst, int act
#define FASTLA_SOFTMAX_STEP_ARGS(T) \
    fastla_index nrows, fastla_index ncols, T *x, fastla_index ld, T *m, T *l, T *corr

typedef struct fastla_kernel_table {
    fastla_arch arch;
    const char *name;
    void (*sgemv_rows)(FASTLA_GEMV_ROWS_ARGS(float));
    void (*dgemv_rows)(FASTLA_GEMV_ROWS_ARGS(double));
    void (*sgemv_cols)(FASTLA_GEMV_COLS_ARGS(float));
    void (*dgemv_cols)(FASTLA_GEMV_COLS_ARGS(double));
    FASTLA_GEMM_BLOCKING(float) sgemm;
    FASTLA_GEMM_BLOCKING(double) dgemm;
    fastla_probe_kernels probe;
    /* sparse (CSR); suffix = index type */
    void (*scsrmv_i32)(FASTLA_CSRMV_ARGS(float, int32_t));
    void (*scsrmv_i64)(FASTLA_CSRMV_ARGS(float, int64_t));
    void (*dcsrmv_i32)(FASTLA_CSRMV_ARGS(double, int32_t));
    void (*dcsrmv_i64)(FASTLA_CSRMV_ARGS(double, int64_t));
    void (*scsrmm_i32)(FASTLA_CSRMM_ARGS(float, int32_t));
    void (*scsrmm_i64)(FASTLA_CSRMM_ARGS(float, int64_t));
    void (*dcsrmm_i32)(FASTLA_CSRMM_ARGS(double, int32_t));
    void (*dcsrmm_i64)(FASTLA_CSRMM_ARGS(double, int64_t));
    /* Strassen (frame/strassen.c): strassen_cross_x[L-1] is the smallest
     * min(m, n, k) for which L levels beat L-1 (0: never); measured, see
     * config/<isa>.h. */
    int strassen_cross_s[2], strassen_cross_d[2];
    /* KC of the Strassen loop nest (deeper than the GEMM's: every KC pass
     * is one read-modify-write sweep over each destination block of C). */
    int strassen_kc_s, strassen_kc_d;
    /* conv2d's automatic choice of Winograd F(2x2, 3x3) (frame/conv_winograd.inc,
     * ?conv2d_winograd_pays): it pays when min(C, C_out) >= wino_ch, the
     * batch has >= wino_tiles output tiles and each image >= wino_img_tiles
     * (a quarter of it from 2 wino_ch channels on), and one image's
     * workspace fits 4 FASTLA_WINO_WORKSPACE_BYTES.  wino_ch == 0: never
     * (not measured); measured, see config/<isa>.h. */
    int wino_ch_s, wino_tiles_s, wino_img_tiles_s;
    int wino_ch_d, wino_tiles_d, wino_img_tiles_d;
    /* neural networks */
    void (*sact)(FASTLA_ACT_ARGS(float));
    void (*dact)(FASTLA_ACT_ARGS(double));
    void (*sact_grad)(FASTLA_ACT_GRAD_ARGS(float));
    void (*dact_grad)(FASTLA_ACT_GRAD_ARGS(double));
    void (*ssoftmax_step)(FASTLA_SOFTMAX_STEP_ARGS(float));
    void (*dsoftmax_step)(FASTLA_SOFTMAX_STEP_ARGS(double));
    void (*sstrassen_add)(FASTLA_STRASSEN_ADD_ARGS(float));
    void (*dstrassen_add)(FASTLA_STRASSEN_ADD_ARGS(double));
    /* convolution */
    void (*srow_gather)(FASTLA_ROW_GATHER_ARGS(float));
    void (*drow_gather)(FASTLA_ROW_GATHER_ARGS(double));
} fastla_kernel_table;

/* Tables, one per ISA built (config/<isa>.c). */
extern const fastla_kernel_table fastla_table_ref;
#if defined(FASTLA_HAVE_X86_KERNELS)
extern const fastla_kernel_table fastla_table_avx2;
extern const fastla_kernel_table fastla_table_avx512;
#endif

/* The active table (config/dispatch.c); never NULL. */
extern const fastla_kernel_table *fastla_active_table;
static inline const fastla_kernel_table *fastla_kt(void) { return fastla_active_table; }

/* The table of `arch`, or NULL if it was not built or the CPU lacks it. */
const fastla_kernel_table *fastla_table_for(fastla_arch arch);

#endif
