/* Typed queries over the registry's buildings and houses. */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/places_q.h"

#define POINT(b, v) ((b)->has_point ? WG_VREAL(v) : WG_VNULL)

/* The address search's bigrams of the building's name and address (migration 37), in the
 * write's transaction: made anew after a change. */
static enum wg_rc put_grams(struct wg_db *db, const struct wg_building_row *b, int changed,
                            struct wg_err *err)
{
    struct wg_val code[] = {WG_VTEXT(b->code)};
    struct wg_val p[] = {WG_VTEXT(b->code), WG_VTEXT(b->address), WG_VTEXT(b->name)};
    enum wg_rc rc = changed ? wg_db_exec(db, WG_Q_PLACE_GRAMS_DROP, code, 1, NULL, err) : WG_OK;
    return rc ? rc : wg_db_exec(db, WG_Q_PLACE_GRAMS_ADD, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_building_insert(struct wg_db *db, const struct wg_building_row *b,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(b->code),     WG_VTEXT(b->name), WG_VTEXT(b->grid),
                         WG_VTEXT(b->address),  POINT(b, b->lon),  POINT(b, b->lat),
                         WG_VINT(b->floors),    WG_VTEXT(b->use),  WG_VINT(b->created_at),
                         WG_VINT(b->updated_at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_BUILDING_INSERT, p, WG_NVALS(p), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "building '%s' already exists", b->code);
    return rc ? rc : put_grams(db, b, 0, err);
}

enum wg_rc wg_store_building_update(struct wg_db *db, const struct wg_building_row *b,
                                    long long expect, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(b->code),    WG_VTEXT(b->name), WG_VTEXT(b->grid),
                         WG_VTEXT(b->address), POINT(b, b->lon),  POINT(b, b->lat),
                         WG_VINT(b->floors),   WG_VTEXT(b->use),  WG_VINT(b->updated_at),
                         WG_VINT(expect)};
    long changes = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_BUILDING_UPDATE, p, WG_NVALS(p), &changes, err);
    if (!rc && changes != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "building '%s' changed since version %lld was read: read it again",
                          b->code, expect);
    return rc ? rc : put_grams(db, b, 1, err);
}

static void fill_building(struct wg_row *row, struct wg_building_row *b)
{
    memset(b, 0, sizeof *b);
    wg_row_copy(row, 0, b->code, sizeof b->code);
    wg_row_copy(row, 1, b->name, sizeof b->name);
    wg_row_copy(row, 2, b->grid, sizeof b->grid);
    wg_row_copy(row, 3, b->address, sizeof b->address);
    b->has_point = !wg_row_isnull(row, 4) && !wg_row_isnull(row, 5);
    b->lon = b->has_point ? wg_row_real(row, 4) : 0;
    b->lat = b->has_point ? wg_row_real(row, 5) : 0;
    b->floors = (int)wg_row_int(row, 6);
    wg_row_copy(row, 7, b->use, sizeof b->use);
    b->version = wg_row_int(row, 8);
    b->created_at = wg_row_int(row, 9);
    b->updated_at = wg_row_int(row, 10);
    wg_row_copy(row, 11, b->grid_name, sizeof b->grid_name);
}

struct one_building {
    struct wg_building_row *b;
    int n;
};

static int get_building(struct wg_row *row, void *ctx)
{
    struct one_building *o = ctx;
    fill_building(row, o->b);
    o->n++;
    return 1;
}

enum wg_rc wg_store_building_get(struct wg_db *db, const char *code, struct wg_building_row *out,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct one_building o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_BUILDING_GET, p, 1, get_building, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "building '%s' does not exist", code);
    return rc;
}

struct each_building {
    int (*cb)(const struct wg_building_row *, void *);
    void *ctx;
};

static int each_building(struct wg_row *row, void *ctx)
{
    struct each_building *e = ctx;
    struct wg_building_row b;
    fill_building(row, &b);
    return e->cb(&b, e->ctx);
}

enum wg_rc wg_store_building_list(struct wg_db *db, const char *after, const char *grid,
                                  const char *prefix, const char *q, int limit,
                                  int (*cb)(const struct wg_building_row *, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(after), WG_VTEXT(grid), WG_VTEXT(prefix), WG_VTEXT(q),
                         WG_VINT(limit)};
    struct each_building e = {cb, ctx};
    return wg_db_query(db, WG_Q_BUILDING_LIST, p, WG_NVALS(p), each_building, &e, err);
}

