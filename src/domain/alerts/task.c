/* 未诉先办 tasks (task.h): a new task's body checked field by field against the store and the
 * catalog in force, stored with the first line of its timeline; who sees a task and who moves
 * it; one task with its names and timeline; a page of the tasks an account sees. */
#include "domain/alerts/task.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "core/utf8.h"
#include "domain/accounts/pii.h"
#include "domain/alerts/warning.h"
#include "domain/notify/notify.h"
#include "store/accounts/accounts_q.h"
#include "store/alerts/task_q.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"

const char *const wg_task_fields[] = {"origin",   "warning",   "topic",   "scope",
                                      "items",    "lead_unit", "helpers", "measures",
                                      "deadline", "owner",     NULL};
const char *const wg_task_action_fields[] = {"action", "note", NULL};

#define NOTE_CONTEXT "task.note"

/* A line of the timeline, its note sealed. */
static enum wg_rc event(struct wg_db *db, const struct wg_pii_keys *keys, long long task,
                        long long at, const char *actor, const char *action, const char *note,
                        struct wg_err *err)
{
    char *sealed = NULL;
    enum wg_rc rc = WG_OK;
    if (note && *note)
        rc = wg_pii_encrypt(keys, note, NOTE_CONTEXT, &sealed, err);
    if (!rc)
        rc = wg_store_task_event(db, task, at, actor, action, sealed ? sealed : "", err);
    free(sealed);
    return rc;
}

static const char *const origins[] = {"warning", "top_problem", "top_item", NULL};
static const char *const actions[] = {"progress", "complete", "close", "cancel", NULL};

/* A string element of an array: 1 to max characters, not blank, no NUL. */
static enum wg_rc element_text(const json_t *v, const char *field, size_t i, size_t max,
                               const char **out, struct wg_err *err)
{
    const char *s = json_string_value(v);
    size_t n = s ? wg_utf8_chars(s) : 0;
    if (!s || strlen(s) != json_string_length(v) || strspn(s, " \t\r\n") == strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s[%zu]' is a text of 1 to %zu characters", field, i,
                          max);
    if (n > max)
        return wg_err_set(err, WG_EINVAL, "'%s[%zu]' is %zu characters; at most %zu are taken",
                          field, i, n, max);
    *out = s;
    return WG_OK;
}

/* An array of 0/1..max distinct texts of at most chars characters into list. */
static enum wg_rc text_list(const json_t *body, const char *field, size_t min, size_t max,
                            size_t chars, int distinct, const char **list, size_t *n,
                            struct wg_err *err)
{
    const json_t *a = json_object_get(body, field), *v;
    size_t i;
    enum wg_rc rc;
    *n = 0;
    if ((!a || json_is_null(a)) && !min)
        return WG_OK;
    if (!json_is_array(a) || json_array_size(a) < min || json_array_size(a) > max)
        return wg_err_set(err, WG_EINVAL, "'%s' is %s array of %zu to %zu texts", field,
                          min ? "a required" : "an", min, max);
    json_array_foreach(a, i, v)
    {
        if ((rc = element_text(v, field, i, chars, &list[i], err)))
            return rc;
        for (size_t k = 0; distinct && k < i; k++)
            if (!strcmp(list[k], list[i]))
                return wg_err_set(err, WG_EINVAL, "'%s[%zu]': '%s' is named twice", field, i,
                                  list[i]);
    }
    *n = json_array_size(a);
    return WG_OK;
}

