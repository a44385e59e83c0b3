/* Volunteers (volunteer.h): teams and volunteers checked and stored, service hours earning
 * points, redemptions that never overdraw, a volunteer's balance and history, the rankings,
 * and the one question the wish wall asks (wg_volunteer_of_person). */
#include "domain/partake/volunteer.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/accounts/account.h"
#include "domain/orders/order.h"
#include "domain/partake/stairwell.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"

const char *const wg_vteam_kinds[] = {"party",       "women",    "patrol", "elderly",
                                      "environment", "civility", "other",  NULL};
const char *const wg_vteam_fields[] = {"name", "place", "kind", "rate", NULL};
const char *const wg_volunteer_fields[] = {"person", "team", "skills", "since", NULL};
const char *const wg_vol_hours_fields[] = {"date", "hours", "activity", "team", NULL};
const char *const wg_vol_redeem_fields[] = {"points", "what", NULL};

/* ---- scope ---- */

enum wg_rc wg_partake_scope(const struct wg_actor *actor, const char *field, const char *want,
                            char out[32], struct wg_err *err)
{
    const char *mine = !wg_scope_is_unit(&actor->scope) ? actor->scope.code : "~";
    want = want ? want : "";
    if (strlen(want) > 18 || strspn(want, "0123456789") != strlen(want))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a region or grid code (digits)", field);
    if (strncmp(want, mine, strlen(mine)) && strncmp(mine, want, strlen(want)))
        return wg_err_set(err, WG_ENOTFOUND, "%s '%s' is outside your scope", field, want);
    snprintf(out, 32, "%s", strlen(want) >= strlen(mine) ? want : mine);
    return WG_OK;
}

enum wg_rc wg_partake_place_check(struct wg_db *db, const struct wg_actor *actor, const char *field,
                                  const char *code, struct wg_err *err)
{
    struct wg_region_row r;
    size_t n = strlen(code);
    enum wg_rc rc;
    if (!n || n > 18 || strspn(code, "0123456789") != n || wg_scope_is_unit(&actor->scope) ||
        !wg_scope_covers(&actor->scope, code))
        return wg_err_set(err, WG_EINVAL, "'%s': region or grid '%.18s' does not exist", field,
                          code);
    rc = n >= 15 ? wg_store_grid_live(db, code, err) : wg_store_region_get(db, code, &r, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'%s': region or grid '%s' does not exist", field, code);
    return rc;
}

static void range_hi(const char *lo, char hi[40])
{
    snprintf(hi, 40, "%s~", lo);
}

static double tenths(long long t)
{
    return (double)t / 10.0;
}

/* ---- teams ---- */

static enum wg_rc vteam_create(struct wg_db *db, const struct wg_actor *a, const json_t *body,
                               long long now, long long *id, struct wg_err *err)
{
    const char *name = NULL, *place = NULL, *kind = NULL;
    json_t *rate = json_object_get(body, "rate");
    struct wg_vteam_row t;
    long long other = 0;
    enum wg_rc rc;
    memset(&t, 0, sizeof t);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a volunteer team is a JSON object");
    if ((rc = wg_jf_known(body, wg_vteam_fields, "a volunteer team", err)) ||
        (rc = wg_jf_text(body, "name", 1, 40, &name, err)) ||
        (rc = wg_jf_text(body, "place", 1, 18, &place, err)) ||
        (rc = wg_partake_place_check(db, a, "place", place, err)) ||
        (rc = wg_jf_one_of(body, "kind", wg_vteam_kinds, NULL, &kind, err)))
        return rc;
    t.rate = 1;
    if (rate && !json_is_null(rate)) {
        if (!json_is_integer(rate) || json_integer_value(rate) < 1 ||
            json_integer_value(rate) > WG_VOL_RATE_MAX)
            return wg_err_set(err, WG_EINVAL,
                              "'rate' must be the points an hour earns: a whole number 1 to %d",
                              WG_VOL_RATE_MAX);
        t.rate = json_integer_value(rate);
    }
    if ((rc = wg_store_vteam_taken(db, place, name, &other, err)))
        return rc;
    if (other)
        return wg_err_set(err, WG_ECONFLICT, "'name': %s has a team '%s' already (team %lld)",
                          place, name, other);
    snprintf(t.name, sizeof t.name, "%s", name);
    snprintf(t.place, sizeof t.place, "%s", place);
    snprintf(t.kind, sizeof t.kind, "%s", kind);
    snprintf(t.created_by, sizeof t.created_by, "%s", a->username);
    t.created_at = now;
    return wg_store_vteam_insert(db, &t, id, err);
}

/* Runs call in a transaction of its own, or inside the caller's (a demo, a fuzz target):
 * then a failure is the caller's to roll back. */
#define IN_TX(db, err, call)                                                                       \
    do {                                                                                           \
        int own_ = !wg_db_in_tx(db);                                                               \
        enum wg_rc rc_ = own_ ? wg_db_begin(db, err) : WG_OK;                                      \
        if (rc_)                                                                                   \
            return rc_;                                                                            \
        rc_ = (call);                                                                              \
        if (own_ && !rc_)                                                                          \
            rc_ = wg_db_commit(db, err);                                                           \
        if (own_ && rc_)                                                                           \
            wg_db_rollback(db);                                                                    \
        return rc_;                                                                                \
    } while (0)

enum wg_rc wg_vteam_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                           long long now, long long *id, struct wg_err *err)
{
    *id = 0;
    IN_TX(db, err, vteam_create(db, actor, body, now, id, err));
}

