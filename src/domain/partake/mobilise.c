/* Mobilisations (mobilise.h): a task broadcast to the stairwell and volunteer teams of a scope,
 * the recipients fixed and the grid workers told in the same transaction, each recipient's
 * acknowledgement and done report, and the progress with the overdue. */
#include "domain/partake/mobilise.h"

#include <stdlib.h>

#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/notify/notify.h"
#include "domain/partake/stairwell.h"
#include "domain/partake/volunteer.h"
#include "store/partake/volunteer_q.h"

const char *const wg_mob_fields[] = {"title", "content", "deadline", "scope", "kinds", NULL};
const char *const wg_mob_report_fields[] = {"kind", "team", "step", "note", NULL};
static const char *const kinds_list[] = {"stairwell", "volunteer", NULL};
static const char *const steps[] = {"ack", "done", NULL};

static enum wg_rc deadline_of(const struct wg_calendar *cal, const char *text, long long now,
                              long long *due_at, struct wg_err *err)
{
    int day = text ? wg_civil_parse_date(text) : -1, today = wg_cst_day(now);
    int64_t close = 0;
    if (day < 0)
        return wg_err_set(err, WG_EINVAL, "'deadline' is required: a date YYYY-MM-DD");
    if (day < today || day > today + 366)
        return wg_err_set(err, WG_EINVAL,
                          "'deadline' %s is not between today and a year from today", text);
    if (!cal) {
        *due_at = wg_cst_midnight(day + 1) - 1;
        return WG_OK;
    }
    if (wg_calendar_next_day_close_lenient(cal, wg_cst_midnight(day) - 1, &close, err))
        return wg_err_set(err, WG_EINVAL, "'deadline' %s lies outside the working calendar", text);
    *due_at = close;
    return WG_OK;
}

/* kinds: a non-empty list of stairwell and volunteer, into "stairwell,volunteer" form. */
static enum wg_rc kinds_of(const json_t *body, char out[24], struct wg_err *err)
{
    json_t *k = json_object_get(body, "kinds"), *v;
    int want[2] = {0, 0};
    size_t i;
    if (!json_is_array(k) || !json_array_size(k) || json_array_size(k) > 2)
        return wg_err_set(err, WG_EINVAL,
                          "'kinds' is required: a list of the teams called, stairwell and/or "
                          "volunteer");
    json_array_foreach(k, i, v)
    {
        const char *s = json_string_value(v);
        int hit = 0;
        for (int j = 0; kinds_list[j]; j++)
            if (s && !strcmp(s, kinds_list[j]))
                want[j] = hit = 1;
        if (!hit)
            return wg_err_set(err, WG_EINVAL, "'kinds[%zu]' must be stairwell or volunteer", i);
    }
    snprintf(out, 24, "%s%s%s", want[0] ? "stairwell" : "", want[0] && want[1] ? "," : "",
             want[1] ? "volunteer" : "");
    return WG_OK;
}

struct calling {
    struct wg_db *db;
    long long id;
    int n;
    json_t *places; /* {place: true} */
    enum wg_rc rc;
    struct wg_err *err;
};

static int call_team(struct calling *c, const char *kind, long long team, const char *name,
                     const char *place)
{
    if (c->n >= WG_MOB_RECIPIENTS_MAX) {
        c->rc = wg_err_set(c->err, WG_ETOOBIG, "'scope': more than %d teams would be called",
                           WG_MOB_RECIPIENTS_MAX);
        return 1;
    }
    if ((c->rc = wg_store_mob_team_insert(c->db, c->id, kind, team, name, place, c->err)))
        return 1;
    json_object_set_new(c->places, place, json_true());
    c->n++;
    return 0;
}

static int on_stair(const struct wg_stair_row *t, void *ctx)
{
    char name[240];
    /* "1" reads 1单元; a unit named "1单元" already keeps its name */
    int digits = t->unit[0] && strspn(t->unit, "0123456789") == strlen(t->unit);
    snprintf(name, sizeof name, "%s%s%s楼道", t->building_name, t->unit, digits ? "单元" : "");
    return call_team(ctx, "stairwell", t->id, name, t->grid);
}

static int on_vteam(const struct wg_vteam_row *t, void *ctx)
{
    return call_team(ctx, "volunteer", t->id, t->name, t->place);
}

/* The grid workers of each recipient's place hear of it. */
static enum wg_rc tell(struct wg_db *db, const struct wg_mob_row *m, long long id, json_t *places,
                       struct wg_err *err)
{
    const char *place;
    json_t *v;
    json_t *j = json_pack("{s:s,s:I,s:s,s:s}", "kind", "mobilisation", "mobilisation",
                          (json_int_t)id, "title", m->title, "deadline", m->deadline);
    char *payload = json_dumps(j, JSON_COMPACT);
    enum wg_rc rc = WG_OK;
    json_decref(j);
    json_object_foreach(places, place, v)
    {
        if ((rc = wg_notify_role_at(db, "gridworker", place, "mobilisation", payload, NULL, err)))
            break;
    }
    free(payload);
    return rc;
}

