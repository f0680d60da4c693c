/*
 * fastla/runtime.h -- run-time CPU dispatch, threads and build facts.
 *
 * At import the Python layer calls fastla_arch_select(fastla_arch_best()),
 * or the ISA named by FASTLA_ARCH.  Every kernel entry point then goes
 * through the table of the active ISA.  Switching the ISA while kernels run
 * on other threads is not supported (tests and start-up only).
 */
#ifndef FASTLA_RUNTIME_H
#define FASTLA_RUNTIME_H

#include <stddef.h>
#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if this CPU (and OS) can run kernels of `arch` and they were built, else 0.  O(1). */
int fastla_arch_supported(fastla_arch arch);

/* 1 if `arch`'s kernel set was built as an emulation (FASTLA_EMULATE_AVX512:
 * the avx512 set compiled with AVX2 flags, so the tests can run its code on a
 * CPU without AVX-512; slow, never for use), else 0.  O(1). */
int fastla_arch_emulated(fastla_arch arch);

/* The most capable supported ISA.  O(1). */
fastla_arch fastla_arch_best(void);

/* Make `arch` the active kernel table.
 * Returns FASTLA_OK, or FASTLA_ERR_NOARCH (active table unchanged) when
 * fastla_arch_supported(arch) is 0.  Never executes an instruction of `arch`. */
fastla_status fastla_arch_select(fastla_arch arch);

/* The active ISA. */
fastla_arch fastla_arch_active(void);

/* Lower-case name of an ISA ("ref", "avx2", "avx512"); NULL if out of range. */
const char *fastla_arch_name(fastla_arch arch);

/* Threads.  fastla_set_num_threads(n > 0) sets the process-wide team size
 * of the parallel kernels (and OpenMP's nthreads-var of the calling thread,
 * so threadpoolctl sees and can lower it); n <= 0 returns to the default,
 * OpenMP's count when the library was loaded (OMP_NUM_THREADS, else all
 * cores).  fastla_get_num_threads() is the calling thread's count: its
 * scoped count (below) if it has one, else min(fastla setting,
 * omp_get_max_threads()) so that threadpoolctl limits apply.  Without
 * OpenMP everything is serial and the count is 1. */
void fastla_set_num_threads(int n);
int fastla_get_num_threads(void);

/* Scoped counts (`with fastla.threads(n)`): a count of the calling thread
 * only, which takes precedence over the process-wide setting and OpenMP's
 * limits for that thread's calls.  fastla_threads_save stores the calling
 * thread's scoped count in state[0] (0: none; state[1] is unused and 0);
 * fastla_threads_restore sets it to state[0] (<= 0: none).  Blocks in
 * different threads do not affect each other. */
void fastla_threads_save(int state[2]);
void fastla_threads_restore(const int state[2]);

/* Workspace.  The kernels keep their packing buffers and workspaces cached
 * per thread (up to 64 MB a thread) so a call again pays no allocation and
 * no page faults; the main thread and OpenMP's pool threads keep theirs for
 * the life of the process.  fastla_release_workspace() frees the idle cached
 * blocks of the calling thread and of the threads of its OpenMP team (a
 * parallel region of fastla_get_num_threads() threads, each freeing its
 * own); blocks in use by a running kernel stay.  Returns the bytes freed.
 * The next call of a kernel allocates again.  Thread-safe. */
size_t fastla_release_workspace(void);

/* 1 if compiled with OpenMP. */
int fastla_has_openmp(void);

/* The compiler that built the C core, e.g. "GCC 12.2.0". */
const char *fastla_compiler(void);

#ifdef __cplusplus
}
#endif
#endif
