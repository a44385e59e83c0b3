/* Typed queries over early warnings (warning_q.h): the orders the follower reads and its
 * position under a lock, the situations' open warnings found and grown, the loop's steps
 * under a version, the lists, and the rules in force. */
#include "store/store.h"

#include <stdlib.h>

#include "core/alloc.h"

#include "store/alerts/warning_q.h"
#include "store/backend.h"

struct follow {
    int (*cb)(const struct wg_warn_order_row *, void *);
    void *ctx;
};

static int take_order(struct wg_row *row, void *ctx)
{
    struct follow *f = ctx;
    struct wg_warn_order_row o;
    o.id = wg_row_int(row, 0);
    o.item = wg_row_text(row, 1);
    o.grid = wg_row_text(row, 2);
    o.county = wg_row_text(row, 3);
    o.has_point = !wg_row_isnull(row, 4) && !wg_row_isnull(row, 5);
    o.lon = o.has_point ? wg_row_real(row, 4) : 0;
    o.lat = o.has_point ? wg_row_real(row, 5) : 0;
    o.created_at = wg_row_text(row, 6);
    o.phone_blind = wg_row_text(row, 7);
    o.phone_sealed = wg_row_text(row, 8);
    o.title = wg_row_text(row, 9);
    o.content = wg_row_text(row, 10);
    return f->cb(&o, f->ctx);
}

enum wg_rc wg_store_warn_follow(struct wg_db *db, long long after, int limit,
                                int (*cb)(const struct wg_warn_order_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(after), WG_VINT(limit)};
    struct follow f = {cb, ctx};
    return wg_db_query(db, WG_Q_WARN_FOLLOW, v, WG_NVALS(v), take_order, &f, err);
}

struct back {
    int (*cb)(long long, const char *, void *);
    void *ctx;
};

static int take_back(struct wg_row *row, void *ctx)
{
    struct back *b = ctx;
    return b->cb(wg_row_int(row, 0), wg_row_text(row, 1), b->ctx);
}

enum wg_rc wg_store_warn_back(struct wg_db *db, long long before, int limit,
                              int (*cb)(long long id, const char *created_at, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(before), WG_VINT(limit)};
    struct back b = {cb, ctx};
    return wg_db_query(db, WG_Q_WARN_BACK, v, WG_NVALS(v), take_back, &b, err);
}

enum wg_rc wg_store_warn_max_order(struct wg_db *db, long long *out, struct wg_err *err)
{
    *out = 0;
    return wg_db_query_int(db, WG_Q_WARN_MAX_ORDER, NULL, 0, out, NULL, err);
}

enum wg_rc wg_store_warn_pos_get(struct wg_db *db, long long *upto, struct wg_err *err)
{
    *upto = 0;
    return wg_db_query_int(db, WG_Q_WARN_POS_GET, NULL, 0, upto, NULL, err);
}

enum wg_rc wg_store_warn_pos_lock(struct wg_db *db, long long *upto, struct wg_err *err)
{
    long n = 0;
    int found = 0;
    /* the row made by the first writer (a copied store brings its own) */
    enum wg_rc rc = wg_db_exec(db, WG_Q_WARN_POS_MAKE, NULL, 0, NULL, err);
    if (!rc)
        rc = wg_db_exec(db, WG_Q_WARN_POS_LOCK, NULL, 0, &n, err);
    *upto = 0;
    if (!rc)
        rc = wg_db_query_int(db, WG_Q_WARN_POS_GET, NULL, 0, upto, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "the warnings' follower's position row is missing");
    return rc;
}

enum wg_rc wg_store_warn_pos_set(struct wg_db *db, long long upto, long long now,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(upto), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_WARN_POS_SET, v, WG_NVALS(v), NULL, err);
}

