/* Typed queries over telephone surveys (survey_q.h): the survey under a version, the frames
 * its sample is drawn from, the sample's numbers claimed one at a time, and the calls. */
#include "store/store.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "store/assess/survey_q.h"
#include "store/backend.h"

enum wg_rc wg_store_survey_insert(struct wg_db *db, const struct wg_survey_row *s, long long *id,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(s->title),       WG_VTEXT(s->kind),      WG_VTEXT(s->scope),
                         WG_VTEXT(s->period_from), WG_VTEXT(s->period_to), WG_VTEXT(s->questions),
                         WG_VTEXT(s->created_by),  WG_VINT(s->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_SURVEY_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a survey gave no id");
    return rc;
}

struct each {
    int (*cb)(const struct wg_survey_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_survey_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    r.title = wg_row_text(row, 1);
    wg_row_copy(row, 2, r.kind, sizeof r.kind);
    wg_row_copy(row, 3, r.scope, sizeof r.scope);
    wg_row_copy(row, 4, r.period_from, sizeof r.period_from);
    wg_row_copy(row, 5, r.period_to, sizeof r.period_to);
    r.questions = wg_row_text(row, 6);
    wg_row_copy(row, 7, r.state, sizeof r.state);
    wg_row_copy(row, 8, r.frame, sizeof r.frame);
    r.seed = wg_row_int(row, 9);
    r.sampled_at = wg_row_int(row, 10);
    r.version = wg_row_int(row, 11);
    wg_row_copy(row, 12, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 13);
    r.updated_at = wg_row_int(row, 14);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_survey_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_survey_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_SURVEY_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "survey %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_survey_list(struct wg_db *db, const struct wg_survey_range *q,
                                int (*cb)(const struct wg_survey_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),   WG_VTEXT(q->hi),    WG_VTEXT(q->within),
                         WG_VTEXT(q->kind), WG_VTEXT(q->state), WG_VINT(q->below),
                         WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_SURVEY_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_survey_update(struct wg_db *db, const struct wg_survey_row *s,
                                  struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(s->id),           WG_VTEXT(s->title),     WG_VTEXT(s->kind),
                         WG_VTEXT(s->period_from), WG_VTEXT(s->period_to), WG_VTEXT(s->questions),
                         WG_VINT(s->version),      WG_VINT(s->updated_at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_SURVEY_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "survey %lld changed since version %lld was read, or is no longer a "
                          "draft: read it again",
                          s->id, s->version);
    return rc;
}

enum wg_rc wg_store_survey_move(struct wg_db *db, long long id, long long version,
                                const char *state, long long now, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(state), WG_VINT(version), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_SURVEY_MOVE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "survey %lld changed since version %lld was read: read it again", id,
                          version);
    return rc;
}

enum wg_rc wg_store_survey_sampled(struct wg_db *db, long long id, const char *frame,
                                   long long seed, long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(frame), WG_VINT(seed), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_SURVEY_SAMPLED, v, WG_NVALS(v), NULL, err);
}

struct frame_each {
    wg_survey_frame_cb cb;
    void *ctx;
};

static int take_frame(struct wg_row *row, void *ctx)
{
    struct frame_each *f = ctx;
    return f->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), f->ctx);
}

enum wg_rc wg_store_survey_frame(struct wg_db *db, const char *frame, const char *lo,
                                 const char *hi, const char *since, wg_survey_frame_cb cb,
                                 void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(since ? since : "")};
    struct frame_each f = {cb, ctx};
    int orders = !strcmp(frame, "orders");
    return wg_db_query(db, orders ? WG_Q_SURVEY_FRAME_ORDERS : WG_Q_SURVEY_FRAME_PERSONS, v,
                       orders ? 3 : 2, take_frame, &f, err);
}

static int take_text(struct wg_row *row, void *ctx)
{
    char **out = ctx;
    free(*out);
    *out = wg_strdup(wg_row_isnull(row, 0) ? "" : wg_row_text(row, 0));
    return 0;
}

enum wg_rc wg_store_survey_frame_phone(struct wg_db *db, const char *frame, long long id,
                                       char **sealed, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    *sealed = NULL;
    enum wg_rc rc = wg_db_query(
        db, strcmp(frame, "orders") ? WG_Q_SURVEY_PERSON_PHONE : WG_Q_SURVEY_ORDER_PHONE, v, 1,
        take_text, sealed, err);
    if (!rc && !*sealed)
        *sealed = wg_strdup("");
    return rc;
}

