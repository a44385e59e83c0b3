/* The address search (地址搜索): where a place named in words lies. A query is matched
 * against the standard addresses of buildings and houses, the names of buildings and of
 * organizations (org.h), and the names of towns (街道, 乡镇) and villages (社区, 村); each
 * match is answered with its kind (town, village, building, house, org), its name and address, a
 * point and the grid the point lies in. Matches whose text begins with the query come before those
 * that only hold it, then the shorter text first (the closer match), then towns and villages before
 * buildings before houses before organizations. Only places in the caller's scope are found. A
 * building without a point is placed at the middle of its grid's box; a town or village at the
 * middle of its grids' box, and its grid is the one that point lies in (none when it lies in none).
 */
#ifndef WG_DOMAIN_REGISTRY_ADDRESS_H
#define WG_DOMAIN_REGISTRY_ADDRESS_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/map/locate.h"
#include "store/store.h"

#define WG_ADDRESS_LIMIT_DEFAULT 10
#define WG_ADDRESS_LIMIT_MAX     50
#define WG_ADDRESS_QUERY_CHARS   60

/* Up to limit matches of q (1 to 60 characters) in scope (NULL: everywhere) as a JSON array
 * (returned owned in *out): {kind, id, name, address, point: {lon, lat} or null,
 * grid: {code, name} or null}. loc (may be NULL) places towns and villages in their grid. */
enum wg_rc wg_address_search(struct wg_db *db, const struct wg_locator *loc,
                             const struct wg_scope *scope, const char *q, int limit, json_t **out,
                             struct wg_err *err);

#endif
