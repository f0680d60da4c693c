# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._sparse -- Python layer of the CSR kernels: check operands, allocate
outputs, release the GIL, call the Cython API (fastla.cy).  No loops here.

The arrays handed in come from a fastla.CSRMatrix, which has already made
them contiguous, native-endian, of one index type (int32/int64) and one
value type (float32/float64), and validated the structure (``check``).
"""
import numpy as np
cimport numpy as cnp
from libc.stdint cimport int32_t, int64_t
from fastla cimport cy
from fastla._capi cimport fastla_index
from fastla._checks cimport (as_array, float_type, elem_strides, may_overlap,
                             check_out, shape_of, result_buffer, NPY_FLOAT32)

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    int NPY_INT32_T "NPY_INT32"
    int NPY_INT64_T "NPY_INT64"


cdef inline int raise_status(str fname, int status) except -1:
    if status == cy.ERR_NOMEM:
        raise MemoryError(f"{fname}: could not allocate a workspace")
    if status != cy.OK:
        raise RuntimeError(f"{fname}: internal error (status {status})")
    return 0


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


def check(cnp.ndarray indptr, cnp.ndarray indices, Py_ssize_t nrows, Py_ssize_t ncols):
    """Validate a CSR structure (index arrays of one type); ValueError says what is wrong."""
    cdef fastla_index where = -1
    cdef fastla_index nnz = cnp.PyArray_DIM(indices, 0)
    cdef int err
    cdef void *ip = ptr(indptr)
    cdef void *ix = ptr(indices)
    if is_i32(indptr):
        with nogil:
            err = cy.csr_check(nrows, ncols, nnz, <const int32_t *>ip, <const int32_t *>ix, &where)
    else:
        with nogil:
            err = cy.csr_check(nrows, ncols, nnz, <const int64_t *>ip, <const int64_t *>ix, &where)
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
    if is_i32(indptr):
        cy.csr_partition(nrows, <const int32_t *>ptr(indptr), nparts, <fastla_index *>ptr(parts))
    else:
        cy.csr_partition(nrows, <const int64_t *>ptr(indptr), nparts, <fastla_index *>ptr(parts))
    return parts


def spmv(cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr, Py_ssize_t nrows,
         Py_ssize_t ncols, x, out, double alpha, double beta, bint trans, parts, str fname):
    """y = alpha * op(A) x + beta * out, op(A) = A or A^T (A never transposed)."""
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
        Y = cnp.PyArray_EMPTY(1, &nout, typenum, 0)
        beta = 0.0
    else:
        check_out(fname, out, typenum, 1, &nout)
        Y = <cnp.ndarray>out
    cdef fastla_index sx[1]
    cdef fastla_index sy[1]
    if elem_strides(X, sx) or (sx[0] == 0 and nin > 1):
        X = np.ascontiguousarray(X)
        elem_strides(X, sx)
    if sx[0] == 0:
        sx[0] = 1
    target = Y
    if out is not None and (may_overlap(Y, X) or may_overlap(Y, data) or may_overlap(Y, indices)
                            or may_overlap(Y, indptr) or elem_strides(Y, sy)
                            or (sy[0] == 0 and nout > 1)):
        target = result_buffer(Y, 1, &nout, typenum, beta)
    elem_strides(target, sy)
    if sy[0] == 0:
        sy[0] = 1
    cdef int nparts, status
    cdef const fastla_index *pp = parts_ptr(parts, &nparts)
    cdef float af = <float>alpha, bf = <float>beta
    cdef void *d = ptr(data)
    cdef void *ix = ptr(indices)
    cdef void *ip = ptr(indptr)
    cdef void *xp = ptr(X)
    cdef void *yp = ptr(target)
    cdef bint i32 = is_i32(indices), f32 = typenum == NPY_FLOAT32
    with nogil:
        if trans:
            if f32 and i32:
                status = cy.csr_spmv_t(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <float *>d, af,
                                       <float *>xp, sx[0], bf, <float *>yp, sy[0], pp, nparts)
            elif f32:
                status = cy.csr_spmv_t(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <float *>d, af,
                                       <float *>xp, sx[0], bf, <float *>yp, sy[0], pp, nparts)
            elif i32:
                status = cy.csr_spmv_t(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <double *>d, alpha,
                                       <double *>xp, sx[0], beta, <double *>yp, sy[0], pp, nparts)
            else:
                status = cy.csr_spmv_t(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <double *>d, alpha,
                                       <double *>xp, sx[0], beta, <double *>yp, sy[0], pp, nparts)
        else:
            if f32 and i32:
                status = cy.csr_spmv(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <float *>d, af,
                                     <float *>xp, sx[0], bf, <float *>yp, sy[0], pp, nparts)
            elif f32:
                status = cy.csr_spmv(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <float *>d, af,
                                     <float *>xp, sx[0], bf, <float *>yp, sy[0], pp, nparts)
            elif i32:
                status = cy.csr_spmv(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <double *>d, alpha,
                                     <double *>xp, sx[0], beta, <double *>yp, sy[0], pp, nparts)
            else:
                status = cy.csr_spmv(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <double *>d, alpha,
                                     <double *>xp, sx[0], beta, <double *>yp, sy[0], pp, nparts)
    raise_status(fname, status)
    if target is not Y:
        Y[...] = target
    return Y


def spmm(cnp.ndarray data, cnp.ndarray indices, cnp.ndarray indptr, Py_ssize_t nrows,
         Py_ssize_t ncols, x, out, double alpha, double beta, parts, str fname):
    """Y = alpha * A X + beta * out for a dense 2-D X (any strides)."""
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
        Y = cnp.PyArray_EMPTY(2, oshape, typenum, 0)
        beta = 0.0
    else:
        check_out(fname, out, typenum, 2, oshape)
        Y = <cnp.ndarray>out
    cdef fastla_index sx[2]
    cdef fastla_index sy[2]
    if elem_strides(X, sx):
        X = np.ascontiguousarray(X)
        elem_strides(X, sx)
    target = Y
    if out is not None and (may_overlap(Y, X) or may_overlap(Y, data) or may_overlap(Y, indices)
                            or may_overlap(Y, indptr) or elem_strides(Y, sy)
                            or (sy[0] == 0 and nrows > 1) or (sy[1] == 0 and k > 1)):
        target = result_buffer(Y, 2, oshape, typenum, beta)
    elem_strides(target, sy)
    cdef int nparts, status
    cdef const fastla_index *pp = parts_ptr(parts, &nparts)
    cdef float af = <float>alpha, bf = <float>beta
    cdef void *d = ptr(data)
    cdef void *ix = ptr(indices)
    cdef void *ip = ptr(indptr)
    cdef void *xp = ptr(X)
    cdef void *yp = ptr(target)
    cdef bint i32 = is_i32(indices), f32 = typenum == NPY_FLOAT32
    with nogil:
        if f32 and i32:
            status = cy.csr_spmm(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <float *>d, k, af,
                                 <float *>xp, sx[0], sx[1], bf, <float *>yp, sy[0], sy[1], pp, nparts)
        elif f32:
            status = cy.csr_spmm(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <float *>d, k, af,
                                 <float *>xp, sx[0], sx[1], bf, <float *>yp, sy[0], sy[1], pp, nparts)
        elif i32:
            status = cy.csr_spmm(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <double *>d, k, alpha,
                                 <double *>xp, sx[0], sx[1], beta, <double *>yp, sy[0], sy[1], pp, nparts)
        else:
            status = cy.csr_spmm(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <double *>d, k, alpha,
                                 <double *>xp, sx[0], sx[1], beta, <double *>yp, sy[0], sy[1], pp, nparts)
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
    cdef void *d = ptr(data)
    cdef void *ix = ptr(indices)
    cdef void *ip = ptr(indptr)
    cdef void *a = ptr(od)
    cdef void *b = ptr(oi)
    cdef void *c = ptr(op)
    cdef bint i32 = is_i32(indices), f32 = ttype == NPY_FLOAT32
    cdef int status
    with nogil:
        if f32 and i32:
            status = cy.csr_transpose(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <float *>d,
                                      <int32_t *>c, <int32_t *>b, <float *>a)
        elif f32:
            status = cy.csr_transpose(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <float *>d,
                                      <int64_t *>c, <int64_t *>b, <float *>a)
        elif i32:
            status = cy.csr_transpose(nrows, ncols, <int32_t *>ip, <int32_t *>ix, <double *>d,
                                      <int32_t *>c, <int32_t *>b, <double *>a)
        else:
            status = cy.csr_transpose(nrows, ncols, <int64_t *>ip, <int64_t *>ix, <double *>d,
                                      <int64_t *>c, <int64_t *>b, <double *>a)
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
    cdef void *r = ptr(rows)
    cdef void *cc = ptr(cols)
    cdef void *v = ptr(vals)
    cdef void *a = ptr(od)
    cdef void *b = ptr(oi)
    cdef void *c = ptr(op)
    cdef fastla_index out_nnz = 0
    cdef bint i32 = is_i32(rows), f32 = ttype == NPY_FLOAT32
    cdef int status
    with nogil:
        if f32 and i32:
            status = cy.csr_from_coo(nrows, ncols, nnz, <int32_t *>r, <int32_t *>cc, <float *>v,
                                     <int32_t *>c, <int32_t *>b, <float *>a, &out_nnz)
        elif f32:
            status = cy.csr_from_coo(nrows, ncols, nnz, <int64_t *>r, <int64_t *>cc, <float *>v,
                                     <int64_t *>c, <int64_t *>b, <float *>a, &out_nnz)
        elif i32:
            status = cy.csr_from_coo(nrows, ncols, nnz, <int32_t *>r, <int32_t *>cc, <double *>v,
                                     <int32_t *>c, <int32_t *>b, <double *>a, &out_nnz)
        else:
            status = cy.csr_from_coo(nrows, ncols, nnz, <int64_t *>r, <int64_t *>cc, <double *>v,
                                     <int64_t *>c, <int64_t *>b, <double *>a, &out_nnz)
    if status == cy.ERR_ARG:
        raise ValueError(f"from_coo: a row or column index is out of range for shape "
                         f"({nrows}, {ncols})")
    raise_status("from_coo", status)
    if out_nnz < nnz:
        od = od[:out_nnz].copy()
        oi = oi[:out_nnz].copy()
    return od, oi, op
