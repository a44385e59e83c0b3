/* Deliberations (deliberation.h): a new one checked against the store (its place and the
 * records it started from, in scope), its stages in order under the version, each stage's
 * record kept as a JSON object; staff reads, the public board of notices and the
 * communities' lists. */
#include "domain/partake/deliberation.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/alerts/task.h"
#include "domain/orders/order_ctx.h"
#include "domain/partake/wish.h"
#include "domain/registry/party.h"
#include "domain/registry/person.h"
#include "store/alerts/warning_q.h"
#include "store/catalog/catalog_q.h"
#include "store/disputes/dispute_q.h"
#include "store/map/map_q.h"
#include "store/registry/visit_q.h"

const char *const wg_delib_fields[] = {"topic", "place", "origin", NULL};
const char *const wg_delib_step_fields[] = {
    "step",     "date",    "party_org", "attendees", "opinion", "units",     "property_company",
    "for",      "against", "abstain",   "text",      "what",    "lead_unit", "lead_person",
    "deadline", "report",  "from",      "until",     NULL};
const char *const wg_partake_item_fields[] = {"community", "kind", "title", "detail", NULL};

static const char *const origin_kinds[] = {"order", "visit", "dispute", "warning", NULL};
static const char *const item_kinds[] = {"needs", "resources", "projects", NULL};
static const char *const states[] = {"proposed", "discussed", "voted",   "resolved", "rejected",
                                     "tasked",   "done",      "noticed", "closed",   NULL};

/* A step: its name, the states it is taken from, where it leads and the fields it takes. */
struct step_def {
    const char *name, *from[3], *to;
    const char *fields[8];
};
static const struct step_def steps[] = {
    {"branch", {"proposed"}, "discussed", {"date", "party_org", "attendees", "opinion"}},
    {"council",
     {"discussed"},
     "voted",
     {"date", "attendees", "units", "property_company", "for", "against", "abstain"}},
    {"resolution", {"voted"}, "resolved", {"text"}},
    {"task", {"resolved"}, "tasked", {"what", "lead_unit", "lead_person", "deadline"}},
    {"task_done", {"tasked"}, "done", {"report"}},
    {"notice", {"done", "rejected"}, "noticed", {"text", "from", "until"}},
    {"close", {"noticed", "rejected"}, "closed", {NULL}},
    {NULL, {NULL}, NULL, {NULL}},
};

