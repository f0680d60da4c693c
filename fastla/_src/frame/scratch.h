/*
 * frame/scratch.h -- aligned workspace for the loop nests.
 *
 * fastla_scratch_acquire(bytes) returns a 64-byte aligned buffer of at least
 * `bytes` bytes (NULL when out of memory).  Requests up to
 * FASTLA_SCRATCH_CACHED bytes reuse a block cached per calling thread, so a
 * small product pays no malloc/free; the block is lent to one caller at a
 * time (a nested kernel asking while it is lent gets a fresh allocation),
 * grows when asked for more, and is freed when the thread exits.  Larger
 * requests are plain allocations.  Every acquired pointer must be released
 * exactly once, by the thread that acquired it, with
 * fastla_scratch_release.  Cost: O(1) when cached; malloc otherwise.
 */
#ifndef FASTLA_FRAME_SCRATCH_H
#define FASTLA_FRAME_SCRATCH_H

#include <stddef.h>

#define FASTLA_SCRATCH_CACHED ((size_t)1 << 20)

void *fastla_scratch_acquire(size_t bytes);
void fastla_scratch_release(void *p);

#endif
