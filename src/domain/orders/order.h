/* Work orders (工单, SPEC §3): every appeal, from every channel, becomes one order. An order
 * has a number ({county}-{yyyymmdd}-{6-digit sequence}, by the China Standard Time day it
 * was received), a channel, a type, a catalog item, a title and content, the place (an
 * address and a point, located to the grid it lay in when it arrived — kept even if grids
 * are later adjusted), an urgency, and the reporter, whose name and phone are sealed
 * (domain/accounts/pii.h) and found again by a blind index; an anonymous order keeps no reporter,
 * and a confidential one (保密件) never shows its reporter to units. Its state starts at received;
 * every change is a timeline event with actor and time, and the version counts changes so that
 * concurrent edits are detected (If-Match). */
#ifndef WG_DOMAIN_ORDER_H
#define WG_DOMAIN_ORDER_H

#include <jansson.h>
#include <stdatomic.h>

#include "core/err.h"
#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"
#include "domain/map/locate.h"
#include "domain/orders/order_fsm.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "store/store.h"
#include "store/orders/orders_q.h"

/* SPEC §9 value lists; NULL-terminated. */
extern const char *const wg_order_channels[];
extern const char *const wg_order_types[];
extern const char *const wg_order_urgencies[];
/* The special lines of route_line (SPEC §9); NULL-terminated. */
extern const char *const wg_order_lines[];
/* How a unit reached (or tried to reach) the reporter, for contact; NULL-terminated. */
extern const char *const wg_order_contact_means[];
/* 1 when s is one of list's values. */
int wg_order_value_in(const char *const *list, const char *s);

/* What order operations need besides the store: the keys that seal reporters, the catalog
 * (items and their limits) and the working calendar (deadlines and lights). */
struct wg_order_env {
    const struct wg_pii_keys *keys;
    const struct wg_catalog *catalog;
    const struct wg_calendar *calendar;
    struct wg_dup_cache *dups; /* intake's window of candidates (dup_cache.h), or NULL: the
                                  store's searches */
};

struct wg_order_input {
    const char *channel, *type, *item, *title, *content, *address, *urgency, *county;
    int has_point;
    double lon, lat;
    enum wg_crs crs;
    const char *reporter_name, *reporter_phone;
    int anonymous, confidential;
};

/* The keys of a POST /api/v1/orders body (NULL-terminated; "reporter.name" is a key of the
 * reporter object), which the route refuses any other beside. */
extern const char *const wg_order_fields[];
/* Reads and checks a POST /api/v1/orders body; strings point into body. Errors name the
 * field and say what is accepted. */
enum wg_rc wg_order_parse(const json_t *body, struct wg_order_input *in, struct wg_err *err);

/* Intake comes in two halves, so that a server can do the first on the request's thread and
 * hand only the second to the group committer (store.h):
 *
 *   wg_order_prepare  checks the input against the catalog, locates the point to its grid
 *                     (and the caller's scope), seals the reporter — no store access;
 *   wg_order_insert   inside the caller's transaction: takes the county-day's next number,
 *                     inserts the row and the first timeline event.
 *
 * The order's full-text index entry is made behind it (wg_order_index_pending) by the text
 * indexer (text_index.h), many orders at a time on the index's own connection, and a search
 * first has it index whatever still waits, so every committed order is found.
 * wg_order_create inserts in one transaction of its own. A draft holds the row to insert
 * (strings borrowed from the input, which must outlive it) and, once inserted, its id and
 * number; the clear reporter values it keeps for the answer are wiped by _release. */
struct wg_order_draft {
    struct wg_order_row row; /* id and number set by wg_order_insert */
    char day[9];             /* yyyymmdd in China Standard Time */
    char blind[WG_PII_BLIND_HEX];
    char phone[64]; /* the normalised phone, for the masked answer */
    const char *name;
    char actor_role[16];
    char *dups;       /* duplicate candidates (duplicates.h) as kept, or NULL; owned */
    json_t *dups_all; /* the same as the answer shows them, or NULL; owned */
};
enum wg_rc wg_order_prepare(const struct wg_order_env *env, const struct wg_locator *loc,
                            const struct wg_actor *actor, const struct wg_order_input *in,
                            long long now, struct wg_order_draft *d, struct wg_err *err);
