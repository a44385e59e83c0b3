/* The route table, expanded from routes.def. */
#include "api/app.h"
#include "api/handlers.h"
#include "domain/accounts/account.h"
#include "domain/alerts/alert.h"
#include "domain/alerts/device.h"
#include "domain/alerts/sponsor.h"
#include "domain/alerts/task.h"
#include "domain/assess/assess.h"
#include "domain/assess/survey.h"
#include "domain/disputes/body.h"
#include "domain/partake/mobilise.h"
#include "domain/partake/stairwell.h"
#include "domain/partake/volunteer.h"
#include "domain/disputes/dispute.h"
#include "domain/disputes/screening.h"
#include "domain/alerts/warning.h"
#include "domain/partake/deliberation.h"
#include "domain/partake/wish.h"
#include "domain/registry/building.h"
#include "domain/registry/org.h"
#include "domain/registry/party.h"
#include "domain/registry/thing.h"
#include "domain/registry/team.h"

const struct wg_route wg_routes[] = {
#define WG_ROUTE(method, pattern, fn, flags, perms, body)                                          \
    {method, pattern, fn, flags, perms, body, NULL},
#define WG_ROUTE_KEYS(method, pattern, fn, flags, perms, body, keys)                               \
    {method, pattern, fn, flags, perms, body, keys},
#define WG_KEYS(what, ...)                                                                         \
    (&(const struct wg_body_keys){what, (const char *const[]){__VA_ARGS__, NULL}, NULL})
#define WG_KEYS_LIST(what, list) (&(const struct wg_body_keys){what, list, NULL})
#define WG_KEYS_OF(fn)           (&(const struct wg_body_keys){NULL, NULL, fn})
#include "api/routes.def"
#undef WG_ROUTE
#undef WG_ROUTE_KEYS
};
const size_t wg_nroutes = sizeof wg_routes / sizeof wg_routes[0];
