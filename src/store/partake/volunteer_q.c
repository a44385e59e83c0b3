/* Typed queries over volunteers (volunteer_q.h): teams, volunteers, their service hours
 * adding points, redemptions that never overdraw (one conditional update), the history and
 * the rankings by hours. */
#include "store/store.h"

#include "store/backend.h"
#include "store/partake/volunteer_q.h"

enum wg_rc wg_store_vteam_insert(struct wg_db *db, const struct wg_vteam_row *t, long long *id,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(t->name), WG_VTEXT(t->place),      WG_VTEXT(t->kind),
                         WG_VINT(t->rate),  WG_VTEXT(t->created_by), WG_VINT(t->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_VTEAM_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a volunteer team gave no id");
    return rc;
}

struct each_team {
    int (*cb)(const struct wg_vteam_row *, void *);
    void *ctx;
    int rows;
};

static int take_team(struct wg_row *row, void *ctx)
{
    struct each_team *e = ctx;
    struct wg_vteam_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.name, sizeof r.name);
    wg_row_copy(row, 2, r.place, sizeof r.place);
    wg_row_copy(row, 3, r.kind, sizeof r.kind);
    r.rate = wg_row_int(row, 4);
    r.version = wg_row_int(row, 5);
    wg_row_copy(row, 6, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 7);
    r.members = wg_row_int(row, 8);
    e->rows++;
    return e->cb(&r, e->ctx);
}

static int copy_team(const struct wg_vteam_row *r, void *ctx)
{
    *(struct wg_vteam_row *)ctx = *r;
    return 0;
}

enum wg_rc wg_store_vteam_get(struct wg_db *db, long long id, struct wg_vteam_row *out,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_team e = {copy_team, out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_VTEAM_GET, v, 1, take_team, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "volunteer team %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_vteam_list(struct wg_db *db, const char *lo, const char *hi, const char *kind,
                               int limit, int (*cb)(const struct wg_vteam_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(kind), WG_VINT(limit)};
    struct each_team e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_VTEAM_LIST, v, WG_NVALS(v), take_team, &e, err);
}

enum wg_rc wg_store_vteam_taken(struct wg_db *db, const char *place, const char *name,
                                long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(place), WG_VTEXT(name)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_VTEAM_NAME_TAKEN, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_vol_insert(struct wg_db *db, const struct wg_vol_row *r, long long *id,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(r->person),    WG_VINT(r->team),   WG_VTEXT(r->place),
                         WG_VTEXT(r->skills),   WG_VTEXT(r->since), WG_VTEXT(r->created_by),
                         WG_VINT(r->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_VOL_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a volunteer gave no id");
    return rc;
}

struct each_vol {
    int (*cb)(const struct wg_vol_row *, void *);
    void *ctx;
    int rows;
};

static int take_vol(struct wg_row *row, void *ctx)
{
    struct each_vol *e = ctx;
    struct wg_vol_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    r.person = wg_row_int(row, 1);
    r.team = wg_row_int(row, 2);
    wg_row_copy(row, 3, r.place, sizeof r.place);
    r.skills = wg_row_text(row, 4);
    wg_row_copy(row, 5, r.since, sizeof r.since);
    r.earned = wg_row_int(row, 6);
    r.redeemed = wg_row_int(row, 7);
    r.version = wg_row_int(row, 8);
    wg_row_copy(row, 9, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 10);
    wg_row_copy(row, 11, r.team_name, sizeof r.team_name);
    wg_row_copy(row, 12, r.team_kind, sizeof r.team_kind);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_vol_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                            struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_vol e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_VOL_GET, v, 1, take_vol, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "volunteer %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_vol_of_person(struct wg_db *db, long long person,
                                  int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                                  int *found, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(person)};
    struct each_vol e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_VOL_OF_PERSON, v, 1, take_vol, &e, err);
    *found = e.rows > 0;
    return rc;
}

enum wg_rc wg_store_vol_list(struct wg_db *db, const char *lo, const char *hi, long long team,
                             long long after, int limit,
                             int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(team), WG_VINT(after), WG_VINT(limit)};
    struct each_vol e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_VOL_LIST, v, WG_NVALS(v), take_vol, &e, err);
}