enum wg_rc wg_order_insert(struct wg_db *db, struct wg_order_draft *d, struct wg_err *err);
/* Makes the full-text entries of up to limit orders still without one, oldest first, inside
 * the caller's transaction on the text index's connection (wg_store_search_open); *indexed
 * (may be NULL) receives how many. */
enum wg_rc wg_order_index_pending(struct wg_db *db, int limit, int *indexed, struct wg_err *err);
void wg_order_draft_release(struct wg_order_draft *d);
/* The inserted draft as wg_order_json would read it back for actor, timeline included,
 * without reading the store. */
json_t *wg_order_draft_json(const struct wg_order_env *env, const struct wg_actor *actor,
                            const struct wg_order_draft *d);
/* The same as JSON text (malloc'd, *len its length), written without a jansson tree. */
char *wg_order_draft_text(const struct wg_order_env *env, const struct wg_actor *actor,
                          const struct wg_order_draft *d, size_t *len);

/* Creates the order in one transaction (number, row, first timeline event). loc may be NULL
 * when the input has no point. *id receives the new order's id. */
enum wg_rc wg_order_create(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_locator *loc, const struct wg_actor *actor,
                           const struct wg_order_input *in, long long now, long long *id,
                           struct wg_err *err);

/* The order as JSON for the given caller: reporter masked (hidden from units on a
 * confidential order), the timeline when with_timeline. WG_ENOTFOUND when the order lies
 * outside the caller's scope. */
enum wg_rc wg_order_json(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, long long id, int with_timeline,
                         json_t **out, struct wg_err *err);
/* Adds to j (order id's JSON for actor) the duplicate candidates found at its intake, each as
 * it is now (`duplicates`, left out when none): the detail has them, and so has a desk's row
 * when the desk is read whole (view=full), for its one-click merge. */
enum wg_rc wg_order_add_duplicates(struct wg_db *db, const struct wg_actor *actor, long long id,
                                   json_t *j, struct wg_err *err);

/* The reporter's clear name and phone of order id, for a caller who will phone them
 * (wg_order_reveal_refusal says who may): *name and *phone are owned, "" when not given;
 * free them with wg_pii_wipe. WG_ENOTFOUND outside the caller's scope; WG_EFORBIDDEN or
 * WG_ECONFLICT with the reason, naming the order. The caller audits the reveal before the
 * values leave (api/orders/reveal.c). */
enum wg_rc wg_order_reveal(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_actor *actor, long long id, char **name, char **phone,
                           struct wg_err *err);

/* The recipient of call requests in the outbox: the relay that reaches the deployment's
 * virtual-number service (隐私号), as SMS and push gateways are reached (notify_worker.h). */
#define WG_ORDER_CALL_PROXY "call_proxy"
/* Where numbers are never shown: queues a request to connect the caller with order id's
 * reporter (kind call_request, to WG_ORDER_CALL_PROXY) in the caller's transaction, after the
 * same checks as wg_order_reveal. The payload names the order and the caller and carries the
 * reporter's phone only as stored, sealed ("reporter_phone_sealed"). */
enum wg_rc wg_order_call_request(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 long long now, struct wg_err *err);

/* The keys an action's JSON body may hold (NULL-terminated): what the action reads, and a
 * note, which the timeline keeps with the rest of the body. */
const char *const *wg_order_action_fields(enum wg_order_action a);

/* Takes the action (SPEC §9, parsed where it came in: wg_fsm_action_parse) on order id with the
 * action's JSON body, if the order is still at `version` (If-Match): WG_EPRECOND when another
 * change came first, WG_ECONFLICT listing the allowed actions when the state does not allow it,
 * WG_EFORBIDDEN when the role may never take it, WG_ENOTFOUND outside the caller's scope. On
 * success *out is the order. */
enum wg_rc wg_order_act(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, long long id, enum wg_order_action action,
                        const json_t *body, int version, long long now, json_t **out,
                        struct wg_err *err);
/* The same inside the caller's transaction (a group commit's job), without the answer: the
 * caller reads the order with wg_order_json once the change is committed. */
enum wg_rc wg_order_act_in(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_actor *actor, long long id, enum wg_order_action action,
                           const json_t *body, int version, long long now, struct wg_err *err);