static const struct step_def *step_find(const char *name)
{
    for (const struct step_def *s = steps; name && s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

static int takes(const struct step_def *s, const char *field)
{
    for (int i = 0; s->fields[i]; i++)
        if (!strcmp(s->fields[i], field))
            return 1;
    return 0;
}

/* ---- reading bodies ---- */

static enum wg_rc code_field(const json_t *body, const char *field, const char **out,
                             struct wg_err *err)
{
    const char *s = json_string_value(json_object_get(body, field));
    if (!s || strlen(s) < 6 || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s' is required: a region or grid code (digits)",
                          field);
    *out = s;
    return WG_OK;
}

enum wg_rc wg_delib_read(const json_t *body, const char **topic, const char **place,
                         struct wg_err *err)
{
    const json_t *origin = json_object_get(body, "origin"), *o;
    size_t i;
    enum wg_rc rc;
    *topic = *place = NULL;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a deliberation is a JSON object");
    if ((rc = wg_jf_known(body, wg_delib_fields, "a deliberation", err)) ||
        (rc = wg_jf_text(body, "topic", 1, WG_DELIB_TOPIC_MAX, topic, err)) ||
        (rc = code_field(body, "place", place, err)))
        return rc;
    if (!json_is_array(origin) || !json_array_size(origin) ||
        json_array_size(origin) > WG_DELIB_ORIGINS_MAX)
        return wg_err_set(err, WG_EINVAL,
                          "'origin' is required: an array of 1 to %d records {kind, id} the "
                          "matter started from",
                          WG_DELIB_ORIGINS_MAX);
    json_array_foreach(origin, i, o)
    {
        static const char *const keys[] = {"kind", "id", NULL};
        const json_t *id = json_object_get(o, "id");
        const char *kind = NULL;
        char what[24];
        snprintf(what, sizeof what, "origin[%zu]", i);
        if (!json_is_object(o) || wg_jf_known(o, keys, what, err) ||
            wg_jf_one_of(o, "kind", origin_kinds, NULL, &kind, err))
            return wg_err_set(err, WG_EINVAL,
                              "'origin[%zu]' is a record {kind: order|visit|dispute|warning, id}",
                              i);
        if (!json_is_integer(id) || json_integer_value(id) < 1)
            return wg_err_set(err, WG_EINVAL, "'origin[%zu].id' is an id (a whole number from 1)",
                              i);
        for (size_t k = 0; k < i; k++) {
            const json_t *p = json_array_get(origin, k);
            if (json_equal(json_object_get(p, "kind"), json_object_get(o, "kind")) &&
                json_equal(json_object_get(p, "id"), id))
                return wg_err_set(err, WG_EINVAL, "'origin[%zu]': %s %lld is named twice", i, kind,
                                  (long long)json_integer_value(id));
        }
    }
    return WG_OK;
}

static enum wg_rc count_field(const json_t *body, const char *field, long long lo, long long hi,
                              long long *out, struct wg_err *err)
{
    const json_t *v = json_object_get(body, field);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return wg_err_set(err, WG_EINVAL, "'%s' is required: a whole number from %lld to %lld",
                          field, lo, hi);
    *out = json_integer_value(v);
    return WG_OK;
}

/* A date field: YYYY-MM-DD into *day. */
static enum wg_rc date_field(const json_t *body, const char *field, int *day, struct wg_err *err)
{
    const char *s = json_string_value(json_object_get(body, field));
    if (!s || strlen(s) != 10 || (*day = wg_civil_parse_date(s)) < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' is required: a date YYYY-MM-DD", field);
    return WG_OK;
}

static enum wg_rc meeting_date(const json_t *body, long long now, int *day, struct wg_err *err)
{
    enum wg_rc rc = date_field(body, "date", day, err);
    if (!rc && *day > wg_cst_day(now))
        rc = wg_err_set(err, WG_EINVAL, "'date' %s is after today: a meeting held is recorded",
                        json_string_value(json_object_get(body, "date")));
    return rc;
}

static enum wg_rc read_council(const json_t *body, long long now, struct wg_err *err)
{
    const json_t *units = json_object_get(body, "units"), *u;
    long long attendees, f, a, b;
    int day;
    size_t i;
    enum wg_rc rc;
    if ((rc = meeting_date(body, now, &day, err)) ||
        (rc = count_field(body, "attendees", 1, 2000, &attendees, err)) ||
        (rc = count_field(body, "for", 0, 2000, &f, err)) ||
        (rc = count_field(body, "against", 0, 2000, &a, err)) ||
        (rc = count_field(body, "abstain", 0, 2000, &b, err)))
        return rc;
    if (f + a + b > attendees)
        return wg_err_set(err, WG_EINVAL,
                          "'for', 'against', 'abstain': %lld votes from %lld attendees", f + a + b,
                          attendees);
    if (units && !json_is_null(units) &&
        (!json_is_array(units) || json_array_size(units) > WG_DELIB_UNITS_MAX))
        return wg_err_set(err, WG_EINVAL, "'units' is an array of 0 to %d unit ids",
                          WG_DELIB_UNITS_MAX);
    json_array_foreach(units, i, u)
    {
        if (!json_is_string(u) || !json_string_length(u) || json_string_length(u) > 63)
            return wg_err_set(err, WG_EINVAL, "'units[%zu]' is a unit id", i);
    }
    const json_t *pc = json_object_get(body, "property_company");
    if (pc && !json_is_null(pc) &&
        (!json_is_string(pc) || !json_string_length(pc) || json_string_length(pc) > 63))
        return wg_err_set(err, WG_EINVAL, "'property_company' is a unit id");
    return WG_OK;
}

static enum wg_rc read_fields(const struct step_def *s, const json_t *body, long long now,
                              struct wg_err *err)
{
    const char *text = NULL;
    long long n;
    int day, from, until, today = wg_cst_day(now);
    enum wg_rc rc;
    if (!strcmp(s->name, "branch")) {
        if ((rc = meeting_date(body, now, &day, err)) ||
            (rc = count_field(body, "party_org", 1, INT64_MAX, &n, err)) ||
            (rc = count_field(body, "attendees", 1, 500, &n, err)))
            return rc;
        return wg_jf_text(body, "opinion", 1, 1000, &text, err);
    }
    if (!strcmp(s->name, "council"))
        return read_council(body, now, err);
    if (!strcmp(s->name, "resolution"))
        return wg_jf_text(body, "text", 1, 1000, &text, err);
    if (!strcmp(s->name, "task")) {
        const json_t *unit = json_object_get(body, "lead_unit"),
                     *person = json_object_get(body, "lead_person");
        int has_unit = unit && !json_is_null(unit), has_person = person && !json_is_null(person);
        if ((rc = wg_jf_text(body, "what", 1, 500, &text, err)))
            return rc;
        if (has_unit == has_person)
            return wg_err_set(err, WG_EINVAL,
                              "'lead_unit', 'lead_person': one of them leads the task");
        if (has_unit && (rc = wg_jf_text(body, "lead_unit", 1, 63, &text, err)))
            return rc;
        if (has_person && (rc = count_field(body, "lead_person", 1, INT64_MAX, &n, err)))
            return rc;
        if ((rc = date_field(body, "deadline", &day, err)))
            return rc;
        if (day < today || day > today + 731)
            return wg_err_set(err, WG_EINVAL,
                              "'deadline' is not between today and two years from today");
        return WG_OK;
    }
    if (!strcmp(s->name, "task_done"))
        return wg_jf_text(body, "report", 1, 1000, &text, err);
    if (!strcmp(s->name, "notice")) {
        if ((rc = wg_jf_text(body, "text", 1, 2000, &text, err)) ||
            (rc = date_field(body, "from", &from, err)) ||
            (rc = date_field(body, "until", &until, err)))
            return rc;
        if (until < from || until > from + 366)
            return wg_err_set(err, WG_EINVAL, "'until' is from 'from' to a year after it");
        if (until < today)
            return wg_err_set(err, WG_EINVAL,
                              "'until' is in the past: the notice would never show");
    }
    return WG_OK;
}

enum wg_rc wg_delib_step_read(const json_t *body, long long now, const char **step,
                              struct wg_err *err)
{
    const struct step_def *s;
    const char *key;
    json_t *v;
    enum wg_rc rc;
    *step = NULL;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a deliberation's step is a JSON object");
    if ((rc = wg_jf_known(body, wg_delib_step_fields, "a deliberation's step", err)))
        return rc;
    static const char *const names[] = {"branch",    "council", "resolution", "task",
                                        "task_done", "notice",  "close",      NULL};
    if ((rc = wg_jf_one_of(body, "step", names, NULL, step, err)))
        return rc;
    s = step_find(*step);
    json_object_foreach((json_t *)body, key, v)
    {
        if (strcmp(key, "step") && !takes(s, key))
            return wg_err_set(err, WG_EINVAL, "'%s' is not a field of the %s step", key, s->name);
    }
    return read_fields(s, body, now, err);
}

/* ---- the store's side ---- */

struct grid_of {
    char code[32];
};

static int on_visit(const struct wg_visit_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->code, 32, "%s", r->grid);
    return 0;
}

static int on_dispute(const struct wg_dispute_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->code, 32, "%s", *r->grid ? r->grid : r->county);
    return 0;
}

static int on_warning(const struct wg_warning_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->code, 32, "%s", r->scope);
    return 0;
}

