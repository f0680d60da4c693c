/*
 * config/avx512.h -- the avx512 ISA's facts in one place: vector width, GEMM register
 * tiles and cache blocking.  Included by kernels/avx512/kernels.c (which compiles
 * the micro-kernels with these tiles) and by config/avx512.c (the table).
 *
 * GEMM tiles: MR rows of A are broadcast, NR = NV vectors of B are loaded,
 * MR*NV vector accumulators stay in registers.
 * Blocking: start values from the usual rules for Zen 5 (L1d 48 KB, L2 1 MB
 * per core, L3 32 MB): a KC x NR sliver of B in L1d, the MC x KC block of A in
 * half the L2, the KC x NC panel of B in a share of L3.  Measurement then
 * moved KC past the L1 rule: KC = 512 (the B sliver is 96 KB in float64, so it
 * streams from L2) beat KC = 256/384 because the deeper k loop amortizes the
 * load and store of the C tile over more FMAs; MC shrank to keep MC x KC
 * within L2 (table of the sweep: docs/architecture.rst).
 */
#define FASTLA_ISA avx512
#define FASTLA_ARCH_ID FASTLA_ARCH_AVX512
#define FASTLA_VBYTES 64

/* Prefetch the C tile at the start of each micro-kernel call (gemm_kern.inc).
 * Measured on Zen 5 with AVX-512 (24 November 2026; alternating processes of
 * the two builds, medians of 5 calls, fastla.matmul square float64): one
 * thread n = 2048 116.5-118.9 -> 124.0-125.0 GFLOP/s; two threads n = 2048
 * 216.6-218.4 -> 221.2-232.8, n = 4096 216.1-226.6 -> 223.6-233.0; float32,
 * two threads, n = 2048 443-449 -> 457-460, n = 4096 435-451 -> 454-462;
 * n = 1024 unchanged.  Tried in the same way and dropped: prefetching the A
 * and B slivers 8 k steps ahead inside the k loop (slower), prefetching the
 * next packed B sliver into L2 or L3 during the ir loop (2-5% slower on two
 * threads), KC = 256/384/768/1024 (MC kept near 768 KB) and MC = 64/96/120/144
 * (MC = 96 was 5% faster on one thread at n = 2048 but slower on two). */
#define FASTLA_GEMM_PREFETCH_C 1

/* NC = 2048 (the KC x NC panel of B: 8 MB float64, 4 MB float32, a quarter
 * of an L3 this VM shares with other tenants) against 4096: 4096^3, two
 * threads, five alternating rounds of the two builds (medians of 3 calls),
 * float64 217-222 -> 221-224 GFLOP/s, float32 445-455 -> 452-465; one
 * thread float64 111-113 -> 113-116; n = 2048 (one panel either way) the
 * same.  NC = 1024: float64 221-228, float32 450-464, no better. */
#define FASTLA_GEMM_MR_d 8
#define FASTLA_GEMM_NV_d 3
#define FASTLA_GEMM_KC_d 512
#define FASTLA_GEMM_MC_d 192
#define FASTLA_GEMM_NC_d 2048

/* MC of a pass that reads C back (beta != 0, or after the first KC pass):
 * 24 rows float64.  Measured 25 November 2026 on Zen 5 with AVX-512, a build
 * reading MC from the environment, alternating MC values, medians of 5 calls
 * (GFLOP/s, MC = 24 / 96 / 192): two threads 2048^3 237 / 228 / 217-223,
 * 4096^3 231-232 / 224-226 / 223-224, 3001x2999x3003 233-234 / 223-226 /
 * 226-229, 1024x4096x1024 230-237 / 225-228 / 226-228; one thread 2048^3
 * 118-120 / 112-115 / 112, 4096^3 119 / 112 / 112.  The cause is C: 4096 x
 * 512 x 4096 (one pass) with beta = 1 ran 227-236 / 212-222 / 212-213 and
 * with beta = 0 235-242 / 231-240 / 231-234.  A pass that only writes C
 * keeps MC = 192: at k = 64 (4096 x 64 x 4096) 24 rows lost 2-7%.  float32
 * showed no difference beyond the noise (MC = 16-256 within 2-3%), so it
 * keeps its MC (but see below). */
#define FASTLA_GEMM_MC_READ_d 24

