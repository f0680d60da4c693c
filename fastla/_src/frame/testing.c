/*
 * frame/testing.c -- test hooks (declared in frame/testing.h): reach one
 * ISA's micro-kernels and block sizes directly, so the tests exercise every
 * table, not only the active one.  Not part of the public C API.
 */
#include "testing.h"
#include <stdint.h>
#include "../config/table.h"
#include "scratch.h"

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

int fastla_test_gemm_in_place(fastla_arch arch, int bits, int out[2])
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1;
    out[0] = bits == 64 ? t->dgemm.ra_n : t->sgemm.ra_n;
    out[1] = bits == 64 ? t->dgemm.ra_mk : t->sgemm.ra_mk;
    return 0;
}

int fastla_test_strassen_kc(fastla_arch arch, int bits)
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1;
    return bits == 64 ? t->strassen_kc_d : t->strassen_kc_s;
}

int fastla_test_dgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_RA_ARGS(double))
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t || m > t->dgemm.mr || n > t->dgemm.nr || lda < 0) return -1;
    if (lda) t->dgemm.ukr_ra(m, n, k, alpha, a, lda, b, beta, c, rs_c, cs_c);
    else t->dgemm.ukr(m, n, k, alpha, a, b, beta, c, rs_c, cs_c);
    return 0;
}

int fastla_test_sgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_RA_ARGS(float))
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t || m > t->sgemm.mr || n > t->sgemm.nr || lda < 0) return -1;
    if (lda) t->sgemm.ukr_ra(m, n, k, alpha, a, lda, b, beta, c, rs_c, cs_c);
    else t->sgemm.ukr(m, n, k, alpha, a, b, beta, c, rs_c, cs_c);
    return 0;
}

#define FASTLA_TEST_PACK(T, tc)                                                          \
    int fastla_test_##tc##gemm_pack(fastla_arch arch, int which, FASTLA_PACK_ARGS(T))      \
    {                                                                                      \
        const fastla_kernel_table *t = fastla_table_for(arch);                             \
        if (!t || nsrc < 1 || nsrc > 8 || mn < 0 || kc < 0) return -1;                     \
        if (mn > (which ? t->tc##gemm.nr : t->tc##gemm.mr)) return -1;                     \
        (which ? t->tc##gemm.pack_b : t->tc##gemm.pack_a)(mn, kc, src, coef, nsrc, si, sp, dst); \
        return 0;                                                                          \
    }
FASTLA_TEST_PACK(double, d)
FASTLA_TEST_PACK(float, s)
#undef FASTLA_TEST_PACK

#define FASTLA_TEST_PACK_GATHER(T, tc)                                                   \
    int fastla_test_##tc##gemm_pack_gather(fastla_arch arch, FASTLA_PACK_GATHER_ARGS(T))   \
    {                                                                                      \
        const fastla_kernel_table *t = fastla_table_for(arch);                             \
        if (!t || mn < 0 || kc < 0 || mn > t->tc##gemm.nr) return -1;                      \
        t->tc##gemm.pack_b_gather(mn, kc, src, rowoff, coloff, dst);                       \
        return 0;                                                                          \
    }
FASTLA_TEST_PACK_GATHER(double, d)
FASTLA_TEST_PACK_GATHER(float, s)
#undef FASTLA_TEST_PACK_GATHER

/* Checks frame/scratch.h's contract on the calling thread; returns a bit
 * mask of the clauses that failed (0: all hold). */
int fastla_test_scratch(void)
{
    enum { NEST = FASTLA_SCRATCH_SLOTS + 2 };
    int bad = 0;
    void *held[NEST];
    for (int i = 0; i < NEST; ++i) {                 /* nested: more than the slots */
        held[i] = fastla_scratch_acquire(1000);
        if (!held[i]) return 1;
        if ((uintptr_t)held[i] & 63) bad |= 2;
        for (int j = 0; j < i; ++j) if (held[j] == held[i]) bad |= 4;
        ((char *)held[i])[999] = (char)i;
    }
    for (int i = 0; i < NEST; ++i) if (((char *)held[i])[999] != (char)i) bad |= 4;
    void *big = fastla_scratch_acquire(FASTLA_SCRATCH_KEEP + 1);     /* never cached */
    if (!big) return 1;
    if ((uintptr_t)big & 63) bad |= 2;
    ((char *)big)[FASTLA_SCRATCH_KEEP] = 3;
    for (int i = NEST - 1; i >= 0; --i) fastla_scratch_release(held[i]);
    fastla_scratch_release(big);
    void *again = fastla_scratch_acquire(FASTLA_SCRATCH_MIN);  /* a cached block */
    int cached = 0;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) cached |= again == held[i];
    if (!cached) bad |= 8;
    /* a large request grows a slot, and the same request again reuses it */
    void *large = fastla_scratch_acquire(5 * FASTLA_SCRATCH_MIN + 7);
    if (!large) return 1;
    ((char *)large)[5 * FASTLA_SCRATCH_MIN + 6] = 1;
    fastla_scratch_release(large);
    void *large2 = fastla_scratch_acquire(5 * FASTLA_SCRATCH_MIN);
    if (large2 != large) bad |= 16;
    fastla_scratch_release(large2);
    fastla_scratch_release(again);
    return bad;
}
