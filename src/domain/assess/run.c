/* A month's assessment run and its results (assess.h): the run that makes or recomputes the
 * drafts of every object in scope, one result read with its items, figures and history, the
 * entries of self and reviewer scores with their reasons and evidence, freezing, and the
 * corrections of a frozen result; every change on the result's history. */
#include "domain/assess/assess.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "domain/accounts/profile.h"

const char *const wg_assess_run_fields[] = {"kind", "period", NULL};
const char *const wg_assess_item_fields[] = {"version", "self",     "reviewer",
                                             "reason",  "evidence", NULL};
const char *const wg_assess_correct_fields[] = {"version", "code", "score", "reason", NULL};
const char *const wg_assess_freeze_fields[] = {"version", "kind", "period", NULL};

enum wg_rc wg_assess_range(const struct wg_actor *actor, const char *want, char lo[32], char hi[32],
                           struct wg_err *err)
{
    const char *mine = wg_scope_is_unit(&actor->scope) ? "" : actor->scope.code;
    want = want ? want : "";
    if (strlen(want) > 18 || strspn(want, "0123456789") != strlen(want))
        return wg_err_set(err, WG_EINVAL, "'region' must be a region or grid code (digits)");
    if (*want && strncmp(want, mine, strlen(mine)))
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' is outside your scope", want);
    snprintf(lo, 32, "%s", *want ? want : mine);
    snprintf(hi, 32, "%s~", lo);
    return WG_OK;
}

int wg_assess_sees(const struct wg_actor *a, const struct wg_assess_row *r)
{
    if (wg_scope_is_unit(&a->scope))
        return !strcmp(r->kind, "unit") && !strcmp(r->object, a->scope.code);
    return wg_scope_covers(&a->scope, r->region);
}

enum wg_rc wg_assess_period(const char *text, const char *field, long long now, int *first,
                            struct wg_err *err)
{
    int d = text && strlen(text) == 7 ? wg_civil_parse_month(text) : -1;
    if (d < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' is required: a month YYYY-MM", field);
    if (d > wg_cst_day(now))
        return wg_err_set(err, WG_EINVAL, "'%s' %s has not begun", field, text);
    *first = d;
    return WG_OK;
}

/* ---- a result loaded ---- */

struct loaded {
    const struct wg_actor *actor;
    struct wg_assess_row row;
    char *name;
    json_t *doc; /* {items, figures} */
    int found;
};

static int on_row(const struct wg_assess_row *r, void *ctx)
{
    struct loaded *l = ctx;
    if (l->actor && !wg_assess_sees(l->actor, r))
        return 0;
    l->found = 1;
    l->row = *r;
    l->name = wg_strdup(r->name ? r->name : "");
    l->row.name = l->name;
    l->doc = json_loads(r->items ? r->items : "{}", 0, NULL);
    l->row.items = NULL;
    return 0;
}

static void unload(struct loaded *l)
{
    free(l->name);
    json_decref(l->doc);
    memset(l, 0, sizeof *l);
}

static enum wg_rc load(struct wg_db *db, const struct wg_actor *a, long long id, struct loaded *l,
                       struct wg_err *err)
{
    memset(l, 0, sizeof *l);
    l->actor = a;
    enum wg_rc rc = wg_store_assess_get(db, id, on_row, l, err);
    if (!rc && (!l->found || !json_is_object(l->doc)))
        rc = wg_err_set(err, WG_ENOTFOUND, "assessment %lld does not exist", id);
    return rc;
}

/* ---- the run ---- */

/* The items of a new result from scheme, each computed one scored from its figure. */
static json_t *build(const json_t *scheme, const json_t *figures)
{
    json_t *items = json_array(), *g, *it;
    size_t i, k;
    json_array_foreach(json_object_get(scheme, "groups"), i, g)
    {
        json_array_foreach(json_object_get(g, "items"), k, it)
        {
            json_t *x = json_deep_copy(it);
            json_object_set(x, "group", json_object_get(g, "code"));
            json_array_append_new(items, x);
        }
    }
    json_array_foreach(json_object_get(scheme, "bonus"), i, it)
    {
        json_t *x = json_deep_copy(it);
        json_object_set_new(x, "group", json_string("bonus"));
        json_array_append_new(items, x);
    }
    json_array_foreach(items, i, it)
    {
        const char *metric = json_string_value(json_object_get(it, "metric"));
        json_object_set_new(it, "computed",
                            metric
                                ? json_real(wg_assess_points(it, json_object_get(figures, metric)))
                                : json_null());
        json_object_set_new(it, "self", json_null());
        json_object_set_new(it, "reviewer", json_null());
        json_object_set_new(it, "reason", json_string(""));
        json_object_set_new(it, "evidence", json_array());
    }
    return items;
}

static json_t *item_of(const json_t *items, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *c = json_string_value(json_object_get(it, "code"));
        if (c && !strcmp(c, code))
            return it;
    }
    return NULL;
}

