/* Telephone surveys (survey.h): the questionnaire read and checked field by field, a survey
 * made, edited while a draft, opened and closed under its version, one survey and a page of
 * them in one's scope. */
#include "domain/assess/survey.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/utf8.h"
#include "store/map/map_q.h"

const char *const wg_survey_fields[] = {"title",     "kind",      "scope", "period_from",
                                        "period_to", "questions", NULL};
const char *const wg_survey_edit_fields[] = {"title",     "kind",      "period_from",
                                             "period_to", "questions", NULL};
const char *const wg_survey_action_fields[] = {"action", NULL};
const char *const wg_survey_sample_fields[] = {"frame", "per_town", "total", "seed", "days", NULL};
const char *const wg_survey_call_fields[] = {"outcome", "answers", NULL};

static const char *const kinds[] = {"safety", "satisfaction", "other", NULL};
static const char *const qkinds[] = {"single", "yesno", "text", NULL};
static const char *const question_keys[] = {"text", "kind", "required", "options",
                                            "key",  "id",   NULL};
static const char *const option_keys[] = {"label", "score", "positive", NULL};

static enum wg_rc option(const json_t *o, const char *at, json_t *out, struct wg_err *err)
{
    const char *label = NULL;
    const json_t *score = json_object_get(o, "score"), *pos = json_object_get(o, "positive");
    char what[64];
    enum wg_rc rc;
    snprintf(what, sizeof what, "an option ('%s')", at);
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "'%s' is an object {label, score, positive}", at);
    if ((rc = wg_jf_known(o, option_keys, what, err)))
        return rc;
    if ((rc = wg_jf_text(o, "label", 1, WG_SURVEY_LABEL_MAX, &label, err))) {
        wg_err_prefix(err, "%s", at);
        return rc;
    }
    if (!json_is_integer(score) || json_integer_value(score) < 0 || json_integer_value(score) > 100)
        return wg_err_set(err, WG_EINVAL, "'%s.score' is required: a whole number from 0 to 100",
                          at);
    if (pos && !json_is_boolean(pos))
        return wg_err_set(err, WG_EINVAL, "'%s.positive' is true or false", at);
    json_array_append_new(
        out, json_pack("{s:s,s:I,s:b}", "label", label, "score", json_integer_value(score),
                       "positive", pos ? json_is_true(pos) : json_integer_value(score) >= 60));
    return WG_OK;
}

