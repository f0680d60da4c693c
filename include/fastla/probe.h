/*
 * fastla/probe.h -- machine-limit probes (used by `python -m fastla bench`).
 *
 * fastla_probe_fma: runs the FMA probe of `arch` (12 independent vector FMA
 *   chains, `iters` rounds) on `nthreads` threads; dtype_bits is 32 or 64.
 *   Returns the flops executed (time the call to get FLOP/s), or -1 if `arch`
 *   is not supported.  O(iters).
 * fastla_probe_stream: one STREAM-like pass with `nthreads` threads over
 *   n doubles: which = 0 read (sum of b; returned), 1 copy (a = b),
 *   2 triad (a = b + 3 c).  Bytes moved: 8n, 16n, 24n.  Returns -1 if `arch`
 *   is not supported.  a, b, c must not overlap.
 */
#ifndef FASTLA_PROBE_H
#define FASTLA_PROBE_H
#include "fastla/types.h"
#ifdef __cplusplus
extern "C" {
#endif
double fastla_probe_fma(fastla_arch arch, int dtype_bits, long iters, int nthreads);
double fastla_probe_stream(fastla_arch arch, int which, double *a, const double *b,
                           const double *c, fastla_index n, int nthreads);
#ifdef __cplusplus
}
#endif
#endif