/* A period: from and to dates (YYYY-MM-DD), this year to today when absent. */
static enum wg_rc period(const char *from, const char *to, long long now, char f[11], char t[11],
                         struct wg_err *err)
{
    int today = wg_cst_day(now), y, m, d;
    wg_civil_date(today, &y, &m, &d);
    int a = from && *from ? wg_civil_parse_date(from) : wg_civil_days(y, 1, 1);
    int b = to && *to ? wg_civil_parse_date(to) : today;
    if (a < 0)
        return wg_err_set(err, WG_EINVAL, "'from' must be a date YYYY-MM-DD");
    if (b < 0)
        return wg_err_set(err, WG_EINVAL, "'to' must be a date YYYY-MM-DD");
    if (b < a)
        return wg_err_set(err, WG_EINVAL, "'to' is before 'from'");
    wg_civil_format_date(a, f);
    wg_civil_format_date(b, t);
    return WG_OK;
}

static json_t *vteam_json(const struct wg_vteam_row *r)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:I}", "id", (json_int_t)r->id, "name", r->name,
                     "place", r->place, "kind", r->kind, "rate", (json_int_t)r->rate, "members",
                     (json_int_t)r->members, "created_by", r->created_by, "created_at",
                     (json_int_t)r->created_at);
}

static int on_vteam(const struct wg_vteam_row *r, void *ctx)
{
    json_array_append_new(ctx, vteam_json(r));
    return 0;
}

static int on_team_hours(long long id, const char *name, const char *kind, const char *place,
                         long long t, long long volunteers, void *ctx)
{
    char key[24];
    (void)name, (void)kind, (void)place;
    snprintf(key, sizeof key, "%lld", id);
    json_object_set_new(ctx, key, json_pack("[I,I]", (json_int_t)t, (json_int_t)volunteers));
    return 0;
}

enum wg_rc wg_vteam_list(struct wg_db *db, const struct wg_actor *actor, const char *scope,
                         const char *kind, const char *from, const char *to, long long now,
                         json_t **out, struct wg_err *err)
{
    char lo[32], hi[40], f[11], t[11];
    json_t *arr = json_array(), *hours = json_object(), *v;
    size_t i;
    enum wg_rc rc;
    *out = NULL;
    if (kind && *kind && !wg_order_value_in(wg_vteam_kinds, kind))
        rc = wg_err_set(err, WG_EINVAL,
                        "'kind' must be one of party, women, patrol, elderly, "
                        "environment, civility, other");
    else if (!(rc = wg_partake_scope(actor, "scope", scope, lo, err)) &&
             !(rc = period(from, to, now, f, t, err))) {
        range_hi(lo, hi);
        rc = wg_store_vteam_list(db, lo, hi, kind ? kind : "", 1000, on_vteam, arr, err);
        if (!rc)
            rc = wg_store_vteam_rank(db, f, t, lo, hi, 100000, on_team_hours, hours, err);
    }
    json_array_foreach(arr, i, v)
    {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(v, "id")));
        json_t *h = json_object_get(hours, key);
        json_object_set_new(v, "hours",
                            json_real(tenths(json_integer_value(json_array_get(h, 0)))));
        json_object_set_new(v, "active", json_integer(json_integer_value(json_array_get(h, 1))));
    }
    json_decref(hours);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:s,s:s,s:s,s:o}", "scope", lo, "from", f, "to", t, "teams", arr);
    return WG_OK;
}

