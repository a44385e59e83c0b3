/* Assessment (考核评价, issue 22): each month every grid, grid worker, unit and town in a
 * supervisor's scope is scored against its kind's scheme, and the results, once frozen, make
 * the grid classes, the rankings and the year's 双星双优 shortlist.
 *
 * Scheme (scheme.c): one per kind (grid, worker, unit, town), monthly. A rule tree: groups,
 * each {code, name, score, items}, whose scores add up to 100 and each group's to its items';
 * each item {code, name, score (its standard), method, metric, formula}: method `computed`
 * (from a named metric, metric.c, with a formula: {"type":"rate","target":t} gives score ×
 * min(1, value / t), full score when nothing was due; {"type":"count","per":p} gives
 * min(score, count × p)), `self` (entered by the object's own people, then reviewed) or
 * `reviewer` (entered by a supervisor with a reason); bonus items (加分项) of the same form,
 * whose total is capped by bonus_cap (10); the class thresholds classes {A, B} (90, 75) and,
 * for grids, the share of grids at B or above aimed at (b_share_target, 0.9). Codes are unique
 * in the scheme (1 to 16 of A-Z a-z 0-9 . _ -). The built-in template (version 0) is
 * 50 网格运行 + 30 履职 + 20 作风; a district edits it under its version (WG_ECONFLICT on a lost
 * race), the whole scheme checked, every error naming the field; each version is kept.
 *
 * Result (run.c): one per kind, month (YYYY-MM), region and object, made a draft by a run
 * (POST /api/v1/assessments): its items with their figures (value, numerator, denominator,
 * the ids of the records behind it and a console link), computed points, self and reviewer
 * scores, reasons and evidence; the scheme version it was computed with. A run again over a
 * draft recomputes the figures and keeps what people entered; a frozen result is left as it
 * is. An item's score is the first of: a correction, the reviewer's, the self score, the
 * computed points (0 for none). Total = the groups' items + the bonus items up to the cap;
 * class A at or above classes.A, B at or above classes.B, else C. States: draft → frozen
 * (no more entries); a frozen result changes only by a correction (a reason required), whose
 * old and new values stay in the result's history with every other change.
 *
 * Who: results are read in one's region scope (a unit's handlers read their unit's); runs,
 * reviewer scores, freezing and corrections need assess_write in scope; a self score is the
 * object's own people's: a grid's workers and community staff (a scope of the grid's village
 * or below holding it), the worker themself, the unit's handlers, the town's community staff. */
#ifndef WG_DOMAIN_ASSESS_H
#define WG_DOMAIN_ASSESS_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "domain/calendar/calendar.h"
#include "store/assess/assess_q.h"
#include "store/store.h"

#define WG_ASSESS_GROUPS_MAX 10
#define WG_ASSESS_ITEMS_MAX  30  /* items of a group, and bonus items */
#define WG_ASSESS_NAME_MAX   40  /* characters */
#define WG_ASSESS_REASON_MAX 500 /* characters */
#define WG_ASSESS_EVIDENCE   10  /* references of an item */
#define WG_ASSESS_REF_MAX    200 /* characters of a reference */
#define WG_ASSESS_LINKS      20  /* record ids kept with a figure */

extern const char *const wg_assess_kinds[];          /* grid, worker, unit, town */
extern const char *const wg_assess_scheme_fields[];  /* a scheme's body */
extern const char *const wg_assess_run_fields[];     /* kind, period */
extern const char *const wg_assess_item_fields[];    /* version, self, reviewer, reason, evidence */
extern const char *const wg_assess_correct_fields[]; /* version, code, score, reason */
extern const char *const wg_assess_freeze_fields[];  /* kind, period (a month) or version */

/* ---- scheme.c ---- */

/* The built-in template of a kind (returns owned). */
json_t *wg_assess_scheme_default(const char *kind);
/* body checked as a scheme of kind (see above), without the store (the fuzz target's entry):
 * *out the scheme as stored (returns owned). Every error names the field ('groups[1].items[0].
 * metric'). */
