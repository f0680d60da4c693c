# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._strassen -- Python layer of Strassen's product: validate, allocate,
release the GIL, call the Cython API (fastla.cy).  No loops here."""
import operator

import numpy as np
cimport numpy as cnp
from fastla._outcache cimport empty_output
from fastla cimport cy
from fastla._capi cimport fastla_index, FASTLA_STRASSEN_MAX_LEVELS
from fastla._checks cimport (as_array, float_type, check_out, shape_of, product_target,
                             raise_status, strided, NPY_FLOAT32)

cnp.import_array()


def strassen_matmul(a, b, out=None, *, levels=None):
    """Matrix product ``a @ b`` by Strassen's algorithm fused into the GEMM.

    Parameters
    ----------
    a : ndarray, shape (m, k), float32 or float64
    b : ndarray, shape (k, n), same dtype as `a`
        Any strides, as in :func:`fastla.matmul`: C- and F-ordered arrays,
        transposed views and slices with steps are packed without copying.
    out : ndarray, shape (m, n), optional
        Writeable array of `a`'s dtype that receives the result; its previous
        contents are ignored (NaN included). May overlap `a` or `b` (the
        product then goes through a temporary).
    levels : int or None
        Strassen levels: 0 (classical GEMM, same as :func:`fastla.matmul`),
        1 (7 products of half-size blocks) or 2 (49 products of
        quarter-size blocks). ``None`` picks the count from the crossover
        measured for the active ISA (classical below it). A count too large
        for the size is lowered until every dimension has at least
        ``2**levels`` rows/columns; a count above 2 is an error.

    Returns
    -------
    out : ndarray, shape (m, n)

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes, or a `levels` that is not an integer.
    ValueError
        Mismatched shapes, a bad `out`, or `levels` outside 0..2.

    Notes
    -----
    "Strassen's Algorithm Reloaded" (Huang et al., SC16): the block sums
    such as ``A00 + A11`` are formed while packing, and each micro-kernel
    tile is added into every block of C that needs it, so there are no
    temporaries beyond the GEMM's packing buffers. Sizes that are not
    multiples of ``2**levels`` run Strassen on the largest core that is and
    classical products (GEMV, or GEMM for a rank update) on the thin
    fringes: nothing is padded.

    Accuracy is norm-wise, not element-wise. For ``n x n`` operands and
    ``L`` levels (leaf size ``n0 = n / 2**L``), Higham (Accuracy and
    Stability of Numerical Algorithms, Thm. 23.2) bounds the error by
    ``|C - A B|_max <= (12**L (n0**2 + 5 n0) - 5 n) u |A|_max |B|_max``
    with ``u`` the unit roundoff, against ``n**2 u |A|_max |B|_max`` for the
    classical product: since ``12**L n0**2 = 3**L n**2`` the constant grows
    about 3x per level, and a small entry of C can lose all its relative
    accuracy (the classical bound is element-wise, Strassen's is not). The
    tests check this bound with the inner dimension ``k`` for ``n``, and for
    zero-mean data the typical bound
    ``|C - A B|_max <= 2**L k u |A|_max |B|_max`` (measured: at most about
    ``0.35 k u |A|_max |B|_max`` at L = 2); docs/strassen.rst has the
    details. Integer-valued inputs whose products and sums are exactly
    representable give exact results at every level.

    Infinities and NaNs in the operands come out as in
    :func:`fastla.matmul`. Block sums
    would turn an ``inf`` into ``inf - inf = nan`` and carry it to entries
    the classical product leaves finite, and a sum of large finite blocks
    can overflow where the classical sums do not; either leaves an ``inf``
    or NaN in the result, so a result that holds one is computed again by
    the classical GEMM. The check reads the result once (O(mn), 0.4% of
    the time at n = 4096); operands with infinities or NaNs pay for both
    products. (A finite Strassen result is kept even where the classical
    sums, in their order, would have overflowed.)

    Examples
    --------
    >>> import numpy as np, fastla
    >>> a = np.arange(16.0).reshape(4, 4)
    >>> fastla.strassen_matmul(a, a, levels=1)
    array([[ 56.,  62.,  68.,  74.],
           [152., 174., 196., 218.],
           [248., 286., 324., 362.],
           [344., 398., 452., 506.]])
    >>> np.array_equal(fastla.strassen_matmul(a, a.T, levels=2), a @ a.T)
    True
    """
    cdef int lv
    if levels is None:
        lv = -1
    else:
        if isinstance(levels, bool):
            raise TypeError("strassen_matmul: levels must be an int or None, got bool")
        try:
            lv_obj = operator.index(levels)
        except TypeError:
            raise TypeError(f"strassen_matmul: levels must be an int or None, got "
                            f"{type(levels).__name__}") from None
        if lv_obj < 0 or lv_obj > FASTLA_STRASSEN_MAX_LEVELS:
            raise ValueError(f"strassen_matmul: levels must be in 0..{FASTLA_STRASSEN_MAX_LEVELS} "
                             f"(or None), got {lv_obj}")
        lv = lv_obj
    cdef cnp.ndarray A = as_array(a)
    cdef cnp.ndarray B = as_array(b)
    if cnp.PyArray_NDIM(A) != 2 or cnp.PyArray_NDIM(B) != 2:
        raise ValueError(f"strassen_matmul: expected 2-D operands, got shapes "
                         f"{shape_of(A)} and {shape_of(B)}")
    cdef int typenum = float_type("strassen_matmul", A, B)
    cdef cnp.npy_intp shape[2]
    cdef cnp.npy_intp m = cnp.PyArray_DIM(A, 0), k = cnp.PyArray_DIM(A, 1)
    cdef cnp.npy_intp kb = cnp.PyArray_DIM(B, 0), n = cnp.PyArray_DIM(B, 1)
    if k != kb:
        raise ValueError(f"strassen_matmul: shapes {shape_of(A)} and {shape_of(B)} not "
                         f"aligned: {k} (dim 1) != {kb} (dim 0)")
    shape[0] = m
    shape[1] = n
    cdef cnp.ndarray C
    if out is None:
        C = empty_output(2, shape, typenum)
    else:
        check_out("strassen_matmul", out, typenum, 2, shape)
        C = <cnp.ndarray>out
    cdef fastla_index sa[2]
    cdef fastla_index sb[2]
    cdef fastla_index sc[2]
    A = strided(A, sa)
    B = strided(B, sb)
    cdef cnp.ndarray target = product_target("strassen_matmul", C, out is not None, A, B, 2,
                                             shape, typenum, 0.0, sc)
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.strassen(m, n, k, <const float *>cnp.PyArray_DATA(A), sa[0], sa[1],
                                 <const float *>cnp.PyArray_DATA(B), sb[0], sb[1],
                                 <float *>cnp.PyArray_DATA(target), sc[0], sc[1], lv)
    else:
        with nogil:
            status = cy.strassen(m, n, k, <const double *>cnp.PyArray_DATA(A), sa[0], sa[1],
                                 <const double *>cnp.PyArray_DATA(B), sb[0], sb[1],
                                 <double *>cnp.PyArray_DATA(target), sc[0], sc[1], lv)
    raise_status("strassen_matmul", status)
    if target is not C:
        C[...] = target
    return C
