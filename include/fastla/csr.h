/*
 * fastla/csr.h -- sparse matrices in CSR format: validation, products, conversions.
 *
 * A CSR matrix A (nrows x ncols) is three arrays of one index type I
 * (int32_t or int64_t) and one value type T (float or double):
 *   indptr   nrows + 1 entries: row i holds entries p in [indptr[i], indptr[i+1])
 *   indices  nnz entries: the column of entry p (unsorted and repeated allowed;
 *            repeated columns are summed by every product)
 *   data     nnz entries: the value of entry p (explicit zeros allowed)
 * "Valid" means fastla_csr_check_<ic> returned FASTLA_CSR_VALID: indptr[0] == 0,
 * non-decreasing, indptr[nrows] == nnz, 0 <= indices[p] < ncols.  The
 * products and conversions assume a valid structure (they do not re-check).
 * The same arrays read as CSC describe A^T (ncols x nrows): that is how
 * transposes are taken without copying.
 *
 * Names: fastla_<tc>csr_<op>_<ic>, tc = s (float) | d (double),
 * ic = i32 (int32_t indices and indptr) | i64 (int64_t).  All four variants of
 * every function are declared (and implemented) from one template each.
 * Sizes are fastla_index (64-bit), so nnz > 2**31 works with i64 indices.
 *
 * Threads: fastla_get_num_threads(), 1 when the work is small.  Every
 * function is thread-safe and does not touch the GIL.
 *
 * Row partitions (`parts`, `nparts`): optional.  parts[0..nparts] are row
 * boundaries (parts[0] = 0, parts[nparts] = nrows, non-decreasing) such that
 * each of the nparts ranges holds about the same nnz + rows, as computed by
 * fastla_csr_partition_<ic>.  A kernel uses them when nparts equals the team
 * size it chose, and otherwise computes the same split itself (O(nt log nrows));
 * callers cache them per matrix.  Pass NULL, 0 to let the kernel split.
 */
#ifndef FASTLA_CSR_H
#define FASTLA_CSR_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Results of fastla_csr_check_<ic> (the first problem found; *where says where). */
typedef enum fastla_csr_error {
    FASTLA_CSR_VALID = 0,
    FASTLA_CSR_BAD_SIZE = 1,       /* nrows, ncols or nnz negative, or beyond the index type */
    FASTLA_CSR_INDPTR_START = 2,   /* indptr[0] != 0                                        */
    FASTLA_CSR_INDPTR_DECREASE = 3,/* indptr[*where + 1] < indptr[*where]                   */
    FASTLA_CSR_INDPTR_END = 4,     /* indptr[nrows] != nnz                                  */
    FASTLA_CSR_INDEX_RANGE = 5     /* indices[*where] < 0 or >= ncols                       */
} fastla_csr_error;

/*
 * fastla_csr_check_<ic>: validate a CSR structure (see above).
 *   nrows, ncols, nnz   sizes (nnz = length of indices)
 *   indptr              nrows + 1 entries;  indices  nnz entries
 *   where               out: row (DECREASE) or entry position (RANGE) of the
 *                       first problem; -1 otherwise.  May be NULL.
 * Returns a fastla_csr_error.  O(nrows + nnz), threaded.
 *
 * fastla_csr_partition_<ic>: nnz-balanced row split of a valid structure.
 *   parts   out: nparts + 1 row boundaries; range k = [parts[k], parts[k+1])
 *           holds about (nnz + nrows) / nparts of nnz + rows (a single row is
 *           never split, so one huge row makes its range longer).
 *   nparts >= 1.  O(nparts log nrows).
 *
 * fastla_csr_col_ranges_<ic>: the columns each range of a partition touches.
 *   cols    out: 2 * nparts entries; columns of the entries of rows
 *           [parts[k], parts[k+1]) lie in [cols[2k], cols[2k+1]) (the
 *           smallest and largest + 1; [0, 0) for a range without entries).
 *   For fastla_<tc>csr_spmv_t_<ic>, cached with the partition.  O(nnz), threaded.
 *
 * fastla_csr_col_split_<ic>: the column split plan of A^T x for nparts threads.
 *   Only for rows whose columns are sorted (non-decreasing): returns 1 with
 *   the plan written, 0 when some row is unsorted (nothing usable written),
 *   -1 when out of memory.  nparts >= 2, ncols >= 1.
 *   bounds  out: 3 * nparts + 1 entries.  bounds[0..nparts]: column
 *           boundaries (0 = bounds[0] <= ... <= bounds[nparts] = ncols), at
 *           edges of 4096 bins chosen so each part holds about nnz / nparts
 *           entries; then part k's rows [bounds[nparts+1+2k], bounds[nparts+2+2k])
 *           (the first and last + 1 row with an entry in its columns; [0, 0) if none).
 *   split   out: nrows * (nparts - 1) entries: split[i * (nparts-1) + k - 1]
 *           = the first entry of row i whose column is >= bounds[k], k = 1..nparts-1.
 *   For fastla_<tc>csr_spmv_t_split_<ic>; callers cache it per matrix and
 *   thread count.  O(nnz + nrows nparts log(row length)), threaded.
 *
 * fastla_csr_from_coo_<ic>: CSR from COO triplets, duplicates summed (rows
 *   keep the order of first occurrence of each column; no explicit zeros are
 *   dropped).  Generic over T: see the value-typed variant below.
 */
