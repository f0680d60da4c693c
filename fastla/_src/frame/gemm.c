/*
 * frame/gemm.c -- fastla_sgemm / fastla_dgemm and their batched forms
 * (include/fastla/gemm.h), both generated from frame/gemm_frame.inc.
 */
#include <stdlib.h>
#include "fastla/gemm.h"
#include "../config/table.h"
#include "threads.h"
#include "scratch.h"

/* Below 2 x this many flops one thread is faster than two (measured with
 * `python -m fastla bench --only gemm`; see docs). */
#ifndef FASTLA_GEMM_GRAIN_FLOPS
#define FASTLA_GEMM_GRAIN_FLOPS (2.0 * 64 * 64 * 64)
#endif

#define FASTLA_TEMPLATE "gemm_frame.inc"
#include "for_each_dtype.h"