/* ---- volunteers ---- */

static enum wg_rc skills_of(const json_t *body, char **out, struct wg_err *err)
{
    json_t *s = json_object_get(body, "skills"), *v;
    size_t i;
    *out = NULL;
    if (!s || json_is_null(s)) {
        *out = wg_strdup("[]");
        return WG_OK;
    }
    if (!json_is_array(s) || json_array_size(s) > WG_VOL_SKILLS_MAX)
        return wg_err_set(err, WG_EINVAL, "'skills' must be a list of at most %d skills",
                          WG_VOL_SKILLS_MAX);
    json_array_foreach(s, i, v)
    {
        const char *t = NULL;
        json_t *wrap = json_pack("{s:O}", "s", v);
        enum wg_rc rc = wg_jf_text(wrap, "s", 1, 20, &t, err);
        json_decref(wrap);
        if (rc)
            return wg_err_set(err, WG_EINVAL, "'skills[%zu]' must be a skill of 1 to 20 characters",
                              i);
    }
    *out = json_dumps(s, JSON_COMPACT);
    return WG_OK;
}

static enum wg_rc team_in_scope(struct wg_db *db, const struct wg_actor *a, const char *field,
                                long long id, struct wg_vteam_row *t, struct wg_err *err)
{
    enum wg_rc rc = wg_store_vteam_get(db, id, t, err);
    if (rc == WG_ENOTFOUND ||
        (!rc && (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, t->place))))
        return wg_err_set(err, WG_EINVAL, "'%s': volunteer team %lld does not exist", field, id);
    return rc;
}

static enum wg_rc vol_create(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_actor *a, const json_t *body, long long now,
                             long long *id, struct wg_err *err)
{
    struct wg_vol_row v;
    struct wg_vteam_row t;
    struct wg_person p;
    struct wg_volunteer_of of;
    const char *since = NULL;
    char *skills = NULL;
    long long person = 0, team = 0;
    enum wg_rc rc;
    memset(&v, 0, sizeof v);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a volunteer is a JSON object");
    if ((rc = wg_jf_known(body, wg_volunteer_fields, "a volunteer", err)) ||
        (rc = wg_partake_jf_id(body, "person", 1, &person, err)))
        return rc;
    rc = wg_person_load(db, keys, &a->scope, person, &p, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'person': person %lld does not exist", person);
    if (rc)
        return rc;
    wg_person_release(&p);
    if ((rc = wg_partake_jf_id(body, "team", 1, &team, err)) ||
        (rc = team_in_scope(db, a, "team", team, &t, err)) ||
        (rc = wg_jf_text(body, "since", 0, 10, &since, err)))
        return rc;
    int today = wg_cst_day(now), day = since ? wg_civil_parse_date(since) : today;
    if (day < 0 || day > today)
        return wg_err_set(err, WG_EINVAL, "'since' must be a date YYYY-MM-DD not after today");
    err->rc = WG_OK;
    if (wg_volunteer_of_person(db, person, &of, err))
        return wg_err_set(err, WG_ECONFLICT,
                          "'person': person %lld is a volunteer already (volunteer %lld)", person,
                          of.volunteer);
    if (err->rc)
        return err->rc;
    if ((rc = skills_of(body, &skills, err)))
        return rc;
    v.person = person;
    v.team = team;
    snprintf(v.place, sizeof v.place, "%s", t.place);
    v.skills = skills;
    wg_civil_format_date(day, v.since);
    snprintf(v.created_by, sizeof v.created_by, "%s", a->username);
    v.created_at = now;
    rc = wg_store_vol_insert(db, &v, id, err);
    free(skills);
    return rc;
}

enum wg_rc wg_volunteer_create(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_actor *actor, const json_t *body, long long now,
                               long long *id, struct wg_err *err)
{
    *id = 0;
    IN_TX(db, err, vol_create(db, keys, actor, body, now, id, err));
}

struct vol_page {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    const struct wg_actor *actor;
    json_t *arr;
    long long last;
    int n;
};

static json_t *vol_json(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_vol_row *r)
{
    char name[64];
    json_t *skills = json_loads(r->skills ? r->skills : "[]", 0, NULL);
    wg_partake_person_masked(db, keys, r->person, name, sizeof name);
    return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:o,s:s,s:f,s:f,s:f,s:I}", "id",
                     (json_int_t)r->id, "person", (json_int_t)r->person, "name", name, "team",
                     (json_int_t)r->team, "team_name", r->team_name, "team_kind", r->team_kind,
                     "place", r->place, "skills", skills ? skills : json_array(), "since", r->since,
                     "earned", tenths(r->earned), "redeemed", tenths(r->redeemed), "balance",
                     tenths(r->earned - r->redeemed), "version", (json_int_t)r->version);
}

