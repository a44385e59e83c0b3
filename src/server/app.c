/* A running server's life (server/app.h): the application context made ready, the watcher
 * that keeps its snapshots current and sweeps red orders every minute, and its release. */
#include "server/app.h"

#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "domain/alerts/warn_feed.h"
#include "domain/orders/dup_cache.h"
#include "domain/orders/order.h"
#include "domain/stats/stats_cube.h"
#include "store/catalog/catalog_q.h"
#include "store/stats/stats_q.h"

/* The indicators' roll-ups, built from the store's counters before the first request. */
static enum wg_rc build_stats(struct wg_app *app, struct wg_err *err)
{
    struct wg_db *db;
    uint64_t t0 = wg_clock_us();
    enum wg_rc rc;
    app->stats = wg_stats_cube_new();
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_stats_cube_refresh(app->stats, db, err);
    wg_store_put(db);
    if (!rc)
        wg_info("indicator roll-ups built: %zu entries, %.1f MB in %.1f ms",
                wg_stats_cube_entries(app->stats), wg_stats_cube_bytes(app->stats) / 1e6,
                (double)(wg_clock_us() - t0) / 1000.0);
    return rc;
}

enum wg_rc wg_app_init(struct wg_app *app, struct wg_store *store, struct wg_err *err)
{
    memset(app, 0, sizeof *app);
    app->store = store;
    /* what wg_app_release takes down first, so that it can follow a failure anywhere below */
    wg_slot_init(&app->catalogs);
    wg_slot_init(&app->locator);
    wg_login_limit_init(&app->logins);
    wg_portal_config_init(&app->portal);
    app->sweep_seconds = 60;
    wg_cadence_defaults(&app->cadence);
    wg_case_boxes_init(&app->case_boxes);
    wg_patrol_config_defaults(&app->patrol);
    wg_screening_defaults(&app->screening);
    app->limits.idle_seconds = 30 * 60;
    app->limits.absolute_seconds = 12 * 3600;
    app->calendar = wg_calendar_new();
    /* intake's duplicate window in memory where one server owns the store (SQLite), where it
     * measured cheaper; on a store several servers share (PostgreSQL) the statements that keep
     * it current cost more than the searches it saves (docs/BENCHMARKS.md) */
    if (!wg_store_shared(store))
        app->dups = wg_dup_cache_new();
    enum wg_rc rc = wg_app_locator_refresh(app, 1, err);
    if (rc || (rc = wg_app_catalog_refresh(app, err)))
        return rc;
    wg_session_cache(5);
    if ((rc = build_stats(app, err)))
        return rc;
    /* intake's writes go through one writer that commits concurrent requests together */
    if ((rc = wg_committer_start(store, 0, &app->committer, err)))
        return rc;
    /* and the text index of new orders is made behind them, on a thread of its own */
    return wg_text_index_start(store, &app->text_index, err);
}

/* The minute sweep's removal of sessions that ended unseen (session.h). */
struct purge {
    const struct wg_session_limits *lim;
    long long now;
    long n;
};

static enum wg_rc purge_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct purge *p = ctx;
    return wg_session_purge(db, p->now, p->lim, &p->n, err);
}

enum wg_rc wg_app_sweep(struct wg_app *app, struct wg_err *err)
{
    struct wg_catalog_snap *snap = wg_catalog_slot_acquire(&app->catalogs);
    struct wg_order_env env = {app->keys, snap ? &snap->cat : NULL, app->calendar, app->dups};
    struct wg_db *db;
    int n = 0;
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc) {
        wg_catalog_snap_release(snap);
        return rc;
    }
    rc = wg_order_sweep_red(db, app->committer, &env, (long long)time(NULL), &app->stop, &n, err);
    /* the counters' change log folded into the roll-up rows a server starts from; then, as
     * every server applies the log within a second (the watcher, and before each answer),
     * an hour of it is plenty to keep */
    if (!rc)
        rc = wg_stats_fold_log(db, app->committer, (long long)time(NULL) - 3600, &app->stop, err);
    wg_store_put(db);
    struct purge p = {&app->limits, (long long)time(NULL), 0};
    if (!rc && !(rc = wg_committer_run(app->committer, purge_tx, &p, err)) && p.n)
        wg_info("removed %ld session%s that ended unseen", p.n, p.n == 1 ? "" : "s");
    wg_catalog_snap_release(snap);
    if (n)
        wg_info("supervised %d order%s past the reply deadline", n, n == 1 ? "" : "s");
    return rc;
}

/* The registry's sweep: patrol tracks past their retention purged and the visits' marked due
 * days worked out (every minute), and the workers reminded of overdue visits (every ten: a
 * reminder is sent once per visit). */
enum wg_rc wg_app_sweep_registry(struct wg_app *app, int remind, struct wg_err *err)
{
    struct wg_db *db;
    long purged = 0;
    int reminded = 0;
    long long now = (long long)time(NULL);
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc)
        return rc;
    long settled = 0;
    rc = wg_patrol_purge(db, app->committer, &app->patrol, now, &purged, err);
    if (!rc && !remind) /* the reminders settle the marked due days first themselves */
        rc = wg_visit_due_settle(db, app->committer, app->keys, app->calendar, &app->cadence, now,
                                 &settled, err);
    if (!rc && remind)
        rc = wg_visit_remind(db, app->committer, app->keys, app->calendar, &app->cadence, now,
                             &reminded, err);
    wg_store_put(db);
    if (purged)
        wg_info("purged %ld patrol track batch%s past %d days", purged, purged == 1 ? "" : "es",
                app->patrol.track_days);
    if (settled > 1000)
        wg_info("worked out the next visit's due day of %ld person%s", settled,
                settled == 1 ? "" : "s");
    if (reminded)
        wg_info("reminded workers of %d overdue visit%s", reminded, reminded == 1 ? "" : "s");
    return rc;
}

