# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla.cy -- the C core of fastla and its cimportable Cython API.

This extension module contains the whole C core (frame/, kernels/, config/
under fastla/_src), so the active kernel table and the thread setting exist
once per process.  The cdef functions declared in cy.pxd are exported to other
Cython modules; the Python-level functions here are private helpers of the
Python layer (fastla._runtime) and of the tests.
"""
from fastla._capi cimport *
from fastla._testing cimport *
from libc.stdint cimport int32_t, int64_t


cdef int gemv(fastla_index m, fastla_index n, floating alpha,
              const floating *a, fastla_index rs_a, fastla_index cs_a,
              const floating *x, fastla_index incx, floating beta,
              floating *y, fastla_index incy) noexcept nogil:
    if floating is float:
        return fastla_sgemv(m, n, alpha, a, rs_a, cs_a, x, incx, beta, y, incy)
    else:
        return fastla_dgemv(m, n, alpha, a, rs_a, cs_a, x, incx, beta, y, incy)


cdef int gemm(fastla_index m, fastla_index n, fastla_index k, floating alpha,
              const floating *a, fastla_index rs_a, fastla_index cs_a,
              const floating *b, fastla_index rs_b, fastla_index cs_b,
              floating beta, floating *c, fastla_index rs_c, fastla_index cs_c) noexcept nogil:
    if floating is float:
        return fastla_sgemm(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, rs_c, cs_c)
    else:
        return fastla_dgemm(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, rs_c, cs_c)


cdef int gemm_batch(fastla_index batch, fastla_index m, fastla_index n, fastla_index k,
                    floating alpha,
                    const floating *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                    const floating *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                    floating beta, floating *c, fastla_index bs_c, fastla_index rs_c,
                    fastla_index cs_c) noexcept nogil:
    if floating is float:
        return fastla_sgemm_batch(batch, m, n, k, alpha, a, bs_a, rs_a, cs_a, b, bs_b, rs_b,
                                  cs_b, beta, c, bs_c, rs_c, cs_c)
    else:
        return fastla_dgemm_batch(batch, m, n, k, alpha, a, bs_a, rs_a, cs_a, b, bs_b, rs_b,
                                  cs_b, beta, c, bs_c, rs_c, cs_c)


cdef int get_num_threads() noexcept nogil:
    return fastla_get_num_threads()


cdef void set_num_threads(int n) noexcept nogil:
    fastla_set_num_threads(n)


cdef size_t release_workspace() noexcept nogil:
    return fastla_release_workspace()


# ---- sparse CSR: one dispatch per (value type, index type) ----

cdef int csr_check(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                   const csr_index *indptr, const csr_index *indices,
                   fastla_index *where) noexcept nogil:
    if csr_index is int32_t:
        return fastla_csr_check_i32(nrows, ncols, nnz, indptr, indices, where)
    else:
        return fastla_csr_check_i64(nrows, ncols, nnz, indptr, indices, where)


cdef void csr_partition(fastla_index nrows, const csr_index *indptr, int nparts,
                        fastla_index *parts) noexcept nogil:
    if csr_index is int32_t:
        fastla_csr_partition_i32(nrows, indptr, nparts, parts)
    else:
        fastla_csr_partition_i64(nrows, indptr, nparts, parts)


cdef void csr_col_ranges(fastla_index nrows, const csr_index *indptr, const csr_index *indices,
                         const fastla_index *parts, int nparts,
                         fastla_index *cols) noexcept nogil:
    if csr_index is int32_t:
        fastla_csr_col_ranges_i32(nrows, indptr, indices, parts, nparts, cols)
    else:
        fastla_csr_col_ranges_i64(nrows, indptr, indices, parts, nparts, cols)


cdef int csr_col_split(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                       const csr_index *indices, int nparts, fastla_index *bounds,
                       csr_index *split) noexcept nogil:
    if csr_index is int32_t:
        return fastla_csr_col_split_i32(nrows, ncols, indptr, indices, nparts, bounds, split)
    else:
        return fastla_csr_col_split_i64(nrows, ncols, indptr, indices, nparts, bounds, split)


cdef int csr_spmv(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                  const csr_index *indices, const floating *data, floating alpha,
                  const floating *x, fastla_index incx, floating beta,
                  floating *y, fastla_index incy,
                  const fastla_index *parts, int nparts) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_spmv_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts)
        else:
            return fastla_scsr_spmv_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_spmv_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts)
        else:
            return fastla_dcsr_spmv_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts)


cdef int csr_spmv_t(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                    const csr_index *indices, const floating *data, floating alpha,
                    const floating *x, fastla_index incx, floating beta,
                    floating *y, fastla_index incy,
                    const fastla_index *parts, int nparts,
                    const fastla_index *cols) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_spmv_t_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts, cols)
        else:
            return fastla_scsr_spmv_t_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts, cols)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_spmv_t_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts, cols)
        else:
            return fastla_dcsr_spmv_t_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, parts, nparts, cols)


cdef int csr_spmv_t_split(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                          const csr_index *indices, const floating *data, floating alpha,
                          const floating *x, fastla_index incx, floating beta,
                          floating *y, fastla_index incy, const fastla_index *bounds,
                          const csr_index *split, int nparts) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_spmv_t_split_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, bounds, split, nparts)
        else:
            return fastla_scsr_spmv_t_split_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, bounds, split, nparts)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_spmv_t_split_i32(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, bounds, split, nparts)
        else:
            return fastla_dcsr_spmv_t_split_i64(nrows, ncols, indptr, indices, data, alpha, x, incx, beta, y, incy, bounds, split, nparts)


cdef int csr_spmm(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                  const csr_index *indices, const floating *data, fastla_index k,
                  floating alpha, const floating *x, fastla_index rs_x, fastla_index cs_x,
                  floating beta, floating *y, fastla_index rs_y, fastla_index cs_y,
                  const fastla_index *parts, int nparts) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_spmm_i32(nrows, ncols, indptr, indices, data, k, alpha, x, rs_x, cs_x, beta, y, rs_y, cs_y, parts, nparts)
        else:
            return fastla_scsr_spmm_i64(nrows, ncols, indptr, indices, data, k, alpha, x, rs_x, cs_x, beta, y, rs_y, cs_y, parts, nparts)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_spmm_i32(nrows, ncols, indptr, indices, data, k, alpha, x, rs_x, cs_x, beta, y, rs_y, cs_y, parts, nparts)
        else:
            return fastla_dcsr_spmm_i64(nrows, ncols, indptr, indices, data, k, alpha, x, rs_x, cs_x, beta, y, rs_y, cs_y, parts, nparts)


cdef int csr_transpose(fastla_index nrows, fastla_index ncols, const csr_index *indptr,
                       const csr_index *indices, const floating *data,
                       csr_index *out_indptr, csr_index *out_indices,
                       floating *out_data) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_transpose_i32(nrows, ncols, indptr, indices, data, out_indptr, out_indices, out_data)
        else:
            return fastla_scsr_transpose_i64(nrows, ncols, indptr, indices, data, out_indptr, out_indices, out_data)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_transpose_i32(nrows, ncols, indptr, indices, data, out_indptr, out_indices, out_data)
        else:
            return fastla_dcsr_transpose_i64(nrows, ncols, indptr, indices, data, out_indptr, out_indices, out_data)


cdef int csr_from_coo(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                      const csr_index *rows, const csr_index *cols, const floating *vals,
                      csr_index *out_indptr, csr_index *out_indices, floating *out_data,
                      fastla_index *out_nnz) noexcept nogil:
    if floating is float:
        if csr_index is int32_t:
            return fastla_scsr_from_coo_i32(nrows, ncols, nnz, rows, cols, vals, out_indptr, out_indices, out_data, out_nnz)
        else:
            return fastla_scsr_from_coo_i64(nrows, ncols, nnz, rows, cols, vals, out_indptr, out_indices, out_data, out_nnz)
    else:
        if csr_index is int32_t:
            return fastla_dcsr_from_coo_i32(nrows, ncols, nnz, rows, cols, vals, out_indptr, out_indices, out_data, out_nnz)
        else:
            return fastla_dcsr_from_coo_i64(nrows, ncols, nnz, rows, cols, vals, out_indptr, out_indices, out_data, out_nnz)


# ---- 2-D convolution ----

cdef int im2col(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                floating *cols, const fastla_index *cs) noexcept nogil:
    if floating is float:
        return fastla_sim2col(g, x, xs, cols, cs)
    else:
        return fastla_dim2col(g, x, xs, cols, cs)


cdef int col2im(const fastla_conv2d_geom *g, const floating *cols, const fastla_index *cs,
                floating beta, floating *x, const fastla_index *xs) noexcept nogil:
    if floating is float:
        return fastla_scol2im(g, cols, cs, beta, x, xs)
    else:
        return fastla_dcol2im(g, cols, cs, beta, x, xs)


cdef int conv2d(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                const floating *w, const fastla_index *ws, const floating *bias,
                fastla_index bs, floating *y, const fastla_index *ys) noexcept nogil:
    if floating is float:
        return fastla_sconv2d(g, x, xs, w, ws, bias, bs, y, ys)
    else:
        return fastla_dconv2d(g, x, xs, w, ws, bias, bs, y, ys)


cdef int conv2d_winograd(const fastla_conv2d_geom *g, const floating *x, const fastla_index *xs,
                         const floating *w, const fastla_index *ws, const floating *bias,
                         fastla_index bs, floating *y, const fastla_index *ys) noexcept nogil:
    if floating is float:
        return fastla_sconv2d_winograd(g, x, xs, w, ws, bias, bs, y, ys)
    else:
        return fastla_dconv2d_winograd(g, x, xs, w, ws, bias, bs, y, ys)


cdef int conv2d_winograd_pays(const fastla_conv2d_geom *g, floating dtype_tag) noexcept nogil:
    if floating is float:
        return fastla_sconv2d_winograd_pays(g)
    else:
        return fastla_dconv2d_winograd_pays(g)


cdef int conv2d_backward(const fastla_conv2d_geom *g,
                         const floating *gy, const fastla_index *gys,
                         const floating *x, const fastla_index *xs,
                         const floating *w, const fastla_index *ws,
                         floating *gx, const fastla_index *gxs,
                         floating *gw, const fastla_index *gws,
                         floating *gb, fastla_index gbs) noexcept nogil:
    if floating is float:
        return fastla_sconv2d_backward(g, gy, gys, x, xs, w, ws, gx, gxs, gw, gws, gb, gbs)
    else:
        return fastla_dconv2d_backward(g, gy, gys, x, xs, w, ws, gx, gxs, gw, gws, gb, gbs)


# ---- private Python-level helpers (used by fastla._runtime and the tests) ----

ARCH_NAMES = tuple([fastla_arch_name(<fastla_arch>i).decode() for i in range(FASTLA_ARCH_COUNT)])


cdef fastla_arch arch_id(str name) except *:
    cdef int i = ARCH_NAMES.index(name)
    return <fastla_arch>i


def _arch_supported(str name):
    """True if the CPU supports the ISA `name` and its kernels were built."""
    return name in ARCH_NAMES and fastla_arch_supported(arch_id(name)) == 1


def _arch_emulated(str name):
    """True if the ISA `name`'s kernels are a test build's emulation
    (FASTLA_EMULATE_AVX512: compiled for AVX2)."""
    return name in ARCH_NAMES and fastla_arch_emulated(arch_id(name)) == 1


def _arch_select(str name):
    """Make `name` the active kernel table; ValueError if unknown or unsupported."""
    if name not in ARCH_NAMES:
        raise ValueError(f"unknown ISA {name!r}; expected one of {', '.join(ARCH_NAMES)}")
    if fastla_arch_select(arch_id(name)) != FASTLA_OK:
        raise ValueError(f"this CPU does not support the {name!r} kernels "
                         f"(supported: {', '.join(n for n in ARCH_NAMES if _arch_supported(n))})")


def _arch_active():
    return fastla_arch_name(fastla_arch_active()).decode()


def _arch_best():
    return fastla_arch_name(fastla_arch_best()).decode()


def _set_num_threads(int n):
    fastla_set_num_threads(n)


def _get_num_threads():
    return fastla_get_num_threads()


# ---- the cache of large results (frame/outcache.h), as a NumPy memory handler ----

cdef extern from "frame/outcache.h" nogil:
    void *fastla_outcache_alloc(size_t nbytes, int zero)
    void fastla_outcache_free(void *p)
    void *fastla_outcache_realloc(void *p, size_t nbytes)
    size_t fastla_outcache_trim()
    size_t fastla_outcache_held()
    size_t fastla_outcache_min_bytes()
    long long fastla_outcache_limits(long long min_bytes, long long total_bytes)

cdef extern from "numpy/arrayobject.h":
    ctypedef struct PyDataMemAllocator:
        void *ctx
        void *(*malloc)(void *ctx, size_t size) noexcept nogil
        void *(*calloc)(void *ctx, size_t nelem, size_t elsize) noexcept nogil
        void *(*realloc)(void *ctx, void *ptr, size_t new_size) noexcept nogil
        void (*free)(void *ctx, void *ptr, size_t size) noexcept nogil
    ctypedef struct PyDataMem_Handler:
        char name[127]
        unsigned char version
        PyDataMemAllocator allocator

from cpython.pycapsule cimport PyCapsule_New
from libc.string cimport strcpy

cdef void *_oc_malloc(void *ctx, size_t size) noexcept nogil:
    return fastla_outcache_alloc(size, 0)

cdef void *_oc_calloc(void *ctx, size_t nelem, size_t elsize) noexcept nogil:
    if elsize != 0 and nelem > (<size_t>-1) // elsize:
        return NULL
    return fastla_outcache_alloc(nelem * elsize, 1)

cdef void *_oc_realloc(void *ctx, void *ptr, size_t new_size) noexcept nogil:
    return fastla_outcache_realloc(ptr, new_size)

cdef void _oc_free(void *ctx, void *ptr, size_t size) noexcept nogil:
    fastla_outcache_free(ptr)

cdef PyDataMem_Handler _oc_handler
strcpy(_oc_handler.name, b"fastla_outcache")
_oc_handler.version = 1
_oc_handler.allocator.ctx = NULL
_oc_handler.allocator.malloc = _oc_malloc
_oc_handler.allocator.calloc = _oc_calloc
_oc_handler.allocator.realloc = _oc_realloc
_oc_handler.allocator.free = _oc_free
_OC_CAPSULE = PyCapsule_New(&_oc_handler, b"mem_handler", NULL)


def _output_handler():
    """The NumPy memory handler (a "mem_handler" capsule) whose arrays take
    their memory from the cache of large results (frame/outcache.h); set by
    fastla._outcache around the allocation of a result, never globally."""
    return _OC_CAPSULE


def _outcache_trim():
    """Frees every block the cache of large results keeps; returns the bytes."""
    return fastla_outcache_trim()


def _outcache_held():
    """Bytes the cache of large results keeps."""
    return fastla_outcache_held()


def _outcache_min_bytes():
    """The smallest block the cache of large results keeps (bytes)."""
    return fastla_outcache_min_bytes()


def _outcache_limits(long long min_bytes=-1, long long total_bytes=-1):
    """Sets the smallest block kept and the total kept (when >= 0); returns
    the previous total."""
    return fastla_outcache_limits(min_bytes, total_bytes)


def _release_workspace():
    cdef size_t freed
    with nogil:
        freed = fastla_release_workspace()
    return freed


def _thread_setting():
    cdef int state[2]
    fastla_threads_save(state)
    return (state[0], state[1])


def _restore_thread_setting(int scoped, int unused=0):
    """Sets the calling thread's scoped count (0: none); the pair
    _thread_setting() returned restores it."""
    cdef int state[2]
    state[0] = scoped
    state[1] = unused
    fastla_threads_restore(state)


def _has_openmp():
    return fastla_has_openmp() == 1


def _compiler():
    return fastla_compiler().decode()


def _probe_fma(str arch, int dtype_bits, long iters, int nthreads):
    """Flops executed by the FMA probe (time the call).  Releases the GIL."""
    cdef fastla_arch a = arch_id(arch)
    cdef double flops
    with nogil:
        flops = fastla_probe_fma(a, dtype_bits, iters, nthreads)
    if flops < 0:
        raise ValueError(f"ISA {arch!r} is not supported here")
    return flops


def _probe_stream(str arch, int which, double[::1] a, const double[::1] b,
                  const double[::1] c, int nthreads):
    """One STREAM-like pass (0 read, 1 copy, 2 triad).  Releases the GIL."""
    cdef fastla_arch ar = arch_id(arch)
    cdef double r
    cdef fastla_index n = b.shape[0]
    if a.shape[0] < n or c.shape[0] < n:
        raise ValueError("probe arrays must have equal lengths")
    with nogil:
        r = fastla_probe_stream(ar, which, &a[0], &b[0], &c[0], n, nthreads)
    return r


# ---- test hooks: one ISA's micro-kernels and blocking, whatever is active ----

def _gemm_blocking(str arch, int bits):
    """(MR, NR, KC, MC, NC) of `arch`'s GEMM for float`bits`."""
    cdef int out[5]
    if fastla_test_gemm_blocking(arch_id(arch), bits, out) != 0:
        raise ValueError(f"ISA {arch!r} is not supported here")
    return (out[0], out[1], out[2], out[3], out[4])


