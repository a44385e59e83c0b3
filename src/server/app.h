/* A running server's application context (api/app.h's struct wg_app) made ready and taken
 * down, and the watcher thread that keeps it current: every second it rebuilds the locate
 * index when grids changed and loads a newer dispatch catalog, from this server or another
 * sharing the store; every minute it supervises orders that turned red. */
#ifndef WG_SERVER_APP_H
#define WG_SERVER_APP_H

#include "api/app.h"

/* Opens the app over an open store: the first locator and catalog, the indicators'
 * roll-ups, the group committer and the text indexer. */
enum wg_rc wg_app_init(struct wg_app *app, struct wg_store *store, struct wg_err *err);
/* Loads the working calendar from the JSON files in DATA_DIR/calendar (as `wangge calendar
 * load` keeps them); with none, weekdays are working days and a warning is logged. */
enum wg_rc wg_app_load_calendar(struct wg_app *app, const char *data, struct wg_err *err);
/* Starts the watcher thread. */
enum wg_rc wg_app_watch(struct wg_app *app, struct wg_err *err);
/* Supervises the orders that turned red since the last sweep, and folds the indicators'
 * change log into their roll-up rows. */
enum wg_rc wg_app_sweep(struct wg_app *app, struct wg_err *err);
/* The registry's part of the sweep (app.c): patrol tracks purged; with remind, overdue visits
 * reminded of. */
enum wg_rc wg_app_sweep_registry(struct wg_app *app, int remind, struct wg_err *err);
/* The disputes' part of the sweep (app.c): cases past their time box supervised. */
enum wg_rc wg_app_sweep_disputes(struct wg_app *app, struct wg_err *err);
/* Dispute screening's part (app.c): the period's tasks made when missing (with full, also
 * those of regions added since), and the tasks left past due reminded of. */
enum wg_rc wg_app_sweep_screenings(struct wg_app *app, int full, struct wg_err *err);
/* Stops the watcher, the committer (its last batch written) and the text indexer, and frees
 * what the app holds; safe on an app whose init failed part way. */
void wg_app_release(struct wg_app *app);

#endif
