/* wangge serve --data DIR --listen 127.0.0.1:8080 [--config FILE]: the HTTP server.
 * Settings come from an optional key = value file, then from flags (flags win). Stops
 * gracefully on SIGTERM or SIGINT: in-flight requests finish. */
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>

#include "api/app.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/num.h"
#include "domain/accounts/pii_keys.h"
#include "domain/notify/notify_worker.h"
#include "http/server.h"

#define USAGE                                                                                      \
    "serve --data DIR [--listen HOST:PORT] [--threads N] [--body-max BYTES] "                      \
    "[--config FILE] [--webhook URL]... [--console DIR] [--quiet]"

struct settings {
    char data[4096];
    char listen[128];
    long threads, body_max, idle_timeout, session_idle, session_absolute;
    int quiet;
    struct wg_notify_config notify;       /* webhook_url lines */
    long notify_attempts, notify_backoff; /* 0: the defaults of notify_worker.h */
    int webhook_flags;
    char console_dir[4096];         /* the built console; "" for the default */
    struct wg_portal_config portal; /* portal_* lines */
    char tiles_url[1024], tiles_attribution[256], tiles_subdomains[32]; /* base map */
};

static enum wg_rc set(struct settings *s, const char *key, const char *v, struct wg_err *err)
{
    if (!strcmp(key, "data"))
        snprintf(s->data, sizeof s->data, "%s", v);
    else if (!strcmp(key, "listen"))
        snprintf(s->listen, sizeof s->listen, "%s", v);
    else if (!strcmp(key, "threads"))
        return wg_parse_whole(key, v, 1, 256, &s->threads, err);
    else if (!strcmp(key, "body_max"))
        return wg_parse_whole(key, v, 1024, 1L << 30, &s->body_max, err);
    else if (!strcmp(key, "idle_timeout"))
        return wg_parse_whole(key, v, 1, 3600, &s->idle_timeout, err);
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
    else if (!strncmp(key, "portal_", 7))
        return wg_portal_config_set(&s->portal, key, v, err);
    else if (!strcmp(key, "console_dir"))
        snprintf(s->console_dir, sizeof s->console_dir, "%s", v);
    else if (!strcmp(key, "tiles_url"))
        snprintf(s->tiles_url, sizeof s->tiles_url, "%s", v);
    else if (!strcmp(key, "tiles_attribution"))
        snprintf(s->tiles_attribution, sizeof s->tiles_attribution, "%s", v);
    else if (!strcmp(key, "tiles_subdomains"))
        snprintf(s->tiles_subdomains, sizeof s->tiles_subdomains, "%s", v);
    else if (!strcmp(key, "access_log"))
        s->quiet = !strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false");
    else
        return wg_err_set(err, WG_EINVAL, "unknown setting '%s'", key);
    return WG_OK;
}

/* key = value lines; '#' starts a comment. */
static enum wg_rc read_config(struct settings *s, const char *path, struct wg_err *err)
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
        if ((rc = set(s, k, v, err))) {
            wg_err_prefix(err, "%s: line %zu", path, lineno);
            break;
        }
    }
    free(text);
    return rc;
}

static enum wg_rc split_listen(const char *listen, struct wg_server_config *cfg, struct wg_err *err)
{
    const char *colon = strrchr(listen, ':');
    long port;
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof cfg->host)
        return wg_err_set(err, WG_EINVAL, "--listen '%s' is not HOST:PORT", listen);
    if (wg_parse_whole("port", colon + 1, 0, 65535, &port, err))
        return WG_EINVAL;
    memcpy(cfg->host, listen, (size_t)(colon - listen));
    cfg->host[colon - listen] = '\0';
    cfg->port = (unsigned)port;
    return WG_OK;
}

