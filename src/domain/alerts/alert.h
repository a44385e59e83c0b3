/* Alerts (告警, issue 21 item 2; docs/API.md "Devices and alerts"): what cameras, sensors and
 * drones report through an integration key with alert_ingest — a device, a type of problem,
 * a confidence, a time, a point (the device's when none) and a snapshot reference — posted
 * as NDJSON batches (POST /api/v1/alerts).
 *
 * An alert is one problem, however often it was seen: repeats of the same device and type
 * within the window (default 10 minutes), or of the same type within the radius (default
 * 50 m) within the window, merge into it — its count, first and last seen, highest
 * confidence and latest snapshot. The merge is decided inside the writer's transaction
 * (one writer at a time in the whole store, backend.h), against an index of the alerts of
 * the window held in memory (struct wg_alert_merger, alert_merge.c) that is checked against
 * the store's mark (alert_head.seq, moved by every write of alerts or rules, whoever writes)
 * at the start of every batch and reloaded when another connection or server wrote: so
 * concurrent batches, on one server or several sharing a PostgreSQL store, never make two
 * alerts of one problem, and counts add up exactly.
 *
 * States: pending (seen, not yet long or often enough: the rule's dwell), ignored (its
 * highest confidence below the rule's minimum; stored, not acted on), review (waiting in the
 * agents' review queue), ordered (an order was made: order_id), dismissed (a reviewer said
 * no). pending and ignored move on as repeats come in; review moves to ordered or dismissed
 * by a review (alert_review.c), under the version read. When an alert is acted on (review
 * or ordered) the grid's workers and the device's unit are told through the outbox in the
 * same transaction. */
#ifndef WG_DOMAIN_ALERT_H
#define WG_DOMAIN_ALERT_H

#include <jansson.h>
#include <pthread.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "domain/map/locate.h"
#include "domain/orders/order.h"
#include "store/alerts/alert_q.h"
#include "store/alerts/device_q.h"
#include "store/store.h"

#define WG_ALERT_BATCH_MAX    10000 /* lines of one POST: 413 beyond */
#define WG_ALERT_SNAPSHOT_MAX 500   /* bytes of a snapshot reference */
#define WG_ALERT_WINDOW       600   /* seconds: repeats within merge */
#define WG_ALERT_RADIUS       50.0  /* metres: the same type this near merges */
#define WG_ALERT_LIST_MAX     500

/* The types of alert, one table: code, Chinese name, and the shipped rule. */
struct wg_alert_type {
    const char *code, *zh;
    double min_confidence;
    long long dwell_seconds, dwell_count; /* act once last − first ≥ seconds or count ≥ n (0: not
                                             that way; both 0: at once) */
    const char *action;                   /* "order" or "review" */
    const char *item, *urgency;           /* the order's catalog item and urgency */
};
extern const struct wg_alert_type wg_alert_types[]; /* ends with code NULL */
extern const size_t wg_alert_ntypes;
/* The type's index in wg_alert_types, or -1. */
int wg_alert_type_index(const char *code);
extern const char *const wg_alert_states[]; /* pending, ignored, review, ordered, dismissed */

/* The rules in force, one a type (the shipped defaults where the store holds none). */
struct wg_alert_rules {
    struct wg_alert_rule_row r[16];
};
enum wg_rc wg_alert_rules_load(struct wg_db *db, struct wg_alert_rules *out, struct wg_err *err);
/* GET /api/v1/alert-rules: {"rules": [{type, name, min_confidence, dwell_seconds, dwell_count,
 * action, item, urgency, version, default}]} */
enum wg_rc wg_alert_rules_json(struct wg_db *db, json_t **out, struct wg_err *err);
/* PUT /api/v1/alert-rules: {"rules": [{type, …}]} — each rule whole, every field checked and
 * named ("rules[2].min_confidence"), the items against the catalog; all or none, in the
 * caller's transaction or one of its own. */
