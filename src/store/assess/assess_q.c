/* Typed queries of assessment (assess_q.h): schemes and their kept versions, results read one
 * at a time, by key or a page of a range and changed under a version, their history, the
 * objects assessed and the records and counters behind the computed figures. */
#include "store/store.h"

#include <stdio.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/assess/assess_q.h"
#include "store/backend.h"

struct text_out {
    long long version;
    char *body;
    int rows;
};

static int take_scheme(struct wg_row *row, void *ctx)
{
    struct text_out *o = ctx;
    o->version = wg_row_int(row, 0);
    o->body = wg_strdup(wg_row_text(row, 1));
    o->rows++;
    return 0;
}

enum wg_rc wg_store_assess_scheme_get(struct wg_db *db, const char *kind, long long *version,
                                      char **body, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(kind)};
    struct text_out o = {0, NULL, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ASSESS_SCHEME_GET, v, 1, take_scheme, &o, err);
    *version = o.version;
    *body = o.body;
    return rc;
}

static int take_body(struct wg_row *row, void *ctx)
{
    struct text_out *o = ctx;
    o->body = wg_strdup(wg_row_text(row, 0));
    o->rows++;
    return 0;
}

enum wg_rc wg_store_assess_scheme_at(struct wg_db *db, const char *kind, long long version,
                                     char **body, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(kind), WG_VINT(version)};
    struct text_out o = {0, NULL, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ASSESS_SCHEME_AT, v, 2, take_body, &o, err);
    if (!rc && !o.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "version %lld of the %s scheme does not exist", version,
                        kind);
    *body = o.body;
    return rc;
}

enum wg_rc wg_store_assess_scheme_put(struct wg_db *db, const char *kind, long long version,
                                      const char *body, const char *by, long long at,
                                      struct wg_err *err)
{
    long n = 0;
    enum wg_rc rc;
    if (version == 0) {
        struct wg_val v[] = {WG_VTEXT(kind), WG_VTEXT(body), WG_VTEXT(by), WG_VINT(at)};
        rc = wg_db_exec(db, WG_Q_ASSESS_SCHEME_FIRST, v, WG_NVALS(v), &n, err);
    } else {
        struct wg_val v[] = {WG_VTEXT(kind), WG_VTEXT(body), WG_VTEXT(by), WG_VINT(at),
                             WG_VINT(version)};
        rc = wg_db_exec(db, WG_Q_ASSESS_SCHEME_SET, v, WG_NVALS(v), &n, err);
    }
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "the %s scheme changed since version %lld was read: read it again", kind,
                          version);
    struct wg_val k[] = {WG_VTEXT(kind), WG_VINT(version + 1), WG_VTEXT(body), WG_VTEXT(by),
                         WG_VINT(at)};
    if (!rc)
        rc = wg_db_exec(db, WG_Q_ASSESS_SCHEME_KEEP, k, WG_NVALS(k), NULL, err);
    return rc;
}

enum wg_rc wg_store_assess_insert(struct wg_db *db, const struct wg_assess_row *r, long long *id,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(r->kind),       WG_VTEXT(r->period),   WG_VTEXT(r->region),
                         WG_VTEXT(r->object),     WG_VTEXT(r->name),     WG_VINT(r->scheme_version),
                         WG_VREAL(r->total),      WG_VTEXT(r->cls),      WG_VTEXT(r->items),
                         WG_VTEXT(r->created_by), WG_VINT(r->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_ASSESS_RESULT_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a result gave no id");
    return rc;
}

struct each {
    int (*cb)(const struct wg_assess_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_assess_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.kind, sizeof r.kind);
    wg_row_copy(row, 2, r.period, sizeof r.period);
    wg_row_copy(row, 3, r.region, sizeof r.region);
    wg_row_copy(row, 4, r.object, sizeof r.object);
    r.name = wg_row_text(row, 5);
    r.scheme_version = wg_row_int(row, 6);
    wg_row_copy(row, 7, r.state, sizeof r.state);
    r.total = wg_row_real(row, 8);
    wg_row_copy(row, 9, r.cls, sizeof r.cls);
    r.items = wg_row_text(row, 10);
    r.version = wg_row_int(row, 11);
    wg_row_copy(row, 12, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 13);
    r.updated_at = wg_row_int(row, 14);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_assess_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ASSESS_RESULT_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "assessment %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_assess_key(struct wg_db *db, const char *kind, const char *period,
                               const char *region, const char *object,
                               int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                               int *found, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(kind), WG_VTEXT(period), WG_VTEXT(region), WG_VTEXT(object)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ASSESS_RESULT_KEY, v, WG_NVALS(v), take, &e, err);
    *found = e.rows;
    return rc;
}