/* Supervises every open order whose reply deadline has passed (SPEC §3: red orders are
 * supervised automatically), once each, as the system's supervisor; *count receives how many.
 * The orders are read on db; each one's supervision, its mark and its notice are one job of
 * the group committer c (store.h), kept or undone together, and only a few of the sweep's
 * jobs are in the committer at once, so intake beside a long sweep waits no longer than
 * usual. An order that changed since it was read (another server's sweep came first, or its
 * unit replied) is left to the next sweep. Once *stop (may be NULL) is set, the sweep ends
 * as soon as its jobs in the committer are answered. */
enum wg_rc wg_order_sweep_red(struct wg_db *db, struct wg_committer *c,
                              const struct wg_order_env *env, long long now, const atomic_int *stop,
                              int *count, struct wg_err *err);

/* Orders in the caller's scope matching the query parameters (state, channel, item, grid,
 * phone — through the blind index —, since, until, q, limit ≤ 1000, offset; unit — the
 * lead or an assisting one —, line — a special line —, light — green, yellow, red, as the
 * order's answer shows it at this moment), newest first, as a JSON array of summaries. An
 * account scoped to a unit sees the orders its unit leads or assists. Bad parameters are
 * WG_EINVAL naming the parameter. */
struct wg_order_query {
    const char *state, *channel, *item, *grid, *phone, *since, *until, *q, *limit, *offset;
    const char *unit, *line, *light;
    const char *supervised; /* "1": only orders ever supervised (督办); "0" or NULL: any */
    const char *sort, *cursor, *view; /* the desks' (wg_order_desk) */
};
/* The desks at a province's scale (migration 29): the list without offset. state may list
 * several states ("received,returning"); supervised=1 keeps the orders ever supervised
 * (督办); sort is deadline (nearest first; orders without one after, oldest first),
 * urgency (critical, urgent, normal, each by deadline), newest or age (oldest first) — by
 * default deadline when a state, light or supervised filter is given and no words or phone,
 * else newest; cursor is the next_cursor of the page before. Each page reads one index
 * range per state and urgency from the cursor, so it costs the same at any depth.
 * {"orders": [...], "sort", "limit", "total", "total_exact", "counts" (per state, for lists
 * of states), "next_cursor" (null on the last page)}; view=full gives each order as
 * GET /api/v1/orders/{id} does, without its timeline. A bad cursor is WG_EINVAL naming it. */
enum wg_rc wg_order_desk(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q, json_t **out,
                         struct wg_err *err);

/* A desk cursor: the last row of a page in the list's order, and a fingerprint of the list's
 * filters, so that a cursor is taken only by the list it came from. Opaque to clients
 * (base64url text). */
struct wg_desk_cursor {
    char sort; /* 'd' deadline, 'u' urgency, 'n' newest, 'a' age */
    int rank;  /* the urgency's rank (0 critical, 1 urgent, 2 normal) */
    long long due, id;
    char created_at[32];
    unsigned fingerprint;
};
/* Writes c as the cursor's text (NUL-terminated) into out. */
void wg_desk_cursor_encode(const struct wg_desk_cursor *c, char *out, size_t n);
/* Reads a cursor's text; WG_EINVAL naming 'cursor' and what is wrong with it. */
enum wg_rc wg_desk_cursor_decode(const char *text, struct wg_desk_cursor *c, struct wg_err *err);

/* Working time left before a deadline at now, or past it: in minutes, and as whole days and
 * the hours left over, working days of the calendar's working minutes — natural days and
 * hours for urgent and critical orders, whose limits run on natural time. */
struct wg_remaining {
    long long minutes;
    int days, hours;
    int overdue; /* now is past the deadline: the figures count how far */
    int natural; /* counted on natural time */
};
void wg_order_remaining(const struct wg_calendar *cal, const char *urgency, long long deadline,
                        long long now, struct wg_remaining *out);
/* The deadline and the working time left to it, as {"deadline", "remaining": {"minutes",
 * "days", "hours", "overdue", "working"}}, set into j. */
void wg_order_remaining_json(const struct wg_calendar *cal, const char *urgency, long long deadline,
                             long long now, json_t *j);
enum wg_rc wg_order_list(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q, json_t **out,
                         struct wg_err *err);
/* The same list as CSV that opens correctly in Excel: UTF-8 with a BOM, CRLF line ends,
 * every field quoted. *out is owned. */
enum wg_rc wg_order_csv(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, const struct wg_order_query *q, char **out,
                        size_t *len, struct wg_err *err);

#endif