enum wg_rc wg_store_survey_sample_clear(struct wg_db *db, long long survey, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey)};
    return wg_db_exec(db, WG_Q_SURVEY_SAMPLE_CLEAR, v, 1, NULL, err);
}

enum wg_rc wg_store_survey_sample_insert(struct wg_db *db, const struct wg_survey_sample_row *r,
                                         struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(r->survey),     WG_VTEXT(r->town),  WG_VTEXT(r->village),
                         WG_VTEXT(r->grid),      WG_VTEXT(r->phone), WG_VTEXT(r->phone_blind),
                         WG_VTEXT(r->phone_mask)};
    return wg_db_exec(db, WG_Q_SURVEY_SAMPLE_INSERT, v, WG_NVALS(v), NULL, err);
}

struct sample_each {
    int (*cb)(const struct wg_survey_sample_row *, void *);
    void *ctx;
    int rows;
};

static void sample_of(struct wg_row *row, struct wg_survey_sample_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = wg_row_int(row, 0);
    r->survey = wg_row_int(row, 1);
    wg_row_copy(row, 2, r->town, sizeof r->town);
    wg_row_copy(row, 3, r->village, sizeof r->village);
    wg_row_copy(row, 4, r->grid, sizeof r->grid);
    r->phone = wg_row_text(row, 5);
    wg_row_copy(row, 6, r->phone_blind, sizeof r->phone_blind);
    wg_row_copy(row, 7, r->phone_mask, sizeof r->phone_mask);
    wg_row_copy(row, 8, r->state, sizeof r->state);
    r->attempts = wg_row_int(row, 9);
    wg_row_copy(row, 10, r->outcome, sizeof r->outcome);
    wg_row_copy(row, 11, r->claim_agent, sizeof r->claim_agent);
    r->claim_until = wg_row_int(row, 12);
}

static int take_sample(struct wg_row *row, void *ctx)
{
    struct sample_each *e = ctx;
    struct wg_survey_sample_row r;
    sample_of(row, &r);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_survey_sample_page(struct wg_db *db, long long survey, const char *town,
                                       long long after, int limit,
                                       int (*cb)(const struct wg_survey_sample_row *, void *),
                                       void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey), WG_VINT(after), WG_VTEXT(town ? town : ""),
                         WG_VINT(limit)};
    struct sample_each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_SURVEY_SAMPLE_PAGE, v, WG_NVALS(v), take_sample, &e, err);
}

struct one_sample {
    struct wg_survey_sample_row *r;
    char **phone;
    int found;
};

static int take_one_sample(struct wg_row *row, void *ctx)
{
    struct one_sample *o = ctx;
    sample_of(row, o->r);
    *o->phone = wg_strdup(o->r->phone);
    o->r->phone = NULL;
    o->found = 1;
    return 1;
}

enum wg_rc wg_store_survey_sample_get(struct wg_db *db, long long id,
                                      struct wg_survey_sample_row *r, char **phone,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct one_sample o = {r, phone, 0};
    *phone = NULL;
    enum wg_rc rc = wg_db_query(db, WG_Q_SURVEY_SAMPLE_GET, v, 1, take_one_sample, &o, err);
    if (!rc && !o.found)
        rc = wg_err_set(err, WG_ENOTFOUND, "sample number %lld does not exist", id);
    return rc;
}

struct towns_each {
    int (*cb)(const char *, long long, long long, void *);
    void *ctx;
};

static int take_town(struct wg_row *row, void *ctx)
{
    struct towns_each *t = ctx;
    return t->cb(wg_row_text(row, 0), wg_row_int(row, 1), wg_row_int(row, 2), t->ctx);
}

enum wg_rc wg_store_survey_sample_towns(struct wg_db *db, long long survey,
                                        int (*cb)(const char *town, long long n, long long done,
                                                  void *ctx),
                                        void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey)};
    struct towns_each t = {cb, ctx};
    return wg_db_query(db, WG_Q_SURVEY_SAMPLE_TOWNS, v, 1, take_town, &t, err);
}

enum wg_rc wg_store_survey_calls_made(struct wg_db *db, long long survey, long long *n,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_SURVEY_CALLS_MADE, v, 1, n, NULL, err);
}