def _gemm_in_place(str arch, int bits):
    """(RA_N, RA_MK) of `arch`'s GEMM for float`bits`: a row-major A is read
    in place when n <= RA_N and min(m, k) <= RA_MK (0, 0: only n <= 64)."""
    cdef int out[2]
    if fastla_test_gemm_in_place(arch_id(arch), bits, out) != 0:
        raise ValueError(f"ISA {arch!r} is not supported here")
    return (out[0], out[1])


def _gemm_paths(str arch, int bits):
    """(MC_READ, FLY_M, FLY_KC) of `arch`'s GEMM for float`bits`: the rows of
    an A block in a KC pass that reads C back (beta != 0, or after the first
    pass); the most rows of a "short" A, whose B is packed sliver by sliver,
    and that path's KC."""
    cdef int out[3]
    if fastla_test_gemm_paths(arch_id(arch), bits, out) != 0:
        raise ValueError(f"ISA {arch!r} is not supported here")
    return (out[0], out[1], out[2])


def _strassen_kc(str arch, int bits):
    """KC of `arch`'s Strassen loop nest for float`bits`."""
    cdef int kc = fastla_test_strassen_kc(arch_id(arch), bits)
    if kc < 0:
        raise ValueError(f"ISA {arch!r} is not supported here")
    return kc


