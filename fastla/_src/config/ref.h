/*
 * config/ref.h -- the ref ISA's facts in one place: vector width, GEMM register
 * tiles and cache blocking.  Included by kernels/ref/kernels.c (which compiles
 * the micro-kernels with these tiles) and by config/ref.c (the table).
 *
 * GEMM tiles: MR rows of A are broadcast, NR = NV vectors of B are loaded,
 * MR*NV vector accumulators stay in registers.
 * Blocking: KC so a KC x NR sliver of B (re-used across the ir loop) fits in
 * L1d with room for the streaming A sliver; MC so the packed MC x KC block of
 * A fits in about half of the per-core L2; NC so the KC x NC panel of B fits
 * in a share of L3.  Start values from those rules for Zen 5 (L1d 48 KB,
 * L2 1 MB/core, L3 32 MB); tuned by measurement (docs/performance.rst).
 */
#define FASTLA_ISA ref
#define FASTLA_ARCH_ID FASTLA_ARCH_REF
#define FASTLA_VBYTES 16

#define FASTLA_GEMM_MR_d 4
#define FASTLA_GEMM_NV_d 2
#define FASTLA_GEMM_KC_d 256
#define FASTLA_GEMM_MC_d 128
#define FASTLA_GEMM_NC_d 2048

#define FASTLA_GEMM_MR_s 4
#define FASTLA_GEMM_NV_s 2
#define FASTLA_GEMM_KC_s 256
#define FASTLA_GEMM_MC_s 256
#define FASTLA_GEMM_NC_s 2048

/* Strassen crossovers (frame/strassen.c, levels=None): CROSS<L>_<dtype> is
 * the smallest min(m, n, k) at which L levels beat L-1 levels.
 * Measured as for avx512 (FASTLA_ARCH=ref, float64, provisional):
 *   n=512 L1 0.99 L2 0.98; 1024 L1 1.06 L2 1.08.  CROSS2 is a guess (the
 *   portable kernel is slow, so Strassen pays off early).
 * Script: FASTLA_ARCH=ref python -m fastla.bench.strassen_cases 512 1024 2048. */
#define FASTLA_STRASSEN_CROSS1_d 1024
#define FASTLA_STRASSEN_CROSS2_d 2048
#define FASTLA_STRASSEN_CROSS1_s 1024
#define FASTLA_STRASSEN_CROSS2_s 2048