/* What people entered on the draft before, kept for the items still in the scheme. */
static void keep_entries(json_t *items, const json_t *old)
{
    static const char *const keys[] = {"self", "reviewer", "reason", "evidence"};
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const json_t *was = item_of(old, json_string_value(json_object_get(it, "code")));
        for (size_t k = 0; was && k < sizeof keys / sizeof keys[0]; k++)
            if (json_object_get(was, keys[k]))
                json_object_set(it, keys[k], json_object_get(was, keys[k]));
    }
}

struct object {
    char key[64], name[128], region[20];
};

struct objects {
    struct object *v;
    size_t n, cap;
};

static int on_object(const char *key, const char *name, const char *region, void *ctx)
{
    struct objects *o = ctx;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->v = wg_realloc(o->v, o->cap * sizeof *o->v);
    }
    struct object *x = &o->v[o->n++];
    snprintf(x->key, sizeof x->key, "%s", key ? key : "");
    snprintf(x->name, sizeof x->name, "%s", name ? name : "");
    snprintf(x->region, sizeof x->region, "%s", region ? region : "");
    return 0;
}

static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
}

static enum wg_rc change(struct wg_db *db, long long id, const struct wg_actor *a, long long now,
                         const char *action, const char *code, const char *old, const char *new_,
                         const char *reason, struct wg_err *err)
{
    struct wg_assess_change c = {now, a->username, action, code, old, new_, reason};
    return wg_store_assess_history_add(db, id, &c, err);
}

struct counts {
    int objects, created, updated, frozen;
};

/* One object's result made or recomputed. */
static enum wg_rc run_one(struct wg_db *db, const struct wg_actor *a, const char *kind,
                          const char *period, const json_t *scheme, const struct wg_assess_figs *f,
                          const struct object *o, long long now, struct counts *n,
                          struct wg_err *err)
{
    const struct wg_assess_metric *m;
    struct loaded old;
    int found = 0, k = wg_assess_kind_index(kind);
    const char *region = !strcmp(kind, "unit") ? a->scope.code : o->region;
    json_t *figures = json_object();
    enum wg_rc rc;
    memset(&old, 0, sizeof old);
    for (m = wg_assess_metrics; m->name; m++)
        if (m->kinds & (1u << k))
            json_object_set_new(figures, m->name, wg_assess_figure(f, o->key, o->region, m->name));
    json_t *items = build(scheme, figures), *doc = json_object();
    if ((rc = wg_store_assess_key(db, kind, period, region, o->key, on_row, &old, &found, err)))
        goto out;
    n->objects++;
    if (found && strcmp(old.row.state, "draft")) {
        n->frozen++;
        goto out;
    }
    if (found)
        keep_entries(items, json_object_get(old.doc, "items"));
    double total = 0;
    char cls[2];
    wg_assess_total(items, scheme, &total, cls, NULL);
    json_object_set(doc, "items", items);
    json_object_set(doc, "figures", figures);
    char *text = dump(doc), totals[32];
    snprintf(totals, sizeof totals, "%.1f %s", total, cls);
    long long sv = json_integer_value(json_object_get(scheme, "version")), id = old.row.id;
    if (found) {
        rc = wg_store_assess_set(db, id, old.row.version, "draft", text, total, cls, "draft", sv,
                                 now, err);
        n->updated += !rc;
    } else {
        struct wg_assess_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.kind, sizeof r.kind, "%s", kind);
        snprintf(r.period, sizeof r.period, "%s", period);
        snprintf(r.region, sizeof r.region, "%s", region);
        snprintf(r.object, sizeof r.object, "%s", o->key);
        r.name = o->name;
        r.scheme_version = sv;
        r.total = total;
        snprintf(r.cls, sizeof r.cls, "%s", cls);
        r.items = text;
        snprintf(r.created_by, sizeof r.created_by, "%s", a->username);
        r.created_at = now;
        rc = wg_store_assess_insert(db, &r, &id, err);
        n->created += !rc;
    }
    if (!rc)
        rc = change(db, id, a, now, found ? "recompute" : "compute", "", "", totals, "", err);
    free(text);
