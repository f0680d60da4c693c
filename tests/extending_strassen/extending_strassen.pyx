# cython: language_level=3
# A downstream extension: cimports fastla's Strassen Cython API (fused over
# float/double) and calls it without the GIL.  Built by tests/test_strassen.py.
from fastla cimport cy


def strassen_nogil(cy.floating[:, :] a, cy.floating[:, :] b, cy.floating[:, :] c, int levels):
    """C := A B with `levels` Strassen levels (any strides); returns the status."""
    cdef int status
    cdef Py_ssize_t item = sizeof(a[0, 0])
    with nogil:
        status = cy.strassen(a.shape[0], b.shape[1], a.shape[1],
                             &a[0, 0], a.strides[0] // item, a.strides[1] // item,
                             &b[0, 0], b.strides[0] // item, b.strides[1] // item,
                             &c[0, 0], c.strides[0] // item, c.strides[1] // item, levels)
    return status


def levels_for(int bits, Py_ssize_t m, Py_ssize_t n, Py_ssize_t k):
    return cy.strassen_levels(bits, m, n, k)