def _scratch_check():
    """0 if the per-thread workspace cache keeps its contract on this thread
    (frame/scratch.h), else the bit mask of the clauses that failed."""
    return fastla_test_scratch()


def _scratch_exits():
    """How many threads' workspace caches were freed at their exit so far."""
    return fastla_test_scratch_exits()


def _im2col_stage_bytes(long nbytes=-1):
    """Sets the output size (bytes) from which im2col builds its columns in an
    L1 stage, when nbytes >= 0; returns the previous size."""
    return fastla_test_im2col_stage_bytes(nbytes)


def _gemm_ukr(str arch, Py_ssize_t m, Py_ssize_t n, Py_ssize_t k, alpha, a, b, beta, c,
              Py_ssize_t lda=0):
    """Run `arch`'s micro-kernel: C[:m, :n] of the 2-D array c (any strides)
    from the packed sliver b (k*NR) and a: the packed sliver (k*MR) when
    lda == 0, else m rows of A read in place, row i at a[i*lda:], float32
    or float64."""
    cdef Py_ssize_t item = c.itemsize
    cdef Py_ssize_t rs = c.strides[0] // item, cs = c.strides[1] // item
    cdef double[::1] ad, bd
    cdef float[::1] af, bf
    cdef double[:, :] cd
    cdef float[:, :] cf
    cdef int r
    if c.dtype.itemsize == 8:
        ad = a; bd = b; cd = c
        r = fastla_test_dgemm_ukr(arch_id(arch), m, n, k, alpha, &ad[0], lda, &bd[0], beta,
                                  &cd[0, 0], rs, cs)
    else:
        af = a; bf = b; cf = c
        r = fastla_test_sgemm_ukr(arch_id(arch), m, n, k, alpha, &af[0], lda, &bf[0], beta,
                                  &cf[0, 0], rs, cs)
    if r != 0:
        raise ValueError("micro-kernel unavailable or tile too large")


