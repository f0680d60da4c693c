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
    int fastla_arch_emulated(fastla_arch arch)
    fastla_arch fastla_arch_best()
    fastla_status fastla_arch_select(fastla_arch arch)
    fastla_arch fastla_arch_active()
    const char *fastla_arch_name(fastla_arch arch)
    void fastla_set_num_threads(int n)
    int fastla_get_num_threads()
    void fastla_threads_save(int state[2])
    void fastla_threads_restore(const int state[2])
    size_t fastla_release_workspace()
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
    int fastla_csr_col_split_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
                                 const int32_t *indices, int nparts, fastla_index *bounds, int32_t *split)
    fastla_csr_error fastla_csr_check_i64(fastla_index nrows, fastla_index ncols, fastla_index nnz,
                                          const int64_t *indptr, const int64_t *indices, fastla_index *where)
    void fastla_csr_partition_i64(fastla_index nrows, const int64_t *indptr, int nparts, fastla_index *parts)
    void fastla_csr_col_ranges_i64(fastla_index nrows, const int64_t *indptr, const int64_t *indices,
                                   const fastla_index *parts, int nparts, fastla_index *cols)
    int fastla_csr_col_split_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
                                 const int64_t *indices, int nparts, fastla_index *bounds, int64_t *split)
    fastla_status fastla_scsr_spmv_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts)
    fastla_status fastla_scsr_spmv_t_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *parts, int nparts, const fastla_index *cols)
    fastla_status fastla_scsr_spmv_t_split_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *bounds, const int32_t *split, int nparts)
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
    fastla_status fastla_scsr_spmv_t_split_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const float *data, float alpha, const float *x, fastla_index incx, float beta,
            float *y, fastla_index incy, const fastla_index *bounds, const int64_t *split, int nparts)
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
    fastla_status fastla_dcsr_spmv_t_split_i32(fastla_index nrows, fastla_index ncols, const int32_t *indptr,
            const int32_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *bounds, const int32_t *split, int nparts)
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
    fastla_status fastla_dcsr_spmv_t_split_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, double alpha, const double *x, fastla_index incx, double beta,
            double *y, fastla_index incy, const fastla_index *bounds, const int64_t *split, int nparts)
    fastla_status fastla_dcsr_spmm_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, fastla_index k, double alpha, const double *x, fastla_index rs_x,
            fastla_index cs_x, double beta, double *y, fastla_index rs_y, fastla_index cs_y,
            const fastla_index *parts, int nparts)
    fastla_status fastla_dcsr_transpose_i64(fastla_index nrows, fastla_index ncols, const int64_t *indptr,
            const int64_t *indices, const double *data, int64_t *out_indptr, int64_t *out_indices, double *out_data)
    fastla_status fastla_dcsr_from_coo_i64(fastla_index nrows, fastla_index ncols, fastla_index nnz,
            const int64_t *rows, const int64_t *cols, const double *vals, int64_t *out_indptr, int64_t *out_indices,
            double *out_data, fastla_index *out_nnz)

    # strassen.h
    int FASTLA_STRASSEN_MAX_LEVELS
    fastla_status fastla_sstrassen(fastla_index m, fastla_index n, fastla_index k,
                                   const float *a, fastla_index rs_a, fastla_index cs_a,
                                   const float *b, fastla_index rs_b, fastla_index cs_b,
                                   float *c, fastla_index rs_c, fastla_index cs_c, int levels)
    fastla_status fastla_dstrassen(fastla_index m, fastla_index n, fastla_index k,
                                   const double *a, fastla_index rs_a, fastla_index cs_a,
                                   const double *b, fastla_index rs_b, fastla_index cs_b,
                                   double *c, fastla_index rs_c, fastla_index cs_c, int levels)
    int fastla_strassen_levels(int dtype_bits, fastla_index m, fastla_index n, fastla_index k)
    # conv.h
    ctypedef struct fastla_conv2d_geom:
        fastla_index n, c, h, w
        fastla_index c_out, groups
        fastla_index kh, kw
        fastla_index sh, sw
        fastla_index ph, pw
        fastla_index dh, dw
        fastla_index ho, wo
    fastla_status fastla_sim2col(const fastla_conv2d_geom *g, const float *x, const fastla_index *xs,
                                 float *cols, const fastla_index *cs)
    fastla_status fastla_dim2col(const fastla_conv2d_geom *g, const double *x, const fastla_index *xs,
                                 double *cols, const fastla_index *cs)
    fastla_status fastla_scol2im(const fastla_conv2d_geom *g, const float *cols, const fastla_index *cs,
                                 float beta, float *x, const fastla_index *xs)
    fastla_status fastla_dcol2im(const fastla_conv2d_geom *g, const double *cols, const fastla_index *cs,
                                 double beta, double *x, const fastla_index *xs)
    fastla_status fastla_sconv2d(const fastla_conv2d_geom *g, const float *x, const fastla_index *xs,
                                 const float *w, const fastla_index *ws, const float *bias,
                                 fastla_index bs, float *y, const fastla_index *ys)
    fastla_status fastla_dconv2d(const fastla_conv2d_geom *g, const double *x, const fastla_index *xs,
                                 const double *w, const fastla_index *ws, const double *bias,
                                 fastla_index bs, double *y, const fastla_index *ys)
    fastla_status fastla_sconv2d_winograd(const fastla_conv2d_geom *g, const float *x,
                                          const fastla_index *xs, const float *w,
                                          const fastla_index *ws, const float *bias,
                                          fastla_index bs, float *y, const fastla_index *ys)
    fastla_status fastla_dconv2d_winograd(const fastla_conv2d_geom *g, const double *x,
                                          const fastla_index *xs, const double *w,
                                          const fastla_index *ws, const double *bias,
                                          fastla_index bs, double *y, const fastla_index *ys)
    int fastla_sconv2d_winograd_pays(const fastla_conv2d_geom *g)
    int fastla_dconv2d_winograd_pays(const fastla_conv2d_geom *g)
    fastla_status fastla_sconv2d_backward(const fastla_conv2d_geom *g,
                                          const float *gy, const fastla_index *gys,
                                          const float *x, const fastla_index *xs,
                                          const float *w, const fastla_index *ws,
                                          float *gx, const fastla_index *gxs,
                                          float *gw, const fastla_index *gws,
                                          float *gb, fastla_index gbs)
    fastla_status fastla_dconv2d_backward(const fastla_conv2d_geom *g,
                                          const double *gy, const fastla_index *gys,
                                          const double *x, const fastla_index *xs,
                                          const double *w, const fastla_index *ws,
                                          double *gx, const fastla_index *gxs,
                                          double *gw, const fastla_index *gws,
                                          double *gb, fastla_index gbs)
    # nn.h
    ctypedef enum fastla_activation:
        FASTLA_ACT_NONE
        FASTLA_ACT_RELU
        FASTLA_ACT_SIGMOID
        FASTLA_ACT_TANH
        FASTLA_ACT_GELU
    fastla_status fastla_sgemm_bias_act(fastla_index m, fastla_index n, fastla_index k, float alpha,
            const float *a, fastla_index rs_a, fastla_index cs_a, const float *b, fastla_index rs_b,
            fastla_index cs_b, float beta, float *c, fastla_index rs_c, fastla_index cs_c,
            const float *bias, fastla_index inc_bias, int bias_axis, int act)
    fastla_status fastla_dgemm_bias_act(fastla_index m, fastla_index n, fastla_index k, double alpha,
            const double *a, fastla_index rs_a, fastla_index cs_a, const double *b, fastla_index rs_b,
            fastla_index cs_b, double beta, double *c, fastla_index rs_c, fastla_index cs_c,
            const double *bias, fastla_index inc_bias, int bias_axis, int act)
    fastla_status fastla_sact_backward(fastla_index m, fastla_index n, const float *g, fastla_index rs_g,
            fastla_index cs_g, const float *y, fastla_index rs_y, fastla_index cs_y, float *d,
            fastla_index ld_d, int act)
    fastla_status fastla_dact_backward(fastla_index m, fastla_index n, const double *g, fastla_index rs_g,
            fastla_index cs_g, const double *y, fastla_index rs_y, fastla_index cs_y, double *d,
            fastla_index ld_d, int act)
    fastla_status fastla_sattention(fastla_index nb0, fastla_index nb1, fastla_index L, fastla_index S,
            fastla_index E, fastla_index Ev, float scale,
            const float *q, fastla_index b0_q, fastla_index b1_q, fastla_index rs_q, fastla_index cs_q,
            const float *k, fastla_index b0_k, fastla_index b1_k, fastla_index rs_k, fastla_index cs_k,
            const float *v, fastla_index b0_v, fastla_index b1_v, fastla_index rs_v, fastla_index cs_v,
            int mask_kind, const void *mask, fastla_index b0_m, fastla_index b1_m, fastla_index rs_m,
            fastla_index cs_m, int causal,
            float *o, fastla_index b0_o, fastla_index b1_o, fastla_index rs_o, fastla_index cs_o)
    fastla_status fastla_dattention(fastla_index nb0, fastla_index nb1, fastla_index L, fastla_index S,
            fastla_index E, fastla_index Ev, double scale,
            const double *q, fastla_index b0_q, fastla_index b1_q, fastla_index rs_q, fastla_index cs_q,
            const double *k, fastla_index b0_k, fastla_index b1_k, fastla_index rs_k, fastla_index cs_k,
            const double *v, fastla_index b0_v, fastla_index b1_v, fastla_index rs_v, fastla_index cs_v,
            int mask_kind, const void *mask, fastla_index b0_m, fastla_index b1_m, fastla_index rs_m,
            fastla_index cs_m, int causal,
            double *o, fastla_index b0_o, fastla_index b1_o, fastla_index rs_o, fastla_index cs_o)
    fastla_status fastla_sembedding_bag_max(fastla_index nbags, fastla_index dim, const int64_t *indptr,
            const int64_t *indices, const float *w, fastla_index ld_w, float *out, fastla_index ld_out,
            int64_t *argmax)
    fastla_status fastla_dembedding_bag_max(fastla_index nbags, fastla_index dim, const int64_t *indptr,
            const int64_t *indices, const double *w, fastla_index ld_w, double *out, fastla_index ld_out,
            int64_t *argmax)
