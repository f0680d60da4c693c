# cython: language_level=3
# A downstream extension: cimports fastla's sparse Cython API (fused over
# value and index types) and calls the CSR kernels without the GIL.
# Built by tests/test_sparse_extending.py.
from libc.stdint cimport int32_t, int64_t
from fastla cimport cy


def spmv_nogil(const double[::1] data, const int32_t[::1] indices, const int32_t[::1] indptr,
               Py_ssize_t ncols, const double[::1] x, double[::1] y, bint trans):
    """y := A x (or A^T x) for float64 values and int32 indices."""
    cdef int status
    cdef Py_ssize_t nrows = indptr.shape[0] - 1
    cdef int ok = cy.csr_check(nrows, ncols, indices.shape[0], &indptr[0], &indices[0], NULL)
    if ok != 0:
        return -ok
    with nogil:
        if trans:
            status = cy.csr_spmv_t(nrows, ncols, &indptr[0], &indices[0], &data[0], 1.0,
                                   &x[0], 1, 0.0, &y[0], 1, NULL, 0, NULL)
        else:
            status = cy.csr_spmv(nrows, ncols, &indptr[0], &indices[0], &data[0], 1.0,
                                 &x[0], 1, 0.0, &y[0], 1, NULL, 0)
    return status


def spmm_nogil(const float[::1] data, const int64_t[::1] indices, const int64_t[::1] indptr,
               const float[:, ::1] x, float[:, ::1] y):
    """Y := A X for float32 values and int64 indices, with a cached partition."""
    cdef int status
    cdef Py_ssize_t nrows = indptr.shape[0] - 1
    cdef int64_t parts[3]
    cy.csr_partition(nrows, &indptr[0], 2, parts)
    with nogil:
        status = cy.csr_spmm(nrows, x.shape[0], &indptr[0], &indices[0], &data[0], x.shape[1],
                             <float>1.0, &x[0, 0], x.shape[1], 1, <float>0.0, &y[0, 0],
                             y.shape[1], 1, parts, 2)
    return status
