/*
 * frame/threads.c -- thread-count state (include/fastla/runtime.h).
 * fastla's setting is global; OpenMP's nthreads-var of the calling thread
 * caps it, which is how threadpoolctl's limits reach fastla's kernels.  A
 * scoped count (`with fastla.threads(n)`) is the calling thread's own and
 * takes precedence over both.
 */
#include "threads.h"
#include "scratch.h"

static int fastla_threads_setting = 0;   /* 0: follow OpenMP */
static int fastla_omp_default = 0;       /* omp_get_max_threads() when the library loads */
/* `with fastla.threads(n)`: the calling thread's own count (0: none), so
 * overlapping blocks in different threads neither see nor undo each other. */
static _Thread_local int fastla_threads_scoped = 0;

static void remember_default(void)
{
#ifdef _OPENMP
    if (fastla_omp_default == 0) fastla_omp_default = omp_get_max_threads();
#endif
}

/* The default is OpenMP's count when the library is loaded, not whatever
 * limit is in force in the thread that first calls set_num_threads. */
__attribute__((constructor)) static void fastla_threads_load(void) { remember_default(); }

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
    if (fastla_threads_scoped > 0) return fastla_threads_scoped;
    int omp = omp_get_max_threads();
    if (fastla_threads_setting > 0 && fastla_threads_setting < omp) return fastla_threads_setting;
    return omp;
#else
    return 1;
#endif
}

size_t fastla_release_workspace(void)
{
    size_t freed = fastla_scratch_trim();
#ifdef _OPENMP
    const int nt = fastla_get_num_threads();
    if (nt > 1) {
#pragma omp parallel num_threads(nt) reduction(+ : freed)
        if (omp_get_thread_num() != 0) freed += fastla_scratch_trim();
    }
#endif
    return freed;
}

void fastla_threads_save(int state[2])
{
    state[0] = fastla_threads_scoped;
    state[1] = 0;
}

void fastla_threads_restore(const int state[2])
{
#ifdef _OPENMP
    fastla_threads_scoped = state[0] > 0 ? state[0] : 0;
#else
    (void)state;
#endif
}
