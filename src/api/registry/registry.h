/* What the registry's handlers share (api/registry/): the caller's scope for the registry, the
 * registry_sensitive grant, ids from paths and the If-Match version. */
#ifndef WG_API_REGISTRY_H
#define WG_API_REGISTRY_H

#include "domain/registry/person.h"
#include "http/request.h"
#include "store/accounts/accounts_q.h"

/* NULL (everything) for a caller without an account's scope. */
const struct wg_scope *wg_api_registry_scope(const struct wg_req *req);
/* Whether the caller holds the registry_sensitive grant (an API key never does). */
enum wg_rc wg_api_registry_sensitive(struct wg_req *req, struct wg_db *db, int *sensitive,
                                     struct wg_err *err);
/* An id from a path; anything else is WG_ENOTFOUND naming what. */
enum wg_rc wg_api_registry_id(const char *s, const char *what, long long *id, struct wg_err *err);
/* The If-Match version, required (400 without it). */
enum wg_rc wg_api_registry_version(struct wg_req *req, const char *what, long long *version,
                                   struct wg_err *err);

#endif
