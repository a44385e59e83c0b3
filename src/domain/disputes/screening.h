/* Dispute screening (矛盾纠纷排查, SPEC §5): each level of the hourglass looks for disputes on a
 * cadence — the county monthly, each town half-monthly, each village (community) weekly, each
 * grid weekly (its worker screens continuously on patrol and records the week's result) — and
 * records what it found. A screening task is one region's (or grid's) period:
 *
 *   level         county, town, village or grid; the region is the code of that level.
 *   period        monthly: the calendar month; half_monthly: the 1st–15th and the 16th to the
 *                 month's end; weekly: Monday to Sunday. Dates are China's days, YYYY-MM-DD.
 *   due_at        the close of the period's last working day on the working calendar (a period
 *                 ending in holidays is due on the last working day inside it; one with no
 *                 working day at all, at the close of the first working day after it).
 *   state         open, then done once a result is recorded. A done task takes a corrected
 *                 result (each result is in the audit log); the version moves on with each.
 *   found         disputes found, 0 to 1,000: 0, nothing found, is a result.
 *   note          0 to 1,000 characters, sealed at rest (it may name people).
 *   disputes      the cases the screening registered or met: ids of cases in the recorder's
 *                 scope, at most found of them, each once.
 *   reminded_at   when the level's staff were told the task is past due (once; 0 until then).
 *
 * Tasks are made by the servers' minute sweep for the period holding the day, once: a task
 * is unique by level, region and period, so servers sharing a store make it once between
 * them, and a later minute finds the period made with one indexed read. */
#ifndef WG_DOMAIN_SCREENING_H
#define WG_DOMAIN_SCREENING_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/calendar/calendar.h"
#include "store/store.h"

#define WG_SCREENING_FOUND_MAX 1000
#define WG_SCREENING_NOTE_MAX  1000 /* characters */

enum wg_screening_cadence {
    WG_SCREENING_OFF,
    WG_SCREENING_WEEKLY,
    WG_SCREENING_HALF_MONTHLY,
    WG_SCREENING_MONTHLY,
};

enum wg_screening_level {
    WG_SCREENING_COUNTY,
    WG_SCREENING_TOWN,
    WG_SCREENING_VILLAGE,
    WG_SCREENING_GRID,
    WG_SCREENING_LEVELS,
};

/* The cadence of each level (server setting screening_cadence). */
struct wg_screening_config {
    enum wg_screening_cadence at[WG_SCREENING_LEVELS];
};

extern const char *const wg_screening_fields[]; /* a result's keys: found, note, disputes */

const char *wg_screening_level_name(enum wg_screening_level l); /* "county" … "grid" */
const char *wg_screening_cadence_name(enum wg_screening_cadence c);

/* county=monthly, town=half_monthly, village=weekly, grid=weekly. */
void wg_screening_defaults(struct wg_screening_config *c);
/* "level=cadence,...": the levels named take the cadence given (monthly, half_monthly,
 * weekly, off), the others keep theirs. Anything else is WG_EINVAL naming the setting and
 * the part at fault; *c is unchanged on an error. */
enum wg_rc wg_screening_set_cadence(struct wg_screening_config *c, const char *spec,
                                    struct wg_err *err);

/* The period of cadence c (not off) holding day (a day number, core/civil.h): its first and
 * last days. */
void wg_screening_period(enum wg_screening_cadence c, int day, int *first, int *last);
/* The close of the last working day of [first, last] (see above), on the lenient calendar: a
 * year with no table yet counts Monday to Friday. A date outside 1990–2100 is WG_EINVAL. */
enum wg_rc wg_screening_due(const struct wg_calendar *cal, int first, int last, long long *due_at,
                            struct wg_err *err);

/* Makes the tasks of the period holding now's day for each level whose cadence is not off:
 * one a region of the level in the store (a grid for "grid"), due as wg_screening_due says.
 * A level whose period has tasks already is left alone unless full is set (full also makes
 * the tasks of regions added since). Written by the committer cm (NULL: on db in a
 * transaction of its own). *made (may be NULL) how many tasks were made. A calendar error
 * names the year; the other levels are made all the same, and the first error is returned. */
enum wg_rc wg_screening_generate(struct wg_db *db, struct wg_committer *cm,
                                 const struct wg_calendar *cal,
                                 const struct wg_screening_config *cfg, long long now, int full,
                                 long *made, struct wg_err *err);

/* Reminds the staff of the level of every open task past due at now, once per task: a grid's
 * grid workers, a village's community staff, a town's or the county's supervisors — each
 * account of that role whose scope covers the region — by a notification
 * "screening_overdue" (domain/notify/notify.h) naming the task, and marks it reminded. Tasks
 * are read a page at a time and each page written by the committer cm (NULL: on db).
 * *count how many tasks were reminded of. */
enum wg_rc wg_screening_remind(struct wg_db *db, struct wg_committer *cm, long long now, int *count,
                               struct wg_err *err);

/* A result's body read without the store: only its keys, found (0–1,000), note (0–1,000
 * characters; *note borrowed from body, NULL when absent) and disputes, an array of at most
 * found case ids, each once, into *ids (owned, always set: json_decref it). Every error names
 * the field, a case as disputes[i]. */
enum wg_rc wg_screening_result_read(const json_t *body, long long *found, const char **note,
                                    json_t **ids, struct wg_err *err);

/* A result recorded on task id (POST /api/v1/screenings/{id}/result) by actor within scope,
 * on the version read. */
struct wg_screening_by {
    long long id, version, now;
    const char *actor;
    const struct wg_scope *scope;
};
/* Reads the body (wg_screening_result_read), checks each case is a real one in scope (else
 * WG_EINVAL naming disputes[i]), finds the task in scope (WG_ENOTFOUND), holds
 * it to the version (WG_EPRECOND) and writes the result, the note sealed; a first result
 * counts the task screened in the figures (case_count.h). *corrected 1 when the task was
 * done already. One transaction (the caller's when one is open); nothing is
 * written on an error. */
enum wg_rc wg_screening_record(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_screening_by *by, const json_t *body, int *corrected,
                               struct wg_err *err);

/* One task in scope (else WG_ENOTFOUND): {id, level, region, region_name, period_start,
 * period_end, due_at, state, found, note (opened), disputes: [{id, number}], done_by,
 * done_at, reminded_at, version}; *version for the ETag. */
enum wg_rc wg_screening_view(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, long long id, json_t **out,
                             long long *version, struct wg_err *err);

/* GET /api/v1/screenings: the tasks in scope under region, of a level and a state (open,
 * done, or overdue: open and past due at now), due from `from` to `to` (YYYY-MM-DD, both
 * days included), by due time then region, limit (1–200, 50) from cursor
 * ("<due_at>.<region>.<id>" of the page before's last). {"screenings", "limit",
 * "next_cursor"}; the tasks without their notes. */
struct wg_screening_query {
    const char *region, *level, *state, *from, *to, *limit, *cursor;
};
enum wg_rc wg_screening_list(struct wg_db *db, const struct wg_scope *scope,
                             const struct wg_screening_query *q, long long now, json_t **out,
                             struct wg_err *err);

#endif
