# fastla/_checks.pxd -- argument checking shared by the Python layer
# (cdef inline: compiled into each module that cimports it, no call overhead).
# Every message names the function, the shapes and the fix, as NumPy does.
cimport numpy as cnp
from fastla._capi cimport fastla_index, FASTLA_OK, FASTLA_ERR_NOMEM

cdef extern from "numpy/arrayobject.h":
    int NPY_FLOAT32 "NPY_FLOAT"
    int NPY_FLOAT64 "NPY_DOUBLE"


cdef inline cnp.ndarray as_array(object obj):
    """The ndarray itself (no copy), or np.asarray(obj) for array-likes; data
    in non-native byte order comes back as a native-order copy (same values),
    since the kernels read machine words."""
    cdef cnp.ndarray arr
    if type(obj) is cnp.ndarray:
        arr = <cnp.ndarray>obj
    else:
        import numpy as np
        arr = <cnp.ndarray>np.asarray(obj)
    if not cnp.PyArray_ISNOTSWAPPED(arr):
        arr = (<object>arr).astype((<object>arr).dtype.newbyteorder("="))
    return arr


cdef inline double real_scalar(str fname, str name, object v) except? -1.0:
    """v as a C double (a Python float passes straight through); a TypeError
    naming the argument for anything that is not a real number."""
    if type(v) is float:
        return <double>v
    try:
        return <double>v
    except TypeError:
        raise TypeError(f"{fname}: {name} must be a real number, got {v!r}") from None


cdef inline object shape_of(cnp.ndarray arr):
    return (<object>arr).shape


cdef inline int float_type(str fname, cnp.ndarray a, cnp.ndarray b) except -1:
    """NPY_FLOAT or NPY_DOUBLE shared by a and b; TypeError otherwise."""
    cdef int ta = cnp.PyArray_TYPE(a), tb = cnp.PyArray_TYPE(b)
    if ta == tb and (ta == NPY_FLOAT64 or ta == NPY_FLOAT32):
        return ta
    if (ta == NPY_FLOAT64 or ta == NPY_FLOAT32) and (tb == NPY_FLOAT64 or tb == NPY_FLOAT32):
        raise TypeError(f"{fname}: mixed dtypes {(<object>a).dtype} and {(<object>b).dtype}; fastla does not cast "
                        f"silently. Convert one operand with .astype(np.{(<object>a).dtype}) "
                        f"(or the other with .astype(np.{(<object>b).dtype}))")
    bad = (<object>a).dtype if ta != NPY_FLOAT64 and ta != NPY_FLOAT32 else (<object>b).dtype
    raise TypeError(f"{fname}: unsupported dtype {bad}; supported dtypes are float32 and "
                    f"float64. Convert that operand first, e.g. with .astype(np.float64)")


cdef inline int elem_strides(cnp.ndarray arr, fastla_index *st) except -1:
    """Element strides of arr into st[0..ndim); returns 0, or 1 if a byte
    stride is not a multiple of the item size or the data is misaligned (the
    caller then works on a copy)."""
    cdef int k
    cdef Py_ssize_t item = cnp.PyArray_ITEMSIZE(arr)
    if (<size_t>cnp.PyArray_DATA(arr)) % item:
        return 1
    for k in range(cnp.PyArray_NDIM(arr)):
        if cnp.PyArray_STRIDE(arr, k) % item:
            return 1
        st[k] = cnp.PyArray_STRIDE(arr, k) // item
    return 0


cdef inline void byte_extent(cnp.ndarray arr, size_t *lo, size_t *hi) noexcept:
    """[lo, hi): the bytes arr can touch (empty arrays: lo == hi)."""
    cdef size_t base = <size_t>cnp.PyArray_DATA(arr)
    cdef Py_ssize_t neg = 0, pos = 0, s
    cdef int k
    lo[0] = hi[0] = base
    for k in range(cnp.PyArray_NDIM(arr)):
        if cnp.PyArray_DIM(arr, k) == 0:
            return
        s = cnp.PyArray_STRIDE(arr, k) * (cnp.PyArray_DIM(arr, k) - 1)
        if s < 0:
            neg += s
        else:
            pos += s
    lo[0] = base + neg
    hi[0] = base + pos + cnp.PyArray_ITEMSIZE(arr)


cdef inline bint may_overlap(cnp.ndarray a, cnp.ndarray b) noexcept:
    """True if the byte ranges of a and b intersect (conservative)."""
    cdef size_t alo, ahi, blo, bhi
    byte_extent(a, &alo, &ahi)
    byte_extent(b, &blo, &bhi)
    return alo < bhi and blo < ahi and alo < ahi and blo < bhi


