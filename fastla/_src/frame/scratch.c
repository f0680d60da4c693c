/*
 * frame/scratch.c -- the per-thread cached workspace (frame/scratch.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include "scratch.h"

typedef struct {
    void *block;      /* cached block, or NULL */
    size_t capacity;  /* its size in bytes */
    int lent;         /* 1 while a caller holds it */
} scratch_cache;

static _Thread_local scratch_cache cache;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* Frees the thread's cached block when the thread exits. */
static void make_exit_key(void) { (void)pthread_key_create(&exit_key, free); }

static void *aligned_alloc64(size_t bytes)
{
    void *p = NULL;
    bytes = (bytes + 63) & ~(size_t)63;
    if (bytes == 0) bytes = 64;
    return posix_memalign(&p, 64, bytes) == 0 ? p : NULL;
}

void *fastla_scratch_acquire(size_t bytes)
{
    if (bytes > FASTLA_SCRATCH_CACHED || cache.lent) return aligned_alloc64(bytes);
    if (cache.capacity < bytes) {
        /* Grow to the cap at once: small products then never reallocate. */
        void *p = aligned_alloc64(FASTLA_SCRATCH_CACHED);
        if (!p) return NULL;
        free(cache.block);
        cache.block = p;
        cache.capacity = FASTLA_SCRATCH_CACHED;
        (void)pthread_once(&exit_key_once, make_exit_key);
        (void)pthread_setspecific(exit_key, p);
    }
    cache.lent = 1;
    return cache.block;
}

void fastla_scratch_release(void *p)
{
    if (p == NULL) return;
    if (p == cache.block) cache.lent = 0;
    else free(p);
}
