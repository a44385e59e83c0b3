/* Mediation bodies (调解组织, issue 20 item 2; docs/API.md "Mediation bodies and mediators"):
 * the people's mediation committees of villages and towns, the county's centre, trade and
 * professional bodies, police-station and court desks, named mediators' studios and lawyers'
 * rotas, each with its region and its members — accounts of the mediator role, full- or
 * part-time, with the types of dispute they know best. A case is given a body that serves its
 * place and, within it, a mediator. */
#ifndef WG_DOMAIN_BODY_H
#define WG_DOMAIN_BODY_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "store/store.h"

#define WG_BODY_MEMBERS_MAX 200

extern const char *const wg_body_kinds[];         /* village_committee, … lawyer_rota */
extern const char *const wg_body_fields[];        /* a body's keys, members' included */
extern const char *const wg_body_member_fields[]; /* username, full_time, specialities */

/* A body's fields as sent, checked for their shapes alone (every error naming the field):
 * strings point into the JSON. What needs the store — the region, the members' accounts — is
 * wg_body_save's. */
struct wg_body_input {
    const char *name, *kind, *region, *address, *phone;
    const json_t *members; /* an array, or NULL */
};
enum wg_rc wg_body_parse(const json_t *in, struct wg_body_input *b, struct wg_err *err);

/* Stores a body as POST and PUT take it (every field checked and named; members accounts of
 * the mediator role, once each; the region a known region in scope): id 0 makes a new one
 * into *id, else body id is replaced if still at version (WG_EPRECOND when not; WG_ENOTFOUND
 * outside scope). Its own transaction unless the caller's is open. */
enum wg_rc wg_body_save(struct wg_db *db, const struct wg_scope *scope, const json_t *in,
                        long long id, long long version, const char *actor, long long now,
                        long long *out_id, struct wg_err *err);
/* One body with its members (their names, part or full time, specialities and open cases),
 * readable when its region lies in the scope or above it; *version for the ETag. */
enum wg_rc wg_body_view(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_scope *scope, long long id, json_t **out,
                        long long *version, struct wg_err *err);
/* {"bodies": [...]} readable in scope, of a region's subtree (and the bodies above it) and a
 * kind ("" or NULL any), each as wg_body_view answers it. */
enum wg_rc wg_body_list(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_scope *scope, const char *region, const char *kind,
                        json_t **out, struct wg_err *err);
/* Whether body (a field named `field`) may take a case of grid — it exists and its region is
 * the grid's or above it — and mediator ("" none) is one of its members; WG_EINVAL naming the
 * field otherwise. */
enum wg_rc wg_body_serves(struct wg_db *db, long long body, const char *grid, const char *mediator,
                          struct wg_err *err);

#endif