enum wg_rc wg_assess_scheme_check(const char *kind, const json_t *body, json_t **out,
                                  struct wg_err *err);
/* The scheme in force of kind ({kind, version, …}; version 0 the built-in template). */
enum wg_rc wg_assess_scheme_get(struct wg_db *db, const char *kind, json_t **out,
                                struct wg_err *err);
/* A version of kind's scheme (0: the built-in one). */
enum wg_rc wg_assess_scheme_at(struct wg_db *db, const char *kind, long long version, json_t **out,
                               struct wg_err *err);
/* PUT /api/v1/assessments/schemes/{kind}: body {version (the one read), groups, bonus,
 * bonus_cap, classes, b_share_target, name}; stored as the next version. */
enum wg_rc wg_assess_scheme_put(struct wg_db *db, const struct wg_actor *actor, const char *kind,
                                const json_t *body, long long now, struct wg_err *err);
/* A kind name, else WG_EINVAL naming field. */
enum wg_rc wg_assess_kind(const char *kind, const char *field, struct wg_err *err);

/* ---- metric.c: the figures ---- */

struct wg_assess_metric {
    const char *name, *label;
    int rate;        /* 1 a share (0..1), 0 a count */
    unsigned kinds;  /* bits of wg_assess_kinds' indexes */
    const char *doc; /* how it is counted */
};
extern const struct wg_assess_metric wg_assess_metrics[]; /* ends with name NULL */
const struct wg_assess_metric *wg_assess_metric_find(const char *name);
int wg_assess_kind_index(const char *kind); /* -1 for none */

struct wg_assess_figs;
/* The month's records of kind's objects in codes [lo, hi) gathered once (the month starting
 * on CST day first; working days counted up to now's day). */
enum wg_rc wg_assess_figs_new(struct wg_db *db, const struct wg_calendar *cal, const char *kind,
                              const char *lo, const char *hi, int first, long long now,
                              struct wg_assess_figs **out, struct wg_err *err);
void wg_assess_figs_free(struct wg_assess_figs *f);
/* The figure of one object (its key and region) for a metric: {metric, label, value (null
 * with nothing to count for a share), num, den, detail, records, ids, url}. Returns owned. */
json_t *wg_assess_figure(const struct wg_assess_figs *f, const char *key, const char *region,
                         const char *metric);

/* ---- result.c: scoring, pure ---- */

/* An item's points from its figure by its formula (see above), to 0.1. */
double wg_assess_points(const json_t *item, const json_t *figure);
/* An item's score: correction, reviewer, self, computed, else 0. */
double wg_assess_item_score(const json_t *item);
/* Totals of a result's items (each with "group": a code or "bonus") under scheme: *total and
 * *cls; each group's and the bonus's got into groups when not NULL ({code: got}). */
void wg_assess_total(const json_t *items, const json_t *scheme, double *total, char cls[2],
                     json_t *groups);
/* The class of a total under scheme's thresholds. */
const char *wg_assess_class(const json_t *scheme, double total);
/* A grid worker's stars (0–5) from a total: 95, 90, 80, 70, 60. */
int wg_assess_stars(double total);

/* ---- run.c: the month's run, the results and their changes ---- */

/* POST /api/v1/assessments {kind, period}: a draft result for every object of kind in the
 * actor's scope (see above). *out {kind, period, scheme_version, objects, created, updated,
 * frozen}. One transaction. A grid worker no grid team names is named by the account's real
 * name, masked (keys unseal it; NULL keeps the username). */
struct wg_pii_keys;
enum wg_rc wg_assess_run(struct wg_db *db, const struct wg_calendar *cal,
                         const struct wg_pii_keys *keys, const struct wg_actor *actor,
                         const json_t *body, long long now, json_t **out, struct wg_err *err);
