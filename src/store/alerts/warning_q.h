/* Early warnings (domain/alerts/warning.h): typed functions of the store for them, the
 * orders the follower reads, its position, and the rules in force; only src/store/ speaks
 * SQL. A warning's note is as stored: sealed. */
#ifndef WG_STORE_WARNING_Q_H
#define WG_STORE_WARNING_Q_H

#include "store/store.h"

struct wg_warning_row {
    long long id;
    char kind[16], level[8], state[16], item[32], scope[32], key[96];
    int has_point;
    double lon, lat;
    long long count;
    const char *detail; /* a JSON object */
    char phone[24];     /* masked; "" for none */
    char owner[64];
    const char *note; /* sealed; "" for none */
    char handled_kind[8];
    long long handled_ref, first_at, last_at, version, created_at, updated_at;
};

/* One order as the follower reads it; texts valid during the callback only. */
struct wg_warn_order_row {
    long long id;
    const char *item, *grid, *county, *created_at, *phone_blind, *phone_sealed, *title, *content;
    int has_point;
    double lon, lat;
};

/* At most limit orders after id `after`, by id. */
enum wg_rc wg_store_warn_follow(struct wg_db *db, long long after, int limit,
                                int (*cb)(const struct wg_warn_order_row *, void *), void *ctx,
                                struct wg_err *err);
/* At most limit (id, created_at) of orders before id `before`, newest first. */
enum wg_rc wg_store_warn_back(struct wg_db *db, long long before, int limit,
                              int (*cb)(long long id, const char *created_at, void *), void *ctx,
                              struct wg_err *err);
enum wg_rc wg_store_warn_max_order(struct wg_db *db, long long *out, struct wg_err *err);

/* The follower's stored position, read without a lock. */
enum wg_rc wg_store_warn_pos_get(struct wg_db *db, long long *upto, struct wg_err *err);
/* The follower's stored position, read under a lock held to the end of the transaction. */
enum wg_rc wg_store_warn_pos_lock(struct wg_db *db, long long *upto, struct wg_err *err);
enum wg_rc wg_store_warn_pos_set(struct wg_db *db, long long upto, long long now,
                                 struct wg_err *err);

/* The open warnings of kind, item and key, oldest first. */
enum wg_rc wg_store_warn_open(struct wg_db *db, const char *kind, const char *item, const char *key,
                              int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                              struct wg_err *err);
/* A new warning in state new from r (kind, level, item, scope, key, point, detail, phone,
 * first_at, last_at, created_at); *id its id. */
enum wg_rc wg_store_warn_insert(struct wg_db *db, const struct wg_warning_row *r, long long *id,
                                struct wg_err *err);
/* Links the orders of ids_json (a JSON array of ids) to warning id, each once; *count the
 * orders behind it now. */
enum wg_rc wg_store_warn_link(struct wg_db *db, long long id, const char *ids_json,
                              long long *count, struct wg_err *err);
/* A warning grown: its count, level, detail, phone ("" keeps it), last order's time. */
enum wg_rc wg_store_warn_grow(struct wg_db *db, long long id, long long count, const char *level,
                              const char *detail, const char *phone, long long last_at,
                              long long now, struct wg_err *err);
/* A step on warning id's timeline; note sealed ("" for none). */
enum wg_rc wg_store_warn_event(struct wg_db *db, long long id, long long at, const char *actor,
                               const char *action, const char *from, const char *to,
                               const char *detail, const char *note, struct wg_err *err);
/* WG_ENOTFOUND when there is none. Texts valid during the callback only. */
enum wg_rc wg_store_warn_get(struct wg_db *db, long long id,
                             int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                             struct wg_err *err);
struct wg_warn_range {
    const char *lo, *hi, *kind, *level, *state, *item;
    long long since, before;
    int limit;
};
enum wg_rc wg_store_warn_list(struct wg_db *db, const struct wg_warn_range *q,
                              int (*cb)(const struct wg_warning_row *, void *), void *ctx,
                              struct wg_err *err);
struct wg_warn_order_brief {
    long long id;
    const char *number, *title, *created_at, *grid, *state, *item;
};
enum wg_rc wg_store_warn_orders(struct wg_db *db, long long id, int limit,
                                int (*cb)(const struct wg_warn_order_brief *, void *), void *ctx,
                                struct wg_err *err);
struct wg_warn_event_row {
    long long seq, at;
    const char *actor, *action, *from, *to, *detail, *note; /* note sealed */
};
enum wg_rc wg_store_warn_events(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_warn_event_row *, void *), void *ctx,
                                struct wg_err *err);
/* r's state, owner, note, handled_kind and handled_ref over warning r->id if its version is
 * still r->version (the version moves on): WG_ECONFLICT when not. */
enum wg_rc wg_store_warn_move(struct wg_db *db, const struct wg_warning_row *r, long long now,
                              struct wg_err *err);
/* An order by its number: *id (0 when none), its grid and county. */
enum wg_rc wg_store_warn_order_by_number(struct wg_db *db, const char *number, long long *id,
                                         char grid[32], char county[16], struct wg_err *err);
/* The rules stored (owned JSON text into *rules, NULL when none is stored) and their version. */
enum wg_rc wg_store_warn_rules_get(struct wg_db *db, char **rules, long long *version,
                                   struct wg_err *err);
enum wg_rc wg_store_warn_rules_put(struct wg_db *db, const char *rules, const char *who,
                                   long long now, struct wg_err *err);

#endif
