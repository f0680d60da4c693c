/*
 * frame/scratch.h -- aligned workspace for the loop nests.
 *
 * fastla_scratch_acquire(bytes) returns a 64-byte aligned buffer of at least
 * `bytes` bytes (NULL when out of memory).  Each thread keeps up to
 * FASTLA_SCRATCH_SLOTS cached blocks, so a kernel called again pays neither
 * malloc/free nor the page faults of fresh memory (a 6 MB Winograd workspace
 * allocated per call costs more page faults than its own arithmetic).
 *
 * - A request of at most FASTLA_SCRATCH_KEEP bytes is served from a free slot
 *   of this thread: one already large enough, else the emptiest free slot is
 *   regrown to max(bytes, FASTLA_SCRATCH_MIN) (so small products never
 *   reallocate), as long as the thread's slots then hold at most
 *   FASTLA_SCRATCH_TOTAL bytes.
 * - A block is lent to one caller at a time; a nested kernel asking while
 *   every slot is lent, or a larger request, gets a plain allocation, freed
 *   on release.  A regrow that would pass the total first frees the other
 *   idle slots, and takes a plain allocation if it still would.
 * - A thread's blocks are freed when it exits (pages it touched stay
 *   resident until then: at most FASTLA_SCRATCH_TOTAL per thread).  The
 *   main thread and the OpenMP pool's threads live as long as the process,
 *   and so do their blocks.
 * - Blocks of 2 MB or more are 2 MB aligned and asked for huge pages.
 *
 * Every acquired pointer must be released exactly once, by the thread that
 * acquired it, with fastla_scratch_release.  Cost: O(slots) when cached;
 * malloc (and the first touch of its pages) otherwise.
 */
#ifndef FASTLA_FRAME_SCRATCH_H
#define FASTLA_FRAME_SCRATCH_H

#include <stddef.h>

#define FASTLA_SCRATCH_SLOTS 6
#define FASTLA_SCRATCH_MIN ((size_t)1 << 20)
#define FASTLA_SCRATCH_KEEP ((size_t)32 << 20)
#define FASTLA_SCRATCH_TOTAL ((size_t)64 << 20)

void *fastla_scratch_acquire(size_t bytes);

/* A fresh block of at least `bytes` bytes, 64-byte aligned; one of 2 MB or
 * more is 2 MB aligned and asks the kernel for transparent huge pages
 * (Linux; a hint, ignored elsewhere): 512 times fewer page faults and TLB
 * entries.  NULL when out of memory.  Freed with free(). */
void *fastla_aligned_alloc(size_t bytes);
void fastla_scratch_release(void *p);

/* Frees the calling thread's idle cached blocks; returns their bytes. */
size_t fastla_scratch_trim(void);

/* For the tests: the bytes this thread's slots hold (and in *lent, unless
 * NULL, how many are lent), and how many threads' caches were freed at
 * thread exit so far. */
size_t fastla_scratch_held(int *lent);
long fastla_scratch_exits(void);

#endif
