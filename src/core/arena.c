/* Chunked bump allocator with a cleanup list. */
#include "core/arena.h"
#include "core/alloc.h"

#include <stdarg.h>
#include <stdint.h>

#define CHUNK 8192

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *p;
};

struct wg_arena {
    struct chunk *chunks;
    struct cleanup *cleanups;
};

struct wg_arena *wg_arena_new(void)
{
    return wg_calloc(1, sizeof(struct wg_arena));
}

void wg_arena_free(struct wg_arena *a)
{
    if (!a)
        return;
    for (struct cleanup *c = a->cleanups, *n; c; c = n) {
        n = c->next;
        c->fn(c->p);
    }
    for (struct chunk *c = a->chunks, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *wg_arena_alloc(struct wg_arena *a, size_t n)
{
    struct chunk *c = a->chunks;
    size_t need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    char *p;
    if (need < n)
        wg_oom(n);
    if (!c || c->size - c->used < need) {
        size_t size = need > CHUNK ? need : CHUNK;
        c = wg_malloc(sizeof *c + size);
        c->used = 0;
        c->size = size;
        /* a big allocation gets its own chunk behind the current one, keeping its free tail */
        if (need > CHUNK && a->chunks) {
            c->next = a->chunks->next;
            a->chunks->next = c;
        } else {
            c->next = a->chunks;
            a->chunks = c;
        }
    }
    p = (char *)c->data + c->used;
    c->used += need;
    memset(p, 0, n);
    return p;
}

char *wg_arena_strdup(struct wg_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(wg_arena_alloc(a, n), s, n);
}

char *wg_arena_printf(struct wg_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    char *p;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = n < 0 ? NULL : wg_arena_alloc(a, (size_t)n + 1); /* NULL: a bad format */
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void *wg_arena_defer(struct wg_arena *a, void (*fn)(void *), void *p)
{
    struct cleanup *c = wg_arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->p = p;
    c->next = a->cleanups;
    a->cleanups = c;
    return p;
}