static char *dump_list(const char *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

static enum wg_rc unit_exists(struct wg_db *db, const char *field, const char *id,
                              struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc = wg_store_unit_get(db, id, &u, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'%s': unit '%.64s' does not exist", field, id);
    return rc;
}

/* scope: a region or a current grid, inside the actor's scope. */
static enum wg_rc scope_check(struct wg_db *db, const struct wg_actor *a, const char *code,
                              struct wg_err *err)
{
    struct wg_region_row r;
    enum wg_rc rc;
    if (!wg_scope_is_unit(&a->scope) && !wg_scope_covers(&a->scope, code))
        return wg_err_set(err, WG_EINVAL, "'scope': region or grid '%s' does not exist", code);
    rc = strlen(code) >= 15 ? wg_store_grid_live(db, code, err)
                            : wg_store_region_get(db, code, &r, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'scope': region or grid '%s' does not exist", code);
    return rc;
}

/* deadline: a date from today to two years on; due at its working day's close. */
static enum wg_rc deadline_check(const struct wg_calendar *cal, const char *text, long long now,
                                 long long *due_at, struct wg_err *err)
{
    int day = text ? wg_civil_parse_date(text) : -1, today = wg_cst_day(now);
    int64_t close = 0;
    if (day < 0)
        return wg_err_set(err, WG_EINVAL, "'deadline' is required: a date YYYY-MM-DD");
    if (day < today || day > today + 731)
        return wg_err_set(err, WG_EINVAL,
                          "'deadline' %s is not between today and two years from today", text);
    if (!cal) {
        *due_at = wg_cst_midnight(day + 1) - 1;
        return WG_OK;
    }
    enum wg_rc rc = wg_calendar_next_day_close_lenient(cal, wg_cst_midnight(day) - 1, &close, err);
    if (rc)
        return wg_err_set(err, WG_EINVAL, "'deadline' %s lies outside the working calendar", text);
    *due_at = close;
    return WG_OK;
}

enum wg_rc wg_task_read(const json_t *body, const struct wg_catalog *cat, long long now,
                        struct wg_task_draft *d, struct wg_err *err)
{
    const char *origin = NULL, *topic = NULL, *scope = NULL, *lead = NULL, *deadline = NULL,
               *owner = NULL;
    const json_t *w = json_object_get(body, "warning");
    int day, today = wg_cst_day(now);
    enum wg_rc rc;
    memset(d, 0, sizeof *d);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a task is a JSON object");
    if ((rc = wg_jf_known(body, wg_task_fields, "a task", err)) ||
        (rc = wg_jf_one_of(body, "origin", origins, NULL, &origin, err)) ||
        (rc = wg_jf_text(body, "topic", 1, WG_TASK_TOPIC_MAX, &topic, err)))
        return rc;
    if (!strcmp(origin, "warning") && (!json_is_integer(w) || json_integer_value(w) < 1))
        return wg_err_set(err, WG_EINVAL,
                          "'warning' is required with origin warning: the warning's id");
    if (strcmp(origin, "warning") && w && !json_is_null(w))
        return wg_err_set(err, WG_EINVAL, "'warning' is only for a task of origin warning");
    scope = json_string_value(json_object_get(body, "scope"));
    if (!scope || !*scope || strlen(scope) > 18 || strspn(scope, "0123456789") != strlen(scope))
        return wg_err_set(err, WG_EINVAL, "'scope' is required: a region or grid code");
    if ((rc = text_list(body, "items", 1, WG_TASK_ITEMS_MAX, 16, 1, d->items, &d->nitems, err)))
        return rc;
    for (size_t i = 0; i < d->nitems; i++) {
        if (!cat || !wg_catalog_find(cat, d->items[i]))
            return wg_err_set(err, WG_EINVAL, "'items[%zu]': '%s' is not an item of the catalog", i,
                              d->items[i]);
        /* an item under another named already would count its orders twice */
        for (size_t k = 0; k < d->nitems; k++)
            if (k != i && !strncmp(d->items[i], d->items[k], strlen(d->items[k])))
                return wg_err_set(err, WG_EINVAL, "'items[%zu]': '%s' lies under '%s', named too",
                                  i, d->items[i], d->items[k]);
    }
    if ((rc = wg_jf_text(body, "lead_unit", 1, 63, &lead, err)) ||
        (rc = text_list(body, "helpers", 0, WG_TASK_HELPERS_MAX, 63, 1, d->helpers, &d->nhelpers,
                        err)))
        return rc;
    for (size_t i = 0; i < d->nhelpers; i++)
        if (!strcmp(d->helpers[i], lead))
            return wg_err_set(err, WG_EINVAL, "'helpers[%zu]': '%s' is the lead unit already", i,
                              lead);
    if ((rc = text_list(body, "measures", 1, WG_TASK_MEASURES_MAX, WG_TASK_MEASURE_MAX, 0,
                        d->measures, &d->nmeasures, err)) ||
        (rc = wg_jf_text(body, "deadline", 1, 10, &deadline, err)))
        return rc;
    if ((day = wg_civil_parse_date(deadline)) < 0)
        return wg_err_set(err, WG_EINVAL, "'deadline' is required: a date YYYY-MM-DD");
    if (day < today || day > today + 731)
        return wg_err_set(err, WG_EINVAL,
                          "'deadline' %s is not between today and two years from today", deadline);
    if ((rc = wg_jf_text(body, "owner", 0, 63, &owner, err)))
        return rc;
    snprintf(d->row.origin, sizeof d->row.origin, "%s", origin);
    d->row.warning = w && json_is_integer(w) ? json_integer_value(w) : 0;
    d->row.topic = topic;
    snprintf(d->row.scope, sizeof d->row.scope, "%s", scope);
    snprintf(d->row.lead_unit, sizeof d->row.lead_unit, "%s", lead);
    snprintf(d->row.deadline, sizeof d->row.deadline, "%s", deadline);
    snprintf(d->row.owner, sizeof d->row.owner, "%s", owner ? owner : "");
    d->row.created_at = now;
    return WG_OK;
}

/* What the body names, checked against the store: the scope in the actor's, the units and
 * the owner existing; the due time on the working calendar. */
static enum wg_rc store_check(struct wg_db *db, const struct wg_task_env *env,
                              const struct wg_actor *a, struct wg_task_draft *d, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = scope_check(db, a, d->row.scope, err)) ||
        (rc = unit_exists(db, "lead_unit", d->row.lead_unit, err)))
        return rc;
    for (size_t i = 0; i < d->nhelpers; i++) {
        char field[24];
        snprintf(field, sizeof field, "helpers[%zu]", i);
        if ((rc = unit_exists(db, field, d->helpers[i], err)))
            return rc;
    }
    if ((rc = deadline_check(env->cal, d->row.deadline, d->row.created_at, &d->row.due_at, err)))
        return rc;
    if (*d->row.owner) {
        struct wg_account_row acc;
        rc = wg_store_account_get(db, d->row.owner, &acc, err);
        if (rc == WG_ENOTFOUND)
            return wg_err_set(err, WG_EINVAL, "'owner': account '%s' does not exist", d->row.owner);
        if (rc)
            return rc;
    } else {
        snprintf(d->row.owner, sizeof d->row.owner, "%s", a->username);
    }
    snprintf(d->row.created_by, sizeof d->row.created_by, "%s", a->username);
    return WG_OK;
}

enum wg_rc wg_task_warning_handled(struct wg_db *db, const struct wg_actor *actor,
                                   long long warning, long long task, long long now,
                                   struct wg_err *err)
{
    (void)now; /* the warning's timeline takes the server's clock */
    if (warning < 1)
        return wg_err_set(err, WG_EINVAL, "'warning' is required with origin warning");
    enum wg_rc rc =
        wg_warning_handled_by(db, &actor->scope, warning, "task", task, actor->username, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'warning': warning %lld does not exist", warning);
    if (rc == WG_ECONFLICT) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return wg_err_set(err, WG_ECONFLICT, "'warning': %s", why);
    }
    return rc;
}

static enum wg_rc create(struct wg_db *db, const struct wg_task_env *env, const struct wg_actor *a,
                         const json_t *body, long long now, long long *id, struct wg_err *err)
{
    struct wg_task_draft d;
    char *items = NULL, *helpers = NULL, *measures = NULL;
    enum wg_rc rc = wg_task_read(body, env->cat, now, &d, err);
    if (!rc)
        rc = store_check(db, env, a, &d, err);
    if (!rc) {
        items = dump_list(d.items, d.nitems);
        helpers = dump_list(d.helpers, d.nhelpers);
        measures = dump_list(d.measures, d.nmeasures);
        d.row.items = items, d.row.helpers = helpers, d.row.measures = measures;
        rc = wg_store_task_insert(db, &d.row, d.items, d.nitems, d.helpers, d.nhelpers, id, err);
    }
    if (!rc)
        rc = event(db, env->keys, *id, now, a->username, "create", d.row.topic, err);
    if (!rc && d.row.warning)
        rc = wg_task_warning_handled(db, a, d.row.warning, *id, now, err);
    /* the units it is given to are told, in the same transaction */
    for (size_t i = 0; !rc && i <= d.nhelpers; i++) {
        const char *unit = i ? d.helpers[i - 1] : d.row.lead_unit;
        char recipient[80];
        json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s}", "kind", "task_opened", "task",
                              (json_int_t)*id, "topic", d.row.topic, "role", i ? "help" : "lead",
                              "scope", d.row.scope, "deadline", d.row.deadline);
        char *payload = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        snprintf(recipient, sizeof recipient, "unit:%s", unit);
        rc = wg_notify(db, recipient, "task_opened", 0, payload, err);
        free(payload);
    }
    free(items);
    free(helpers);
    free(measures);
    return rc;
}

