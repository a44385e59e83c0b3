/* A server's settings: an optional `key = value` file (--config), then the command line's
 * flags, which win. Every setting has its range; an unknown key or a value out of range is
 * an error naming the file, the line and the key. */
#ifndef WG_SERVER_SETTINGS_H
#define WG_SERVER_SETTINGS_H

#include "domain/alerts/alert.h"
#include "domain/disputes/dispute.h"
#include "domain/notify/notify_worker.h"
#include "domain/map/geocoder.h"
#include "domain/portal/portal.h"
#include "domain/registry/patrol.h"
#include "domain/registry/visit.h"
#include "domain/disputes/screening.h"

struct wg_settings {
    char data[4096];
    char store[4096]; /* the store's URL; "": SQLite's in data */
    char listen[128];
    long threads, body_max, body_memory, idle_timeout, session_idle, session_absolute;
    long max_connections; /* client connections held at once */
    long per_address;     /* of them from one address */
    long head_timeout;    /* seconds a request's line and headers may take to arrive */
    long login_threads;   /* the password pool's threads; 0: half the cores, 1 to 4 */
    int quiet;
    char log_file[4096];                  /* "": stderr; else reopened on SIGHUP (logrotate) */
    int log_json;                         /* log_format = json: one JSON object a line */
    struct wg_notify_config notify;       /* webhook_url lines */
    long notify_attempts, notify_backoff; /* 0: the defaults of notify_worker.h */
    char console_dir[4096];               /* the built console; "" for the default */
    struct wg_portal_config portal;       /* portal_* lines */
    char tiles_url[1024], tiles_attribution[256], tiles_subdomains[32]; /* base map */
    int call_proxy;              /* call_proxy = on: reveal queues a call, never shows a number */
    struct wg_geocoder geocoder; /* geocoder_* lines: 天地图 for the address search */
    /* visits and patrols (domain/registry/visit.h, patrol.h): visit_cadence = group=days,...;
     * visit_daily_regions = codes (日查日访); visit_change_hours; patrol_track_days;
     * patrol_checklist = places */
    struct wg_cadence cadence;
    struct wg_patrol_config patrol;
    struct wg_case_boxes case_boxes; /* dispute_days = accept=2,grid=5,... */
    /* dispute screening (domain/disputes/screening.h): screening_cadence = level=cadence,... */
    struct wg_screening_config screening;
    /* alerts' merging (domain/alerts/alert.h): alert_window_seconds, alert_radius_m */
    struct wg_alert_config alerts;
};

/* The defaults: 127.0.0.1:8080, 32 threads, 16 MiB imports, 128 MiB of request bodies at
 * once (http/server.h), 30 s idle connections, 10,000 connections and 1,000 from one
 * address, 10 s for a request's head, sessions idle 30 minutes and at most 12 hours. */
void wg_settings_init(struct wg_settings *s);
/* One setting by its file name ("threads", "webhook_url", "portal_per_phone", ...). */
enum wg_rc wg_settings_set(struct wg_settings *s, const char *key, const char *value,
                           struct wg_err *err);
/* Every line of a settings file: key = value; '#' starts a comment. */
enum wg_rc wg_settings_read(struct wg_settings *s, const char *path, struct wg_err *err);
/* HOST:PORT into its parts (host of size n). */
enum wg_rc wg_settings_listen(const char *listen, char *host, size_t n, unsigned *port,
                              struct wg_err *err);

#endif