cdef int _gemm_pack_run(fastla_arch ar, int which, Py_ssize_t mn, Py_ssize_t kc, list srcs,
                        coefs, Py_ssize_t si, Py_ssize_t sp, floating[::1] dst) except -2:
    cdef const floating *ptr[8]
    cdef floating co[8]
    cdef floating[::1] v
    cdef int t, ns = len(srcs)
    for t in range(ns):
        v = srcs[t]                 # the list keeps each array alive
        ptr[t] = &v[0]
        co[t] = coefs[t]
    if floating is double:
        return fastla_test_dgemm_pack(ar, which, mn, kc, ptr, co, ns, si, sp, &dst[0])
    else:
        return fastla_test_sgemm_pack(ar, which, mn, kc, ptr, co, ns, si, sp, &dst[0])


def _gemm_pack(str arch, int which, Py_ssize_t mn, Py_ssize_t kc, srcs, coefs, Py_ssize_t si,
               Py_ssize_t sp, dst):
    """Run `arch`'s packing kernel (which 0: A sliver, width MR; 1: B sliver,
    width NR): dst[p*W + i] = sum_t coefs[t] * srcs[t][i*si + p*sp] for
    i < mn, p < kc, zeros for mn <= i < W.  srcs: 1-D contiguous arrays
    (up to 8) of dst's dtype; coefs: as many floats."""
    srcs = list(srcs)
    if not 1 <= len(srcs) <= 8 or len(coefs) != len(srcs):
        raise ValueError("1 to 8 sources, one coefficient each")
    cdef int r
    if dst.dtype.itemsize == 8:
        r = _gemm_pack_run[double](arch_id(arch), which, mn, kc, srcs, coefs, si, sp, dst)
    else:
        r = _gemm_pack_run[float](arch_id(arch), which, mn, kc, srcs, coefs, si, sp, dst)
    if r != 0:
        raise ValueError("packing kernel unavailable or sliver too wide")