enum wg_rc wg_task_create(struct wg_db *db, const struct wg_task_env *env,
                          const struct wg_actor *actor, const json_t *body, long long now,
                          long long *id, struct wg_err *err)
{
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    *id = 0;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = create(db, env, actor, body, now, id, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (rc)
        *id = 0;
    return rc;
}

/* ---- who sees and moves a task ---- */

static int in_list(const char *json_list, const char *s)
{
    json_t *a = json_loads(json_list ? json_list : "[]", 0, NULL), *v;
    size_t i;
    int found = 0;
    json_array_foreach(a, i, v) found |= json_is_string(v) && !strcmp(json_string_value(v), s);
    json_decref(a);
    return found;
}

static int sees(const struct wg_actor *a, const struct wg_task_row *r)
{
    if (wg_scope_is_unit(&a->scope))
        return !strcmp(a->scope.code, r->lead_unit) || in_list(r->helpers, a->scope.code);
    return wg_scope_covers(&a->scope, r->scope);
}

struct loaded {
    const struct wg_actor *actor;
    struct wg_task_row row;
    char *topic, *items, *helpers, *measures; /* owned */
    int found;
};

static int on_task(const struct wg_task_row *r, void *ctx)
{
    struct loaded *l = ctx;
    if (!sees(l->actor, r))
        return 0;
    l->found = 1;
    l->row = *r;
    l->topic = wg_strdup(r->topic);
    l->items = wg_strdup(r->items);
    l->helpers = wg_strdup(r->helpers);
    l->measures = wg_strdup(r->measures);
    l->row.topic = l->topic, l->row.items = l->items;
    l->row.helpers = l->helpers, l->row.measures = l->measures;
    return 0;
}

static void unload(struct loaded *l)
{
    free(l->topic);
    free(l->items);
    free(l->helpers);
    free(l->measures);
}

static enum wg_rc load(struct wg_db *db, const struct wg_actor *a, long long id, struct loaded *l,
                       struct wg_err *err)
{
    memset(l, 0, sizeof *l);
    l->actor = a;
    enum wg_rc rc = wg_store_task_get(db, id, on_task, l, err);
    if (!rc && !l->found)
        rc = wg_err_set(err, WG_ENOTFOUND, "task %lld does not exist", id);
    return rc;
}

enum wg_rc wg_task_load_row(struct wg_db *db, const struct wg_actor *a, long long id,
                            struct wg_task_row *row, char **items, struct wg_err *err)
{
    struct loaded l;
    enum wg_rc rc = load(db, a, id, &l, err);
    if (!rc) {
        *row = l.row;
        row->topic = row->helpers = row->measures = NULL;
        *items = l.items;
        l.items = NULL;
    }
    unload(&l);
    return rc;
}

static enum wg_rc may(const struct wg_actor *a, const struct wg_task_row *r, const char *action,
                      struct wg_err *err)
{
    int review = (a->perms & WG_P_ALERT_REVIEW) && !wg_scope_is_unit(&a->scope);
    int lead = wg_scope_is_unit(&a->scope) && !strcmp(a->scope.code, r->lead_unit);
    int helper = wg_scope_is_unit(&a->scope) && in_list(r->helpers, a->scope.code);
    if (review || (!strcmp(action, "progress") && (lead || helper)) ||
        (!strcmp(action, "complete") && lead))
        return WG_OK;
    return wg_err_set(err, WG_EFORBIDDEN, "you may not %s task %lld: %s", action, r->id,
                      !strcmp(action, "progress")
                          ? "progress is added by reviewers and the task's units"
                      : !strcmp(action, "complete")
                          ? "a task is completed by reviewers or its lead unit"
                          : "only reviewers (agents and supervisors) close and cancel tasks");
}

enum wg_rc wg_task_action_read(const json_t *body, const char **action, const char **note,
                               struct wg_err *err)
{
    enum wg_rc rc;
    *action = *note = NULL;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a task's action is a JSON object");
    if ((rc = wg_jf_known(body, wg_task_action_fields, "a task's action", err)) ||
        (rc = wg_jf_one_of(body, "action", actions, NULL, action, err)) ||
        (rc = wg_jf_text(body, "note", 0, WG_TASK_NOTE_MAX, note, err)))
        return rc;
    if (!*note && (!strcmp(*action, "progress") || !strcmp(*action, "cancel")))
        return wg_err_set(err, WG_EINVAL, "'note' is required to %s: %s", *action,
                          !strcmp(*action, "progress") ? "what was done" : "why it is cancelled");
    return WG_OK;
}

static enum wg_rc act(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                      long long id, long long version, const json_t *body, long long now,
                      struct wg_err *err)
{
    const char *action = NULL, *note = NULL, *next = NULL;
    struct loaded l;
    enum wg_rc rc;
    if ((rc = wg_task_action_read(body, &action, &note, err)) || (rc = load(db, a, id, &l, err)))
        return rc;
    const char *s = l.row.state;
    if ((rc = may(a, &l.row, action, err)))
        goto out;
    if (!strcmp(action, "progress") || !strcmp(action, "complete"))
        next = !strcmp(s, "open") ? (!strcmp(action, "progress") ? "open" : "done") : NULL;
    else if (!strcmp(action, "close"))
        next = !strcmp(s, "done") ? "closed" : NULL;
    else
        next = !strcmp(s, "open") || !strcmp(s, "done") ? "cancelled" : NULL;
    if (!next) {
        rc = wg_err_set(err, WG_ECONFLICT, "task %lld is %s: %s is not open to it", id, s, action);
        goto out;
    }
    if (l.row.version != version) {
        rc = wg_err_set(err, WG_ECONFLICT,
                        "task %lld is at version %lld, not %lld: someone changed it since you "
                        "read it; read it again",
                        id, l.row.version, version);
        goto out;
    }
    rc = wg_store_task_move(db, id, version, next,
                            strcmp(next, "open") && !l.row.finished_at ? now : l.row.finished_at,
                            err);
    if (!rc)
        rc = event(db, keys, id, now, a->username, action, note, err);
out:
    unload(&l);
    return rc;
}

enum wg_rc wg_task_act(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_actor *actor, long long id, long long version,
                       const json_t *body, long long now, struct wg_err *err)
{
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = act(db, keys, actor, id, version, body, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

/* ---- reading ---- */

static json_t *task_json(const struct wg_task_row *r, long long now)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:s,s:I,s:b}", "id",
                          (json_int_t)r->id, "origin", r->origin, "topic", r->topic, "scope",
                          r->scope, "lead_unit", r->lead_unit, "deadline", r->deadline, "due_at",
                          (json_int_t)r->due_at, "owner", r->owner, "state", r->state, "version",
                          (json_int_t)r->version, "created_at", (json_int_t)r->created_at,
                          "created_by", r->created_by, "finished_at", (json_int_t)r->finished_at,
                          "overdue", !strcmp(r->state, "open") && now > r->due_at);
    json_object_set_new(j, "warning", r->warning ? json_integer(r->warning) : json_null());
    json_object_set_new(j, "items", json_loads(r->items, 0, NULL));
    json_object_set_new(j, "helpers", json_loads(r->helpers, 0, NULL));
    json_object_set_new(j, "measures", json_loads(r->measures, 0, NULL));
    return j;
}

