/* The outgoing HTTP client: one POST (or GET) to an http:// or https:// URL over libcurl,
 * with a timeout for connecting and one for the whole exchange, cut short from another thread
 * by an atomic flag. The notification worker's webhooks use it, and the outside geocoder
 * (domain/map/geocoder.h) its GET with the answer kept. It is the only includer of
 * <curl/curl.h>: the rest of the tree sees parsed URLs, statuses and wg_err messages. */
#ifndef WG_HTTP_CLIENT_H
#define WG_HTTP_CLIENT_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/err.h"

#define WG_HTTP_URL_MAX 1024 /* bytes of a URL, with its end */

/* A parsed URL: scheme://host[:port][/path][?query]. */
struct wg_http_url {
    char scheme[6];             /* "http" or "https", lower case */
    char host[256];             /* a name, an IPv4 address, or an IPv6 address without brackets */
    char port[6];               /* "80" or "443" (by the scheme) when not given */
    char path[WG_HTTP_URL_MAX]; /* from the first '/', with the query; "/" when none */
    char authority[264];        /* host ([bracketed] if IPv6), ":port" if not the default */
};
/* Accepts http:// and https:// URLs of printable ASCII without credentials or a fragment;
 * other schemes are refused. The message quotes the URL (its first 80 bytes). */
enum wg_rc wg_http_url_parse(const char *text, struct wg_http_url *out, struct wg_err *err);
/* The URL without its query, which may carry a token, for messages and logs. */
void wg_http_url_label(const struct wg_http_url *u, char *out, size_t n);

/* s percent-encoded for a URL's query (RFC 3986: all but letters, digits and -._~), owned
 * by the caller (free()). */
char *wg_http_escape(const char *s);

/* The status of an HTTP/1.x status line at the start of buf: 100 to 599; 0 when the line is
 * not complete yet; -1 when it is not a status line. */
int wg_http_status_parse(const char *buf, size_t len);

/* Sets libcurl up for the process, once however often it is called (pthread_once). Call it
 * at start-up before threads that post are started; wg_http_post calls it too. */
enum wg_rc wg_http_client_init(struct wg_err *err);

/* An answer's body kept (a GET's): up to max bytes, NUL-terminated in data (max + 1 bytes,
 * the caller's); a longer body is WG_EIO. */
struct wg_http_answer {
    char *data;
    size_t max, len;
};

/* One POST, or a GET when get is set (body and len unused). */
struct wg_http_post {
    int get;
    struct wg_http_answer *answer; /* may be NULL: the body is read and dropped */
    const struct wg_http_url *url;
    const char *body;
    size_t len;
    /* "Name: value" lines, beside Host, Content-Length, User-Agent and Connection: close */
    const char *const *headers;
    size_t nheaders;
    int connect_timeout_ms;  /* for the TCP (and TLS) connection */
    int timeout_ms;          /* for the whole exchange, connecting included */
    const atomic_int *abort; /* may be NULL; once set, the exchange ends within 0.1 s or so */
};
/* Sends req and sets *status to the answer's status (a redirect is an answer: 3xx, not
 * followed). Without req->answer the status decides: the body is read for at most half a
 * second after it, and at most 64 KiB of it, so a receiver that keeps the connection open
 * holds nobody; with it, the whole body is read within the timeout. No
 * answer (not resolved, refused, TLS failed, timed out, closed, not HTTP, aborted) is WG_EIO
 * saying what failed and libcurl's reason; the message names the host, never the query. */
enum wg_rc wg_http_post(const struct wg_http_post *req, int *status, struct wg_err *err);

#endif
