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