struct timeline {
    const struct wg_pii_keys *keys;
    json_t *arr;
    struct wg_err *err;
    enum wg_rc rc;
};

static int on_event(long long at, const char *actor, const char *action, const char *note,
                    void *ctx)
{
    struct timeline *tl = ctx;
    char *open = NULL;
    if (*note && (tl->rc = wg_pii_decrypt(tl->keys, note, NOTE_CONTEXT, &open, tl->err)))
        return 1;
    json_array_append_new(tl->arr, json_pack("{s:I,s:s,s:s,s:s}", "at", (json_int_t)at, "actor",
                                             actor, "action", action, "note", open ? open : ""));
    wg_pii_wipe(open);
    return 0;
}

static json_t *unit_json(struct wg_db *db, const char *id)
{
    struct wg_unit_row u;
    struct wg_err e = {0};
    return json_pack("{s:s,s:s}", "id", id, "name",
                     wg_store_unit_get(db, id, &u, &e) ? id : u.name);
}

void wg_task_place_name(struct wg_db *db, const char *code, char *out, size_t n)
{
    struct wg_err e = {0};
    struct wg_region_row r;
    struct wg_grid_row g;
    snprintf(out, n, "%s", code);
    if (strlen(code) >= 15 && !wg_store_grid_current(db, code, &g, NULL, &e))
        snprintf(out, n, "%s", g.name);
    else if (strlen(code) < 15 && !wg_store_region_get(db, code, &r, &e))
        snprintf(out, n, "%s", r.name);
}

