/* The delivery worker: a thread that claims due outbox rows one at a time, POSTs each
 * row's envelope to the webhook URLs and records the outcome with backoff, and the minimal
 * HTTP/1.1 POST client over a plain TCP socket it uses (see notify_worker.h). */
#include "domain/notify/notify_worker.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/notify/notify.h"
#include "store/notify/notify_q.h"

/* ---- URLs, backoff, status lines ---- */

enum wg_rc wg_notify_url_parse(const char *text, struct wg_url *out, struct wg_err *err)
{
    const char *p, *auth, *end, *host, *hend, *port = NULL;
    size_t hlen;
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return wg_err_set(err, WG_EINVAL, "webhook URL is empty");
    if (strlen(text) >= WG_NOTIFY_URL_MAX)
        return wg_err_set(err, WG_EINVAL, "webhook URL is longer than %d bytes",
                          WG_NOTIFY_URL_MAX - 1);
    for (p = text; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return wg_err_set(err, WG_EINVAL,
                              "webhook URL '%.80s' holds a space, a control or a "
                              "non-ASCII character; percent-encode it",
                              text);
    if (!strncasecmp(text, "https://", 8))
        return wg_err_set(err, WG_EINVAL,
                          "webhook URL '%.80s': https is not supported; run a "
                          "local relay that forwards to it and give its "
                          "http:// address",
                          text);
    if (strncasecmp(text, "http://", 7))
        return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' must start with http://", text);
    auth = text + 7;
    end = auth + strcspn(auth, "/?#");
    if (strchr(text, '#'))
        return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has a fragment ('#')", text);
    if (memchr(auth, '@', (size_t)(end - auth)))
        return wg_err_set(err, WG_EINVAL,
                          "webhook URL '%.80s' holds credentials; give them to "
                          "the relay instead",
                          text);
    if (*auth == '[') {
        host = auth + 1;
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend || hend == host)
            return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has an unclosed '['", text);
        for (p = host; p < hend; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has a bad IPv6 address",
                                  text);
        if (hend + 1 < end) {
            if (hend[1] != ':')
                return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s': expected ':' after ']'",
                                  text);
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
            return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has no host", text);
        for (p = host; p < hend; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
                return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has a bad host name", text);
    }
    hlen = (size_t)(hend - host);
    if (hlen >= sizeof out->host)
        return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has too long a host name", text);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (port) {
        long n = 0;
        if (port == end || end - port > 5)
            return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has a bad port", text);
        for (p = port; p < end; p++) {
            if (!isdigit((unsigned char)*p))
                return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s' has a bad port", text);
            n = n * 10 + (*p - '0');
        }
        if (n < 1 || n > 65535)
            return wg_err_set(err, WG_EINVAL, "webhook URL '%.80s': port must be 1 to 65535", text);
        snprintf(out->port, sizeof out->port, "%ld", n);
    } else {
        snprintf(out->port, sizeof out->port, "80");
    }
    snprintf(out->path, sizeof out->path, "%s%s", *end == '/' ? "" : "/", end);
    snprintf(out->authority, sizeof out->authority, "%s%s%s%s%s", *auth == '[' ? "[" : "",
             out->host, *auth == '[' ? "]" : "", strcmp(out->port, "80") ? ":" : "",
             strcmp(out->port, "80") ? out->port : "");
    return WG_OK;
}

long long wg_notify_backoff(int attempt, int base_seconds)
{
    long long d = base_seconds > 0 ? base_seconds : 1;
    if (d >= WG_NOTIFY_BACKOFF_CAP)
        return WG_NOTIFY_BACKOFF_CAP;
    for (int i = 1; i < attempt; i++) {
        d *= 2;
        if (d >= WG_NOTIFY_BACKOFF_CAP)
            return WG_NOTIFY_BACKOFF_CAP;
    }
    return d;
}

int wg_notify_http_status(const char *buf, size_t len)
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

/* ---- the HTTP/1.1 POST client ---- */

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events, the deadline passes or abort is set; in short slices
 * so that a stop is noticed quickly. */
static enum wg_rc wait_fd(int fd, short events, long long deadline, const atomic_int *abort,
                          const char *doing, struct wg_err *err)
{
    for (;;) {
        long long left = deadline - mono_ms();
        struct pollfd p = {fd, events, 0};
        int n;
        if (abort && atomic_load(abort))
            return wg_err_set(err, WG_EIO, "stopped while %s", doing);
        if (left <= 0)
            return wg_err_set(err, WG_EIO, "timed out %s", doing);
        n = poll(&p, 1, left > 100 ? 100 : (int)left);
        if (n > 0)
            return WG_OK;
        if (n < 0 && errno != EINTR)
            return wg_err_set(err, WG_EIO, "poll failed %s: %s", doing, strerror(errno));
    }
}

