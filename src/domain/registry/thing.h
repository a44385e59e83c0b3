/* Things of the registry (物, city components 部件, SPEC §6): manhole covers, street lamps,
 * bus shelters, trees, … each known by a code in the layout of GB/T 47678.5 (as the city
 * management grids' component codes of GB/T 30428.2 are laid out):
 *
 *   CCCCCC MM NN SSSS — 14 digits
 *   CCCCCC  the county's division code (GB/T 2260), the first 6 digits of its grid's code
 *   MM      the major class:  01 public facilities 公用设施, 02 roads and traffic 道路交通,
 *           03 city appearance and environment 市容环境, 04 gardens and greenery 园林绿化,
 *           05 housing and land 房屋土地, 06 other 其他设施
 *   NN      the minor class within it, 01 to 99 (the district's list)
 *   SSSS    the sequence in the county and class, 0001 to 9999
 *
 * A thing is made with its code, or with a class ("0101", major and minor) and given the
 * county and class's next sequence. Beside the code: a name (1 to 40 characters), a state
 * (intact 完好, damaged 破损, lost 丢失, abandoned 废弃, removed 移除), the unit that owns it
 * and the unit that maintains it (both units of the catalog), the grid it stands in (in the
 * caller's scope, and in the code's county) and a point (optional). A version counts changes
 * from 1; every change of state is written to the audit log.
 *
 * An order may be linked to a thing (one thing per order); when a linked order closes while
 * its thing is damaged or lost, the thing is intact again — or in the state the closing
 * callback names (thing_state: a cover beyond repair is abandoned) — its version moves, and
 * the audit log says which order closed it. */
#ifndef WG_DOMAIN_REGISTRY_THING_H
#define WG_DOMAIN_REGISTRY_THING_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "store/registry/orgs_q.h"

/* intact, damaged, lost, abandoned, removed; NULL-terminated */
extern const char *const wg_thing_states[];
/* The major classes, "01" to "06" in order (their API names). */
extern const char *const wg_thing_classes[];
extern const char *const wg_thing_fields[];

/* A thing's code as above; the message names field and says which part is wrong. */
enum wg_rc wg_thing_check_code(const char *field, const char *code, struct wg_err *err);

/* Applies body onto t (zeroed for a new one, or as stored for a change): *klass receives a
 * new thing's class when it has no code. Nothing is stored. */
enum wg_rc wg_thing_apply(struct wg_thing_row *t, const json_t *body, char klass[5],
                          struct wg_err *err);
/* Checks t's references (units, grid in scope and county) and stores it: new (with the
 * county and class's next code when it has none) or a change made on version expect, in the
 * caller's transaction. */
enum wg_rc wg_thing_save(struct wg_db *db, const struct wg_scope *scope, struct wg_thing_row *t,
                         const char *klass, long long expect, long long now, struct wg_err *err);
/* The thing of code; outside scope WG_ENOTFOUND. */
enum wg_rc wg_thing_get(struct wg_db *db, const struct wg_scope *scope, const char *code,
                        struct wg_thing_row *out, struct wg_err *err);
json_t *wg_thing_json(const struct wg_thing_row *t);

/* Links order to the thing of code (in scope); the order must exist and have no thing. */
enum wg_rc wg_thing_link(struct wg_db *db, const struct wg_scope *scope, const char *code,
                         long long order, const char *by, long long now, struct wg_err *err);
/* Called by the orders in the action's transaction when order closes (closes set) or the
 * action's body holds a thing_state: on a close, a linked thing damaged or lost becomes
 * intact — or takes thing_state when given (one of the states) — and the audit log records
 * it (actor and role the closer's). A thing_state that is not a state, or on an order linked
 * to no thing, is WG_EINVAL naming thing_state, whether or not the action closes it. */
enum wg_rc wg_thing_order_closed(struct wg_db *db, long long order, int closes,
                                 const json_t *thing_state, const char *actor, const char *role,
                                 long long now, struct wg_err *err);

#endif
