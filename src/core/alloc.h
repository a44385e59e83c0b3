/* Memory: the one out-of-memory policy and the one way to grow an array. wangge does not try
 * to carry on without memory — a half-built answer or a half-written change is worse than a
 * restart, and the store's commits are durable — so an allocation that fails stops the
 * process with a message saying how much was asked for (as git's xmalloc and redis's
 * zmalloc do). None of these ever returns NULL; callers do not check. The binary's main
 * routes jansson's allocations through wg_malloc too (wg_alloc_init), so its constructors
 * fail only on bad input. */
#ifndef WG_CORE_ALLOC_H
#define WG_CORE_ALLOC_H

#include <stddef.h>

void *wg_malloc(size_t n);
void *wg_calloc(size_t n, size_t size);
void *wg_realloc(void *p, size_t n);
char *wg_strdup(const char *s);
/* Stops the process: "out of memory allocating N bytes". */
_Noreturn void wg_oom(size_t n);
/* Routes jansson's allocations through wg_malloc; called once, first thing in main. */
void wg_alloc_init(void);

/* Makes room in the array at *(void **)pv (cap elements of elem bytes) for at least n + 1
 * elements, doubling from `first`. */
void wg_grow(void *pv, size_t *cap, size_t n, size_t elem, size_t first);

#endif
