/* Growing arrays by doubling: the one place that does the realloc dance. */
#ifndef WG_CORE_ALLOC_H
#define WG_CORE_ALLOC_H

#include <stddef.h>

/* Makes room in the array at *(void **)pv (cap elements of elem bytes) for at least n + 1
 * elements, doubling from `first`. Returns 0, or -1 when out of memory (the array is then
 * unchanged). */
int wg_grow(void *pv, size_t *cap, size_t n, size_t elem, size_t first);

#endif