static int on_vol(const struct wg_vol_row *r, void *ctx)
{
    struct vol_page *p = ctx;
    json_array_append_new(p->arr, vol_json(p->db, p->keys, r));
    p->last = r->id;
    p->n++;
    return 0;
}

enum wg_rc wg_volunteer_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_actor *actor, const char *scope, const char *team,
                             const char *limit, const char *cursor, json_t **out,
                             struct wg_err *err)
{
    char lo[32], hi[40];
    long long lim = 50, t = 0, after = 0;
    struct vol_page p = {db, keys, actor, NULL, 0, 0};
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(limit, "limit", 1, 200, &lim, err)) ||
        (rc = wg_param_count(team, "team", 1, INT64_MAX, &t, err)) ||
        (rc = wg_param_count(cursor, "cursor", 0, INT64_MAX, &after, err)) ||
        (rc = wg_partake_scope(actor, "scope", scope, lo, err)))
        return rc;
    range_hi(lo, hi);
    p.arr = json_array();
    if ((rc = wg_store_vol_list(db, lo, hi, t, after, (int)lim, on_vol, &p, err))) {
        json_decref(p.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "volunteers", p.arr, "limit", (json_int_t)lim);
    json_object_set_new(*out, "next_cursor",
                        p.n == lim ? json_sprintf("%lld", p.last) : json_null());
    return WG_OK;
}

struct one_vol {
    struct wg_vol_row row;
    char skills[1024];
};

static int copy_vol(const struct wg_vol_row *r, void *ctx)
{
    struct one_vol *o = ctx;
    o->row = *r;
    snprintf(o->skills, sizeof o->skills, "%s", r->skills ? r->skills : "[]");
    o->row.skills = o->skills;
    return 0;
}

/* Volunteer id in actor's scope (WG_ENOTFOUND outside it). */
static enum wg_rc vol_load(struct wg_db *db, const struct wg_actor *a, long long id,
                           struct one_vol *o, struct wg_err *err)
{
    enum wg_rc rc = wg_store_vol_get(db, id, copy_vol, o, err);
    if (!rc && (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, o->row.place)))
        rc = wg_err_set(err, WG_ENOTFOUND, "volunteer %lld does not exist", id);
    return rc;
}

static int on_entry(const struct wg_vol_entry *e, void *ctx)
{
    json_t *j =
        e->kind == 'r'
            ? json_pack("{s:s,s:I,s:f,s:s,s:I}", "kind", "redemption", "id", (json_int_t)e->id,
                        "points", tenths(e->points), "what", e->what, "at", (json_int_t)e->at)
            : json_pack("{s:s,s:I,s:s,s:f,s:f,s:s,s:I,s:I}", "kind", "service", "id",
                        (json_int_t)e->id, "date", e->day, "hours", tenths(e->tenths), "points",
                        tenths(e->points), "activity", e->what, "team", (json_int_t)e->team, "at",
                        (json_int_t)e->at);
    json_array_append_new(ctx, j);
    return 0;
}