static enum wg_rc create(struct wg_db *db, const struct wg_calendar *cal, const struct wg_actor *a,
                         const json_t *body, long long now, long long *id, int *recipients,
                         struct wg_err *err)
{
    const char *title = NULL, *content = NULL, *deadline = NULL, *scope = NULL;
    struct wg_mob_row m;
    char hi[40];
    enum wg_rc rc;
    memset(&m, 0, sizeof m);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a mobilisation is a JSON object");
    if ((rc = wg_jf_known(body, wg_mob_fields, "a mobilisation", err)) ||
        (rc = wg_jf_text(body, "title", 1, 60, &title, err)) ||
        (rc = wg_jf_text(body, "content", 1, 2000, &content, err)) ||
        (rc = wg_jf_text(body, "deadline", 1, 10, &deadline, err)) ||
        (rc = deadline_of(cal, deadline, now, &m.due_at, err)) ||
        (rc = wg_jf_text(body, "scope", 1, 18, &scope, err)) ||
        (rc = wg_partake_place_check(db, a, "scope", scope, err)) ||
        (rc = kinds_of(body, m.kinds, err)))
        return rc;
    m.title = title;
    m.content = content;
    snprintf(m.deadline, sizeof m.deadline, "%s", deadline);
    snprintf(m.scope, sizeof m.scope, "%s", scope);
    snprintf(m.created_by, sizeof m.created_by, "%s", a->username);
    m.created_at = now;
    if ((rc = wg_store_mob_insert(db, &m, id, err)))
        return rc;
    struct calling c = {db, *id, 0, json_object(), WG_OK, err};
    snprintf(hi, sizeof hi, "%s~", scope);
    if (strstr(m.kinds, "stairwell"))
        rc = wg_store_stair_list(db, scope, hi, WG_MOB_RECIPIENTS_MAX + 1, on_stair, &c, err);
    if (!rc && !c.rc && strstr(m.kinds, "volunteer"))
        rc = wg_store_vteam_list(db, scope, hi, "", WG_MOB_RECIPIENTS_MAX + 1, on_vteam, &c, err);
    if (!rc)
        rc = c.rc;
    if (!rc && !c.n)
        rc = wg_err_set(err, WG_EINVAL, "'scope': %s has no %s teams to call", scope, m.kinds);
    if (!rc)
        rc = tell(db, &m, *id, c.places, err);
    json_decref(c.places);
    *recipients = c.n;
    return rc;
}

enum wg_rc wg_mob_create(struct wg_db *db, const struct wg_calendar *cal,
                         const struct wg_actor *actor, const json_t *body, long long now,
                         long long *id, int *recipients, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    *id = 0;
    *recipients = 0;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = create(db, cal, actor, body, now, id, recipients, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (rc)
        *id = 0;
    return rc;
}

/* ---- reading ---- */

static int sees(const struct wg_actor *a, const char *scope)
{
    const char *mine = a->scope.code;
    if (wg_scope_is_unit(&a->scope))
        return 0;
    return !strncmp(scope, mine, strlen(mine)) || !strncmp(mine, scope, strlen(scope));
}

struct reading {
    long long now;
    json_t *arr;
    long long last;
    int n;
};

static json_t *mob_json(const struct wg_mob_row *m, long long now)
{
    int late = now > m->due_at;
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:I,s:{s:I,s:I,s:I,s:I,s:I},s:b}", "id",
                     (json_int_t)m->id, "title", m->title, "content", m->content, "deadline",
                     m->deadline, "due_at", (json_int_t)m->due_at, "scope", m->scope, "kinds",
                     m->kinds, "created_by", m->created_by, "created_at", (json_int_t)m->created_at,
                     "progress", "teams", (json_int_t)m->teams, "acknowledged",
                     (json_int_t)m->acked, "done", (json_int_t)m->done, "outstanding",
                     (json_int_t)(m->teams - m->done), "overdue",
                     (json_int_t)(late ? m->teams - m->done : 0), "past_due", late);
}

static int on_mob(const struct wg_mob_row *m, void *ctx)
{
    struct reading *r = ctx;
    json_array_append_new(r->arr, mob_json(m, r->now));
    r->last = m->id;
    r->n++;
    return 0;
}

enum wg_rc wg_mob_list(struct wg_db *db, const struct wg_actor *actor, const char *limit,
                       const char *cursor, long long now, json_t **out, struct wg_err *err)
{
    long long lim = 50, before = 0;
    char lo[32], hi[40];
    struct reading r = {now, NULL, 0, 0};
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(limit, "limit", 1, 200, &lim, err)) ||
        (rc = wg_param_count(cursor, "cursor", 1, INT64_MAX, &before, err)) ||
        (rc = wg_partake_scope(actor, "scope", NULL, lo, err)))
        return rc;
    snprintf(hi, sizeof hi, "%s~", lo);
    r.arr = json_array();
    rc = wg_store_mob_list(db, lo, hi, lo, before ? before : INT64_MAX, (int)lim, on_mob, &r, err);
    if (rc) {
        json_decref(r.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "mobilisations", r.arr, "limit", (json_int_t)lim);
    json_object_set_new(*out, "next_cursor",
                        r.n == lim ? json_sprintf("%lld", r.last) : json_null());
    return WG_OK;
}

