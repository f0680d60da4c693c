# fastla/_outcache.pxd -- fresh result arrays whose large buffers come from
# fastla's cache of large results (frame/outcache.h); see _outcache.pyx.
cimport numpy as cnp

cdef cnp.ndarray empty_output(int nd, cnp.npy_intp *dims, int typenum)
