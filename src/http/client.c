/* The outgoing HTTP client over libcurl (see client.h): URL checks, status lines, and one
 * POST driven through a private multi handle in short slices, so that the progress
 * callback, which watches the caller's stop flag, runs often even while nothing arrives.
 * libcurl's codes and texts become wg_err messages here and go no further. */
#include "http/client.h"
#include "core/alloc.h"

#include <ctype.h>
#include <pthread.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define SLICE_MS  100        /* the longest wait inside libcurl before the flag is looked at */
#define LINGER_MS 500        /* how long the body may take once the status came */
#define BODY_MAX  (64 << 10) /* bytes of the answer's body read before hanging up */

/* ---- URLs and status lines ---- */

/* The scheme at the start of text and its default port; NULL when neither http nor https. */
static const char *scheme_of(const char *text, const char **rest, const char **port)
{
    if (!strncasecmp(text, "http://", 7)) {
        *rest = text + 7;
        *port = "80";
        return "http";
    }
    if (!strncasecmp(text, "https://", 8)) {
        *rest = text + 8;
        *port = "443";
        return "https";
    }
    return NULL;
}

enum wg_rc wg_http_url_parse(const char *text, struct wg_http_url *out, struct wg_err *err)
{
    const char *p, *auth, *end, *host, *hend, *port = NULL, *scheme, *dport;
    size_t hlen;
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return wg_err_set(err, WG_EINVAL, "URL is empty");
    if (strlen(text) >= WG_HTTP_URL_MAX)
        return wg_err_set(err, WG_EINVAL, "URL is longer than %d bytes", WG_HTTP_URL_MAX - 1);
    for (p = text; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return wg_err_set(err, WG_EINVAL,
                              "URL '%.80s' holds a space, a control or a non-ASCII character; "
                              "percent-encode it",
                              text);
    if (!(scheme = scheme_of(text, &auth, &dport)))
        return wg_err_set(err, WG_EINVAL, "URL '%.80s' must start with http:// or https://", text);
    end = auth + strcspn(auth, "/?#");
    if (strchr(text, '#'))
        return wg_err_set(err, WG_EINVAL, "URL '%.80s' has a fragment ('#')", text);
    /* credentials in a URL end up in every log line and listing that shows it */
    if (memchr(auth, '@', (size_t)(end - auth)))
        return wg_err_set(err, WG_EINVAL,
                          "URL '%.80s' holds credentials ('user@'); they are not sent, so "
                          "put a token in the path or the query",
                          text);
    if (*auth == '[') {
        host = auth + 1;
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend || hend == host)
            return wg_err_set(err, WG_EINVAL, "URL '%.80s' has an unclosed '['", text);
        for (p = host; p < hend; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return wg_err_set(err, WG_EINVAL, "URL '%.80s' has a bad IPv6 address", text);
        if (hend + 1 < end) {
            if (hend[1] != ':')
                return wg_err_set(err, WG_EINVAL, "URL '%.80s': expected ':' after ']'", text);
            port = hend + 2;
        }
    } else {
        host = auth;
        hend = memchr(auth, ':', (size_t)(end - auth));
        if (hend)
            port = hend + 1;
        else
            hend = end;
        if (hend == host)
            return wg_err_set(err, WG_EINVAL, "URL '%.80s' has no host", text);
        for (p = host; p < hend; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
                return wg_err_set(err, WG_EINVAL, "URL '%.80s' has a bad host name", text);
    }
    hlen = (size_t)(hend - host);
    if (hlen >= sizeof out->host)
        return wg_err_set(err, WG_EINVAL, "URL '%.80s' has too long a host name", text);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (port) {
        long n = 0;
        if (port == end || end - port > 5)
            return wg_err_set(err, WG_EINVAL, "URL '%.80s' has a bad port", text);
        for (p = port; p < end; p++) {
            if (!isdigit((unsigned char)*p))
                return wg_err_set(err, WG_EINVAL, "URL '%.80s' has a bad port", text);
            n = n * 10 + (*p - '0');
        }
        if (n < 1 || n > 65535)
            return wg_err_set(err, WG_EINVAL, "URL '%.80s': port must be 1 to 65535", text);
        snprintf(out->port, sizeof out->port, "%ld", n);
    } else {
        snprintf(out->port, sizeof out->port, "%s", dport);
    }
    snprintf(out->scheme, sizeof out->scheme, "%s", scheme);
    snprintf(out->path, sizeof out->path, "%s%s", *end == '/' ? "" : "/", end);
    snprintf(out->authority, sizeof out->authority, "%s%s%s%s%s", *auth == '[' ? "[" : "",
             out->host, *auth == '[' ? "]" : "", strcmp(out->port, dport) ? ":" : "",
             strcmp(out->port, dport) ? out->port : "");
    return WG_OK;
}

void wg_http_url_label(const struct wg_http_url *u, char *out, size_t n)
{
    snprintf(out, n, "%s://%s%.*s", u->scheme, u->authority, (int)strcspn(u->path, "?"), u->path);
}

char *wg_http_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, (int)strlen(s)), *out;
    if (!e)
        wg_oom(strlen(s) * 3);
    out = wg_strdup(e);
    curl_free(e);
    return out;
}

