/* The store's boundary: a stored value longer than the row it is read into fails the read
 * loudly and names the column (never an empty or cut value), and the one-number reads. */
#include "t.h"
#include "t_store.h"

#include <sqlite3.h>

#include "domain/stats/stats.h"
#include "store/backend.h"
#include "store/map/map_q.h"

static void test_value_too_long_fails_the_read(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_region_row r = {"371302", "兰山区", "county", "3713"}, out;
    char name[400], sql[600];
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_region_put(db, &r, NULL, &err), WG_OK);
    T_EQ_INT(wg_store_region_get(db, "371302", &out, &err), WG_OK);
    T_EQ_STR(out.name, "兰山区");
    /* a name written by another program, longer than the 127 bytes a region row holds */
    memset(name, 'x', 200);
    name[200] = '\0';
    snprintf(sql, sizeof sql, "UPDATE region SET name = '%s' WHERE code = '371302'", name);
    T_EQ_INT(db->be->script(db->conn, sql, &err), WG_OK);
    memset(&out, 0, sizeof out);
    T_EQ_INT(wg_store_region_get(db, "371302", &out, &err), WG_EDB);
    T_CHECK(strstr(err.msg, "200 bytes") && strstr(err.msg, "127"));
    /* the walk stops at the row: nothing after it is read as if it were fine */
    long n = -1;
    T_EQ_INT(wg_store_region_count(db, "37", &n, &err), WG_OK);
    T_EQ_INT(n, 1);
    wg_store_put(db);
}

static void test_query_int(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    long long v = 42;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_meta_get(db, "nothing such", &v, &err), WG_OK);
    T_EQ_INT(v, 0); /* no such counter: 0 */
    T_EQ_INT(wg_store_meta_bump(db, "grid_epoch", &err), WG_OK);
    T_EQ_INT(wg_store_meta_get(db, "grid_epoch", &v, &err), WG_OK);
    T_CHECK(v >= 1);
    wg_store_put(db);
}

struct cols {
    char name[32][40];
    int n;
};

static int take_col(void *ctx, int n, char **v, char **names)
{
    struct cols *c = ctx;
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], "name") && c->n < 32)
            snprintf(c->name[c->n++], sizeof c->name[0], "%s", v[i]);
    return 0;
}

/* The counters' tables hold exactly the counters of store/stats/counters.h, in its order,
 * after their key columns; and the statements that add to them name each one. */
static void test_counter_columns(void)
{
    static const struct {
        const char *table;
        int keys;
    } tables[] = {{"stat_cell", 5}, {"stat_roll", 4}};
    char path[128], sql[64];
    sqlite3 *db;
    snprintf(path, sizeof path, "%s/wangge.db", t_store_dir);
    T_EQ_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        struct cols c = {.n = 0};
        snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", tables[t].table);
        T_EQ_INT(sqlite3_exec(db, sql, take_col, &c, NULL), SQLITE_OK);
        T_EQ_INT(c.n, tables[t].keys + WG_SC_COUNT);
        for (int i = 0; i < WG_SC_COUNT && tables[t].keys + i < c.n; i++)
            T_EQ_STR(c.name[tables[t].keys + i], wg_stat_counter_names[i]);
    }
    sqlite3_close(db);
    T_EQ_INT(WG_STAT_NCOUNTERS, WG_SC_COUNT);
    for (int i = 0; i < WG_SC_COUNT; i++) {
        char sum[80];
        snprintf(sum, sizeof sum, "%s = stat_cell.%s + excluded.%s", wg_stat_counter_names[i],
                 wg_stat_counter_names[i], wg_stat_counter_names[i]);
        T_CHECK(strstr(wg_queries[WG_Q_STAT_ADD].sqlite, sum) != NULL);
        snprintf(sum, sizeof sum, "%s = %s + ?", wg_stat_counter_names[i],
                 wg_stat_counter_names[i]);
        T_CHECK(strstr(wg_queries[WG_Q_STAT_ROLL_BUMP].sqlite, sum) != NULL);
    }
}

int main(void)
{
    struct wg_store *st = t_store_open("store");
    test_value_too_long_fails_the_read(st);
    test_query_int(st);
    test_counter_columns();
    t_store_close(st);
    return T_DONE("store");
}
