/*
 * frame/probe.c -- machine-limit probes behind `python -m fastla bench`
 * (declared in include/fastla/probe.h).  Each runs the chosen ISA's probe
 * kernel on `nthreads` threads at once; the caller times the call.
 */
#include "fastla/probe.h"
#include "../config/table.h"
#include "threads.h"

double fastla_probe_fma(fastla_arch arch, int dtype_bits, long iters, int nthreads)
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1.0;
    double total = 0;
    int lanes = (dtype_bits == 64) ? t->probe.lanes_d : t->probe.lanes_s;
#pragma omp parallel num_threads(nthreads) reduction(+ : total)
    {
        double r = (dtype_bits == 64) ? t->probe.fma_d(iters) : t->probe.fma_s(iters);
        (void)r;      /* the kernel returns its chains so they cannot be optimized away */
        total += 1.0; /* each thread counts once */
    }
    /* flops = threads * 2 * lanes * 12 chains * iters */
    return total * 2.0 * lanes * 12.0 * (double)iters;
}

double fastla_probe_stream(fastla_arch arch, int which, double *a, const double *b,
                           const double *c, fastla_index n, int nthreads)
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (!t) return -1.0;
    double total = 0;
#pragma omp parallel num_threads(nthreads) reduction(+ : total)
    {
        fastla_index lo, hi;
        fastla_split(n, 1024, FASTLA_OMP_TID(), FASTLA_OMP_NT(), &lo, &hi);
        if (which == 0) total += t->probe.read_d(b + lo, hi - lo);
        else if (which == 1) t->probe.copy_d(a + lo, b + lo, hi - lo);
        else t->probe.triad_d(a + lo, b + lo, c + lo, 3.0, hi - lo);
    }
    return total;
}
