/* A screening task's result and how tasks are read (screening.h): the result's body checked
 * field by field, its cases each a real one in the recorder's scope, written under the
 * version read with the note sealed; one task as its reader sees it; the tasks of a scope by
 * due time and region. */
#include "domain/disputes/screening.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/accounts/pii.h"
#include "domain/disputes/case_count.h"
#include "domain/registry/person.h"
#include "store/disputes/dispute_q.h"
#include "store/disputes/screening_q.h"
#include "store/map/map_q.h"

const char *const wg_screening_fields[] = {"found", "note", "disputes", NULL};

#define NOTE_CONTEXT "screening.note"

struct loaded {
    const struct wg_scope *scope;
    struct wg_screening_row row;
    char *note, *disputes; /* owned copies */
    int found;
};

static int on_task(const struct wg_screening_row *r, void *ctx)
{
    struct loaded *l = ctx;
    if (!wg_registry_covers(l->scope, r->region))
        return 0;
    l->found = 1;
    l->row = *r;
    l->note = wg_strdup(r->note ? r->note : "");
    l->disputes = wg_strdup(r->disputes && *r->disputes ? r->disputes : "[]");
    l->row.note = l->row.disputes = NULL;
    return 0;
}

static enum wg_rc load(struct wg_db *db, const struct wg_scope *scope, long long id,
                       struct loaded *l, struct wg_err *err)
{
    memset(l, 0, sizeof *l);
    l->scope = scope;
    enum wg_rc rc = wg_store_screening_get(db, id, on_task, l, err);
    if (!rc && !l->found)
        rc = wg_err_set(err, WG_ENOTFOUND, "screening task %lld does not exist", id);
    return rc;
}

static void unload(struct loaded *l)
{
    free(l->note);
    free(l->disputes);
}

/* ---- the result ---- */

struct case_seen {
    const struct wg_scope *scope;
    int in_scope;
};

static int on_case(const struct wg_dispute_row *r, void *ctx)
{
    struct case_seen *s = ctx;
    s->in_scope = wg_registry_covers(s->scope, r->grid);
    return 0;
}

/* disputes: an array of at most found case ids, each once, into ids. */
static enum wg_rc read_ids(const json_t *list, long long found, json_t *ids, struct wg_err *err)
{
    size_t i;
    json_t *v;
    if (!list || json_is_null(list))
        return WG_OK;
    if (!json_is_array(list))
        return wg_err_set(err, WG_EINVAL, "'disputes' is an array of dispute case ids");
    if ((long long)json_array_size(list) > found)
        return wg_err_set(err, WG_EINVAL, "'disputes' names %zu cases, more than the %lld found",
                          json_array_size(list), found);
    json_array_foreach(list, i, v)
    {
        long long id = json_is_integer(v) ? json_integer_value(v) : 0;
        if (id < 1)
            return wg_err_set(err, WG_EINVAL, "'disputes[%zu]' is a dispute case id", i);
        for (size_t k = 0; k < json_array_size(ids); k++)
            if (json_integer_value(json_array_get(ids, k)) == id)
                return wg_err_set(err, WG_EINVAL, "'disputes[%zu]': case %lld is named twice", i,
                                  id);
        json_array_append_new(ids, json_integer(id));
    }
    return WG_OK;
}

enum wg_rc wg_screening_result_read(const json_t *body, long long *found, const char **note,
                                    json_t **ids, struct wg_err *err)
{
    json_t *v = json_object_get(body, "found");
    enum wg_rc rc;
    *ids = json_array();
    *note = NULL;
    *found = 0;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a screening result is a JSON object");
    if ((rc = wg_jf_known(body, wg_screening_fields, "a screening result", err)))
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > WG_SCREENING_FOUND_MAX)
        return wg_err_set(err, WG_EINVAL,
                          "'found' is required: the disputes found, 0 (nothing found) to %d",
                          WG_SCREENING_FOUND_MAX);
    *found = json_integer_value(v);
    if ((rc = wg_jf_text(body, "note", 0, WG_SCREENING_NOTE_MAX, note, err)))
        return rc;
    return read_ids(json_object_get(body, "disputes"), *found, *ids, err);
}

/* Each case a real one in scope. */
static enum wg_rc check_cases(struct wg_db *db, const struct wg_scope *scope, const json_t *ids,
                              struct wg_err *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        struct case_seen s = {scope, 0};
        long long id = json_integer_value(v);
        enum wg_rc rc = wg_store_dispute_get(db, id, on_case, &s, err);
        if (rc == WG_ENOTFOUND || (!rc && !s.in_scope))
            return wg_err_set(err, WG_EINVAL, "'disputes[%zu]': dispute case %lld does not exist",
                              i, id);
        if (rc)
            return rc;
    }
    return WG_OK;
}

