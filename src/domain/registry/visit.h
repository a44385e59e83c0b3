/* Visits (走访, SPEC §6): a grid worker's visit to someone of the registry, and the cadence at
 * which the people who need visits are due one.
 *
 * A visit has a subject — a kind and an id: a person, a household or an organization (the
 * kinds are wg_visit_subject_kinds, resolved in one place, visit.c's subject_grid) — the worker who
 * made it (an account's username: the caller, or a grid worker named by a writer whose scope
 * is wider than that worker's), the time (unix seconds, not in the future), the place (a
 * point, optional), the method (door, phone, video), what was said (content, required) and
 * what was found (findings, may be empty). Content and findings speak of people: both are
 * sealed at rest (domain/accounts/pii.h, contexts "visit.content" and "visit.findings"),
 * findings even when empty, and answered in clear only to the visit's worker and whoever
 * recorded it (others reveal them, audited). The grid is the subject's when the visit is recorded,
 * and the visit is in a caller's scope when that grid is. A client's key (client_key, from a phone
 * that recorded the visit without signal) makes a repeated upload the same visit. A finding
 * becomes one order (channel gridworker) in the same transaction as the visit, or later by
 * POST /api/v1/visits/{id}/order; the visit keeps the order's id and the order names the
 * visit (wg_store_order_field_source).
 *
 * Cadence. Each care group and special population has a number of days between visits
 * (wg_cadence_defaults): the high-risk — community correction, drug users, a serious mental
 * disorder at risk level 3 or more — weekly, and within change_hours (24) of a change to
 * their record made after their last visit; the key — released prisoners, key youth, a
 * mental disorder below risk level 3 — monthly (30 days); every care group quarterly (90
 * days); people living alone daily in the regions that chose 日查日访 (daily_regions). A
 * person's cadence is the shortest of their groups'. The next due day is the last visit's
 * day (or, never visited, the day the person was recorded) plus the days, moved on to the
 * next working day of the working calendar (domain/calendar: holidays rest, make-up days
 * work); daily is the next working day. A visit is due by the end of its due day (China
 * time), and overdue after; overdue working days count the working days after the due day
 * up to today. A visit to a person's household counts as a visit to each member. */
#ifndef WG_DOMAIN_REGISTRY_VISIT_H
#define WG_DOMAIN_REGISTRY_VISIT_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "domain/calendar/calendar.h"
#include "domain/registry/person.h"
#include "store/registry/visit_q.h"
#include "store/store.h"

extern const char *const wg_visit_subject_kinds[]; /* person, household, org */
extern const char *const wg_visit_methods[];       /* door, phone, video */
/* The keys of a visit's body (a route's WG_KEYS_LIST). */
extern const char *const wg_visit_fields[];
/* The keys of an order made from a finding ("order" of a visit, or the body of
 * POST /api/v1/visits/{id}/order and /api/v1/patrols/{id}/order). */
extern const char *const wg_visit_order_fields[];

#define WG_VISIT_TEXT_MAX 4000 /* characters of content and of findings */

struct wg_visit {
    long long id;
    char client_key[72];
    char subject_kind[16];
    long long subject_id;
    char grid[32], worker[64], method[8];
    long long visited_at;
    int has_point;
    double lon, lat;
    char *content, *findings; /* clear, owned */
    long long order_id;
    char order_number[40];
    char created_by[64];
    long long created_at;
};
void wg_visit_release(struct wg_visit *v); /* wipes the clear fields */

/* Reads a visit's body into v (zeroed): every message opens with the field it is about.
 * "order" (an object, or true) goes to *order (borrowed; NULL when absent or false). Nothing
 * is read from the store. */
enum wg_rc wg_visit_parse(struct wg_visit *v, json_t *body, long long now, json_t **order,
                          struct wg_err *err);
/* Checks v against the store for actor: the subject exists in the caller's scope (its grid
 * becomes v->grid), and the worker — the caller when v->worker is "" — is a grid worker
 * whose scope covers that grid, named only by a caller of wider scope. WG_EINVAL naming the
 * field otherwise. */
enum wg_rc wg_visit_check(struct wg_db *db, const struct wg_actor *actor, struct wg_visit *v,
                          struct wg_err *err);
/* Seals and inserts v (id set) inside the caller's transaction. A second visit with the
 * same client key from the same caller is WG_ECONFLICT. */
enum wg_rc wg_visit_insert(struct wg_db *db, const struct wg_pii_keys *keys, struct wg_visit *v,
                           long long now, struct wg_err *err);
/* Opens visit id; outside scope it is WG_ENOTFOUND as if it did not exist. */
enum wg_rc wg_visit_load(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_scope *scope, long long id, struct wg_visit *out,
                         struct wg_err *err);
/* The id of the visit created_by recorded under key (0: none). */
enum wg_rc wg_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                              long long *id, struct wg_err *err);
/* The visit as answered to viewer (a username; NULL: anyone may read it all): what was said
 * and found in clear only to the visit's worker and whoever recorded it; to anyone else
 * content and findings are null and "withheld" true — a reveal with a reason opens them. */
json_t *wg_visit_json(const struct wg_visit *v, const char *viewer);

/* A list of visits in scope, newest first: within grid or region, by worker, by subject
 * (subject_kind, subject_id), visited from/to (unix seconds, [from, to)), limit 1..200 (50)
 * from a cursor ("<visited_at>.<id>" of the page before). {"visits": [...], "limit",
 * "next_cursor"}. */
