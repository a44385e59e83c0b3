/* The route table, expanded from routes.def. */
#include "api/app.h"
#include "api/handlers.h"
#include "domain/accounts/account.h"

const struct wg_route wg_routes[] = {
#define WG_ROUTE(method, pattern, fn, flags, perms, body) {method, pattern, fn, flags, perms, body},
#include "api/routes.def"
#undef WG_ROUTE
};
const size_t wg_nroutes = sizeof wg_routes / sizeof wg_routes[0];