static enum wg_rc question(const json_t *q, size_t i, int *keyed, json_t *out, struct wg_err *err)
{
    char at[32], what[64];
    const char *text = NULL, *kind = NULL;
    const json_t *req = json_object_get(q, "required"), *key = json_object_get(q, "key"),
                 *opts = json_object_get(q, "options"), *id = json_object_get(q, "id");
    enum wg_rc rc;
    snprintf(at, sizeof at, "questions[%zu]", i);
    snprintf(what, sizeof what, "a question ('%s')", at);
    if (!json_is_object(q))
        return wg_err_set(err, WG_EINVAL, "'%s' is an object {text, kind, options, required}", at);
    if ((rc = wg_jf_known(q, question_keys, what, err)) ||
        (rc = wg_jf_text(q, "text", 1, WG_SURVEY_TEXT_MAX, &text, err)) ||
        (rc = wg_jf_one_of(q, "kind", qkinds, NULL, &kind, err))) {
        wg_err_prefix(err, "%s", at);
        return rc;
    }
    if (req && !json_is_boolean(req))
        return wg_err_set(err, WG_EINVAL, "'%s.required' is true or false", at);
    if (key && !json_is_boolean(key))
        return wg_err_set(err, WG_EINVAL, "'%s.key' is true or false", at);
    if (id && !json_is_null(id) && !json_is_string(id))
        return wg_err_set(err, WG_EINVAL, "'%s.id' is given by position (q%zu)", at, i + 1);
    if (json_is_true(key) && strcmp(kind, "single"))
        return wg_err_set(err, WG_EINVAL, "'%s.key': only a single-choice question is the key", at);
    if (json_is_true(key) && (*keyed)++)
        return wg_err_set(err, WG_EINVAL, "'%s.key': another question is the key already", at);
    json_t *n = json_pack("{s:s,s:s,s:s,s:b}", "id", "", "text", text, "kind", kind, "required",
                          strcmp(kind, "text") && (!req || json_is_true(req)));
    char qid[16];
    snprintf(qid, sizeof qid, "q%zu", i + 1);
    json_object_set_new(n, "id", json_string(qid));
    json_array_append_new(out, n);
    if (strcmp(kind, "single")) {
        if (opts && !json_is_null(opts))
            return wg_err_set(err, WG_EINVAL, "'%s.options' is only for a single-choice question",
                              at);
        return WG_OK;
    }
    json_object_set_new(n, "key", json_boolean(json_is_true(key)));
    if (!json_is_array(opts) || json_array_size(opts) < 2 ||
        json_array_size(opts) > WG_SURVEY_OPTIONS_MAX)
        return wg_err_set(err, WG_EINVAL, "'%s.options' is required: 2 to %d options", at,
                          WG_SURVEY_OPTIONS_MAX);
    json_t *list = json_array();
    json_object_set_new(n, "options", list);
    for (size_t k = 0; k < json_array_size(opts); k++) {
        char oat[48];
        snprintf(oat, sizeof oat, "%s.options[%zu]", at, k);
        if ((rc = option(json_array_get(opts, k), oat, list, err)))
            return rc;
        const char *label = json_string_value(json_object_get(json_array_get(list, k), "label"));
        for (size_t j = 0; j < k; j++)
            if (!strcmp(label,
                        json_string_value(json_object_get(json_array_get(list, j), "label"))))
                return wg_err_set(err, WG_EINVAL, "'%s.label': '%s' is an option already", oat,
                                  label);
    }
    return WG_OK;
}

static enum wg_rc questions_read(const json_t *qs, json_t **out, struct wg_err *err)
{
    int keyed = 0, single = -1;
    enum wg_rc rc = WG_OK;
    *out = NULL;
    if (!json_is_array(qs) || !json_array_size(qs) || json_array_size(qs) > WG_SURVEY_QUESTIONS_MAX)
        return wg_err_set(err, WG_EINVAL, "'questions' is required: 1 to %d questions",
                          WG_SURVEY_QUESTIONS_MAX);
    json_t *list = json_array();
    for (size_t i = 0; !rc && i < json_array_size(qs); i++)
        rc = question(json_array_get(qs, i), i, &keyed, list, err);
    for (size_t i = 0; !rc && single < 0 && i < json_array_size(list); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(list, i), "kind")), "single"))
            single = (int)i;
    if (!rc && single < 0)
        rc = wg_err_set(err, WG_EINVAL,
                        "'questions' holds no single-choice question: one gives the score");
    if (!rc && !keyed)
        json_object_set_new(json_array_get(list, (size_t)single), "key", json_true());
    if (rc)
        json_decref(list);
    else
        *out = list;
    return rc;
}

