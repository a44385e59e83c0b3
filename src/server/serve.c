/* A server's start and stop in one place (serve.h), with one path back out. */
#include "server/serve.h"

#include <signal.h>
#include <sys/resource.h>

#include "core/log.h"
#include "domain/accounts/pii_keys.h"
#include "domain/alerts/alert.h"
#include "domain/orders/photo.h"
#include "http/server.h"
#include "server/app.h"

/* The app's settings from the server's. */
static enum wg_rc configure(struct wg_app *app, struct wg_settings *s, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = wg_pii_keys_load(s->data, &app->keys, err)) ||
        (rc = wg_app_load_calendar(app, s->data, err)))
        return rc;
    app->data_dir = s->data;
    wg_photo_sweep(s->data); /* what a killed server was writing */
    if (!s->console_dir[0])
        wg_console_default_dir(s->console_dir, sizeof s->console_dir);
    snprintf(app->tiles_attribution, sizeof app->tiles_attribution, "%s", s->tiles_attribution);
    snprintf(app->tiles_subdomains, sizeof app->tiles_subdomains, "%s", s->tiles_subdomains);
    if ((rc = wg_console_settings(app, s->console_dir, s->tiles_url, err)))
        return rc;
    if (!app->console_dir[0])
        wg_warn("the console is not built (no %s): / shows how to build it", s->console_dir);
    app->portal = s->portal;
    app->call_proxy = s->call_proxy;
    app->geocoder = s->geocoder;
    app->cadence = s->cadence;
    app->case_boxes = s->case_boxes;
    app->patrol = s->patrol;
    app->screening = s->screening;
    wg_alert_config_set(&s->alerts);
    app->limits.idle_seconds = s->session_idle;
    app->limits.absolute_seconds = s->session_absolute;
    if ((rc = wg_pwpool_start((int)s->login_threads, &app->logins, &app->pwpool, err)))
        return rc;
    if (s->notify_attempts)
        s->notify.attempts = (int)s->notify_attempts;
    if (s->notify_backoff)
        s->notify.backoff_seconds = (int)s->notify_backoff;
    s->notify.keys = app->keys; /* a call request's phone is opened on its way out */
    return WG_OK;
}

/* SIGHUP: logrotate moved the log file away; the lines after this one go to a new one. */
static void reopen_log(void)
{
    struct wg_err err = {0};
    if (!wg_log_path()[0]) {
        wg_info("SIGHUP: the log is stderr, nothing to open again");
        return;
    }
    if (wg_log_reopen(&err))
        wg_warn("SIGHUP: %s; logging on to the file as it was", err.msg);
    else
        wg_info("SIGHUP: log file '%s' opened again", wg_log_path());
}

/* Room for every connection the server takes, and for its store, logs and files besides:
 * the soft descriptor limit (often 1,024) raised as far as the hard one lets. When even the
 * hard limit is short, the server takes fewer connections and says how many. */
static void raise_descriptors(struct wg_server_config *cfg)
{
    const rlim_t spare = 256; /* the store, the log, photos, webhooks */
    rlim_t want = (rlim_t)cfg->max_connections + spare, was;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return;
    was = rl.rlim_cur;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl))
            rl.rlim_cur = was;
    }
    if (rl.rlim_cur != was)
        wg_info("descriptors: limit raised from %llu to %llu for %u connections",
                (unsigned long long)was, (unsigned long long)rl.rlim_cur, cfg->max_connections);
    if (rl.rlim_cur < want) {
        unsigned fit = rl.rlim_cur > 2 * spare ? (unsigned)(rl.rlim_cur - spare) : 16;
        wg_warn("descriptors: the limit is %llu (hard limit %llu); taking %u connections, not "
                "%u",
                (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, fit,
                cfg->max_connections);
        cfg->max_connections = fit;
    }
}

enum wg_rc wg_serve(struct wg_settings *s, struct wg_err *err)
{
    struct wg_server_config cfg = {0};
    struct wg_store *st = NULL;
    struct wg_server *srv = NULL;
    struct wg_notify_worker *notifier = NULL;
    struct wg_app app;
    int app_ready = 0, sig;
    sigset_t sigs;
    enum wg_rc rc;
    if ((rc = wg_settings_listen(s->listen, cfg.host, sizeof cfg.host, &cfg.port, err)))
        return rc;
    cfg.threads = (unsigned)s->threads;
    cfg.body_max = (size_t)s->body_max;
    cfg.body_memory = (size_t)s->body_memory;
    cfg.idle_timeout = (unsigned)s->idle_timeout;
    cfg.head_timeout = (unsigned)s->head_timeout;
    cfg.max_connections = (unsigned)s->max_connections;
    cfg.per_address = (unsigned)s->per_address;
    cfg.access_log = !s->quiet;
    cfg.authorize = wg_api_authorize;
    cfg.release = wg_api_release;
    /* signals are taken by sigwait below; every thread started from here inherits the mask */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    wg_log_set_format(s->log_json ? WG_LOG_JSON : WG_LOG_TEXT);
    if (s->log_file[0] && (rc = wg_log_open(s->log_file, err)))
        return rc;
    raise_descriptors(&cfg);
    if ((rc = wg_store_open(*s->store ? s->store : s->data, 0, &st, err)))
        goto out;
    app_ready = 1; /* from here wg_app_release follows a failure anywhere in init */
    if ((rc = wg_app_init(&app, st, err)) || (rc = configure(&app, s, err)) ||
        (rc = wg_app_watch(&app, err)) ||
        (rc = wg_notify_worker_start(st, &s->notify, &notifier, err)) ||
        (rc = wg_server_start(&cfg, wg_routes, wg_nroutes, &app, &srv, err)))
        goto out;
    printf("wangge: listening on http://%s:%u\n", cfg.host, wg_server_port(srv));
    fflush(stdout);
    wg_info("serving %s on %s:%u with %u threads, %d checking passwords", s->data, cfg.host,
            wg_server_port(srv), cfg.threads, wg_pwpool_threads(app.pwpool));
    while (!sigwait(&sigs, &sig) && sig == SIGHUP)
        reopen_log();
    wg_info("stopping on signal %d; letting requests in flight finish", sig);
out:
    wg_server_stop(srv, 10000);
    wg_notify_worker_stop(notifier);
    if (app_ready)
        wg_app_release(&app);
    wg_store_close(st);
    if (!rc)
        wg_info("stopped");
    return rc;
}