/* Reads a month, YYYY-MM not after now's month, into *first (its first CST day). */
enum wg_rc wg_assess_period(const char *text, const char *field, long long now, int *first,
                            struct wg_err *err);
/* One result the actor sees (else WG_ENOTFOUND) with its items, groups, history. */
enum wg_rc wg_assess_view(struct wg_db *db, const struct wg_actor *actor, long long id,
                          json_t **out, struct wg_err *err);
/* GET /api/v1/assessments?kind=&period=&region=: {results: [{id, object, name, region, total,
 * class, state, stars}], summary (grids: classes per town and the whole, share at B or above
 * against the target)}. */
struct wg_assess_query {
    const char *kind, *period, *region, *state;
};
enum wg_rc wg_assess_list(struct wg_db *db, const struct wg_actor *actor,
                          const struct wg_assess_query *q, long long now, json_t **out,
                          struct wg_err *err);
/* PUT …/{id}/items/{code}: {version, self, reviewer, reason, evidence} (see above). */
enum wg_rc wg_assess_item_put(struct wg_db *db, const struct wg_actor *actor, long long id,
                              const char *code, const json_t *body, long long now,
                              struct wg_err *err);
/* The body of an item's entry read without the store (the fuzz target's): *version, and
 * which of self/reviewer/evidence it sets. */
enum wg_rc wg_assess_item_read(const json_t *body, long long *version, struct wg_err *err);
/* POST …/{id}/freeze {version}: a draft frozen. */
enum wg_rc wg_assess_freeze(struct wg_db *db, const struct wg_actor *actor, long long id,
                            const json_t *body, long long now, struct wg_err *err);
/* POST /api/v1/assessments/freeze {kind, period}: every draft of the month in scope; *n. */
enum wg_rc wg_assess_freeze_month(struct wg_db *db, const struct wg_actor *actor,
                                  const json_t *body, long long now, int *n, struct wg_err *err);
/* POST …/{id}/corrections {version, code, score, reason}: a frozen result's item corrected. */
enum wg_rc wg_assess_correct(struct wg_db *db, const struct wg_actor *actor, long long id,
                             const json_t *body, long long now, struct wg_err *err);
/* The region range [lo, hi) a read covers: want within the actor's scope, or the actor's. */
enum wg_rc wg_assess_range(const struct wg_actor *actor, const char *want, char lo[32], char hi[32],
                           struct wg_err *err);
/* 1 when the actor sees the result. */
int wg_assess_sees(const struct wg_actor *actor, const struct wg_assess_row *r);

/* ---- award.c ---- */

/* GET /api/v1/assessments/rankings?kind=&period=: the results in scope best first with rank,
 * stars (workers) and the order indicators (units, grids and towns). */
enum wg_rc wg_assess_rankings(struct wg_db *db, const struct wg_actor *actor, const char *kind,
                              const char *period, long long now, json_t **out, struct wg_err *err);
/* GET /api/v1/assessments/awards?year=: the 双星双优 shortlist from the year's frozen results:
 * 星级网格中心 (towns), 星级网格 (grids), 优秀网格中心干部 (the community staff of the
 * starred towns), 优秀网格员 (workers): averages at or above the A threshold, no month at C. */
enum wg_rc wg_assess_awards(struct wg_db *db, const struct wg_actor *actor, const char *year,
                            long long now, json_t **out, struct wg_err *err);

/* ---- sample_assess.c: the demo ---- */

/* The grid workers' patrols of last month and this one (sealed as patrols are, keys), the
 * district's edit of the grid template, last month's results frozen (self scores, some
 * reviews and bonus points, one correction) and this month's drafts, for every kind over
 * county, by the supervisor account `by`. *made results; a store holding results already is
 * left as it is. */
struct wg_pii_keys;
enum wg_rc wg_assess_sample(struct wg_db *db, const struct wg_calendar *cal,
                            const struct wg_pii_keys *keys, const char *county, const char *by,
                            long long now, int *made, struct wg_err *err);

#endif
