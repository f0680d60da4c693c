/*
 * config/avx2.h -- the avx2 ISA's facts in one place: vector width, GEMM register
 * tiles and cache blocking.  Included by kernels/avx2/kernels.c (which compiles
 * the micro-kernels with these tiles) and by config/avx2.c (the table).
 *
 * GEMM tiles: MR rows of A are broadcast, NR = NV vectors of B are loaded,
 * MR*NV vector accumulators stay in registers.
 * Blocking: KC so a KC x NR sliver of B (re-used across the ir loop) fits in
 * L1d with room for the streaming A sliver; MC so the packed MC x KC block of
 * A fits in about half of the per-core L2; NC so the KC x NC panel of B fits
 * in a share of L3.  Start values from those rules for Zen 5 (L1d 48 KB,
 * L2 1 MB/core, L3 32 MB); tuned by measurement (docs/performance.rst).
 */
#define FASTLA_ISA avx2
#define FASTLA_ARCH_ID FASTLA_ARCH_AVX2
#define FASTLA_VBYTES 32

/* Prefetch the C tile at the start of each micro-kernel call (gemm_kern.inc). */
#define FASTLA_GEMM_PREFETCH_C 1

#define FASTLA_GEMM_MR_d 6
#define FASTLA_GEMM_NV_d 2
#define FASTLA_GEMM_KC_d 256
#define FASTLA_GEMM_MC_d 252
#define FASTLA_GEMM_NC_d 4096

#define FASTLA_GEMM_MR_s 6
#define FASTLA_GEMM_NV_s 2
#define FASTLA_GEMM_KC_s 256
#define FASTLA_GEMM_MC_s 504
#define FASTLA_GEMM_NC_s 4096

/* Strassen crossovers (frame/strassen.c, levels=None): CROSS<L>_<dtype> is
 * the smallest min(m, n, k) at which L levels beat L-1 levels.
 * Measured as for avx512 (FASTLA_ARCH=avx2, float64, provisional):
 *   n=1024 L1 1.02 L2 0.95; 1536 L1 1.10 L2 1.00; 2048 L1 1.09 L2 1.07;
 *   3072 L1 1.22 L2 1.21.  float32 not measured: float64's values.
 * Script: FASTLA_ARCH=avx2 python -m fastla.bench.strassen_cases. */
#define FASTLA_STRASSEN_CROSS1_d 1280
#define FASTLA_STRASSEN_CROSS2_d 4096
#define FASTLA_STRASSEN_CROSS1_s 1280
#define FASTLA_STRASSEN_CROSS2_s 8192
