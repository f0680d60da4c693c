# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._sparse -- Python layer of the CSR kernels: check operands, allocate
outputs, release the GIL, call the Cython API (fastla.cy).  No loops here.

The arrays handed in come from a fastla.CSRMatrix, which has already made
them contiguous, native-endian, of one index type (int32/int64) and one
value type (float32/float64), and validated the structure (``check``).
"""
import numpy as np
cimport numpy as cnp
from fastla._outcache cimport empty_output
from libc.stdint cimport int32_t, int64_t
from fastla cimport cy
from fastla.cy cimport floating, csr_index
from fastla._capi cimport fastla_index
from fastla._checks cimport (as_array, float_type, elem_strides, may_overlap, raise_status,
                             real_scalar, strided, aligned_copy, check_no_alias,
                             check_out, shape_of, result_buffer, NPY_FLOAT32)

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    int NPY_INT32_T "NPY_INT32"
    int NPY_INT64_T "NPY_INT64"


cdef inline bint is_i32(cnp.ndarray ind) noexcept:
    return cnp.PyArray_TYPE(ind) == NPY_INT32_T


cdef inline void *ptr(cnp.ndarray a) noexcept:
    return cnp.PyArray_DATA(a)


cdef inline const fastla_index *parts_ptr(object parts, int *nparts):
    """The cached partition's pointer (int64 array), or NULL."""
    cdef cnp.ndarray p
    if parts is None:
        nparts[0] = 0
        return NULL
    p = <cnp.ndarray>parts
    nparts[0] = <int>(cnp.PyArray_DIM(p, 0) - 1)
    return <const fastla_index *>cnp.PyArray_DATA(p)


# ---- one typed entry point for every kernel call --------------------------
# The arrays reach this module as untyped buffers of a value type
# (float32/float64) and an index type (int32/int64).  A call is described by
# a Call record; `typed` (fused over floating x csr_index) casts the pointers
# and calls fastla.cy, and `run` picks its specialization once.  Adding an
# operation means one branch in `typed`, never one per type combination.
cdef enum Op:
    OP_CHECK, OP_PARTITION, OP_COL_RANGES, OP_COL_SPLIT, OP_SPMV, OP_SPMV_T, OP_SPMV_T_SPLIT,
    OP_SPMM, OP_TRANSPOSE, OP_FROM_COO


cdef struct Call:
    Op op
    fastla_index nrows, ncols, nnz, k
    void *indptr        # from_coo: the row indices
    void *indices       # from_coo: the column indices
    void *data          # from_coo: the values
    double alpha, beta
    void *x
    fastla_index rs_x, cs_x
    void *y
    fastla_index rs_y, cs_y
    const fastla_index *parts
    int nparts
    const fastla_index *cols  # spmv_t: column ranges of parts (or NULL); spmv_t_split: bounds
    void *split               # spmv_t_split / col_split: the per-row split points
    void *out_indptr    # transpose / from_coo outputs
    void *out_indices
    void *out_data
    fastla_index *parts_out   # partition / col_ranges output
    fastla_index result       # check: where; from_coo: out_nnz


