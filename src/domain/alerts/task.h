/* 未诉先办 tasks (SPEC §7, issue 21): acting on a problem before residents complain about
 * it. A task is opened by an agent or supervisor (alert_review) from one of three origins —
 * a warning (its id; the warning then counts as handled by the task), the month's top problem
 * (an item in a town with the most orders) or a top catalog item — and carries:
 *
 *   topic       1 to 100 characters: what is to be done (整治某小区占道经营).
 *   scope       a region code (county, town, village) or a grid code, in the opener's scope:
 *               where the problem is and where its effect is measured.
 *   items       1 to 10 catalog item codes of the catalog in force, each once: the orders
 *               whose count the task means to bring down.
 *   lead_unit   the unit that leads the work; helpers: 0 to 20 other units that help, each
 *               once. Every unit exists.
 *   measures    1 to 20 measures, each 1 to 500 characters.
 *   deadline    a date (YYYY-MM-DD) from today to two years on; due_at is the close of that
 *               day on the working calendar (of the next working day when it is a holiday).
 *   owner       the account answering for it (an existing one; the opener by default).
 *   state       open → done (complete: the measures are carried out) → closed (close: the
 *               effect is reviewed); open or done → cancelled (cancel, with a reason).
 *               progress notes are taken while it is open. Every move names the version read
 *               and is refused (WG_ECONFLICT) when another came first; each is on the
 *               task's timeline with who, when and the note.
 *
 * Who sees a task: an account whose region scope holds the task's scope, or the handlers of
 * a unit that leads or helps it (a unit scope). Who moves it: alert_review in scope for
 * every move; the handlers of its units may add progress, the lead unit's may complete it.
 *
 * Its effect (task_effect.c) is counted from the indicator counters (domain/stats/stats.h,
 * received per CST day, grid and item), never by scanning orders: the items' orders in scope
 * in the window of days since the task started against the same length before it, and
 * against the same dates a year earlier. */
#ifndef WG_DOMAIN_ALERTS_TASK_H
#define WG_DOMAIN_ALERTS_TASK_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"
#include "store/alerts/task_q.h"
#include "store/store.h"

#define WG_TASK_TOPIC_MAX    100 /* characters */
#define WG_TASK_ITEMS_MAX    10
#define WG_TASK_HELPERS_MAX  20
#define WG_TASK_MEASURES_MAX 20
#define WG_TASK_MEASURE_MAX  500  /* characters */
#define WG_TASK_NOTE_MAX     1000 /* characters */
#define WG_TASK_WINDOW_MAX   365  /* days of an effect's window */

extern const char *const wg_task_fields[];        /* a new task's keys */
extern const char *const wg_task_action_fields[]; /* an action's: action, note */

/* What reading and writing tasks needs beside the store. */
struct wg_task_env {
    const struct wg_calendar *cal;
    const struct wg_catalog *cat;
    const struct wg_pii_keys *keys; /* the timeline's notes are sealed (they may name people) */
};

/* A new task's body read without the store (the fuzz target's entry): only its keys, each
 * field's type, size and form, the items in cat, the deadline's date from today (China time
 * at now) to two years on. Every error names the field; d's texts are borrowed from body
 * (owner "" when absent). */
struct wg_task_draft {
    struct wg_task_row row;
    const char *items[WG_TASK_ITEMS_MAX], *helpers[WG_TASK_HELPERS_MAX];
    const char *measures[WG_TASK_MEASURES_MAX];
    size_t nitems, nhelpers, nmeasures;
};
enum wg_rc wg_task_read(const json_t *body, const struct wg_catalog *cat, long long now,
                        struct wg_task_draft *d, struct wg_err *err);
/* An action's body without the store: action one of progress, complete, close, cancel; note
 * 0 to 1,000 characters, required to progress and to cancel (borrowed from body). */
enum wg_rc wg_task_action_read(const json_t *body, const char **action, const char **note,
                               struct wg_err *err);

/* A new task's body read and checked against the store (see above) and stored open with the
 * first line of its timeline, by actor at now, its lead and helping units told through the
 * outbox ("task_opened", domain/notify/notify.h); *id its id. A bad field is WG_EINVAL naming it;
 * a scope outside the actor's is as unknown as a missing one. One transaction; nothing is
 * written on an error. */
enum wg_rc wg_task_create(struct wg_db *db, const struct wg_task_env *env,
                          const struct wg_actor *actor, const json_t *body, long long now,
                          long long *id, struct wg_err *err);

/* The warnings' side of a task opened from warning (issue 21 item 3, built beside this one):
 * called inside the task's transaction once the task is stored. Today it checks only that
 * the id is a whole number above 0; when warnings land it is where the warning is checked to
 * exist in the opener's scope (WG_EINVAL naming 'warning' when not) and moved to handled by
 * task. */
enum wg_rc wg_task_warning_handled(struct wg_db *db, const struct wg_actor *actor,
                                   long long warning, long long task, long long now,
                                   struct wg_err *err);

