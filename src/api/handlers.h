/* Every API handler, as listed in routes.def. */
#ifndef WG_API_HANDLERS_H
#define WG_API_HANDLERS_H

#include "http/request.h"

#define WG_ROUTE(method, pattern, fn, flags, perms, body)                                          \
    enum wg_rc fn(struct wg_req *req, struct wg_err *err);
#define WG_ROUTE_KEYS(method, pattern, fn, flags, perms, body, keys)                               \
    WG_ROUTE(method, pattern, fn, flags, perms, body)
#include "api/routes.def"
#undef WG_ROUTE
#undef WG_ROUTE_KEYS

struct wg_locate_result;
/* The locate answer's JSON, shared by the API and `wangge locate`. */
json_t *wg_api_locate_json(const struct wg_locate_result *r);

#endif