enum wg_rc wg_survey_read(const json_t *body, int with_scope, struct wg_survey_draft *d,
                          struct wg_err *err)
{
    enum wg_rc rc;
    int from, to;
    memset(d, 0, sizeof *d);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a survey is a JSON object");
    if ((rc = wg_jf_known(body, with_scope ? wg_survey_fields : wg_survey_edit_fields, "a survey",
                          err)) ||
        (rc = wg_jf_text(body, "title", 1, WG_SURVEY_TITLE_MAX, &d->title, err)) ||
        (rc = wg_jf_one_of(body, "kind", kinds, NULL, &d->kind, err)))
        return rc;
    if (with_scope) {
        d->scope = json_string_value(json_object_get(body, "scope"));
        if (!d->scope || strlen(d->scope) < 6 || strlen(d->scope) > 12 ||
            strspn(d->scope, "0123456789") != strlen(d->scope))
            return wg_err_set(err, WG_EINVAL,
                              "'scope' is required: the code of a county, town or village");
    }
    if ((rc = wg_jf_text(body, "period_from", 1, 10, &d->period_from, err)) ||
        (rc = wg_jf_text(body, "period_to", 1, 10, &d->period_to, err)))
        return rc;
    if ((from = wg_civil_parse_date(d->period_from)) < 0)
        return wg_err_set(err, WG_EINVAL, "'period_from' is a date YYYY-MM-DD");
    if ((to = wg_civil_parse_date(d->period_to)) < 0)
        return wg_err_set(err, WG_EINVAL, "'period_to' is a date YYYY-MM-DD");
    if (to < from || to - from > 366)
        return wg_err_set(err, WG_EINVAL,
                          "'period_to' %s is not within a year from 'period_from' %s", d->period_to,
                          d->period_from);
    return questions_read(json_object_get(body, "questions"), &d->questions, err);
}

/* ---- answers ---- */

static enum wg_rc answer(const json_t *q, const json_t *a, struct wg_err *err)
{
    const char *id = json_string_value(json_object_get(q, "id"));
    const char *kind = json_string_value(json_object_get(q, "kind"));
    if (!strcmp(kind, "single")) {
        size_t n = json_array_size(json_object_get(q, "options"));
        if (!json_is_integer(a) || json_integer_value(a) < 0 ||
            json_integer_value(a) >= (json_int_t)n)
            return wg_err_set(err, WG_EINVAL,
                              "'answers.%s' is the index of one of its %zu options (0 to %zu)", id,
                              n, n - 1);
    } else if (!strcmp(kind, "yesno")) {
        if (!json_is_boolean(a))
            return wg_err_set(err, WG_EINVAL, "'answers.%s' is true or false", id);
    } else {
        const char *s = json_string_value(a);
        if (!s || strlen(s) != json_string_length(a))
            return wg_err_set(err, WG_EINVAL, "'answers.%s' is a text", id);
        if (wg_utf8_chars(s) > WG_SURVEY_TEXT_MAX)
            return wg_err_set(err, WG_EINVAL, "'answers.%s' is longer than %d characters", id,
                              WG_SURVEY_TEXT_MAX);
    }
    return WG_OK;
}

enum wg_rc wg_survey_answers_check(const json_t *questions, const json_t *answers,
                                   struct wg_err *err)
{
    const char *key;
    const json_t *v, *q;
    size_t i;
    if (!json_is_object(answers))
        return wg_err_set(err, WG_EINVAL,
                          "'answers' is required when reached: an object of question ids");
    json_object_foreach((json_t *)answers, key, v)
    {
        int found = 0;
        json_array_foreach(questions, i, q) found |=
            !strcmp(json_string_value(json_object_get(q, "id")), key);
        if (!found)
            return wg_err_set(err, WG_EINVAL, "'answers.%.20s' is not a question of the survey",
                              key);
    }
    json_array_foreach(questions, i, q)
    {
        const char *id = json_string_value(json_object_get(q, "id"));
        const json_t *a = json_object_get(answers, id);
        enum wg_rc rc;
        if (!a || json_is_null(a)) {
            if (json_is_true(json_object_get(q, "required")))
                return wg_err_set(err, WG_EINVAL, "'answers.%s' is required: %s", id,
                                  json_string_value(json_object_get(q, "text")));
            continue;
        }
        if ((rc = answer(q, a, err)))
            return rc;
    }
    return WG_OK;
}

static const char *const outcomes[] = {"reached", "refused",      "no_answer",
                                       "busy",    "wrong_number", NULL};

