/* The grid team (网格队伍): who serves a grid, and what the grid publishes about them.
 *
 * A team is a grid's list of members, each with a role — the grid head (网格长), full-time
 * and part-time grid workers (专职/兼职网格员), micro-grid members (微网格员: cadres sent
 * down, with their home unit), building, unit and street heads (楼栋长, 单元长, 街长/路长),
 * community police (社区民警), the party guide (党建指导员), a lawyer (法律顾问), a mediator
 * (调解员) and volunteers (志愿者) — a name, optionally the wangge account (which must exist)
 * and the registry person it is, the home unit (required of a micro-grid member), the
 * building (required of a building or unit head, a building of the registry in this grid;
 * a unit head names the unit too), since and until dates (until not before since; a member
 * is current on the days between, China time, either end open when absent), a public work
 * phone (checked as every phone is) and a duty (分工, what the member answers for).
 *
 * Beside the members the team holds what the grid publishes — seed 002's service card
 * (一格一员一卡) and seed 004's 五公开: the team's responsibilities, its service commitment,
 * a supervision phone, and convenience services with their phones (a clinic, an electrician)
 * — and the community police's station (name, phone, address).
 *
 * Invariants: a team changes only as a whole (members, duties, station) in one transaction,
 * under a version: 0 while the grid has none stored, one more at each change; a change names
 * the version it read (WG_EPRECOND when another came first). A bad member is refused naming
 * its index and field ('members[3].since'), with nothing stored. No personal phone is kept:
 * a member's own phone is their account's or registry person's, sealed there; names, roles
 * and work phones are public by design, and the public card (team_card.c) shows those and
 * the duties, nothing else. A team belongs to the scope that covers its grid; outside it the
 * grid does not exist (WG_ENOTFOUND). */
#ifndef WG_DOMAIN_REGISTRY_TEAM_H
#define WG_DOMAIN_REGISTRY_TEAM_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/map/locate.h"
#include "store/registry/team_q.h"

#define WG_TEAM_MEMBERS_MAX 200

extern const char *const wg_team_roles[]; /* head, full_time, ... NULL-terminated */
/* The keys a team's body may hold (routes.def). */
extern const char *const wg_team_fields[];

struct wg_team {
    char grid[20];
    char grid_name[192];
    struct wg_team_row row; /* version, duties and station as stored (JSON text) */
    size_t n;
    struct wg_team_member_row *m; /* owned */
};
void wg_team_release(struct wg_team *t);

/* The team of grid (a current grid in scope, else WG_ENOTFOUND), empty when none is stored. */
enum wg_rc wg_team_load(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                        struct wg_team *out, struct wg_err *err);
/* Reads body ({members, duties?, police_station?}) onto t, each field checked: the members
 * replace t's, duties and station replace t's when present. Nothing is stored. */
enum wg_rc wg_team_apply(const json_t *body, struct wg_team *t, struct wg_err *err);
/* Replaces the team of grid with body if it is still at version expect: loads it, applies
 * body, checks the accounts, persons and buildings it names, and stores it whole at now
 * (unix seconds); *out is the team stored (released on failure). by: who changes it. */
enum wg_rc wg_team_put(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                       long long expect, const json_t *body, long long now, const char *by,
                       struct wg_team *out, struct wg_err *err);

/* Whether member m is current on CST day `day` (a day number, core/civil.h). */
int wg_team_current(const struct wg_team_member_row *m, int day);
/* The team as its readers see it: every field, each member with `current` on day. */
json_t *wg_team_json(const struct wg_team *t, int day);
/* The public grid card of a located point (GET /api/v1/public/grid): the grid, its town and
 * village, the current members' names, roles, duties and work phones (and a building or unit
 * head's building name and unit), the police and their station, and the duties. Nothing else
 * of anyone. */
enum wg_rc wg_team_card(struct wg_db *db, const struct wg_locate_result *where, int day,
                        json_t **out, struct wg_err *err);

#endif
