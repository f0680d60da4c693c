/*
 * frame/scratch.c -- the per-thread cached workspace (frame/scratch.h).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include "scratch.h"

typedef struct {
    void *block;      /* cached block, or NULL */
    size_t capacity;  /* its size in bytes */
    int lent;         /* 1 while a caller holds it */
} scratch_slot;

typedef struct {
    scratch_slot slot[FASTLA_SCRATCH_SLOTS];
    int registered;   /* 1 once the exit destructor knows this cache */
} scratch_cache;

static _Thread_local scratch_cache cache;
static pthread_key_t exit_key;
static int exit_key_ok = 0;          /* pthread_key_create succeeded */
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static long caches_freed = 0;        /* caches freed at thread exit (tests) */

/* Frees a thread's cached blocks when it exits. */
static void free_cache(void *p)
{
    scratch_cache *c = (scratch_cache *)p;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) {
        free(c->slot[i].block);
        c->slot[i].block = NULL;
        c->slot[i].capacity = 0;
        c->slot[i].lent = 0;
    }
    c->registered = 0;               /* a later acquire on this thread registers again */
    __atomic_add_fetch(&caches_freed, 1, __ATOMIC_RELAXED);
}

static void make_exit_key(void) { exit_key_ok = pthread_key_create(&exit_key, free_cache) == 0; }

#ifndef FASTLA_SCRATCH_HUGE
#define FASTLA_SCRATCH_HUGE 1
#endif
#define HUGE_PAGE ((size_t)2 << 20)

void *fastla_aligned_alloc(size_t bytes)      /* scratch.h */
{
    void *p = NULL;
    if (bytes > SIZE_MAX - HUGE_PAGE) return NULL;     /* the roundings below would wrap */
    bytes = (bytes + 63) & ~(size_t)63;
    if (bytes == 0) bytes = 64;
#if FASTLA_SCRATCH_HUGE && defined(MADV_HUGEPAGE)
    if (bytes >= HUGE_PAGE) {
        bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        if (posix_memalign(&p, HUGE_PAGE, bytes) != 0) return NULL;
        (void)madvise(p, bytes, MADV_HUGEPAGE);
        return p;
    }
#endif
    return posix_memalign(&p, 64, bytes) == 0 ? p : NULL;
}

void *fastla_scratch_acquire(size_t bytes)
{
    if (bytes > FASTLA_SCRATCH_KEEP) return fastla_aligned_alloc(bytes);
    scratch_slot *pick = NULL;      /* a free slot: the smallest that fits, else the emptiest */
    size_t total = 0;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) {
        scratch_slot *s = cache.slot + i;
        total += s->capacity;
        if (s->lent) continue;
        if (s->capacity >= bytes) {
            if (!pick || pick->capacity < bytes || s->capacity < pick->capacity) pick = s;
        } else if (!pick || (pick->capacity < bytes && s->capacity < pick->capacity)) {
            pick = s;
        }
    }
    if (!pick) return fastla_aligned_alloc(bytes);
    if (pick->capacity < bytes) {
        const size_t want = bytes > FASTLA_SCRATCH_MIN ? bytes : FASTLA_SCRATCH_MIN;
        /* over the total: drop the other idle blocks first (no stale block
           keeps later calls out of the cache for good) */
        for (int i = 0; i < FASTLA_SCRATCH_SLOTS &&
                        total - pick->capacity + want > FASTLA_SCRATCH_TOTAL; ++i) {
            scratch_slot *s = cache.slot + i;
            if (s == pick || s->lent || !s->block) continue;
            total -= s->capacity;
            free(s->block);
            s->block = NULL;
            s->capacity = 0;
        }
        if (total - pick->capacity + want > FASTLA_SCRATCH_TOTAL) return fastla_aligned_alloc(bytes);
        free(pick->block);          /* regrow: the old contents are not kept */
        pick->block = NULL;
        pick->capacity = 0;
        void *p = fastla_aligned_alloc(want);
        if (!p) return NULL;
        pick->block = p;
        pick->capacity = want;
        if (!cache.registered) {
            (void)pthread_once(&exit_key_once, make_exit_key);
            cache.registered = exit_key_ok && pthread_setspecific(exit_key, &cache) == 0;
        }
    }
    pick->lent = 1;
    return pick->block;
}

void fastla_scratch_release(void *p)
{
    if (p == NULL) return;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i)
        if (cache.slot[i].block == p) {   /* a cached block is never freed here */
            cache.slot[i].lent = 0;
            return;
        }
    free(p);
}

size_t fastla_scratch_trim(void)
{
    size_t freed = 0;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) {
        scratch_slot *s = cache.slot + i;
        if (s->lent || !s->block) continue;
        freed += s->capacity;
        free(s->block);
        s->block = NULL;
        s->capacity = 0;
    }
    return freed;
}

size_t fastla_scratch_held(int *lent)
{
    size_t total = 0;
    int n = 0;
    for (int i = 0; i < FASTLA_SCRATCH_SLOTS; ++i) {
        total += cache.slot[i].capacity;
        n += cache.slot[i].lent;
    }
    if (lent) *lent = n;
    return total;
}

long fastla_scratch_exits(void) { return __atomic_load_n(&caches_freed, __ATOMIC_RELAXED); }
