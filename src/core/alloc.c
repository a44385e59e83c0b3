/* Allocation that never fails quietly, and array growth (alloc.h). */
#include "core/alloc.h"

#include <stdint.h>
#include <unistd.h>

#include <jansson.h>

/* the one file that calls the C library's allocator (core/banned.h bans it elsewhere) */
#undef malloc
#undef calloc
#undef realloc

_Noreturn void wg_oom(size_t n)
{
    char msg[96];
    int len = snprintf(msg, sizeof msg, "wangge: out of memory allocating %zu bytes\n", n);
    /* write(2): stdio may itself need memory */
    if (len > 0 && write(2, msg, (size_t)len) < 0)
        len = 0;
    abort();
}

void *wg_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        wg_oom(n);
    return p;
}

void *wg_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        wg_oom(n * size);
    return p;
}

void *wg_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        wg_oom(n);
    return q;
}

char *wg_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(wg_malloc(n), s, n);
}

void wg_alloc_init(void)
{
    json_set_alloc_funcs(wg_malloc, free);
}

void wg_grow(void *pv, size_t *cap, size_t n, size_t elem, size_t first)
{
    void **p = pv;
    size_t ncap;
    if (n < *cap)
        return;
    ncap = *cap ? *cap : first;
    while (ncap <= n) {
        if (ncap > SIZE_MAX / 2 / elem)
            wg_oom(SIZE_MAX);
        ncap *= 2;
    }
    *p = wg_realloc(*p, ncap * elem);
    *cap = ncap;
}