enum wg_rc wg_store_building_grid_count(struct wg_db *db, const char *grid, long long *n,
                                        struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(grid)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_BUILDING_GRID_COUNT, p, 1, n, NULL, err);
}

struct span {
    int top, bottom;
};

static int get_span(struct wg_row *row, void *ctx)
{
    struct span *s = ctx;
    s->top = (int)wg_row_int(row, 0);
    s->bottom = (int)wg_row_int(row, 1);
    return 1;
}

enum wg_rc wg_store_building_floor_span(struct wg_db *db, const char *code, int *top, int *bottom,
                                        struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct span s = {0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_BUILDING_FLOOR_SPAN, p, 1, get_span, &s, err);
    *top = s.top;
    *bottom = s.bottom;
    return rc;
}

/* ---- houses ---- */
enum wg_rc wg_store_house_insert(struct wg_db *db, struct wg_house_row *h, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(h->building), WG_VTEXT(h->unit),      WG_VINT(h->floor),
                         WG_VTEXT(h->room),     WG_VTEXT(h->address),   WG_VTEXT(h->use),
                         WG_VINT(h->tenants),   WG_VINT(h->created_at), WG_VINT(h->updated_at)};
    enum wg_rc rc = wg_db_query_int(db, WG_Q_HOUSE_INSERT, p, WG_NVALS(p), &h->id, NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "building '%s' already has unit '%s' room '%s'",
                          h->building, h->unit, h->room);
    return rc;
}

enum wg_rc wg_store_house_readdress(struct wg_db *db, const char *building, const char *old,
                                    const char *new_address, long long now, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(building), WG_VTEXT(old), WG_VTEXT(new_address), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_HOUSE_READDRESS, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_house_update(struct wg_db *db, const struct wg_house_row *h, long long expect,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(h->id),      WG_VTEXT(h->unit),      WG_VINT(h->floor),
                         WG_VTEXT(h->room),   WG_VTEXT(h->address),   WG_VTEXT(h->use),
                         WG_VINT(h->tenants), WG_VINT(h->updated_at), WG_VINT(expect)};
    long changes = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_HOUSE_UPDATE, p, WG_NVALS(p), &changes, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "building '%s' already has unit '%s' room '%s'",
                          h->building, h->unit, h->room);
    if (!rc && changes != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "house %lld changed since version %lld was read: read it again", h->id,
                          expect);
    return rc;
}

static void fill_house(struct wg_row *row, struct wg_house_row *h)
{
    memset(h, 0, sizeof *h);
    h->id = wg_row_int(row, 0);
    wg_row_copy(row, 1, h->building, sizeof h->building);
    wg_row_copy(row, 2, h->unit, sizeof h->unit);
    h->floor = (int)wg_row_int(row, 3);
    wg_row_copy(row, 4, h->room, sizeof h->room);
    wg_row_copy(row, 5, h->address, sizeof h->address);
    wg_row_copy(row, 6, h->use, sizeof h->use);
    h->tenants = (int)wg_row_int(row, 7);
    h->version = wg_row_int(row, 8);
    h->created_at = wg_row_int(row, 9);
    h->updated_at = wg_row_int(row, 10);
    wg_row_copy(row, 11, h->grid, sizeof h->grid);
}

struct one_house {
    struct wg_house_row *h;
    int n;
};

static int get_house(struct wg_row *row, void *ctx)
{
    struct one_house *o = ctx;
    fill_house(row, o->h);
    o->n++;
    return 1;
}

enum wg_rc wg_store_house_get(struct wg_db *db, long long id, struct wg_house_row *out,
                              struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    struct one_house o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_HOUSE_GET, p, 1, get_house, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "house %lld does not exist", id);
    return rc;
}

struct each_house {
    int (*cb)(const struct wg_house_row *, void *);
    void *ctx;
};

static int each_house(struct wg_row *row, void *ctx)
{
    struct each_house *e = ctx;
    struct wg_house_row h;
    fill_house(row, &h);
    return e->cb(&h, e->ctx);
}

enum wg_rc wg_store_house_list(struct wg_db *db, const char *building, long long after, int limit,
                               int (*cb)(const struct wg_house_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(building), WG_VINT(after), WG_VINT(limit)};
    struct each_house e = {cb, ctx};
    return wg_db_query(db, WG_Q_HOUSE_LIST, p, WG_NVALS(p), each_house, &e, err);
}
