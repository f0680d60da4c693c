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


def conv2d_nogil(float[:, :, :, ::1] x, float[:, :, :, ::1] w, float[:, :, :, ::1] y,
                 int stride, int pad):
    """y := conv2d(x, w) through cy.conv2d (float32, C order), without the GIL."""
    cdef cy.fastla_conv2d_geom g
    g.n, g.c, g.h, g.w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
    g.c_out, g.groups = w.shape[0], x.shape[1] // w.shape[1]
    g.kh, g.kw = w.shape[2], w.shape[3]
    g.sh = g.sw = stride
    g.ph = g.pw = pad
    g.dh = g.dw = 1
    g.ho, g.wo = y.shape[2], y.shape[3]
    cdef cy.fastla_index xs[4]
    cdef cy.fastla_index ws[4]
    cdef cy.fastla_index ys[4]
    cdef int k, status
    for k in range(4):
        xs[k] = x.strides[k] // sizeof(float)
        ws[k] = w.strides[k] // sizeof(float)
        ys[k] = y.strides[k] // sizeof(float)
    with nogil:
        status = cy.conv2d(&g, &x[0, 0, 0, 0], xs, &w[0, 0, 0, 0], ws, <float *>NULL, 0,
                           &y[0, 0, 0, 0], ys)
    return status