/* origin[i] exists in the actor's scope. */
static enum wg_rc origin_check(struct wg_db *db, const struct wg_actor *a, size_t i,
                               const char *kind, long long id, struct wg_err *err)
{
    struct grid_of g = {""};
    enum wg_rc rc;
    if (!strcmp(kind, "order"))
        rc = wg_order_visible(db, a, id, err);
    else if (!strcmp(kind, "visit"))
        rc = wg_store_visit_get(db, id, on_visit, &g, err);
    else if (!strcmp(kind, "dispute"))
        rc = wg_store_dispute_get(db, id, on_dispute, &g, err);
    else
        rc = wg_store_warn_get(db, id, on_warning, &g, err);
    if (!rc && strcmp(kind, "order") && !wg_scope_covers(&a->scope, g.code))
        rc = WG_ENOTFOUND;
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'origin[%zu]': %s %lld does not exist", i, kind, id);
    return rc;
}

static enum wg_rc place_check(struct wg_db *db, const struct wg_actor *a, const char *field,
                              const char *code, struct wg_err *err)
{
    struct wg_region_row r;
    enum wg_rc rc;
    if (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, code))
        return wg_err_set(err, WG_EINVAL, "'%s': region or grid '%s' does not exist", field, code);
    rc = strlen(code) >= 15 ? wg_store_grid_live(db, code, err)
                            : wg_store_region_get(db, code, &r, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'%s': region or grid '%s' does not exist", field, code);
    return rc;
}

static enum wg_rc create(struct wg_db *db, const struct wg_actor *a, const json_t *body,
                         long long now, long long *id, struct wg_err *err)
{
    const char *topic, *place;
    const json_t *o;
    size_t i;
    enum wg_rc rc = wg_delib_read(body, &topic, &place, err);
    if (rc || (rc = place_check(db, a, "place", place, err)))
        return rc;
    json_array_foreach(json_object_get(body, "origin"), i, o)
    {
        if ((rc = origin_check(db, a, i, json_string_value(json_object_get(o, "kind")),
                               json_integer_value(json_object_get(o, "id")), err)))
            return rc;
    }
    char *origin = json_dumps(json_object_get(body, "origin"), JSON_COMPACT);
    struct wg_delib_row d = {.topic = topic, .origin = origin, .created_at = now};
    snprintf(d.place, sizeof d.place, "%s", place);
    snprintf(d.created_by, sizeof d.created_by, "%s", a->username);
    rc = wg_store_delib_insert(db, &d, id, err);
    free(origin);
    if (!rc)
        rc = wg_store_delib_event(db, *id, now, a->username, "create", "", "proposed", err);
    return rc;
}

