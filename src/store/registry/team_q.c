/* Typed queries over the grid teams (team_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/team_q.h"

struct one_team {
    struct wg_team_row *t;
};

static int get_team(struct wg_row *row, void *ctx)
{
    struct one_team *o = ctx;
    o->t->version = wg_row_int(row, 0);
    wg_row_copy(row, 1, o->t->duties, sizeof o->t->duties);
    wg_row_copy(row, 2, o->t->station, sizeof o->t->station);
    o->t->updated_at = wg_row_int(row, 3);
    wg_row_copy(row, 4, o->t->updated_by, sizeof o->t->updated_by);
    return 1;
}

enum wg_rc wg_store_team_get(struct wg_db *db, const char *grid, struct wg_team_row *out,
                             struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(grid)};
    struct one_team o = {out};
    memset(out, 0, sizeof *out);
    return wg_db_query(db, WG_Q_TEAM_GET, p, 1, get_team, &o, err);
}

struct each_member {
    int (*cb)(const struct wg_team_member_row *, void *);
    void *ctx;
};

static int each_member(struct wg_row *row, void *ctx)
{
    struct each_member *e = ctx;
    struct wg_team_member_row m;
    memset(&m, 0, sizeof m);
    m.pos = (int)wg_row_int(row, 0);
    wg_row_copy(row, 1, m.role, sizeof m.role);
    wg_row_copy(row, 2, m.name, sizeof m.name);
    wg_row_copy(row, 3, m.username, sizeof m.username);
    m.person = wg_row_int(row, 4);
    wg_row_copy(row, 5, m.home_unit, sizeof m.home_unit);
    wg_row_copy(row, 6, m.building, sizeof m.building);
    wg_row_copy(row, 7, m.unit, sizeof m.unit);
    wg_row_copy(row, 8, m.since, sizeof m.since);
    wg_row_copy(row, 9, m.until, sizeof m.until);
    wg_row_copy(row, 10, m.work_phone, sizeof m.work_phone);
    wg_row_copy(row, 11, m.duty, sizeof m.duty);
    return e->cb(&m, e->ctx);
}

enum wg_rc wg_store_team_members(struct wg_db *db, const char *grid,
                                 int (*cb)(const struct wg_team_member_row *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(grid)};
    struct each_member e = {cb, ctx};
    return wg_db_query(db, WG_Q_TEAM_MEMBERS, p, 1, each_member, &e, err);
}

static enum wg_rc stale(const char *grid, long long expect, struct wg_err *err)
{
    return wg_err_set(err, WG_EPRECOND,
                      "the team of grid '%s' changed since version %lld was read: read it again",
                      grid, expect);
}

enum wg_rc wg_store_team_replace(struct wg_db *db, const char *grid, long long expect,
                                 struct wg_team_row *t, const struct wg_team_member_row *m,
                                 size_t n, struct wg_err *err)
{
    struct wg_val g[] = {WG_VTEXT(grid)};
    long changes = 0;
    enum wg_rc rc;
    if (!expect) {
        struct wg_val p[] = {WG_VTEXT(grid), WG_VTEXT(t->duties), WG_VTEXT(t->station),
                             WG_VINT(t->updated_at), WG_VTEXT(t->updated_by)};
        rc = wg_db_exec(db, WG_Q_TEAM_INSERT, p, WG_NVALS(p), NULL, err);
        if (rc == WG_ECONFLICT)
            return stale(grid, expect, err);
        t->version = 1;
    } else {
        struct wg_val p[] = {WG_VTEXT(grid),         WG_VTEXT(t->duties),     WG_VTEXT(t->station),
                             WG_VINT(t->updated_at), WG_VTEXT(t->updated_by), WG_VINT(expect)};
        rc = wg_db_exec(db, WG_Q_TEAM_UPDATE, p, WG_NVALS(p), &changes, err);
        if (!rc && changes != 1)
            return stale(grid, expect, err);
        t->version = expect + 1;
    }
    if (rc || (rc = wg_db_exec(db, WG_Q_TEAM_CLEAR, g, 1, NULL, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        struct wg_val p[] = {
            WG_VTEXT(grid),           WG_VINT((long long)i + 1), WG_VTEXT(m[i].role),
            WG_VTEXT(m[i].name),      WG_VTEXT(m[i].username),   WG_VINT(m[i].person),
            WG_VTEXT(m[i].home_unit), WG_VTEXT(m[i].building),   WG_VTEXT(m[i].unit),
            WG_VTEXT(m[i].since),     WG_VTEXT(m[i].until),      WG_VTEXT(m[i].work_phone),
            WG_VTEXT(m[i].duty)};
        rc = wg_db_exec(db, WG_Q_TEAM_MEMBER_INSERT, p, WG_NVALS(p), NULL, err);
    }
    return rc;
}
