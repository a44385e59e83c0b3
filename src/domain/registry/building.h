/* Buildings and houses (房), the registry's places, with their standard addresses (标准地址).
 *
 * A building has a code — the one the district gives it, or the grid's code and a 3-digit
 * sequence when none is given — a name, the grid it stands in, its standard address
 * ("兰山区兰山街道东关社区金雀山路18号3号楼"), a point (WGS-84 longitude and latitude, may
 * be absent), its floors above ground (1 to 200) and its use: residential, commercial,
 * mixed, office, industrial or public. The grid and the point agree: given both, the grid
 * holds the point (it is the base grid the point lies in, or an exclusive or micro-grid
 * over it); given a point alone, the building stands in the base grid the point lies in;
 * given neither, the building is refused.
 *
 * A house is one dwelling or premises of a building: its unit (单元, may be ""), its floor
 * (1 to the building's floors, or a basement from -1 down to -5; never 0), its room, its
 * address (the building's address with the unit and room when none is given) and its use:
 * owner_occupied, rented, empty or business; a rented house counts its tenants (0 to 99),
 * no other house has any. A building holds one house per unit and room.
 *
 * Both carry a version, 1 when made and one more at each change: a change names the version
 * it was made on and is refused (WG_EPRECOND) when another came first. A building and its
 * houses belong to the scope that covers its grid; outside a scope they do not exist
 * (WG_ENOTFOUND, as a missing one), and a grid outside it is as unknown as a missing one.
 * Every error names the field it is about.
 *
 * A create or update runs in a transaction of its own, or, called inside one (an import),
 * joins it: then a failure is the caller's to roll back. */
#ifndef WG_DOMAIN_REGISTRY_BUILDING_H
#define WG_DOMAIN_REGISTRY_BUILDING_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/map/locate.h"
#include "store/registry/places_q.h"

#define WG_BUILDING_FLOORS_MAX    200
#define WG_HOUSE_BASEMENT_MIN     (-5)
#define WG_BUILDING_NAME_CHARS    40
#define WG_BUILDING_ADDRESS_CHARS 80
#define WG_HOUSE_ADDRESS_CHARS    120
#define WG_HOUSE_ROOM_CHARS       8 /* a unit's and a room's */
#define WG_HOUSE_TENANTS_MAX      99

extern const char *const wg_building_uses[]; /* residential, ... NULL-terminated */
extern const char *const wg_house_uses[];    /* owner_occupied, rented, empty, business */
/* The keys a building's and a house's JSON body may hold (routes.def). */
extern const char *const wg_building_fields[];
extern const char *const wg_house_fields[];

/* Copies the fields the body holds onto b (a new row, or the stored one for a change),
 * each read with its type and limits; "code" only when new is set. */
enum wg_rc wg_building_apply(const json_t *body, int new, struct wg_building_row *b,
                             struct wg_err *err);
/* Checks b whole and settles its grid from its point (see above); scope NULL: everything. */
enum wg_rc wg_building_check(struct wg_db *db, const struct wg_locator *loc,
                             const struct wg_scope *scope, struct wg_building_row *b,
                             struct wg_err *err);
/* Makes a building of body at time now (unix seconds) into *out: its code given or the
 * grid's next free one. */
enum wg_rc wg_building_create(struct wg_db *db, const struct wg_locator *loc,
                              const struct wg_scope *scope, const json_t *body, long long now,
                              struct wg_building_row *out, struct wg_err *err);
/* The building of code, WG_ENOTFOUND outside scope. */
enum wg_rc wg_building_get(struct wg_db *db, const struct wg_scope *scope, const char *code,
                           struct wg_building_row *out, struct wg_err *err);
/* Changes the fields body holds if the building is still at version expect; its floors
 * may not leave a house above them. */
enum wg_rc wg_building_update(struct wg_db *db, const struct wg_locator *loc,
                              const struct wg_scope *scope, const char *code, long long expect,
                              const json_t *body, long long now, struct wg_building_row *out,
                              struct wg_err *err);

/* WG_EPRECOND: the what (building, house) of id changed since version expect was read. */
enum wg_rc wg_registry_stale(const char *what, const char *id, long long expect,
                             struct wg_err *err);

enum wg_rc wg_house_apply(const json_t *body, struct wg_house_row *h, struct wg_err *err);
/* Checks h against its building b; an empty address becomes the building's with the unit
 * and room. */
enum wg_rc wg_house_check(const struct wg_building_row *b, struct wg_house_row *h,
                          struct wg_err *err);
enum wg_rc wg_house_create(struct wg_db *db, const struct wg_scope *scope, const char *building,
                           const json_t *body, long long now, struct wg_house_row *out,
                           struct wg_err *err);
enum wg_rc wg_house_get(struct wg_db *db, const struct wg_scope *scope, long long id,
                        struct wg_house_row *out, struct wg_err *err);
enum wg_rc wg_house_update(struct wg_db *db, const struct wg_scope *scope, long long id,
                           long long expect, const json_t *body, long long now,
                           struct wg_house_row *out, struct wg_err *err);

#endif