extern const char *const wg_alert_rule_fields[];
enum wg_rc wg_alert_rules_put(struct wg_db *db, const struct wg_catalog *catalog, const json_t *in,
                              const char *actor, long long now, struct wg_err *err);

/* The merger's settings. */
struct wg_alert_config {
    long long window; /* seconds */
    double radius;    /* metres */
};

/* The server's settings (alert_window_seconds, alert_radius_m in wangge.conf), set once at
 * start before the first batch, and read by the server's merger when it is made. */
void wg_alert_config_set(const struct wg_alert_config *cfg);
void wg_alert_config_get(struct wg_alert_config *out);

/* One line of a batch as parsed, then resolved to its device (grid, unit, point). */
struct wg_alert_line {
    long long line; /* its line in the body */
    char device[64];
    int type; /* index in wg_alert_types */
    double confidence;
    long long at; /* unix seconds */
    int has_point;
    double lon, lat;
    char snapshot[WG_ALERT_SNAPSHOT_MAX + 1];
    /* resolved */
    char grid[24], unit[64], kind[12];
    /* the outcome: the alert it made or merged into */
    long long alert;
    int merged;
};

/* Parses an NDJSON body (len bytes): one JSON object a line, blank lines skipped; at most
 * WG_ALERT_BATCH_MAX (WG_ETOOBIG). A bad line is WG_EINVAL naming its number and the field
 * ("line 3: 'confidence' is a number from 0 to 1"). *out (malloc'd, *n lines) is the caller's. */
enum wg_rc wg_alert_parse_batch(const char *body, size_t len, struct wg_alert_line **out, size_t *n,
                                struct wg_err *err);
/* The fast path of the parse: a line of the plain shape cameras send (ASCII strings without
 * escapes, numbers, a point object, each known key once) read without building a JSON tree;
 * 0 for anything else, which the full parse then reads (and refuses, naming the field).
 * What it accepts it reads exactly as the full parse would (fuzz_alert_batch checks). */
int wg_alert_parse_fast(const char *text, size_t len, struct wg_alert_line *l);
/* The full parse of one line (jansson), every refusal naming its field. */
enum wg_rc wg_alert_parse_full(const char *text, size_t len, struct wg_alert_line *l,
                               struct wg_err *err);
/* ISO 8601 with an offset (2026-12-07T08:05:41+08:00, …Z, fractions ignored) as unix seconds;
 * -1 when it is not one. */
long long wg_alert_parse_time(const char *s);

/* A server's copy of every device, read again whenever the store's device epoch moved (any
 * server's write of a device moves it): a batch's devices are then found in memory, with one
 * read of the epoch a batch. Shared by request threads (its own lock). */
struct wg_alert_devices;
struct wg_alert_devices *wg_alert_devices_new(void);
void wg_alert_devices_free(struct wg_alert_devices *c);

/* Resolves each line's device (known, not retired, else WG_EINVAL naming the line and
 * 'device'), its grid and unit, and locates a line's own point (outside every grid:
 * WG_EINVAL naming the line and 'point'). Reads only: from the copy c, or the store itself
 * one device at a time when c is NULL. */
enum wg_rc wg_alert_resolve(struct wg_db *db, struct wg_alert_devices *c,
                            const struct wg_locator *loc, struct wg_alert_line *lines, size_t n,
                            struct wg_err *err);

/* The writer's index of the window's alerts (alert_merge.c). One a process and store; its
 * own lock, so tests without a committer may share it between threads. */
struct wg_alert_merger;
struct wg_alert_merger *wg_alert_merger_new(const struct wg_alert_config *cfg);
void wg_alert_merger_free(struct wg_alert_merger *m);
/* Statistics: how often the index was reloaded from the store, alerts it holds. */
void wg_alert_merger_stats(struct wg_alert_merger *m, long long *reloads, long long *held);

/* What the ingest's transaction needs to act on an alert: orders are made as intake makes
 * them (order.h), by actor, on the channel of the device's kind (video or sensor). */