out:
    unload(&old);
    json_decref(items);
    json_decref(figures);
    json_decref(doc);
    return rc;
}

/* A grid worker the grid teams do not name (the store gave the username): the account's
 * real name, masked as every list shows a person's, when it has one. keys NULL: as given. */
static enum wg_rc worker_names(struct wg_db *db, const struct wg_pii_keys *keys,
                               struct objects *objs, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; keys && !rc && i < objs->n; i++) {
        struct object *o = &objs->v[i];
        struct wg_profile prof = {0};
        if (strcmp(o->name, o->key) || (rc = wg_profile_get(db, keys, o->key, &prof, err)))
            continue;
        if (prof.name && *prof.name)
            wg_pii_mask_name(prof.name, o->name, sizeof o->name);
        wg_profile_release(&prof);
    }
    return rc;
}

enum wg_rc wg_assess_run(struct wg_db *db, const struct wg_calendar *cal,
                         const struct wg_pii_keys *keys, const struct wg_actor *actor,
                         const json_t *body, long long now, json_t **out, struct wg_err *err)
{
    const char *kind = NULL, *period = NULL;
    char lo[32], hi[32];
    int first = 0, own = !wg_db_in_tx(db);
    struct objects objs = {NULL, 0, 0};
    struct counts n = {0, 0, 0, 0};
    struct wg_assess_figs *f = NULL;
    json_t *scheme = NULL;
    enum wg_rc rc;
    *out = NULL;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a run is a JSON object");
    if ((rc = wg_jf_known(body, wg_assess_run_fields, "a run", err)) ||
        (rc = wg_jf_one_of(body, "kind", wg_assess_kinds, NULL, &kind, err)) ||
        (rc = wg_jf_text(body, "period", 1, 7, &period, err)) ||
        (rc = wg_assess_period(period, "period", now, &first, err)))
        return rc;
    if (wg_scope_is_unit(&actor->scope))
        return wg_err_set(err, WG_EFORBIDDEN, "a unit's account does not run assessments");
    if ((rc = wg_assess_range(actor, NULL, lo, hi, err)) ||
        (rc = wg_assess_scheme_get(db, kind, &scheme, err)) ||
        (rc = wg_store_assess_objects(db, kind, lo, hi, on_object, &objs, err)) ||
        (!strcmp(kind, "worker") && (rc = worker_names(db, keys, &objs, err))) ||
        (rc = wg_assess_figs_new(db, cal, kind, lo, hi, first, now, &f, err)))
        goto out;
    if (own && (rc = wg_db_begin(db, err)))
        goto out;
    for (size_t i = 0; !rc && i < objs.n; i++)
        rc = run_one(db, actor, kind, period, scheme, f, &objs.v[i], now, &n, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (!rc)
        *out = json_pack("{s:s,s:s,s:O,s:i,s:i,s:i,s:i}", "kind", kind, "period", period,
                         "scheme_version", json_object_get(scheme, "version"), "objects", n.objects,
                         "created", n.created, "updated", n.updated, "frozen", n.frozen);
out:
    free(objs.v);
    wg_assess_figs_free(f);
    json_decref(scheme);
    return rc;
}

/* ---- who enters what ---- */

static int may_review(const struct wg_actor *a, const struct wg_assess_row *r)
{
    return (a->perms & WG_P_ASSESS_WRITE) && !wg_scope_is_unit(&a->scope) &&
           wg_scope_covers(&a->scope, r->region);
}

static int may_self(const struct wg_actor *a, const struct wg_assess_row *r)
{
    if (!strcmp(r->kind, "worker"))
        return !strcmp(a->username, r->object);
    if (!strcmp(r->kind, "unit"))
        return wg_scope_is_unit(&a->scope) && a->role == WG_ROLE_HANDLER &&
               !strcmp(a->scope.code, r->object);
    if (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, r->object))
        return 0;
    if (!strcmp(r->kind, "grid"))
        return (a->role == WG_ROLE_GRIDWORKER || a->role == WG_ROLE_COMMUNITY) &&
               strlen(a->scope.code) >= 12;
    return a->role == WG_ROLE_COMMUNITY && strlen(a->scope.code) >= 9; /* a town's own staff */
}

