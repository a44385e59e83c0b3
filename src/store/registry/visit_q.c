/* Typed queries over the grid workers' visits (visit_q.h): stored with their sealed content,
 * found by the client's key, listed newest first from a keyset position; the persons due a
 * visit with their last one; a grid's month of visits. */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/visit_q.h"

enum wg_rc wg_store_visit_insert(struct wg_db *db, const struct wg_visit_row *v, long long *id,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(v->client_key),
                         WG_VTEXT(v->subject_kind),
                         WG_VINT(v->subject_id),
                         WG_VTEXT(v->grid),
                         WG_VTEXT(v->worker),
                         WG_VINT(v->visited_at),
                         v->has_point ? WG_VREAL(v->lon) : WG_VNULL,
                         v->has_point ? WG_VREAL(v->lat) : WG_VNULL,
                         WG_VTEXT(v->method),
                         WG_VTEXT(v->content),
                         WG_VTEXT(v->findings),
                         v->order_id ? WG_VINT(v->order_id) : WG_VNULL,
                         WG_VTEXT(v->created_by),
                         WG_VINT(v->created_at)};
    enum wg_rc rc = wg_db_query_int(db, WG_Q_VISIT_INSERT, p, WG_NVALS(p), id, NULL, err);
    /* a visit moves its subject's due day, or each member's of a household */
    if (!rc && !strcmp(v->subject_kind, "person"))
        rc = wg_store_visit_due_mark(db, v->subject_id, err);
    else if (!rc && !strcmp(v->subject_kind, "household"))
        rc = wg_store_visit_due_mark_household(db, v->subject_id, err);
    return rc;
}

struct each {
    int (*cb)(const struct wg_visit_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_visit_row v = {.id = wg_row_int(row, 0),
                             .subject_id = wg_row_int(row, 3),
                             .visited_at = wg_row_int(row, 6),
                             .has_point = !wg_row_isnull(row, 7),
                             .lon = wg_row_real(row, 7),
                             .lat = wg_row_real(row, 8),
                             .content = wg_row_text(row, 10),
                             .findings = wg_row_text(row, 11),
                             .order_id = wg_row_int(row, 12),
                             .created_at = wg_row_int(row, 14)};
    if (wg_row_copy(row, 1, v.client_key, sizeof v.client_key) ||
        wg_row_copy(row, 2, v.subject_kind, sizeof v.subject_kind) ||
        wg_row_copy(row, 4, v.grid, sizeof v.grid) ||
        wg_row_copy(row, 5, v.worker, sizeof v.worker) ||
        wg_row_copy(row, 9, v.method, sizeof v.method) ||
        wg_row_copy(row, 13, v.created_by, sizeof v.created_by) ||
        wg_row_copy(row, 15, v.order_number, sizeof v.order_number))
        return -1;
    e->rows++;
    return e->cb(&v, e->ctx);
}

enum wg_rc wg_store_visit_get(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_visit_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_VISIT_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "visit %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                                    long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(created_by), WG_VTEXT(key)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_VISIT_BY_CLIENT, v, 2, id, NULL, err);
}

enum wg_rc wg_store_visit_list(struct wg_db *db, const struct wg_visit_filter *f,
                               int (*cb)(const struct wg_visit_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(f->lo),   WG_VTEXT(f->hi),       WG_VTEXT(f->worker),
                         WG_VTEXT(f->kind), WG_VINT(f->subject),   WG_VINT(f->from),
                         WG_VINT(f->to),    WG_VINT(f->before_at), WG_VINT(f->before_id),
                         WG_VINT(f->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_VISIT_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_visit_set_order(struct wg_db *db, long long id, long long order_id,
                                    int *changed, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(order_id), WG_VINT(id)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_VISIT_SET_ORDER, v, 2, &n, err);
    *changed = n > 0;
    return rc;
}

struct source {
    char *kind;
    long long *ref;
};

static int take_source(struct wg_row *row, void *ctx)
{
    struct source *s = ctx;
    if (wg_row_copy(row, 0, s->kind, 8))
        return -1;
    *s->ref = wg_row_int(row, 1);
    return 1;
}

enum wg_rc wg_store_order_field_source(struct wg_db *db, long long order_id, char kind[8],
                                       long long *ref, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order_id)};
    struct source s = {kind, ref};
    kind[0] = '\0';
    *ref = 0;
    return wg_db_query(db, WG_Q_ORDER_FIELD_SOURCE, v, 1, take_source, &s, err);
}

struct due_each {
    int (*cb)(const struct wg_due_row *, void *);
    void *ctx;
};

/* the person's columns as store/registry/person_q.c reads them, then the visits' */
static int take_due(struct wg_row *row, void *ctx)
{
    struct due_each *e = ctx;
    struct wg_person_row p;
    if (wg_store_person_read_row(row, &p))
        return -1;
    struct wg_due_row d = {&p,
                           wg_row_int(row, 16),
                           wg_row_int(row, 17),
                           wg_row_text(row, 18),
                           wg_row_int(row, 19),
                           wg_row_int(row, 20)};
    return e->cb(&d, e->ctx);
}

enum wg_rc wg_store_visit_due_page(struct wg_db *db, const char *lo, const char *hi,
                                   const char *after_grid, long long after_id, int limit,
                                   int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(after_grid), WG_VINT(after_id),
                         WG_VINT(limit)};
    struct due_each e = {cb, ctx};
    return wg_db_query(db, WG_Q_VISIT_DUE_PAGE, v, WG_NVALS(v), take_due, &e, err);
}

enum wg_rc wg_store_visit_reminder_add(struct wg_db *db, long long person, long long due_at,
                                       long long now, int *added, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(person), WG_VINT(due_at), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_VISIT_REMINDER_ADD, v, 3, &n, err);
    *added = n > 0;
    return rc;
}

