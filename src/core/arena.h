/* A per-request arena (after nginx's pool): allocations live until the arena is destroyed,
 * and objects that need a destructor (json_t, shapes) register a cleanup, so handlers never
 * write cleanup code of their own. */
#ifndef WG_CORE_ARENA_H
#define WG_CORE_ARENA_H

#include <stddef.h>

struct wg_arena;

struct wg_arena *wg_arena_new(void);
void wg_arena_free(struct wg_arena *a); /* runs cleanups in reverse order, frees memory */
void *wg_arena_alloc(struct wg_arena *a, size_t n); /* zeroed; never NULL (core/alloc.h) */
char *wg_arena_strdup(struct wg_arena *a, const char *s);
char *wg_arena_printf(struct wg_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Calls fn(p) when the arena is freed; returns p. */
void *wg_arena_defer(struct wg_arena *a, void (*fn)(void *), void *p);

#endif
