/*
 * frame/csr.c -- the CSR loop nests (include/fastla/csr.h): validation,
 * nnz-balanced row partitions, SpMV, transposed SpMV, SpMM, counting-sort
 * transpose and COO -> CSR.  Written once in csr_index.inc (per index type)
 * and csr_frame.inc (per value type x index type), instantiated here.
 * SIMD work goes through the active kernel table (csrmv/csrmm); the scatter,
 * counting and validation loops are irregular scalar code and live here.
 */
#include <stdlib.h>
#include <string.h>
#include "fastla/csr.h"
#include "../config/table.h"
#include "threads.h"

#define FASTLA_CAT_(a, b) a##b
#define FASTLA_CAT(a, b) FASTLA_CAT_(a, b)
#define FASTLA_CAT3(a, b, c) FASTLA_CAT(FASTLA_CAT(a, b), c)   /* also used by csr_index.inc */

/* Below 2 * grain units (nnz + rows) one thread is used: a parallel region
 * costs a few microseconds, about the time of 20k non-zeros. */
#ifndef FASTLA_CSR_GRAIN
#define FASTLA_CSR_GRAIN 20000.0
#endif
/* SpMM: grain in flops-ish units (nnz * k + nrows * k). */
#ifndef FASTLA_CSRMM_GRAIN
#define FASTLA_CSRMM_GRAIN 100000.0
#endif
/* SpMM column panel: wider products are done panel by panel, so a panel of
 * X's rows (KC elements each) is what the rows of A gather from. */
#ifndef FASTLA_CSRMM_KC
#define FASTLA_CSRMM_KC 256
#endif

#define I int32_t
#define FASTLA_IC i32
#define FASTLA_IMAX INT32_MAX
#include "csr_index.inc"
#define FASTLA_TEMPLATE "csr_frame.inc"
#include "for_each_dtype.h"
#undef I
#undef FASTLA_IC
#undef FASTLA_IMAX

#define I int64_t
#define FASTLA_IC i64
#define FASTLA_IMAX INT64_MAX
#include "csr_index.inc"
#define FASTLA_TEMPLATE "csr_frame.inc"
#include "for_each_dtype.h"
#undef I
#undef FASTLA_IC
#undef FASTLA_IMAX