/* The disputes' sweep (every minute): cases past their time box supervised once, and their
 * level told. */
enum wg_rc wg_app_sweep_disputes(struct wg_app *app, struct wg_err *err)
{
    struct wg_db *db;
    int n = 0;
    struct wg_case_env env = {app->keys, app->calendar, &app->case_boxes};
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc)
        return rc;
    rc = wg_case_sweep(db, &env, (long long)time(NULL), &n, err);
    wg_store_put(db);
    if (n)
        wg_info("supervised %d dispute case%s past its time box", n, n == 1 ? "" : "s");
    return rc;
}

/* Dispute screening's sweep: a level's tasks of the period are made once (a later minute
 * finds them with one indexed read per level; every hour, and at start, a full pass adds the
 * tasks of regions made since), and each task left past due is reminded of once. */
enum wg_rc wg_app_sweep_screenings(struct wg_app *app, int full, struct wg_err *err)
{
    struct wg_db *db;
    long made = 0;
    int reminded = 0;
    long long now = (long long)time(NULL);
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc)
        return rc;
    struct wg_err later = {0};
    rc = wg_screening_generate(db, app->committer, app->calendar, &app->screening, now, full, &made,
                               err);
    /* a level the calendar cannot date yet keeps no task from being reminded */
    enum wg_rc rc2 = wg_screening_remind(db, app->committer, now, &reminded, rc ? &later : err);
    rc = rc ? rc : rc2;
    wg_store_put(db);
    if (made)
        wg_info("made %ld dispute screening task%s", made, made == 1 ? "" : "s");
    if (reminded)
        wg_info("reminded staff of %d overdue screening task%s", reminded,
                reminded == 1 ? "" : "s");
    return rc;
}

/* Every second: rebuild the locate index when grids changed; every minute: supervise
 * orders that turned red. */
static void *watch(void *arg)
{
    struct wg_app *app = arg;
    for (unsigned tick = 0; !atomic_load(&app->stop); tick++) {
        struct wg_err err = {0};
        for (int i = 0; i < 20 && !atomic_load(&app->stop); i++)
            usleep(50 * 1000);
        if (atomic_load(&app->stop))
            break;
        if (wg_app_locator_refresh(app, 0, &err))
            wg_warn("locate index not rebuilt: %s", err.msg);
        if (wg_app_catalog_refresh(app, &err))
            wg_warn("dispatch catalog not reloaded: %s", err.msg);
        if (app->keys && tick % app->sweep_seconds == 0 && wg_app_sweep(app, &err))
            wg_warn("supervision sweep failed: %s", err.msg);
        if (app->keys && tick % app->sweep_seconds == 0 &&
            wg_app_sweep_registry(app, tick % (app->sweep_seconds * 10) == 0, &err))
            wg_warn("registry sweep failed: %s", err.msg);
        if (app->keys && tick % app->sweep_seconds == 0 && wg_app_sweep_disputes(app, &err))
            wg_warn("disputes sweep failed: %s", err.msg);
        if (app->keys && tick % app->sweep_seconds == 0 &&
            wg_app_sweep_screenings(app, tick % (app->sweep_seconds * 60) == 0, &err))
            wg_warn("screening sweep failed: %s", err.msg);
    }
    return NULL;
}

enum wg_rc wg_app_watch(struct wg_app *app, struct wg_err *err)
{
    if (pthread_create(&app->watcher, NULL, watch, app) != 0)
        return wg_err_set(err, WG_EINTERNAL, "cannot start the index watcher thread");
    app->watcher_running = 1;
    /* early warning follows the orders behind intake, on a thread of its own (warn_feed.h) */
    app->warnings = wg_warn_follower_new(app->store, app->committer, app->keys);
    return wg_warn_follower_start(app->warnings, err);
}

void wg_app_release(struct wg_app *app)
{
    if (app->watcher_running) {
        atomic_store(&app->stop, 1);
        pthread_join(app->watcher, NULL);
    }
    if (app->committer) {
        struct wg_committer_stats cs;
        wg_committer_stats(app->committer, &cs);
        if (cs.jobs)
            wg_info("group commit: %lld writes in %lld transactions (%.1f a transaction, at most "
                    "%lld), %lld refused, %lld flushes of the log, %lld transactions redone",
                    cs.jobs, cs.batches, (double)cs.jobs / (double)cs.batches, cs.largest_batch,
                    cs.failed_jobs, cs.flushes, cs.redone);
    }
    wg_warn_follower_free(app->warnings); /* before the committer: it writes through it */
    app->warnings = NULL;
    wg_pwpool_stop(app->pwpool); /* before the committer: a login it checked goes on to it */
    app->pwpool = NULL;
    wg_committer_stop(app->committer);
    app->committer = NULL;
    wg_text_index_stop(app->text_index); /* after the committer: it indexes every order */
    app->text_index = NULL;
    wg_slot_release(&app->locator);
    wg_pii_keys_free(app->keys);
    wg_slot_release(&app->catalogs);
    wg_calendar_free(app->calendar);
    wg_dup_cache_free(app->dups);
    app->dups = NULL;
    wg_stats_cube_free(app->stats);
    app->stats = NULL;
    wg_login_limit_release(&app->logins);
}

enum wg_rc wg_app_load_calendar(struct wg_app *app, const char *data, struct wg_err *err)
{
    return wg_calendar_load_data(app->calendar, data, err);
}