/* ---- one result ---- */

static int on_change(const struct wg_assess_change *c, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "at", (json_int_t)c->at,
                                         "actor", c->actor ? c->actor : "", "action",
                                         c->action ? c->action : "", "code", c->code ? c->code : "",
                                         "old", c->old ? c->old : "", "new", c->new_ ? c->new_ : "",
                                         "reason", c->reason ? c->reason : ""));
    return 0;
}

enum wg_rc wg_assess_view(struct wg_db *db, const struct wg_actor *actor, long long id,
                          json_t **out, struct wg_err *err)
{
    struct loaded l;
    json_t *scheme = NULL, *groups = json_object(), *history = json_array(), *g;
    enum wg_rc rc = load(db, actor, id, &l, err);
    size_t i;
    *out = NULL;
    if (!rc)
        rc = wg_assess_scheme_at(db, l.row.kind, l.row.scheme_version, &scheme, err);
    if (!rc)
        rc = wg_store_assess_history(db, id, on_change, history, err);
    if (rc)
        goto out;
    json_t *items = json_object_get(l.doc, "items"), *figures = json_object_get(l.doc, "figures");
    json_t *it, *glist = json_array();
    double total = 0;
    char cls[2];
    wg_assess_total(items, scheme, &total, cls, groups);
    json_array_foreach(items, i, it)
    {
        const char *metric = json_string_value(json_object_get(it, "metric"));
        json_object_set_new(it, "final", json_real(wg_assess_item_score(it)));
        if (metric)
            json_object_set(it, "figure", json_object_get(figures, metric));
    }
    json_array_foreach(json_object_get(scheme, "groups"), i, g)
    {
        const char *code = json_string_value(json_object_get(g, "code"));
        json_array_append_new(
            glist, json_pack("{s:O,s:O,s:O,s:O}", "code", json_object_get(g, "code"), "name",
                             json_object_get(g, "name"), "score", json_object_get(g, "score"),
                             "got", json_object_get(groups, code ? code : "")));
    }
    *out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:f,s:s,s:I,s:O,s:o,s:{s:O,s:O},s:O,s:o,"
                     "s:b,s:b,s:I,s:I}",
                     "id", (json_int_t)l.row.id, "kind", l.row.kind, "period", l.row.period,
                     "region", l.row.region, "object", l.row.object, "name", l.name,
                     "scheme_version", (json_int_t)l.row.scheme_version, "state", l.row.state,
                     "total", l.row.total, "class", l.row.cls, "version", (json_int_t)l.row.version,
                     "items", items, "groups", glist, "bonus", "cap",
                     json_object_get(scheme, "bonus_cap"), "got", json_object_get(groups, "bonus"),
                     "figures", figures, "history", history, "can_self", may_self(actor, &l.row),
                     "can_review", may_review(actor, &l.row), "created_at",
                     (json_int_t)l.row.created_at, "updated_at", (json_int_t)l.row.updated_at);
    history = NULL;
    if (!strcmp(l.row.kind, "worker"))
        json_object_set_new(*out, "stars", json_integer(wg_assess_stars(l.row.total)));
