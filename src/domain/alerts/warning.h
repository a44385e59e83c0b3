/* Early warning over appeals (预警, SPEC §7): situations found in the stream of orders before
 * anyone has to complain again (未诉先办). Five detectors read every order once, in id order,
 * behind intake (warn_feed.h), and keep compact state in memory (warn_detect.h):
 *
 *   cluster      群发: at least min_orders orders of one catalog item within radius_m metres
 *                of each other's newest and within hours hours (5, 300 m, 24 h).
 *   recurrence   多发: the same item in the same grid in at least weeks_hit of the last weeks
 *                weeks (Monday to Sunday, China time), a week counting when it holds at least
 *                per_week orders (3 of 4 weeks, 2 a week).
 *   surge        突发: a day's count n of an item in a town with P(X >= n) < p for X Poisson
 *                with the mean of the baseline_days days before it, (count + 1) / days (one
 *                order of prior, so an item never seen before needs min_orders), and n at
 *                least min_orders (p 0.001, 28 days, 5 orders). The tail is summed upward from
 *                n in log space (warn_surge.c): exact to double precision, no cancellation.
 *   caller       repeat callers: at least min_orders orders from one phone in days days (3,
 *                30); the phone is known by the orders' blind index, never in clear; the
 *                warning shows it masked.
 *   keyword      stability keywords (讨薪, 集体, 聚集, 上访, 堵路, 跳楼, …) in an order's
 *                title or content: red at once, and the place's leaders and supervisors told.
 *
 * A warning, field by field:
 *   kind, item   the detector and the catalog item ("" for a keyword or caller warning whose
 *                orders differ in item).
 *   scope        the region or grid it belongs to, for who may see it: the order's grid
 *                (cluster, recurrence, caller, keyword; the county without one), the town
 *                (surge).
 *   key          the situation: grid (recurrence), town (surge), blind index (caller),
 *                village:word (keyword), "" (cluster: matched by place, within twice the
 *                radius of its first point). One situation has at most one open warning: a
 *                situation under an open warning adds its new orders to it.
 *   level        blue, yellow, red, only ever rising: size at least 1×, 2×, 3× the threshold
 *                (cluster and caller: orders; recurrence: yellow when every week of the
 *                window counts, red when besides it holds 3 orders a week on average;
 *                surge: p below the threshold, its hundredth, its ten-thousandth); keyword
 *                always red. Rising to red tells the leaders and supervisors of the scope.
 *   count        the orders behind it; detail, a JSON object of the facts that raised it.
 *   state        new → judged (an owner account and a note) → handled (by a special order
 *                or a task) → closed; new or judged → false_alarm. Every step is on its
 *                timeline and under the version read (a lost race is WG_ECONFLICT).
 *   owner, note  who answers for it; the note sealed (it may name people).
 *
 * Every threshold is a rule kept in the store (one JSON object with a version) so every
 * server follows the same; the shipped defaults are those above. */
#ifndef WG_DOMAIN_WARNING_H
#define WG_DOMAIN_WARNING_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "store/store.h"

enum wg_warn_kind {
    WG_WARN_CLUSTER,
    WG_WARN_RECUR,
    WG_WARN_SURGE,
    WG_WARN_CALLER,
    WG_WARN_WORDS,
    WG_WARN_KINDS
};
enum wg_warn_level { WG_WARN_BLUE, WG_WARN_YELLOW, WG_WARN_RED };

#define WG_WARN_WORDS_MAX  64
#define WG_WARN_WORD_BYTES 49   /* 16 characters of UTF-8 and the NUL */
#define WG_WARN_NOTE_MAX   1000 /* characters */

const char *wg_warn_kind_name(enum wg_warn_kind k); /* "cluster", "recurrence", ... */
const char *wg_warn_level_name(enum wg_warn_level l);
int wg_warn_level_of(const char *name); /* -1 for none */

struct wg_warn_rules {
    int on[WG_WARN_KINDS];
    int cluster_min, cluster_radius_m, cluster_hours;
    int recur_hit, recur_weeks, recur_per_week;
    double surge_p;
    int surge_days, surge_min;
    int caller_min, caller_days;
    int nwords;
    char words[WG_WARN_WORDS_MAX][WG_WARN_WORD_BYTES];
};

