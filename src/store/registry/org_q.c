/* Typed queries over the registry's organizations (orgs_q.h): stored with their responsible
 * person sealed, found by credit code, listed by grid code range and id. */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/orgs_q.h"

#define POINT(o, v) ((o)->has_point ? WG_VREAL(v) : WG_VNULL)

static enum wg_rc taken(const struct wg_org_row *o, struct wg_err *err)
{
    return wg_err_set(err, WG_ECONFLICT, "'credit_code' '%s' is another organization's already",
                      o->credit_code);
}

enum wg_rc wg_store_org_insert(struct wg_db *db, const struct wg_org_row *o, long long now,
                               long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(o->credit_code),
                         WG_VTEXT(o->name),
                         WG_VTEXT(o->kind),
                         WG_VTEXT(o->person_name),
                         WG_VTEXT(o->person_phone),
                         WG_VTEXT(o->phone_blind),
                         WG_VTEXT(o->grid),
                         WG_VTEXT(o->building),
                         WG_VTEXT(o->address),
                         POINT(o, o->lon),
                         POINT(o, o->lat),
                         WG_VINT(o->hazards),
                         WG_VINT(now)};
    enum wg_rc rc = wg_db_query_int(db, WG_Q_ORG_INSERT, v, WG_NVALS(v), id, NULL, err);
    return rc == WG_ECONFLICT ? taken(o, err) : rc;
}

enum wg_rc wg_store_org_update(struct wg_db *db, const struct wg_org_row *o, long long now,
                               long long expect, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(o->id),           WG_VTEXT(o->credit_code),
                         WG_VTEXT(o->name),        WG_VTEXT(o->kind),
                         WG_VTEXT(o->person_name), WG_VTEXT(o->person_phone),
                         WG_VTEXT(o->phone_blind), WG_VTEXT(o->grid),
                         WG_VTEXT(o->building),    WG_VTEXT(o->address),
                         POINT(o, o->lon),         POINT(o, o->lat),
                         WG_VINT(o->hazards),      WG_VINT(now),
                         WG_VINT(expect)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ORG_UPDATE, v, WG_NVALS(v), &n, err);
    if (rc == WG_ECONFLICT)
        return taken(o, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "organization %lld changed since version %lld was read: read it again",
                          o->id, expect);
    return rc;
}

struct each {
    int (*cb)(const struct wg_org_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_org_row o;
    memset(&o, 0, sizeof o);
    o.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, o.credit_code, sizeof o.credit_code);
    wg_row_copy(row, 2, o.name, sizeof o.name);
    wg_row_copy(row, 3, o.kind, sizeof o.kind);
    o.person_name = wg_row_text(row, 4);
    o.person_phone = wg_row_text(row, 5);
    o.phone_blind = "";
    wg_row_copy(row, 6, o.grid, sizeof o.grid);
    wg_row_copy(row, 7, o.building, sizeof o.building);
    wg_row_copy(row, 8, o.address, sizeof o.address);
    o.has_point = !wg_row_isnull(row, 9) && !wg_row_isnull(row, 10);
    o.lon = o.has_point ? wg_row_real(row, 9) : 0;
    o.lat = o.has_point ? wg_row_real(row, 10) : 0;
    o.hazards = (unsigned)wg_row_int(row, 11);
    o.version = wg_row_int(row, 12);
    o.created_at = wg_row_int(row, 13);
    o.updated_at = wg_row_int(row, 14);
    e->rows++;
    return e->cb(&o, e->ctx);
}

enum wg_rc wg_store_org_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_org_row *, void *), void *ctx,
                            struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ORG_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        return wg_err_set(err, WG_ENOTFOUND, "organization %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_org_by_code(struct wg_db *db, const char *credit_code, long long *id,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(credit_code)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_ORG_BY_CODE, v, 1, id, NULL, err);
}

enum wg_rc wg_store_org_list(struct wg_db *db, const char *lo, const char *hi, long long after,
                             const char *grid, const char *kind, const char *q, int limit,
                             int (*cb)(const struct wg_org_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo),   WG_VTEXT(hi), WG_VINT(after), WG_VTEXT(grid),
                         WG_VTEXT(kind), WG_VTEXT(q),  WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_ORG_LIST, v, WG_NVALS(v), take, &e, err);
}
