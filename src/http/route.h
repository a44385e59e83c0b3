/* A route: method + pattern → handler, declared as data in src/api/routes.def. The router
 * runs the generic checks (body size, JSON parse) once before any handler. */
#ifndef WG_HTTP_ROUTE_H
#define WG_HTTP_ROUTE_H

#include "http/request.h"

struct wg_route;
/* Decides whether the request may run the route (authentication, permissions); sets
 * req->actor. Runs before the body is parsed and before the handler. */
typedef enum wg_rc (*wg_authorize_fn)(struct wg_req *req, const struct wg_route *r,
                                      struct wg_err *err);

enum wg_route_flags {
    WG_R_JSON = 1 << 0,        /* the body must be a JSON value */
    WG_R_MUST_CHANGE = 1 << 1, /* allowed while the caller must still change the password */
    WG_R_JSON_OPT = 1 << 2,    /* a JSON body may be sent; none reads as {} */
    WG_R_FORM = 1 << 3,        /* a form body (urlencoded or multipart) is read into req->form;
                                * a body that is no form leaves req->form->rc set, for the
                                * handler to answer in its own format */
};

struct wg_route {
    const char *method;
    const char *pattern; /* "/api/v1/regions/{code}"; a {name} matches one segment, a
                          * final {name*} the rest of the path (tried after every other
                          * route) */
    enum wg_rc (*handler)(struct wg_req *req, struct wg_err *err);
    unsigned flags;
    unsigned perms; /* permissions the caller needs (domain/account.h); 0: public */
};

/* Finds the route for method and path; fills req->params. Returns the route, or NULL with
 * *path_matched set when some route has the path but not the method (405). */
const struct wg_route *wg_route_match(const struct wg_route *routes, size_t n, const char *method,
                                      const char *path, struct wg_req *req, int *path_matched);

#endif
