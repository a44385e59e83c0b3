/* A server's settings from its file and flags (settings.h). */
#include "server/settings.h"

#include "core/csv.h"
#include "core/param.h"

void wg_settings_init(struct wg_settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->listen, sizeof s->listen, "127.0.0.1:8080");
    s->threads = 32;
    s->body_max = 16 << 20;
    s->body_memory = 128 << 20;
    s->idle_timeout = 30;
    s->max_connections = 10000;
    s->per_address = 1000;
    s->head_timeout = 10;
    s->session_idle = 1800;
    s->session_absolute = 43200;
    wg_notify_config_init(&s->notify);
    wg_portal_config_init(&s->portal);
    wg_geocoder_init(&s->geocoder);
    wg_cadence_defaults(&s->cadence);
    wg_case_boxes_init(&s->case_boxes);
    wg_patrol_config_defaults(&s->patrol);
    wg_screening_defaults(&s->screening);
    s->alerts = (struct wg_alert_config){WG_ALERT_WINDOW, WG_ALERT_RADIUS};
}

enum wg_rc wg_settings_set(struct wg_settings *s, const char *key, const char *v,
                           struct wg_err *err)
{
    if (!strcmp(key, "data"))
        snprintf(s->data, sizeof s->data, "%s", v);
    else if (!strcmp(key, "store"))
        snprintf(s->store, sizeof s->store, "%s", v);
    else if (!strcmp(key, "listen"))
        snprintf(s->listen, sizeof s->listen, "%s", v);
    else if (!strcmp(key, "threads"))
        return wg_parse_whole(key, v, 1, 256, &s->threads, err);
    else if (!strcmp(key, "login_threads"))
        return wg_parse_whole(key, v, 1, 64, &s->login_threads, err);
    else if (!strcmp(key, "body_max"))
        return wg_parse_whole(key, v, 1024, 1L << 30, &s->body_max, err);
    else if (!strcmp(key, "body_memory")) /* half of it takes two 12 MiB forms */
        return wg_parse_whole(key, v, 48L << 20, 1L << 40, &s->body_memory, err);
    else if (!strcmp(key, "idle_timeout"))
        return wg_parse_whole(key, v, 1, 3600, &s->idle_timeout, err);
    else if (!strcmp(key, "max_connections"))
        return wg_parse_whole(key, v, 16, 1000000, &s->max_connections, err);
    else if (!strcmp(key, "per_address_connections"))
        return wg_parse_whole(key, v, 1, 1000000, &s->per_address, err);
    else if (!strcmp(key, "head_timeout"))
        return wg_parse_whole(key, v, 1, 3600, &s->head_timeout, err);
    else if (!strcmp(key, "session_idle"))
        return wg_parse_whole(key, v, 1, 86400, &s->session_idle, err);
    else if (!strcmp(key, "session_absolute"))
        return wg_parse_whole(key, v, 1, 7 * 86400, &s->session_absolute, err);
    else if (!strcmp(key, "webhook_url") && *v) /* repeatable: alternatives tried in order */
        return wg_notify_config_add_url(&s->notify, v, err);
    else if (!strcmp(key, "webhook_url")) /* empty: none */
        s->notify.nurls = 0;
    else if (!strcmp(key, "notify_attempts"))
        return wg_parse_whole(key, v, 1, 100, &s->notify_attempts, err);
    else if (!strcmp(key, "notify_backoff_seconds"))
        return wg_parse_whole(key, v, 1, 3600, &s->notify_backoff, err);
    else if (!strncmp(key, "geocoder_", 9))
        return wg_geocoder_set(&s->geocoder, key, v, err);
    else if (!strncmp(key, "portal_", 7))
        return wg_portal_config_set(&s->portal, key, v, err);
    else if (!strcmp(key, "call_proxy") && (!strcmp(v, "on") || !strcmp(v, "off")))
        s->call_proxy = !strcmp(v, "on");
    else if (!strcmp(key, "call_proxy"))
        return wg_err_set(err, WG_EINVAL, "call_proxy '%.40s' is not on or off", v);
    else if (!strcmp(key, "dispute_days"))
        return wg_case_boxes_set(&s->case_boxes, v, err);
    else if (!strcmp(key, "visit_cadence"))
        return wg_cadence_set(&s->cadence, v, err);
    else if (!strcmp(key, "visit_daily_regions"))
        return wg_cadence_set_daily(&s->cadence, v, err);
    else if (!strcmp(key, "visit_change_hours")) {
        long h = 0;
        enum wg_rc rc = wg_parse_whole(key, v, 0, 720, &h, err);
        s->cadence.change_hours = rc ? s->cadence.change_hours : (int)h;
        return rc;
    } else if (!strcmp(key, "patrol_track_days")) {
        long d = 0;
        enum wg_rc rc = wg_parse_whole(key, v, 1, 3660, &d, err);
        s->patrol.track_days = rc ? s->patrol.track_days : (int)d;
        return rc;
    } else if (!strcmp(key, "patrol_checklist"))
        return wg_patrol_set_places(&s->patrol, v, err);
    else if (!strcmp(key, "screening_cadence"))
        return wg_screening_set_cadence(&s->screening, v, err);
    else if (!strcmp(key, "alert_window_seconds")) {
        long w = 0;
        enum wg_rc rc = wg_parse_whole(key, v, 10, 86400, &w, err);
        s->alerts.window = rc ? s->alerts.window : w;
        return rc;
    } else if (!strcmp(key, "alert_radius_m")) {
        long r = 0;
        enum wg_rc rc = wg_parse_whole(key, v, 1, 1000, &r, err);
        s->alerts.radius = rc ? s->alerts.radius : (double)r;
        return rc;
    } else if (!strcmp(key, "console_dir"))
        snprintf(s->console_dir, sizeof s->console_dir, "%s", v);
    else if (!strcmp(key, "tiles_url"))
        snprintf(s->tiles_url, sizeof s->tiles_url, "%s", v);
    else if (!strcmp(key, "tiles_attribution"))
        snprintf(s->tiles_attribution, sizeof s->tiles_attribution, "%s", v);
    else if (!strcmp(key, "tiles_subdomains"))
        snprintf(s->tiles_subdomains, sizeof s->tiles_subdomains, "%s", v);
    else if (!strcmp(key, "log_file") && strlen(v) >= sizeof s->log_file)
        return wg_err_set(err, WG_EINVAL, "log_file is longer than %zu bytes",
                          sizeof s->log_file - 1);
    else if (!strcmp(key, "log_file"))
        snprintf(s->log_file, sizeof s->log_file, "%s", v);
    else if (!strcmp(key, "log_format") && (!strcmp(v, "text") || !strcmp(v, "json")))
        s->log_json = !strcmp(v, "json");
    else if (!strcmp(key, "log_format"))
        return wg_err_set(err, WG_EINVAL, "log_format '%.40s' is not text or json", v);
    else if (!strcmp(key, "access_log"))
        s->quiet = !strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false");
    else
        return wg_err_set(err, WG_EINVAL, "unknown setting '%s'", key);
    return WG_OK;
}