cdef int typed(Call *c, floating *tag_t, csr_index *tag_i) noexcept nogil:
    """Call c.op with the pointers cast to (floating, csr_index); tag_* only
    select the specialization (NULL)."""
    cdef const csr_index *ip = <const csr_index *>c.indptr
    cdef const csr_index *ix = <const csr_index *>c.indices
    cdef const floating *d = <const floating *>c.data
    if c.op == OP_CHECK:
        return cy.csr_check(c.nrows, c.ncols, c.nnz, ip, ix, &c.result)
    if c.op == OP_PARTITION:
        cy.csr_partition(c.nrows, ip, c.nparts, c.parts_out)
        return cy.OK
    if c.op == OP_COL_RANGES:
        cy.csr_col_ranges(c.nrows, ip, ix, c.parts, c.nparts, c.parts_out)
        return cy.OK
    if c.op == OP_COL_SPLIT:
        c.result = cy.csr_col_split(c.nrows, c.ncols, ip, ix, c.nparts, c.parts_out,
                                    <csr_index *>c.split)
        return cy.OK
    if c.op == OP_SPMV:
        return cy.csr_spmv(c.nrows, c.ncols, ip, ix, d, <floating>c.alpha,
                           <const floating *>c.x, c.rs_x, <floating>c.beta,
                           <floating *>c.y, c.rs_y, c.parts, c.nparts)
    if c.op == OP_SPMV_T:
        return cy.csr_spmv_t(c.nrows, c.ncols, ip, ix, d, <floating>c.alpha,
                             <const floating *>c.x, c.rs_x, <floating>c.beta,
                             <floating *>c.y, c.rs_y, c.parts, c.nparts, c.cols)
    if c.op == OP_SPMV_T_SPLIT:
        return cy.csr_spmv_t_split(c.nrows, c.ncols, ip, ix, d, <floating>c.alpha,
                                   <const floating *>c.x, c.rs_x, <floating>c.beta,
                                   <floating *>c.y, c.rs_y, c.cols,
                                   <const csr_index *>c.split, c.nparts)
    if c.op == OP_SPMM:
        return cy.csr_spmm(c.nrows, c.ncols, ip, ix, d, c.k, <floating>c.alpha,
                           <const floating *>c.x, c.rs_x, c.cs_x, <floating>c.beta,
                           <floating *>c.y, c.rs_y, c.cs_y, c.parts, c.nparts)
    if c.op == OP_TRANSPOSE:
        return cy.csr_transpose(c.nrows, c.ncols, ip, ix, d, <csr_index *>c.out_indptr,
                                <csr_index *>c.out_indices, <floating *>c.out_data)
    if c.op == OP_FROM_COO:
        return cy.csr_from_coo(c.nrows, c.ncols, c.nnz, ip, ix, d, <csr_index *>c.out_indptr,
                               <csr_index *>c.out_indices, <floating *>c.out_data, &c.result)
    return cy.ERR_ARG


cdef int run(Call *c, bint f32, bint i32) noexcept nogil:
    """typed(c) for float32 (f32) or float64 values, int32 (i32) or int64 indices."""
    if f32:
        if i32:
            return typed(c, <float *>NULL, <int32_t *>NULL)
        return typed(c, <float *>NULL, <int64_t *>NULL)
    if i32:
        return typed(c, <double *>NULL, <int32_t *>NULL)
    return typed(c, <double *>NULL, <int64_t *>NULL)


def check(cnp.ndarray indptr, cnp.ndarray indices, Py_ssize_t nrows, Py_ssize_t ncols):
    """Validate a CSR structure (index arrays of one type); ValueError says what is wrong."""
    cdef fastla_index nnz = cnp.PyArray_DIM(indices, 0)
    cdef Call c
    c.op = OP_CHECK
    c.nrows, c.ncols, c.nnz = nrows, ncols, nnz
    c.indptr, c.indices = ptr(indptr), ptr(indices)
    c.result = -1
    cdef int err
    cdef bint i32 = is_i32(indptr)
    with nogil:
        err = run(&c, False, i32)
    cdef fastla_index where = c.result
    if err == 0:
        return
    if err == 1:
        raise ValueError(f"CSRMatrix: shape ({nrows}, {ncols}) or nnz {nnz} does not fit "
                         f"{indptr.dtype} indices; pass int64 indices and indptr")
    if err == 2:
        raise ValueError(f"CSRMatrix: indptr[0] must be 0, got {indptr[0]}")
    if err == 3:
        raise ValueError(f"CSRMatrix: indptr must be non-decreasing, but indptr[{where + 1}] = "
                         f"{indptr[where + 1]} < indptr[{where}] = {indptr[where]}")
    if err == 4:
        raise ValueError(f"CSRMatrix: indptr[-1] = {indptr[nrows]} must equal nnz = "
                         f"len(indices) = {nnz}")
    if err == 5:
        raise ValueError(f"CSRMatrix: column index indices[{where}] = {indices[where]} is out of "
                         f"range for {ncols} columns")
    raise ValueError(f"CSRMatrix: invalid structure (code {err})")


def partition(cnp.ndarray indptr, Py_ssize_t nrows, int nparts):
    """int64 row boundaries (nparts + 1) balancing nnz + rows."""
    cdef cnp.npy_intp n = nparts + 1
    cdef cnp.ndarray parts = cnp.PyArray_EMPTY(1, &n, cnp.NPY_INT64, 0)
    cdef Call c
    c.op = OP_PARTITION
    c.nrows, c.indptr, c.nparts = nrows, ptr(indptr), nparts
    c.parts_out = <fastla_index *>ptr(parts)
    run(&c, False, is_i32(indptr))
    return parts