out:
    unload(&l);
    json_decref(scheme);
    json_decref(groups);
    json_decref(history);
    return rc;
}

/* ---- entries ---- */

/* A score field: absent (*set 0), null (cleared) or a number 0..max in steps of 0.1. */
static enum wg_rc score_field(const json_t *body, const char *field, double max, int *set,
                              json_t **value, struct wg_err *err)
{
    const json_t *v = json_object_get(body, field);
    *set = v != NULL;
    *value = NULL;
    if (!v)
        return WG_OK;
    if (json_is_null(v)) {
        *value = json_null();
        return WG_OK;
    }
    double d = json_is_number(v) ? json_number_value(v) : -1;
    if (!(d >= 0 && d <= max))
        return wg_err_set(err, WG_EINVAL, "'%s' is a score from 0 to %g, or null to clear it",
                          field, max);
    *value = json_real((double)(long long)(d * 10 + 0.5) / 10);
    return WG_OK;
}

static enum wg_rc version_field(const json_t *body, long long *version, struct wg_err *err)
{
    const json_t *v = json_object_get(body, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "'version' is required: the version of the result read");
    *version = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc evidence_field(const json_t *body, struct wg_err *err)
{
    const json_t *e = json_object_get(body, "evidence"), *v;
    size_t i;
    if (!e)
        return WG_OK;
    if (!json_is_array(e) || json_array_size(e) > WG_ASSESS_EVIDENCE)
        return wg_err_set(err, WG_EINVAL,
                          "'evidence' is an array of at most %d references "
                          "(order:123, a photo's sha256, a link)",
                          WG_ASSESS_EVIDENCE);
    json_array_foreach(e, i, v)
    {
        const char *s = json_string_value(v);
        size_t n = s ? strlen(s) : 0;
        if (!n || n != json_string_length(v) || n > WG_ASSESS_REF_MAX || strspn(s, " \t\r\n") == n)
            return wg_err_set(err, WG_EINVAL, "'evidence[%zu]' is a reference of 1 to %d bytes", i,
                              WG_ASSESS_REF_MAX);
    }
    return WG_OK;
}

enum wg_rc wg_assess_item_read(const json_t *body, long long *version, struct wg_err *err)
{
    const char *reason = NULL;
    int set = 0, any = 0;
    json_t *v = NULL;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of an item's entry is a JSON object");
    if ((rc = wg_jf_known(body, wg_assess_item_fields, "an item's entry", err)) ||
        (rc = version_field(body, version, err)) ||
        (rc = wg_jf_text(body, "reason", 0, WG_ASSESS_REASON_MAX, &reason, err)) ||
        (rc = evidence_field(body, err)))
        return rc;
    for (int k = 0; k < 2; k++) {
        if ((rc = score_field(body, k ? "reviewer" : "self", 1000, &set, &v, err)))
            return rc;
        json_decref(v);
        any |= set;
    }
    if (!any && !json_object_get(body, "evidence"))
        return wg_err_set(err, WG_EINVAL, "an item's entry sets 'self', 'reviewer' or 'evidence'");
    if (json_object_get(body, "reviewer") && !json_is_null(json_object_get(body, "reviewer")) &&
        !reason)
        return wg_err_set(err, WG_EINVAL, "'reason' is required with a reviewer's score");
    return WG_OK;
}

static const char *num_text(const json_t *v, char buf[24])
{
    if (!json_is_number(v))
        return "";
    snprintf(buf, 24, "%.1f", json_number_value(v));
    return buf;
}

/* The result stored again with its totals, at the version read, staying in state. */
static enum wg_rc save(struct wg_db *db, struct loaded *l, long long version, long long now,
                       struct wg_err *err)
{
    json_t *scheme = NULL;
    enum wg_rc rc = wg_assess_scheme_at(db, l->row.kind, l->row.scheme_version, &scheme, err);
    if (rc)
        return rc;
    double total = 0;
    char cls[2];
    wg_assess_total(json_object_get(l->doc, "items"), scheme, &total, cls, NULL);
    char *text = dump(l->doc);
    rc = wg_store_assess_set(db, l->row.id, version, l->row.state, text, total, cls, l->row.state,
                             l->row.scheme_version, now, err);
    free(text);
    json_decref(scheme);
    return rc;
}

static enum wg_rc entry(struct wg_db *db, const struct wg_actor *a, struct loaded *l,
                        const char *code, const json_t *body, long long version, long long now,
                        struct wg_err *err)
{
    json_t *it = item_of(json_object_get(l->doc, "items"), code), *self = NULL, *rev = NULL;
    int set_self = 0, set_rev = 0;
    char o[24], n[24];
    enum wg_rc rc = WG_OK;
    if (!it)
        return wg_err_set(err, WG_ENOTFOUND, "item '%.32s' is not in assessment %lld", code,
                          l->row.id);
    if (strcmp(l->row.state, "draft"))
        return wg_err_set(err, WG_ECONFLICT,
                          "assessment %lld is frozen: a change is a correction "
                          "with its reason",
                          l->row.id);
    double max = json_number_value(json_object_get(it, "score"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    if ((rc = score_field(body, "self", max, &set_self, &self, err)) ||
        (rc = score_field(body, "reviewer", max, &set_rev, &rev, err)))
        goto out;
    if (set_self && !may_self(a, &l->row)) {
        rc = wg_err_set(err, WG_EFORBIDDEN, "a self score of %s %s is entered by its own people",
                        l->row.kind, l->row.object);
        goto out;
    }
    if (set_self && strcmp(json_string_value(json_object_get(it, "method")), "self")) {
        rc = wg_err_set(err, WG_EINVAL, "'self': item '%s' is not self-assessed", code);
        goto out;
    }
    if (set_rev && !may_review(a, &l->row)) {
        rc = wg_err_set(err, WG_EFORBIDDEN, "reviewer scores are entered by supervisors in scope");
        goto out;
    }
    if (json_object_get(body, "evidence") && !may_self(a, &l->row) && !may_review(a, &l->row)) {
        rc = wg_err_set(err, WG_EFORBIDDEN,
                        "evidence is added by the %s's own people or a "
                        "reviewer",
                        l->row.kind);
        goto out;
    }
    if (set_self &&
        !(rc = change(db, l->row.id, a, now, "self", code, num_text(json_object_get(it, "self"), o),
                      num_text(self, n), "", err)))
        json_object_set(it, "self", self);
    if (!rc && set_rev &&
        !(rc = change(db, l->row.id, a, now, "review", code,
                      num_text(json_object_get(it, "reviewer"), o), num_text(rev, n),
                      reason ? reason : "", err))) {
        json_object_set(it, "reviewer", rev);
        json_object_set_new(it, "reason", json_string(reason ? reason : ""));
    }
    if (!rc && json_object_get(body, "evidence")) {
        char *was = dump(json_object_get(it, "evidence")),
             *now_ = dump(json_object_get(body, "evidence"));
        rc = change(db, l->row.id, a, now, "evidence", code, was, now_, "", err);
        free(was);
        free(now_);
        json_object_set(it, "evidence", json_object_get(body, "evidence"));
    }
    if (!rc)
        rc = save(db, l, version, now, err);
out:
    json_decref(self);
    json_decref(rev);
    return rc;
}

/* Runs fn on result id loaded for the actor, inside one transaction. */
static enum wg_rc with_result(struct wg_db *db, const struct wg_actor *a, long long id,
                              enum wg_rc (*fn)(struct wg_db *, const struct wg_actor *,
                                               struct loaded *, const void *, long long,
                                               struct wg_err *),
                              const void *arg, long long now, struct wg_err *err)
{
    struct loaded l;
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = load(db, a, id, &l, err);
    if (!rc)
        rc = fn(db, a, &l, arg, now, err);
    unload(&l);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

struct put_arg {
    const char *code;
    const json_t *body;
    long long version;
};

static enum wg_rc put_fn(struct wg_db *db, const struct wg_actor *a, struct loaded *l,
                         const void *arg, long long now, struct wg_err *err)
{
    const struct put_arg *p = arg;
    return entry(db, a, l, p->code, p->body, p->version, now, err);
}

enum wg_rc wg_assess_item_put(struct wg_db *db, const struct wg_actor *actor, long long id,
                              const char *code, const json_t *body, long long now,
                              struct wg_err *err)
{
    struct put_arg p = {code, body, 0};
    enum wg_rc rc = wg_assess_item_read(body, &p.version, err);
    return rc ? rc : with_result(db, actor, id, put_fn, &p, now, err);
}

static enum wg_rc freeze_fn(struct wg_db *db, const struct wg_actor *a, struct loaded *l,
                            const void *arg, long long now, struct wg_err *err)
{
    const long long *version = arg;
    if (!may_review(a, &l->row))
        return wg_err_set(err, WG_EFORBIDDEN, "results are frozen by supervisors in scope");
    if (strcmp(l->row.state, "draft"))
        return wg_err_set(err, WG_ECONFLICT, "assessment %lld is frozen already", l->row.id);
    if (*version && *version != l->row.version)
        return wg_err_set(err, WG_ECONFLICT,
                          "assessment %lld changed since version %lld was read: read it again",
                          l->row.id, *version);
    char *text = dump(l->doc), t[32];
    snprintf(t, sizeof t, "%.1f %s", l->row.total, l->row.cls);
    enum wg_rc rc = wg_store_assess_set(db, l->row.id, l->row.version, "draft", text, l->row.total,
                                        l->row.cls, "frozen", l->row.scheme_version, now, err);
    free(text);
    return rc ? rc : change(db, l->row.id, a, now, "freeze", "", "", t, "", err);
}

enum wg_rc wg_assess_freeze(struct wg_db *db, const struct wg_actor *actor, long long id,
                            const json_t *body, long long now, struct wg_err *err)
{
    long long version = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a freeze is a JSON object: {version}");
    if ((rc = wg_jf_known(body, wg_assess_freeze_fields, "a freeze", err)) ||
        (rc = version_field(body, &version, err)))
        return rc;
    return with_result(db, actor, id, freeze_fn, &version, now, err);
}

struct month {
    long long ids[4096];
    size_t n;
};

static int on_draft(const struct wg_assess_row *r, void *ctx)
{
    struct month *m = ctx;
    if (m->n < sizeof m->ids / sizeof m->ids[0])
        m->ids[m->n++] = r->id;
    return 0;
}

enum wg_rc wg_assess_freeze_month(struct wg_db *db, const struct wg_actor *actor,
                                  const json_t *body, long long now, int *n, struct wg_err *err)
{
    const char *kind = NULL, *period = NULL;
    char lo[32], hi[32];
    int first = 0, own = !wg_db_in_tx(db);
    long long any = 0;
    enum wg_rc rc;
    *n = 0;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a freeze is a JSON object: {kind, period}");
    if ((rc = wg_jf_known(body, wg_assess_freeze_fields, "a month's freeze", err)) ||
        (rc = wg_jf_one_of(body, "kind", wg_assess_kinds, NULL, &kind, err)) ||
        (rc = wg_jf_text(body, "period", 1, 7, &period, err)) ||
        (rc = wg_assess_period(period, "period", now, &first, err)) ||
        (rc = wg_assess_range(actor, NULL, lo, hi, err)))
        return rc;
    if (wg_scope_is_unit(&actor->scope) || !(actor->perms & WG_P_ASSESS_WRITE))
        return wg_err_set(err, WG_EFORBIDDEN, "results are frozen by supervisors");
    struct month *m = wg_calloc(1, sizeof *m);
    struct wg_assess_range q = {kind, period, lo, hi, "", "draft", 4096};
    if (own && (rc = wg_db_begin(db, err)))
        goto out;
    rc = wg_store_assess_list(db, &q, on_draft, m, err);
    for (size_t i = 0; !rc && i < m->n; i++)
        rc = with_result(db, actor, m->ids[i], freeze_fn, &any, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (!rc)
        *n = (int)m->n;
out:
    free(m);
    return rc;
}

struct correct_arg {
    long long version;
    const char *code, *reason;
    double score;
};

static enum wg_rc correct_fn(struct wg_db *db, const struct wg_actor *a, struct loaded *l,
                             const void *arg, long long now, struct wg_err *err)
{
    const struct correct_arg *c = arg;
    json_t *it = item_of(json_object_get(l->doc, "items"), c->code);
    char o[24], nw[24];
    if (!may_review(a, &l->row))
        return wg_err_set(err, WG_EFORBIDDEN, "corrections are made by supervisors in scope");
    if (!it)
        return wg_err_set(err, WG_EINVAL, "'code': item '%.32s' is not in assessment %lld", c->code,
                          l->row.id);
    double max = json_number_value(json_object_get(it, "score"));
    if (c->score > max + 1e-9)
        return wg_err_set(err, WG_EINVAL, "'score' is from 0 to the item's %g", max);
    if (!strcmp(l->row.state, "draft"))
        return wg_err_set(err, WG_ECONFLICT,
                          "assessment %lld is a draft: enter the score on the "
                          "item; corrections are for frozen results",
                          l->row.id);
    snprintf(o, sizeof o, "%.1f", wg_assess_item_score(it));
    snprintf(nw, sizeof nw, "%.1f", c->score);
    json_object_set_new(it, "corrected", json_real(c->score));
    json_object_set_new(it, "correction_reason", json_string(c->reason));
    enum wg_rc rc = change(db, l->row.id, a, now, "correct", c->code, o, nw, c->reason, err);
    return rc ? rc : save(db, l, c->version, now, err);
}

enum wg_rc wg_assess_correct(struct wg_db *db, const struct wg_actor *actor, long long id,
                             const json_t *body, long long now, struct wg_err *err)
{
    struct correct_arg c = {0, NULL, NULL, 0};
    const json_t *s = json_object_get(body, "score");
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a correction is a JSON object");
    if ((rc = wg_jf_known(body, wg_assess_correct_fields, "a correction", err)) ||
        (rc = version_field(body, &c.version, err)) ||
        (rc = wg_jf_text(body, "code", 1, 16, &c.code, err)))
        return rc;
    if (!json_is_number(s) || json_number_value(s) < 0 || json_number_value(s) > 1000)
        return wg_err_set(err, WG_EINVAL, "'score' is required: the item's corrected score");
    c.score = (double)(long long)(json_number_value(s) * 10 + 0.5) / 10;
    if ((rc = wg_jf_text(body, "reason", 1, WG_ASSESS_REASON_MAX, &c.reason, err)))
        return rc;
    return with_result(db, actor, id, correct_fn, &c, now, err);
}
