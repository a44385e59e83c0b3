/* Array growth. */
#include "core/alloc.h"

#include <stdint.h>

int wg_grow(void *pv, size_t *cap, size_t n, size_t elem, size_t first)
{
    void **p = pv;
    size_t ncap;
    void *np;
    if (n < *cap)
        return 0;
    ncap = *cap ? *cap : first;
    while (ncap <= n) {
        if (ncap > SIZE_MAX / 2 / elem)
            return -1;
        ncap *= 2;
    }
    np = realloc(*p, ncap * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}