static enum wg_rc dial(const struct wg_url *u, long long deadline, const atomic_int *abort,
                       int *out, struct wg_err *err)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    enum wg_rc rc = WG_EIO;
    int g;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if ((g = getaddrinfo(u->host, u->port, &hints, &res)))
        return wg_err_set(err, WG_EIO, "cannot resolve '%s': %s", u->host, gai_strerror(g));
    wg_err_set(err, WG_EIO, "'%s' has no address", u->host);
    for (ai = res; ai; ai = ai->ai_next) {
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (fd < 0) {
            rc = wg_err_set(err, WG_EIO, "socket: %s", strerror(errno));
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            *out = fd;
            rc = WG_OK;
            break;
        }
        if (errno != EINPROGRESS) {
            rc = wg_err_set(err, WG_EIO, "cannot connect to %s: %s", u->authority, strerror(errno));
            close(fd);
            continue;
        }
        if ((rc = wait_fd(fd, POLLOUT, deadline, abort, "connecting", err))) {
            close(fd);
            if (abort && atomic_load(abort))
                break;
            continue;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr) {
            rc = wg_err_set(err, WG_EIO, "cannot connect to %s: %s", u->authority,
                            strerror(soerr ? soerr : errno));
            close(fd);
            continue;
        }
        *out = fd;
        rc = WG_OK;
        break;
    }
    freeaddrinfo(res);
    return rc;
}

static enum wg_rc send_all(int fd, const char *p, size_t n, long long deadline,
                           const atomic_int *abort, struct wg_err *err)
{
    enum wg_rc rc;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if ((rc = wait_fd(fd, POLLOUT, deadline, abort, "sending", err)))
                return rc;
            continue;
        }
        return wg_err_set(err, WG_EIO, "sending failed: %s", strerror(errno));
    }
    return WG_OK;
}

