/* The catalog in force and its history (issue 4 item 1: "admin API to edit; changes are
 * versioned and audited"). Every change an administrator makes — an item created, changed or
 * deleted — is applied to the newest stored catalog's JSON form (catalog.h), the whole result
 * is checked (wg_catalog_validate), and it is stored as the next version: the catalog's JSON
 * form, canonical (what wg_catalog_to_json gives back for it), so that reading a version and
 * writing it again yields the same bytes. Version 0 is the shipped defaults of this binary
 * and is never stored; the newest stored version is the one in force.
 *
 * Items are handled as JSON objects, not field by field: whatever fields catalog.c reads and
 * writes for an item pass through a change untouched.
 *
 * A server holds the catalog in force as a reference-counted snapshot in a slot, as it holds
 * the locate index (locate.h): a request takes a reference for its duration; a newer version
 * — stored by this server or by another one sharing the store — is loaded into a new snapshot
 * and published, and the old one is freed when its last request ends. */
#ifndef WG_DOMAIN_CATALOG_STORE_H
#define WG_DOMAIN_CATALOG_STORE_H

#include <jansson.h>

#include "core/err.h"
#include "core/snap.h"
#include "domain/catalog/catalog.h"
#include "store/store.h"

struct wg_catalog_snap {
    struct wg_snap snap; /* version 0: the shipped defaults */
    struct wg_catalog cat;
};

/* The newest stored version, or the shipped defaults when none is stored; one reference
 * for the caller. A stored version that no longer reads (an item field this binary does
 * not know) is WG_EINVAL naming the version. */
enum wg_rc wg_catalog_store_load(struct wg_db *db, struct wg_catalog_snap **out,
                                 struct wg_err *err);
void wg_catalog_snap_release(struct wg_catalog_snap *s); /* drops one reference; NULL ok */

/* The catalog snapshots in a slot (core/snap.h): the one in force with a reference the caller
 * releases (NULL before the first), and publishing one (older versions are dropped). */
struct wg_catalog_snap *wg_catalog_slot_acquire(struct wg_slot *s);
void wg_catalog_slot_publish(struct wg_slot *s, struct wg_catalog_snap *snap);

/* A change: who made it and when, and the version the caller read (-1: any; else
 * WG_EPRECOND when the newest is another — the catalog's If-Match). */
struct wg_catalog_change {
    const char *actor;
    long long now;
    long long expect_version;
};

/* Creates or replaces item `code` with `item` (a JSON object of catalog.h's item form; a
 * "code" in it, if any, must be `code`), in one transaction: the new version's number goes
 * to *version and whether the item is new to *created. A replaced item keeps its place. */
enum wg_rc wg_catalog_store_put_item(struct wg_db *db, const struct wg_catalog_change *ch,
                                     const char *code, const json_t *item, long long *version,
                                     int *created, struct wg_err *err);
/* Deletes item `code`: WG_ENOTFOUND when it is not in the catalog, WG_ECONFLICT naming its
 * children when it has any (delete or move them first). */
enum wg_rc wg_catalog_store_delete_item(struct wg_db *db, const struct wg_catalog_change *ch,
                                        const char *code, long long *version, struct wg_err *err);

/* {"version", "created_by", "created_at", "change", "catalog": {...}} of one stored version;
 * version 0 answers the shipped defaults ({"version": 0, "catalog": {...}}). */
enum wg_rc wg_catalog_store_version_json(struct wg_db *db, long long version, json_t **out,
                                         struct wg_err *err);
/* {"versions": [{"version", "created_by", "created_at", "change"}, ...]}, newest first. */
enum wg_rc wg_catalog_store_versions_json(struct wg_db *db, json_t **out, struct wg_err *err);

#endif
