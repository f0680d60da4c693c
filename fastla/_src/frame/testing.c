/*
 * frame/testing.c -- test hooks (declared in frame/testing.h): reach one
 * ISA's micro-kernels and block sizes directly, so the tests exercise every
 * table, not only the active one.  Not part of the public C API.
 */
#include "testing.h"
#include "../config/table.h"

int fastla_test_gemm_blocking(fastla_arch arch, int bits, int out[5])
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1;
    if (bits == 64) {
        out[0] = t->dgemm.mr; out[1] = t->dgemm.nr; out[2] = t->dgemm.kc;
        out[3] = t->dgemm.mc; out[4] = t->dgemm.nc;
    } else {
        out[0] = t->sgemm.mr; out[1] = t->sgemm.nr; out[2] = t->sgemm.kc;
        out[3] = t->sgemm.mc; out[4] = t->sgemm.nc;
    }
    return 0;
}

int fastla_test_dgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_ARGS(double))
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t || m > t->dgemm.mr || n > t->dgemm.nr) return -1;
    t->dgemm.ukr(m, n, k, alpha, a, b, beta, c, rs_c, cs_c);
    return 0;
}

int fastla_test_sgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_ARGS(float))
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t || m > t->sgemm.mr || n > t->sgemm.nr) return -1;
    t->sgemm.ukr(m, n, k, alpha, a, b, beta, c, rs_c, cs_c);
    return 0;
}