/* One task the actor sees (else WG_ENOTFOUND) with its names and timeline; *version for the
 * ETag. */
enum wg_rc wg_task_view(struct wg_db *db, const struct wg_task_env *env,
                        const struct wg_actor *actor, long long id, long long now, json_t **out,
                        long long *version, struct wg_err *err);

/* GET /api/v1/tasks: the tasks the actor sees, of a state, origin, item and unit, newest
 * first, limit (1–200, 50) from cursor (the id of the page before's last). {"tasks",
 * "limit", "next_cursor"}. */
struct wg_task_query {
    const char *state, *origin, *item, *unit, *limit, *cursor;
};
enum wg_rc wg_task_list(struct wg_db *db, const struct wg_actor *actor,
                        const struct wg_task_query *q, long long now, json_t **out,
                        struct wg_err *err);

/* An action {action: progress|complete|close|cancel, note (sealed with keys)} on task id by
 * actor on the version read (see above): WG_EINVAL naming the field, WG_EFORBIDDEN for a move the
 * actor may not make, WG_ECONFLICT for a move the state does not allow or a lost race. */
enum wg_rc wg_task_act(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_actor *actor, long long id, long long version,
                       const json_t *body, long long now, struct wg_err *err);

/* The stored row of a task the actor sees (else WG_ENOTFOUND), its texts topic, helpers and
 * measures left NULL, and its items' JSON array (returns owned in *items: free it). */
enum wg_rc wg_task_load_row(struct wg_db *db, const struct wg_actor *actor, long long id,
                            struct wg_task_row *row, char **items, struct wg_err *err);
/* The name of a region or grid code; the code itself when it is gone. */
void wg_task_place_name(struct wg_db *db, const char *code, char *out, size_t n);

/* ---- task_effect.c ---- */

/* The items' orders received in scope, each CST day of [from, to], into per_day (to - from
 * + 1 counts, zeroed first), from the indicator counters. */
enum wg_rc wg_task_count_days(struct wg_db *db, const char *scope, const char *const *items,
                              size_t nitems, int from, int to, long long *per_day,
                              struct wg_err *err);

/* GET /api/v1/tasks/{id}/effect: days (1–365; absent: the days since the task started,
 * at least 1). {task, scope, items, window_days, after:{from, to, orders}, before:{…},
 * last_year:{…}, change, yoy_change (ratios, null with nothing to compare against), daily:
 * [{date, orders, before, last_year}]}. */
enum wg_rc wg_task_effect(struct wg_db *db, const struct wg_actor *actor, long long id,
                          const char *days, long long now, json_t **out, struct wg_err *err);

/* The items' orders in scope by month, the twelve months to the one holding now:
 * {months: [{month, orders, by_item: {code: n}}]}. */
enum wg_rc wg_task_monthly(struct wg_db *db, const char *scope, const char *const *items,
                           size_t nitems, long long now, json_t **out, struct wg_err *err);

/* GET /api/v1/tasks/suggestions: month (YYYY-MM, required), scope (a code in the actor's;
 * absent: the actor's). {month, scope, top_items: [{item, name, orders, last_month}],
 * top_problems: [{item, name, town, town_name, orders}]}, ten of each by orders. */
enum wg_rc wg_task_suggest(struct wg_db *db, const struct wg_task_env *env,
                           const struct wg_actor *actor, const char *month, const char *scope,
                           json_t **out, struct wg_err *err);

/* The scope prefix a read covers: want (a code, digits) within the actor's scope, or the
 * actor's own when want is absent; a unit scope reads the whole map. A code outside is
 * WG_ENOTFOUND naming field, anything else WG_EINVAL. */
enum wg_rc wg_task_scope_prefix(const struct wg_actor *actor, const char *field, const char *want,
                                char out[32], struct wg_err *err);

struct wg_report;
/* The task's special report (专报): its topic, scope, units, measures, progress, effect and
 * monthly table, into r (initialised here; wg_report_release it even on an error). */
enum wg_rc wg_task_report(struct wg_db *db, const struct wg_task_env *env,
                          const struct wg_actor *actor, long long id, long long now,
                          struct wg_report *r, struct wg_err *err);

/* ---- sample_tasks.c: the demo ---- */

struct wg_task_sample_report {
    int tasks, closed, done, open, progress; /* tasks made, by state; progress notes */
    int leaders, sponsorships, notes;        /* 帮包: leaders made, assignments, notes */
};
/* The demo's 未诉先办 and 帮包 over county at now (seed 000's shape): tasks of the last months
 * opened from the months' top problems and top items (from the counters), some closed with
 * their effect measured, some done, some open with progress; 38 district leaders (accounts
 * "<pinyin name>", role leader, the county, password password) assigned to the 65 grids with
 * most orders last month, for last month to next, with their notes. Written through the
 * same functions as the API; a store that holds tasks already is left as it is. */
enum wg_rc wg_task_sample(struct wg_db *db, const struct wg_task_env *env, const char *county,
                          const char *password, long long now, struct wg_task_sample_report *rep,
                          struct wg_err *err);

#endif
