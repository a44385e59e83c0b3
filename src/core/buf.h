/* A growable byte string with a size cap and a sticky error (after curl's dynbuf):
 * once an append fails (cap reached or no memory) every later append is a no-op and
 * wg_buf_rc() tells why, so callers check once at the end. Never truncates silently. */
#ifndef WG_CORE_BUF_H
#define WG_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct wg_buf {
    char *ptr; /* always NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap; /* allocated */
    size_t max; /* size cap; 0 means the default of 1 GiB */
    enum wg_rc rc;
};

void wg_buf_init(struct wg_buf *b, size_t max);
void wg_buf_release(struct wg_buf *b);
void wg_buf_reset(struct wg_buf *b); /* keeps memory, clears contents and error */
enum wg_rc wg_buf_add(struct wg_buf *b, const void *p, size_t n);
/* Makes room for n more bytes at once (fewer reallocations for an answer of known size). */
enum wg_rc wg_buf_reserve(struct wg_buf *b, size_t n);
enum wg_rc wg_buf_adds(struct wg_buf *b, const char *s);
enum wg_rc wg_buf_addf(struct wg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum wg_rc wg_buf_vaddf(struct wg_buf *b, const char *fmt, va_list ap);
/* Returns owned contents (NUL-terminated, never NULL) and resets b. */
char *wg_buf_detach(struct wg_buf *b, size_t *len);
static inline enum wg_rc wg_buf_rc(const struct wg_buf *b)
{
    return b->rc;
}
static inline const char *wg_buf_str(const struct wg_buf *b)
{
    return b->ptr ? b->ptr : "";
}

#endif
