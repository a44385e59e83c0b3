/* The delivery worker: a thread that claims due outbox rows one at a time, POSTs each
 * row's envelope to the webhook URLs through http/client.h and records the outcome:
 * delivered, pending again after a backoff, or dead (see notify_worker.h). */
#include "domain/notify/notify_worker.h"
#include "core/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/notify/notify.h"
#include "store/notify/notify_q.h"

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
    struct wg_http_url u;
    enum wg_rc rc;
    if ((rc = wg_http_url_parse(url, &u, err))) {
        wg_err_prefix(err, "webhook_url");
        return rc;
    }
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
    j->recipient = wg_strdup(r->recipient);
    j->channel = wg_strdup(r->channel);
    j->kind = wg_strdup(r->kind);
    j->payload = wg_strdup(r->payload);
    j->created_at = wg_strdup(r->created_at);
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

/* Tries every URL in order; 1 when one answered 2xx, else 0 with the last failure in msg. */
static int deliver(const struct wg_notify_config *cfg, const struct job *j, const char *envelope,
                   const atomic_int *abort, char *msg, size_t msgn)
{
    char id[48];
    const char *headers[] = {"Content-Type: application/json; charset=utf-8", id};
    snprintf(id, sizeof id, "X-Wangge-Delivery: %lld", j->id);
    for (size_t i = 0; i < cfg->nurls; i++) {
        struct wg_http_url u;
        struct wg_err err = {0};
        char label[WG_NOTIFY_URL_MAX + 16];
        int status = 0;
        /* the claim's lease (deliver_one) is reckoned on these two */
        struct wg_http_post req = {.url = &u,
                                   .body = envelope,
                                   .len = strlen(envelope),
                                   .headers = headers,
                                   .nheaders = sizeof headers / sizeof headers[0],
                                   .connect_timeout_ms = cfg->timeout_ms,
                                   .timeout_ms = cfg->timeout_ms * 2,
                                   .abort = abort};
        if (wg_http_url_parse(cfg->urls[i], &u, &err)) {
            snprintf(msg, msgn, "%s", err.msg);
            continue;
        }
        wg_http_url_label(&u, label, sizeof label);
        if (wg_http_post(&req, &status, &err)) {
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

/* The row's envelope; a call request's with the reporter's phone opened from its sealed
 * form (NULL with *why when it cannot be: no keys here, or a value they do not open). */
static char *envelope_of(const struct wg_notify_config *cfg, const struct wg_outbox_row *r,
                         const char **why)
{
    json_t *p;
    const char *sealed;
    char *phone = NULL, *text, *env;
    struct wg_outbox_row o = *r;
    *why = "the notification could not be written as JSON";
    if (strcmp(r->kind, "call_request"))
        return wg_notify_envelope(r);
    *why = "the call request's phone could not be opened with this server's keys";
    p = json_loads(r->payload, 0, NULL);
    sealed = json_string_value(json_object_get(p, "reporter_phone_sealed"));
    if (!cfg->keys || !sealed ||
        wg_pii_decrypt(cfg->keys, sealed, "order.reporter_phone", &phone, NULL)) {
        json_decref(p);
        return NULL;
    }
    json_object_del(p, "reporter_phone_sealed");
    json_object_set_new(p, "reporter_phone", json_string(phone));
    wg_pii_wipe(phone);
    text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(p);
    o.payload = text ? text : r->payload;
    env = text ? wg_notify_envelope(&o) : NULL;
    wg_pii_wipe(text);
    return env;
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
    const char *why;
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
    row.id = j.id;
    row.order_id = j.order_id;
    row.attempts = j.attempts;
    row.recipient = j.recipient;
    row.channel = j.channel;
    row.kind = j.kind;
    row.payload = j.payload;
    row.created_at = j.created_at;
    envelope = envelope_of(cfg, &row, &why);
    if (!envelope) { /* fields that are not UTF-8, a phone that does not open: trying again
                      * will not help */
        ok = 0;
        snprintf(msg, sizeof msg, "%s", why);
    } else {
        ok = deliver(cfg, &j, envelope, abort, msg, sizeof msg);
    }
    wg_pii_wipe(envelope); /* a call request's holds a phone */
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
    struct wg_notify_worker *w = wg_calloc(1, sizeof *w);
    pthread_condattr_t ca;
    enum wg_rc rc;
    *out = NULL;
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
    /* libcurl is set up here, before the thread that uses it exists */
    rc = wg_http_client_init(err);
    if (!rc && pthread_create(&w->thread, NULL, work, w) != 0)
        rc = wg_err_set(err, WG_EINTERNAL, "cannot start the notification worker thread");
    if (rc) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return rc;
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