/* float32: KC = 1024, MC = 128 (the A block stays 512 KB) and 32 rows in
 * the passes that read C, while a short A (m <= 256) keeps the old path:
 * B slivers packed 512 deep.  Measured 25 November 2026 as the float64 rows
 * above, three rounds (GFLOP/s, KC/MC/MC_READ 512/256/256 -> 1024/128/32):
 * one thread 2048^3 239-247 -> 249-257, 4096^3 234-248 -> 247-258, 3001 x
 * 2999 x 3003 231-246 -> 250-254; two threads 2048^3 467-482 -> 456-494,
 * 4096^3 462-476 -> 466-494, 3001^3-ish 457-477 -> 467-493.  Five more
 * rounds later, on a slower (busier) host: two threads 2048^3 425-450 ->
 * 428-451, 4096^3 430-444 -> 420-462, 3001^3-ish 431-448 -> 435-458, i.e.
 * -3% to +4% per pair, +1% on average: a small gain.  KC = 1024 for
 * the short path too lost 5% on 64 x 4096 x 4096 (326 -> 308 on two
 * threads) and 4-6% on 128 x 1152 x 25088 (one thread), hence FLY_M / FLY_KC. */
#define FASTLA_GEMM_MR_s 8
#define FASTLA_GEMM_NV_s 3
#define FASTLA_GEMM_KC_s 1024
#define FASTLA_GEMM_MC_s 128
#define FASTLA_GEMM_NC_s 2048
#define FASTLA_GEMM_MC_READ_s 32
#define FASTLA_GEMM_FLY_M_s 256
#define FASTLA_GEMM_FLY_KC_s 512

/* A row-major A read in place by the micro-kernel (no packing) when
 * n <= RA_N and min(m, k) <= RA_MK, besides n <= 64 (frame/gemm_frame.inc).
 * Measured 24 November 2026 on Zen 5 with AVX-512: two builds (in place up
 * to the given n, or packed) alternated, medians of 11 rounds, GFLOP/s
 * packed -> in place, float32 / float64.  Two threads: 128^3 288-306 ->
 * 306-311 / 172-184 -> 159-207; 256^3 376-392 -> 435-444 / 221 -> 231-232;
 * 512^3 470-476 -> 487-491 / 236-238 -> 244-245; 768^3 487-495 -> 498-501 /
 * 235 -> 245-247; 1024^3 492-496 -> 492-495 / 231-236 -> 236-241;
 * 4096x256x4096 426-428 -> 480 / 214-219 -> 226-232; 4096x256x256 474-479 ->
 * 498-504.  One thread: 256^3 230-234 -> 245-247 / 119-120 -> 125;
 * 1024^3 244-249 -> 250-252 / 118-121 -> 122; 4096x256x4096 220-224 ->
 * 237-240 / 112-114 -> 122.  Past n = 1024 it stops paying: 1536^3 and
 * 2048^3 float64 2-5% slower, 1024x4096x1024 1-4% slower. */
#define FASTLA_GEMM_RA_N_d 1024
#define FASTLA_GEMM_RA_MK_d 4096
#define FASTLA_GEMM_RA_N_s 1024
#define FASTLA_GEMM_RA_MK_s 4096

/* Strassen crossovers (frame/strassen.c, levels=None): CROSS<L>_<dtype> is
 * the smallest min(m, n, k) at which L levels beat L-1 levels.
 * Measured (provisional, shared machine, load 4-7): square products, 1 thread,
 * CPU time of the calling thread (time.thread_time: robust to being
 * descheduled), min of 2-5 interleaved rounds; ratio = matmul / Strassen:
 *   float64  n=1024 L1 0.93 L2 0.82; 1536 L1 1.04; 2048 L1 1.09 L2 0.98;
 *            3072 L1 1.14 L2 1.11; 4096 L1 1.16 L2 1.17
 *   float32  n=2048 L1 1.08 L2 0.90; 4096 L1 1.12 L2 1.10 (2 levels not
 *            yet ahead at 4096: CROSS2_s set past the measured range)
 * Script: python -m fastla.bench.strassen_cases 1024 1536 2048 3072 4096. */
