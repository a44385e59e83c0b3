/* Growable byte string with a cap and a sticky error. */
#include "core/buf.h"
#include "core/alloc.h"

#define DEFAULT_MAX ((size_t)1 << 30)

void wg_buf_init(struct wg_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : DEFAULT_MAX;
    b->rc = WG_OK;
}

void wg_buf_release(struct wg_buf *b)
{
    free(b->ptr);
    wg_buf_init(b, b->max);
}

void wg_buf_reset(struct wg_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
    b->rc = WG_OK;
}

static enum wg_rc grow(struct wg_buf *b, size_t need)
{
    size_t ncap;
    char *p;
    if (need + 1 <= b->cap)
        return WG_OK;
    if (need > b->max)
        return b->rc = WG_ETOOBIG;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need + 1)
        ncap *= 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    p = wg_realloc(b->ptr, ncap);
    b->ptr = p;
    b->cap = ncap;
    return WG_OK;
}

enum wg_rc wg_buf_reserve(struct wg_buf *b, size_t n)
{
    if (b->rc)
        return b->rc;
    if (n > b->max - b->len)
        return b->rc = WG_ETOOBIG;
    return grow(b, b->len + n);
}

enum wg_rc wg_buf_add(struct wg_buf *b, const void *p, size_t n)
{
    if (b->rc)
        return b->rc;
    if (n > b->max - b->len)
        return b->rc = WG_ETOOBIG;
    if (grow(b, b->len + n))
        return b->rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return WG_OK;
}

enum wg_rc wg_buf_adds(struct wg_buf *b, const char *s)
{
    return wg_buf_add(b, s, strlen(s));
}

enum wg_rc wg_buf_vaddf(struct wg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    if (b->rc)
        return b->rc;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return b->rc = WG_EINTERNAL;
    if ((size_t)n > b->max - b->len)
        return b->rc = WG_ETOOBIG;
    if (grow(b, b->len + (size_t)n))
        return b->rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return WG_OK;
}

enum wg_rc wg_buf_addf(struct wg_buf *b, const char *fmt, ...)
{
    va_list ap;
    enum wg_rc rc;
    va_start(ap, fmt);
    rc = wg_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *wg_buf_detach(struct wg_buf *b, size_t *len)
{
    char *p;
    if (!b->ptr)
        grow(b, 0); /* room for the NUL: never over a cap */
    b->ptr[b->len] = '\0';
    p = b->ptr;
    if (len)
        *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->rc = WG_OK;
    return p;
}