def col_ranges(cnp.ndarray indptr, cnp.ndarray indices, Py_ssize_t nrows, parts):
    """int64 [lo, hi) column range of each range of `parts` (2 * nparts entries)."""
    cdef Call c
    cdef cnp.npy_intp n
    c.op = OP_COL_RANGES
    c.nrows, c.indptr, c.indices = nrows, ptr(indptr), ptr(indices)
    c.parts = parts_ptr(parts, &c.nparts)
    n = 2 * c.nparts
    cdef cnp.ndarray cols = cnp.PyArray_EMPTY(1, &n, cnp.NPY_INT64, 0)
    c.parts_out = <fastla_index *>ptr(cols)
    cdef bint i32 = is_i32(indptr)
    with nogil:
        run(&c, False, i32)
    return cols


def col_split(cnp.ndarray indptr, cnp.ndarray indices, Py_ssize_t nrows, Py_ssize_t ncols,
              int nparts):
    """The column split plan of A^T x for nparts threads: (bounds int64
    (3 nparts + 1), split of the index type (nrows * (nparts - 1))), or None
    when some row's columns are unsorted."""
    cdef cnp.npy_intp nb = 3 * nparts + 1
    cdef cnp.npy_intp ns = nrows * (nparts - 1)
    cdef cnp.ndarray bounds = cnp.PyArray_EMPTY(1, &nb, cnp.NPY_INT64, 0)
    cdef cnp.ndarray split = cnp.PyArray_EMPTY(1, &ns, cnp.PyArray_TYPE(indices), 0)
    cdef Call c
    c.op = OP_COL_SPLIT
    c.nrows, c.ncols, c.nparts = nrows, ncols, nparts
    c.indptr, c.indices = ptr(indptr), ptr(indices)
    c.parts_out = <fastla_index *>ptr(bounds)
    c.split = ptr(split)
    cdef bint i32 = is_i32(indices)
    with nogil:
        run(&c, False, i32)
    if c.result < 0:
        raise MemoryError("col_split: out of memory")
    return (bounds, split) if c.result == 1 else None


