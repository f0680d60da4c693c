/*
 * frame/outcache.c -- the cache of large result buffers (frame/outcache.h).
 *
 * Every block carries a 64-byte header in front of the caller's pointer:
 * the pointer malloc gave and the capacity after the header, so a block
 * can be recognised and sized from the pointer alone (NumPy's free passes
 * the size the array asked for, not the capacity a reused block has).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "outcache.h"
#include "scratch.h"

#define HDR 64

typedef struct {
    void *base;          /* what fastla_aligned_alloc returned */
    size_t capacity;     /* usable bytes after the header */
} block_hdr;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *kept[FASTLA_OUTCACHE_SLOTS];   /* user pointers, oldest first */
static int nkept = 0;
static size_t held = 0;                      /* their capacities */
static size_t min_bytes = FASTLA_OUTCACHE_MIN;
static size_t total_bytes = FASTLA_OUTCACHE_TOTAL;
static int configured = 0;

static block_hdr *hdr_of(void *p) { return (block_hdr *)((char *)p - HDR); }

/* The total from FASTLA_OUTPUT_CACHE_MB, read once (under the lock). */
static void configure(void)
{
    if (configured) return;
    configured = 1;
    const char *env = getenv("FASTLA_OUTPUT_CACHE_MB");
    if (env && *env) {
        char *end = NULL;
        long long mb = strtoll(env, &end, 10);
        if (end && *end == '\0' && mb >= 0 && mb <= ((long long)1 << 40))
            total_bytes = (size_t)mb << 20;
    }
}

/* Frees kept[i] and closes the gap (lock held). */
static size_t drop(int i)
{
    block_hdr *h = hdr_of(kept[i]);
    const size_t cap = h->capacity;
    held -= cap;
    free(h->base);
    memmove(kept + i, kept + i + 1, (size_t)(nkept - i - 1) * sizeof(void *));
    --nkept;
    return cap;
}

void *fastla_outcache_alloc(size_t bytes, int zero)
{
    void *p = NULL;
    if (bytes == 0) bytes = 1;
    pthread_mutex_lock(&lock);
    configure();
    if (bytes >= min_bytes) {        /* the smallest kept block that fits, newest first on ties */
        int best = -1;
        for (int i = nkept - 1; i >= 0; --i) {
            const size_t cap = hdr_of(kept[i])->capacity;
            if (cap >= bytes && cap - bytes <= bytes / 4 &&
                (best < 0 || cap < hdr_of(kept[best])->capacity))
                best = i;
        }
        if (best >= 0) {
            p = kept[best];
            held -= hdr_of(p)->capacity;
            memmove(kept + best, kept + best + 1, (size_t)(nkept - best - 1) * sizeof(void *));
            --nkept;
        }
    }
    pthread_mutex_unlock(&lock);
    if (p) {
        if (zero) memset(p, 0, bytes);
        return p;
    }
    if (bytes > SIZE_MAX - 2 * HDR) return NULL;
    void *base = fastla_aligned_alloc(bytes + HDR);
    if (!base) return NULL;
    if (zero) memset(base, 0, bytes + HDR);
    p = (char *)base + HDR;
    block_hdr *h = hdr_of(p);
    h->base = base;
    h->capacity = bytes;
    return p;
}

void fastla_outcache_free(void *p)
{
    if (!p) return;
    block_hdr *h = hdr_of(p);
    void *to_free = h->base;
    pthread_mutex_lock(&lock);
    configure();
    if (h->capacity >= min_bytes && h->capacity <= total_bytes) {
        /* room: drop the oldest kept blocks while over the total or the slots */
        while (nkept > 0 && (held + h->capacity > total_bytes || nkept == FASTLA_OUTCACHE_SLOTS))
            (void)drop(0);
        kept[nkept++] = p;
        held += h->capacity;
        to_free = NULL;
    }
    pthread_mutex_unlock(&lock);
    free(to_free);
}

void *fastla_outcache_realloc(void *p, size_t bytes)
{
    if (!p) return fastla_outcache_alloc(bytes, 0);
    const size_t cap = hdr_of(p)->capacity;
    if (bytes <= cap && cap - bytes <= bytes / 4) return p;    /* still a fit */
    void *q = fastla_outcache_alloc(bytes, 0);
    if (!q) return NULL;                                        /* p stays valid */
    memcpy(q, p, cap < bytes ? cap : bytes);
    fastla_outcache_free(p);
    return q;
}

size_t fastla_outcache_trim(void)
{
    size_t freed = 0;
    pthread_mutex_lock(&lock);
    while (nkept > 0) freed += drop(nkept - 1);
    pthread_mutex_unlock(&lock);
    return freed;
}

size_t fastla_outcache_held(void)
{
    pthread_mutex_lock(&lock);
    const size_t h = held;
    pthread_mutex_unlock(&lock);
    return h;
}

size_t fastla_outcache_min_bytes(void)
{
    pthread_mutex_lock(&lock);
    const size_t m = min_bytes;
    pthread_mutex_unlock(&lock);
    return m;
}

long long fastla_outcache_limits(long long new_min, long long new_total)
{
    pthread_mutex_lock(&lock);
    configure();
    const long long old = (long long)total_bytes;
    if (new_min >= 0) min_bytes = (size_t)new_min;
    if (new_total >= 0) total_bytes = (size_t)new_total;
    for (int i = nkept - 1; i >= 0; --i)     /* what no longer fits goes */
        if (hdr_of(kept[i])->capacity < min_bytes) (void)drop(i);
    while (nkept > 0 && held > total_bytes) (void)drop(0);
    pthread_mutex_unlock(&lock);
    return old;
}
