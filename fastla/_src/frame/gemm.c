/*
 * frame/gemm.c -- fastla_sgemm / fastla_dgemm and their batched forms
 * (include/fastla/gemm.h), both generated from frame/gemm_frame.inc.
 */
#include <stdlib.h>
#include "fastla/gemm.h"
#include "../config/table.h"
#include "threads.h"
#include "scratch.h"
#include "gemm_packed.h"
#include "fastla/nn.h"

/* The optional epilogue of the GEMM loop nest (fastla_?gemm_bias_act): bias
 * (T *, NULL for none) along C's columns (bias_axis 1) or rows (0) with
 * stride inc, then the activation `act` (fastla_activation). */
typedef struct fastla_gemm_epi {
    const void *bias;
    fastla_index inc;
    int bias_axis;
    int act;
} fastla_gemm_epi;

/* Below 2 x this many flops one thread is faster than two (measured with
 * `python -m fastla bench --only gemm`; see docs). */
#ifndef FASTLA_GEMM_GRAIN_FLOPS
#define FASTLA_GEMM_GRAIN_FLOPS (2.0 * 64 * 64 * 64)
#endif

#define FASTLA_TEMPLATE "gemm_frame.inc"
#include "for_each_dtype.h"

void fastla_gemm_apack_free(fastla_gemm_apack *pk)
{
    if (!pk) return;
    free(pk->data);
    pk->data = NULL;
}