static enum wg_rc record(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_screening_by *by, const json_t *body, int *corrected,
                         struct wg_err *err)
{
    struct loaded l;
    long long found = 0;
    const char *note = NULL;
    char *sealed = NULL, *list = NULL;
    json_t *ids = NULL;
    enum wg_rc rc = wg_screening_result_read(body, &found, &note, &ids, err);
    if (!rc)
        rc = check_cases(db, by->scope, ids, err);
    if (!rc)
        rc = load(db, by->scope, by->id, &l, err);
    if (rc) {
        json_decref(ids);
        return rc;
    }
    if (l.row.version != by->version)
        rc = wg_err_set(err, WG_EPRECOND,
                        "screening task %lld is at version %lld, not %lld: someone changed it "
                        "since you read it; read it again",
                        by->id, l.row.version, by->version);
    if (!rc && note && *note)
        rc = wg_pii_encrypt(keys, note, NOTE_CONTEXT, &sealed, err);
    if (!rc && !(list = json_dumps(ids, JSON_COMPACT)))
        rc = wg_err_set(err, WG_EINTERNAL, "out of memory writing screening task %lld", by->id);
    if (!rc) {
        *corrected = !strcmp(l.row.state, "done");
        l.row.found = found;
        l.row.note = sealed ? sealed : "";
        l.row.disputes = list;
        snprintf(l.row.done_by, sizeof l.row.done_by, "%s", by->actor);
        l.row.done_at = by->now;
        rc = wg_store_screening_result(db, &l.row, err);
    }
    /* the figures count a task screened once: a correction is the same screening */
    if (!rc && !*corrected)
        rc = wg_case_count_screened(db, l.row.region, l.row.level, 1, by->now, err);
    free(sealed);
    free(list);
    json_decref(ids);
    unload(&l);
    return rc;
}

