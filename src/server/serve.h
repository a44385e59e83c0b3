/* `wangge serve`: a server's whole life from its settings — the store opened, the app made
 * ready (server/app.h), the notification worker and the HTTP server started, then, on
 * SIGTERM or SIGINT, taken down in the reverse order: no new connections, requests in flight
 * and the group commit's last batch finished, nothing acknowledged lost. */
#ifndef WG_SERVER_SERVE_H
#define WG_SERVER_SERVE_H

#include "server/settings.h"

/* Runs until a stop signal; WG_OK when it stopped cleanly, else what kept it from starting. */
enum wg_rc wg_serve(struct wg_settings *s, struct wg_err *err);

#endif
