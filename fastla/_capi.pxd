# fastla/_capi.pxd -- Cython declarations of the C API in include/fastla/.
# Internal: downstream code cimports fastla.cy, which wraps these.
from libc.stdint cimport int32_t, int64_t

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

    # csr.h
    ctypedef enum fastla_csr_error:
        FASTLA_CSR_VALID
        FASTLA_CSR_BAD_SIZE
        FASTLA_CSR_INDPTR_START
        FASTLA_CSR_INDPTR_DECREASE
        FASTLA_CSR_INDPTR_END
        FASTLA_CSR_INDEX_RANGE
    fastla_csr_error fastla_csr_check_i32(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                                          const int32_t *indptr, const int32_t *indices, fastla_index *where)
    void fastla_csr_partition_i32(fastla_index nrows, const int32_t *indptr, int nparts, fastla_index *parts)
    void fastla_csr_col_ranges_i32(fastla_index nrows, const int32_t *indptr, const int32_t *indices,
                                   const fastla_index *parts, int nparts, fastla_index *cols)
    fastla_csr_error fastla_csr_check_i64(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                                          const int64_t *indptr, const int64_t *indices, fastla_index *where)
    void fastla_csr_partition_i64(fastla_index nrows, const int64_t *indptr, int nparts, fastla_index *parts)
    void fastla_csr_col_ranges_i64(fastla_index nrows, const int64_t *indptr, const int64_t *indices,
                                   const fastla_index *parts, int nparts, fastla_index *cols)
    fastla_status fastla_scsr_spmv_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts)
    fastla_status fastla_scsr_spmv_t_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts, const fastla_index *cols)
    fastla_status fastla_scsr_spmm_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, fastla_index k, float alpha, const float *x, fastla_index rs_x,
            fastla_index cs_x, float beta, float *y, fastla_index rs_y, fastla_index cs_y,
            const fastla_index *parts, int nparts)
    fastla_status fastla_scsr_transpose_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, int32_t *out_indptr, int32_t *out_indices, float *out_data)
    fastla_status fastla_scsr_from_coo_i32(fastla_index nrows, fastla_index ncols, fastla_index nnz,
            const int32_t *rows, const int32_t *cols, const float *vals, int32_t *out_indptr, int32_t *out_indices,
            float *out_data, fastla_index *out_nnz)
    fastla_status fastla_scsr_spmv_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts)
    fastla_status fastla_scsr_spmv_t_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts, const fastla_index *cols)
    fastla_status fastla_scsr_spmm_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const float *data, fastla_index k, float alpha, const float *x, fastla_index rs_x,
            fastla_index cs_x, float beta, float *y, fastla_index rs_y, fastla_index cs_y,
            const fastla_index *parts, int nparts)
    fastla_status fastla_scsr_transpose_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const float *data, int64_t *out_indptr, int64_t *out_indices, float *out_data)
    fastla_status fastla_scsr_from_coo_i64(fastla_index nrows, fastla_index ncols, fastla_index nnz,
            const int64_t *rows, const int64_t *cols, const float *vals, int64_t *out_indptr, int64_t *out_indices,
            float *out_data, fastla_index *out_nnz)
    fastla_status fastla_dcsr_spmv_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *parts, int nparts)
    fastla_status fastla_dcsr_spmv_t_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *parts, int nparts, const fastla_index *cols)
    fastla_status fastla_dcsr_spmm_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const double *data, fastla_index k, double alpha, const double *x, fastla_index rs_x,
            fastla_index cs_x, double beta, double *y, fastla_index rs_y, fastla_index cs_y,
            const fastla_index *parts, int nparts)
    fastla_status fastla_dcsr_transpose_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const double *data, int32_t *out_indptr, int32_t *out_indices, double *out_data)
    fastla_status fastla_dcsr_from_coo_i32(fastla_index nrows, fastla_index ncols, fastla_index nnz,
            const int32_t *rows, const int32_t *cols, const double *vals, int32_t *out_indptr, int32_t *out_indices,
            double *out_data, fastla_index *out_nnz)
    fastla_status fastla_dcsr_spmv_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *parts, int nparts)
    fastla_status fastla_dcsr_spmv_t_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *parts, int nparts, const fastla_index *cols)
    fastla_status fastla_dcsr_spmm_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, fastla_index k, double alpha, const double *x, fastla_index rs_x,
            fastla_index cs_x, double beta, double *y, fastla_index rs_y, fastla_index cs_y,
            const fastla_index *parts, int nparts)
    fastla_status fastla_dcsr_transpose_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, int64_t *out_indptr, int64_t *out_indices, double *out_data)
    fastla_status fastla_dcsr_from_coo_i64(fastla_index nrows, fastla_index ncols, fastla_index nnz,
            const int64_t *rows, const int64_t *cols, const double *vals, int64_t *out_indptr, int64_t *out_indices,
            double *out_data, fastla_index *out_nnz)
