# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._dense -- Python layer of the dense kernels: validate, allocate,
release the GIL, call the Cython API (fastla.cy).  No loops here."""
import numpy as np
cimport numpy as cnp
from fastla._outcache cimport empty_output
from fastla cimport cy
from fastla._capi cimport fastla_index
from fastla._checks cimport (as_array, float_type, elem_strides, may_overlap, raise_status,
                             check_out, shape_of, result_buffer, product_target, strided,
                             aligned_copy, check_no_alias, real_scalar, NPY_FLOAT32)

cnp.import_array()


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
        Scalars of the update. With ``alpha == 0`` the product is not
        computed and `a`, `x` are not read (as in BLAS): NaN or inf in them
        does not reach the result.

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
    cdef double alpha_d = real_scalar("matvec", "alpha", alpha)
    cdef double beta_d = real_scalar("matvec", "beta", beta)
    cdef cnp.ndarray Y
    cdef cnp.ndarray target
    if out is None:
        Y = empty_output(1, &m, typenum)
        beta_d = 0.0
    else:
        check_out("matvec", out, typenum, 1, &m)
        Y = <cnp.ndarray>out
        check_no_alias("matvec", Y)
    cdef fastla_index sa[2]
    cdef fastla_index sx[1]
    cdef fastla_index sy[1]
    A = strided(A, sa)
    X = strided(X, sx)
    # The result goes to a fresh buffer when out may share memory with an
    # input (or is misaligned), then is copied into out.
    target = Y
    if out is not None and (may_overlap(Y, A) or may_overlap(Y, X) or elem_strides(Y, sy)):
        target = result_buffer(Y, 1, &m, typenum, beta_d)
    elem_strides(target, sy)
    if sx[0] == 0:                 # a broadcast vector
        if n > 1:
            X = aligned_copy(X)
        sx[0] = 1
    if sy[0] == 0:                 # out of one element (check_no_alias refused longer ones)
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


def matmul(a, b, out=None, *, alpha=1.0, beta=0.0):
    """Matrix product ``alpha * a @ b + beta * out`` (blocked GEMM).

    Parameters
    ----------
    a : ndarray, shape (m, k) or (batch, m, k), float32 or float64
    b : ndarray, shape (k, n) or (batch, k, n), same dtype as `a`
        Any strides: C- and F-ordered arrays, transposed views (``a.T``),
        slices with steps. The packing routines absorb the strides, so
        nothing is copied. A 2-D operand (or a batch of 1) is broadcast over
        the other's batch, as in :func:`numpy.matmul`.
    out : ndarray, optional
        Writeable array of the result's shape and dtype. With ``beta != 0``
        its contents are read first; with ``beta == 0`` they are ignored
        (NaN included). May overlap `a` or `b` (the product then goes
        through a temporary).
    alpha, beta : float
        Scalars of the update. With ``alpha == 0`` the product is not
        computed and `a`, `b` are not read (as in BLAS): NaN or inf in them
        does not reach the result.

    Returns
    -------
    out : ndarray, shape (m, n) or (batch, m, n)

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes.
    ValueError
        Mismatched shapes, or a bad `out`.

    Notes
    -----
    Goto/BLIS algorithm: five loops around an MR x NR register micro-kernel
    (AVX-512: 8x24 float64, 8x48 float32), with packing into cache-sized
    blocks chosen per ISA. Threads split the rows of C (or its columns when
    m is small); batches of small matrices are spread over threads.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> a = np.arange(6.0).reshape(2, 3)
    >>> fastla.matmul(a, a.T)
    array([[ 5., 14.],
           [14., 50.]])
    >>> fastla.matmul(np.ones((4, 2, 3)), np.ones((3, 5))).shape
    (4, 2, 5)
    """
    cdef cnp.ndarray A = as_array(a)
    cdef cnp.ndarray B = as_array(b)
    cdef int nda = cnp.PyArray_NDIM(A), ndb = cnp.PyArray_NDIM(B)
    if nda not in (2, 3) or ndb not in (2, 3):
        raise ValueError(f"matmul: expected 2-D or 3-D (batched) operands, got shapes "
                         f"{shape_of(A)} and {shape_of(B)}")
    cdef int typenum = float_type("matmul", A, B)
    cdef cnp.npy_intp m = cnp.PyArray_DIM(A, nda - 2), k = cnp.PyArray_DIM(A, nda - 1)
    cdef cnp.npy_intp kb = cnp.PyArray_DIM(B, ndb - 2), n = cnp.PyArray_DIM(B, ndb - 1)
    if k != kb:
        raise ValueError(f"matmul: shapes {shape_of(A)} and {shape_of(B)} not aligned: "
                         f"{k} (dim {nda - 1}) != {kb} (dim {ndb - 2})")
    cdef cnp.npy_intp ba = cnp.PyArray_DIM(A, 0) if nda == 3 else 1
    cdef cnp.npy_intp bb = cnp.PyArray_DIM(B, 0) if ndb == 3 else 1
    if ba != bb and ba != 1 and bb != 1:
        raise ValueError(f"matmul: batch dimensions of {shape_of(A)} and {shape_of(B)} "
                         f"do not broadcast: {ba} != {bb}")
    cdef cnp.npy_intp batch = ba if ba != 1 else bb
    cdef bint batched = nda == 3 or ndb == 3
    cdef cnp.npy_intp shape[3]
    cdef int ndc = 3 if batched else 2
    if batched:
        shape[0] = batch
        shape[1] = m
        shape[2] = n
    else:
        shape[0] = m
        shape[1] = n
    cdef double alpha_d = real_scalar("matmul", "alpha", alpha)
    cdef double beta_d = real_scalar("matmul", "beta", beta)
    cdef cnp.ndarray C
    if out is None:
        C = empty_output(ndc, shape, typenum)
        beta_d = 0.0
    else:
        check_out("matmul", out, typenum, ndc, shape)
        C = <cnp.ndarray>out
    cdef fastla_index sa[3]
    cdef fastla_index sb[3]
    cdef fastla_index sc[3]
    A = strided(A, sa)
    B = strided(B, sb)
    cdef cnp.ndarray target = product_target("matmul", C, out is not None, A, B, ndc, shape,
                                             typenum, beta_d, sc)
    # element strides: batch, row, column for each operand (batch 0 = broadcast)
    cdef fastla_index bsa = sa[0] if (nda == 3 and ba != 1) else 0
    cdef fastla_index rsa = sa[nda - 2], csa = sa[nda - 1]
    cdef fastla_index bsb = sb[0] if (ndb == 3 and bb != 1) else 0
    cdef fastla_index rsb = sb[ndb - 2], csb = sb[ndb - 1]
    cdef fastla_index bsc = sc[0] if batched else 0
    cdef fastla_index rsc = sc[ndc - 2], csc = sc[ndc - 1]
    cdef int status
    cdef float alpha_f = <float>alpha_d, beta_f = <float>beta_d
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.gemm_batch(batch, m, n, k, alpha_f,
                                   <const float *>cnp.PyArray_DATA(A), bsa, rsa, csa,
                                   <const float *>cnp.PyArray_DATA(B), bsb, rsb, csb, beta_f,
                                   <float *>cnp.PyArray_DATA(target), bsc, rsc, csc)
    else:
        with nogil:
            status = cy.gemm_batch(batch, m, n, k, alpha_d,
                                   <const double *>cnp.PyArray_DATA(A), bsa, rsa, csa,
                                   <const double *>cnp.PyArray_DATA(B), bsb, rsb, csb, beta_d,
                                   <double *>cnp.PyArray_DATA(target), bsc, rsc, csc)
    raise_status("matmul", status)
    if target is not C:
        C[...] = target
    return C
