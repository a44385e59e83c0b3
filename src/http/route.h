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
    WG_R_SECRET = 1 << 4,      /* the path's first capture is a credential (a resident's
                                * tracking code, an Open311 token): logs show a short keyed
                                * hash of it instead (wg_req.log_path) */
    WG_R_LOCAL = 1 << 5,       /* a caller on this host (wg_req_from_loopback) needs no
                                * credentials; anyone else needs the route's permissions */
};

/* How much body a route reads, decided from the route before any of the body is read: a
 * declared or sent body over its cap answers 413 and is not read. */
enum wg_body_cap {
    WG_BODY_NONE,   /* no body: reads, deletes */
    WG_BODY_SMALL,  /* 8 KiB: logins, passwords, accounts, keys, units, rules, ratings */
    WG_BODY_JSON,   /* 256 KiB: an appeal, an action, a catalog item */
    WG_BODY_BATCH,  /* 2 MiB: a batch of points to locate */
    WG_BODY_UPLOAD, /* 12 MiB: a photo of up to 10 MiB, or a form carrying one */
    WG_BODY_IMPORT, /* the server's body_max setting (16 MiB unless set): grid imports */
    WG_BODY_CAP_COUNT
};
/* The cap in bytes; import is the server's own setting. */
size_t wg_body_cap_bytes(enum wg_body_cap cap, size_t import_max);

/* The keys a route's JSON body may hold. The router checks them once the body is parsed and
 * before the handler runs: any other key answers 400 naming it and the keys there are
 * (core/jfield.h, wg_jf_known: "a.b" is key b of the object under a). what names the body in
 * that error ("an order"). When they depend on the path (an order action's on its {name}),
 * of(req, &what) gives them instead; NULL for a path the handler refuses anyway. */
struct wg_body_keys {
    const char *what;
    const char *const *names;
    const char *const *(*of)(struct wg_req *req, const char **what);
};

struct wg_route {
    const char *method;
    const char *pattern; /* "/api/v1/regions/{code}"; a {name} matches one segment, a
                          * final {name*} the rest of the path (tried after every other
                          * route) */
    enum wg_rc (*handler)(struct wg_req *req, struct wg_err *err);
    unsigned flags;
    unsigned perms; /* permissions the caller needs (domain/accounts/account.h); 0: public */
    enum wg_body_cap body;
    const struct wg_body_keys *keys; /* a JSON body's keys; every JSON route has them */
};

/* The framing of a request (docs/API.md, Requests): its line and headers take at most
 * WG_HEAD_MAX bytes (431), its URL WG_URL_MAX (414), its query WG_QUERY_PARAMS_MAX fields
 * (400); each answered with the usual error body before any of the body is read. */
#define WG_HEAD_MAX         16384
#define WG_URL_MAX          15360
#define WG_QUERY_PARAMS_MAX 100

/* A request's URL as sent (path and query, not yet decoded): 414 when it is over
 * WG_URL_MAX, 400 when its query has more than WG_QUERY_PARAMS_MAX fields, else 0. */
int wg_uri_refusal(const char *uri);

/* Finds the route for method and path; fills req->params. Returns the route, or NULL with
 * *path_matched set when some route has the path but not the method (405). */
const struct wg_route *wg_route_match(const struct wg_route *routes, size_t n, const char *method,
                                      const char *path, struct wg_req *req, int *path_matched);

#endif
