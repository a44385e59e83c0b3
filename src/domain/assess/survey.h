/* Telephone surveys of safety (安全感) and satisfaction (满意度) (issue 22, seed 002: the
 * district phones a sample of residents every two months). A survey round is:
 *
 *   title       1 to 100 characters (2026年第6期群众安全感电话调查).
 *   kind        safety | satisfaction | other.
 *   scope       the region it covers (a county or a town), in its maker's scope; fixed.
 *   period      period_from..period_to, dates (YYYY-MM-DD), from before to at most a year on.
 *   questions   1 to 30, each {text (1–200 characters), kind, required (default true)}:
 *               single: 2 to 10 options {label (1–20 characters, each once), score (0–100),
 *               positive (counts as safe/satisfied; default score >= 60)}; yesno; text (an
 *               answer of at most 200 characters, never required). Questions are numbered
 *               q1, q2, … in order. The key question — the one marked key, else the first
 *               single — gives each respondent's score and whether they are satisfied/safe.
 *   state       draft (the questionnaire may change: PUT under its version) → open (calls
 *               are taken; needs a sample) → closed. Every change names the version read and
 *               is refused (WG_ECONFLICT) when another came first.
 *
 * Its sample (survey_sample.c) is drawn stratified by town from a frame — the registry's
 * persons with a phone, or the reporters of orders (not anonymous) received in the last days —
 * in the survey's scope, each phone once (deduplicated by its blind index, domain/accounts/
 * pii.h): per_town numbers from each town, or a total shared among the towns in proportion
 * to their phones (largest remainders). The draw is a function of the frame and the seed, so
 * the same seed over the same frame draws the same phones. A phone is sealed again under the
 * survey's own context ("survey.phone"); lists show only its masked form. The sample may be
 * drawn again while no call was made.
 *
 * Calls (survey_call.c): an agent claims the next number (never two agents the same: one
 * statement claims it, PostgreSQL skipping rows another claim is taking) for
 * WG_SURVEY_CLAIM_SECONDS; a claim not recorded by then may be taken by another agent (the
 * old call is then lapsed). The phone is revealed to the claim's holder alone, while it holds
 * (audited by the API). The outcome — reached (with answers, each checked against its
 * question), refused, no_answer, busy, wrong_number — settles the number; no_answer and busy
 * put it back until WG_SURVEY_ATTEMPTS attempts were made.
 *
 * Results (survey_result.c): per region (the scope, each town, each village with at least
 * `min` answers) the response rate (reached / numbers called at least once, settled), the
 * mean key score, and the share satisfied/safe with its 95% Wilson score interval; each
 * question's distribution; the towns ranked by the share, those with fewer than min answers
 * listed apart and not ranked.
 *
 * Who: the survey is seen (assess_read) by accounts whose region scope holds it or lies in
 * it; it is made, edited, opened, closed and sampled with assess_write; calls take
 * survey_call. */
#ifndef WG_DOMAIN_ASSESS_SURVEY_H
#define WG_DOMAIN_ASSESS_SURVEY_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "store/assess/survey_q.h"
#include "store/store.h"

#define WG_SURVEY_TITLE_MAX     100
#define WG_SURVEY_QUESTIONS_MAX 30
#define WG_SURVEY_TEXT_MAX      200 /* a question's text, a text answer */
#define WG_SURVEY_OPTIONS_MAX   10
#define WG_SURVEY_LABEL_MAX     20
#define WG_SURVEY_SAMPLE_MAX    20000   /* numbers a sample holds at most */
#define WG_SURVEY_FRAME_MAX     1048576 /* phones a frame is read into memory at most */
#define WG_SURVEY_CLAIM_SECONDS 900
#define WG_SURVEY_ATTEMPTS      3
#define WG_SURVEY_MIN_DEFAULT   30 /* answers a region needs to be ranked */

extern const char *const wg_survey_fields[];        /* a new survey's keys */
extern const char *const wg_survey_edit_fields[];   /* a draft's change */
extern const char *const wg_survey_action_fields[]; /* action */
extern const char *const wg_survey_sample_fields[]; /* frame, per_town, total, seed, days */
extern const char *const wg_survey_call_fields[];   /* outcome, answers */

/* A questionnaire read without the store (the fuzz target's entry): title, kind, period and
 * questions (scope when with_scope) checked, each error naming the field
 * ("'questions[2].options[1].score' …"). *questions is the normalised array (ids, required,
 * positive and key filled in; returns owned: json_decref it). */
struct wg_survey_draft {
    const char *title, *kind, *scope, *period_from, *period_to; /* borrowed from body */
    json_t *questions;
};
enum wg_rc wg_survey_read(const json_t *body, int with_scope, struct wg_survey_draft *d,
                          struct wg_err *err);
/* The answers of a reached call checked against the stored questions: an object whose keys are
 * question ids; single: an option's index; yesno: true or false; text: a text. Every required
 * question answered. Errors name 'answers.q3'. */
enum wg_rc wg_survey_answers_check(const json_t *questions, const json_t *answers,
                                   struct wg_err *err);
/* A call's body without the store: outcome (one of five), answers only with reached (and
 * then checked against questions). */
enum wg_rc wg_survey_call_read(const json_t *questions, const json_t *body, const char **outcome,
                               struct wg_err *err);

enum wg_rc wg_survey_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                            long long now, long long *id, struct wg_err *err);
enum wg_rc wg_survey_update(struct wg_db *db, const struct wg_actor *actor, long long id,
                            long long version, const json_t *body, long long now,
                            struct wg_err *err);