#define FASTLA_CSR_DECLARE_INDEX(I, ic)                                                    \
    fastla_csr_error fastla_csr_check_##ic(fastla_index nrows, fastla_index ncols,         \
                                           fastla_index nnz, const I *indptr,              \
                                           const I *indices, fastla_index *where);         \
    void fastla_csr_partition_##ic(fastla_index nrows, const I *indptr, int nparts,        \
                                   fastla_index *parts);                                   \
    void fastla_csr_col_ranges_##ic(fastla_index nrows, const I *indptr, const I *indices, \
                                    const fastla_index *parts, int nparts,                 \
                                    fastla_index *cols);                                   \
    int fastla_csr_col_split_##ic(fastla_index nrows, fastla_index ncols, const I *indptr,  \
                                  const I *indices, int nparts, fastla_index *bounds,     \
                                  I *split);

/*
 * fastla_<tc>csr_spmv_<ic>:  y := alpha * A x + beta * y
 *   x        x(j) = x[j * incx], ncols elements; incx != 0 (strided x is
 *            copied to a contiguous O(ncols) buffer first)
 *   y        y(i) = y[i * incy], nrows elements; incy != 0; beta == 0 makes y
 *            write-only (NaN/Inf in y ignored).  y must not overlap the inputs.
 *   Rows are split between threads by nnz (parts, see above); no reduction.
 *   A contiguous y of several MB with beta == 0 is written with
 *   non-temporal stores (it is not read first).
 *   Cost: 2 nnz flops; reads data + indices + indptr once, gathers x.
 *
 * fastla_<tc>csr_spmv_t_<ic>:  y := alpha * A^T x + beta * y  (A^T not formed)
 *   x        nrows elements (stride incx);  y  ncols elements (stride incy)
 *   cols     optional (NULL): fastla_csr_col_ranges_<ic> of `parts`; used with
 *            them when nparts equals the team size.
 *   Each thread scatters its rows of A: thread 0 straight into y, the others
 *   into y for the columns no other thread's rows touch and into a private
 *   buffer over their column range for the rest; the buffers are then added
 *   into y (by the last thread to finish when that is little work, else
 *   split by columns after a barrier).  Workspace: the column ranges of
 *   threads 1..nt-1 outside their direct parts ((nt - 1) * ncols elements
 *   without `cols`; about nt * bandwidth for a banded matrix with them).
 *   Cost: 2 nnz flops, A read once, + O(workspace) for the reduction.
 *   An entry of a thread's rows outside that thread's range of `cols` (a
 *   plan made for other index arrays: they were edited after it was cached)
 *   is not added anywhere, and the call returns FASTLA_ERR_ARG with y
 *   partly updated: never a write outside the buffers.
 *
 * fastla_<tc>csr_spmv_t_split_<ic>:  y := alpha * A^T x + beta * y, as
 *   spmv_t, with the plan of fastla_csr_col_split_<ic>(..., nparts, bounds, split).
 *   Thread k owns y's columns [bounds[k], bounds[k+1]) and scatters, for
 *   each of its rows, the row's entries in those columns straight into y: no
 *   workspace, no reduction.  When the team size is not nparts (few entries,
 *   other thread count, nested OpenMP) it runs spmv_t without a plan.
 *   Cost: 2 nnz flops, A read once, x and indptr read by each thread.
 *
 * fastla_<tc>csr_spmm_<ic>:  Y := alpha * A X + beta * Y, X dense ncols x k
 *   X(j, c) = x[j * rs_x + c * cs_x];  Y(i, c) = y[i * rs_y + c * cs_y], nrows x k.
 *   Fast path cs_x == 1 and cs_y == 1 (row-major): the SIMD kernel of the
 *   active ISA vectorizes across the k columns, in register blocks of
 *   4 vectors, so a row of A is applied to a block of X's row while that
 *   block stays in registers/L1.  Other layouts are packed to row-major
 *   (O(ncols k) for X, O(nrows k) for Y).  data == NULL: every stored value
 *   is 1 (a pattern matrix such as bags of rows; the kernel then adds the
 *   gathered rows without multiplying).  beta == 0: Y write-only (with
 *   non-temporal stores when Y is several MB and its rows 16-byte aligned).
 *   Y must not overlap the inputs.  Cost: 2 nnz k flops.
 *
 * fastla_<tc>csr_transpose_<ic>:  the CSR arrays of A^T (= CSC arrays of A)
 *   out_indptr  ncols + 1;  out_indices, out_data  nnz (= indptr[nrows]).
 *   Counting sort, threaded (per-thread column counts: nt * (ncols + 1) I's of
 *   workspace).  Row indices come out sorted within each column, i.e. the
 *   result has sorted indices.  O(nnz + nt ncols).
 *   Requires nrows to fit in I.
 *
 * fastla_<tc>csr_from_coo_<ic>: rows, cols, vals (nnz each) -> CSR with
 *   duplicates summed.  out_indptr (nrows + 1), out_indices/out_data (nnz
 *   entries of room); *out_nnz receives the number of distinct entries.
 *   Returns FASTLA_ERR_ARG if a row or column is out of range, or nrows,
 *   ncols or nnz does not fit the index type (nothing else is checked),
 *   FASTLA_ERR_NOMEM.  O(nnz + nrows + ncols), serial.
 *
 * Return FASTLA_OK, FASTLA_ERR_NOMEM (workspace), FASTLA_ERR_ARG (negative
 * size or zero stride).
 */
