/* The stats suites' world: county 371302's divisions and grids in a new store under a
 * temporary directory (tmpl, "/tmp/wangge-NAME-XXXXXX", written into dir), on PostgreSQL
 * when the suite runs there, opened with the orders' fixture and the locator. */
#ifndef WG_TESTS_T_COUNTY_H
#define WG_TESTS_T_COUNTY_H

#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "t.h"
#include "t_order.h"
#include "t_store.h"

static inline void t_county_open(char *dir, size_t n, const char *tmpl, struct wg_store **st,
                                 struct wg_db **db, struct t_order *ord, struct wg_locator **loc)
{
    struct wg_err err = {0};
    snprintf(dir, n, "%s", tmpl);
    T_CHECK(mkdtemp(dir) != NULL);
    setenv("WANGGE_NPM_CACHE", "tests/data/npm", 1);
    wg_cli_set_store(t_on_pg() ? t_store_where(dir, 1) : NULL);
    T_EQ_INT(wg_store_open(wg_cli_store(dir), 1, st, &err), WG_OK);
    wg_store_close(*st);
    T_EQ_INT(wg_cli_import_divisions(dir, "371302", "tests/data/divisions", &err), 0);
    T_EQ_INT(wg_cli_generate(dir, "371302", 9, 1, 7, &err), 0);
    T_EQ_INT(wg_store_open(wg_cli_store(dir), 0, st, &err), WG_OK);
    T_EQ_INT(wg_store_get(*st, db, &err), WG_OK);
    t_order_open(ord, dir, 1);
    T_EQ_INT(wg_locator_build(*db, loc, &err), WG_OK);
}

/* Closes what t_county_open opened and removes the store. */
static inline void t_county_close(char *dir, struct wg_store *st, struct wg_db *db,
                                  struct t_order *ord, struct wg_locator *loc)
{
    wg_locator_release(loc);
    t_order_close(ord);
    wg_store_put(db);
    wg_store_close(st);
    t_store_drop(dir);
    wg_cli_set_store(NULL);
    T_REMOVE_DIR(dir);
}

#endif