#define OWN_TX(call)                                                                               \
    do {                                                                                           \
        int own_ = !wg_db_in_tx(db);                                                               \
        if (own_ && (rc = wg_db_begin(db, err)))                                                   \
            return rc;                                                                             \
        rc = (call);                                                                               \
        if (own_ && !rc)                                                                           \
            rc = wg_db_commit(db, err);                                                            \
        if (own_ && rc)                                                                            \
            wg_db_rollback(db);                                                                    \
    } while (0)

enum wg_rc wg_delib_create(struct wg_db *db, const struct wg_delib_env *env,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err)
{
    enum wg_rc rc;
    (void)env;
    *id = 0;
    OWN_TX(create(db, actor, body, now, id, err));
    if (rc)
        *id = 0;
    return rc;
}

/* A deliberation as loaded: its row's texts parsed (owned). */
struct loaded {
    struct wg_delib_row row;
    char *topic;
    json_t *origin, *branch, *council, *resolution, *task, *notice;
    int found;
};

static int on_delib(const struct wg_delib_row *r, void *ctx)
{
    struct loaded *l = ctx;
    l->found = 1;
    l->row = *r;
    l->topic = wg_strdup(r->topic);
    l->origin = json_loads(r->origin, 0, NULL);
    l->branch = json_loads(r->branch, 0, NULL);
    l->council = json_loads(r->council, 0, NULL);
    l->resolution = json_loads(r->resolution, 0, NULL);
    l->task = json_loads(r->task, 0, NULL);
    l->notice = json_loads(r->notice, 0, NULL);
    l->row.topic = l->topic;
    return 0;
}

static void unload(struct loaded *l)
{
    free(l->topic);
    json_decref(l->origin);
    json_decref(l->branch);
    json_decref(l->council);
    json_decref(l->resolution);
    json_decref(l->task);
    json_decref(l->notice);
}

static enum wg_rc load(struct wg_db *db, const struct wg_actor *a, long long id, struct loaded *l,
                       struct wg_err *err)
{
    memset(l, 0, sizeof *l);
    enum wg_rc rc = wg_store_delib_get(db, id, on_delib, l, err);
    if (!rc &&
        (!l->origin || !l->branch || !l->council || !l->resolution || !l->task || !l->notice))
        rc = wg_err_set(err, WG_EDB, "deliberation %lld's stored stages are not JSON", id);
    if (!rc && a && (wg_scope_is_unit(&a->scope) || !wg_scope_covers(&a->scope, l->row.place)))
        rc = wg_err_set(err, WG_ENOTFOUND, "deliberation %lld does not exist", id);
    if (rc)
        unload(l);
    return rc;
}

static json_t *unit_json(struct wg_db *db, const char *field, size_t i, const char *id,
                         enum wg_rc *rc, struct wg_err *err)
{
    struct wg_unit_row u;
    *rc = wg_store_unit_get(db, id, &u, err);
    if (*rc == WG_ENOTFOUND) {
        if (i == (size_t)-1)
            *rc = wg_err_set(err, WG_EINVAL, "'%s': unit '%.64s' does not exist", field, id);
        else
            *rc =
                wg_err_set(err, WG_EINVAL, "'%s[%zu]': unit '%.64s' does not exist", field, i, id);
    }
    return *rc ? NULL : json_pack("{s:s,s:s}", "id", id, "name", u.name);
}

static json_t *stage_base(const struct wg_actor *a, long long now)
{
    return json_pack("{s:s,s:I}", "by", a->username, "at", (json_int_t)now);
}

