# fastla/_outcache.pyx -- how fastla allocates the arrays it returns.
#
# A result of at least the cache's smallest kept size (32 MB by default) is
# allocated with fastla's memory handler (fastla.cy._output_handler) set
# for this one allocation only: NumPy records the handler in the array, so
# the array frees its buffer into the cache (frame/outcache.h) when it dies,
# and the next result of about the same size reuses those pages instead of
# faulting in and zeroing fresh ones.  The array is an ordinary NumPy array
# that owns its data.  Smaller results are plain np.empty: glibc already
# reuses blocks of up to 32 MB.
cimport numpy as cnp
from cpython.object cimport PyObject
from cpython.ref cimport Py_XDECREF
from fastla import cy

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    PyObject *PyDataMem_SetHandler(PyObject *handler)

cdef object _handler = cy._output_handler()
cdef Py_ssize_t _min_bytes = cy._outcache_min_bytes()   # the C cache's, refreshed by limits()


def limits(min_bytes=-1, total_bytes=-1):
    """Sets the smallest result that goes through the cache and the most it
    keeps, in bytes (each when >= 0); returns the previous total.  Tests and
    tuning only: FASTLA_OUTPUT_CACHE_MB sets the total for a process."""
    global _min_bytes
    old = cy._outcache_limits(min_bytes, total_bytes)
    _min_bytes = cy._outcache_min_bytes()
    return old


cdef cnp.ndarray empty_output(int nd, cnp.npy_intp *dims, int typenum):
    """np.empty(dims, typenum) in C order, its buffer from the cache when it is
    large.  O(1) besides the allocation."""
    cdef Py_ssize_t nbytes
    if typenum == cnp.NPY_FLOAT32:             # no descriptor lookup for the usual
        nbytes = 4                             # dtypes: small products count 10s of ns
    elif typenum == cnp.NPY_FLOAT64 or typenum == cnp.NPY_INT64:
        nbytes = 8
    else:
        nbytes = cnp.PyArray_DescrFromType(typenum).itemsize
    cdef int i
    cdef PyObject *old
    for i in range(nd):
        nbytes *= dims[i]
    if nbytes < _min_bytes:
        return cnp.PyArray_EMPTY(nd, dims, typenum, 0)
    old = PyDataMem_SetHandler(<PyObject *>_handler)
    if old == NULL:
        raise MemoryError("fastla: could not set its memory handler")
    try:
        return cnp.PyArray_EMPTY(nd, dims, typenum, 0)
    finally:
        Py_XDECREF(PyDataMem_SetHandler(old))   # our handler's reference
        Py_XDECREF(old)