int wg_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},    {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"body-max", required_argument, NULL, 'b'},
        {"config", required_argument, NULL, 'c'},  {"quiet", no_argument, NULL, 'q'},
        {"webhook", required_argument, NULL, 'w'}, {"console", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    struct settings s = {.listen = "127.0.0.1:8080",
                         .threads = 32,
                         .body_max = 16 << 20,
                         .idle_timeout = 30,
                         .session_idle = 1800,
                         .session_absolute = 43200};
    struct wg_err err = {0};
    struct wg_server_config cfg = {0};
    struct wg_store *st = NULL;
    struct wg_server *srv = NULL;
    struct wg_app app;
    struct wg_notify_worker *notifier = NULL;
    sigset_t sigs;
    int c, sig;
    wg_notify_config_init(&s.notify);
    wg_portal_config_init(&s.portal);
    /* the config file first, so that flags override it */
    for (int i = 1; i < argc - 1; i++)
        if (!strcmp(argv[i], "--config") && read_config(&s, argv[i + 1], &err))
            return wg_cli_fail(&err);
    while ((c = getopt_long(argc, argv, "d:l:t:b:c:w:C:qh", opts, NULL)) != -1) {
        enum wg_rc rc = WG_OK;
        switch (c) {
        case 'd':
            rc = set(&s, "data", optarg, &err);
            break;
        case 'l':
            rc = set(&s, "listen", optarg, &err);
            break;
        case 't':
            rc = set(&s, "threads", optarg, &err);
            break;
        case 'b':
            rc = set(&s, "body_max", optarg, &err);
            break;
        case 'c':
            break;
        case 'w': /* flags replace the config file's URLs */
            if (!s.webhook_flags++)
                s.notify.nurls = 0;
            rc = set(&s, "webhook_url", optarg, &err);
            break;
        case 'C':
            rc = set(&s, "console_dir", optarg, &err);
            break;
        case 'q':
            s.quiet = 1;
            break;
        default:
            return wg_cli_usage(USAGE);
        }
        if (rc)
            return wg_cli_fail(&err);
    }
    if (!s.data[0] || optind != argc)
        return wg_cli_usage(USAGE);
    if (split_listen(s.listen, &cfg, &err))
        return wg_cli_fail(&err);
    cfg.threads = (unsigned)s.threads;
    cfg.body_max = (size_t)s.body_max;
    cfg.idle_timeout = (unsigned)s.idle_timeout;
    cfg.access_log = !s.quiet;
    cfg.authorize = wg_api_authorize;
    /* signals are taken by sigwait below; every thread started from here inherits the mask */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (wg_store_open(s.data, 0, &st, &err))
        return wg_cli_fail(&err);
    if (wg_app_init(&app, st, &err)) {
        wg_store_close(st);
        return wg_cli_fail(&err);
    }
    if (wg_pii_keys_load(s.data, &app.keys, &err) || wg_app_load_calendar(&app, s.data, &err)) {
        wg_app_release(&app);
        wg_store_close(st);
        return wg_cli_fail(&err);
    }
    app.data_dir = s.data;
    if (!s.console_dir[0])
        wg_console_default_dir(s.console_dir, sizeof s.console_dir);
    snprintf(app.tiles_attribution, sizeof app.tiles_attribution, "%s", s.tiles_attribution);
    snprintf(app.tiles_subdomains, sizeof app.tiles_subdomains, "%s", s.tiles_subdomains);
    if (wg_console_settings(&app, s.console_dir, s.tiles_url, &err)) {
        wg_app_release(&app);
        wg_store_close(st);
        return wg_cli_fail(&err);
    }
    if (!app.console_dir[0])
        wg_warn("the console is not built (no %s): / shows how to build it", s.console_dir);
    app.portal = s.portal;
    app.limits.idle_seconds = s.session_idle;
    app.limits.absolute_seconds = s.session_absolute;
    if (s.notify_attempts)
        s.notify.attempts = (int)s.notify_attempts;
    if (s.notify_backoff)
        s.notify.backoff_seconds = (int)s.notify_backoff;
    if (wg_app_watch(&app, 1000, &err) || wg_notify_worker_start(st, &s.notify, &notifier, &err) ||
        wg_server_start(&cfg, wg_routes, wg_nroutes, &app, &srv, &err)) {
        wg_notify_worker_stop(notifier);
        wg_app_release(&app);
        wg_store_close(st);
        return wg_cli_fail(&err);
    }
    printf("wangge: listening on http://%s:%u\n", cfg.host, wg_server_port(srv));
    fflush(stdout);
    wg_info("serving %s on %s:%u with %u threads", s.data, cfg.host, wg_server_port(srv),
            cfg.threads);
    sigwait(&sigs, &sig);
    wg_info("stopping on signal %d; letting requests in flight finish", sig);
    wg_server_stop(srv, 10000);
    wg_notify_worker_stop(notifier);
    wg_app_release(&app);
    wg_store_close(st);
    wg_info("stopped");
    return 0;
}