enum wg_rc wg_survey_call_read(const json_t *questions, const json_t *body, const char **outcome,
                               struct wg_err *err)
{
    const json_t *a;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a call's outcome is a JSON object");
    if ((rc = wg_jf_known(body, wg_survey_call_fields, "a call's outcome", err)) ||
        (rc = wg_jf_one_of(body, "outcome", outcomes, NULL, outcome, err)))
        return rc;
    a = json_object_get(body, "answers");
    if (strcmp(*outcome, "reached"))
        return a && !json_is_null(a)
                   ? wg_err_set(err, WG_EINVAL, "'answers' are only for a reached call")
                   : WG_OK;
    return wg_survey_answers_check(questions, a, err);
}

/* ---- the store ---- */

size_t wg_survey_key(const json_t *questions)
{
    size_t i;
    const json_t *q;
    json_array_foreach(questions, i, q) if (json_is_true(json_object_get(q, "key"))) return i;
    return 0;
}

/* the actor's scope holds the survey's, or lies in it */
static int sees(const struct wg_actor *a, const char *scope)
{
    if (wg_scope_is_unit(&a->scope))
        return 0;
    return !strncmp(scope, a->scope.code, strlen(a->scope.code)) ||
           !strncmp(a->scope.code, scope, strlen(scope));
}

void wg_survey_prefix(const struct wg_actor *actor, const char *code, char out[32])
{
    const char *p = strlen(actor->scope.code) > strlen(code) ? actor->scope.code : code;
    snprintf(out, 32, "%s", p);
}

void wg_survey_place_name(struct wg_db *db, const char *code, char *out, size_t n)
{
    struct wg_region_row r;
    struct wg_err err = {0};
    if (!wg_store_region_get(db, code, &r, &err))
        snprintf(out, n, "%s", r.name);
    else
        snprintf(out, n, "%s", code);
}

struct loaded {
    const struct wg_actor *actor;
    struct wg_survey *s;
    int found;
};

static int on_survey(const struct wg_survey_row *r, void *ctx)
{
    struct loaded *l = ctx;
    if (l->actor && !sees(l->actor, r->scope))
        return 0;
    l->found = 1;
    l->s->row = *r;
    l->s->title = wg_strdup(r->title);
    l->s->questions_text = wg_strdup(r->questions);
    l->s->row.title = l->s->title;
    l->s->row.questions = l->s->questions_text;
    l->s->questions = json_loads(r->questions, 0, NULL);
    return 0;
}

enum wg_rc wg_survey_load(struct wg_db *db, const struct wg_actor *actor, long long id,
                          struct wg_survey *s, struct wg_err *err)
{
    struct loaded l = {actor, s, 0};
    memset(s, 0, sizeof *s);
    enum wg_rc rc = wg_store_survey_get(db, id, on_survey, &l, err);
    if (rc == WG_ENOTFOUND || (!rc && !l.found))
        return wg_err_set(err, WG_ENOTFOUND, "survey %lld does not exist", id);
    if (!rc && !json_is_array(s->questions)) {
        wg_survey_unload(s);
        return wg_err_set(err, WG_EDB, "survey %lld's questions are not readable", id);
    }
    return rc;
}

void wg_survey_unload(struct wg_survey *s)
{
    free(s->title);
    free(s->questions_text);
    json_decref(s->questions);
    memset(s, 0, sizeof *s);
}

static enum wg_rc scope_check(struct wg_db *db, const struct wg_actor *a, const char *code,
                              struct wg_err *err)
{
    struct wg_region_row r;
    enum wg_rc rc;
    if (wg_scope_is_unit(&a->scope) || strncmp(code, a->scope.code, strlen(a->scope.code)))
        return wg_err_set(err, WG_EINVAL, "'scope': region '%s' does not exist", code);
    rc = wg_store_region_get(db, code, &r, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'scope': region '%s' does not exist", code);
    return rc;
}

enum wg_rc wg_survey_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                            long long now, long long *id, struct wg_err *err)
{
    struct wg_survey_draft d;
    struct wg_survey_row row;
    char *qs = NULL;
    enum wg_rc rc = wg_survey_read(body, 1, &d, err);
    *id = 0;
    if (!rc)
        rc = scope_check(db, actor, d.scope, err);
    if (!rc) {
        memset(&row, 0, sizeof row);
        qs = json_dumps(d.questions, JSON_COMPACT);
        row.title = d.title, row.questions = qs;
        snprintf(row.kind, sizeof row.kind, "%s", d.kind);
        snprintf(row.scope, sizeof row.scope, "%s", d.scope);
        snprintf(row.period_from, sizeof row.period_from, "%s", d.period_from);
        snprintf(row.period_to, sizeof row.period_to, "%s", d.period_to);
        snprintf(row.created_by, sizeof row.created_by, "%s", actor->username);
        row.created_at = now;
        rc = wg_store_survey_insert(db, &row, id, err);
    }
    free(qs);
    json_decref(d.questions);
    return rc;
}