def spmv(cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr, Py_ssize_t nrows,
         Py_ssize_t ncols, x, out, alpha_, beta_, bint trans, parts, cols,
         str fname, split=None):
    """y = alpha * op(A) x + beta * out, op(A) = A or A^T (A never transposed).
    A^T: `split` is col_split's plan (or None: `parts` and `cols` are used)."""
    cdef double alpha = real_scalar(fname, "alpha", alpha_)
    cdef double beta = real_scalar(fname, "beta", beta_)
    cdef cnp.ndarray X = as_array(x)
    cdef cnp.npy_intp nin = nrows if trans else ncols
    cdef cnp.npy_intp nout = ncols if trans else nrows
    if cnp.PyArray_NDIM(X) != 1:
        raise ValueError(f"{fname}: expected a 1-D vector x, got shape {shape_of(X)}")
    cdef int typenum = float_type(fname, data, X)
    if cnp.PyArray_DIM(X, 0) != nin:
        shape = (ncols, nrows) if trans else (nrows, ncols)
        raise ValueError(f"{fname}: shapes {shape} and {shape_of(X)} not aligned: "
                         f"{nin} (dim 1) != {shape_of(X)[0]} (dim 0)")
    cdef cnp.ndarray Y, target
    if out is None:
        Y = empty_output(1, &nout, typenum)
        beta = 0.0
    else:
        check_out(fname, out, typenum, 1, &nout)
        Y = <cnp.ndarray>out
        check_no_alias(fname, Y)
    cdef fastla_index sx[1]
    cdef fastla_index sy[1]
    X = strided(X, sx)
    if sx[0] == 0 and nin > 1:     # a broadcast vector
        X = strided(aligned_copy(X), sx)
    if sx[0] == 0:
        sx[0] = 1
    target = Y
    if out is not None and (may_overlap(Y, X) or may_overlap(Y, data) or may_overlap(Y, indices)
                            or may_overlap(Y, indptr) or elem_strides(Y, sy)):
        target = result_buffer(Y, 1, &nout, typenum, beta)
    elem_strides(target, sy)
    if sy[0] == 0:
        sy[0] = 1
    cdef Call c
    c.op = OP_SPMV_T if trans else OP_SPMV
    c.nrows, c.ncols = nrows, ncols
    c.indptr, c.indices, c.data = ptr(indptr), ptr(indices), ptr(data)
    c.alpha, c.beta = alpha, beta
    c.x, c.rs_x, c.y, c.rs_y = ptr(X), sx[0], ptr(target), sy[0]
    c.parts = parts_ptr(parts, &c.nparts)
    c.cols = NULL if cols is None else <const fastla_index *>ptr(<cnp.ndarray>cols)
    if trans and split is not None:
        c.op = OP_SPMV_T_SPLIT
        c.cols = <const fastla_index *>ptr(<cnp.ndarray>split[0])
        c.split = ptr(<cnp.ndarray>split[1])
        c.nparts = <int>((cnp.PyArray_DIM(<cnp.ndarray>split[0], 0) - 1) // 3)
    cdef int status
    cdef bint i32 = is_i32(indices), f32 = typenum == NPY_FLOAT32
    with nogil:
        status = run(&c, f32, i32)
    if status == cy.ERR_ARG and c.op == OP_SPMV_T:
        raise ValueError(f"{fname}: A's index arrays were modified after A.T @ x cached its "
                         f"thread plan (they must not be: build a new CSRMatrix after editing "
                         f"indices or indptr); an out= array is left partly updated")
    raise_status(fname, status)
    if target is not Y:
        Y[...] = target
    return Y


def spmm(cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr, Py_ssize_t nrows,
         Py_ssize_t ncols, x, out, alpha_, beta_, parts, str fname):
    """Y = alpha * A X + beta * out for a dense 2-D X (any strides)."""
    cdef double alpha = real_scalar(fname, "alpha", alpha_)
    cdef double beta = real_scalar(fname, "beta", beta_)
    cdef cnp.ndarray X = as_array(x)
    if cnp.PyArray_NDIM(X) != 2:
        raise ValueError(f"{fname}: expected a 2-D dense X, got shape {shape_of(X)}")
    cdef int typenum = float_type(fname, data, X)
    if cnp.PyArray_DIM(X, 0) != ncols:
        raise ValueError(f"{fname}: shapes {(nrows, ncols)} and {shape_of(X)} not aligned: "
                         f"{ncols} (dim 1) != {shape_of(X)[0]} (dim 0)")
    cdef cnp.npy_intp oshape[2]
    oshape[0] = nrows
    oshape[1] = cnp.PyArray_DIM(X, 1)
    cdef fastla_index k = oshape[1]
    cdef cnp.ndarray Y, target
    if out is None:
        Y = empty_output(2, oshape, typenum)
        beta = 0.0
    else:
        check_out(fname, out, typenum, 2, oshape)
        Y = <cnp.ndarray>out
        check_no_alias(fname, Y)
    cdef fastla_index sx[2]
    cdef fastla_index sy[2]
    X = strided(X, sx)
    target = Y
    if out is not None and (may_overlap(Y, X) or may_overlap(Y, data) or may_overlap(Y, indices)
                            or may_overlap(Y, indptr) or elem_strides(Y, sy)):
        target = result_buffer(Y, 2, oshape, typenum, beta)
    elem_strides(target, sy)
    cdef Call c
    c.op = OP_SPMM
    c.nrows, c.ncols, c.k = nrows, ncols, k
    c.indptr, c.indices, c.data = ptr(indptr), ptr(indices), ptr(data)
    c.alpha, c.beta = alpha, beta
    c.x, c.rs_x, c.cs_x = ptr(X), sx[0], sx[1]
    c.y, c.rs_y, c.cs_y = ptr(target), sy[0], sy[1]
    c.parts = parts_ptr(parts, &c.nparts)
    cdef int status
    cdef bint i32 = is_i32(indices), f32 = typenum == NPY_FLOAT32
    with nogil:
        status = run(&c, f32, i32)
    raise_status(fname, status)
    if target is not Y:
        Y[...] = target
    return Y


def transpose(cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr, Py_ssize_t nrows,
              Py_ssize_t ncols):
    """(data, indices, indptr) of A^T in CSR (sorted indices), by a threaded counting sort."""
    cdef cnp.npy_intp nnz = cnp.PyArray_DIM(indices, 0), np1 = ncols + 1
    cdef int itype = cnp.PyArray_TYPE(indices), ttype = cnp.PyArray_TYPE(data)
    cdef cnp.ndarray od = cnp.PyArray_EMPTY(1, &nnz, ttype, 0)
    cdef cnp.ndarray oi = cnp.PyArray_EMPTY(1, &nnz, itype, 0)
    cdef cnp.ndarray op = cnp.PyArray_EMPTY(1, &np1, itype, 0)
    cdef Call c
    c.op = OP_TRANSPOSE
    c.nrows, c.ncols = nrows, ncols
    c.indptr, c.indices, c.data = ptr(indptr), ptr(indices), ptr(data)
    c.out_indptr, c.out_indices, c.out_data = ptr(op), ptr(oi), ptr(od)
    cdef bint i32 = is_i32(indices), f32 = ttype == NPY_FLOAT32
    cdef int status
    with nogil:
        status = run(&c, f32, i32)
    raise_status("transpose", status)
    return od, oi, op


def from_coo(cnp.ndarray rows, cnp.ndarray cols, cnp.ndarray vals, Py_ssize_t nrows,
             Py_ssize_t ncols):
    """(data, indices, indptr) of the CSR matrix of COO triplets, duplicates summed.
    rows/cols: one index type, contiguous; vals: float32/float64, contiguous."""
    cdef cnp.npy_intp nnz = cnp.PyArray_DIM(rows, 0), np1 = nrows + 1
    cdef int itype = cnp.PyArray_TYPE(rows), ttype = cnp.PyArray_TYPE(vals)
    cdef cnp.ndarray od = cnp.PyArray_EMPTY(1, &nnz, ttype, 0)
    cdef cnp.ndarray oi = cnp.PyArray_EMPTY(1, &nnz, itype, 0)
    cdef cnp.ndarray op = cnp.PyArray_EMPTY(1, &np1, itype, 0)
    cdef Call c
    c.op = OP_FROM_COO
    c.nrows, c.ncols, c.nnz = nrows, ncols, nnz
    c.indptr, c.indices, c.data = ptr(rows), ptr(cols), ptr(vals)
    c.out_indptr, c.out_indices, c.out_data = ptr(op), ptr(oi), ptr(od)
    c.result = 0
    cdef bint i32 = is_i32(rows), f32 = ttype == NPY_FLOAT32
    cdef int status
    with nogil:
        status = run(&c, f32, i32)
    cdef fastla_index out_nnz = c.result
    if status == cy.ERR_ARG:
        raise ValueError(f"from_coo: a row or column index is out of range for shape "
                         f"({nrows}, {ncols}), or a size does not fit the {rows.dtype} indices")
    raise_status("from_coo", status)
    if out_nnz < nnz:
        od = od[:out_nnz].copy()
        oi = oi[:out_nnz].copy()
    return od, oi, op


def _offset_probe(str op, cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr,
                  fastla_index shift, Py_ssize_t ncols, x):
    """Test hook for the 64-bit offsets: op(A) @ x (op: "spmv", "spmv_t",
    "spmm"; alpha 1, beta 0) where A's int64 `indptr` entries are all `shift`
    too large and `data`/`indices` (contiguous, int64 indices) are addressed
    `shift` elements before their first entry, so every offset the kernels
    form passes 2**31 while only nnz entries exist.  Not validated: the
    caller passes a valid structure plus `shift`."""
    cdef Py_ssize_t nrows = indptr.shape[0] - 1
    cdef cnp.ndarray X = np.ascontiguousarray(x)
    cdef cnp.ndarray Y
    cdef cnp.npy_intp shp[2]
    shp[0] = ncols if op == "spmv_t" else nrows
    shp[1] = X.shape[1] if X.ndim == 2 else 1
    Y = cnp.PyArray_EMPTY(cnp.PyArray_NDIM(X), shp, cnp.PyArray_TYPE(data), 0)
    cdef Call c
    c.op = OP_SPMM if op == "spmm" else (OP_SPMV_T if op == "spmv_t" else OP_SPMV)
    c.nrows, c.ncols, c.k = nrows, ncols, shp[1]
    c.indptr = ptr(indptr)
    c.indices = <void *>(<char *>ptr(indices) - shift * cnp.PyArray_ITEMSIZE(indices))
    c.data = <void *>(<char *>ptr(data) - shift * cnp.PyArray_ITEMSIZE(data))
    c.alpha, c.beta = 1.0, 0.0
    c.x, c.rs_x, c.cs_x = ptr(X), (shp[1] if cnp.PyArray_NDIM(X) == 2 else 1), 1
    c.y, c.rs_y, c.cs_y = ptr(Y), shp[1], 1
    c.parts, c.nparts, c.cols = NULL, 0, NULL
    cdef int status
    cdef bint f32 = cnp.PyArray_TYPE(data) == NPY_FLOAT32
    with nogil:
        status = run(&c, f32, False)
    raise_status("_offset_probe", status)
    return Y
