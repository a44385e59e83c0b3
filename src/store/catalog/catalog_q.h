/* The dispatch catalog's versions, handling units and routing rules (domain/catalog/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_CATALOG_Q_H
#define WG_STORE_CATALOG_Q_H

#include "store/store.h"

/* ---- units and routing rules ---- */
struct wg_unit_row {
    char id[64];
    char name[128];
    char kind[24];
};
enum wg_rc wg_store_unit_insert(struct wg_db *db, const struct wg_unit_row *u, struct wg_err *err);
enum wg_rc wg_store_unit_add_region(struct wg_db *db, const char *unit, const char *region,
                                    struct wg_err *err);
enum wg_rc wg_store_unit_get(struct wg_db *db, const char *id, struct wg_unit_row *out,
                             struct wg_err *err);
enum wg_rc wg_store_unit_each(struct wg_db *db, int (*cb)(const struct wg_unit_row *, void *),
                              void *ctx, struct wg_err *err);
enum wg_rc wg_store_unit_regions(struct wg_db *db, const char *id,
                                 int (*cb)(const char *region, void *), void *ctx,
                                 struct wg_err *err);
struct wg_rule_row {
    long long id;
    char item[16];
    char region[20]; /* a region or grid code prefix, up to a micro-grid's 18 digits */
    char lead[64];
    char assisting[512]; /* comma-separated unit ids, "" for none */
};
enum wg_rc wg_store_rule_insert(struct wg_db *db, const struct wg_rule_row *r, long long *id,
                                struct wg_err *err);
enum wg_rc wg_store_rule_each(struct wg_db *db, int (*cb)(const struct wg_rule_row *, void *),
                              void *ctx, struct wg_err *err);
/* Rules whose item and region are prefixes of item and region, most specific first. */
enum wg_rc wg_store_rule_match(struct wg_db *db, const char *item, const char *region,
                               int (*cb)(const struct wg_rule_row *, void *), void *ctx,
                               struct wg_err *err);

/* ---- catalog versions (domain/catalog/catalog_store.h) ---- */
struct wg_catalog_version_row {
    long long version;
    const char *body; /* the catalog's JSON form; "" in lists */
    const char *created_by, *created_at, *change;
};
/* The newest stored version's number, 0 when none is stored. */
enum wg_rc wg_store_catalog_head(struct wg_db *db, long long *version, struct wg_err *err);
/* WG_ECONFLICT when that version number is taken (another server stored one first). */
enum wg_rc wg_store_catalog_insert(struct wg_db *db, const struct wg_catalog_version_row *r,
                                   struct wg_err *err);
/* WG_ENOTFOUND when there is no such version; the row is borrowed in cb. */
enum wg_rc wg_store_catalog_get(struct wg_db *db, long long version,
                                int (*cb)(const struct wg_catalog_version_row *, void *), void *ctx,
                                struct wg_err *err);
/* Every stored version, newest first, without bodies. */
enum wg_rc wg_store_catalog_each(struct wg_db *db,
                                 int (*cb)(const struct wg_catalog_version_row *, void *),
                                 void *ctx, struct wg_err *err);

#endif
