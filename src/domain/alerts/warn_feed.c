/* The follower of early warning (warn_feed.h): the detectors' state rebuilt from the window
 * before the stored position, then each step's orders fed to them and what they showed
 * written with the position, once, whichever server writes first. */
#include "domain/orders/duplicates.h"
#include "domain/alerts/warn_feed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/accounts/pii.h"
#include "domain/alerts/warn_detect.h"
#include "domain/alerts/warning.h"
#include "domain/notify/notify.h"
#include "store/alerts/warning_q.h"

#define FRESH_DAYS 7     /* a store never followed: its orders of the last week are followed */
#define SETTLE     2     /* seconds an order waits on a store several servers write */
#define REBUILD    86400 /* the state made anew from the window daily: what left it is dropped */
#define POS_EVERY  60    /* seconds the stored position may lag while orders show nothing */

struct pending {
    struct wg_warn_hit hit;
    long long *ids;
    char phone[24];
};

struct wg_warn_follower {
    struct wg_store *st;
    struct wg_committer *cm;
    const struct wg_pii_keys *keys;
    struct wg_warn_engine *engine;
    struct wg_warn_rules rules;
    long long rules_version, upto, built_at;
    long long pos_at; /* when the position was last stored without warnings to write */
    int ready;
    struct pending *pend;
    size_t npend, cappend;
    /* the step's reading */
    long long now, last_read;
    int read, stop_read;
    double cpu_us;
    long long fed;
    pthread_t thread;
    atomic_int stop;
    int running;
};

struct wg_warn_follower *wg_warn_follower_new(struct wg_store *st, struct wg_committer *cm,
                                              const struct wg_pii_keys *keys)
{
    struct wg_warn_follower *f = wg_calloc(1, sizeof *f);
    f->st = st;
    f->cm = wg_store_shared(st) ? NULL : cm;
    f->keys = keys;
    f->rules_version = -1;
    return f;
}

static void drop_pending(struct wg_warn_follower *f)
{
    for (size_t i = 0; i < f->npend; i++)
        free(f->pend[i].ids);
    f->npend = 0;
}

void wg_warn_follower_free(struct wg_warn_follower *f)
{
    if (!f)
        return;
    if (f->running) {
        atomic_store(&f->stop, 1);
        pthread_join(f->thread, NULL);
    }
    drop_pending(f);
    free(f->pend);
    wg_warn_engine_free(f->engine);
    free(f);
}

long long wg_warn_follower_upto(const struct wg_warn_follower *f)
{
    return f->upto;
}

void wg_warn_follower_cost(const struct wg_warn_follower *f, double *us, long long *fed)
{
    *us = f->cpu_us;
    *fed = f->fed;
}

static void order_of(const struct wg_warn_order_row *r, struct wg_warn_order *o)
{
    o->id = r->id;
    o->at = wg_civil_time_of_iso(r->created_at);
    o->has_point = r->has_point;
    o->lon = r->lon;
    o->lat = r->lat;
    o->item = r->item;
    o->grid = r->grid;
    o->county = r->county;
    o->phone_blind = r->phone_blind;
    o->title = r->title;
    o->content = r->content;
}

/* The masked phone of a repeat caller, from the trigger order's sealed one. */
static void mask_phone(const struct wg_warn_follower *f, const char *sealed, char out[24])
{
    char *clear = NULL;
    struct wg_err err = {0};
    out[0] = '\0';
    if (!f->keys || !*sealed ||
        wg_pii_decrypt(f->keys, sealed, "order.reporter_phone", &clear, &err))
        return;
    wg_pii_mask_phone(clear, out, 24);
    wg_pii_wipe(clear);
}

/* ---- reading: warming (no hits kept) and following ---- */

struct reader {
    struct wg_warn_follower *f;
    long long until; /* warming: the last id to feed */
    int emit;
};

