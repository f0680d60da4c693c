# fastla/_testing.pxd -- test hooks of the C core (frame/testing.h).
# Internal: cimported by fastla/cy.pyx only, never by fastla/cy.pxd, so
# downstream builds do not need the private headers.
from fastla._capi cimport fastla_index, fastla_arch
cdef extern from "frame/testing.h" nogil:
    int fastla_test_gemm_blocking(fastla_arch arch, int bits, int out[5])
    int fastla_test_gemm_in_place(fastla_arch arch, int bits, int out[2])
    int fastla_test_gemm_paths(fastla_arch arch, int bits, int out[3])
    int fastla_test_strassen_kc(fastla_arch arch, int bits)
    int fastla_test_dgemm_ukr(fastla_arch arch, fastla_index m, fastla_index n, fastla_index k,
                              double alpha, const double *a, fastla_index lda, const double *b,
                              double beta, double *c, fastla_index rs_c, fastla_index cs_c)
    int fastla_test_sgemm_ukr(fastla_arch arch, fastla_index m, fastla_index n, fastla_index k,
                              float alpha, const float *a, fastla_index lda, const float *b,
                              float beta, float *c, fastla_index rs_c, fastla_index cs_c)
    int fastla_test_dgemm_pack(fastla_arch arch, int which, fastla_index mn, fastla_index kc,
                               const double *const *src, const double *coef, int nsrc,
                               fastla_index si, fastla_index sp, double *dst)
    int fastla_test_sgemm_pack(fastla_arch arch, int which, fastla_index mn, fastla_index kc,
                               const float *const *src, const float *coef, int nsrc,
                               fastla_index si, fastla_index sp, float *dst)
    int fastla_test_dgemm_pack_gather(fastla_arch arch, fastla_index mn, fastla_index kc,
                                      const double *src, const fastla_index *rowoff,
                                      const fastla_index *coloff, double *dst)
    int fastla_test_sgemm_pack_gather(fastla_arch arch, fastla_index mn, fastla_index kc,
                                      const float *src, const fastla_index *rowoff,
                                      const fastla_index *coloff, float *dst)
    int fastla_test_scratch()
    long fastla_test_scratch_exits()
    long fastla_test_im2col_stage_bytes(long nbytes)
