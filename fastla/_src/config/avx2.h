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
 * L2 1 MB/core, L3 32 MB); kept after measuring on a Zen 4 whose AVX-512 is
 * hidden (L1d 32 KB: the 16 KB B sliver still fits), where this tile runs
 * at 98-99% of the AVX2 FMA peak from cache in most runs and the whole 2048^3
 * GEMM at 88-91% on one thread once the C tile is prefetched
 * (docs/performance.rst).
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
/* mc_read (config/table.h) stays MC: on Zen 5 with the AVX2 kernels forced
 * (25 November 2026), MC = 24 / 48 / 96 / 252 for the passes that read C
 * back measured within the noise of each other (2 threads, float64 2048^3,
 * 4096^3 and 4096 x 512 x 4096: 112-123 GFLOP/s for every value). */

#define FASTLA_GEMM_MR_s 6
#define FASTLA_GEMM_NV_s 2
#define FASTLA_GEMM_KC_s 256
#define FASTLA_GEMM_MC_s 504
#define FASTLA_GEMM_NC_s 4096
/* A row-major A read in place by the micro-kernel (no packing) when
 * n <= RA_N and min(m, k) <= RA_MK, besides n <= 64 (frame/gemm_frame.inc).
 * Measured 24 November 2026 on the AVX2 machine (Zen 4, AVX-512 hidden):
 * median of 11-15 rounds of adjacent calls, packed time / in-place time,
 * float64 / float32; square n, 1 thread: 80 1.28 / 1.12, 128 1.20 / 1.06,
 * 192 1.12 / 1.05, 256 1.11 / 1.05, 384 1.05 / 1.01, 512 1.01 / 0.99,
 * 768 0.98 / 0.96, 1024 0.96 / 0.93; 2 threads: 96 1.23 / 1.17, 128 1.41 /
 * 1.14, 256 1.08 / 1.09, 512 0.98 / 1.01, 1024 0.94 / 0.96; m x n x k on 2
 * threads: 256x256x4096 1.02 / 1.04, 4096x256x256 1.05 / 1.02, but
 * 4096x256x4096 0.91 / 0.95, 4096x128x4096 0.98 / 0.99, 2048x192x2048
 * 0.94 / 0.99.  Packing pays once A is large in both dimensions or many
 * slivers of B reuse it. */
#define FASTLA_GEMM_RA_N_d 256
#define FASTLA_GEMM_RA_MK_d 512
#define FASTLA_GEMM_RA_N_s 256
#define FASTLA_GEMM_RA_MK_s 512

/* Strassen crossovers (frame/strassen.c, levels=None): CROSS<L>_<dtype> is
 * the smallest min(m, n, k) at which L levels beat L-1 levels.
 * Measured on an AVX2-only machine (Zen 4 EPYC with AVX-512 hidden by the
 * hypervisor, 23 November 2026, after the C-tile prefetch and the
 * transposing A pack): square products, 1 thread, CPU time of the calling
 * thread, min of 3 interleaved rounds; ratio = matmul / Strassen:
 *   float64  n=1024 L1 0.94 L2 0.84; 1536 L1 1.04 L2 0.89; 2048 L1 1.07
 *            L2 0.95; 3072 L1 1.09 L2 0.95; 4096 L1 1.07 L2 0.99
 *   float32  n=1024 L1 0.88 L2 0.72; 1536 L1 1.05 L2 0.84; 2048 L1 1.03
 *            L2 0.93; 3072 L1 1.06 L2 0.92; 4096 L1 1.08 L2 1.01
 * Two levels never beat one in the measured range then.  With the Strassen
 * KC of 1024 (below) they do; measured again 24 November 2026, 2 threads,
 * median over 5 rounds of the ratio of adjacent calls (the script below
 * with --threads 2; it took the minimum of each side before):
 *   float64  n=2048 L1 1.04 L2 1.00; 3072 L1 1.06 L2 1.08; 4096 L1 1.04 L2 1.07
 *   float32  n=2048 L1 1.10 L2 0.73; 3072 L1 1.07 L2 1.05; 4096 L1 1.05 L2 1.07
 * so CROSS2 is 3072 (float64) and 4096 (float32).
 * Script: python -m fastla.bench.strassen_cases [float32] [--threads 2] 2048 3072 4096. */
/* KC of the Strassen loop nest: 1024, four times the GEMM's, so two levels
 * at n = 4096 (blocks of 1024) make one pass per product: one sweep over
 * each destination block of C and one packing of each operand sum.
 * Measured (24 November 2026, this machine, n = 4096 float64, median over 5
 * rounds of fastla.matmul time / Strassen time of adjacent calls, two runs
 * per build alternating, 2 threads): two levels 1.05 / 1.00 with KC 512 ->
 * 1.10 / 1.09 with 1024 (together with the packing of B sums 16 / nsrc rows
 * at a time, frame/pack_frame.inc, same commit), one level 1.06-1.08 either way (one level's blocks
 * are 2048 wide, so SP_BLOCKING keeps its KC at 512: a 1024 x 2048 panel
 * of B fell out of L3, one level went 1.06 -> 1.02 on one thread).
 * Profile of two levels (1 thread): the destination updates fell from 11%
 * to 6% of the micro-kernel's samples.  (The AVX-512 table's 2 x 512 is
 * the same depth.) */
#define FASTLA_STRASSEN_KC_d 1024
#define FASTLA_STRASSEN_KC_s 1024
#define FASTLA_STRASSEN_CROSS1_d 1536
#define FASTLA_STRASSEN_CROSS2_d 3072
#define FASTLA_STRASSEN_CROSS1_s 1536
#define FASTLA_STRASSEN_CROSS2_s 4096
/* conv2d(algorithm="auto"): Winograd F(2x2, 3x3) where it pays (config/table.h
 * says how the three numbers combine).  Measured 24 November 2026 on the
 * AVX2 machine above (float32, padding 1, C_in = C_out = C, median of 9
 * rounds of adjacent calls, direct time / Winograd time; 2 threads, and
 * 1 thread in brackets):
 *   N = 32  C = 16 56x56 0.72; C = 32 56x56 1.04;
 *           C = 64  56x56 1.35 (1.18), 28x28 (1.11), 14x14 0.79 (0.89);
 *           C = 96  28x28 1.35, 14x14 1.00;
 *           C = 128 28x28 1.43 (1.36), 14x14 1.15 (1.15), 7x7 0.69 (0.65);
 *           C = 256 28x28 1.53 (1.59), 14x14 1.35 (1.43), 7x7 0.80 (0.80);
 *           C = 512 14x14 1.38, 7x7 1.08, 4x4 0.80
 *   N = 1   C = 64 56x56 1.33 (1.21), 28x28 (0.83); C = 128 28x28 1.04 (0.98);
 *           C = 256 28x28 1.12 (1.07), 14x14 0.50 (0.55); C = 512 28x28 1.24
 * Small images lose (16 x nb x L-column products, transforms per output),
 * and so do single images below 56x56 (the weight transform per call).
 * The 196 tiles per image at 64 channels rest on the one-thread 28x28
 * figure (1.11); 2 threads were not measured there.
 * Script: python -m fastla.bench.wino_cases [--threads N] CHANNELS HW [BATCHES]
 * (the sweep above used the same adjacent-call ratio).
 * float64 is left out: never (its users chose it for the rounding). */
#define FASTLA_WINO_CH_s 64
#define FASTLA_WINO_TILES_s 784
#define FASTLA_WINO_IMG_TILES_s 196