/* key = value lines; '#' starts a comment. */
enum wg_rc wg_settings_read(struct wg_settings *s, const char *path, struct wg_err *err)
{
    char *text, *line, *save = NULL;
    size_t len, lineno = 0;
    enum wg_rc rc = wg_file_read(path, 1 << 20, &text, &len, err);
    if (rc)
        return rc;
    for (char *p = text; (line = strtok_r(p, "\n", &save)); p = NULL) {
        char *eq, *k, *v, *e;
        lineno++;
        line[strcspn(line, "#")] = '\0';
        k = line + strspn(line, " \t\r");
        if (!*k)
            continue;
        if (!(eq = strchr(k, '='))) {
            rc = wg_err_set(err, WG_EINVAL, "%s: line %zu: expected 'key = value'", path, lineno);
            break;
        }
        for (e = eq; e > k && strchr(" \t=", e[-1]); e--)
            ;
        *e = '\0';
        v = eq + 1 + strspn(eq + 1, " \t");
        for (e = v + strlen(v); e > v && strchr(" \t\r", e[-1]); e--)
            ;
        *e = '\0';
        if ((rc = wg_settings_set(s, k, v, err))) {
            wg_err_prefix(err, "%s: line %zu", path, lineno);
            break;
        }
    }
    free(text);
    return rc;
}

enum wg_rc wg_settings_listen(const char *listen, char *host, size_t n, unsigned *port,
                              struct wg_err *err)
{
    const char *colon = strrchr(listen, ':');
    long p;
    if (!colon || colon == listen || (size_t)(colon - listen) >= n)
        return wg_err_set(err, WG_EINVAL, "--listen '%s' is not HOST:PORT", listen);
    if (wg_parse_whole("port", colon + 1, 0, 65535, &p, err))
        return WG_EINVAL;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    *port = (unsigned)p;
    return WG_OK;
}