/* Strassen's KC (frame/strassen_frame.inc, SP_BLOCKING caps it so the
 * KC x min(n_block, NC) panel of B stays the GEMM's size).  Measured 25
 * November 2026 on Zen 5 with AVX-512: 4096^3 float64, levels = 2 (blocks
 * of 1024), 2 threads, four rounds of three alternating builds, median of 5
 * calls, fastla.matmul / strassen_matmul in the same process: KC = 1024
 * 1.071-1.095, 768 1.022-1.029, 512 1.024-1.061.  The deeper pass halves the
 * read-modify-write sweeps over C's destination blocks, which outweighs the
 * smaller A block (MC = 96) it leaves in L2.  float32 keeps the same value
 * unmeasured: its automatic levels (one up to n = 8192) have blocks wide
 * enough that the cap brings KC down to 512 anyway. */
#define FASTLA_STRASSEN_KC_d 1024
#define FASTLA_STRASSEN_KC_s 1024

#define FASTLA_STRASSEN_CROSS1_d 1536
#define FASTLA_STRASSEN_CROSS2_d 4096
#define FASTLA_STRASSEN_CROSS1_s 1536
#define FASTLA_STRASSEN_CROSS2_s 8192

/* conv2d(algorithm="auto"): Winograd F(2x2, 3x3) where it pays (config/table.h
 * says how the three numbers combine).  Measured 24 November 2026 on Zen 5
 * with AVX-512, after Winograd's workspace moved to the per-thread cache
 * (frame/scratch.h; before, a fresh V and M per call cost 2280 page faults
 * on a 56x56 image and batches of 1-2 lost 0.23-0.93).  float32, padding 1,
 * C_in = C_out = C, median of 9 rounds of adjacent calls, direct time /
 * Winograd time; 2 threads, 1 thread in brackets:
 *   N = 32  C = 64  56x56 1.13, 28x28 0.96, 14x14 0.62, 7x7 0.51;
 *           C = 128 56x56 1.29 (1.35), 28x28 1.23 (1.06), 14x14 0.91 (0.76);
 *           C = 192 14x14 1.21 (1.10);
 *           C = 256 56x56 1.55 (1.59), 28x28 1.35 (1.44), 14x14 1.21 (1.18),
 *                   7x7 0.75;
 *           C = 512 56x56 1.55 (1.82), 28x28 1.66 (1.55), 14x14 1.50 (1.50),
 *                   7x7 1.02
 *   N = 16  C = 96/128/192/256/512 28x28 1.10/1.19/1.33/1.39/1.52,
 *           14x14 0.81/0.75/0.97 (0.97)/1.15 (1.07)/1.26 (1.44)
 *   N = 8   C = 96-512 28x28 1.11-1.53; 14x14 C = 192 0.96, 256 1.03, 512 1.15
 *   N = 4   C = 64 56x56 1.07, 28x28 0.86; C = 96 56x56 (1.22), 28x28 (1.00);
 *           C = 128 56x56 1.29 (1.21), 28x28 1.06 (0.98), 14x14 0.83;
 *           C = 256 56x56 1.52 (1.46), 28x28 1.23 (1.17), 14x14 0.89 (0.77)
 *   N = 2   C = 64/96/128/256 56x56 1.03/1.14/1.18/1.41, 28x28 0.75-1.07,
 *           14x14 0.49-0.74
 *   N = 1   C = 64/96/128/256 56x56 1.06/1.16 (1.13)/1.30 (1.19)/1.29 (1.32),
 *           28x28 0.72-1.09, 14x14 0.41-0.55, 7x7 0.15-0.23
 * So: at least 96 channels, 196 tiles per image (28x28; 49, i.e. 14x14, from
 * 192 channels) and 784 tiles in the batch (one 56x56 image, four 28x28,
 * sixteen 14x14).  The one loss this takes is N = 16, C = 192, 14x14
 * (0.97); 1568 tiles would avoid it and give up N = 1 at 56x56 and N = 4
 * at 28x28 (1.06-1.32).  C = 512 at 56x56 (1.25-2.0) stays direct: one
 * image's workspace, 51 MB, is over the 4 x budget limit.
 * Script: python -m fastla.bench.wino_cases [--threads N] CHANNELS HW [BATCHES]. */
#define FASTLA_WINO_CH_s 96
#define FASTLA_WINO_TILES_s 784
#define FASTLA_WINO_IMG_TILES_s 196