cdef int _gemm_pack_gather_run(fastla_arch ar, Py_ssize_t mn, Py_ssize_t kc,
                               const floating[::1] src, Py_ssize_t base,
                               const fastla_index[::1] rowoff, const fastla_index[::1] coloff,
                               floating[::1] dst) except -2:
    if floating is double:
        return fastla_test_dgemm_pack_gather(ar, mn, kc, &src[base], &rowoff[0], &coloff[0],
                                             &dst[0])
    else:
        return fastla_test_sgemm_pack_gather(ar, mn, kc, &src[base], &rowoff[0], &coloff[0],
                                             &dst[0])


def _gemm_pack_gather(str arch, Py_ssize_t mn, Py_ssize_t kc, src, Py_ssize_t base, rowoff,
                      coloff, dst):
    """Run `arch`'s gathered B packing kernel: dst[p*NR + e] =
    src[base + rowoff[p] + coloff[e]] for p < kc, e < mn, zeros for
    mn <= e < NR.  src, dst: 1-D contiguous arrays of one dtype; rowoff
    (kc entries) and coloff (mn entries, at least one): int64.  The caller
    keeps NR elements of src on each side of every addressed one."""
    nr = _gemm_blocking(arch, 8 * dst.dtype.itemsize)[1]
    if len(rowoff) < max(kc, 1) or len(coloff) < max(mn, 1) or len(dst) < kc * nr:
        raise ValueError("rowoff, coloff or dst too short")
    cdef int r
    if dst.dtype.itemsize == 8:
        r = _gemm_pack_gather_run[double](arch_id(arch), mn, kc, src, base, rowoff, coloff, dst)
    else:
        r = _gemm_pack_gather_run[float](arch_id(arch), mn, kc, src, base, rowoff, coloff, dst)
    if r != 0:
        raise ValueError("packing kernel unavailable or sliver too wide")


