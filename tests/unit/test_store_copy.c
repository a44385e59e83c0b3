/* Copying a store into another (store/copy.c): a working district's store, with grids,
 * accounts, orders through the loop, their timelines, counters and notifications, copied
 * into a new store and back (SQLite to SQLite, or to PostgreSQL and back when the tests run
 * on it) reads the same in every table, and serves the same lists; a destination that holds
 * anything is refused and left as it was; and every table of the schema is copied. */
#include "t.h"

#include <jansson.h>

#include "cli/cli.h"
#include "domain/map/locate.h"
#include "domain/orders/history.h"
#include "store/backend.h"
#include "store/orders/orders_q.h"
#include "t_order.h"
#include "t_store.h"

static char dir_a[] = "/tmp/wangge-copy-a-XXXXXX", dir_c[] = "/tmp/wangge-copy-c-XXXXXX";

/* A district's store in dir_a: divisions, grids, and 300 orders of history. */
static void make_source(void)
{
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct t_order o;
    struct wg_locator *loc = NULL;
    struct wg_history_report rep;
    T_CHECK(mkdtemp(dir_a) != NULL);
    setenv("WANGGE_NPM_CACHE", "tests/data/npm", 1);
    T_EQ_INT(wg_store_open(dir_a, 1, &st, &err), WG_OK);
    wg_store_close(st);
    T_EQ_INT(wg_cli_import_divisions(dir_a, "371302", "tests/data/divisions", &err), 0);
    T_EQ_INT(wg_cli_generate(dir_a, "371302", 9, 1, 7, &err), 0);
    T_EQ_INT(wg_store_open(dir_a, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_order_open(&o, dir_a, 1);
    T_EQ_INT(wg_locator_build(db, &loc, &err), WG_OK);
    struct wg_history_opts h = {"371302", 30, 300, 7, 1790000000};
    T_EQ_INT(wg_history_generate(db, &o.env, loc, &h, &rep, &err), WG_OK);
    T_EQ_INT(rep.orders, 300);
    wg_locator_release(loc);
    t_order_close(&o);
    wg_store_put(db);
    wg_store_close(st);
}

static void copy(const char *from, const char *to, enum wg_rc want, struct wg_copy_report *rep)
{
    struct wg_store *a = NULL, *b = NULL;
    struct wg_err err = {0};
    T_EQ_INT(wg_store_open(from, 0, &a, &err), WG_OK);
    T_EQ_INT(wg_store_open(to, 1, &b, &err), WG_OK);
    enum wg_rc rc = wg_store_copy(a, b, NULL, NULL, rep, &err);
    if (rc != want)
        fprintf(stderr, "copy: %s\n", err.msg);
    T_EQ_INT(rc, want);
    wg_store_close(a);
    wg_store_close(b);
}

/* The list of every order as the API answers it, to compare stores by. */
static char *every_order(const char *where, const char *keys_dir)
{
    struct wg_store *st;
    struct wg_db *db;
    struct wg_err err = {0};
    struct t_order o;
    struct wg_actor a;
    json_t *out = NULL;
    char *text;
    T_EQ_INT(wg_store_open(where, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_order_open(&o, keys_dir, 1);
    t_actor(&a, "admin", "sysadmin", "region", "");
    struct wg_order_query q = {.limit = "1000"};
    T_EQ_INT(wg_order_list(db, &o.env, &a, &q, &out, &err), WG_OK);
    text = json_dumps(out, JSON_SORT_KEYS);
    json_decref(out);
    t_order_close(&o);
    wg_store_put(db);
    wg_store_close(st);
    return text;
}

/* Every table the schema holds is one copy.def lists (but the schema's own and the fold
 * position, copied apart, and PostgreSQL's text index and phone lookup, made again), on
 * SQLite and, when the tests run on it, on PostgreSQL (the database at pg). */
static const char *const copied[] = {
#define WG_COPY(t, types, cols, keys, kmarks, marks) #t,
#include "store/copy.def"
#undef WG_COPY
};

static void test_every_table_copied(const char *pg)
{
    static const char *const listed[] = {
#define WG_COPY(t, types, cols, keys, kmarks, marks) #t,
#include "store/copy.def"
#undef WG_COPY
    };
    char sql[512];
    size_t n = sizeof listed / sizeof *listed;
    long long tables = t_sqlite_one(dir_a, "SELECT COUNT(*) FROM sqlite_master WHERE type = "
                                           "'table' AND name NOT IN ('schema_version', "
                                           "'stat_roll_pos')");
    T_EQ_INT(tables, (long long)n);
    for (size_t i = 0; i < n; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sqlite_master WHERE name = '%s'",
                 listed[i]);
        T_EQ_INT(t_sqlite_one(dir_a, sql), 1);
    }
    if (!pg)
        return;
    /* PostgreSQL's text index and phone lookup (migration 25) are made again from the orders
     * copied, by the text indexer, as SQLite's file beside the store is */
    T_EQ_INT(t_pg_one(pg, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                          "AND tablename NOT IN ('schema_version', 'stat_roll_pos', "
                          "'order_text', 'order_phone', 'order_fts_mark')"),
             (long long)n);
    for (size_t i = 0; i < n; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pg_tables WHERE tablename = '%s'",
                 listed[i]);
        T_EQ_INT(t_pg_one(pg, sql), 1);
    }
}

int main(void)
{
    struct wg_copy_report rep, back;
    char dir_b[] = "/tmp/wangge-copy-b-XXXXXX";
    make_source();
    T_CHECK(mkdtemp(dir_b) != NULL);
    T_CHECK(mkdtemp(dir_c) != NULL);
    /* there (a database of the cluster on PostgreSQL, a directory on SQLite), and back */
    const char *b = t_store_where(dir_b, 1);
    char there[512];
    snprintf(there, sizeof there, "%s", b);
    copy(dir_a, there, WG_OK, &rep);
    test_every_table_copied(t_on_pg() ? there : NULL);
    /* every table copy.def lists (order_duplicate: migration 28; the registry's: 31 and 32) */
    T_CHECK(rep.tables == (int)(sizeof copied / sizeof *copied) && rep.rows > 3000);
    copy(there, dir_c, WG_OK, &back);
    T_EQ_INT(back.rows, rep.rows);
    /* the same orders, read through the domain, from the copy of the copy */
    char *want = every_order(dir_a, dir_a), *got = every_order(dir_c, dir_a);
    T_CHECK(strstr(want, "\"number\"") != NULL);
    T_EQ_STR(got, want);
    free(want);
    free(got);
    /* a store that holds anything is not copied into, and is left as it was */
    long long before = t_sqlite_one(dir_c, "SELECT COUNT(*) FROM work_order");
    T_CHECK(before == 300);
    copy(dir_a, dir_c, WG_ECONFLICT, &rep);
    T_EQ_INT(t_sqlite_one(dir_c, "SELECT COUNT(*) FROM work_order"), before);
    T_EQ_INT(rep.rows, 0);
    t_store_drop(dir_b);
    T_REMOVE_DIR(dir_a);
    T_REMOVE_DIR(dir_b);
    T_REMOVE_DIR(dir_c);
    return T_DONE("store_copy");
}