enum wg_rc wg_task_view(struct wg_db *db, const struct wg_task_env *env,
                        const struct wg_actor *actor, long long id, long long now, json_t **out,
                        long long *version, struct wg_err *err)
{
    struct loaded l;
    char name[192];
    size_t i;
    json_t *v;
    enum wg_rc rc = load(db, actor, id, &l, err);
    *out = NULL;
    if (rc)
        return rc;
    json_t *j = task_json(&l.row, now), *timeline = json_array(), *items = json_array(),
           *helpers = json_array();
    struct timeline tl = {env->keys, timeline, err, WG_OK};
    rc = wg_store_task_events(db, id, on_event, &tl, err);
    if (!rc)
        rc = tl.rc;
    wg_task_place_name(db, l.row.scope, name, sizeof name);
    json_object_set_new(j, "scope_name", json_string(name));
    json_array_foreach(json_object_get(j, "items"), i, v)
    {
        const struct wg_catalog_item *it =
            env->cat ? wg_catalog_find(env->cat, json_string_value(v)) : NULL;
        json_array_append_new(items, json_pack("{s:s,s:s}", "code", json_string_value(v), "name",
                                               it ? it->name : json_string_value(v)));
    }
    json_array_foreach(json_object_get(j, "helpers"), i, v)
        json_array_append_new(helpers, unit_json(db, json_string_value(v)));
    json_object_set_new(j, "items", items);
    json_object_set_new(j, "helpers", helpers);
    json_object_set_new(j, "lead_unit", unit_json(db, l.row.lead_unit));
    json_object_set_new(j, "timeline", timeline);
    *version = l.row.version;
    unload(&l);
    if (rc) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return WG_OK;
}