enum wg_rc wg_store_assess_list(struct wg_db *db, const struct wg_assess_range *q,
                                int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->kind), WG_VTEXT(q->period), WG_VTEXT(q->lo),  WG_VTEXT(q->hi),
                         WG_VTEXT(q->year), WG_VTEXT(q->state),  WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_ASSESS_RESULT_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_assess_set(struct wg_db *db, long long id, long long version, const char *was,
                               const char *items, double total, const char *cls, const char *state,
                               long long scheme_version, long long at, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(id),      WG_VTEXT(items), WG_VREAL(total),
                         WG_VTEXT(cls),    WG_VTEXT(state), WG_VINT(at),
                         WG_VINT(version), WG_VTEXT(was),   WG_VINT(scheme_version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ASSESS_RESULT_SET, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "assessment %lld changed since version %lld was read: read it again", id,
                          version);
    return rc;
}

enum wg_rc wg_store_assess_history_add(struct wg_db *db, long long result,
                                       const struct wg_assess_change *c, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(result),
                         WG_VINT(c->at),
                         WG_VTEXT(c->actor),
                         WG_VTEXT(c->action),
                         WG_VTEXT(c->code ? c->code : ""),
                         WG_VTEXT(c->old ? c->old : ""),
                         WG_VTEXT(c->new_ ? c->new_ : ""),
                         WG_VTEXT(c->reason ? c->reason : "")};
    return wg_db_exec(db, WG_Q_ASSESS_HISTORY_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each_change {
    int (*cb)(const struct wg_assess_change *, void *);
    void *ctx;
};

static int take_change(struct wg_row *row, void *ctx)
{
    struct each_change *e = ctx;
    struct wg_assess_change c = {wg_row_int(row, 0),  wg_row_text(row, 1), wg_row_text(row, 2),
                                 wg_row_text(row, 3), wg_row_text(row, 4), wg_row_text(row, 5),
                                 wg_row_text(row, 6)};
    return e->cb(&c, e->ctx);
}

enum wg_rc wg_store_assess_history(struct wg_db *db, long long result,
                                   int (*cb)(const struct wg_assess_change *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(result)};
    struct each_change e = {cb, ctx};
    return wg_db_query(db, WG_Q_ASSESS_HISTORY, v, 1, take_change, &e, err);
}

struct each_object {
    int (*cb)(const char *, const char *, const char *, void *);
    void *ctx;
};

static int take_object(struct wg_row *row, void *ctx)
{
    struct each_object *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc
wg_store_assess_objects(struct wg_db *db, const char *kind, const char *lo, const char *hi,
                        int (*cb)(const char *key, const char *name, const char *region, void *),
                        void *ctx, struct wg_err *err)
{
    enum wg_q q = !strcmp(kind, "grid")     ? WG_Q_ASSESS_GRIDS
                  : !strcmp(kind, "worker") ? WG_Q_ASSESS_WORKERS
                  : !strcmp(kind, "unit")   ? WG_Q_ASSESS_UNITS
                                            : WG_Q_ASSESS_TOWNS;
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi)};
    struct each_object e = {cb, ctx};
    return wg_db_query(db, q, v, 2, take_object, &e, err);
}