struct wg_visit_query {
    const char *grid, *region, *worker, *subject_kind, *subject_id, *from, *to, *limit, *cursor;
    const char *viewer; /* as wg_visit_json's */
};
enum wg_rc wg_visit_list(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_scope *scope, const struct wg_visit_query *q, json_t **out,
                         struct wg_err *err);

/* An order made from a finding: reads the order's keys (type, default report; item; title,
 * default 走访发现的问题 or 巡查发现的问题; content, default the findings; urgency) into in,
 * placed at lon/lat when has_point, else in the county of grid. Strings borrow from obj and
 * from the texts given. */
struct wg_order_input;
enum wg_rc wg_visit_order_input(const json_t *obj, const char *default_title, const char *findings,
                                const char *grid, int has_point, double lon, double lat,
                                struct wg_order_input *in, char county[8], struct wg_err *err);

/* ---- cadence ---- */
struct wg_committer;
#define WG_CADENCE_GROUPS  13 /* 7 care groups, 5 special populations, mental_high */
#define WG_CADENCE_REGIONS 32
struct wg_cadence {
    int days[WG_CADENCE_GROUPS]; /* 0: no cadence for the group */
    int change_hours;            /* a high-risk person's record changed: due within (24) */
    int ndaily;
    char daily[WG_CADENCE_REGIONS][16]; /* regions where people living alone are visited daily */
};
/* The group names, in the order of days[]: the care groups (person.h), the special
 * populations, then mental_high (a serious mental disorder at risk level 3 or more). */
extern const char *const wg_cadence_groups[];
void wg_cadence_defaults(struct wg_cadence *c);
/* "released=14,hardship=60": each named group's days (0 to 366); anything else is WG_EINVAL
 * naming the group or the value. Unchanged on error. */
enum wg_rc wg_cadence_set(struct wg_cadence *c, const char *spec, struct wg_err *err);
/* "371302001,371311": the regions (codes) that chose 日查日访. */
enum wg_rc wg_cadence_set_daily(struct wg_cadence *c, const char *regions, struct wg_err *err);

struct wg_due {
    int days;         /* the cadence, days */
    int group;        /* the index of the group it comes from */
    long long last;   /* the last visit (person or household); 0: never */
    int due_day;      /* civil day number (China time) */
    long long due_at; /* unix seconds: the end of the due day, or the change's limit */
    int change;       /* due because of a change to a high-risk person's record */
    int overdue;      /* now is past due_at */
    int overdue_days; /* working days after the due day up to today */
};
/* The cadence of person p (special populations opened) last visited at `last` (0: never),
 * at now: 1 with *out filled, 0 when p belongs to no group with a cadence. */
int wg_cadence_due(const struct wg_cadence *c, const struct wg_calendar *cal,
                   const struct wg_person *p, long long last, long long now, struct wg_due *out);

/* The persons due a visit, in scope, by grid or region: status "all" (every person with a
 * cadence, by default; by grid and id from a cursor "<grid>.<id>"), "due" (due by the end of
 * today, or overdue) or "overdue" (only those) — these two soonest due first, from a cursor
 * "t<due_at>.<id>", with "total" counted up to 1,000 and "total_exact"; limit 1..200 (50).
 * The group and the cadence are shown only when they are not a special population's, or
 * with sensitive. {"due": [...], "limit", "next_cursor", "today"[, "total", "total_exact"]}. */
struct wg_due_query {
    const char *grid, *region, *status, *limit, *cursor;
};
enum wg_rc wg_visit_due_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_calendar *cal, const struct wg_cadence *c,
                             const struct wg_scope *scope, const struct wg_due_query *q,
                             int sensitive, long long now, json_t **out, struct wg_err *err);

/* The kept due days (store: migration 38). Every write that may move a person's due day
 * marks their row; wg_visit_due_settle works the marked rows' due days out (a page at a time,
 * each page written by the committer c, or on db when c is NULL) and writes each only if no
 * write marked it again meanwhile. The due days also depend on the cadence and the calendar:
 * when their fingerprint (wg_visit_due_basis) differs from the one the store last settled
 * with, every person is marked first. The lists of the due and the overdue read settled rows
 * by one index range and work the few marked ones out as they read, so they are exact at
 * every moment. *settled receives how many rows were worked out. Servers sharing a store
 * must share the cadence settings and the calendar. */
long long wg_visit_due_basis(const struct wg_calendar *cal, const struct wg_cadence *c);
enum wg_rc wg_visit_due_settle(struct wg_db *db, struct wg_committer *cm,
                               const struct wg_pii_keys *keys, const struct wg_calendar *cal,
                               const struct wg_cadence *c, long long now, long *settled,
                               struct wg_err *err);
/* The overdue visits in scope (grid or region) by grid, for the map: {"grids": [{grid,
 * overdue}], "total", "total_exact", "today"}; counting stops at 100,000. */
enum wg_rc wg_visit_due_grids(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_calendar *cal, const struct wg_cadence *c,
                              const struct wg_scope *scope, const char *grid, const char *region,
                              long long now, json_t **out, struct wg_err *err);

/* Reminds the workers of every overdue visit, once per visit: the household's paired worker,
 * or without one the grid workers whose scope covers the person's grid, each get a
 * notification "visit_due" (domain/notify/notify.h; the payload names the person by id, never
 * by name). The settled overdue rows are read on db a page at a time (the sweep settles
 * first); each page's reminders are written by
 * the committer c (NULL: on db in a transaction of its own). *count receives how many visits
 * were reminded of. */
enum wg_rc wg_visit_remind(struct wg_db *db, struct wg_committer *c, const struct wg_pii_keys *keys,
                           const struct wg_calendar *cal, const struct wg_cadence *cad,
                           long long now, int *count, struct wg_err *err);

#endif