void wg_warn_rules_defaults(struct wg_warn_rules *r);
/* Merges body (GET's shape, any part of it) onto *r: each key known, each value in its range
 * (docs/API.md), else WG_EINVAL naming it as cluster.radius_m; *r unchanged on an error. */
enum wg_rc wg_warn_rules_read(const json_t *body, struct wg_warn_rules *r, struct wg_err *err);
json_t *wg_warn_rules_json(const struct wg_warn_rules *r);
/* The rules in force (the defaults until some are stored) and their version (0: defaults). */
enum wg_rc wg_warn_rules_load(struct wg_db *db, struct wg_warn_rules *r, long long *version,
                              struct wg_err *err);
/* PUT /api/v1/warning-rules: body merged onto the rules in force and stored; *out the rules
 * now with their version. */
enum wg_rc wg_warn_rules_save(struct wg_db *db, const json_t *body, const char *who, long long now,
                              json_t **out, struct wg_err *err);

/* GET /api/v1/warnings: warnings scoped within scope, of kind, level, state (a state or
 * "open"), item, raised since (YYYY-MM-DD, China time), newest first; limit 1–200 (50) before
 * cursor (the last id of the page before). {"warnings", "limit", "next_cursor"}. */
struct wg_warn_query {
    const char *kind, *level, *state, *item, *since, *limit, *cursor;
};
enum wg_rc wg_warning_list(struct wg_db *db, const struct wg_scope *scope,
                           const struct wg_warn_query *q, json_t **out, struct wg_err *err);
/* One warning in scope (else WG_ENOTFOUND) with its orders (at most 500, newest first:
 * number, title, created_at, grid, state) and timeline; *version for the ETag. */
enum wg_rc wg_warning_view(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_scope *scope, long long id, json_t **out,
                           long long *version, struct wg_err *err);

/* POST /api/v1/warnings/{id}/actions: {action, version, owner, note, order}. judge (new →
 * judged; owner an account, note 1–1,000 characters), handle (judged → handled by order, a
 * special order's number in scope), close (handled → closed; a note optional, on the timeline
 * only), false_alarm (new or judged; note required). Every bad field is WG_EINVAL naming it; a step
 * the state does not allow WG_ECONFLICT; another's step since version WG_ECONFLICT. One
 * transaction; nothing is written on an error. *action the action read (for the audit). */
extern const char *const wg_warning_action_fields[];
struct wg_warning_act {
    long long id, now;
    const char *actor;
    const struct wg_scope *scope;
    const struct wg_pii_keys *keys;
};
enum wg_rc wg_warning_act(struct wg_db *db, const struct wg_warning_act *by, const json_t *body,
                          const char **action, struct wg_err *err);
/* The body's parts checked without the store: action one of the four, version 1 or more,
 * note within its size; owner and order present where the action needs them. */
enum wg_rc wg_warning_action_read(const json_t *body, const char **action, long long *version,
                                  const char **owner, const char **note, const char **order,
                                  struct wg_err *err);

/* Marks warning id handled by kind ("task" or "order") ref, by who, from new or judged, on
 * its timeline; WG_ENOTFOUND when it does not exist or lies outside scope (NULL: anywhere),
 * WG_ECONFLICT when its state allows no handling. For the tasks (未诉先办) made from a
 * warning. Runs in the caller's transaction when one is open. */
enum wg_rc wg_warning_handled_by(struct wg_db *db, const struct wg_scope *scope, long long id,
                                 const char *kind, long long ref, const char *who,
                                 struct wg_err *err);

struct wg_report;
struct wg_catalog;
/* The warning's special report (专报, pdf/report.h): what was found and where, the facts that
 * raised it, its judgement and handling, and the orders behind it (at most 500), into r
 * (initialised here; wg_report_release it even on an error). The warning must lie in scope
 * (else WG_ENOTFOUND); cat names its item (NULL: the code alone). */
enum wg_rc wg_warning_report(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_catalog *cat, const struct wg_scope *scope,
                             long long id, long long now, struct wg_report *r, struct wg_err *err);

#endif