enum wg_rc wg_volunteer_view(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_actor *actor, long long id, json_t **out,
                             struct wg_err *err)
{
    struct one_vol o;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = vol_load(db, actor, id, &o, err)))
        return rc;
    json_t *history = json_array();
    if ((rc = wg_store_vol_history(db, id, WG_VOL_HISTORY_SHOWN, on_entry, history, err))) {
        json_decref(history);
        return rc;
    }
    *out = vol_json(db, keys, &o.row);
    json_object_set_new(*out, "history", history);
    return WG_OK;
}

/* hours: a number 0.1 to 24 in tenths, into *t tenths. */
static enum wg_rc hours_of(const json_t *body, long long *t, struct wg_err *err)
{
    json_t *h = json_object_get(body, "hours");
    double x = json_is_number(h) ? json_number_value(h) : -1, r = round(x * 10);
    if (!json_is_number(h) || x < 0.1 - 1e-9 || x > 24 + 1e-9 || fabs(x * 10 - r) > 1e-6)
        return wg_err_set(err, WG_EINVAL,
                          "'hours' must be the hours served: 0.1 to 24, in tenths of an hour");
    *t = (long long)r;
    return WG_OK;
}

static enum wg_rc hours(struct wg_db *db, const struct wg_actor *a, long long id,
                        const json_t *body, long long now, long long *entry, struct wg_err *err)
{
    struct one_vol o;
    struct wg_vteam_row t;
    struct wg_vol_hours_row h;
    const char *date = NULL, *activity = NULL;
    long long team = 0, day_total = 0;
    enum wg_rc rc;
    memset(&h, 0, sizeof h);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a service record is a JSON object");
    if ((rc = wg_jf_known(body, wg_vol_hours_fields, "a service record", err)) ||
        (rc = vol_load(db, a, id, &o, err)) || (rc = wg_jf_text(body, "date", 1, 10, &date, err)))
        return rc;
    int today = wg_cst_day(now), day = wg_civil_parse_date(date);
    if (day < 0 || day > today || day < today - 366)
        return wg_err_set(err, WG_EINVAL,
                          "'date' must be a date YYYY-MM-DD within the last year, not after "
                          "today");
    wg_civil_format_date(day, h.day);
    if ((rc = hours_of(body, &h.tenths, err)) ||
        (rc = wg_jf_text(body, "activity", 1, 100, &activity, err)) ||
        (rc = wg_partake_jf_id(body, "team", 0, &team, err)) ||
        (rc = team_in_scope(db, a, "team", team ? team : o.row.team, &t, err)) ||
        (rc = wg_store_vol_day_tenths(db, id, h.day, &day_total, err)))
        return rc;
    if (day_total + h.tenths > 240)
        return wg_err_set(err, WG_EINVAL,
                          "'hours': volunteer %lld served %.1f hours on %s already; a day holds "
                          "at most 24",
                          id, tenths(day_total), h.day);
    h.volunteer = id;
    h.team = t.id;
    h.points = h.tenths * t.rate;
    h.activity = activity;
    snprintf(h.created_by, sizeof h.created_by, "%s", a->username);
    h.created_at = now;
    return wg_store_vol_hours_add(db, &h, entry, err);
}

enum wg_rc wg_volunteer_hours(struct wg_db *db, const struct wg_actor *actor, long long id,
                              const json_t *body, long long now, long long *entry,
                              struct wg_err *err)
{
    *entry = 0;
    IN_TX(db, err, hours(db, actor, id, body, now, entry, err));
}

