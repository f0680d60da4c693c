# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._dense -- Python layer of the dense kernels: validate, allocate,
release the GIL, call the Cython API (fastla.cy).  No loops here."""
import numpy as np
cimport numpy as cnp
from fastla cimport cy
from fastla._capi cimport fastla_index
from fastla._checks cimport (as_array, float_type, elem_strides, may_overlap,
                             check_out, shape_of, NPY_FLOAT32)

cnp.import_array()


cdef inline int raise_status(str fname, int status) except -1:
    if status == cy.ERR_NOMEM:
        raise MemoryError(f"{fname}: could not allocate a workspace")
    if status != cy.OK:
        raise RuntimeError(f"{fname}: internal error (status {status})")
    return 0


def matvec(a, x, out=None, *, alpha=1.0, beta=0.0):
    """Matrix-vector product ``alpha * a @ x + beta * out``.

    Parameters
    ----------
    a : ndarray, shape (m, n), float32 or float64
        Any strides: C- or F-ordered, transposed views (``a.T``) and slices
        run their own kernel path without copying the matrix.
    x : ndarray, shape (n,), same dtype as `a`
    out : ndarray, shape (m,), optional
        Writeable array of `a`'s dtype that receives the result. With
        ``beta != 0`` its contents are read first; with ``beta == 0`` they
        are ignored (NaN included), as in BLAS. May overlap `a` or `x`.
    alpha, beta : float
        Scalars of the update.

    Returns
    -------
    out : ndarray, shape (m,)

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes (only float32 and float64).
    ValueError
        Mismatched shapes, or an `out` of the wrong shape/dtype or read-only.

    Notes
    -----
    Memory-bound: ``m * n`` elements of `a` are read once. Threads split the
    rows (no reduction, also for transposed `a`); small problems run on one
    thread. See ``fastla.show_config()`` for the ISA and thread count.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> a = np.arange(6.0).reshape(2, 3)
    >>> fastla.matvec(a, np.ones(3))
    array([ 3., 12.])
    >>> fastla.matvec(a.T, np.ones(2), alpha=2.0)
    array([ 6., 10., 14.])
    """
    cdef cnp.ndarray A = as_array(a)
    cdef cnp.ndarray X = as_array(x)
    if cnp.PyArray_NDIM(A) != 2 or cnp.PyArray_NDIM(X) != 1:
        raise ValueError(f"matvec: expected a 2-D matrix and a 1-D vector, got shapes "
                         f"{shape_of(A)} and {shape_of(X)}")
    cdef int typenum = float_type("matvec", A, X)
    cdef cnp.npy_intp m = cnp.PyArray_DIM(A, 0), n = cnp.PyArray_DIM(A, 1)
    if cnp.PyArray_DIM(X, 0) != n:
        raise ValueError(f"matvec: shapes {shape_of(A)} and {shape_of(X)} not aligned: "
                         f"{n} (dim 1) != {shape_of(X)[0]} (dim 0)")
    cdef double alpha_d = alpha, beta_d = beta
    cdef cnp.ndarray Y
    cdef cnp.ndarray target
    if out is None:
        Y = cnp.PyArray_EMPTY(1, &m, typenum, 0)
        beta_d = 0.0
    else:
        check_out("matvec", out, typenum, 1, &m)
        Y = <cnp.ndarray>out
    cdef fastla_index sa[2]
    cdef fastla_index sx[1]
    cdef fastla_index sy[1]
    if elem_strides(A, sa):
        A = np.ascontiguousarray(A)
        elem_strides(A, sa)
    if elem_strides(X, sx):
        X = np.ascontiguousarray(X)
        elem_strides(X, sx)
    # The result goes to a fresh buffer when out may share memory with an
    # input (or is misaligned), then is copied into out.
    target = Y
    if out is not None and (may_overlap(Y, A) or may_overlap(Y, X) or elem_strides(Y, sy)):
        target = np.array(Y, copy=True) if beta_d != 0.0 else cnp.PyArray_EMPTY(1, &m, typenum, 0)
    elem_strides(target, sy)
    if sx[0] == 0:                 # a broadcast vector
        if n > 1:
            X = np.ascontiguousarray(X)
        sx[0] = 1
    if sy[0] == 0:                 # out aliases itself: compute into a fresh buffer
        if m > 1 and target is Y:
            target = np.array(Y, copy=True) if beta_d != 0.0 else cnp.PyArray_EMPTY(1, &m, typenum, 0)
        sy[0] = 1
    cdef int status
    cdef float alpha_f = <float>alpha_d, beta_f = <float>beta_d
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.gemv(m, n, alpha_f, <const float *>cnp.PyArray_DATA(A), sa[0], sa[1],
                             <const float *>cnp.PyArray_DATA(X), sx[0], beta_f,
                             <float *>cnp.PyArray_DATA(target), sy[0])
    else:
        with nogil:
            status = cy.gemv(m, n, alpha_d, <const double *>cnp.PyArray_DATA(A), sa[0], sa[1],
                             <const double *>cnp.PyArray_DATA(X), sx[0], beta_d,
                             <double *>cnp.PyArray_DATA(target), sy[0])
    raise_status("matvec", status)
    if target is not Y:
        Y[...] = target
    return Y