struct one {
    const struct wg_actor *actor;
    long long now;
    json_t *j;
    long long due_at;
    int seen;
};

static int on_one(const struct wg_mob_row *m, void *ctx)
{
    struct one *o = ctx;
    o->seen = sees(o->actor, m->scope);
    o->due_at = m->due_at;
    if (o->seen)
        o->j = mob_json(m, o->now);
    return 0;
}

struct teams {
    const struct wg_actor *actor;
    long long now, due_at;
    json_t *arr;
};

static int on_recipient(const struct wg_mob_team_row *t, void *ctx)
{
    struct teams *x = ctx;
    const char *state = t->done_at ? "done" : t->acked_at ? "acknowledged" : "outstanding";
    json_array_append_new(
        x->arr, json_pack("{s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:b,s:b}", "kind", t->kind,
                          "team", (json_int_t)t->team, "name", t->name, "place", t->place, "state",
                          state, "acked_at", (json_int_t)t->acked_at, "acked_by", t->acked_by,
                          "done_at", (json_int_t)t->done_at, "done_by", t->done_by, "note", t->note,
                          "overdue", !t->done_at && x->now > x->due_at, "mine",
                          !wg_scope_is_unit(&x->actor->scope) &&
                              wg_scope_covers(&x->actor->scope, t->place)));
    return 0;
}

enum wg_rc wg_mob_view(struct wg_db *db, const struct wg_actor *actor, long long id, long long now,
                       json_t **out, struct wg_err *err)
{
    struct one o = {actor, now, NULL, 0, 0};
    enum wg_rc rc = wg_store_mob_get(db, id, on_one, &o, err);
    *out = NULL;
    if (rc)
        return rc;
    if (!o.seen)
        return wg_err_set(err, WG_ENOTFOUND, "mobilisation %lld does not exist", id);
    struct teams t = {actor, now, o.due_at, json_array()};
    if ((rc = wg_store_mob_teams(db, id, on_recipient, &t, err))) {
        json_decref(t.arr);
        json_decref(o.j);
        return rc;
    }
    json_object_set_new(o.j, "teams", t.arr);
    *out = o.j;
    return WG_OK;
}

struct finding {
    const char *kind;
    long long team;
    char place[20];
    long long acked_at, done_at;
    int found;
};

static int find_team(const struct wg_mob_team_row *t, void *ctx)
{
    struct finding *f = ctx;
    if (strcmp(t->kind, f->kind) || t->team != f->team)
        return 0;
    f->found = 1;
    snprintf(f->place, sizeof f->place, "%s", t->place);
    f->acked_at = t->acked_at;
    f->done_at = t->done_at;
    return 1;
}

static enum wg_rc report(struct wg_db *db, const struct wg_actor *a, long long id,
                         const json_t *body, long long now, struct wg_err *err)
{
    const char *kind = NULL, *step = NULL, *note = NULL;
    struct one o = {a, now, NULL, 0, 0};
    struct finding f = {NULL, 0, "", 0, 0, 0};
    int changed = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a report is a JSON object");
    if ((rc = wg_jf_known(body, wg_mob_report_fields, "a mobilisation report", err)) ||
        (rc = wg_store_mob_get(db, id, on_one, &o, err)))
        return rc;
    json_decref(o.j);
    if (!o.seen)
        return wg_err_set(err, WG_ENOTFOUND, "mobilisation %lld does not exist", id);
    if ((rc = wg_jf_one_of(body, "kind", kinds_list, NULL, &kind, err)) ||
        (rc = wg_partake_jf_id(body, "team", 1, &f.team, err)) ||
        (rc = wg_jf_one_of(body, "step", steps, NULL, &step, err)) ||
        (rc = wg_jf_text(body, "note", 0, 500, &note, err)))
        return rc;
    f.kind = kind;
    if ((rc = wg_store_mob_teams(db, id, find_team, &f, err)))
        return rc;
    if (!f.found)
        return wg_err_set(err, WG_EINVAL,
                          "'team': %s team %lld was not called by mobilisation %lld", kind, f.team,
                          id);
    if (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, f.place))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "%s team %lld is reported on by the staff of %s, outside your scope",
                          kind, f.team, f.place);
    int done = !strcmp(step, "done");
    if ((rc = wg_store_mob_mark(db, id, kind, f.team, done, now, a->username, note, &changed, err)))
        return rc;
    if (!changed)
        return wg_err_set(err, WG_ECONFLICT, "%s team %lld has %s mobilisation %lld already", kind,
                          f.team, done ? "reported done" : "acknowledged", id);
    return WG_OK;
}

enum wg_rc wg_mob_report(struct wg_db *db, const struct wg_actor *actor, long long id,
                         const json_t *body, long long now, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = report(db, actor, id, body, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}
