/* Patrols (patrol.h): started, their track appended in sealed batches and measured, stopped
 * with the places checked, answered, listed, purged after the retention period, and a grid's
 * month of coverage. */
#include "domain/registry/patrol.h"

#include <math.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/registry/person.h"
#include "domain/registry/visit.h"
#include "store/map/map_q.h"

void wg_patrol_config_defaults(struct wg_patrol_config *c)
{
    memset(c, 0, sizeof *c);
    c->track_days = 180;
    wg_patrol_set_places(
        c, "学校周边,集贸市场,出租房屋,九小场所,消防通道,在建工地,河道沟渠,公共设施", NULL);
}

enum wg_rc wg_patrol_set_places(struct wg_patrol_config *c, const char *list, struct wg_err *err)
{
    struct wg_patrol_config next = *c;
    const char *p = list ? list : "";
    next.nplaces = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (!n || n >= sizeof next.places[0] || next.nplaces == WG_PATROL_PLACES_MAX)
            return wg_err_set(err, WG_EINVAL,
                              "a checklist holds 1 to %d places of 1 to 63 bytes, "
                              "separated by commas",
                              WG_PATROL_PLACES_MAX);
        snprintf(next.places[next.nplaces++], sizeof next.places[0], "%.*s", (int)n, p);
        p += n + (p[n] == ',');
    }
    if (!next.nplaces)
        return wg_err_set(err, WG_EINVAL, "a checklist holds at least one place");
    *c = next;
    return WG_OK;
}

void wg_patrol_release(struct wg_patrol *p)
{
    json_decref(p->checks);
    memset(p, 0, sizeof *p);
}

struct opened {
    const struct wg_pii_keys *keys;
    struct wg_patrol *p;
    enum wg_rc rc;
    struct wg_err *err;
};

static int open_one(const struct wg_patrol_row *r, void *ctx)
{
    struct opened *o = ctx;
    struct wg_patrol *p = o->p;
    char *checks = NULL;
    memset(p, 0, sizeof *p);
    p->id = r->id;
    snprintf(p->client_key, sizeof p->client_key, "%s", r->client_key);
    snprintf(p->worker, sizeof p->worker, "%s", r->worker);
    snprintf(p->grid, sizeof p->grid, "%s", r->grid);
    p->started_at = r->started_at;
    p->stopped_at = r->stopped_at;
    p->points = r->points;
    p->distance_m = r->distance_m;
    p->version = r->version;
    if ((o->rc = wg_pii_decrypt(o->keys, r->checks, "patrol.checks", &checks, o->err))) {
        wg_err_prefix(o->err, "patrol %lld", r->id);
        return 1;
    }
    p->checks = json_loads(checks, 0, NULL);
    wg_pii_wipe(checks);
    if (!p->checks)
        p->checks = json_array();
    return 0;
}

enum wg_rc wg_patrol_load(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, long long id, struct wg_patrol *out,
                          struct wg_err *err)
{
    struct opened o = {keys, out, WG_OK, err};
    memset(out, 0, sizeof *out);
    enum wg_rc rc = wg_store_patrol_get(db, id, open_one, &o, err);
    if (!rc)
        rc = o.rc;
    if (!rc && !wg_registry_covers(scope, out->grid))
        rc = wg_err_set(err, WG_ENOTFOUND, "patrol %lld does not exist", id);
    if (rc)
        wg_patrol_release(out);
    return rc;
}

static enum wg_rc key_of(json_t *body, const char *field, char *out, size_t n, int required,
                         struct wg_err *err)
{
    json_t *k = json_object_get(body, field);
    const char *s = json_string_value(k);
    out[0] = '\0';
    if ((!k || json_is_null(k)) && !required)
        return WG_OK;
    if (!s || strlen(s) < 1 || strlen(s) >= n ||
        strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s' must be 1 to %zu letters, digits, '-' or '_'",
                          field, n - 1);
    snprintf(out, n, "%s", s);
    return WG_OK;
}