#define FASTLA_CSR_DECLARE(T, tc, I, ic)                                                   \
    fastla_status fastla_##tc##csr_spmv_##ic(                                              \
        fastla_index nrows, fastla_index ncols, const I *indptr, const I *indices,         \
        const T *data, T alpha, const T *x, fastla_index incx, T beta, T *y,               \
        fastla_index incy, const fastla_index *parts, int nparts);                         \
    fastla_status fastla_##tc##csr_spmv_t_##ic(                                            \
        fastla_index nrows, fastla_index ncols, const I *indptr, const I *indices,         \
        const T *data, T alpha, const T *x, fastla_index incx, T beta, T *y,               \
        fastla_index incy, const fastla_index *parts, int nparts,                          \
        const fastla_index *cols);                                                         \
    fastla_status fastla_##tc##csr_spmv_t_split_##ic(                                      \
        fastla_index nrows, fastla_index ncols, const I *indptr, const I *indices,         \
        const T *data, T alpha, const T *x, fastla_index incx, T beta, T *y,               \
        fastla_index incy, const fastla_index *bounds, const I *split, int nparts);        \
    fastla_status fastla_##tc##csr_spmm_##ic(                                              \
        fastla_index nrows, fastla_index ncols, const I *indptr, const I *indices,         \
        const T *data, fastla_index k, T alpha, const T *x, fastla_index rs_x,             \
        fastla_index cs_x, T beta, T *y, fastla_index rs_y, fastla_index cs_y,             \
        const fastla_index *parts, int nparts);                                            \
    fastla_status fastla_##tc##csr_transpose_##ic(                                         \
        fastla_index nrows, fastla_index ncols, const I *indptr, const I *indices,         \
        const T *data, I *out_indptr, I *out_indices, T *out_data);                        \
    fastla_status fastla_##tc##csr_from_coo_##ic(                                          \
        fastla_index nrows, fastla_index ncols, fastla_index nnz, const I *rows,           \
        const I *cols, const T *vals, I *out_indptr, I *out_indices, T *out_data,          \
        fastla_index *out_nnz);

FASTLA_CSR_DECLARE_INDEX(int32_t, i32)
FASTLA_CSR_DECLARE_INDEX(int64_t, i64)
FASTLA_CSR_DECLARE(float, s, int32_t, i32)
FASTLA_CSR_DECLARE(float, s, int64_t, i64)
FASTLA_CSR_DECLARE(double, d, int32_t, i32)
FASTLA_CSR_DECLARE(double, d, int64_t, i64)

#ifdef __cplusplus
}
#endif
#endif