cdef inline int check_out(str fname, object out, int typenum, int ndim,
                          cnp.npy_intp *shape) except -1:
    """ValueError unless out is a writeable ndarray of this shape and dtype."""
    cdef int k
    if type(out) is not cnp.ndarray and not isinstance(out, cnp.ndarray):
        raise TypeError(f"{fname}: out must be a numpy.ndarray, got {type(out).__name__}")
    cdef cnp.ndarray o = <cnp.ndarray>out
    cdef bint same = cnp.PyArray_NDIM(o) == ndim
    if same:
        for k in range(ndim):
            if cnp.PyArray_DIM(o, k) != shape[k]:
                same = False
    if not same:
        want = tuple([shape[k] for k in range(ndim)])
        raise ValueError(f"{fname}: out has shape {(<object>o).shape}, expected {want}")
    if cnp.PyArray_TYPE(o) != typenum:
        import numpy as np
        raise ValueError(f"{fname}: out has dtype {(<object>o).dtype}, expected "
                         f"{np.dtype('float32' if typenum == NPY_FLOAT32 else 'float64')}")
    if not cnp.PyArray_ISWRITEABLE(o):
        raise ValueError(f"{fname}: out is read-only")
    if not cnp.PyArray_ISNOTSWAPPED(o):
        raise ValueError(f"{fname}: out has non-native byte order ({(<object>o).dtype.str}); "
                         f"pass a native-order array")
    return 0


cdef inline cnp.ndarray result_buffer(cnp.ndarray out, int ndim, cnp.npy_intp *shape,
                                      int typenum, double beta):
    """Where a kernel writes when it cannot write into `out` (out overlaps an
    input, is misaligned or aliases itself): a copy of out when beta != 0
    (its values are read), else a fresh uninitialized array.  The caller
    copies the result back into out."""
    if beta != 0.0:
        import numpy as np
        return <cnp.ndarray>np.array(out, copy=True)
    return cnp.PyArray_EMPTY(ndim, shape, typenum, 0)


cdef inline int raise_status(str fname, int status) except -1:
    """MemoryError or RuntimeError for a kernel's non-zero fastla_status."""
    if status == FASTLA_ERR_NOMEM:
        raise MemoryError(f"{fname}: could not allocate a workspace")
    if status != FASTLA_OK:
        raise RuntimeError(f"{fname}: internal error (status {status})")
    return 0


cdef inline cnp.ndarray aligned_copy(cnp.ndarray a):
    """A fresh C-ordered copy of a: aligned, with whole-element strides.
    (np.ascontiguousarray returns a C-contiguous but misaligned array as it
    is, which the kernels cannot read.)"""
    import numpy as np
    return <cnp.ndarray>np.array(a, order="C", copy=True)


cdef inline cnp.ndarray strided(cnp.ndarray a, fastla_index *st):
    """a itself with its element strides in st, or an aligned C-ordered copy
    when a's data is misaligned or its strides are not whole elements."""
    if elem_strides(a, st):
        a = aligned_copy(a)
        if elem_strides(a, st):
            raise RuntimeError("fastla: could not make an aligned copy of an operand")
    return a


cdef inline int check_no_alias(str fname, cnp.ndarray out) except -1:
    """ValueError when out's elements alias each other (a zero stride along
    a dimension longer than 1): which of the aliased results would be kept
    is undefined."""
    cdef int d
    if cnp.PyArray_SIZE(out) > 1:
        for d in range(cnp.PyArray_NDIM(out)):
            if cnp.PyArray_STRIDE(out, d) == 0 and cnp.PyArray_DIM(out, d) > 1:
                raise ValueError(f"{fname}: out has a zero stride along dimension {d}: its "
                                 f"elements alias each other")
    return 0


cdef inline cnp.ndarray product_target(str fname, cnp.ndarray C, bint user_out, cnp.ndarray A,
                                       cnp.ndarray B, int ndim, cnp.npy_intp *shape,
                                       int typenum, double beta, fastla_index *sc):
    """Where a product into C writes: C itself, or a temporary from
    result_buffer when the caller's out overlaps A or B or has strides that
    are not whole elements (the caller copies it back into C).  An out whose
    elements alias (a zero stride along a dimension longer than 1) is a
    ValueError.  sc receives the target's element strides."""
    cdef cnp.ndarray target = C
    if user_out:
        check_no_alias(fname, C)
        if may_overlap(C, A) or may_overlap(C, B) or elem_strides(C, sc):
            target = result_buffer(C, ndim, shape, typenum, beta)
    elem_strides(target, sc)
    return target
