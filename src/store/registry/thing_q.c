/* Typed queries over the registry's things (部件, orgs_q.h) and the orders linked to them. */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/orgs_q.h"

#define POINT(t, v) ((t)->has_point ? WG_VREAL(v) : WG_VNULL)

enum wg_rc wg_store_thing_insert(struct wg_db *db, const struct wg_thing_row *t, long long now,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(t->code),       WG_VTEXT(t->name),       WG_VTEXT(t->state),
                         WG_VTEXT(t->owner_unit), WG_VTEXT(t->maint_unit), WG_VTEXT(t->grid),
                         POINT(t, t->lon),        POINT(t, t->lat),        WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_THING_INSERT, v, WG_NVALS(v), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "'code': thing '%s' already exists", t->code);
    return rc;
}

enum wg_rc wg_store_thing_update(struct wg_db *db, const struct wg_thing_row *t, long long now,
                                 long long expect, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VTEXT(t->code),       WG_VTEXT(t->name),       WG_VTEXT(t->state),
                         WG_VTEXT(t->owner_unit), WG_VTEXT(t->maint_unit), WG_VTEXT(t->grid),
                         POINT(t, t->lon),        POINT(t, t->lat),        WG_VINT(now),
                         WG_VINT(expect)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_THING_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "thing '%s' changed since version %lld was read: read it again", t->code,
                          expect);
    return rc;
}

static void fill(struct wg_row *row, struct wg_thing_row *t)
{
    memset(t, 0, sizeof *t);
    wg_row_copy(row, 0, t->code, sizeof t->code);
    wg_row_copy(row, 1, t->name, sizeof t->name);
    wg_row_copy(row, 2, t->state, sizeof t->state);
    wg_row_copy(row, 3, t->owner_unit, sizeof t->owner_unit);
    wg_row_copy(row, 4, t->maint_unit, sizeof t->maint_unit);
    wg_row_copy(row, 5, t->grid, sizeof t->grid);
    t->has_point = !wg_row_isnull(row, 6) && !wg_row_isnull(row, 7);
    t->lon = t->has_point ? wg_row_real(row, 6) : 0;
    t->lat = t->has_point ? wg_row_real(row, 7) : 0;
    t->version = wg_row_int(row, 8);
    t->created_at = wg_row_int(row, 9);
    t->updated_at = wg_row_int(row, 10);
}

struct one {
    struct wg_thing_row *t;
    int n;
};

static int get_one(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    fill(row, o->t);
    o->n++;
    return 1;
}

enum wg_rc wg_store_thing_get(struct wg_db *db, const char *code, struct wg_thing_row *out,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(code)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_THING_GET, v, 1, get_one, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "thing '%s' does not exist", code);
    return rc;
}

struct each {
    int (*cb)(const struct wg_thing_row *, void *);
    void *ctx;
};

static int each(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_thing_row t;
    fill(row, &t);
    return e->cb(&t, e->ctx);
}

enum wg_rc wg_store_thing_list(struct wg_db *db, const char *lo, const char *hi, const char *after,
                               const char *grid, const char *state, const char *q, int limit,
                               int (*cb)(const struct wg_thing_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo),    WG_VTEXT(hi), WG_VTEXT(after), WG_VTEXT(grid),
                         WG_VTEXT(state), WG_VTEXT(q),  WG_VINT(limit)};
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_THING_LIST, v, WG_NVALS(v), each, &e, err);
}

static int take_text(struct wg_row *row, void *ctx)
{
    wg_row_copy(row, 0, ctx, WG_THING_CODE_LEN + 1);
    return 1;
}

enum wg_rc wg_store_thing_last(struct wg_db *db, const char *prefix,
                               char out[WG_THING_CODE_LEN + 1], struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(prefix)};
    out[0] = '\0';
    return wg_db_query(db, WG_Q_THING_LAST_SEQ, v, 1, take_text, out, err);
}

enum wg_rc wg_store_thing_order_exists(struct wg_db *db, long long order, const char *prefix,
                                       int *exists, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order), WG_VTEXT(prefix)};
    long long n = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_THING_ORDER_EXISTS, v, 2, &n, NULL, err);
    *exists = n > 0;
    return rc;
}

enum wg_rc wg_store_thing_link(struct wg_db *db, long long order, const char *thing, const char *by,
                               long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order), WG_VTEXT(thing), WG_VTEXT(by), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_THING_LINK, v, WG_NVALS(v), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "'order' %lld is linked to a thing already", order);
    return rc;
}

enum wg_rc wg_store_thing_link_of(struct wg_db *db, long long order,
                                  char thing[WG_THING_CODE_LEN + 1], struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order)};
    thing[0] = '\0';
    return wg_db_query(db, WG_Q_THING_LINK_OF, v, 1, take_text, thing, err);
}

struct links {
    int (*cb)(const struct wg_thing_link_row *, void *);
    void *ctx;
};

static int each_link(struct wg_row *row, void *ctx)
{
    struct links *l = ctx;
    struct wg_thing_link_row r = {wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2),
                                  wg_row_text(row, 3), wg_row_int(row, 4)};
    return l->cb(&r, l->ctx);
}

enum wg_rc wg_store_thing_links(struct wg_db *db, const char *thing, int limit,
                                int (*cb)(const struct wg_thing_link_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(thing), WG_VINT(limit)};
    struct links l = {cb, ctx};
    return wg_db_query(db, WG_Q_THING_LINKS, v, WG_NVALS(v), each_link, &l, err);
}