enum wg_rc wg_survey_update(struct wg_db *db, const struct wg_actor *actor, long long id,
                            long long version, const json_t *body, long long now,
                            struct wg_err *err)
{
    struct wg_survey s;
    struct wg_survey_draft d;
    char *qs = NULL;
    enum wg_rc rc = wg_survey_load(db, actor, id, &s, err);
    if (rc)
        return rc;
    if (strcmp(s.row.state, "draft"))
        rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is %s: only a draft's questions change", id,
                        s.row.state);
    if (!rc)
        rc = wg_survey_read(body, 0, &d, err);
    if (!rc) {
        qs = json_dumps(d.questions, JSON_COMPACT);
        s.row.title = d.title, s.row.questions = qs;
        snprintf(s.row.kind, sizeof s.row.kind, "%s", d.kind);
        snprintf(s.row.period_from, sizeof s.row.period_from, "%s", d.period_from);
        snprintf(s.row.period_to, sizeof s.row.period_to, "%s", d.period_to);
        s.row.version = version, s.row.updated_at = now;
        rc = wg_store_survey_update(db, &s.row, err);
        json_decref(d.questions);
    }
    free(qs);
    wg_survey_unload(&s);
    return rc;
}

static const char *const actions[] = {"open", "close", NULL};

enum wg_rc wg_survey_act(struct wg_db *db, const struct wg_actor *actor, long long id,
                         long long version, const json_t *body, long long now, struct wg_err *err)
{
    struct wg_survey s;
    const char *action = NULL;
    enum wg_rc rc;
    if ((rc = wg_jf_known(body, wg_survey_action_fields, "a survey's action", err)) ||
        (rc = wg_jf_one_of(body, "action", actions, NULL, &action, err)) ||
        (rc = wg_survey_load(db, actor, id, &s, err)))
        return rc;
    if (!strcmp(action, "open")) {
        if (strcmp(s.row.state, "draft"))
            rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is %s: only a draft opens", id,
                            s.row.state);
        else if (!s.row.sampled_at)
            rc = wg_err_set(err, WG_ECONFLICT, "survey %lld has no sample: draw it first", id);
    } else if (strcmp(s.row.state, "open")) {
        rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is %s: only an open survey closes", id,
                        s.row.state);
    }
    if (!rc)
        rc = wg_store_survey_move(db, id, version, !strcmp(action, "open") ? "open" : "closed", now,
                                  err);
    wg_survey_unload(&s);
    return rc;
}

static json_t *survey_json(struct wg_db *db, const struct wg_survey_row *r, json_t *questions)
{
    char name[128];
    wg_survey_place_name(db, r->scope, name, sizeof name);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:s,s:s,s:I,s:I,s:I,s:s,s:I,s:I}", "id",
                     (json_int_t)r->id, "title", r->title, "kind", r->kind, "scope", r->scope,
                     "scope_name", name, "period_from", r->period_from, "period_to", r->period_to,
                     "questions", questions, "state", r->state, "frame", r->frame, "seed",
                     (json_int_t)r->seed, "sampled_at", (json_int_t)r->sampled_at, "version",
                     (json_int_t)r->version, "created_by", r->created_by, "created_at",
                     (json_int_t)r->created_at, "updated_at", (json_int_t)r->updated_at);
}

