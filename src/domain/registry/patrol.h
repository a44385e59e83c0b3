/* Patrols (巡查, SPEC §6): a grid worker's walk through their grid.
 *
 * A patrol is started by its worker (the caller) in a grid of their scope, at a time (unix
 * seconds, now by default), under a client's key (client_key) that makes a repeated start
 * from a phone the same patrol. While it is under way, the phone sends its GPS track in
 * batches, each under its own key (a repeated batch changes nothing), at most
 * WG_PATROL_BATCH_MAX points [lon, lat, t]; the points are personal data — where a person
 * was, when — and each batch is sealed at rest (context "patrol.track"), kept for the
 * retention period (track_days, 180 by default) and then purged by the sweep, while the
 * patrol's summary (its times, the number of points, the distance walked) stays. It is
 * stopped once, with the places checked: each one of the configured checklist, ok or not,
 * with a note (the checks are sealed as a whole, context "patrol.checks"). A finding on the
 * way becomes an order (channel gridworker) in one step, linked both ways. Coverage: of a
 * grid's households, the share visited in a month (visit.h). */
#ifndef WG_DOMAIN_REGISTRY_PATROL_H
#define WG_DOMAIN_REGISTRY_PATROL_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "store/registry/visit_q.h"
#include "store/store.h"

#define WG_PATROL_BATCH_MAX  500 /* points in one batch */
#define WG_PATROL_CHECKS_MAX 64
#define WG_PATROL_PLACES_MAX 64

/* The checklist of places and the track's retention. */
struct wg_patrol_config {
    int track_days; /* 180 */
    int nplaces;
    char places[WG_PATROL_PLACES_MAX][64];
};
/* 180 days and the default places: 学校周边, 集贸市场, 出租房屋, 九小场所, 消防通道, 在建工地,
 * 河道沟渠, 公共设施. */
void wg_patrol_config_defaults(struct wg_patrol_config *c);
/* A comma-separated list of places (1 to 64 of them, each 1 to 63 bytes). */
enum wg_rc wg_patrol_set_places(struct wg_patrol_config *c, const char *list, struct wg_err *err);

struct wg_patrol {
    long long id;
    char client_key[72], worker[64], grid[32];
    long long started_at, stopped_at, points;
    double distance_m;
    json_t *checks; /* opened: [{place, ok, note}], owned */
    long long version;
};
void wg_patrol_release(struct wg_patrol *p);

/* Starts a patrol for actor from a body {client_key, grid, started_at}: the grid must exist
 * in scope (the caller's own grid when their scope is one and the body names none). A start
 * with a client key already used returns that patrol (*existed 1). */
enum wg_rc wg_patrol_start(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, json_t *body, long long now,
                           struct wg_patrol *out, int *existed, struct wg_err *err);
/* Opens patrol id; outside scope it is WG_ENOTFOUND. */
enum wg_rc wg_patrol_load(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, long long id, struct wg_patrol *out,
                          struct wg_err *err);
/* Appends a batch {batch, points: [[lon, lat, t], ...]} to the actor's own patrol still
 * under way; *added 0 when the batch was in already. */
enum wg_rc wg_patrol_points(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_actor *actor, long long id, json_t *body, long long now,
                            int *added, struct wg_err *err);
/* Stops the actor's own patrol with {stopped_at, checks: [{place, ok, note}]}: each place
 * of the checklist. Stopping a stopped one again is WG_ECONFLICT. */
enum wg_rc wg_patrol_stop(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_patrol_config *cfg, const struct wg_actor *actor,
                          long long id, json_t *body, long long now, struct wg_err *err);
/* The patrol as answered: its summary, checks and orders; with_track, its points (those not
 * yet purged) as [[lon, lat, t], ...]. */
enum wg_rc wg_patrol_json(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_patrol *p, int with_track, json_t **out,
                          struct wg_err *err);
/* Patrols in scope, newest first: grid or region, worker, from/to, limit, cursor. */
struct wg_visit_query;
enum wg_rc wg_patrol_list(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, const struct wg_visit_query *q,
                          json_t **out, struct wg_err *err);
/* Purges the track batches older than cfg's retention at now (*n: how many), in a
 * transaction of the committer c (NULL: on db). */
struct wg_committer;
enum wg_rc wg_patrol_purge(struct wg_db *db, struct wg_committer *c,
                           const struct wg_patrol_config *cfg, long long now, long *n,
                           struct wg_err *err);
/* A grid's month ("YYYY-MM", China time): {grid, month, households, households_visited,
 * coverage (0..1, null without households), visits, patrols, distance_m}; the grid must be
 * in scope. */
enum wg_rc wg_patrol_coverage(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                              const char *month, json_t **out, struct wg_err *err);

#endif