struct each_rec {
    int (*cb)(const struct wg_assess_rec *, void *);
    void *ctx;
};

static int take_rec(struct wg_row *row, void *ctx)
{
    struct each_rec *e = ctx;
    const char *grid = wg_row_text(row, 0), *who = wg_row_text(row, 1);
    struct wg_assess_rec r = {grid ? grid : "", who ? who : "", wg_row_int(row, 2),
                              wg_row_int(row, 3), wg_row_int(row, 4)};
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_assess_records(struct wg_db *db, enum wg_assess_src src, long long from,
                                   long long to, const char *lo, const char *hi,
                                   int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                                   struct wg_err *err)
{
    static const enum wg_q qs[] = {WG_Q_ASSESS_M_FINDINGS, WG_Q_ASSESS_M_SELF, WG_Q_ASSESS_M_VISITS,
                                   WG_Q_ASSESS_M_PATROLS, WG_Q_ASSESS_M_DISPUTES};
    struct each_rec e = {cb, ctx};
    if (src <= WG_ASSESS_SELF) { /* orders keep their times as ISO text */
        char a[32], b[32];
        wg_clock_iso(from, a);
        wg_clock_iso(to, b);
        struct wg_val v[] = {WG_VTEXT(a), WG_VTEXT(b), WG_VTEXT(lo), WG_VTEXT(hi)};
        return wg_db_query(db, qs[src], v, 4, take_rec, &e, err);
    }
    struct wg_val v[] = {WG_VINT(from), WG_VINT(to), WG_VTEXT(lo), WG_VTEXT(hi)};
    return wg_db_query(db, qs[src], v, 4, take_rec, &e, err);
}

enum wg_rc wg_store_assess_due(struct wg_db *db, int day, const char *lo, const char *hi,
                               int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(day), WG_VTEXT(lo), WG_VTEXT(hi)};
    struct each_rec e = {cb, ctx};
    return wg_db_query(db, WG_Q_ASSESS_M_DUE, v, 3, take_rec, &e, err);
}

enum wg_rc wg_store_assess_registry(struct wg_db *db, const char *lo, const char *hi,
                                    int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi)};
    struct each_rec e = {cb, ctx};
    enum wg_rc rc = wg_db_query(db, WG_Q_ASSESS_M_PERSONS, v, 2, take_rec, &e, err);
    return rc ? rc : wg_db_query(db, WG_Q_ASSESS_M_HOUSES, v, 2, take_rec, &e, err);
}

struct each_stat {
    int (*cb)(const char *, const char *, const long long[8], void *);
    void *ctx;
};

static int take_stat(struct wg_row *row, void *ctx)
{
    struct each_stat *e = ctx;
    long long c[8];
    for (int i = 0; i < 8; i++)
        c[i] = wg_row_int(row, 2 + i);
    const char *unit = wg_row_text(row, 1);
    return e->cb(wg_row_text(row, 0), unit ? unit : "", c, e->ctx);
}

enum wg_rc wg_store_assess_stats(struct wg_db *db, int d0, int d1, const char *lo, const char *hi,
                                 int (*cb)(const char *leaf, const char *unit, const long long c[8],
                                           void *),
                                 void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(d0), WG_VINT(d1), WG_VTEXT(lo), WG_VTEXT(hi)};
    struct each_stat e = {cb, ctx};
    return wg_db_query(db, WG_Q_ASSESS_M_STATS, v, 4, take_stat, &e, err);
}

struct each_staff {
    int (*cb)(const char *, const char *, void *);
    void *ctx;
};

static int take_staff(struct wg_row *row, void *ctx)
{
    struct each_staff *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), e->ctx);
}

enum wg_rc wg_store_assess_town_staff(struct wg_db *db, const char *lo, const char *hi,
                                      int (*cb)(const char *user, const char *town, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi)};
    struct each_staff e = {cb, ctx};
    return wg_db_query(db, WG_Q_ASSESS_TOWN_STAFF, v, 2, take_staff, &e, err);
}
