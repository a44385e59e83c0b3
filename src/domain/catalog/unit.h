/* Handling units (承办单位) and routing (SPEC §3): departments, town and community offices and
 * special teams, each serving some regions; and routing rules, data an administrator edits,
 * that map a catalog item and a place to a lead unit and assisting units. A rule's item and
 * region are prefixes ("" matches anything), and the most specific rule wins: the longest
 * item first, then the longest region, then the oldest rule. Every suggestion says why
 * ("item 06028 in town 371302004 → unit cgzf 城管执法局 by rule 17"). */
#ifndef WG_DOMAIN_UNIT_H
#define WG_DOMAIN_UNIT_H

#include <jansson.h>

#include "core/err.h"
#include "domain/catalog/catalog.h"
#include "store/store.h"
#include "store/catalog/catalog_q.h"

extern const char *const wg_unit_kinds[]; /* department, town_office, ... NULL-terminated */

/* Creates a unit serving the regions in the JSON array (codes that exist); one transaction. */
/* A unit id: 2 to 63 lower-case letters, digits, _ and -; WG_EINVAL saying so. */
enum wg_rc wg_unit_id_check(const char *id, struct wg_err *err);
enum wg_rc wg_unit_create(struct wg_db *db, const char *id, const char *name, const char *kind,
                          const json_t *regions, struct wg_err *err);
/* Checks and stores a rule: the item in the catalog (or ""), the region a known code (or ""),
 * the lead and every assisting unit existing, no unit twice. */
enum wg_rc wg_route_rule_create(struct wg_db *db, const struct wg_catalog *cat, const char *item,
                                const char *region, const char *lead, const json_t *assisting,
                                long long *id, struct wg_err *err);

struct wg_route_suggestion {
    int found;
    struct wg_rule_row rule;
    struct wg_unit_row lead;
    char why[512];
};
/* The suggestion for an item at a place (a grid or region code). */
enum wg_rc wg_route_suggest(struct wg_db *db, const char *item, const char *place,
                            struct wg_route_suggestion *out, struct wg_err *err);

#endif
