/* Typed queries over the 一长二员 stairwell teams (stairwell_q.h): a team stored and changed
 * under its version, the stairwells and houses of a grid, and the teams' visits by month. */
#include "store/store.h"

#include "store/backend.h"
#include "store/partake/stairwell_q.h"

static void bind_team(const struct wg_stair_row *t, struct wg_val v[6])
{
    for (int i = 0; i < 3; i++) {
        v[2 * i] = WG_VINT(t->person[i]);
        v[2 * i + 1] = WG_VTEXT(t->since[i]);
    }
}

enum wg_rc wg_store_stair_insert(struct wg_db *db, const struct wg_stair_row *t, long long *id,
                                 struct wg_err *err)
{
    struct wg_val v[11] = {WG_VTEXT(t->building), WG_VTEXT(t->unit), WG_VTEXT(t->grid)};
    int found = 0;
    bind_team(t, v + 3);
    v[9] = WG_VTEXT(t->updated_by);
    v[10] = WG_VINT(t->created_at);
    enum wg_rc rc = wg_db_query_int(db, WG_Q_STAIR_TEAM_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a stairwell team gave no id");
    return rc;
}

enum wg_rc wg_store_stair_update(struct wg_db *db, const struct wg_stair_row *t, long long expect,
                                 int *changed, struct wg_err *err)
{
    struct wg_val v[10] = {WG_VINT(t->id), WG_VINT(expect)};
    long n = 0;
    bind_team(t, v + 2);
    v[8] = WG_VTEXT(t->updated_by);
    v[9] = WG_VINT(t->updated_at);
    enum wg_rc rc = wg_db_exec(db, WG_Q_STAIR_TEAM_UPDATE, v, WG_NVALS(v), &n, err);
    *changed = n > 0;
    return rc;
}

struct each {
    int (*cb)(const struct wg_stair_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_stair_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.building, sizeof r.building);
    wg_row_copy(row, 2, r.unit, sizeof r.unit);
    wg_row_copy(row, 3, r.grid, sizeof r.grid);
    for (int i = 0; i < 3; i++) {
        r.person[i] = wg_row_int(row, 4 + 2 * i);
        wg_row_copy(row, 5 + 2 * i, r.since[i], sizeof r.since[i]);
    }
    r.version = wg_row_int(row, 10);
    wg_row_copy(row, 11, r.updated_by, sizeof r.updated_by);
    r.created_at = wg_row_int(row, 12);
    r.updated_at = wg_row_int(row, 13);
    wg_row_copy(row, 14, r.building_name, sizeof r.building_name);
    e->rows++;
    return e->cb(&r, e->ctx);
}

static int copy_one(const struct wg_stair_row *r, void *ctx)
{
    *(struct wg_stair_row *)ctx = *r;
    return 0;
}

enum wg_rc wg_store_stair_get(struct wg_db *db, long long id, struct wg_stair_row *out,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {copy_one, out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_STAIR_TEAM_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "stairwell team %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_stair_at(struct wg_db *db, const char *building, const char *unit,
                             long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(building), WG_VTEXT(unit)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_STAIR_TEAM_AT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_stair_list(struct wg_db *db, const char *lo, const char *hi, int limit,
                               int (*cb)(const struct wg_stair_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_STAIR_TEAM_LIST, v, WG_NVALS(v), take, &e, err);
}

struct each_well {
    int (*cb)(const char *, const char *, const char *, long long, void *);
    void *ctx;
};

static int take_well(struct wg_row *row, void *ctx)
{
    struct each_well *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_int(row, 3),
                 e->ctx);
}

enum wg_rc wg_store_stair_of_grid(struct wg_db *db, const char *grid,
                                  int (*cb)(const char *building, const char *name,
                                            const char *unit, long long houses, void *),
                                  void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(grid)};
    struct each_well e = {cb, ctx};
    return wg_db_query(db, WG_Q_STAIR_OF_GRID, v, 1, take_well, &e, err);
}

struct each_house {
    int (*cb)(const struct wg_stair_house *, void *);
    void *ctx;
};

static int take_house(struct wg_row *row, void *ctx)
{
    struct each_house *e = ctx;
    struct wg_stair_house h = {wg_row_int(row, 0), (int)wg_row_int(row, 1), wg_row_text(row, 2),
                               wg_row_text(row, 3), wg_row_text(row, 4)};
    return e->cb(&h, e->ctx);
}

enum wg_rc wg_store_stair_houses(struct wg_db *db, const char *building, const char *unit,
                                 int (*cb)(const struct wg_stair_house *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(building), WG_VTEXT(unit)};
    struct each_house e = {cb, ctx};
    return wg_db_query(db, WG_Q_STAIR_HOUSES, v, WG_NVALS(v), take_house, &e, err);
}

enum wg_rc wg_store_stair_visit_insert(struct wg_db *db, const struct wg_stair_visit_row *r,
                                       long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(r->team),       WG_VINT(r->household),   WG_VINT(r->house),
                         WG_VTEXT(r->month),     WG_VTEXT(r->member),     WG_VINT(r->visit),
                         WG_VINT(r->visited_at), WG_VTEXT(r->client_key), WG_VTEXT(r->created_by),
                         WG_VINT(r->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_STAIR_VISIT_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a stairwell visit gave no id");
    return rc;
}

struct each_visit {
    int (*cb)(const struct wg_stair_visit_row *, void *);
    void *ctx;
    int rows;
};

static int take_visit(struct wg_row *row, void *ctx)
{
    struct each_visit *e = ctx;
    struct wg_stair_visit_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    r.team = wg_row_int(row, 1);
    r.household = wg_row_int(row, 2);
    r.house = wg_row_int(row, 3);
    wg_row_copy(row, 4, r.month, sizeof r.month);
    wg_row_copy(row, 5, r.member, sizeof r.member);
    r.visit = wg_row_int(row, 6);
    r.visited_at = wg_row_int(row, 7);
    wg_row_copy(row, 8, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 9);
    e->rows++;
    return e->cb(&r, e->ctx);
}

static int copy_visit(const struct wg_stair_visit_row *r, void *ctx)
{
    *(struct wg_stair_visit_row *)ctx = *r;
    return 0;
}

enum wg_rc wg_store_stair_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                                          struct wg_stair_visit_row *out, int *found,
                                          struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(created_by), WG_VTEXT(key)};
    struct each_visit e = {copy_visit, out, 0};
    enum wg_rc rc =
        wg_db_query(db, WG_Q_STAIR_VISIT_BY_CLIENT, v, WG_NVALS(v), take_visit, &e, err);
    *found = e.rows > 0;
    return rc;
}

enum wg_rc wg_store_stair_visit_month(struct wg_db *db, long long team, const char *month,
                                      int (*cb)(const struct wg_stair_visit_row *, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(team), WG_VTEXT(month)};
    struct each_visit e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_STAIR_VISIT_MONTH, v, WG_NVALS(v), take_visit, &e, err);
}

struct each_count {
    int (*cb)(long long, long long, void *);
    void *ctx;
};

static int take_count(struct wg_row *row, void *ctx)
{
    struct each_count *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_int(row, 1), e->ctx);
}

enum wg_rc wg_store_stair_visited(struct wg_db *db, const char *grid, const char *month,
                                  int (*cb)(long long team, long long households, void *),
                                  void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(grid), WG_VTEXT(month)};
    struct each_count e = {cb, ctx};
    return wg_db_query(db, WG_Q_STAIR_VISITED_IN_GRID, v, WG_NVALS(v), take_count, &e, err);
}