# ---- Strassen ----

cdef int strassen(fastla_index m, fastla_index n, fastla_index k,
                  const floating *a, fastla_index rs_a, fastla_index cs_a,
                  const floating *b, fastla_index rs_b, fastla_index cs_b,
                  floating *c, fastla_index rs_c, fastla_index cs_c, int levels) noexcept nogil:
    if floating is float:
        return fastla_sstrassen(m, n, k, a, rs_a, cs_a, b, rs_b, cs_b, c, rs_c, cs_c, levels)
    else:
        return fastla_dstrassen(m, n, k, a, rs_a, cs_a, b, rs_b, cs_b, c, rs_c, cs_c, levels)


cdef int strassen_levels(int dtype_bits, fastla_index m, fastla_index n,
                         fastla_index k) noexcept nogil:
    return fastla_strassen_levels(dtype_bits, m, n, k)


def _strassen_levels(int bits, Py_ssize_t m, Py_ssize_t n, Py_ssize_t k):
    """Levels strassen_matmul(levels=None) uses for float`bits` m x k @ k x n
    on the active ISA (before the reduction for small sizes)."""
    return fastla_strassen_levels(bits, m, n, k)


STRASSEN_MAX_LEVELS = FASTLA_STRASSEN_MAX_LEVELS
# ---- neural networks ----

