/*
 * frame/gemv.c -- fastla_sgemv / fastla_dgemv (include/fastla/gemv.h),
 * both generated from frame/gemv_frame.inc.
 */
#include <stdlib.h>
#include "fastla/gemv.h"
#include "../config/table.h"
#include "threads.h"

#define FASTLA_CAT_(a, b) a##b
#define FASTLA_CAT(a, b) FASTLA_CAT_(a, b)
#define FASTLA_CAT3(a, b, c) FASTLA_CAT(FASTLA_CAT(a, b), c)

/* Below this many bytes of A one thread is faster than two (measured with
 * `python -m fastla bench`, see docs/performance.rst). */
#ifndef FASTLA_GEMV_GRAIN_BYTES
#define FASTLA_GEMV_GRAIN_BYTES (128.0 * 1024.0)
#endif

#define T double
#define FASTLA_TC d
#include "gemv_frame.inc"
#undef T
#undef FASTLA_TC

#define T float
#define FASTLA_TC s
#include "gemv_frame.inc"
#undef T
#undef FASTLA_TC
