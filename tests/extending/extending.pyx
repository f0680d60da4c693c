# cython: language_level=3
# A downstream extension: cimports fastla's Cython API and calls the GEMV
# kernel without the GIL.  Built by tests/test_extending.py.
from fastla cimport cy


def gemv_nogil(double[:, :] a, double[:] x, double[:] y, double alpha, double beta):
    """y := alpha * a @ x + beta * y through cy.gemv, without the GIL."""
    cdef int status
    cdef Py_ssize_t item = sizeof(double)
    with nogil:
        status = cy.gemv(a.shape[0], a.shape[1], alpha, &a[0, 0],
                         a.strides[0] // item, a.strides[1] // item,
                         &x[0], x.strides[0] // item, beta, &y[0], y.strides[0] // item)
    return status


def sgemv_nogil(float[:, ::1] a, float[::1] x, float[::1] y):
    cdef int status
    with nogil:
        status = cy.gemv[float](a.shape[0], a.shape[1], 1.0, &a[0, 0], a.shape[1], 1,
                                &x[0], 1, 0.0, &y[0], 1)
    return status


def threads():
    return cy.get_num_threads()