static int on_order(const struct wg_warn_order_row *r, void *ctx)
{
    struct reader *rd = ctx;
    struct wg_warn_follower *f = rd->f;
    struct wg_warn_order o;
    if (!rd->emit && r->id > rd->until) {
        f->stop_read = 1;
        return 1;
    }
    order_of(r, &o);
    if (o.at < 0)
        o.at = f->now;
    if (rd->emit && wg_store_shared(f->st) && o.at > f->now - SETTLE) {
        f->stop_read = 1; /* not settled yet: read again next step */
        return 1;
    }
    const struct wg_warn_hit *hits;
    uint64_t t0 = wg_clock_us();
    int n = wg_warn_engine_feed(f->engine, &o, &hits);
    if (rd->emit)
        for (int i = 0; i < n; i++) {
            wg_grow(&f->pend, &f->cappend, f->npend, sizeof f->pend[0], 64);
            struct pending *p = &f->pend[f->npend++];
            p->hit = hits[i];
            p->ids = wg_malloc((size_t)(hits[i].nids ? hits[i].nids : 1) * sizeof p->ids[0]);
            memcpy(p->ids, hits[i].ids, (size_t)hits[i].nids * sizeof p->ids[0]);
            p->hit.ids = p->ids;
            p->phone[0] = '\0';
            if (hits[i].kind == WG_WARN_CALLER)
                mask_phone(f, r->phone_sealed, p->phone);
        }
    f->cpu_us += (double)(wg_clock_us() - t0);
    f->fed++;
    f->last_read = r->id;
    f->read++;
    return 0;
}

struct back {
    long long cutoff, start, last;
    int rows, done;
};

static int on_back(long long id, const char *created_at, void *ctx)
{
    struct back *b = ctx;
    b->rows++;
    b->last = id;
    if (!b->done && wg_civil_time_of_iso(created_at) < b->cutoff) {
        b->start = id; /* the newest order before the window */
        b->done = 1;
        return 1;
    }
    return 0;
}

/* The id of the newest order created before cutoff at or below `below` (0: none). */
static enum wg_rc find_before(struct wg_db *db, long long below, long long cutoff, long long *out,
                              struct wg_err *err)
{
    struct back b = {cutoff, 0, below + 1, 0, 0};
    enum wg_rc rc = WG_OK;
    for (;;) {
        b.rows = 0;
        if ((rc = wg_store_warn_back(db, b.last, 4096, on_back, &b, err)) || b.done ||
            b.rows < 4096)
            break;
    }
    *out = b.start;
    return rc;
}

struct when {
    long long at;
};

static int on_when(const struct wg_warn_order_row *r, void *ctx)
{
    ((struct when *)ctx)->at = wg_civil_time_of_iso(r->created_at);
    return 1;
}

/* Rules read, the engine made anew and warmed with the window before the stored position. */
static enum wg_rc rebuild(struct wg_warn_follower *f, struct wg_db *db, struct wg_err *err)
{
    long long stored = 0, start = 0, top = 0;
    enum wg_rc rc;
    uint64_t t0 = wg_clock_us();
    if ((rc = wg_warn_rules_load(db, &f->rules, &f->rules_version, err)) ||
        (rc = wg_store_warn_pos_get(db, &stored, err)))
        return rc;
    if (!stored) { /* never followed: its last week is followed, the weeks before warm it */
        if ((rc = wg_store_warn_max_order(db, &top, err)) ||
            (top && (rc = find_before(db, top, f->now - FRESH_DAYS * 86400LL, &stored, err))))
            return rc;
    }
    struct when w = {f->now};
    if (stored && (rc = wg_store_warn_follow(db, stored - 1, 1, on_when, &w, err)))
        return rc;
    long long cutoff = w.at - (long long)wg_warn_engine_window_days(&f->rules) * 86400;
    if (stored && (rc = find_before(db, stored, cutoff, &start, err)))
        return rc;
    wg_warn_engine_free(f->engine);
    f->engine = wg_warn_engine_new(&f->rules);
    drop_pending(f);
    struct reader rd = {f, stored, 0};
    long long after = start;
    f->last_read = start;
    while (stored && after < stored) {
        f->read = 0;
        f->stop_read = 0;
        if ((rc = wg_store_warn_follow(db, after, 4096, on_order, &rd, err)))
            return rc;
        if (f->stop_read || f->read < 4096 || f->last_read == after)
            break;
        after = f->last_read;
    }
    f->upto = stored;
    f->ready = 1;
    f->built_at = f->now;
    f->pos_at = f->now;
    size_t entries = 0, bytes = 0;
    wg_warn_engine_size(f->engine, &entries, &bytes);
    wg_info("early warning: detectors warmed with orders %lld to %lld in %.1f ms (%zu entries, "
            "%.1f MB); following from order %lld",
            start + 1, stored, (double)(wg_clock_us() - t0) / 1000.0, entries, bytes / 1e6,
            stored + 1);
    return WG_OK;
}