int wg_http_status_parse(const char *buf, size_t len)
{
    static const char prefix[] = "HTTP/1.";
    const char *eol = memchr(buf, '\n', len);
    size_t n = eol ? (size_t)(eol - buf) : len;
    int status;
    /* what has arrived must agree with a status line as far as it goes */
    for (size_t i = 0; i < n && i < sizeof prefix - 1; i++)
        if (buf[i] != prefix[i])
            return -1;
    if (!eol)
        return len > 256 ? -1 : 0;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    if (n < 12 || !isdigit((unsigned char)buf[7]) || buf[8] != ' ' ||
        !isdigit((unsigned char)buf[9]) || !isdigit((unsigned char)buf[10]) ||
        !isdigit((unsigned char)buf[11]) || (n > 12 && buf[12] != ' '))
        return -1;
    status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    return status >= 100 && status <= 599 ? status : -1;
}

/* ---- libcurl ---- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum wg_rc wg_http_client_init(struct wg_err *err)
{
    pthread_once(&once, global_init);
    if (global_rc != CURLE_OK)
        return wg_err_set(err, WG_EINTERNAL, "cannot set up libcurl: %s",
                          curl_easy_strerror(global_rc));
    return WG_OK;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One exchange's state, shared with libcurl's callbacks. */
struct exchange {
    const atomic_int *abort;
    int status;          /* of the final status line, once it came; 0 before */
    long long status_at; /* mono_ms() when it came */
    size_t body;         /* bytes of the body so far */
    int stopped;         /* abort was seen */
    struct wg_http_answer *answer;
};

/* Each header line, the status lines among them; an interim 1xx answer is not the answer
 * (and with no proxy, no CONNECT answer comes here). libcurl parses the line too, but only
 * hands the status over after the whole head has come. */
static size_t on_header(char *line, size_t size, size_t n, void *ctx)
{
    struct exchange *x = ctx;
    int st = wg_http_status_parse(line, size * n);
    if (st >= 200) {
        x->status = st;
        x->status_at = mono_ms();
    }
    return size * n;
}

/* The body kept when the caller wants it, else only read so that the receiver can finish
 * writing it. */
static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct exchange *x = ctx;
    struct wg_http_answer *a = x->answer;
    x->body += size * n;
    if (a) {
        if (a->len + size * n > a->max)
            return 0; /* a short count makes libcurl hang up */
        memcpy(a->data + a->len, data, size * n);
        a->len += size * n;
        a->data[a->len] = '\0';
        return size * n;
    }
    return x->body > BODY_MAX ? 0 : size * n;
}

/* Runs every slice and whenever data moves; non-zero ends the exchange. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct exchange *x = ctx;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (x->abort && atomic_load(x->abort)) {
        x->stopped = 1;
        return 1;
    }
    return !x->answer && x->status && mono_ms() - x->status_at > LINGER_MS;
}

/* The options of one POST; headers and url must outlive the handle's use. */
static CURLcode set_up(CURL *h, const struct wg_http_post *req, const char *url,
                       struct curl_slist *headers, struct exchange *x, char *errbuf)
{
    CURLcode c = CURLE_OK;
#define SET(opt, val) c = c != CURLE_OK ? c : curl_easy_setopt(h, opt, val)
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is the receiver's answer, not ours to chase */
    SET(CURLOPT_PROXY, "");          /* no proxy from the environment: tokens go where we say */
    SET(CURLOPT_NOSIGNAL, 1L);       /* threads: no SIGALRM for timeouts */
    /* one short request per connection gains nothing from HTTP/2, and receivers written
     * for the old client see the same HTTP/1.1 they always did */
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    SET(CURLOPT_USERAGENT, "wangge");
    SET(CURLOPT_HTTPHEADER, headers);
    if (req->get) {
        SET(CURLOPT_HTTPGET, 1L);
    } else {
        SET(CURLOPT_POSTFIELDS, req->body);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
    }
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)req->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, x);
#undef SET
    return c;
}

/* Drives h to its end through a multi handle of its own, waking every SLICE_MS: the easy
 * interface sleeps up to a second between progress calls, which is a slow stop. */
static CURLcode run(CURL *h)
{
    CURLM *m = curl_multi_init();
    CURLMsg *msg;
    CURLcode c = CURLE_OK;
    int running = 1, left;
    if (!m)
        return CURLE_OUT_OF_MEMORY;
    if (curl_multi_add_handle(m, h) != CURLM_OK) {
        curl_multi_cleanup(m);
        return CURLE_FAILED_INIT;
    }
    while (running) {
        if (curl_multi_perform(m, &running) != CURLM_OK ||
            (running && curl_multi_poll(m, NULL, 0, SLICE_MS, NULL) != CURLM_OK)) {
            c = CURLE_FAILED_INIT;
            break;
        }
    }
    while ((msg = curl_multi_info_read(m, &left)))
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == h)
            c = msg->data.result;
    curl_multi_remove_handle(m, h);
    curl_multi_cleanup(m);
    return c;
}

