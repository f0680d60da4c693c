/*
 * fastla/gemv.h -- dense matrix-vector product (GEMV).
 *
 *   y := alpha * A x + beta * y
 *
 * fastla_sgemv (float) and fastla_dgemv (double) share this contract:
 *   m, n     rows and columns of A (>= 0)
 *   alpha    scale of A x
 *   a        A(i, j) is a[i * rs_a + j * cs_a]; any strides, negative allowed
 *   x        x(j) is x[j * incx], n elements; incx != 0
 *   beta     scale of y; beta == 0 means y is write-only (NaN/Inf in y are ignored)
 *   y        y(i) is y[i * incy], m elements; incy != 0; y must not overlap a or x
 * Kernel paths, chosen from the strides without copying A:
 *   cs_a == 1  row-contiguous: dot products of 4 rows at a time, threads split rows;
 *   rs_a == 1  column-contiguous (e.g. a transposed C array): axpy form over
 *              blocks of y, threads split rows of y (no reduction);
 *   otherwise  rows are gathered in small per-thread panels, then as cs_a == 1.
 * Non-unit incx/incy are copied to contiguous O(n)/O(m) buffers.
 * Returns FASTLA_OK, FASTLA_ERR_NOMEM or FASTLA_ERR_ARG (negative sizes).
 * Complexity: 2*m*n flops, m*n elements of A read once; memory-bound.
 * Threads: fastla_get_num_threads(), 1 when m*n is below the measured
 * threshold.  Thread-safe; does not touch the GIL.
 */
#ifndef FASTLA_GEMV_H
#define FASTLA_GEMV_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

fastla_status fastla_sgemv(fastla_index m, fastla_index n, float alpha,
                           const float *a, fastla_index rs_a, fastla_index cs_a,
                           const float *x, fastla_index incx, float beta,
                           float *y, fastla_index incy);

fastla_status fastla_dgemv(fastla_index m, fastla_index n, double alpha,
                           const double *a, fastla_index rs_a, fastla_index cs_a,
                           const double *x, fastla_index incx, double beta,
                           double *y, fastla_index incy);

#ifdef __cplusplus
}
#endif
#endif
