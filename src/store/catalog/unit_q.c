/* Typed queries over units, the regions they serve, and routing rules. */
#include "store/store.h"

#include "core/clock.h"
#include "store/backend.h"
#include "store/catalog/catalog_q.h"

enum wg_rc wg_store_unit_insert(struct wg_db *db, const struct wg_unit_row *u, struct wg_err *err)
{
    char now[32];
    enum wg_rc rc;
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(u->id), WG_VTEXT(u->name), WG_VTEXT(u->kind), WG_VTEXT(now)};
    rc = wg_db_exec(db, WG_Q_UNIT_INSERT, p, WG_NVALS(p), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "unit '%s' already exists", u->id);
    return rc;
}

enum wg_rc wg_store_unit_add_region(struct wg_db *db, const char *unit, const char *region,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(unit), WG_VTEXT(region)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_UNIT_REGION_INSERT, p, 2, NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "unit '%s' already serves '%s'", unit, region);
    return rc;
}

static void fill_unit(struct wg_row *row, struct wg_unit_row *u)
{
    wg_row_copy(row, 0, u->id, sizeof u->id);
    wg_row_copy(row, 1, u->name, sizeof u->name);
    wg_row_copy(row, 2, u->kind, sizeof u->kind);
}

struct one {
    struct wg_unit_row *u;
    int n;
};

static int get_unit(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    fill_unit(row, o->u);
    o->n++;
    return 1;
}

enum wg_rc wg_store_unit_get(struct wg_db *db, const char *id, struct wg_unit_row *out,
                             struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(id)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_UNIT_GET, p, 1, get_unit, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "unit '%s' does not exist", id);
    return rc;
}

struct each_unit {
    int (*cb)(const struct wg_unit_row *, void *);
    void *ctx;
};

static int each_unit(struct wg_row *row, void *ctx)
{
    struct each_unit *e = ctx;
    struct wg_unit_row u;
    fill_unit(row, &u);
    return e->cb(&u, e->ctx);
}

enum wg_rc wg_store_unit_each(struct wg_db *db, int (*cb)(const struct wg_unit_row *, void *),
                              void *ctx, struct wg_err *err)
{
    struct each_unit e = {cb, ctx};
    return wg_db_query(db, WG_Q_UNIT_LIST, NULL, 0, each_unit, &e, err);
}

struct each_text {
    int (*cb)(const char *, void *);
    void *ctx;
};

static int each_text(struct wg_row *row, void *ctx)
{
    struct each_text *e = ctx;
    return e->cb(wg_row_text(row, 0), e->ctx);
}

enum wg_rc wg_store_unit_regions(struct wg_db *db, const char *id,
                                 int (*cb)(const char *region, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(id)};
    struct each_text e = {cb, ctx};
    return wg_db_query(db, WG_Q_UNIT_REGIONS, p, 1, each_text, &e, err);
}

enum wg_rc wg_store_rule_insert(struct wg_db *db, const struct wg_rule_row *r, long long *id,
                                struct wg_err *err)
{
    char now[32];
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(r->item), WG_VTEXT(r->region), WG_VTEXT(r->lead),
                         WG_VTEXT(r->assisting), WG_VTEXT(now)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_RULE_INSERT, p, WG_NVALS(p), id, NULL, err);
}

struct each_rule {
    int (*cb)(const struct wg_rule_row *, void *);
    void *ctx;
};

static int each_rule(struct wg_row *row, void *ctx)
{
    struct each_rule *e = ctx;
    struct wg_rule_row r;
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.item, sizeof r.item);
    wg_row_copy(row, 2, r.region, sizeof r.region);
    wg_row_copy(row, 3, r.lead, sizeof r.lead);
    wg_row_copy(row, 4, r.assisting, sizeof r.assisting);
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_rule_each(struct wg_db *db, int (*cb)(const struct wg_rule_row *, void *),
                              void *ctx, struct wg_err *err)
{
    struct each_rule e = {cb, ctx};
    return wg_db_query(db, WG_Q_RULE_LIST, NULL, 0, each_rule, &e, err);
}

enum wg_rc wg_store_rule_match(struct wg_db *db, const char *item, const char *region,
                               int (*cb)(const struct wg_rule_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(item), WG_VTEXT(region)};
    struct each_rule e = {cb, ctx};
    return wg_db_query(db, WG_Q_RULE_MATCH, p, 2, each_rule, &e, err);
}