enum wg_rc wg_screening_record(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_screening_by *by, const json_t *body, int *corrected,
                               struct wg_err *err)
{
    enum wg_rc rc;
    *corrected = 0;
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = record(db, keys, by, body, corrected, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

/* ---- reading ---- */

static json_t *task_json(const struct wg_screening_row *r)
{
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "id", (json_int_t)r->id, "level",
                  r->level, "region", r->region, "period_start", r->period_start, "period_end",
                  r->period_end, "due_at", (json_int_t)r->due_at, "state", r->state, "found",
                  (json_int_t)r->found, "version", (json_int_t)r->version);
    json_object_set_new(j, "done_by", *r->done_by ? json_string(r->done_by) : json_null());
    json_object_set_new(j, "done_at", r->done_at ? json_integer(r->done_at) : json_null());
    json_object_set_new(j, "reminded_at",
                        r->reminded_at ? json_integer(r->reminded_at) : json_null());
    return j;
}

static int on_number(const struct wg_dispute_row *r, void *ctx)
{
    json_array_append_new(ctx,
                          json_pack("{s:I,s:s}", "id", (json_int_t)r->id, "number", r->number));
    return 0;
}

/* The task's cases as {id, number}, those that still exist. */
static enum wg_rc cases_json(struct wg_db *db, const char *text, json_t **out, struct wg_err *err)
{
    json_t *ids = json_loads(text, 0, NULL), *v;
    size_t i;
    enum wg_rc rc = WG_OK;
    *out = json_array();
    json_array_foreach(ids, i, v)
    {
        rc = wg_store_dispute_get(db, json_integer_value(v), on_number, *out, err);
        if (rc == WG_ENOTFOUND) {
            wg_err_clear(err);
            rc = WG_OK;
        }
        if (rc)
            break;
    }
    json_decref(ids);
    return rc;
}

static enum wg_rc region_name(struct wg_db *db, const char *level, const char *code, json_t **out,
                              struct wg_err *err)
{
    enum wg_rc rc;
    *out = json_null();
    if (!strcmp(level, "grid")) {
        struct wg_grid_row g;
        rc = wg_store_grid_current(db, code, &g, NULL, err);
        if (!rc)
            *out = json_string(g.name);
    } else {
        struct wg_region_row r;
        rc = wg_store_region_get(db, code, &r, err);
        if (!rc)
            *out = json_string(r.name);
    }
    if (rc == WG_ENOTFOUND) { /* a region since retired keeps its tasks */
        wg_err_clear(err);
        rc = WG_OK;
    }
    return rc;
}

enum wg_rc wg_screening_view(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, long long id, json_t **out,
                             long long *version, struct wg_err *err)
{
    struct loaded l;
    char *note = NULL;
    json_t *name = NULL, *cases = NULL;
    enum wg_rc rc = load(db, scope, id, &l, err);
    *out = NULL;
    if (!rc)
        rc = region_name(db, l.row.level, l.row.region, &name, err);
    if (!rc)
        rc = cases_json(db, l.disputes, &cases, err);
    if (!rc && *l.note)
        rc = wg_pii_decrypt(keys, l.note, NOTE_CONTEXT, &note, err);
    if (!rc) {
        *out = task_json(&l.row);
        json_object_set_new(*out, "region_name", name);
        json_object_set_new(*out, "note", json_string(note ? note : ""));
        json_object_set_new(*out, "disputes", cases);
        *version = l.row.version;
        name = cases = NULL;
    }
    json_decref(name);
    json_decref(cases);
    wg_pii_wipe(note);
    unload(&l);
    return rc;
}

static int on_row(const struct wg_screening_row *r, void *ctx)
{
    json_array_append_new(ctx, task_json(r));
    return 0;
}

/* "<due_at>.<region>.<id>"; absent or "" is the first page. */
static enum wg_rc read_cursor(const char *text, long long *at, char region[20], long long *id,
                              struct wg_err *err)
{
    const char *d1 = text ? strchr(text, '.') : NULL, *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    char head[24];
    *at = -1, *id = 0, region[0] = '\0';
    if (!text || !*text)
        return WG_OK;
    if (!d2 || d1 - text > 20 || d2 - d1 - 1 > 18 || d2 == d1 + 1 ||
        strspn(d1 + 1, "0123456789") != (size_t)(d2 - d1 - 1))
        goto bad;
    snprintf(head, sizeof head, "%.*s", (int)(d1 - text), text);
    if (wg_param_id(head, 0, INT64_MAX, at) || wg_param_id(d2 + 1, 1, INT64_MAX, id))
        goto bad;
    snprintf(region, 20, "%.*s", (int)(d2 - d1 - 1), d1 + 1);
    return WG_OK;
bad:
    return wg_err_set(err, WG_EINVAL, "'cursor' is not the next_cursor of a page before");
}

static enum wg_rc read_day(const char *text, const char *name, int *day, struct wg_err *err)
{
    if (!text || !*text)
        return WG_OK;
    if ((*day = wg_civil_parse_date(text)) < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' is a date YYYY-MM-DD, not '%.20s'", name, text);
    return WG_OK;
}

static enum wg_rc list_filters(const struct wg_screening_query *q, long long now,
                               struct wg_screening_range *r, struct wg_err *err)
{
    static const char *const states[] = {"open", "done", "overdue", NULL};
    static const char *const levels[] = {"county", "town", "village", "grid", NULL};
    int known_state = !q->state || !*q->state, known_level = !q->level || !*q->level;
    int from = -1, to = -1;
    enum wg_rc rc;
    for (int i = 0; states[i]; i++)
        known_state |= q->state && !strcmp(q->state, states[i]);
    for (int i = 0; levels[i]; i++)
        known_level |= q->level && !strcmp(q->level, levels[i]);
    if (!known_state)
        return wg_err_set(err, WG_EINVAL, "'state' must be one of open, done, overdue");
    if (!known_level)
        return wg_err_set(err, WG_EINVAL, "'level' must be one of county, town, village, grid");
    if ((rc = read_day(q->from, "from", &from, err)) || (rc = read_day(q->to, "to", &to, err)))
        return rc;
    if (from >= 0 && to >= 0 && to < from)
        return wg_err_set(err, WG_EINVAL, "'to' (%s) is before 'from' (%s)", q->to, q->from);
    r->level = q->level ? q->level : "";
    r->state = !q->state || !strcmp(q->state, "overdue") ? (q->state ? "open" : "") : q->state;
    r->from = from >= 0 ? wg_cst_midnight(from) : 0;
    r->to = to >= 0 ? wg_cst_midnight(to + 1) : INT64_MAX;
    if (q->state && !strcmp(q->state, "overdue") && now < r->to)
        r->to = now;
    return WG_OK;
}

enum wg_rc wg_screening_list(struct wg_db *db, const struct wg_scope *scope,
                             const struct wg_screening_query *q, long long now, json_t **out,
                             struct wg_err *err)
{
    char lo[32], hi[33], region[20];
    long long limit = 50;
    struct wg_screening_range r = {0};
    enum wg_rc rc;
    *out = NULL;
    if ((rc = list_filters(q, now, &r, err)) ||
        (rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = read_cursor(q->cursor, &r.at, region, &r.id, err)) ||
        (rc = wg_registry_range(scope, NULL, q->region, lo, hi, err)))
        return rc;
    r.lo = lo, r.hi = hi, r.region = region, r.limit = (int)limit + 1;
    json_t *arr = json_array();
    if ((rc = wg_store_screening_list(db, &r, on_row, arr, err))) {
        json_decref(arr);
        return rc;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(arr) > limit) { /* one more than the page: there is a next */
        json_t *last = json_array_get(arr, (size_t)limit - 1);
        next = json_sprintf("%lld.%s.%lld",
                            (long long)json_integer_value(json_object_get(last, "due_at")),
                            json_string_value(json_object_get(last, "region")),
                            (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(arr, (size_t)limit);
    }
    *out = json_pack("{s:o,s:I,s:o}", "screenings", arr, "limit", (json_int_t)limit, "next_cursor",
                     next);
    return WG_OK;
}