enum wg_rc wg_store_vol_day_tenths(struct wg_db *db, long long volunteer, const char *day,
                                   long long *tenths, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(volunteer), WG_VTEXT(day)};
    *tenths = 0;
    return wg_db_query_int(db, WG_Q_VOL_DAY_TENTHS, v, WG_NVALS(v), tenths, NULL, err);
}

enum wg_rc wg_store_vol_hours_add(struct wg_db *db, const struct wg_vol_hours_row *h, long long *id,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(h->volunteer),   WG_VINT(h->team),      WG_VTEXT(h->day),
                         WG_VINT(h->tenths),      WG_VINT(h->points),    WG_VTEXT(h->activity),
                         WG_VTEXT(h->created_by), WG_VINT(h->created_at)};
    struct wg_val e[] = {WG_VINT(h->volunteer), WG_VINT(h->points)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_VOL_HOURS_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a volunteer's hours gave no id");
    if (!rc)
        rc = wg_db_exec(db, WG_Q_VOL_EARN, e, WG_NVALS(e), NULL, err);
    return rc;
}

enum wg_rc wg_store_vol_redeem(struct wg_db *db, long long volunteer, long long points,
                               const char *what, const char *by, long long now, long long *id,
                               int *ok, struct wg_err *err)
{
    struct wg_val u[] = {WG_VINT(volunteer), WG_VINT(points)};
    struct wg_val v[] = {WG_VINT(volunteer), WG_VINT(points), WG_VTEXT(what), WG_VTEXT(by),
                         WG_VINT(now)};
    long changes = 0;
    int found = 0;
    *ok = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_VOL_REDEEM, u, WG_NVALS(u), &changes, err);
    if (rc || !changes)
        return rc;
    rc = wg_db_query_int(db, WG_Q_VOL_REDEMPTION_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a redemption gave no id");
    *ok = !rc;
    return rc;
}

struct each_entry {
    int (*cb)(const struct wg_vol_entry *, void *);
    void *ctx;
};

static int take_entry(struct wg_row *row, void *ctx)
{
    struct each_entry *e = ctx;
    const char *k = wg_row_text(row, 0);
    struct wg_vol_entry x = {k && *k ? *k : 'h', wg_row_int(row, 1), wg_row_text(row, 2),
                             wg_row_int(row, 3), wg_row_int(row, 4), wg_row_text(row, 5),
                             wg_row_int(row, 6), wg_row_int(row, 7)};
    return e->cb(&x, e->ctx);
}

enum wg_rc wg_store_vol_history(struct wg_db *db, long long volunteer, int limit,
                                int (*cb)(const struct wg_vol_entry *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(volunteer), WG_VINT(limit)};
    struct each_entry e = {cb, ctx};
    return wg_db_query(db, WG_Q_VOL_HISTORY, v, WG_NVALS(v), take_entry, &e, err);
}

struct each_rank {
    int (*cb)(long long, long long, long long, long long, long long, void *);
    void *ctx;
};

static int take_rank(struct wg_row *row, void *ctx)
{
    struct each_rank *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_int(row, 1), wg_row_int(row, 2), wg_row_int(row, 3),
                 wg_row_int(row, 4), e->ctx);
}

enum wg_rc wg_store_vol_rank(struct wg_db *db, const char *from, const char *to, const char *lo,
                             const char *hi, int limit,
                             int (*cb)(long long id, long long person, long long team,
                                       long long tenths, long long points, void *),
                             void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(from), WG_VTEXT(to), WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(limit)};
    struct each_rank e = {cb, ctx};
    return wg_db_query(db, WG_Q_VOL_RANK, v, WG_NVALS(v), take_rank, &e, err);
}

struct each_trank {
    int (*cb)(long long, const char *, const char *, const char *, long long, long long, void *);
    void *ctx;
};

static int take_trank(struct wg_row *row, void *ctx)
{
    struct each_trank *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_text(row, 3),
                 wg_row_int(row, 4), wg_row_int(row, 5), e->ctx);
}

enum wg_rc wg_store_vteam_rank(struct wg_db *db, const char *from, const char *to, const char *lo,
                               const char *hi, int limit,
                               int (*cb)(long long id, const char *name, const char *kind,
                                         const char *place, long long tenths, long long volunteers,
                                         void *),
                               void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(from), WG_VTEXT(to), WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(limit)};
    struct each_trank e = {cb, ctx};
    return wg_db_query(db, WG_Q_VTEAM_RANK, v, WG_NVALS(v), take_trank, &e, err);
}