/* {action: open|close} at version. */
enum wg_rc wg_survey_act(struct wg_db *db, const struct wg_actor *actor, long long id,
                         long long version, const json_t *body, long long now, struct wg_err *err);
enum wg_rc wg_survey_view(struct wg_db *db, const struct wg_actor *actor, long long id,
                          json_t **out, long long *version, struct wg_err *err);
struct wg_survey_query {
    const char *kind, *state, *limit, *cursor;
};
enum wg_rc wg_survey_list(struct wg_db *db, const struct wg_actor *actor,
                          const struct wg_survey_query *q, json_t **out, struct wg_err *err);

/* The survey's row the actor sees (else WG_ENOTFOUND); its texts copied (free them with
 * wg_survey_unload). */
struct wg_survey {
    struct wg_survey_row row;
    char *title, *questions_text;
    json_t *questions;
};
enum wg_rc wg_survey_load(struct wg_db *db, const struct wg_actor *actor, long long id,
                          struct wg_survey *s, struct wg_err *err);
void wg_survey_unload(struct wg_survey *s);
/* The key question's index in questions. */
size_t wg_survey_key(const json_t *questions);
/* The grid prefix both the actor's scope and code cover (the longer), into out. */
void wg_survey_prefix(const struct wg_actor *actor, const char *code, char out[32]);
/* The name of a region code; the code itself when it is gone. */
void wg_survey_place_name(struct wg_db *db, const char *code, char *out, size_t n);

/* ---- survey_sample.c ---- */

/* One phone of a frame. */
struct wg_survey_unit {
    long long id;
    char grid[20];
    char blind[40];
};
/* A draw: units (sorted here) deduplicated by blind index (the first by grid and id kept),
 * grouped by town (the grid's first 9 digits); per_town (> 0) from each town, or total
 * shared in proportion (largest remainders, ties to the town first in code order), never
 * more than a town has; inside each town a partial Fisher–Yates shuffle driven by a
 * SplitMix64 stream of seed. *chosen (returns owned: free it) holds indexes into units, by
 * town; *nchosen their count; *kept the phones left after the duplicates. */
enum wg_rc wg_survey_draw(struct wg_survey_unit *units, size_t n, long long per_town,
                          long long total, uint64_t seed, size_t **chosen, size_t *nchosen,
                          size_t *kept, struct wg_err *err);
/* POST /api/v1/surveys/{id}/sample: {frame, per_town | total, seed (absent: from now), days
 * (orders: 1–365, 60)}; replaces the sample while no call was made (else WG_ECONFLICT).
 * {survey, frame, seed, frame_size, unique, drawn, towns: [{code, name, frame, drawn}]}. */
enum wg_rc wg_survey_sample(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_actor *actor, long long id, const json_t *body,
                            long long now, json_t **out, struct wg_err *err);
/* GET …/sample: {towns: [{code, name, drawn, done}], numbers: [{id, town, town_name, village,
 * grid, phone (masked), state, attempts, outcome}], next_cursor}. */
enum wg_rc wg_survey_sample_list(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 const char *town, const char *limit, const char *cursor,
                                 json_t **out, struct wg_err *err);

/* ---- survey_call.c ---- */

/* POST …/calls/next: the agent's call still held, else a new claim; {call: {id, sample,
 * town, town_name, village_name, phone (masked), attempts, until, revealed}, survey} or
 * {call: null} when no number is left. */
enum wg_rc wg_survey_call_next(struct wg_db *db, const struct wg_actor *actor, long long id,
                               long long now, json_t **out, long long *call, struct wg_err *err);
/* The clear phone of call cid of survey id for its holder while the claim holds (owned in
 * *phone: wg_pii_wipe it); WG_EFORBIDDEN for another agent, WG_ECONFLICT once recorded or
 * lapsed. */
enum wg_rc wg_survey_call_reveal(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_actor *actor, long long id, long long cid,
                                 long long now, char **phone, struct wg_err *err);
/* POST …/calls/{cid}: {outcome, answers}; {call, outcome, sample_state, attempts}. */
enum wg_rc wg_survey_call_record(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 long long cid, const json_t *body, long long now, json_t **out,
                                 struct wg_err *err);

/* ---- survey_result.c ---- */

/* The 95% Wilson score interval of x successes in n trials (n > 0) into lo, hi. */
void wg_survey_wilson(long long x, long long n, double *lo, double *hi);
/* GET …/results: min (1–1000, WG_SURVEY_MIN_DEFAULT). See above for the shape. */
enum wg_rc wg_survey_results(struct wg_db *db, const struct wg_actor *actor, long long id,
                             const char *min, json_t **out, struct wg_err *err);
/* The results as CSV (UTF-8 with BOM; returns owned in *csv). */
enum wg_rc wg_survey_results_csv(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 const char *min, char **csv, size_t *len, struct wg_err *err);

/* ---- sample_surveys.c: the demo ---- */

struct wg_survey_sample_report {
    int surveys, numbers, calls, reached;
};
/* The demo's surveys over county at now: last round's safety survey, finished and closed,
 * with results in every town; this round's satisfaction survey open with calls under way.
 * Agents "dhy1", "dhy2" (role agent, the county, password). A store holding surveys is left
 * as it is. */
enum wg_rc wg_survey_demo(struct wg_db *db, const struct wg_pii_keys *keys, const char *county,
                          const char *password, long long now, struct wg_survey_sample_report *rep,
                          struct wg_err *err);

#endif