static enum wg_rc time_of(json_t *body, const char *field, long long lo, long long now,
                          long long *out, struct wg_err *err)
{
    json_t *t = json_object_get(body, field);
    if (!t || json_is_null(t)) {
        *out = now;
        return WG_OK;
    }
    if (!json_is_integer(t) || json_integer_value(t) < lo || json_integer_value(t) > now + 600)
        return wg_err_set(err, WG_EINVAL,
                          "'%s' must be a time in unix seconds, not in the future%s", field,
                          lo > now - 366LL * 86400 ? " nor before the patrol started" : "");
    *out = json_integer_value(t);
    return WG_OK;
}

enum wg_rc wg_patrol_start(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, json_t *body, long long now,
                           struct wg_patrol *out, int *existed, struct wg_err *err)
{
    const struct wg_scope *scope = actor ? &actor->scope : NULL;
    struct wg_patrol_row r = {0};
    const char *grid = NULL;
    char *checks = NULL;
    long long other = 0;
    enum wg_rc rc;
    *existed = 0;
    if ((rc = key_of(body, "client_key", r.client_key, sizeof r.client_key, 0, err)) ||
        (rc = wg_jf_text(body, "grid", 0, 30, &grid, err)) ||
        (rc = time_of(body, "started_at", now - 366LL * 86400, now, &r.started_at, err)))
        return rc;
    if (!grid && scope && strlen(scope->code) == 15)
        grid = scope->code; /* a grid worker's own grid */
    if (!grid)
        return wg_err_set(err, WG_EINVAL, "'grid' is required: the grid patrolled");
    if ((rc = wg_registry_grid_check(db, scope, "grid", grid, err)))
        return rc;
    snprintf(r.worker, sizeof r.worker, "%s", actor ? actor->username : "");
    snprintf(r.grid, sizeof r.grid, "%s", grid);
    if (r.client_key[0] &&
        (rc = wg_store_patrol_by_client(db, r.worker, r.client_key, &other, err)))
        return rc;
    if (other) {
        *existed = 1;
        return wg_patrol_load(db, keys, scope, other, out, err);
    }
    if ((rc = wg_pii_encrypt(keys, "[]", "patrol.checks", &checks, err)))
        return rc;
    r.checks = checks;
    if (!(rc = wg_db_begin(db, err))) {
        if ((rc = wg_store_patrol_insert(db, &r, &r.id, err)) || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    free(checks);
    if (rc)
        return rc;
    return wg_patrol_load(db, keys, scope, r.id, out, err);
}

static double metres(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371008.8, k = M_PI / 180;
    double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* The points of a batch checked: [[lon, lat, t], ...], t within the patrol's time. */
static enum wg_rc check_points(json_t *pts, long long from, long long now, struct wg_err *err)
{
    size_t i, n = json_array_size(pts);
    json_t *p;
    if (!json_is_array(pts) || !n || n > WG_PATROL_BATCH_MAX)
        return wg_err_set(err, WG_EINVAL, "'points' must be a list of 1 to %d points [lon, lat, t]",
                          WG_PATROL_BATCH_MAX);
    json_array_foreach(pts, i, p)
    {
        json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1), *t = json_array_get(p, 2);
        if (!json_is_array(p) || json_array_size(p) != 3 || !json_is_number(x) ||
            !json_is_number(y) || !json_is_integer(t) || fabs(json_number_value(x)) > 180 ||
            fabs(json_number_value(y)) > 90 || json_integer_value(t) < from - 60 ||
            json_integer_value(t) > now + 600)
            return wg_err_set(err, WG_EINVAL,
                              "'points' item %zu must be [lon, lat, t]: WGS 84 degrees and a "
                              "time in unix seconds during the patrol",
                              i);
    }
    return WG_OK;
}

static double walked(json_t *prev_last, json_t *pts)
{
    double d = 0;
    json_t *a = prev_last, *b;
    size_t i;
    json_array_foreach(pts, i, b)
    {
        if (a)
            d += metres(
                json_number_value(json_array_get(a, 0)), json_number_value(json_array_get(a, 1)),
                json_number_value(json_array_get(b, 0)), json_number_value(json_array_get(b, 1)));
        a = b;
    }
    return d;
}

/* The actor's own patrol, still under way (p loaded in scope, the body checked before). */
static enum wg_rc own(const struct wg_actor *actor, const struct wg_patrol *p, struct wg_err *err)
{
    if (actor && strcmp(p->worker, actor->username))
        return wg_err_set(err, WG_EFORBIDDEN, "patrol %lld is %s's: only they record it", p->id,
                          p->worker);
    if (p->stopped_at)
        return wg_err_set(err, WG_ECONFLICT, "patrol %lld was stopped already", p->id);
    return WG_OK;
}

enum wg_rc wg_patrol_points(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_actor *actor, long long id, json_t *body, long long now,
                            int *added, struct wg_err *err)
{
    struct wg_patrol p;
    json_t *pts = json_object_get(body, "points"), *prev = NULL;
    char batch[72], *sealed = NULL, *last = NULL, *clear = NULL, *text = NULL;
    enum wg_rc rc;
    *added = 0;
    if ((rc = wg_patrol_load(db, keys, actor ? &actor->scope : NULL, id, &p, err)))
        return rc;
    if ((rc = key_of(body, "batch", batch, sizeof batch, 1, err)) ||
        (rc = check_points(pts, p.started_at, now, err)) || (rc = own(actor, &p, err)))
        goto out;
    text = json_dumps(pts, JSON_COMPACT);
    if ((rc = wg_pii_encrypt(keys, text, "patrol.track", &sealed, err)) ||
        (rc = wg_db_begin(db, err)))
        goto out;
    /* the distance runs on from the last point of the batch before */
    if (!(rc = wg_store_patrol_track_last(db, id, &last, err)) && last &&
        !(rc = wg_pii_decrypt(keys, last, "patrol.track", &clear, err))) {
        json_t *before = json_loads(clear, 0, NULL);
        prev = json_incref(json_array_get(before, json_array_size(before) - 1));
        json_decref(before);
    }
    if (!rc)
        rc = wg_store_patrol_track_add(db, id, batch, sealed, (long long)json_array_size(pts),
                                       walked(prev, pts), now, added, err);
    if (rc || (rc = wg_db_commit(db, err)))
        wg_db_rollback(db);
out:
    json_decref(prev);
    wg_pii_wipe(text);
    wg_pii_wipe(clear);
    free(sealed);
    free(last);
    wg_patrol_release(&p);
    return rc;
}

static enum wg_rc check_list(const struct wg_patrol_config *cfg, json_t *checks, json_t **out,
                             struct wg_err *err)
{
    size_t i;
    json_t *c;
    if (!checks || json_is_null(checks)) {
        *out = json_array();
        return WG_OK;
    }
    if (!json_is_array(checks) || json_array_size(checks) > WG_PATROL_CHECKS_MAX)
        return wg_err_set(err, WG_EINVAL, "'checks' must be a list of at most %d {place, ok, note}",
                          WG_PATROL_CHECKS_MAX);
    *out = json_array();
    json_array_foreach(checks, i, c)
    {
        const char *place = NULL, *note = NULL;
        int ok = 0, known = 0;
        enum wg_rc rc;
        static const char *const keys[] = {"place", "ok", "note", NULL};
        if (!json_is_object(c))
            rc = wg_err_set(err, WG_EINVAL, "must be {place, ok, note}");
        else if (!(rc = wg_jf_known(c, keys, "a check", err)) &&
                 !(rc = wg_jf_text(c, "place", 1, 63, &place, err)) &&
                 !(rc = wg_jf_bool(c, "ok", &ok, err)))
            rc = wg_jf_text(c, "note", 0, 500, &note, err);
        for (int k = 0; !rc && k < cfg->nplaces; k++)
            known |= !strcmp(cfg->places[k], place);
        if (!rc && !known)
            rc = wg_err_set(err, WG_EINVAL, "'place' '%s' is not on the checklist", place);
        if (rc) {
            json_decref(*out);
            *out = NULL; /* the caller releases what it holds: nothing */
            wg_err_prefix(err, "'checks' item %zu", i);
            return rc;
        }
        json_array_append_new(
            *out, json_pack("{s:s,s:b,s:s}", "place", place, "ok", ok, "note", note ? note : ""));
    }
    return WG_OK;
}

enum wg_rc wg_patrol_stop(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_patrol_config *cfg, const struct wg_actor *actor,
                          long long id, json_t *body, long long now, struct wg_err *err)
{
    struct wg_patrol p;
    json_t *checks = NULL;
    char *text = NULL, *sealed = NULL;
    long long at;
    int changed = 0;
    enum wg_rc rc = wg_patrol_load(db, keys, actor ? &actor->scope : NULL, id, &p, err);
    if (rc)
        return rc;
    if ((rc = time_of(body, "stopped_at", p.started_at, now, &at, err)) ||
        (rc = check_list(cfg, json_object_get(body, "checks"), &checks, err)) ||
        (rc = own(actor, &p, err)))
        goto out;
    text = json_dumps(checks, JSON_COMPACT);
    if ((rc = wg_pii_encrypt(keys, text, "patrol.checks", &sealed, err)))
        goto out;
    if (!(rc = wg_db_begin(db, err))) {
        rc = wg_store_patrol_stop(db, id, at, sealed, &changed, err);
        if (!rc && !changed)
            rc = wg_err_set(err, WG_ECONFLICT, "patrol %lld was stopped already", id);
        if (rc || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
out:
    json_decref(checks);
    wg_pii_wipe(text);
    free(sealed);
    wg_patrol_release(&p);
    return rc;
}

struct track {
    const struct wg_pii_keys *keys;
    json_t *arr;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_batch(const char *batch, const char *sealed, long long n, long long at, void *ctx)
{
    struct track *t = ctx;
    char *clear = NULL;
    (void)batch, (void)n, (void)at;
    if ((t->rc = wg_pii_decrypt(t->keys, sealed, "patrol.track", &clear, t->err)))
        return 1;
    json_t *pts = json_loads(clear, 0, NULL);
    wg_pii_wipe(clear);
    json_array_extend(t->arr, pts);
    json_decref(pts);
    return 0;
}

static int add_order(long long order_id, const char *number, void *ctx)
{
    json_array_append_new(ctx,
                          json_pack("{s:I,s:s}", "id", (json_int_t)order_id, "number", number));
    return 0;
}

enum wg_rc wg_patrol_json(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_patrol *p, int with_track, json_t **out,
                          struct wg_err *err)
{
    json_t *orders = json_array();
    enum wg_rc rc = db ? wg_store_patrol_orders(db, p->id, add_order, orders, err) : WG_OK;
    if (rc) {
        json_decref(orders);
        return rc;
    }
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:I,s:I,s:f,s:O,s:o,s:I}", "id", (json_int_t)p->id, "worker",
                  p->worker, "grid", p->grid, "started_at", (json_int_t)p->started_at, "points",
                  (json_int_t)p->points, "distance_m", round(p->distance_m * 10) / 10, "checks",
                  p->checks, "orders", orders, "version", (json_int_t)p->version);
    json_object_set_new(j, "stopped_at", p->stopped_at ? json_integer(p->stopped_at) : json_null());
    json_object_set_new(j, "client_key",
                        p->client_key[0] ? json_string(p->client_key) : json_null());
    if (with_track && db) {
        struct track t = {keys, json_array(), WG_OK, err};
        rc = wg_store_patrol_track(db, p->id, add_batch, &t, err);
        if (!rc)
            rc = t.rc;
        json_object_set_new(j, "track", t.arr);
    }
    if (rc)
        json_decref(j);
    else
        *out = j;
    return rc;
}

struct page {
    const struct wg_pii_keys *keys;
    json_t *arr;
    int n;
    long long last_at, last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_patrol(const struct wg_patrol_row *r, void *ctx)
{
    struct page *pg = ctx;
    struct wg_patrol p;
    json_t *j = NULL;
    struct opened o = {pg->keys, &p, WG_OK, pg->err};
    if (open_one(r, &o)) {
        pg->rc = o.rc;
        return 1;
    }
    if ((pg->rc = wg_patrol_json(NULL, pg->keys, &p, 0, &j, pg->err))) {
        wg_patrol_release(&p);
        return 1;
    }
    json_object_del(j, "orders");
    json_array_append_new(pg->arr, j);
    wg_patrol_release(&p);
    pg->n++;
    pg->last_at = r->started_at;
    pg->last_id = r->id;
    return 0;
}

enum wg_rc wg_patrol_list(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, const struct wg_visit_query *q,
                          json_t **out, struct wg_err *err)
{
    char lo[32], hi[33];
    long long limit = 50, from = 0, to = INT64_MAX, at = INT64_MAX, id = INT64_MAX;
    struct page pg = {keys, NULL, 0, 0, 0, WG_OK, err};
    enum wg_rc rc;
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_param_count(q->from, "from", 0, INT64_MAX, &from, err)) ||
        (rc = wg_param_count(q->to, "to", 0, INT64_MAX, &to, err)))
        return rc;
    if (q->worker && (strlen(q->worker) > 63 || !*q->worker))
        return wg_err_set(err, WG_EINVAL, "'worker' must be a username");
    if (q->cursor && *q->cursor) {
        const char *dot = strchr(q->cursor, '.');
        char head[24];
        if (!dot || dot - q->cursor >= (long)sizeof head ||
            (snprintf(head, sizeof head, "%.*s", (int)(dot - q->cursor), q->cursor),
             wg_param_whole(head, 0, INT64_MAX, &at)) ||
            wg_param_id(dot + 1, 1, INT64_MAX, &id))
            return wg_err_set(err, WG_EINVAL,
                              "'cursor' is not a cursor of this list; pass the "
                              "next_cursor of the page before");
    }
    if ((rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err)))
        return rc;
    struct wg_visit_filter f = {lo, hi,        q->worker ? q->worker : "", "", 0, from, to, at,
                                id, (int)limit};
    pg.arr = json_array();
    rc = wg_store_patrol_list(db, &f, add_patrol, &pg, err);
    if (!rc)
        rc = pg.rc;
    if (rc) {
        json_decref(pg.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "patrols", pg.arr, "limit", (json_int_t)limit);
    json_object_set_new(*out, "next_cursor",
                        pg.n == limit ? json_sprintf("%lld.%lld", pg.last_at, pg.last_id)
                                      : json_null());
    return WG_OK;
}

struct purge {
    long long before;
    long n;
};

static enum wg_rc purge_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct purge *p = ctx;
    return wg_store_patrol_track_purge(db, p->before, &p->n, err);
}

enum wg_rc wg_patrol_purge(struct wg_db *db, struct wg_committer *c,
                           const struct wg_patrol_config *cfg, long long now, long *n,
                           struct wg_err *err)
{
    struct purge p = {now - (long long)cfg->track_days * 86400, 0};
    enum wg_rc rc;
    if (c) {
        rc = wg_committer_run(c, purge_tx, &p, err);
    } else if (!(rc = wg_db_begin(db, err))) {
        if ((rc = purge_tx(db, &p, err)) || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    *n = p.n;
    return rc;
}

enum wg_rc wg_patrol_coverage(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                              const char *month, json_t **out, struct wg_err *err)
{
    struct wg_coverage_row c;
    struct wg_grid_row g;
    int first = month ? wg_civil_parse_month(month) : -1;
    enum wg_rc rc;
    if (!grid || !*grid || strlen(grid) > 30 || strspn(grid, "0123456789") != strlen(grid))
        return wg_err_set(err, WG_EINVAL, "'grid' is required: a grid code (digits)");
    if (first < 0 || strlen(month) != 7)
        return wg_err_set(err, WG_EINVAL, "'month' must be a month YYYY-MM");
    rc = wg_store_grid_current(db, grid, &g, NULL, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, grid)))
        return wg_err_set(err, WG_ENOTFOUND, "grid '%s' does not exist", grid);
    if (rc ||
        (rc = wg_store_visit_coverage(db, grid, wg_cst_midnight(first),
                                      wg_cst_midnight(wg_civil_month_end(first) + 1), &c, err)))
        return rc;
    *out = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:f}", "grid", grid, "month", month, "households",
                     (json_int_t)c.households, "households_visited", (json_int_t)c.visited,
                     "visits", (json_int_t)c.visits, "patrols", (json_int_t)c.patrols, "distance_m",
                     round(c.distance_m * 10) / 10);
    json_object_set_new(*out, "coverage",
                        c.households ? json_real((double)c.visited / (double)c.households)
                                     : json_null());
    return WG_OK;
}