/* ---- writing ---- */

struct write {
    struct wg_warn_follower *f;
    long long upto, now;
    int made;
};

struct found {
    const struct wg_warn_hit *hit;
    long long id;
    int level;
};

static int on_open(const struct wg_warning_row *r, void *ctx)
{
    struct found *fd = ctx;
    if (fd->id)
        return 0;
    if (fd->hit->kind == WG_WARN_CLUSTER &&
        (!r->has_point ||
         wg_dup_metres(r->lon, r->lat, fd->hit->lon, fd->hit->lat) > fd->hit->match_m))
        return 0;
    fd->id = r->id;
    fd->level = wg_warn_level_of(r->level);
    return 0;
}

static enum wg_rc tell_red(struct wg_db *db, long long id, const struct wg_warn_hit *h,
                           long long count, struct wg_err *err)
{
    static const char *const roles[] = {"leader", "supervisor"};
    json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s,s:I}", "kind", "warning_red", "warning",
                          (json_int_t)id, "warning_kind", wg_warn_kind_name(h->kind), "item",
                          h->item, "scope", h->scope, "count", (json_int_t)count);
    char *payload = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    enum wg_rc rc = WG_OK;
    for (int i = 0; !rc && i < 2; i++)
        rc = wg_notify_role_at(db, roles[i], h->scope, "warning_red", payload, NULL, err);
    free(payload);
    return rc;
}

static enum wg_rc ids_json(const struct pending *p, char **out)
{
    size_t cap = (size_t)p->hit.nids * 21 + 3, n = 0;
    char *s = wg_malloc(cap);
    s[n++] = '[';
    for (int i = 0; i < p->hit.nids; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s%lld", i ? "," : "", p->ids[i]);
    s[n++] = ']';
    s[n] = '\0';
    *out = s;
    return WG_OK;
}

static enum wg_rc apply(struct wg_db *db, const struct pending *p, long long now, int *made,
                        struct wg_err *err)
{
    const struct wg_warn_hit *h = &p->hit;
    const char *kind = wg_warn_kind_name(h->kind);
    struct found fd = {h, 0, -1};
    long long count = 0;
    char *ids = NULL;
    enum wg_rc rc = wg_store_warn_open(db, kind, h->item, h->key, on_open, &fd, err);
    if (rc)
        return rc;
    ids_json(p, &ids);
    int level = (int)h->level;
    if (!fd.id) {
        struct wg_warning_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.kind, sizeof r.kind, "%s", kind);
        snprintf(r.level, sizeof r.level, "%s", wg_warn_level_name(h->level));
        snprintf(r.item, sizeof r.item, "%s", h->item);
        snprintf(r.scope, sizeof r.scope, "%s", h->scope);
        snprintf(r.key, sizeof r.key, "%s", h->key);
        r.has_point = h->has_point;
        r.lon = h->lon;
        r.lat = h->lat;
        r.detail = h->detail;
        snprintf(r.phone, sizeof r.phone, "%s", p->phone);
        r.first_at = r.last_at = h->at;
        r.created_at = now;
        if ((rc = wg_store_warn_insert(db, &r, &fd.id, err)) ||
            (rc = wg_store_warn_event(db, fd.id, now, "system", "raised", "", "new", h->detail, "",
                                      err)))
            goto out;
        (*made)++;
    } else if (fd.level > level) {
        level = fd.level;
    } else if (level > fd.level &&
               (rc = wg_store_warn_event(db, fd.id, now, "system", "escalated",
                                         wg_warn_level_name((enum wg_warn_level)fd.level),
                                         wg_warn_level_name(h->level), h->detail, "", err))) {
        goto out;
    }
    if ((rc = wg_store_warn_link(db, fd.id, ids, &count, err)) ||
        (rc = wg_store_warn_grow(db, fd.id, count, wg_warn_level_name((enum wg_warn_level)level),
                                 h->detail, p->phone, h->at, now, err)))
        goto out;
    if (level == WG_WARN_RED && fd.level != WG_WARN_RED)
        rc = tell_red(db, fd.id, h, count, err);
out:
    free(ids);
    return rc;
}