static enum wg_rc stage_branch(struct wg_db *db, const struct wg_actor *a, const json_t *body,
                               struct loaded *l, long long now, struct wg_err *err)
{
    struct wg_party_org_row org;
    long long id = json_integer_value(json_object_get(body, "party_org"));
    enum wg_rc rc = wg_party_org_get(db, &a->scope, id, &org, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'party_org': party organization %lld does not exist",
                          id);
    if (rc)
        return rc;
    json_t *j = stage_base(a, now);
    json_object_set(j, "date", json_object_get(body, "date"));
    json_object_set_new(
        j, "party_org",
        json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", org.name, "kind", org.kind));
    json_object_set(j, "attendees", json_object_get(body, "attendees"));
    json_object_set(j, "opinion", json_object_get(body, "opinion"));
    json_decref(l->branch);
    l->branch = j;
    return WG_OK;
}

static enum wg_rc stage_council(struct wg_db *db, const struct wg_actor *a, const json_t *body,
                                struct loaded *l, long long now, struct wg_err *err)
{
    const json_t *units = json_object_get(body, "units"), *u,
                 *pc = json_object_get(body, "property_company");
    const char *branch_date = json_string_value(json_object_get(l->branch, "date"));
    const char *date = json_string_value(json_object_get(body, "date"));
    json_t *j, *arr = json_array(), *company = json_null();
    enum wg_rc rc = WG_OK;
    size_t i;
    if (branch_date && strcmp(date, branch_date) < 0) {
        json_decref(arr);
        return wg_err_set(err, WG_EINVAL, "'date' %s is before the branch's discussion on %s", date,
                          branch_date);
    }
    json_array_foreach(units, i, u)
    {
        json_t *x = unit_json(db, "units", i, json_string_value(u), &rc, err);
        if (rc)
            break;
        json_array_append_new(arr, x);
    }
    if (!rc && json_is_string(pc))
        company = unit_json(db, "property_company", (size_t)-1, json_string_value(pc), &rc, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    j = stage_base(a, now);
    json_object_set(j, "date", json_object_get(body, "date"));
    json_object_set(j, "attendees", json_object_get(body, "attendees"));
    json_object_set_new(j, "units", arr);
    json_object_set_new(j, "property_company", company);
    json_object_set_new(j, "votes",
                        json_pack("{s:O,s:O,s:O}", "for", json_object_get(body, "for"), "against",
                                  json_object_get(body, "against"), "abstain",
                                  json_object_get(body, "abstain")));
    json_decref(l->council);
    l->council = j;
    return WG_OK;
}

/* The resolution passes when more than half of the council's attendees voted for it. */
static int passes(const json_t *council)
{
    long long attendees = json_integer_value(json_object_get(council, "attendees"));
    long long f = json_integer_value(json_object_get(json_object_get(council, "votes"), "for"));
    return f * 2 > attendees;
}

static enum wg_rc stage_task(struct wg_db *db, const struct wg_delib_env *env,
                             const struct wg_actor *a, const json_t *body, struct loaded *l,
                             long long now, struct wg_err *err)
{
    const json_t *unit = json_object_get(body, "lead_unit");
    const char *deadline = json_string_value(json_object_get(body, "deadline"));
    json_t *j = stage_base(a, now), *lead = NULL;
    int64_t close = 0;
    int day = wg_civil_parse_date(deadline);
    enum wg_rc rc = WG_OK;
    if (json_is_string(unit)) {
        lead = unit_json(db, "lead_unit", (size_t)-1, json_string_value(unit), &rc, err);
    } else {
        char label[64];
        long long person = json_integer_value(json_object_get(body, "lead_person"));
        rc = wg_wish_claimant_check(db, env->keys, &a->scope, person, "volunteer", label, err);
        if (rc && !strncmp(err->msg, "'person'", 8))
            rc = wg_err_set(err, WG_EINVAL, "'lead_person': person %lld is not in the registry",
                            person);
        /* the label without its kind: the masked name alone */
        if (!rc)
            lead = json_pack("{s:I,s:s}", "person", (json_int_t)person, "name",
                             strchr(label, ' ') ? strchr(label, ' ') + 1 : label);
    }
    if (!rc && env->cal &&
        wg_calendar_next_day_close_lenient(env->cal, wg_cst_midnight(day) - 1, &close, err))
        rc =
            wg_err_set(err, WG_EINVAL, "'deadline' %s lies outside the working calendar", deadline);
    if (rc) {
        json_decref(j);
        json_decref(lead);
        return rc;
    }
    json_object_set(j, "what", json_object_get(body, "what"));
    json_object_set_new(j, "lead", lead);
    json_object_set(j, "deadline", json_object_get(body, "deadline"));
    json_object_set_new(j, "due_at", json_integer(close ? close : wg_cst_midnight(day + 1) - 1));
    json_object_set_new(j, "done", json_false());
    json_decref(l->task);
    l->task = j;
    return WG_OK;
}

/* Writes the step's record into l; *to may be changed (a resolution that fails). */
static enum wg_rc apply(struct wg_db *db, const struct wg_delib_env *env, const struct wg_actor *a,
                        const struct step_def *s, const json_t *body, struct loaded *l,
                        long long now, const char **to, struct wg_err *err)
{
    json_t *j;
    if (!strcmp(s->name, "branch"))
        return stage_branch(db, a, body, l, now, err);
    if (!strcmp(s->name, "council"))
        return stage_council(db, a, body, l, now, err);
    if (!strcmp(s->name, "task"))
        return stage_task(db, env, a, body, l, now, err);
    if (!strcmp(s->name, "resolution")) {
        int passed = passes(l->council);
        j = stage_base(a, now);
        json_object_set(j, "text", json_object_get(body, "text"));
        json_object_set_new(j, "passed", json_boolean(passed));
        json_decref(l->resolution);
        l->resolution = j;
        *to = passed ? "resolved" : "rejected";
    } else if (!strcmp(s->name, "task_done")) {
        json_object_set_new(l->task, "done", json_true());
        json_object_set(l->task, "report", json_object_get(body, "report"));
        json_object_set_new(l->task, "done_at", json_integer(now));
        json_object_set_new(l->task, "done_by", json_string(a->username));
    } else if (!strcmp(s->name, "notice")) {
        j = stage_base(a, now);
        json_object_set(j, "text", json_object_get(body, "text"));
        json_object_set(j, "from", json_object_get(body, "from"));
        json_object_set(j, "until", json_object_get(body, "until"));
        json_decref(l->notice);
        l->notice = j;
        snprintf(l->row.notice_from, sizeof l->row.notice_from, "%s",
                 json_string_value(json_object_get(body, "from")));
        snprintf(l->row.notice_until, sizeof l->row.notice_until, "%s",
                 json_string_value(json_object_get(body, "until")));
    }
    return WG_OK;
}

static enum wg_rc store_stages(struct wg_db *db, struct loaded *l, long long version,
                               struct wg_err *err)
{
    char *b = json_dumps(l->branch, JSON_COMPACT), *c = json_dumps(l->council, JSON_COMPACT),
         *r = json_dumps(l->resolution, JSON_COMPACT), *t = json_dumps(l->task, JSON_COMPACT),
         *n = json_dumps(l->notice, JSON_COMPACT);
    l->row.branch = b, l->row.council = c, l->row.resolution = r, l->row.task = t;
    l->row.notice = n;
    enum wg_rc rc = wg_store_delib_move(db, &l->row, version, err);
    free(b), free(c), free(r), free(t), free(n);
    l->row.branch = l->row.council = l->row.resolution = l->row.task = l->row.notice = NULL;
    return rc;
}

static enum wg_rc step(struct wg_db *db, const struct wg_delib_env *env, const struct wg_actor *a,
                       long long id, long long version, const json_t *body, long long now,
                       struct wg_err *err)
{
    const char *name = NULL, *to;
    const struct step_def *s;
    char from[16];
    struct loaded l;
    int allowed = 0;
    enum wg_rc rc = wg_delib_step_read(body, now, &name, err);
    if (rc || (rc = load(db, a, id, &l, err)))
        return rc;
    s = step_find(name);
    to = s->to;
    snprintf(from, sizeof from, "%s", l.row.state);
    for (int i = 0; i < 3 && s->from[i]; i++)
        allowed |= !strcmp(s->from[i], from);
    if (!allowed)
        rc = wg_err_set(err, WG_ECONFLICT, "deliberation %lld is %s: the %s step is not open to it",
                        id, from, name);
    else if (l.row.version != version)
        rc = wg_err_set(err, WG_ECONFLICT,
                        "deliberation %lld is at version %lld, not %lld: someone changed it since "
                        "you read it; read it again",
                        id, l.row.version, version);
    else
        rc = apply(db, env, a, s, body, &l, now, &to, err);
    if (!rc) {
        snprintf(l.row.state, sizeof l.row.state, "%s", to);
        l.row.updated_at = now;
        rc = store_stages(db, &l, version, err);
    }
    if (!rc)
        rc = wg_store_delib_event(db, id, now, a->username, name, from, to, err);
    unload(&l);
    return rc;
}

enum wg_rc wg_delib_step(struct wg_db *db, const struct wg_delib_env *env,
                         const struct wg_actor *actor, long long id, long long version,
                         const json_t *body, long long now, struct wg_err *err)
{
    enum wg_rc rc;
    OWN_TX(step(db, env, actor, id, version, body, now, err));
    return rc;
}

/* ---- reading ---- */

static json_t *delib_json(struct wg_db *db, struct loaded *l)
{
    char name[192];
    wg_task_place_name(db, l->row.place, name, sizeof name);
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "id", (json_int_t)l->row.id,
                          "topic", l->row.topic, "place", l->row.place, "place_name", name, "state",
                          l->row.state, "version", (json_int_t)l->row.version, "created_by",
                          l->row.created_by, "created_at", (json_int_t)l->row.created_at,
                          "updated_at", (json_int_t)l->row.updated_at);
    json_object_set(j, "origin", l->origin);
    json_object_set(j, "branch", json_object_size(l->branch) ? l->branch : json_null());
    json_object_set(j, "council", json_object_size(l->council) ? l->council : json_null());
    json_object_set(j, "resolution", json_object_size(l->resolution) ? l->resolution : json_null());
    json_object_set(j, "task", json_object_size(l->task) ? l->task : json_null());
    json_object_set(j, "notice", json_object_size(l->notice) ? l->notice : json_null());
    return j;
}

static int on_event(long long at, const char *actor, const char *st, const char *from,
                    const char *to, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s}", "at", (json_int_t)at, "actor",
                                         actor, "step", st, "from", from, "to", to));
    return 0;
}

