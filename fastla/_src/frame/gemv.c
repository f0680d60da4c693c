/*
 * frame/gemv.c -- fastla_sgemv / fastla_dgemv (include/fastla/gemv.h),
 * both generated from frame/gemv_frame.inc.
 */
#include <stdlib.h>
#include "fastla/gemv.h"
#include "../config/table.h"
#include "threads.h"

/* Below this many bytes of A one thread is faster than two (measured with
 * `python -m fastla bench`, see docs/performance.rst). */
#ifndef FASTLA_GEMV_GRAIN_BYTES
#define FASTLA_GEMV_GRAIN_BYTES (128.0 * 1024.0)
#endif

#define FASTLA_TEMPLATE "gemv_frame.inc"
#include "for_each_dtype.h"