struct each {
    int (*cb)(const struct wg_warning_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_warning_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.kind, sizeof r.kind);
    wg_row_copy(row, 2, r.level, sizeof r.level);
    wg_row_copy(row, 3, r.state, sizeof r.state);
    wg_row_copy(row, 4, r.item, sizeof r.item);
    wg_row_copy(row, 5, r.scope, sizeof r.scope);
    wg_row_copy(row, 6, r.key, sizeof r.key);
    r.has_point = !wg_row_isnull(row, 7) && !wg_row_isnull(row, 8);
    r.lon = r.has_point ? wg_row_real(row, 7) : 0;
    r.lat = r.has_point ? wg_row_real(row, 8) : 0;
    r.count = wg_row_int(row, 9);
    r.detail = wg_row_text(row, 10);
    wg_row_copy(row, 11, r.phone, sizeof r.phone);
    wg_row_copy(row, 12, r.owner, sizeof r.owner);
    r.note = wg_row_text(row, 13);
    wg_row_copy(row, 14, r.handled_kind, sizeof r.handled_kind);
    r.handled_ref = wg_row_int(row, 15);
    r.first_at = wg_row_int(row, 16);
    r.last_at = wg_row_int(row, 17);
    r.version = wg_row_int(row, 18);
    r.created_at = wg_row_int(row, 19);
    r.updated_at = wg_row_int(row, 20);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_warn_open(struct wg_db *db, const char *kind, const char *item, const char *key,
                              int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(kind), WG_VTEXT(item), WG_VTEXT(key)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_WARN_OPEN, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_warn_insert(struct wg_db *db, const struct wg_warning_row *r, long long *id,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(r->kind),
                         WG_VTEXT(r->level),
                         WG_VTEXT(r->item),
                         WG_VTEXT(r->scope),
                         WG_VTEXT(r->key),
                         r->has_point ? WG_VREAL(r->lon) : WG_VNULL,
                         r->has_point ? WG_VREAL(r->lat) : WG_VNULL,
                         WG_VTEXT(r->detail),
                         WG_VTEXT(r->phone),
                         WG_VINT(r->first_at),
                         WG_VINT(r->last_at),
                         WG_VINT(r->created_at),
                         WG_VINT(r->created_at)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_WARN_INSERT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_warn_link(struct wg_db *db, long long id, const char *ids_json,
                              long long *count, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(ids_json)};
    struct wg_val c[] = {WG_VINT(id)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_WARN_LINK, v, WG_NVALS(v), NULL, err);
    *count = 0;
    return rc ? rc : wg_db_query_int(db, WG_Q_WARN_COUNT, c, 1, count, NULL, err);
}

enum wg_rc wg_store_warn_grow(struct wg_db *db, long long id, long long count, const char *level,
                              const char *detail, const char *phone, long long last_at,
                              long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id),     WG_VINT(count),   WG_VTEXT(level), WG_VTEXT(detail),
                         WG_VTEXT(phone), WG_VINT(last_at), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_WARN_GROW, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_warn_event(struct wg_db *db, long long id, long long at, const char *actor,
                               const char *action, const char *from, const char *to,
                               const char *detail, const char *note, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id),    WG_VINT(at),  WG_VTEXT(actor),  WG_VTEXT(action),
                         WG_VTEXT(from), WG_VTEXT(to), WG_VTEXT(detail), WG_VTEXT(note)};
    return wg_db_exec(db, WG_Q_WARN_EVENT, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_warn_get(struct wg_db *db, long long id,
                             int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_WARN_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "warning %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_warn_list(struct wg_db *db, const struct wg_warn_range *q,
                              int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),    WG_VTEXT(q->hi),    WG_VTEXT(q->kind),
                         WG_VTEXT(q->level), WG_VTEXT(q->state), WG_VTEXT(q->item),
                         WG_VINT(q->since),  WG_VINT(q->before), WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_WARN_LIST, v, WG_NVALS(v), take, &e, err);
}

struct brief {
    int (*cb)(const struct wg_warn_order_brief *, void *);
    void *ctx;
};

static int take_brief(struct wg_row *row, void *ctx)
{
    struct brief *b = ctx;
    struct wg_warn_order_brief o = {wg_row_int(row, 0),  wg_row_text(row, 1), wg_row_text(row, 2),
                                    wg_row_text(row, 3), wg_row_text(row, 4), wg_row_text(row, 5),
                                    wg_row_text(row, 6)};
    return b->cb(&o, b->ctx);
}

enum wg_rc wg_store_warn_orders(struct wg_db *db, long long id, int limit,
                                int (*cb)(const struct wg_warn_order_brief *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VINT(limit)};
    struct brief b = {cb, ctx};
    return wg_db_query(db, WG_Q_WARN_ORDERS, v, WG_NVALS(v), take_brief, &b, err);
}

struct events {
    int (*cb)(const struct wg_warn_event_row *, void *);
    void *ctx;
};

static int take_event(struct wg_row *row, void *ctx)
{
    struct events *e = ctx;
    struct wg_warn_event_row r = {wg_row_int(row, 0),  wg_row_int(row, 1),  wg_row_text(row, 2),
                                  wg_row_text(row, 3), wg_row_text(row, 4), wg_row_text(row, 5),
                                  wg_row_text(row, 6), wg_row_text(row, 7)};
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_warn_events(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_warn_event_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct events e = {cb, ctx};
    return wg_db_query(db, WG_Q_WARN_EVENTS, v, 1, take_event, &e, err);
}

enum wg_rc wg_store_warn_move(struct wg_db *db, const struct wg_warning_row *r, long long now,
                              struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(r->id),    WG_VTEXT(r->state),        WG_VTEXT(r->owner),
                         WG_VTEXT(r->note), WG_VTEXT(r->handled_kind), WG_VINT(r->handled_ref),
                         WG_VINT(now),      WG_VINT(r->version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_WARN_MOVE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "warning %lld changed since version %lld was read: read it again", r->id,
                          r->version);
    return rc;
}

struct by_number {
    long long *id;
    char *grid, *county;
};

static int take_number(struct wg_row *row, void *ctx)
{
    struct by_number *b = ctx;
    *b->id = wg_row_int(row, 0);
    wg_row_copy(row, 1, b->grid, 32);
    wg_row_copy(row, 2, b->county, 16);
    return 0;
}

enum wg_rc wg_store_warn_order_by_number(struct wg_db *db, const char *number, long long *id,
                                         char grid[32], char county[16], struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(number)};
    struct by_number b = {id, grid, county};
    *id = 0;
    grid[0] = county[0] = '\0';
    return wg_db_query(db, WG_Q_WARN_ORDER_BY_NUMBER, v, 1, take_number, &b, err);
}

struct rules {
    char **rules;
    long long *version;
};

static int take_rules(struct wg_row *row, void *ctx)
{
    struct rules *r = ctx;
    *r->rules = wg_strdup(wg_row_text(row, 0));
    *r->version = wg_row_int(row, 1);
    return 0;
}

enum wg_rc wg_store_warn_rules_get(struct wg_db *db, char **rules, long long *version,
                                   struct wg_err *err)
{
    struct rules r = {rules, version};
    *rules = NULL;
    *version = 0;
    return wg_db_query(db, WG_Q_WARN_RULES_GET, NULL, 0, take_rules, &r, err);
}

enum wg_rc wg_store_warn_rules_put(struct wg_db *db, const char *rules, const char *who,
                                   long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(rules), WG_VTEXT(who), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_WARN_RULES_PUT, v, WG_NVALS(v), NULL, err);
}