struct wg_alert_act_env {
    const struct wg_order_env *orders; /* NULL: alerts whose rule says order wait for review */
    const struct wg_locator *loc;
    const struct wg_actor *actor;
};

/* Inside the caller's transaction (the committer's job): merges the resolved lines into the
 * store's alerts, writes the new and changed ones in one statement, applies the rules
 * (orders made, review queued, grid workers and unit told) and moves the mark. Each line's
 * alert and merged are set. *made (may be NULL) counts the new alerts. */
enum wg_rc wg_alert_ingest(struct wg_db *db, struct wg_alert_merger *m,
                           const struct wg_alert_act_env *env, struct wg_alert_line *lines,
                           size_t n, long long now, long long *made, struct wg_err *err);

/* The answer of an ingest: {"alerts": n, "new": k, "merged": n − k, "results": [{line, alert,
 * merged}]}. */
json_t *wg_alert_batch_json(const struct wg_alert_line *lines, size_t n);

/* ---- reading and reviewing (alert_review.c) ---- */
/* Whether the caller sees an alert or device of grid and unit: a region scope its grids, a
 * unit scope its own. */
int wg_alert_visible(const struct wg_scope *scope, const char *grid, const char *unit);
json_t *wg_alert_json(const struct wg_alert_row *a);
struct wg_alert_query {
    const char *state, *type, *grid, *since, *limit, *offset;
};
enum wg_rc wg_alert_list(struct wg_db *db, const struct wg_scope *scope,
                         const struct wg_alert_query *q, json_t **out, struct wg_err *err);
/* One alert with its device (name, kind, address); WG_ENOTFOUND outside the scope. */
enum wg_rc wg_alert_view(struct wg_db *db, const struct wg_scope *scope, long long id, json_t **out,
                         long long *version, struct wg_err *err);

/* A review: {action: "order"|"dismiss", item?, urgency?, note?}. wg_alert_review_check reads
 * the alert (in scope, state review, pending or ignored: else WG_ECONFLICT) and the body, and
 * for an order prepares its draft (the rule's item and urgency unless given); the write
 * (wg_alert_review_write) runs in the transaction that inserts the draft, under the version
 * read (WG_ECONFLICT on a lost race). */
extern const char *const wg_alert_review_fields[];
struct wg_alert_review {
    long long id, version;
    struct wg_alert_row row;
    int order; /* 1: order, 0: dismiss */
    char item[16], urgency[12], title[160], content[1200], channel[8], county[16];
    char address[256]; /* the device's: the draft points at these, so they live as long as it */
    const char *note, *actor;
    struct wg_order_draft draft; /* when order: prepared, inserted by the caller */
};
enum wg_rc wg_alert_review_check(struct wg_db *db, const struct wg_order_env *env,
                                 const struct wg_locator *loc, const struct wg_actor *actor,
                                 long long id, long long version, const json_t *body, long long now,
                                 struct wg_alert_review *rv, struct wg_err *err);
enum wg_rc wg_alert_review_write(struct wg_db *db, struct wg_alert_review *rv, long long now,
                                 struct wg_err *err);

/* The order an alert makes: title and content from its type, device and counts. */
void wg_alert_order_text(const struct wg_alert_row *a, const char *device_name, char *title,
                         size_t tn, char *content, size_t cn);

/* ---- the demo (sample_alerts.c) ---- */
struct wg_alert_sample_report {
    int devices, cameras, sensors, drones;
    long long lines, alerts, ordered, review, pending, ignored;
};
/* Devices across the demo district (cameras at crossings and market streets, water sensors
 * at low roads, a few drones), owned by the demo's units, and `days` days of their alerts
 * up to now through wg_alert_ingest, orders made as the rules say. Nothing when devices
 * exist already. */
enum wg_rc wg_alert_sample(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_locator *loc, long long now, int days, unsigned seed,
                           struct wg_alert_sample_report *rep, struct wg_err *err);

#endif
