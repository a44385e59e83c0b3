/* A route: method + pattern → handler, declared as data in src/api/routes.def. The router
 * runs the generic checks (body size, JSON parse) once before any handler. */
#ifndef WG_HTTP_ROUTE_H
#define WG_HTTP_ROUTE_H

#include "http/request.h"

enum wg_route_flags {
    WG_R_JSON = 1 << 0, /* the body must be a JSON value */
};

struct wg_route {
    const char *method;
    const char *pattern; /* "/api/v1/regions/{code}"; a {name} matches one segment */
    enum wg_rc (*handler)(struct wg_req *req, struct wg_err *err);
    unsigned flags;
};

/* Finds the route for method and path; fills req->params. Returns the route, or NULL with
 * *path_matched set when some route has the path but not the method (405). */
const struct wg_route *wg_route_match(const struct wg_route *routes, size_t n, const char *method,
                                      const char *path, struct wg_req *req, int *path_matched);

#endif
