/* What the Open311 handlers (api/open311/open311.c, api/open311/open311_requests.c) share: the
 * answer in the format the path asks for (.xml or .json), errors in the specification's shape, and
 * the jurisdiction. Every Open311 handler answers its own errors this way and returns WG_OK. */
#ifndef WG_API_OPEN311_H
#define WG_API_OPEN311_H

#include <jansson.h>

#include "api/app.h"

/* The format of the path's last capture: 1 for json, 0 for xml; -1 for anything else (the
 * caller answers 404 in XML, the format every client reads). */
int wg_o311_format(const struct wg_req *req);

/* Answers v (taken) as JSON, or as XML under root with the Open311 item names. */
enum wg_rc wg_o311_reply(struct wg_req *req, int json, int status, const char *root, json_t *v);
/* Answers [{"code": status, "description": …}] or <errors><error>…</error></errors>. */
enum wg_rc wg_o311_error(struct wg_req *req, int json, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same for a failure: its status from the error code (400, 403, 404; 413; a server
 * failure is 500 with its details in the log only). */
enum wg_rc wg_o311_fail(struct wg_req *req, int json, const struct wg_err *e);

/* The interface's URL as the client reached it ("http://host/open311/v2", https behind a
 * proxy that says so): discovery's endpoint, and the base of media URLs. */
void wg_o311_base(struct wg_req *req, char url[320]);

/* The county a request is about: jid when given (it must be a county this deployment
 * serves, else WG_ENOTFOUND), else the only county served, else "" — and when several are
 * served and needed is set, WG_EINVAL asking for jurisdiction_id. */
enum wg_rc wg_o311_jurisdiction(struct wg_db *db, const char *jid, int needed, char county[16],
                                struct wg_err *err);

#endif
