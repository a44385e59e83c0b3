/* Error codes and the error carrier every fallible function takes last.
 * A code says what kind of failure it was (and so which HTTP status it maps to);
 * the message says what failed and quotes the subject, for the person reading it. */
#ifndef WG_CORE_ERR_H
#define WG_CORE_ERR_H

enum wg_rc {
    WG_OK = 0,
    WG_EINVAL,     /* bad input from the caller: 400 */
    WG_ENOTFOUND,  /* 404 */
    WG_ECONFLICT,  /* 409: state or uniqueness conflict */
    WG_EFORBIDDEN, /* 403 */
    WG_EUNAUTH,    /* 401 */
    WG_ETOOBIG,    /* 413 */
    WG_EPRECOND,   /* 412: stale version */
    WG_ERATE,      /* 429 */
    WG_EDB,        /* 500: store failure */
    WG_EIO,        /* 500: file or system failure */
    WG_EINTERNAL,  /* 500 */
    WG_EUNAVAIL,   /* 503 */
    WG_RC_COUNT
};

struct wg_err {
    enum wg_rc rc;
    char msg[512];
};

/* Sets err (when not NULL) and returns rc, so callers can `return wg_err_set(...)`. */
enum wg_rc wg_err_set(struct wg_err *err, enum wg_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the message already in err with more context ("line 3: ..."). */
void wg_err_prefix(struct wg_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a second failure to the message already in err: "<first> (and <more's message>)";
 * the code stays the first one's. */
void wg_err_also(struct wg_err *err, const struct wg_err *more);
void wg_err_clear(struct wg_err *err);

const char *wg_rc_code(enum wg_rc rc); /* "not_found" */
int wg_rc_http_status(enum wg_rc rc);  /* 404 */

#endif
