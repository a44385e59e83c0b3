/* The one table from error codes to API codes and HTTP statuses. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *code;
    int status;
} table[WG_RC_COUNT] = {
    [WG_OK] = {"ok", 200},
    [WG_EINVAL] = {"invalid", 400},
    [WG_ENOTFOUND] = {"not_found", 404},
    [WG_ECONFLICT] = {"conflict", 409},
    [WG_EFORBIDDEN] = {"forbidden", 403},
    [WG_EUNAUTH] = {"unauthorized", 401},
    [WG_ETOOBIG] = {"too_large", 413},
    [WG_EPRECOND] = {"precondition_failed", 412},
    [WG_ERATE] = {"rate_limited", 429},
    [WG_EDB] = {"store_error", 500},
    [WG_EIO] = {"io_error", 500},
    [WG_EINTERNAL] = {"internal", 500},
    [WG_EUNAVAIL] = {"unavailable", 503},
};

enum wg_rc wg_err_set(struct wg_err *err, enum wg_rc rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->rc = rc;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

void wg_err_prefix(struct wg_err *err, const char *fmt, ...)
{
    char pre[256], old[sizeof err->msg];
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old);
}

void wg_err_also(struct wg_err *err, const struct wg_err *more)
{
    size_t n;
    if (!err)
        return;
    n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, " (and %s)", more->msg);
}

void wg_err_clear(struct wg_err *err)
{
    if (err) {
        err->rc = WG_OK;
        err->msg[0] = '\0';
    }
}

const char *wg_rc_code(enum wg_rc rc)
{
    return (unsigned)rc < WG_RC_COUNT ? table[rc].code : "internal";
}

int wg_rc_http_status(enum wg_rc rc)
{
    return (unsigned)rc < WG_RC_COUNT ? table[rc].status : 500;
}
