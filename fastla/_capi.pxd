# fastla/_capi.pxd -- Cython declarations of the C API in include/fastla/.
# Internal: downstream code cimports fastla.cy, which wraps these.
from libc.stdint cimport int64_t

cdef extern from "fastla/fastla.h" nogil:
    ctypedef int64_t fastla_index

    ctypedef enum fastla_status:
        FASTLA_OK
        FASTLA_ERR_NOMEM
        FASTLA_ERR_ARG
        FASTLA_ERR_NOARCH

    ctypedef enum fastla_arch:
        FASTLA_ARCH_REF
        FASTLA_ARCH_AVX2
        FASTLA_ARCH_AVX512
        FASTLA_ARCH_COUNT

    # runtime.h
    int fastla_arch_supported(fastla_arch arch)
    fastla_arch fastla_arch_best()
    fastla_status fastla_arch_select(fastla_arch arch)
    fastla_arch fastla_arch_active()
    const char *fastla_arch_name(fastla_arch arch)
    void fastla_set_num_threads(int n)
    int fastla_get_num_threads()
    void fastla_threads_save(int state[2])
    void fastla_threads_restore(const int state[2])
    int fastla_has_openmp()
    const char *fastla_compiler()

    # gemv.h
    fastla_status fastla_sgemv(fastla_index m, fastla_index n, float alpha,
                               const float *a, fastla_index rs_a, fastla_index cs_a,
                               const float *x, fastla_index incx, float beta,
                               float *y, fastla_index incy)
    fastla_status fastla_dgemv(fastla_index m, fastla_index n, double alpha,
                               const double *a, fastla_index rs_a, fastla_index cs_a,
                               const double *x, fastla_index incx, double beta,
                               double *y, fastla_index incy)

    # gemm.h
    fastla_status fastla_sgemm(fastla_index m, fastla_index n, fastla_index k, float alpha,
                               const float *a, fastla_index rs_a, fastla_index cs_a,
                               const float *b, fastla_index rs_b, fastla_index cs_b,
                               float beta, float *c, fastla_index rs_c, fastla_index cs_c)
    fastla_status fastla_dgemm(fastla_index m, fastla_index n, fastla_index k, double alpha,
                               const double *a, fastla_index rs_a, fastla_index cs_a,
                               const double *b, fastla_index rs_b, fastla_index cs_b,
                               double beta, double *c, fastla_index rs_c, fastla_index cs_c)
    fastla_status fastla_sgemm_batch(fastla_index batch, fastla_index m, fastla_index n,
                                     fastla_index k, float alpha,
                                     const float *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                                     const float *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                                     float beta, float *c, fastla_index bs_c, fastla_index rs_c,
                                     fastla_index cs_c)
    fastla_status fastla_dgemm_batch(fastla_index batch, fastla_index m, fastla_index n,
                                     fastla_index k, double alpha,
                                     const double *a, fastla_index bs_a, fastla_index rs_a, fastla_index cs_a,
                                     const double *b, fastla_index bs_b, fastla_index rs_b, fastla_index cs_b,
                                     double beta, double *c, fastla_index bs_c, fastla_index rs_c,
                                     fastla_index cs_c)

    # probe.h
    double fastla_probe_fma(fastla_arch arch, int dtype_bits, long iters, int nthreads)
    double fastla_probe_stream(fastla_arch arch, int which, double *a, const double *b,
                               const double *c, fastla_index n, int nthreads)

