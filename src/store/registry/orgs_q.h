/* The registry's organizations and things (domain/registry/org.h, thing.h), and the orders
 * linked to a thing. Typed functions of the store (store/store.h) for this context; only
 * src/store/ speaks SQL. An organization's responsible person is as stored: sealed. */
#ifndef WG_STORE_ORGS_Q_H
#define WG_STORE_ORGS_Q_H

#include "store/store.h"

#define WG_THING_CODE_LEN 14 /* county 6, class 2 + 2, sequence 4 */

struct wg_org_row {
    long long id;
    char credit_code[20], name[244], kind[24];
    const char *person_name, *person_phone; /* sealed; "" for a phone when none */
    const char *phone_blind;                /* written only; "" for no phone */
    char grid[20], building[36], address[488];
    int has_point;
    double lon, lat;
    unsigned hazards;
    long long version, created_at, updated_at;
};
/* *id is the new organization's; a credit code taken is WG_ECONFLICT naming credit_code. */
enum wg_rc wg_store_org_insert(struct wg_db *db, const struct wg_org_row *o, long long now,
                               long long *id, struct wg_err *err);
/* Writes o over organization o->id if its version is still expect: WG_EPRECOND when not. */
enum wg_rc wg_store_org_update(struct wg_db *db, const struct wg_org_row *o, long long now,
                               long long expect, struct wg_err *err);
/* The row's sealed fields are valid only during the callback; WG_ENOTFOUND when none. */
enum wg_rc wg_store_org_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_org_row *, void *), void *ctx,
                            struct wg_err *err);
enum wg_rc wg_store_org_by_code(struct wg_db *db, const char *credit_code, long long *id,
                                struct wg_err *err);
/* Organizations of grids [lo, hi) after id, of grid ("" any), kind ("" any), whose name
 * holds q ("" any), by id. */
enum wg_rc wg_store_org_list(struct wg_db *db, const char *lo, const char *hi, long long after,
                             const char *grid, const char *kind, const char *q, int limit,
                             int (*cb)(const struct wg_org_row *, void *), void *ctx,
                             struct wg_err *err);

struct wg_thing_row {
    char code[WG_THING_CODE_LEN + 1], name[164], state[12];
    char owner_unit[64], maint_unit[64], grid[20];
    int has_point;
    double lon, lat;
    long long version, created_at, updated_at;
};
enum wg_rc wg_store_thing_insert(struct wg_db *db, const struct wg_thing_row *t, long long now,
                                 struct wg_err *err);
enum wg_rc wg_store_thing_update(struct wg_db *db, const struct wg_thing_row *t, long long now,
                                 long long expect, struct wg_err *err);
enum wg_rc wg_store_thing_get(struct wg_db *db, const char *code, struct wg_thing_row *out,
                              struct wg_err *err);
enum wg_rc wg_store_thing_list(struct wg_db *db, const char *lo, const char *hi, const char *after,
                               const char *grid, const char *state, const char *q, int limit,
                               int (*cb)(const struct wg_thing_row *, void *), void *ctx,
                               struct wg_err *err);
/* The highest code that starts with prefix (10 digits), "" when there is none. */
enum wg_rc wg_store_thing_last(struct wg_db *db, const char *prefix,
                               char out[WG_THING_CODE_LEN + 1], struct wg_err *err);

/* Orders linked to things: an order to at most one (WG_ECONFLICT naming the order). */
/* Whether order exists with its place (grid, or county) under prefix ("" anywhere). */
enum wg_rc wg_store_thing_order_exists(struct wg_db *db, long long order, const char *prefix,
                                       int *exists, struct wg_err *err);
enum wg_rc wg_store_thing_link(struct wg_db *db, long long order, const char *thing, const char *by,
                               long long now, struct wg_err *err);
/* The thing order is linked to, "" when none. */
enum wg_rc wg_store_thing_link_of(struct wg_db *db, long long order,
                                  char thing[WG_THING_CODE_LEN + 1], struct wg_err *err);
struct wg_thing_link_row {
    long long order;
    const char *number, *state, *by;
    long long at;
};
enum wg_rc wg_store_thing_links(struct wg_db *db, const char *thing, int limit,
                                int (*cb)(const struct wg_thing_link_row *, void *), void *ctx,
                                struct wg_err *err);

#endif
