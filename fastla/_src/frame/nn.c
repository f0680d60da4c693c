/*
 * frame/nn.c -- loop nests of the neural-network operations
 * (include/fastla/nn.h): activation backward, attention with an online
 * softmax over key blocks, max-mode embedding bags.  Written once in
 * nn_frame.inc, instantiated for both dtypes.  The fused linear forward
 * lives in the GEMM loop nest itself (gemm_frame.inc, fastla_?gemm_bias_act).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fastla/nn.h"
#include "fastla/gemm.h"
#include "../config/table.h"
#include "threads.h"
#include "scratch.h"

/* Attention blocking: about BQ query rows (rounded up to whole NR slivers)
 * x BK keys (rounded down to whole MR slivers) per score block: a BQ x BK
 * buffer per thread, L2-resident (192 KB in float32). */
#ifndef FASTLA_ATT_BQ
#define FASTLA_ATT_BQ 192
#endif
#ifndef FASTLA_ATT_BK
#define FASTLA_ATT_BK 256
#endif
/* Attention: below 2 x this many flops one thread (as GEMM). */
#ifndef FASTLA_GEMM_GRAIN_FLOPS_NN
#define FASTLA_GEMM_GRAIN_FLOPS_NN (2.0 * 64 * 64 * 64)
#endif
/* Element-wise grain: below 2 x this many elements one thread. */
#ifndef FASTLA_NN_EW_GRAIN
#define FASTLA_NN_EW_GRAIN 65536.0
#endif

#define FASTLA_TEMPLATE "nn_frame.inc"
#include "for_each_dtype.h"
