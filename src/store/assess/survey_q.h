/* Telephone surveys (domain/assess/survey.h): typed functions of the store for a survey, its
 * sample of phones and its calls; only src/store/ speaks SQL. The questions are stored as a
 * JSON array, a call's answers as a JSON object. */
#ifndef WG_STORE_SURVEY_Q_H
#define WG_STORE_SURVEY_Q_H

#include "store/store.h"

struct wg_survey_row {
    long long id;
    const char *title, *questions; /* questions: a JSON array */
    char kind[16], scope[20], period_from[11], period_to[11], state[8], frame[12];
    long long seed, sampled_at, version;
    char created_by[64];
    long long created_at, updated_at;
};

struct wg_survey_sample_row {
    long long id, survey;
    char town[20], village[20], grid[20];
    const char *phone; /* sealed ("survey.phone") */
    char phone_blind[40], phone_mask[24], state[8];
    long long attempts;
    char outcome[16], claim_agent[64];
    long long claim_until;
};

struct wg_survey_call_row {
    long long id, survey, sample;
    char agent[64];
    long long started_at, until_at, revealed_at, finished_at;
    char outcome[16];
    const char *answers; /* a JSON object, "" until reached */
};

enum wg_rc wg_store_survey_insert(struct wg_db *db, const struct wg_survey_row *s, long long *id,
                                  struct wg_err *err);
/* Texts valid only during cb; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_survey_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_survey_row *, void *), void *ctx,
                               struct wg_err *err);
struct wg_survey_range {
    const char *lo, *hi; /* scopes [lo, hi) */
    const char *within;  /* or scopes that are a prefix of it */
    const char *kind, *state;
    long long below;
    int limit;
};
enum wg_rc wg_store_survey_list(struct wg_db *db, const struct wg_survey_range *q,
                                int (*cb)(const struct wg_survey_row *, void *), void *ctx,
                                struct wg_err *err);
/* A draft's fields at version; WG_ECONFLICT when it moved on or is no longer a draft. */
enum wg_rc wg_store_survey_update(struct wg_db *db, const struct wg_survey_row *s,
                                  struct wg_err *err);
enum wg_rc wg_store_survey_move(struct wg_db *db, long long id, long long version,
                                const char *state, long long now, struct wg_err *err);
enum wg_rc wg_store_survey_sampled(struct wg_db *db, long long id, const char *frame,
                                   long long seed, long long now, struct wg_err *err);

/* One phone of a frame: the source's id, its grid and blind index (texts borrowed in cb). */
typedef int (*wg_survey_frame_cb)(long long id, const char *grid, const char *blind, void *ctx);
/* frame "registry" (persons) or "orders" (reporters since the ISO time since) in grids
 * [lo, hi), ordered by blind index. */
enum wg_rc wg_store_survey_frame(struct wg_db *db, const char *frame, const char *lo,
                                 const char *hi, const char *since, wg_survey_frame_cb cb,
                                 void *ctx, struct wg_err *err);
/* The sealed phone of a frame's row (owned in *sealed; "" when it has none). */
enum wg_rc wg_store_survey_frame_phone(struct wg_db *db, const char *frame, long long id,
                                       char **sealed, struct wg_err *err);
enum wg_rc wg_store_survey_sample_clear(struct wg_db *db, long long survey, struct wg_err *err);
enum wg_rc wg_store_survey_sample_insert(struct wg_db *db, const struct wg_survey_sample_row *r,
                                         struct wg_err *err);
enum wg_rc wg_store_survey_sample_page(struct wg_db *db, long long survey, const char *town,
                                       long long after, int limit,
                                       int (*cb)(const struct wg_survey_sample_row *, void *),
                                       void *ctx, struct wg_err *err);
enum wg_rc wg_store_survey_sample_get(struct wg_db *db, long long id,
                                      struct wg_survey_sample_row *r, char **phone,
                                      struct wg_err *err);
/* The sample's numbers by town: cb(town, drawn, done). */
enum wg_rc wg_store_survey_sample_towns(struct wg_db *db, long long survey,
                                        int (*cb)(const char *town, long long n, long long done,
                                                  void *ctx),
                                        void *ctx, struct wg_err *err);
enum wg_rc wg_store_survey_calls_made(struct wg_db *db, long long survey, long long *n,
                                      struct wg_err *err);

/* Claims the next number of survey (see queries.def) for agent until `until`, in grids
 * [lo, hi): *sample its id, 0 when none is left. */
enum wg_rc wg_store_survey_claim(struct wg_db *db, long long survey, const char *agent,
                                 const char *lo, const char *hi, long long now, long long until,
                                 long long *sample, struct wg_err *err);
/* Marks the sample's open calls lapsed and opens a new one; *id its id. */
enum wg_rc wg_store_survey_call_open(struct wg_db *db, long long survey, long long sample,
                                     const char *agent, long long now, long long until,
                                     long long *id, struct wg_err *err);
/* A call (answers owned in *answers); WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_survey_call_get(struct wg_db *db, long long id, struct wg_survey_call_row *c,
                                    char **answers, struct wg_err *err);
/* The agent's open call on the survey still held at now; *id 0 when none. */
enum wg_rc wg_store_survey_call_current(struct wg_db *db, long long survey, const char *agent,
                                        long long now, long long *id, struct wg_err *err);
enum wg_rc wg_store_survey_call_revealed(struct wg_db *db, long long id, long long now,
                                         struct wg_err *err);
/* Records an open call's outcome (WG_ECONFLICT when it was recorded already) and settles its
 * number: state (pending again, or done with outcome) and one attempt more. */
enum wg_rc wg_store_survey_call_finish(struct wg_db *db, long long id, long long sample,
                                       const char *outcome, const char *answers,
                                       const char *sample_state, const char *sample_outcome,
                                       long long now, struct wg_err *err);
/* Every number of the sample: cb(town, village, state, attempts, outcome, answers). */
enum wg_rc wg_store_survey_results(struct wg_db *db, long long survey,
                                   int (*cb)(const char *town, const char *village,
                                             const char *state, long long attempts,
                                             const char *outcome, const char *answers, void *ctx),
                                   void *ctx, struct wg_err *err);

#endif