enum wg_rc wg_store_survey_claim(struct wg_db *db, long long survey, const char *agent,
                                 const char *lo, const char *hi, long long now, long long until,
                                 long long *sample, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey), WG_VINT(now), WG_VINT(until),
                         WG_VTEXT(agent), WG_VTEXT(lo), WG_VTEXT(hi)};
    *sample = 0;
    return wg_db_query_int(db, WG_Q_SURVEY_CLAIM, v, WG_NVALS(v), sample, NULL, err);
}

enum wg_rc wg_store_survey_call_open(struct wg_db *db, long long survey, long long sample,
                                     const char *agent, long long now, long long until,
                                     long long *id, struct wg_err *err)
{
    struct wg_val l[] = {WG_VINT(sample), WG_VINT(now)};
    struct wg_val v[] = {WG_VINT(survey), WG_VINT(sample), WG_VTEXT(agent), WG_VINT(now),
                         WG_VINT(until)};
    int found = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_SURVEY_CALL_LAPSE, l, WG_NVALS(l), NULL, err);
    if (!rc)
        rc = wg_db_query_int(db, WG_Q_SURVEY_CALL_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a survey call gave no id");
    return rc;
}

struct one_call {
    struct wg_survey_call_row *c;
    char **answers;
    int found;
};

static int take_call(struct wg_row *row, void *ctx)
{
    struct one_call *o = ctx;
    struct wg_survey_call_row *c = o->c;
    memset(c, 0, sizeof *c);
    c->id = wg_row_int(row, 0);
    c->survey = wg_row_int(row, 1);
    c->sample = wg_row_int(row, 2);
    wg_row_copy(row, 3, c->agent, sizeof c->agent);
    c->started_at = wg_row_int(row, 4);
    c->until_at = wg_row_int(row, 5);
    c->revealed_at = wg_row_int(row, 6);
    c->finished_at = wg_row_int(row, 7);
    wg_row_copy(row, 8, c->outcome, sizeof c->outcome);
    if (o->answers) {
        free(*o->answers);
        *o->answers = wg_strdup(wg_row_text(row, 9));
    }
    o->found = 1;
    return 1;
}

enum wg_rc wg_store_survey_call_get(struct wg_db *db, long long id, struct wg_survey_call_row *c,
                                    char **answers, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct one_call o = {c, answers, 0};
    if (answers)
        *answers = NULL;
    enum wg_rc rc = wg_db_query(db, WG_Q_SURVEY_CALL_GET, v, 1, take_call, &o, err);
    if (!rc && !o.found)
        rc = wg_err_set(err, WG_ENOTFOUND, "call %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_survey_call_current(struct wg_db *db, long long survey, const char *agent,
                                        long long now, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey), WG_VTEXT(agent), WG_VINT(now)};
    struct wg_survey_call_row c;
    struct one_call o = {&c, NULL, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_SURVEY_CALL_OPEN, v, WG_NVALS(v), take_call, &o, err);
    *id = !rc && o.found ? c.id : 0;
    return rc;
}

enum wg_rc wg_store_survey_call_revealed(struct wg_db *db, long long id, long long now,
                                         struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_SURVEY_CALL_REVEALED, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_survey_call_finish(struct wg_db *db, long long id, long long sample,
                                       const char *outcome, const char *answers,
                                       const char *sample_state, const char *sample_outcome,
                                       long long now, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(outcome), WG_VTEXT(answers ? answers : ""),
                         WG_VINT(now)};
    struct wg_val s[] = {WG_VINT(sample), WG_VTEXT(sample_state), WG_VTEXT(sample_outcome)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_SURVEY_CALL_FINISH, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT, "call %lld was recorded already", id);
    if (!rc)
        rc = wg_db_exec(db, WG_Q_SURVEY_SAMPLE_SETTLE, s, WG_NVALS(s), NULL, err);
    return rc;
}

struct result_each {
    int (*cb)(const char *, const char *, const char *, long long, const char *, const char *,
              void *);
    void *ctx;
};

static int take_result(struct wg_row *row, void *ctx)
{
    struct result_each *r = ctx;
    return r->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_int(row, 3),
                 wg_row_text(row, 4), wg_row_text(row, 5), r->ctx);
}

enum wg_rc wg_store_survey_results(struct wg_db *db, long long survey,
                                   int (*cb)(const char *town, const char *village,
                                             const char *state, long long attempts,
                                             const char *outcome, const char *answers, void *ctx),
                                   void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(survey)};
    struct result_each r = {cb, ctx};
    return wg_db_query(db, WG_Q_SURVEY_RESULT_ROWS, v, 1, take_result, &r, err);
}
