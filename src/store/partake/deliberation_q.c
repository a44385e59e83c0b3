/* Typed queries over deliberations and the communities' lists (deliberation_q.h): stored,
 * read one at a time or a page of a place, the current notices, moved under a version,
 * their timeline appended. */
#include "store/store.h"

#include "store/backend.h"
#include "store/partake/deliberation_q.h"

enum wg_rc wg_store_delib_insert(struct wg_db *db, const struct wg_delib_row *d, long long *id,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(d->topic),      WG_VTEXT(d->place),     WG_VTEXT(d->origin),
                         WG_VTEXT(d->created_by), WG_VINT(d->created_at), WG_VINT(d->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_DELIB_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a deliberation gave no id");
    return rc;
}

struct each {
    int (*cb)(const struct wg_delib_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_delib_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    r.topic = wg_row_text(row, 1);
    wg_row_copy(row, 2, r.place, sizeof r.place);
    r.origin = wg_row_text(row, 3);
    wg_row_copy(row, 4, r.state, sizeof r.state);
    r.branch = wg_row_text(row, 5);
    r.council = wg_row_text(row, 6);
    r.resolution = wg_row_text(row, 7);
    r.task = wg_row_text(row, 8);
    r.notice = wg_row_text(row, 9);
    wg_row_copy(row, 10, r.notice_from, sizeof r.notice_from);
    wg_row_copy(row, 11, r.notice_until, sizeof r.notice_until);
    r.version = wg_row_int(row, 12);
    wg_row_copy(row, 13, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 14);
    r.updated_at = wg_row_int(row, 15);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_delib_get(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_delib_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_DELIB_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "deliberation %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_delib_list(struct wg_db *db, const char *lo, const char *hi, const char *state,
                               long long below, int limit,
                               int (*cb)(const struct wg_delib_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(state), WG_VINT(below),
                         WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_DELIB_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_delib_notices(struct wg_db *db, const char *lo, const char *hi, const char *day,
                                  int limit, int (*cb)(const struct wg_delib_row *, void *),
                                  void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(day), WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_DELIB_NOTICES, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_delib_move(struct wg_db *db, const struct wg_delib_row *d, long long version,
                               struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(d->id),           WG_VINT(version),
                         WG_VTEXT(d->state),       WG_VTEXT(d->branch),
                         WG_VTEXT(d->council),     WG_VTEXT(d->resolution),
                         WG_VTEXT(d->task),        WG_VTEXT(d->notice),
                         WG_VTEXT(d->notice_from), WG_VTEXT(d->notice_until),
                         WG_VINT(d->updated_at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_DELIB_MOVE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "deliberation %lld changed since version %lld was read: read it again",
                          d->id, version);
    return rc;
}

enum wg_rc wg_store_delib_event(struct wg_db *db, long long id, long long at, const char *actor,
                                const char *step, const char *from, const char *to,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id),    WG_VINT(at),    WG_VTEXT(actor),
                         WG_VTEXT(step), WG_VTEXT(from), WG_VTEXT(to)};
    return wg_db_exec(db, WG_Q_DELIB_EVENT_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each_event {
    int (*cb)(long long, const char *, const char *, const char *, const char *, void *);
    void *ctx;
};

static int take_event(struct wg_row *row, void *ctx)
{
    struct each_event *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_text(row, 3),
                 wg_row_text(row, 4), e->ctx);
}

enum wg_rc wg_store_delib_events(struct wg_db *db, long long id,
                                 int (*cb)(long long at, const char *actor, const char *step,
                                           const char *from, const char *to, void *ctx),
                                 void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_event e = {cb, ctx};
    return wg_db_query(db, WG_Q_DELIB_EVENTS, v, 1, take_event, &e, err);
}

enum wg_rc wg_store_partake_item_insert(struct wg_db *db, const struct wg_partake_item *it,
                                        long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(it->community),  WG_VTEXT(it->kind),
                         WG_VTEXT(it->title),      WG_VTEXT(it->detail),
                         WG_VTEXT(it->created_by), WG_VINT(it->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_PARTAKE_LIST_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a list entry gave no id");
    return rc;
}

struct each_item {
    int (*cb)(const struct wg_partake_item *, void *);
    void *ctx;
};

static int take_item(struct wg_row *row, void *ctx)
{
    struct each_item *e = ctx;
    struct wg_partake_item it;
    memset(&it, 0, sizeof it);
    it.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, it.community, sizeof it.community);
    wg_row_copy(row, 2, it.kind, sizeof it.kind);
    it.title = wg_row_text(row, 3);
    it.detail = wg_row_text(row, 4);
    wg_row_copy(row, 5, it.created_by, sizeof it.created_by);
    it.created_at = wg_row_int(row, 6);
    return e->cb(&it, e->ctx);
}

enum wg_rc wg_store_partake_items(struct wg_db *db, const char *lo, const char *hi,
                                  const char *kind, int limit,
                                  int (*cb)(const struct wg_partake_item *, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(kind), WG_VINT(limit)};
    struct each_item e = {cb, ctx};
    return wg_db_query(db, WG_Q_PARTAKE_LIST_LIST, v, WG_NVALS(v), take_item, &e, err);
}
