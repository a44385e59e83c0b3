/* The party overlay of the registry (党建引领, seeds 000 and 004: "网上有党委、格上有支部、
 * 点上有党员"): the party organizations bound to their places, their members, and the
 * party-member central households (党员中心户) with the households each serves.
 *
 * A party organization has a name (1 to 60 characters), a kind and a place its kind allows:
 *   committee       社区党委 (or a town's)       a region: a town's or village's code
 *   general_branch  党总支                       a region: a village's code
 *   branch          党支部 (支部建在网格上)       a grid
 *   group           党小组 (楼栋党小组)           a building, or a grid
 * and a parent (optional): a party organization of a higher kind (committee above
 * general_branch above branch above group) whose place holds this one's. Its area is the
 * code the scope rule reads: the region's, the grid's, or the building's grid; outside a
 * caller's scope it does not exist. A version counts its changes from 1.
 *
 * Its members are persons of the registry (in scope) whose political status is party_member
 * or probationary, each with a role (secretary, deputy_secretary, committee_member, member)
 * and the date they joined it (optional); a person is a member of one organization once.
 *
 * A central household is a household (in scope) led by one of its persons who is a member
 * of the party organization it belongs to; it serves other households (at most 50, in
 * scope, never itself), and a household is served by one central household at most. Every
 * error names the field it is about. */
#ifndef WG_DOMAIN_REGISTRY_PARTY_H
#define WG_DOMAIN_REGISTRY_PARTY_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii.h"
#include "store/registry/party_q.h"

#define WG_PARTY_SERVES_MAX 50

extern const char *const wg_party_kinds[]; /* committee, general_branch, branch, group */
extern const char
    *const wg_party_roles[]; /* secretary, deputy_secretary, committee_member, member */
extern const char *const wg_party_org_fields[];
extern const char *const wg_party_member_fields[];
extern const char *const wg_party_centre_fields[];

/* Applies body onto p (zeroed for a new one, or as stored for a change); nothing stored. */
enum wg_rc wg_party_org_apply(struct wg_party_org_row *p, const json_t *body, struct wg_err *err);
/* Checks p's place and parent in scope, settles its area, and stores it (new when p->id is
 * 0, else a change made on version expect) in the caller's transaction. */
enum wg_rc wg_party_org_save(struct wg_db *db, const struct wg_scope *scope,
                             struct wg_party_org_row *p, long long expect, long long now,
                             struct wg_err *err);
enum wg_rc wg_party_org_get(struct wg_db *db, const struct wg_scope *scope, long long id,
                            struct wg_party_org_row *out, struct wg_err *err);
json_t *wg_party_org_json(const struct wg_party_org_row *p);
/* {"party_orgs": [...], "next_cursor"}: grid or region, kind, limit, cursor (NULL: absent). */
enum wg_rc wg_party_org_list(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                             const char *region, const char *kind, const char *limit,
                             const char *cursor, json_t **out, struct wg_err *err);

/* Adds the member body names ({person, role, joined}) to organization org (in scope). */
enum wg_rc wg_party_member_add(struct wg_db *db, const struct wg_scope *scope, long long org,
                               const json_t *body, long long now, long long *person,
                               struct wg_err *err);
enum wg_rc wg_party_member_remove(struct wg_db *db, const struct wg_scope *scope, long long org,
                                  long long person, struct wg_err *err);
/* {"party_org": id, "members": [{person, name (masked), grid, role, joined, added_at}]} */
enum wg_rc wg_party_members_json(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_scope *scope, long long org, json_t **out,
                                 struct wg_err *err);

/* Makes household (new: the body's "household") a central household, or changes the one of
 * household made on version expect (expect 0: new), from body {household, party_org,
 * member, serves}; in the caller's transaction. *out as stored. */
enum wg_rc wg_party_centre_save(struct wg_db *db, const struct wg_scope *scope, long long household,
                                const json_t *body, long long expect, long long now,
                                struct wg_party_centre_row *out, struct wg_err *err);
enum wg_rc wg_party_centre_get(struct wg_db *db, const struct wg_scope *scope, long long household,
                               struct wg_party_centre_row *out, struct wg_err *err);
/* The central household with the households it serves. */
enum wg_rc wg_party_centre_json(struct wg_db *db, const struct wg_party_centre_row *c, json_t **out,
                                struct wg_err *err);
/* {"centre_households": [...], "next_cursor"}: grid or region, limit, cursor. */
enum wg_rc wg_party_centre_list(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                                const char *region, const char *limit, const char *cursor,
                                json_t **out, struct wg_err *err);

#endif