static int count_town(const char *town, long long n, long long done, void *ctx)
{
    long long *c = ctx;
    (void)town;
    c[0] += n, c[1] += done;
    return 0;
}

enum wg_rc wg_survey_view(struct wg_db *db, const struct wg_actor *actor, long long id,
                          json_t **out, long long *version, struct wg_err *err)
{
    struct wg_survey s;
    long long counts[2] = {0, 0}, calls = 0;
    enum wg_rc rc = wg_survey_load(db, actor, id, &s, err);
    if (rc)
        return rc;
    if (!(rc = wg_store_survey_sample_towns(db, id, count_town, counts, err)) &&
        !(rc = wg_store_survey_calls_made(db, id, &calls, err))) {
        *out = survey_json(db, &s.row, s.questions);
        json_object_set_new(*out, "sample_size", json_integer(counts[0]));
        json_object_set_new(*out, "settled", json_integer(counts[1]));
        json_object_set_new(*out, "calls_made", json_integer(calls));
        *version = s.row.version;
    }
    wg_survey_unload(&s);
    return rc;
}

struct page {
    struct wg_db *db;
    json_t *list;
    long long last;
};

static int on_listed(const struct wg_survey_row *r, void *ctx)
{
    struct page *p = ctx;
    json_t *qs = json_loads(r->questions, 0, NULL);
    json_t *j = survey_json(p->db, r, qs ? qs : json_array());
    json_decref(qs);
    json_object_del(j, "questions");
    json_array_append_new(p->list, j);
    p->last = r->id;
    return 0;
}

static enum wg_rc number(const char *s, const char *field, long long lo, long long hi,
                         long long dflt, long long *out, struct wg_err *err)
{
    char *end = NULL;
    long long v;
    if (!s || !*s) {
        *out = dflt;
        return WG_OK;
    }
    v = strtoll(s, &end, 10);
    if (*end || v < lo || v > hi || strspn(s, "0123456789") != strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s' is a whole number from %lld to %lld", field, lo,
                          hi);
    *out = v;
    return WG_OK;
}

enum wg_rc wg_survey_list(struct wg_db *db, const struct wg_actor *actor,
                          const struct wg_survey_query *q, json_t **out, struct wg_err *err)
{
    long long limit = 50, cursor = 0;
    char hi[40];
    const char *state = q->state && *q->state ? q->state : "", *kind = q->kind ? q->kind : "";
    static const char *const states[] = {"draft", "open", "closed", NULL};
    enum wg_rc rc;
    int ok = !*state;
    for (size_t i = 0; !ok && states[i]; i++)
        ok = !strcmp(states[i], state);
    if (!ok)
        return wg_err_set(err, WG_EINVAL, "'state' is one of draft, open, closed");
    ok = !*kind;
    for (size_t i = 0; !ok && kinds[i]; i++)
        ok = !strcmp(kinds[i], kind);
    if (!ok)
        return wg_err_set(err, WG_EINVAL, "'kind' is one of safety, satisfaction, other");
    if ((rc = number(q->limit, "limit", 1, 200, 50, &limit, err)) ||
        (rc = number(q->cursor, "cursor", 1, (long long)1 << 53, 0, &cursor, err)))
        return rc;
    *out = json_pack("{s:[],s:I,s:n}", "surveys", "limit", (json_int_t)limit, "next_cursor");
    if (wg_scope_is_unit(&actor->scope))
        return WG_OK;
    snprintf(hi, sizeof hi, "%s~", actor->scope.code);
    struct wg_survey_range r = {
        actor->scope.code, hi, actor->scope.code, kind, state, cursor ? cursor : (long long)1 << 62,
        (int)limit};
    struct page p = {db, json_object_get(*out, "surveys"), 0};
    rc = wg_store_survey_list(db, &r, on_listed, &p, err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    if ((long long)json_array_size(p.list) == limit)
        json_object_set_new(*out, "next_cursor", json_integer(p.last));
    return WG_OK;
}
