/*
 * frame/gemm.c -- fastla_sgemm / fastla_dgemm and their batched forms
 * (include/fastla/gemm.h), both generated from frame/gemm_frame.inc.
 */
#include <stdlib.h>
#include "fastla/gemm.h"
#include "../config/table.h"
#include "threads.h"

#define FASTLA_CAT_(a, b) a##b
#define FASTLA_CAT(a, b) FASTLA_CAT_(a, b)
#define FASTLA_CAT3(a, b, c) FASTLA_CAT(FASTLA_CAT(a, b), c)

/* Below 2 x this many flops one thread is faster than two (measured with
 * `python -m fastla bench --only gemm`; see docs). */
#ifndef FASTLA_GEMM_GRAIN_FLOPS
#define FASTLA_GEMM_GRAIN_FLOPS (2.0 * 64 * 64 * 64)
#endif

#define T double
#define FASTLA_TC d
#include "gemm_frame.inc"
#undef T
#undef FASTLA_TC

#define T float
#define FASTLA_TC s
#include "gemm_frame.inc"
#undef T
#undef FASTLA_TC
