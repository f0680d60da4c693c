/*
 * frame/threads.c -- thread-count state (include/fastla/runtime.h).
 * fastla's setting is global; OpenMP's nthreads-var of the calling thread
 * caps it, which is how threadpoolctl's limits reach fastla's kernels.
 */
#include "threads.h"

static int fastla_threads_setting = 0;   /* 0: follow OpenMP */
static int fastla_omp_default = 0;       /* omp_get_max_threads() at first use */

static void remember_default(void)
{
#ifdef _OPENMP
    if (fastla_omp_default == 0) fastla_omp_default = omp_get_max_threads();
#endif
}

void fastla_set_num_threads(int n)
{
#ifdef _OPENMP
    remember_default();
    fastla_threads_setting = n > 0 ? n : 0;
    omp_set_num_threads(n > 0 ? n : fastla_omp_default);
#else
    (void)n;
    fastla_threads_setting = 0;
#endif
}

int fastla_get_num_threads(void)
{
#ifdef _OPENMP
    int omp = omp_get_max_threads();
    if (fastla_threads_setting > 0 && fastla_threads_setting < omp) return fastla_threads_setting;
    return omp;
#else
    return 1;
#endif
}

void fastla_threads_save(int state[2])
{
    state[0] = fastla_threads_setting;
#ifdef _OPENMP
    state[1] = omp_get_max_threads();
#else
    state[1] = 1;
#endif
}

void fastla_threads_restore(const int state[2])
{
    fastla_threads_setting = state[0] > 0 ? state[0] : 0;
#ifdef _OPENMP
    omp_set_num_threads(state[1] > 0 ? state[1] : 1);
#endif
}
