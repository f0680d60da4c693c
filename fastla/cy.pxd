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

# Threads used by the parallel kernels (see fastla/runtime.h).
cdef int get_num_threads() noexcept nogil
cdef void set_num_threads(int n) noexcept nogil
