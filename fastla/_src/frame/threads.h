/*
 * frame/threads.h -- the one place that knows whether OpenMP is compiled in.
 * Loop nests use FASTLA_OMP_* helpers and fastla_team_size(); without OpenMP
 * they compile to serial code.
 */
#ifndef FASTLA_FRAME_THREADS_H
#define FASTLA_FRAME_THREADS_H

#include "fastla/runtime.h"

#ifdef _OPENMP
#include <omp.h>
#define FASTLA_OMP_TID() omp_get_thread_num()
#define FASTLA_OMP_NT() omp_get_num_threads()
#else
#define FASTLA_OMP_TID() 0
#define FASTLA_OMP_NT() 1
#endif

/* Threads worth starting for `work` units when one thread should get at
 * least `grain` units: 1 below 2*grain (a parallel region costs a few
 * microseconds; grains are measured per kernel), never more than
 * fastla_get_num_threads(). */
static inline int fastla_team_size(double work, double grain)
{
    int nt = fastla_get_num_threads();
    if (nt <= 1 || work < 2.0 * grain) return 1;
#ifdef _OPENMP
    if (omp_in_parallel()) return 1;   /* called from a kernel's own team: no nesting */
#endif
    double fit = work / grain;
    return fit < (double)nt ? (int)fit : nt;
}

/* [*lo, *hi): the part of [0, n) that thread `tid` of `nt` owns, split into
 * chunks that are multiples of `align` (except the last). */
static inline void fastla_split(fastla_index n, fastla_index align, int tid, int nt,
                                fastla_index *lo, fastla_index *hi)
{
    fastla_index blocks = (n + align - 1) / align;
    fastla_index b0 = blocks * tid / nt, b1 = blocks * (tid + 1) / nt;
    *lo = b0 * align < n ? b0 * align : n;
    *hi = b1 * align < n ? b1 * align : n;
}

#endif
