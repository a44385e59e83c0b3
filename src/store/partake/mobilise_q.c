/* Typed queries over mobilisations (mobilise_q.h): made with their recipients, read with the
 * counts acknowledged and done, and each recipient's step written once. */
#include "store/store.h"

#include "store/backend.h"
#include "store/partake/mobilise_q.h"

enum wg_rc wg_store_mob_insert(struct wg_db *db, const struct wg_mob_row *m, long long *id,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(m->title),      WG_VTEXT(m->content),  WG_VTEXT(m->deadline),
                         WG_VINT(m->due_at),      WG_VTEXT(m->scope),    WG_VTEXT(m->kinds),
                         WG_VTEXT(m->created_by), WG_VINT(m->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_MOB_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a mobilisation gave no id");
    return rc;
}

enum wg_rc wg_store_mob_team_insert(struct wg_db *db, long long mob, const char *kind,
                                    long long team, const char *name, const char *place,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(mob), WG_VTEXT(kind), WG_VINT(team), WG_VTEXT(name),
                         WG_VTEXT(place)};
    return wg_db_exec(db, WG_Q_MOB_TEAM_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each {
    int (*cb)(const struct wg_mob_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_mob_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    r.title = wg_row_text(row, 1);
    r.content = wg_row_text(row, 2);
    wg_row_copy(row, 3, r.deadline, sizeof r.deadline);
    r.due_at = wg_row_int(row, 4);
    wg_row_copy(row, 5, r.scope, sizeof r.scope);
    wg_row_copy(row, 6, r.kinds, sizeof r.kinds);
    wg_row_copy(row, 7, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 8);
    r.teams = wg_row_int(row, 9);
    r.acked = wg_row_int(row, 10);
    r.done = wg_row_int(row, 11);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_mob_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_mob_row *, void *), void *ctx,
                            struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_MOB_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "mobilisation %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_mob_list(struct wg_db *db, const char *lo, const char *hi, const char *code,
                             long long before, int limit,
                             int (*cb)(const struct wg_mob_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(code), WG_VINT(before),
                         WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_MOB_LIST, v, WG_NVALS(v), take, &e, err);
}

struct each_team {
    int (*cb)(const struct wg_mob_team_row *, void *);
    void *ctx;
};

static int take_team(struct wg_row *row, void *ctx)
{
    struct each_team *e = ctx;
    struct wg_mob_team_row r = {wg_row_text(row, 0), wg_row_int(row, 1),  wg_row_text(row, 2),
                                wg_row_text(row, 3), wg_row_int(row, 4),  wg_row_text(row, 5),
                                wg_row_int(row, 6),  wg_row_text(row, 7), wg_row_text(row, 8)};
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_mob_teams(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_mob_team_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_team e = {cb, ctx};
    return wg_db_query(db, WG_Q_MOB_TEAMS, v, 1, take_team, &e, err);
}

enum wg_rc wg_store_mob_mark(struct wg_db *db, long long id, const char *kind, long long team,
                             int done, long long at, const char *by, const char *note, int *changed,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(kind), WG_VINT(team),
                         WG_VINT(at), WG_VTEXT(by),   WG_VTEXT(note ? note : "")};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, done ? WG_Q_MOB_DONE : WG_Q_MOB_ACK, v, done ? 6 : 5, &n, err);
    *changed = n > 0;
    return rc;
}
