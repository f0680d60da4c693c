/*
 * frame/testing.h -- test hooks into the per-ISA tables (internal).
 * fastla_test_gemm_blocking: out = {MR, NR, KC, MC, NC} of `arch` for
 *   float`bits`; -1 if the ISA is unavailable.
 * fastla_test_gemm_in_place: out = {RA_N, RA_MK} of `arch` for float`bits`
 *   (frame/gemm_frame.inc reads a row-major A in place when n <= RA_N and
 *   min(m, k) <= RA_MK); -1 if the ISA is unavailable.
 * fastla_test_?gemm_ukr: runs `arch`'s micro-kernel once: lda == 0 the
 *   packed one (FASTLA_GEMM_UKR_ARGS, lda unused), lda > 0 the one reading A
 *   in place (FASTLA_GEMM_UKR_RA_ARGS); -1 if unavailable, the tile is too
 *   big or lda < 0.
 * fastla_test_?gemm_pack: runs `arch`'s packing kernel (which 0: pack_a,
 *   W = MR; 1: pack_b, W = NR) once with the FASTLA_PACK_ARGS contract; -1 if
 *   unavailable, mn > W or nsrc outside [1, 8].
 * fastla_test_?gemm_pack_gather: runs `arch`'s gathered B packing kernel
 *   once with the FASTLA_PACK_GATHER_ARGS contract; -1 if unavailable or
 *   mn > NR.
 * fastla_test_im2col_stage_bytes: sets the output size from which im2col
 *   builds its columns in an L1 stage (frame/conv.c) when bytes >= 0;
 *   returns the previous size.
 * fastla_test_scratch: checks frame/scratch.h on the calling thread; 0 if
 *   every clause holds, else a bit mask of the failed ones.
 */
#ifndef FASTLA_FRAME_TESTING_H
#define FASTLA_FRAME_TESTING_H
#include "fastla/types.h"
#include "../config/table.h"
int fastla_test_gemm_blocking(fastla_arch arch, int bits, int out[5]);
int fastla_test_gemm_in_place(fastla_arch arch, int bits, int out[2]);
/* out = {MC_READ, FLY_M, FLY_KC} of `arch`'s GEMM for float`bits`: the rows
 * of a pass that reads C back, and the short-A path's limit and depth
 * (config/table.h); -1 if the ISA is unavailable. */
int fastla_test_gemm_paths(fastla_arch arch, int bits, int out[3]);
/* KC of `arch`'s Strassen loop nest for float`bits` (-1: ISA not here). */
int fastla_test_strassen_kc(fastla_arch arch, int bits);
int fastla_test_dgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_RA_ARGS(double));
int fastla_test_sgemm_ukr(fastla_arch arch, FASTLA_GEMM_UKR_RA_ARGS(float));
int fastla_test_dgemm_pack(fastla_arch arch, int which, FASTLA_PACK_ARGS(double));
int fastla_test_sgemm_pack(fastla_arch arch, int which, FASTLA_PACK_ARGS(float));
int fastla_test_dgemm_pack_gather(fastla_arch arch, FASTLA_PACK_GATHER_ARGS(double));
int fastla_test_sgemm_pack_gather(fastla_arch arch, FASTLA_PACK_GATHER_ARGS(float));
int fastla_test_scratch(void);
long fastla_test_im2col_stage_bytes(long bytes);
/* Threads whose scratch cache was freed at their exit so far. */
long fastla_test_scratch_exits(void);
#endif