/* What failed, in our words, with libcurl's reason after them. */
static enum wg_rc failed(CURL *h, CURLcode c, const char *errbuf, const struct exchange *x,
                         const struct wg_http_url *u, struct wg_err *err)
{
    const char *why = *errbuf ? errbuf : curl_easy_strerror(c);
    curl_off_t connected = 0;
    long oserr = 0;
    switch (c) {
    case CURLE_OUT_OF_MEMORY:
        wg_oom(0); /* core/alloc.h's policy, for libcurl's memory too */
    case CURLE_COULDNT_RESOLVE_HOST:
        return wg_err_set(err, WG_EIO, "cannot resolve '%s': %s", u->host, why);
    case CURLE_COULDNT_CONNECT:
        /* the system's reason ("Connection refused") says more than libcurl's summary */
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
        return wg_err_set(err, WG_EIO, "cannot connect to %s: %s", u->authority,
                          oserr ? strerror((int)oserr) : why);
    case CURLE_OPERATION_TIMEDOUT:
        /* connected means, for https, the TLS handshake done too */
        if (!strcmp(u->scheme, "https"))
            curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &connected);
        else
            curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
        return wg_err_set(err, WG_EIO, "timed out %s %s: %s",
                          connected ? "waiting for the answer from" : "connecting to", u->authority,
                          why);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
        return wg_err_set(err, WG_EIO, "TLS with %s failed: %s", u->authority, why);
    case CURLE_GOT_NOTHING:
        return wg_err_set(err, WG_EIO, "%s closed the connection without an answer: %s",
                          u->authority, why);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL: /* an answer without a status line reads as HTTP/0.9 */
        return wg_err_set(err, WG_EIO, "%s answered something that is not HTTP: %s", u->authority,
                          why);
    case CURLE_ABORTED_BY_CALLBACK:
        if (x->stopped)
            return wg_err_set(err, WG_EIO, "stopped while talking to %s", u->authority);
        break;
    default:
        break;
    }
    return wg_err_set(err, WG_EIO, "talking to %s failed: %s", u->authority, why);
}

enum wg_rc wg_http_post(const struct wg_http_post *req, int *status, struct wg_err *err)
{
    /* "Expect:" keeps libcurl from asking for 100-continue, which receivers rarely answer;
     * one connection per POST, so the receiver may close as soon as it has answered */
    static const char *const ours[] = {"Expect:", "Connection: close"};
    const struct wg_http_url *u = req->url;
    struct exchange x = {.abort = req->abort, .answer = req->answer};
    struct curl_slist *headers = NULL, *more;
    char url[WG_HTTP_URL_MAX + 300], errbuf[CURL_ERROR_SIZE] = "";
    CURL *h = NULL;
    CURLcode c;
    enum wg_rc rc;
    *status = 0;
    if ((rc = wg_http_client_init(err)))
        return rc;
    snprintf(url, sizeof url, "%s://%s%s", u->scheme, u->authority, u->path);
    for (size_t i = 0; i < req->nheaders + sizeof ours / sizeof ours[0]; i++) {
        const char *line = i < req->nheaders ? req->headers[i] : ours[i - req->nheaders];
        if (!(more = curl_slist_append(headers, line)))
            wg_oom(strlen(line));
        headers = more;
    }
    if (!(h = curl_easy_init())) {
        rc = wg_err_set(err, WG_EINTERNAL, "libcurl could not start a request to %s", u->authority);
        goto out;
    }
    if ((c = set_up(h, req, url, headers, &x, errbuf)) != CURLE_OK) {
        rc = wg_err_set(err, WG_EINTERNAL, "cannot set up a request to %s: %s", u->authority,
                        curl_easy_strerror(c));
        goto out;
    }
    if (x.answer) {
        x.answer->len = 0;
        x.answer->data[0] = '\0';
    }
    c = run(h);
    /* the status decides: a body that is slow, too long or cut by a stop changes nothing,
     * unless the caller keeps the body */
    if (x.answer && c == CURLE_WRITE_ERROR) {
        rc =
            wg_err_set(err, WG_EIO, "%s answered more than %zu bytes", u->authority, x.answer->max);
    } else if (x.answer && c != CURLE_OK) {
        rc = failed(h, c, errbuf, &x, u, err);
    } else if (x.status) {
        *status = x.status;
        rc = WG_OK;
    } else if (c == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        *status = (int)code;
        rc = code ? WG_OK : wg_err_set(err, WG_EIO, "%s sent no status", u->authority);
    } else {
        rc = failed(h, c, errbuf, &x, u, err);
    }
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    return rc;
}