enum wg_rc wg_store_visit_reminder_purge(struct wg_db *db, long long before, long *n,
                                         struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(before)};
    *n = 0;
    return wg_db_exec(db, WG_Q_VISIT_REMINDER_PURGE, v, 1, n, err);
}

static int take_month(struct wg_row *row, void *ctx)
{
    struct wg_coverage_row *c = ctx;
    c->patrols = wg_row_int(row, 0);
    c->distance_m = wg_row_real(row, 1);
    return 1;
}

enum wg_rc wg_store_visit_coverage(struct wg_db *db, const char *grid, long long from, long long to,
                                   struct wg_coverage_row *out, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(grid), WG_VINT(from), WG_VINT(to)};
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = wg_db_query_int(db, WG_Q_VISIT_HOUSEHOLDS_VISITED, v, 3, &out->visited, NULL, err)) ||
        (rc = wg_db_query_int(db, WG_Q_VISIT_HOUSEHOLDS_IN_GRID, v, 1, &out->households, NULL,
                              err)) ||
        (rc = wg_db_query_int(db, WG_Q_VISIT_COUNT_IN_GRID, v, 3, &out->visits, NULL, err)))
        return rc;
    return wg_db_query(db, WG_Q_PATROL_MONTH, v, 3, take_month, out, err);
}

/* ---- the kept due days (migration 38) ---- */

enum wg_rc wg_store_visit_due_touch(struct wg_db *db, long long person, const char *grid,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(person), WG_VTEXT(grid)};
    return wg_db_exec(db, WG_Q_VISIT_DUE_TOUCH, v, 2, NULL, err);
}

enum wg_rc wg_store_visit_due_mark(struct wg_db *db, long long person, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(person)};
    return wg_db_exec(db, WG_Q_VISIT_DUE_MARK, v, 1, NULL, err);
}

enum wg_rc wg_store_visit_due_mark_household(struct wg_db *db, long long household,
                                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(household)};
    return wg_db_exec(db, WG_Q_VISIT_DUE_TOUCH_HOUSEHOLD, v, 1, NULL, err);
}

enum wg_rc wg_store_visit_due_touch_ids(struct wg_db *db, long long after, long long upto,
                                        struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(after), WG_VINT(upto)};
    return wg_db_exec(db, WG_Q_VISIT_DUE_TOUCH_IDS, v, 2, NULL, err);
}

enum wg_rc wg_store_person_max_id(struct wg_db *db, long long *max_id, struct wg_err *err)
{
    *max_id = 0;
    return wg_db_query_int(db, WG_Q_PERSON_MAX_ID, NULL, 0, max_id, NULL, err);
}

enum wg_rc wg_store_visit_due_settle(struct wg_db *db, long long person, long long stamp,
                                     long long due_at, int due_day, struct wg_err *err)
{
    struct wg_val set[] = {WG_VINT(due_at), WG_VINT(due_day), WG_VINT(person), WG_VINT(stamp)};
    struct wg_val drop[] = {WG_VINT(person), WG_VINT(stamp)};
    if (!due_at)
        return wg_db_exec(db, WG_Q_VISIT_DUE_DROP, drop, 2, NULL, err);
    return wg_db_exec(db, WG_Q_VISIT_DUE_SETTLE, set, 4, NULL, err);
}

/* [g, g!) is one grid (domain/registry: wg_registry_range) */
static int one_grid(const char *hi)
{
    size_t n = strlen(hi);
    return n && hi[n - 1] == '!';
}

enum wg_rc wg_store_visit_due_marked(struct wg_db *db, const char *lo, const char *hi,
                                     long long after, int limit,
                                     int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                     struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(after), WG_VINT(limit)};
    struct due_each e = {cb, ctx};
    return wg_db_query(db, one_grid(hi) ? WG_Q_VISIT_DUE_MARKED_GRID : WG_Q_VISIT_DUE_MARKED, v,
                       WG_NVALS(v), take_due, &e, err);
}

enum wg_rc wg_store_visit_due_soon(struct wg_db *db, const char *lo, const char *hi, long long upto,
                                   long long after_at, long long after_id, int limit,
                                   int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo),      WG_VTEXT(hi),      WG_VINT(upto),
                         WG_VINT(after_at), WG_VINT(after_id), WG_VINT(limit)};
    struct due_each e = {cb, ctx};
    return wg_db_query(db, one_grid(hi) ? WG_Q_VISIT_DUE_SOON_GRID : WG_Q_VISIT_DUE_SOON, v,
                       WG_NVALS(v), take_due, &e, err);
}

enum wg_rc wg_store_visit_due_count(struct wg_db *db, const char *lo, const char *hi,
                                    long long upto, long long cap, long long *n, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(upto), WG_VINT(cap)};
    *n = 0;
    return wg_db_query_int(db, one_grid(hi) ? WG_Q_VISIT_DUE_COUNT_GRID : WG_Q_VISIT_DUE_COUNT, v,
                           4, n, NULL, err);
}

struct by_grid {
    int (*cb)(const char *, long long, void *);
    void *ctx;
};

static int take_by_grid(struct wg_row *row, void *ctx)
{
    struct by_grid *b = ctx;
    return b->cb(wg_row_text(row, 0), wg_row_int(row, 1), b->ctx);
}

enum wg_rc wg_store_visit_due_by_grid(struct wg_db *db, const char *lo, const char *hi,
                                      long long upto, long long cap,
                                      int (*cb)(const char *grid, long long n, void *), void *ctx,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(upto), WG_VINT(cap)};
    struct by_grid b = {cb, ctx};
    return wg_db_query(db, WG_Q_VISIT_DUE_BY_GRID, v, 4, take_by_grid, &b, err);
}