static enum wg_rc redeem(struct wg_db *db, const struct wg_actor *a, long long id,
                         const json_t *body, long long now, long long *entry, struct wg_err *err)
{
    struct one_vol o;
    const char *what = NULL;
    json_t *p = json_object_get(body, "points");
    int ok = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a redemption is a JSON object");
    if ((rc = wg_jf_known(body, wg_vol_redeem_fields, "a redemption", err)) ||
        (rc = vol_load(db, a, id, &o, err)))
        return rc;
    if (!json_is_integer(p) || json_integer_value(p) < 1 ||
        json_integer_value(p) > WG_VOL_POINTS_MAX)
        return wg_err_set(err, WG_EINVAL, "'points' must be a whole number of points, 1 to %d",
                          WG_VOL_POINTS_MAX);
    if ((rc = wg_jf_text(body, "what", 1, 100, &what, err)))
        return rc;
    long long pts = json_integer_value(p) * 10;
    if ((rc = wg_store_vol_redeem(db, id, pts, what, a->username, now, entry, &ok, err)))
        return rc;
    if (!ok)
        return wg_err_set(err, WG_ECONFLICT,
                          "'points': volunteer %lld has %.1f points, fewer than %lld", id,
                          tenths(o.row.earned - o.row.redeemed), pts / 10);
    return WG_OK;
}

enum wg_rc wg_volunteer_redeem(struct wg_db *db, const struct wg_actor *actor, long long id,
                               const json_t *body, long long now, long long *entry,
                               struct wg_err *err)
{
    *entry = 0;
    IN_TX(db, err, redeem(db, actor, id, body, now, entry, err));
}

/* ---- rankings ---- */

struct ranking {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    json_t *arr;
};

static int on_vol_rank(long long id, long long person, long long team, long long t,
                       long long points, void *ctx)
{
    struct ranking *r = ctx;
    char name[64];
    wg_partake_person_masked(r->db, r->keys, person, name, sizeof name);
    json_array_append_new(r->arr, json_pack("{s:I,s:I,s:s,s:I,s:f,s:f}", "rank",
                                            (json_int_t)json_array_size(r->arr) + 1, "volunteer",
                                            (json_int_t)id, "name", name, "team", (json_int_t)team,
                                            "hours", tenths(t), "points", tenths(points)));
    return 0;
}

static int on_team_rank(long long id, const char *name, const char *kind, const char *place,
                        long long t, long long volunteers, void *ctx)
{
    json_t *arr = ctx;
    json_array_append_new(arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:f,s:I}", "rank",
                                         (json_int_t)json_array_size(arr) + 1, "team",
                                         (json_int_t)id, "name", name, "kind", kind, "place", place,
                                         "hours", tenths(t), "volunteers", (json_int_t)volunteers));
    return 0;
}

enum wg_rc wg_volunteer_rankings(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_actor *actor, const char *scope, const char *from,
                                 const char *to, const char *limit, long long now, json_t **out,
                                 struct wg_err *err)
{
    char lo[32], hi[40], f[11], t[11];
    long long lim = 20;
    struct ranking r = {db, keys, NULL};
    json_t *teams = NULL;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(limit, "limit", 1, 100, &lim, err)) ||
        (rc = wg_partake_scope(actor, "scope", scope, lo, err)) ||
        (rc = period(from, to, now, f, t, err)))
        return rc;
    range_hi(lo, hi);
    r.arr = json_array();
    teams = json_array();
    rc = wg_store_vol_rank(db, f, t, lo, hi, (int)lim, on_vol_rank, &r, err);
    if (!rc)
        rc = wg_store_vteam_rank(db, f, t, lo, hi, (int)lim, on_team_rank, teams, err);
    if (rc) {
        json_decref(r.arr);
        json_decref(teams);
        return rc;
    }
    *out = json_pack("{s:s,s:s,s:s,s:o,s:o}", "scope", lo, "from", f, "to", t, "volunteers", r.arr,
                     "teams", teams);
    return WG_OK;
}

/* ---- for the wish wall ---- */

static int copy_of(const struct wg_vol_row *r, void *ctx)
{
    struct wg_volunteer_of *o = ctx;
    o->volunteer = r->id;
    o->team = r->team;
    snprintf(o->team_name, sizeof o->team_name, "%s", r->team_name);
    snprintf(o->team_kind, sizeof o->team_kind, "%s", r->team_kind);
    snprintf(o->place, sizeof o->place, "%s", r->place);
    return 0;
}

int wg_volunteer_of_person(struct wg_db *db, long long person, struct wg_volunteer_of *out,
                           struct wg_err *err)
{
    int found = 0;
    memset(out, 0, sizeof *out);
    if (wg_store_vol_of_person(db, person, copy_of, out, &found, err))
        return 0;
    return found;
}
