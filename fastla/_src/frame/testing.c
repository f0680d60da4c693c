/*
 * frame/testing.c -- test hooks (declared in frame/testing.h): reach one
 * ISA's micro-kernels and block sizes directly, so the tests exercise every
 * table, not only the active one.  Not part of the public C API.
 */
#include "testing.h"
#include <stdint.h>
#include <string.h>
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

int fastla_test_gemm_paths(fastla_arch arch, int bits, int out[3])
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1;
    out[0] = bits == 64 ? t->dgemm.mc_read : t->sgemm.mc_read;
    out[1] = bits == 64 ? t->dgemm.fly_m : t->sgemm.fly_m;
    out[2] = bits == 64 ? t->dgemm.fly_kc : t->sgemm.fly_kc;
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
    int bad = 0, lent = 0;
    void *held[NEST];
    for (int i = 0; i < NEST; ++i) {                 /* nested: more than the slots */
        held[i] = fastla_scratch_acquire(1000);
        if (!held[i]) return 1;
        if ((uintptr_t)held[i] & 63) bad |= 2;
        for (int j = 0; j < i; ++j) if (held[j] == held[i]) bad |= 4;
        memset(held[i], i, 1000);
    }
    for (int i = 0; i < NEST; ++i)
        for (int q = 0; q < 1000; q += 111) if (((unsigned char *)held[i])[q] != i) bad |= 4;
    const size_t before_big = fastla_scratch_held(NULL);
    void *big = fastla_scratch_acquire(FASTLA_SCRATCH_KEEP + 1);     /* never cached */
    if (!big) return 1;
    if ((uintptr_t)big & 63) bad |= 2;
    memset(big, 3, FASTLA_SCRATCH_KEEP + 1);
    if (fastla_scratch_held(NULL) != before_big) bad |= 32;
    for (int i = NEST - 1; i >= 0; --i) fastla_scratch_release(held[i]);
    fastla_scratch_release(big);
    if (fastla_scratch_held(&lent) != before_big || lent != 0) bad |= 32;
    void *again = fastla_scratch_acquire(FASTLA_SCRATCH_MIN);  /* a cached block */
    int cached = 0;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) cached |= again == held[i];
    if (!cached) bad |= 8;
    fastla_scratch_release(again);
    /* large requests grow slots, stay within the total (idle blocks make
       room), and the same request again reuses its block */
    const size_t L = FASTLA_SCRATCH_TOTAL / 2 - FASTLA_SCRATCH_MIN;
    void *l1 = fastla_scratch_acquire(L), *l2 = fastla_scratch_acquire(L);
    void *l3 = fastla_scratch_acquire(L);           /* over the total: a plain block */
    if (!l1 || !l2 || !l3) return 1;
    memset(l1, 1, L); memset(l2, 2, L); memset(l3, 3, L);
    if (fastla_scratch_held(NULL) > FASTLA_SCRATCH_TOTAL) bad |= 64;
    fastla_scratch_release(l3);
    fastla_scratch_release(l2);
    fastla_scratch_release(l1);
    void *l4 = fastla_scratch_acquire(L + FASTLA_SCRATCH_MIN);   /* fits no slot */
    if (!l4) return 1;
    memset(l4, 4, L + FASTLA_SCRATCH_MIN);
    if (fastla_scratch_held(NULL) > FASTLA_SCRATCH_TOTAL) bad |= 64;
    fastla_scratch_release(l4);
    void *l5 = fastla_scratch_acquire(L + FASTLA_SCRATCH_MIN);
    if (l5 != l4) bad |= 16;                          /* it was cached */
    fastla_scratch_release(l5);
    fastla_scratch_release(l5);                       /* a double release is harmless */
    void *l6 = fastla_scratch_acquire(L + FASTLA_SCRATCH_MIN);
    if (l6 != l4) bad |= 16;
    fastla_scratch_release(l6);
    if (fastla_scratch_held(&lent) > FASTLA_SCRATCH_TOTAL || lent != 0) bad |= 64;
    return bad;
}

long fastla_test_scratch_exits(void) { return fastla_scratch_exits(); }