cdef int gemm_bias_act(fastla_index m, fastla_index n, fastla_index k, floating alpha,
                       const floating *a, fastla_index rs_a, fastla_index cs_a,
                       const floating *b, fastla_index rs_b, fastla_index cs_b,
                       floating beta, floating *c, fastla_index rs_c, fastla_index cs_c,
                       const floating *bias, fastla_index inc_bias, int bias_axis,
                       int act) noexcept nogil:
    if floating is float:
        return fastla_sgemm_bias_act(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c,
                                     rs_c, cs_c, bias, inc_bias, bias_axis, act)
    else:
        return fastla_dgemm_bias_act(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c,
                                     rs_c, cs_c, bias, inc_bias, bias_axis, act)


cdef int act_backward(fastla_index m, fastla_index n,
                      const floating *g, fastla_index rs_g, fastla_index cs_g,
                      const floating *y, fastla_index rs_y, fastla_index cs_y,
                      floating *d, fastla_index ld_d, int act) noexcept nogil:
    if floating is float:
        return fastla_sact_backward(m, n, g, rs_g, cs_g, y, rs_y, cs_y, d, ld_d, act)
    else:
        return fastla_dact_backward(m, n, g, rs_g, cs_g, y, rs_y, cs_y, d, ld_d, act)


cdef int attention(fastla_index nb0, fastla_index nb1, fastla_index L, fastla_index S,
                   fastla_index E, fastla_index Ev, floating scale,
                   const floating *q, fastla_index b0_q, fastla_index b1_q,
                   fastla_index rs_q, fastla_index cs_q,
                   const floating *k, fastla_index b0_k, fastla_index b1_k,
                   fastla_index rs_k, fastla_index cs_k,
                   const floating *v, fastla_index b0_v, fastla_index b1_v,
                   fastla_index rs_v, fastla_index cs_v,
                   int mask_kind, const void *mask, fastla_index b0_m, fastla_index b1_m,
                   fastla_index rs_m, fastla_index cs_m, int causal,
                   floating *o, fastla_index b0_o, fastla_index b1_o,
                   fastla_index rs_o, fastla_index cs_o) noexcept nogil:
    if floating is float:
        return fastla_sattention(nb0, nb1, L, S, E, Ev, scale, q, b0_q, b1_q, rs_q, cs_q,
                                 k, b0_k, b1_k, rs_k, cs_k, v, b0_v, b1_v, rs_v, cs_v,
                                 mask_kind, mask, b0_m, b1_m, rs_m, cs_m, causal,
                                 o, b0_o, b1_o, rs_o, cs_o)
    else:
        return fastla_dattention(nb0, nb1, L, S, E, Ev, scale, q, b0_q, b1_q, rs_q, cs_q,
                                 k, b0_k, b1_k, rs_k, cs_k, v, b0_v, b1_v, rs_v, cs_v,
                                 mask_kind, mask, b0_m, b1_m, rs_m, cs_m, causal,
                                 o, b0_o, b1_o, rs_o, cs_o)


cdef int embedding_bag_max(fastla_index nbags, fastla_index dim, const int64_t *indptr,
                           const int64_t *indices, const floating *w, fastla_index ld_w,
                           floating *out, fastla_index ld_out, int64_t *argmax) noexcept nogil:
    if floating is float:
        return fastla_sembedding_bag_max(nbags, dim, indptr, indices, w, ld_w, out, ld_out, argmax)
    else:
        return fastla_dembedding_bag_max(nbags, dim, indptr, indices, w, ld_w, out, ld_out, argmax)
