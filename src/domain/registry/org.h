/* Organizations of the registry (组织, SPEC §6): the enterprises, shops, schools, hospitals
 * and other bodies that stand in a grid.
 *
 * An organization is known by its 18-character unified social credit code (统一社会信用代码,
 * GB 32100-2015), unique in the store (a second is WG_ECONFLICT naming credit_code): the
 * registration authority (1 character), the organization category (1), the division code of
 * where it registered (6 digits), the organization code of GB 11714 (9 characters, its last
 * a check digit or X) and the check character (1), over the character set 0-9 A-H J-N P-R T
 * U W-Y (no I, O, S, V, Z), the check character being 31 less the weighted sum of the first
 * 17 mod 31 (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; 31 is 0).
 *
 * Beside it: a name (1 to 60 characters), a kind (wg_org_kinds), its responsible person's
 * name and phone (sealed at rest as a person's are, contexts "org.person_name" and
 * "org.person_phone", the phone blind-indexed; masked on every answer, clear only by an
 * audited reveal), the grid it stands in (in the caller's scope), the building it occupies
 * (optional; its grid is then the organization's), an address, a point (WGS-84, optional)
 * and its hazard flags (wg_org_hazards, a set). A version counts its changes from 1; a
 * change names the version it was made on. Outside a caller's scope an organization does
 * not exist. Every error names the field it is about. */
#ifndef WG_DOMAIN_REGISTRY_ORG_H
#define WG_DOMAIN_REGISTRY_ORG_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii.h"
#include "store/registry/orgs_q.h"

#define WG_ORG_NAME_CHARS    60
#define WG_ORG_ADDRESS_CHARS 120

/* enterprise, individual_business, social_organization, school, hospital,
 * public_institution, party_organization, property_company, other; NULL-terminated */
extern const char *const wg_org_kinds[];
/* hazardous_chemicals 危化品, crowded_place 人员密集场所, fire_key_unit 消防重点单位,
 * gas_user 燃气用户, construction_site 建筑工地, confined_space 有限空间,
 * special_equipment 特种设备; bit i is wg_org_hazards[i] */
extern const char *const wg_org_hazards[];
/* The keys an organization's body may hold (routes.def). */
extern const char *const wg_org_fields[];

/* A unified social credit code as above; the message names credit_code and says why. */
enum wg_rc wg_org_check_credit_code(const char *code, struct wg_err *err);

struct wg_org {
    long long id;
    char credit_code[20], name[244], kind[24];
    char *person_name, *person_phone; /* clear, owned; the phone "" when none */
    char grid[20], building[36], address[488];
    int has_point;
    double lon, lat;
    unsigned hazards;
    long long version, created_at, updated_at;
};
void wg_org_release(struct wg_org *o); /* wipes the clear fields */

/* Applies body onto o (zeroed for a new one, or loaded for a change) and checks the whole;
 * nothing is stored. */
enum wg_rc wg_org_apply(struct wg_org *o, const json_t *body, struct wg_err *err);
/* Stores a new organization (o->id, version, times set) or a change to o->id made on
 * version expect, in the caller's transaction; the grid and building must be in scope. */
enum wg_rc wg_org_save(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, struct wg_org *o, long long expect,
                       long long now, struct wg_err *err);
/* Opens organization id; outside scope it is WG_ENOTFOUND. */
enum wg_rc wg_org_load(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, long long id, struct wg_org *out,
                       struct wg_err *err);
/* The organization as answered, its responsible person masked. New reference. */
json_t *wg_org_json(const struct wg_org *o);
/* One sealed field in clear for a reveal: person_name or person_phone; *out owned. */
enum wg_rc wg_org_field(const struct wg_org *o, const char *field, char **out, struct wg_err *err);
/* A page: {"orgs": [...], "next_cursor": text or null}; grid, region, kind, q, limit and
 * cursor as the query gave them (NULL: absent). */
struct wg_org_query {
    const char *grid, *region, *kind, *q, *limit, *cursor;
};
enum wg_rc wg_org_list(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, const struct wg_org_query *q, json_t **out,
                       struct wg_err *err);

/* Shared by the registry's organizations, things and party places: the grid, a grid's code
 * (15 or 18 digits) that exists (current) and lies in scope; else WG_EINVAL naming field. */
enum wg_rc wg_registry_grid_code_check(struct wg_db *db, const struct wg_scope *scope,
                                       const char *field, const char *grid, struct wg_err *err);
/* "lon" and "lat" of body: both numbers (WGS-84), or both null (no point); absent leaves
 * them. */
enum wg_rc wg_registry_point(const json_t *body, int *has_point, double *lon, double *lat,
                             struct wg_err *err);
#endif
