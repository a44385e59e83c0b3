/* The calls of a telephone survey (survey.h): the next number claimed by one agent alone for
 * a while, its phone revealed to that agent while the claim holds, the outcome recorded with
 * the answers checked against the questions, and the number settled or put back for another
 * attempt. */
#include "domain/assess/survey.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "domain/accounts/pii.h"

/* Runs fn inside a transaction of its own unless the caller holds one. */
#define IN_TX(db, err, expr)                                                                       \
    do {                                                                                           \
        int own_ = !wg_db_in_tx(db);                                                               \
        if (own_ && (rc = wg_db_begin(db, err)))                                                   \
            break;                                                                                 \
        rc = (expr);                                                                               \
        if (own_ && !rc)                                                                           \
            rc = wg_db_commit(db, err);                                                            \
        if (own_ && rc)                                                                            \
            wg_db_rollback(db);                                                                    \
    } while (0)

static json_t *call_json(struct wg_db *db, const struct wg_survey_call_row *c,
                         const struct wg_survey_sample_row *r)
{
    char town[128], village[128];
    wg_survey_place_name(db, r->town, town, sizeof town);
    wg_survey_place_name(db, r->village, village, sizeof village);
    return json_pack(
        "{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:b,s:s}", "id", (json_int_t)c->id, "survey",
        (json_int_t)c->survey, "sample", (json_int_t)c->sample, "agent", c->agent, "town", r->town,
        "town_name", town, "village_name", village, "phone", r->phone_mask, "attempts",
        (json_int_t)r->attempts, "started_at", (json_int_t)c->started_at, "until",
        (json_int_t)c->until_at, "revealed", c->revealed_at != 0, "outcome", c->outcome);
}

/* Call cid of survey id (else WG_ENOTFOUND) with its number. */
static enum wg_rc load_call(struct wg_db *db, long long id, long long cid,
                            struct wg_survey_call_row *c, struct wg_survey_sample_row *r,
                            char **phone, struct wg_err *err)
{
    enum wg_rc rc = wg_store_survey_call_get(db, cid, c, NULL, err);
    if (!rc && c->survey != id)
        rc = wg_err_set(err, WG_ENOTFOUND, "call %lld does not exist", cid);
    if (!rc)
        rc = wg_store_survey_sample_get(db, c->sample, r, phone, err);
    return rc;
}

static enum wg_rc next(struct wg_db *db, const struct wg_actor *actor, long long id, long long now,
                       json_t **out, long long *call, struct wg_err *err)
{
    struct wg_survey s;
    struct wg_survey_call_row c;
    struct wg_survey_sample_row r;
    char lo[32], hi[40], *phone = NULL;
    long long sample = 0;
    enum wg_rc rc = wg_survey_load(db, actor, id, &s, err);
    if (rc)
        return rc;
    if (strcmp(s.row.state, "open"))
        rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is %s: calls are taken while it is open",
                        id, s.row.state);
    if (!rc)
        rc = wg_store_survey_call_current(db, id, actor->username, now, call, err);
    if (!rc && !*call) {
        wg_survey_prefix(actor, s.row.scope, lo);
        snprintf(hi, sizeof hi, "%s~", lo);
        rc = wg_store_survey_claim(db, id, actor->username, lo, hi, now,
                                   now + WG_SURVEY_CLAIM_SECONDS, &sample, err);
        if (!rc && sample)
            rc = wg_store_survey_call_open(db, id, sample, actor->username, now,
                                           now + WG_SURVEY_CLAIM_SECONDS, call, err);
    }
    if (!rc && !*call)
        *out = json_pack("{s:I,s:n}", "survey", (json_int_t)id, "call");
    else if (!rc && !(rc = load_call(db, id, *call, &c, &r, &phone, err)))
        *out = json_pack("{s:I,s:o}", "survey", (json_int_t)id, "call", call_json(db, &c, &r));
    free(phone);
    wg_survey_unload(&s);
    return rc;
}

