/* Alerts and their rules (migration 44; domain/alerts/alert.h): typed functions of the store;
 * only src/store/ speaks SQL. */
#ifndef WG_STORE_ALERT_Q_H
#define WG_STORE_ALERT_Q_H

#include "store/store.h"

struct wg_alert_row {
    long long id;
    char device[64], type[24], grid[24], unit[64];
    double lon, lat, confidence;
    long long first_seen, last_seen, count;
    char snapshot[512], state[12];
    long long order_id; /* 0: none */
    char note[1024], reviewed_by[64];
    long long reviewed_at, version, created_at, updated_at;
};

struct wg_alert_filter {
    const char *scope_prefix, *scope_unit; /* a grid prefix ("" all); a unit ("" any) */
    const char *state, *type, *grid;       /* "" any */
    long long since;                       /* last seen at or after */
    long long limit, offset;
};

struct wg_alert_rule_row {
    char type[24];
    double min_confidence;
    long long dwell_seconds, dwell_count;
    char action[8], item[16], urgency[12];
    long long version;
    char updated_by[64];
    long long updated_at;
};

/* The writers' mark (alert_head), and moving it on: every write of alerts or rules does. */
enum wg_rc wg_store_alert_head(struct wg_db *db, long long *seq, struct wg_err *err);
enum wg_rc wg_store_alert_head_bump(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_store_alert_max_id(struct wg_db *db, long long *id, struct wg_err *err);
/* Every alert last seen at or after since, by id. */
enum wg_rc wg_store_alert_open(struct wg_db *db, long long since,
                               int (*cb)(const struct wg_alert_row *, void *), void *ctx,
                               struct wg_err *err);
/* New and changed alerts at once: rows_json a JSON array of arrays in the columns' order
 * (queries.def WG_ALERT_COLS). */
enum wg_rc wg_store_alert_upsert_rows(struct wg_db *db, const char *rows_json, struct wg_err *err);
enum wg_rc wg_store_alert_get(struct wg_db *db, long long id, struct wg_alert_row *out,
                              struct wg_err *err);
enum wg_rc wg_store_alert_list(struct wg_db *db, const struct wg_alert_filter *f,
                               int (*cb)(const struct wg_alert_row *, void *), void *ctx,
                               struct wg_err *err);
enum wg_rc wg_store_alert_count(struct wg_db *db, const struct wg_alert_filter *f, long long *n,
                                struct wg_err *err);
/* A review's state, order and note over version a->version: WG_ECONFLICT when another review
 * or the ingest's rules changed it since. */
enum wg_rc wg_store_alert_review(struct wg_db *db, const struct wg_alert_row *a, long long now,
                                 struct wg_err *err);
enum wg_rc wg_store_alert_rules(struct wg_db *db,
                                int (*cb)(const struct wg_alert_rule_row *, void *), void *ctx,
                                struct wg_err *err);
enum wg_rc wg_store_alert_rule_put(struct wg_db *db, const struct wg_alert_rule_row *r,
                                   struct wg_err *err);

#endif