static enum wg_rc write_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct write *w = ctx;
    struct wg_warn_follower *f = w->f;
    long long stored = 0;
    enum wg_rc rc = wg_store_warn_pos_lock(db, &stored, err);
    w->made = 0;
    for (size_t i = 0; !rc && i < f->npend; i++)
        if (f->pend[i].hit.trigger > stored) /* else another server wrote it */
            rc = apply(db, &f->pend[i], w->now, &w->made, err);
    if (!rc && w->upto > stored)
        rc = wg_store_warn_pos_set(db, w->upto, w->now, err);
    return rc;
}

enum wg_rc wg_warn_follower_step(struct wg_warn_follower *f, long long now, int *orders, int *made,
                                 struct wg_err *err)
{
    struct wg_db *db;
    long long version = 0;
    char *text = NULL;
    enum wg_rc rc = wg_store_get(f->st, &db, err);
    if (orders)
        *orders = 0;
    if (made)
        *made = 0;
    if (rc)
        return rc;
    f->now = now;
    /* the rules changed by any server: the state is rebuilt for them */
    if (!(rc = wg_store_warn_rules_get(db, &text, &version, err)) &&
        (!f->ready || version != f->rules_version || f->now - f->built_at >= REBUILD))
        rc = rebuild(f, db, err);
    free(text);
    if (rc)
        goto out;
    struct reader rd = {f, 0, 1};
    drop_pending(f);
    f->read = 0;
    f->stop_read = 0;
    f->last_read = f->upto;
    if ((rc = wg_store_warn_follow(db, f->upto, WG_WARN_BATCH, on_order, &rd, err)))
        goto fail;
    if (orders)
        *orders = f->read;
    if (!f->read)
        goto out;
    /* Orders that showed nothing move the stored position at most once a minute: the store
     * is written only for warnings, and a restart feeds the orders after the stored position
     * again, to the same nothing. (It keeps the follower out of the group commit's count of
     * every other write.) */
    if (!f->npend && now - f->pos_at < POS_EVERY) {
        f->upto = f->last_read;
        goto out;
    }
    struct write w = {f, f->last_read, now, 0};
    if ((rc = wg_committer_or_db(f->cm, db, write_tx, &w, err)))
        goto fail;
    f->upto = f->last_read;
    f->pos_at = now;
    if (made)
        *made = w.made;
    drop_pending(f);
    goto out;
fail:
    f->ready = 0; /* the orders fed were not written: start again from the stored position */
    drop_pending(f);
out:
    wg_store_put(db);
    return rc;
}

enum wg_rc wg_warn_follower_drain(struct wg_warn_follower *f, long long now, struct wg_err *err)
{
    int n = 0;
    enum wg_rc rc;
    do
        rc = wg_warn_follower_step(f, now, &n, NULL, err);
    while (!rc && n == WG_WARN_BATCH);
    return rc;
}

static void *run(void *arg)
{
    struct wg_warn_follower *f = arg;
    while (!atomic_load(&f->stop)) {
        struct wg_err err = {0};
        int n = 0, made = 0;
        if (wg_warn_follower_step(f, (long long)time(NULL), &n, &made, &err))
            wg_warn("early warning: step failed: %s", err.msg);
        if (made)
            wg_info("early warning: %d warning%s raised", made, made == 1 ? "" : "s");
        if (n < WG_WARN_BATCH)
            usleep(200 * 1000);
    }
    return NULL;
}

enum wg_rc wg_warn_follower_start(struct wg_warn_follower *f, struct wg_err *err)
{
    if (pthread_create(&f->thread, NULL, run, f) != 0)
        return wg_err_set(err, WG_EINTERNAL, "cannot start the early warning thread");
    f->running = 1;
    return WG_OK;
}