enum wg_rc wg_notify_http_post(const struct wg_url *url, const char *body, size_t len,
                               long long delivery_id, int timeout_ms, const atomic_int *abort,
                               int *status, struct wg_err *err)
{
    struct wg_buf req;
    char answer[1024];
    size_t got = 0;
    long long deadline = mono_ms() + timeout_ms;
    int fd = -1, st = 0;
    enum wg_rc rc;
    *status = 0;
    if ((rc = dial(url, deadline, abort, &fd, err)))
        return rc;
    deadline = mono_ms() + timeout_ms; /* the answer gets its own time */
    wg_buf_init(&req, (size_t)WG_NOTIFY_PAYLOAD_MAX * 4);
    wg_buf_addf(&req,
                "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: wangge\r\n"
                "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
                "X-Wangge-Delivery: %lld\r\nConnection: close\r\n\r\n",
                url->path, url->authority, len, delivery_id);
    wg_buf_add(&req, body, len);
    if (wg_buf_rc(&req)) {
        rc = wg_err_set(err, WG_ENOMEM, "the request does not fit in memory");
        goto out;
    }
    if ((rc = send_all(fd, wg_buf_str(&req), req.len, deadline, abort, err)))
        goto out;
    /* the status line decides; the rest is read (to a cap) so the server can finish */
    for (;;) {
        ssize_t r;
        if ((rc = wait_fd(fd, POLLIN, deadline, abort, "waiting for the answer", err))) {
            if (st > 0)
                rc = WG_OK; /* the status came; a slow end of the body changes nothing */
            break;
        }
        r = recv(fd, answer + (st > 0 ? 0 : got), st > 0 ? sizeof answer : sizeof answer - got, 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (r <= 0) {
            if (st > 0)
                rc = WG_OK;
            else if (r == 0)
                rc = wg_err_set(err, WG_EIO, "%s closed the connection without an answer",
                                url->authority);
            else
                rc = wg_err_set(err, WG_EIO, "reading the answer failed: %s", strerror(errno));
            break;
        }
        if (st > 0) {
            if ((got += (size_t)r) > 64 * 1024)
                break;
            continue;
        }
        got += (size_t)r;
        st = wg_notify_http_status(answer, got);
        if (st < 0 || (st == 0 && got == sizeof answer)) {
            rc = wg_err_set(err, WG_EIO, "%s answered something that is not HTTP", url->authority);
            break;
        }
        if (st > 0) {
            got = 0;
            /* the rest is a courtesy: a receiver that keeps the connection open despite
             * "Connection: close" gets half a second, not the whole timeout */
            if (deadline > mono_ms() + 500)
                deadline = mono_ms() + 500;
        }
    }
    if (!rc)
        *status = st;
out:
    wg_buf_release(&req);
    close(fd);
    return rc;
}
/* ---- the worker ---- */

void wg_notify_config_init(struct wg_notify_config *c)
{
    memset(c, 0, sizeof *c);
    c->attempts = WG_NOTIFY_ATTEMPTS;
    c->backoff_seconds = WG_NOTIFY_BACKOFF;
    c->timeout_ms = WG_NOTIFY_TIMEOUT_MS;
    c->poll_ms = 500;
}

enum wg_rc wg_notify_config_add_url(struct wg_notify_config *c, const char *url, struct wg_err *err)
{
    struct wg_url u;
    enum wg_rc rc;
    if ((rc = wg_notify_url_parse(url, &u, err)))
        return rc;
    if (c->nurls >= WG_NOTIFY_MAX_URLS)
        return wg_err_set(err, WG_EINVAL, "at most %d webhook URLs", WG_NOTIFY_MAX_URLS);
    snprintf(c->urls[c->nurls++], WG_NOTIFY_URL_MAX, "%s", url);
    return WG_OK;
}

/* A claimed row, copied out of the claim's callback. */
struct job {
    long long id, order_id;
    int attempts;
    char *recipient, *channel, *kind, *payload, *created_at;
};

static int take_job(const struct wg_outbox_row *r, void *ctx)
{
    struct job *j = ctx;
    j->id = r->id;
    j->order_id = r->order_id;
    j->attempts = r->attempts;
    j->recipient = strdup(r->recipient);
    j->channel = strdup(r->channel);
    j->kind = strdup(r->kind);
    j->payload = strdup(r->payload);
    j->created_at = strdup(r->created_at);
    return 0;
}

static void job_release(struct job *j)
{
    free(j->recipient);
    free(j->channel);
    free(j->kind);
    free(j->payload);
    free(j->created_at);
    memset(j, 0, sizeof *j);
}

/* The URL without its query (which may carry a token), for messages. */
static void url_label(const struct wg_url *u, char *out, size_t n)
{
    snprintf(out, n, "http://%s%.*s", u->authority, (int)strcspn(u->path, "?"), u->path);
}

/* Tries every URL in order; WG_OK when one answered 2xx, else the last failure in msg. */
static int deliver(const struct wg_notify_config *cfg, const struct job *j, const char *envelope,
                   const atomic_int *abort, char *msg, size_t msgn)
{
    for (size_t i = 0; i < cfg->nurls; i++) {
        struct wg_url u;
        struct wg_err err = {0};
        char label[WG_NOTIFY_URL_MAX + 16];
        int status = 0;
        if (wg_notify_url_parse(cfg->urls[i], &u, &err)) {
            snprintf(msg, msgn, "%s", err.msg);
            continue;
        }
        url_label(&u, label, sizeof label);
        if (wg_notify_http_post(&u, envelope, strlen(envelope), j->id, cfg->timeout_ms, abort,
                                &status, &err)) {
            snprintf(msg, msgn, "POST %s: %s", label, err.msg);
        } else if (status >= 200 && status < 300) {
            return 1;
        } else {
            snprintf(msg, msgn, "POST %s: HTTP %d", label, status);
        }
        if (abort && atomic_load(abort))
            break;
    }
    return 0;
}

/* Claims and delivers one due row; *claimed 0 when none was due. */
static enum wg_rc deliver_one(struct wg_store *st, const struct wg_notify_config *cfg,
                              long long now, const atomic_int *abort, int *claimed,
                              struct wg_err *err)
{
    struct wg_db *db = NULL;
    struct job j = {0};
    struct wg_outbox_row row = {0};
    char msg[WG_NOTIFY_URL_MAX + 600] = "", at[32], *envelope;
    long long lease =
        (long long)cfg->timeout_ms * 2 * (long long)(cfg->nurls ? cfg->nurls : 1) / 1000 + 60;
    int ok, changed = 0;
    enum wg_rc rc;
    *claimed = 0;
    /* the connection goes back to the pool during the POST: requests need it more */
    if ((rc = wg_store_get(st, &db, err)))
        return rc;
    rc = wg_store_outbox_claim(db, now, now + lease, take_job, &j, claimed, err);
    wg_store_put(db);
    if (rc || !*claimed)
        return rc;
    if (!j.recipient || !j.channel || !j.kind || !j.payload || !j.created_at) {
        job_release(&j);
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    }
    row.id = j.id;
    row.order_id = j.order_id;
    row.attempts = j.attempts;
    row.recipient = j.recipient;
    row.channel = j.channel;
    row.kind = j.kind;
    row.payload = j.payload;
    row.created_at = j.created_at;
    envelope = wg_notify_envelope(&row);
    if (!envelope) {
        ok = 0;
        snprintf(msg, sizeof msg, "out of memory building the envelope");
    } else {
        ok = deliver(cfg, &j, envelope, abort, msg, sizeof msg);
    }
    free(envelope);
    if ((rc = wg_store_get(st, &db, err)))
        goto out;
    if (ok) {
        wg_clock_iso((long long)time(NULL), at);
        rc = wg_store_outbox_delivered(db, j.id, at, &changed, err);
    } else if (abort && atomic_load(abort)) {
        /* stopping: this attempt says nothing about the receiver; take it again at start */
        rc = wg_store_outbox_failed(db, j.id, "pending", now, msg, &changed, err);
    } else if (j.attempts >= cfg->attempts) {
        rc = wg_store_outbox_failed(db, j.id, "dead", now, msg, &changed, err);
        wg_warn("notification %lld (%s to %s) is dead after %d attempts: %s", j.id, j.kind,
                j.recipient, j.attempts, msg);
    } else {
        /* from the end of this attempt, which may be well after the pass began */
        long long t = (long long)time(NULL),
                  wait = wg_notify_backoff(j.attempts, cfg->backoff_seconds);
        rc = wg_store_outbox_failed(db, j.id, "pending", (t > now ? t : now) + wait, msg, &changed,
                                    err);
        wg_info("notification %lld (%s to %s) attempt %d failed, next in %lld s: %s", j.id, j.kind,
                j.recipient, j.attempts, wait, msg);
    }
    wg_store_put(db);
out:
    job_release(&j);
    return rc;
}

enum wg_rc wg_notify_deliver_due(struct wg_store *st, const struct wg_notify_config *cfg,
                                 long long now, const atomic_int *abort, int *handled,
                                 struct wg_err *err)
{
    int claimed = 1;
    enum wg_rc rc = WG_OK;
    *handled = 0;
    if (!cfg->nurls)
        return WG_OK;
    while (claimed && !(abort && atomic_load(abort))) {
        if ((rc = deliver_one(st, cfg, now, abort, &claimed, err)))
            break;
        *handled += claimed;
    }
    return rc;
}

struct wg_notify_worker {
    struct wg_store *st;
    struct wg_notify_config cfg;
    pthread_t thread;
    int running;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *work(void *arg)
{
    struct wg_notify_worker *w = arg;
    int failing = 0;
    while (!atomic_load(&w->stop)) {
        struct wg_err err = {0};
        struct timespec until;
        int handled = 0;
        if (wg_notify_deliver_due(w->st, &w->cfg, (long long)time(NULL), &w->stop, &handled,
                                  &err)) {
            if (!failing++) /* a store that fails keeps failing: say it once per outage */
                wg_warn("notifications: delivery paused: %s", err.msg);
        } else if (failing) {
            wg_info("notifications: delivery resumed");
            failing = 0;
        }
        until = wg_clock_after_ms(CLOCK_MONOTONIC, (long)w->cfg.poll_ms);
        pthread_mutex_lock(&w->mu);
        while (!atomic_load(&w->stop) &&
               pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

enum wg_rc wg_notify_worker_start(struct wg_store *st, const struct wg_notify_config *cfg,
                                  struct wg_notify_worker **out, struct wg_err *err)
{
    struct wg_notify_worker *w = calloc(1, sizeof *w);
    pthread_condattr_t ca;
    *out = NULL;
    if (!w)
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    w->st = st;
    w->cfg = *cfg;
    if (w->cfg.attempts < 1)
        w->cfg.attempts = WG_NOTIFY_ATTEMPTS;
    if (w->cfg.backoff_seconds < 1)
        w->cfg.backoff_seconds = WG_NOTIFY_BACKOFF;
    if (w->cfg.timeout_ms < 1)
        w->cfg.timeout_ms = WG_NOTIFY_TIMEOUT_MS;
    if (w->cfg.poll_ms < 1)
        w->cfg.poll_ms = 500;
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (!w->cfg.nurls) {
        wg_warn("notifications: no webhook_url is configured; notifications stay pending until "
                "one is");
        *out = w;
        return WG_OK;
    }
    if (pthread_create(&w->thread, NULL, work, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return wg_err_set(err, WG_EINTERNAL, "cannot start the notification worker thread");
    }
    w->running = 1;
    wg_info("notifications: delivering to %zu webhook URL(s), %d attempts, backoff from %d s",
            w->cfg.nurls, w->cfg.attempts, w->cfg.backoff_seconds);
    *out = w;
    return WG_OK;
}

void wg_notify_worker_stop(struct wg_notify_worker *w)
{
    if (!w)
        return;
    if (w->running) {
        pthread_mutex_lock(&w->mu);
        atomic_store(&w->stop, 1);
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