enum wg_rc wg_delib_view(struct wg_db *db, const struct wg_actor *actor, long long id, json_t **out,
                         long long *version, struct wg_err *err)
{
    struct loaded l;
    json_t *tl;
    enum wg_rc rc = load(db, actor, id, &l, err);
    *out = NULL;
    if (rc)
        return rc;
    tl = json_array();
    if (!(rc = wg_store_delib_events(db, id, on_event, tl, err))) {
        *out = delib_json(db, &l);
        json_object_set_new(*out, "timeline", tl);
        *version = l.row.version;
    } else {
        json_decref(tl);
    }
    unload(&l);
    return rc;
}

struct page {
    struct wg_db *db;
    const struct wg_actor *actor;
    json_t *arr;
    int public;
};

static json_t *notice_json(struct wg_db *db, struct loaded *l)
{
    char name[192];
    json_t *lead = json_object_get(l->task, "lead");
    wg_task_place_name(db, l->row.place, name, sizeof name);
    json_t *j = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)l->row.id, "topic", l->row.topic,
                          "place", l->row.place, "place_name", name);
    json_object_set_new(j, "resolution",
                        json_pack("{s:O,s:O}", "text", json_object_get(l->resolution, "text"),
                                  "passed", json_object_get(l->resolution, "passed")));
    json_object_set_new(j, "task",
                        json_object_size(l->task)
                            ? json_pack("{s:O,s:O,s:O,s:O}", "what",
                                        json_object_get(l->task, "what"), "lead",
                                        json_object_get(lead, "name"), "deadline",
                                        json_object_get(l->task, "deadline"), "done",
                                        json_object_get(l->task, "done"))
                            : json_null());
    json_object_set_new(j, "notice",
                        json_pack("{s:O,s:O,s:O}", "text", json_object_get(l->notice, "text"),
                                  "from", json_object_get(l->notice, "from"), "until",
                                  json_object_get(l->notice, "until")));
    return j;
}