struct page {
    const struct wg_actor *actor;
    json_t *arr;
    long long now;
};

static int on_row(const struct wg_task_row *r, void *ctx)
{
    struct page *p = ctx;
    if (sees(p->actor, r))
        json_array_append_new(p->arr, task_json(r, p->now));
    return 0;
}

enum wg_rc wg_task_scope_prefix(const struct wg_actor *actor, const char *field, const char *want,
                                char out[32], struct wg_err *err)
{
    const char *mine = wg_scope_is_unit(&actor->scope) ? "" : actor->scope.code;
    want = want ? want : "";
    if (strlen(want) > 18 || strspn(want, "0123456789") != strlen(want))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a region or grid code (digits)", field);
    if (strncmp(want, mine, strlen(mine)) && strncmp(mine, want, strlen(want)))
        return wg_err_set(err, WG_ENOTFOUND, "%s '%s' is outside your scope", field, want);
    snprintf(out, 32, "%s", strlen(want) >= strlen(mine) ? want : mine);
    return WG_OK;
}

enum wg_rc wg_task_list(struct wg_db *db, const struct wg_actor *actor,
                        const struct wg_task_query *q, long long now, json_t **out,
                        struct wg_err *err)
{
    static const char *const states[] = {"open", "done", "closed", "cancelled", NULL};
    long long limit = 50, below = INT64_MAX;
    char lo[32], hi[34];
    enum wg_rc rc;
    int ok_state = !q->state || !*q->state, ok_origin = !q->origin || !*q->origin;
    *out = NULL;
    for (int i = 0; states[i]; i++)
        ok_state |= q->state && !strcmp(q->state, states[i]);
    for (int i = 0; origins[i]; i++)
        ok_origin |= q->origin && !strcmp(q->origin, origins[i]);
    if (!ok_state)
        return wg_err_set(err, WG_EINVAL, "'state' must be one of open, done, closed, cancelled");
    if (!ok_origin)
        return wg_err_set(err, WG_EINVAL, "'origin' must be one of warning, top_problem, top_item");
    if (q->item && strlen(q->item) > 16)
        return wg_err_set(err, WG_EINVAL, "'item' is a catalog item code");
    if (q->unit && strlen(q->unit) > 63)
        return wg_err_set(err, WG_EINVAL, "'unit' is a unit id");
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)))
        return rc;
    if (q->cursor && *q->cursor && wg_param_id(q->cursor, 1, INT64_MAX, &below))
        return wg_err_set(err, WG_EINVAL, "'cursor' is not the next_cursor of a page before");
    if ((rc = wg_task_scope_prefix(actor, "scope", NULL, lo, err)))
        return rc;
    snprintf(hi, sizeof hi, "%s~", lo);
    const char *unit = q->unit ? q->unit : "";
    /* a unit's handlers read the tasks their unit works on, another unit's are none of theirs */
    if (wg_scope_is_unit(&actor->scope) && *unit && strcmp(unit, actor->scope.code))
        unit = "\x01";
    else if (wg_scope_is_unit(&actor->scope))
        unit = actor->scope.code;
    struct wg_task_range r = {lo,
                              hi,
                              q->state ? q->state : "",
                              q->origin ? q->origin : "",
                              q->item ? q->item : "",
                              unit,
                              below,
                              (int)limit + 1};
    struct page p = {actor, json_array(), now};
    if ((rc = wg_store_task_list(db, &r, on_row, &p, err))) {
        json_decref(p.arr);
        return rc;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(p.arr) > limit) {
        json_t *last = json_array_get(p.arr, (size_t)limit - 1);
        next = json_sprintf("%lld", (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(p.arr, (size_t)limit);
    }
    *out =
        json_pack("{s:o,s:I,s:o}", "tasks", p.arr, "limit", (json_int_t)limit, "next_cursor", next);
    return WG_OK;
}