enum wg_rc wg_survey_call_next(struct wg_db *db, const struct wg_actor *actor, long long id,
                               long long now, json_t **out, long long *call, struct wg_err *err)
{
    enum wg_rc rc;
    *out = NULL, *call = 0;
    IN_TX(db, err, next(db, actor, id, now, out, call, err));
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* The call is the actor's and still open: WG_EFORBIDDEN, WG_ECONFLICT otherwise. */
static enum wg_rc holder(const struct wg_actor *actor, const struct wg_survey_call_row *c,
                         long long now, int must_hold, struct wg_err *err)
{
    if (strcmp(c->agent, actor->username))
        return wg_err_set(err, WG_EFORBIDDEN, "call %lld is %s's: only its agent works on it",
                          c->id, c->agent);
    if (*c->outcome)
        return wg_err_set(err, WG_ECONFLICT, "call %lld is %s already", c->id,
                          !strcmp(c->outcome, "lapsed") ? "lapsed (its claim ran out)"
                                                        : "recorded");
    if (must_hold && c->until_at < now)
        return wg_err_set(err, WG_ECONFLICT,
                          "call %lld's claim ran out: take the next number again", c->id);
    return WG_OK;
}

static enum wg_rc reveal(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_actor *actor, long long id, long long cid, long long now,
                         char **phone, struct wg_err *err)
{
    struct wg_survey s;
    struct wg_survey_call_row c;
    struct wg_survey_sample_row r;
    char *sealed = NULL;
    enum wg_rc rc = wg_survey_load(db, actor, id, &s, err);
    if (rc)
        return rc;
    if (strcmp(s.row.state, "open"))
        rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is %s", id, s.row.state);
    if (!rc)
        rc = load_call(db, id, cid, &c, &r, &sealed, err);
    if (!rc)
        rc = holder(actor, &c, now, 1, err);
    if (!rc)
        rc = wg_pii_decrypt(keys, sealed, "survey.phone", phone, err);
    if (!rc)
        rc = wg_store_survey_call_revealed(db, cid, now, err);
    if (rc) {
        wg_pii_wipe(*phone);
        *phone = NULL;
    }
    free(sealed);
    wg_survey_unload(&s);
    return rc;
}

enum wg_rc wg_survey_call_reveal(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_actor *actor, long long id, long long cid,
                                 long long now, char **phone, struct wg_err *err)
{
    enum wg_rc rc;
    *phone = NULL;
    IN_TX(db, err, reveal(db, keys, actor, id, cid, now, phone, err));
    return rc;
}

static enum wg_rc record(struct wg_db *db, const struct wg_actor *actor, long long id,
                         long long cid, const json_t *body, long long now, json_t **out,
                         struct wg_err *err)
{
    struct wg_survey s;
    struct wg_survey_call_row c;
    struct wg_survey_sample_row r;
    const char *outcome = NULL, *state = "done";
    char *sealed = NULL, *answers = NULL;
    enum wg_rc rc = wg_survey_load(db, actor, id, &s, err);
    if (rc)
        return rc;
    rc = load_call(db, id, cid, &c, &r, &sealed, err);
    if (!rc)
        rc = holder(actor, &c, now, 0, err);
    if (!rc)
        rc = wg_survey_call_read(s.questions, body, &outcome, err);
    if (!rc && !strcmp(outcome, "reached"))
        answers = json_dumps(json_object_get(body, "answers"), JSON_COMPACT | JSON_SORT_KEYS);
    if (!rc && (!strcmp(outcome, "no_answer") || !strcmp(outcome, "busy")) &&
        r.attempts + 1 < WG_SURVEY_ATTEMPTS)
        state = "pending";
    if (!rc)
        rc = wg_store_survey_call_finish(db, cid, c.sample, outcome, answers, state, outcome, now,
                                         err);
    if (!rc)
        *out = json_pack("{s:I,s:s,s:s,s:I}", "call", (json_int_t)cid, "outcome", outcome,
                         "sample_state", state, "attempts", (json_int_t)(r.attempts + 1));
    free(answers);
    free(sealed);
    wg_survey_unload(&s);
    return rc;
}

enum wg_rc wg_survey_call_record(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 long long cid, const json_t *body, long long now, json_t **out,
                                 struct wg_err *err)
{
    enum wg_rc rc;
    *out = NULL;
    IN_TX(db, err, record(db, actor, id, cid, body, now, out, err));
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