static int on_row(const struct wg_delib_row *r, void *ctx)
{
    struct page *p = ctx;
    struct loaded l;
    memset(&l, 0, sizeof l);
    on_delib(r, &l);
    if (l.origin && l.branch && l.council && l.resolution && l.task && l.notice) {
        if (p->public)
            json_array_append_new(p->arr, notice_json(p->db, &l));
        else if (wg_scope_covers(&p->actor->scope, r->place))
            json_array_append_new(p->arr, delib_json(p->db, &l));
    }
    unload(&l);
    return 0;
}

enum wg_rc wg_delib_list(struct wg_db *db, const struct wg_actor *actor, const char *state,
                         const char *limit, const char *cursor, json_t **out, struct wg_err *err)
{
    long long n = 50, below = INT64_MAX;
    char hi[40];
    int ok = !state || !*state;
    enum wg_rc rc;
    *out = NULL;
    for (int i = 0; states[i]; i++)
        ok |= state && !strcmp(state, states[i]);
    if (!ok)
        return wg_err_set(err, WG_EINVAL,
                          "'state' must be one of proposed, discussed, voted, resolved, rejected, "
                          "tasked, done, noticed, closed");
    if ((rc = wg_param_count(limit, "limit", 1, 200, &n, err)))
        return rc;
    if (cursor && *cursor && wg_param_id(cursor, 1, INT64_MAX, &below))
        return wg_err_set(err, WG_EINVAL, "'cursor' is not the next_cursor of a page before");
    const char *lo = !wg_scope_is_unit(&actor->scope) ? actor->scope.code : "\x01";
    snprintf(hi, sizeof hi, "%s~", lo);
    struct page p = {db, actor, json_array(), 0};
    if ((rc = wg_store_delib_list(db, lo, hi, state ? state : "", below, (int)n + 1, on_row, &p,
                                  err))) {
        json_decref(p.arr);
        return rc;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(p.arr) > n) {
        json_t *last = json_array_get(p.arr, (size_t)n - 1);
        next = json_sprintf("%lld", (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(p.arr, (size_t)n);
    }
    *out = json_pack("{s:o,s:I,s:o}", "deliberations", p.arr, "limit", (json_int_t)n, "next_cursor",
                     next);
    return WG_OK;
}

enum wg_rc wg_delib_notices(struct wg_db *db, const char *grid, const char *village, long long now,
                            json_t **out, struct wg_err *err)
{
    const char *code = grid && *grid ? grid : village && *village ? village : "";
    char lo[40] = "", hi[40], today[11];
    enum wg_rc rc;
    *out = NULL;
    if (grid && *grid && village && *village)
        return wg_err_set(err, WG_EINVAL, "'grid' and 'village' are one or the other");
    if (strlen(code) > 18 || strspn(code, "0123456789") != strlen(code))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a code (digits)",
                          grid && *grid ? "grid" : "village");
    /* a grid's board shows its village's and town's notices too */
    struct page p = {db, NULL, json_array(), 1};
    wg_civil_format_date(wg_cst_day(now), today);
    size_t cuts[] = {strlen(code), 12, 9};
    for (size_t i = 0; i < 3; i++) {
        if (i && (cuts[i] >= strlen(code) || !*code))
            continue;
        snprintf(lo, sizeof lo, "%.*s", (int)cuts[i], code);
        if (i)
            snprintf(hi, sizeof hi, "%s0", lo); /* the code itself, nothing under it */
        else
            snprintf(hi, sizeof hi, "%s~", lo);
        if ((rc = wg_store_delib_notices(db, lo, hi, today, 100, on_row, &p, err))) {
            json_decref(p.arr);
            return rc;
        }
    }
    *out = json_pack("{s:o,s:s}", "notices", p.arr, "day", today);
    return WG_OK;
}

/* ---- the communities' lists ---- */

enum wg_rc wg_partake_item_add(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                               long long now, long long *id, struct wg_err *err)
{
    const char *community, *kind, *title, *detail = NULL;
    enum wg_rc rc;
    *id = 0;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a list entry is a JSON object");
    if ((rc = wg_jf_known(body, wg_partake_item_fields, "a list entry", err)) ||
        (rc = code_field(body, "community", &community, err)))
        return rc;
    if (strlen(community) != 12)
        return wg_err_set(err, WG_EINVAL, "'community' is a village (community) code: 12 digits");
    if ((rc = wg_jf_one_of(body, "kind", item_kinds, NULL, &kind, err)) ||
        (rc = wg_jf_text(body, "title", 1, 100, &title, err)) ||
        (rc = wg_jf_text(body, "detail", 0, 1000, &detail, err)) ||
        (rc = place_check(db, actor, "community", community, err)))
        return rc;
    struct wg_partake_item it = {.title = title, .detail = detail ? detail : "", .created_at = now};
    snprintf(it.community, sizeof it.community, "%s", community);
    snprintf(it.kind, sizeof it.kind, "%s", kind);
    snprintf(it.created_by, sizeof it.created_by, "%s", actor->username);
    return wg_store_partake_item_insert(db, &it, id, err);
}

static int on_item(const struct wg_partake_item *it, void *ctx)
{
    struct page *p = ctx;
    char name[192];
    wg_task_place_name(p->db, it->community, name, sizeof name);
    json_array_append_new(json_object_get(p->arr, it->kind),
                          json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)it->id,
                                    "community", it->community, "community_name", name, "title",
                                    it->title, "detail", it->detail, "created_by", it->created_by,
                                    "created_at", (json_int_t)it->created_at));
    return 0;
}

enum wg_rc wg_partake_items(struct wg_db *db, const struct wg_actor *actor, const char *community,
                            const char *kind, json_t **out, struct wg_err *err)
{
    char lo[32], hi[40];
    int ok = !kind || !*kind;
    enum wg_rc rc;
    *out = NULL;
    for (int i = 0; item_kinds[i]; i++)
        ok |= kind && !strcmp(kind, item_kinds[i]);
    if (!ok)
        return wg_err_set(err, WG_EINVAL, "'kind' must be one of needs, resources, projects");
    if ((rc = wg_task_scope_prefix(actor, "community", community, lo, err)))
        return rc;
    snprintf(hi, sizeof hi, "%s~", lo);
    struct page p = {db, actor, json_pack("{s:[],s:[],s:[]}", "needs", "resources", "projects"), 0};
    if ((rc = wg_store_partake_items(db, lo, hi, kind ? kind : "", 600, on_item, &p, err))) {
        json_decref(p.arr);
        return rc;
    }
    *out = p.arr;
    return WG_OK;
}
