/*
 * frame/outcache.h -- a process-wide cache of large result buffers.
 *
 * The arrays fastla returns (im2col's columns, conv2d's output, a matmul's
 * C, ...) are NumPy arrays whose memory comes from these functions when they
 * are large (fastla/_outcache.pyx installs them as the array's NumPy memory
 * handler for that one allocation).  glibc serves blocks up to 32 MB from
 * its heap once they have been freed, but maps larger ones afresh each time,
 * and the kernel zeroes every page of a fresh mapping on first touch: for a
 * 58 MB im2col that costs more than the copy itself (fresh output 17-23 GB/s
 * against 39-45 into a reused one, 2 threads).  Here a freed block of
 * FASTLA_OUTCACHE_MIN bytes or more is kept, up to a total (by default
 * FASTLA_OUTCACHE_TOTAL, or FASTLA_OUTPUT_CACHE_MB from the environment; 0
 * turns the cache off), and the next request it fits (its capacity within
 * [bytes, bytes + bytes/4]) gets it back, pages already mapped.
 *
 * - fastla_outcache_alloc(bytes, zero) returns a 64-byte aligned block of at
 *   least `bytes` bytes, zero-filled when `zero`, NULL when out of memory.
 *   Blocks of at least FASTLA_OUTCACHE_MIN bytes are 2 MB aligned and asked
 *   for huge pages.
 * - fastla_outcache_free(p) takes back any block fastla_outcache_alloc gave
 *   (NULL is ignored): kept when it is large and fits under the total (the
 *   oldest kept blocks are freed to make room), freed otherwise.
 * - fastla_outcache_realloc(p, bytes): p itself when it still fits, else a
 *   new block holding p's first min(capacity, bytes) bytes (p is taken
 *   back); NULL, p untouched, when out of memory.
 * - fastla_outcache_trim() frees every kept block and returns their bytes;
 *   fastla_outcache_held() says how many bytes are kept, and
 *   fastla_outcache_min_bytes() the smallest block kept.
 * - fastla_outcache_limits(min, total) sets the two sizes when >= 0 (the
 *   tests use it to reach the cache with small arrays) and returns the
 *   previous total; it trims what no longer fits.
 * Thread-safe (one mutex); O(FASTLA_OUTCACHE_SLOTS) per call plus malloc.
 */
#ifndef FASTLA_FRAME_OUTCACHE_H
#define FASTLA_FRAME_OUTCACHE_H

#include <stddef.h>

#define FASTLA_OUTCACHE_SLOTS 8
#define FASTLA_OUTCACHE_MIN ((size_t)32 << 20)
#define FASTLA_OUTCACHE_TOTAL ((size_t)256 << 20)

void *fastla_outcache_alloc(size_t bytes, int zero);
void fastla_outcache_free(void *p);
void *fastla_outcache_realloc(void *p, size_t bytes);
size_t fastla_outcache_trim(void);
size_t fastla_outcache_held(void);
size_t fastla_outcache_min_bytes(void);
long long fastla_outcache_limits(long long min_bytes, long long total_bytes);

#endif
