/* The store's boundary: a stored value longer than the row it is read into fails the read
 * loudly and names the column (never an empty or cut value), and the one-number reads. */
#include "t.h"
#include "t_store.h"

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

int main(void)
{
    struct wg_store *st = t_store_open("store");
    test_value_too_long_fails_the_read(st);
    test_query_int(st);
    t_store_close(st);
    return T_DONE("store");
}
