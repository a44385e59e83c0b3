/* The store's boundary: a stored value longer than the row it is read into fails the read
 * loudly and names the column (never an empty or cut value), and the one-number reads. */
#include "t.h"
#include "t_store.h"

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

/* Where column name stands in table, from 0 (-1: not there), and how many it has. */
static long long col_pos(const char *table, const char *name)
{
    char sql[256];
    if (t_on_pg())
        snprintf(sql, sizeof sql,
                 "SELECT ordinal_position - 1 FROM information_schema.columns WHERE "
                 "table_name = '%s' AND column_name = '%s' AND table_schema = current_schema()",
                 table, name);
    else
        snprintf(sql, sizeof sql, "SELECT cid FROM pragma_table_info('%s') WHERE name = '%s'",
                 table, name);
    return t_store_one(t_store_dir, sql);
}

static long long col_count(const char *table)
{
    char sql[256];
    if (t_on_pg())
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = '%s' AND "
                 "table_schema = current_schema()",
                 table);
    else
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pragma_table_info('%s')", table);
    return t_store_one(t_store_dir, sql);
}

/* The counters' tables hold exactly the counters of store/stats/counters.h, in its order,
 * after their key columns; and the statements that add to them name each one. */
static void test_counter_columns(void)
{
    static const struct {
        const char *table;
        int keys;
    } tables[] = {{"stat_cell", 5}, {"stat_roll", 4}};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        T_EQ_INT(col_count(tables[t].table), tables[t].keys + WG_SC_COUNT);
        for (int i = 0; i < WG_SC_COUNT; i++)
            T_EQ_INT(col_pos(tables[t].table, wg_stat_counter_names[i]), tables[t].keys + i);
    }
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

/* Every statement of the queries table is sound where it exists: it prepares on this store's
 * backend, and it takes as many values in each dialect. */
static void test_every_statement_prepares(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    int prepared = 0;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (int q = 0; q < WG_Q_SCHEMA_FIRST; q++) {
        int sq = wg_query_nparams((enum wg_q)q, WG_SQL_SQLITE);
        int pg = wg_query_nparams((enum wg_q)q, WG_SQL_PG);
        if (sq >= 0 && pg >= 0 && sq != pg) {
            fprintf(stderr, "%s takes %d values on SQLite, %d on PostgreSQL\n", wg_queries[q].name,
                    sq, pg);
            T_CHECK(0);
        }
        if (wg_query_nparams((enum wg_q)q, db->be->dialect) < 0)
            continue;
        if (wg_db_prepare(db, (enum wg_q)q, &err)) {
            fprintf(stderr, "%s does not prepare: %s\n", wg_queries[q].name, err.msg);
            T_CHECK(0);
            continue;
        }
        prepared++;
    }
    T_CHECK(prepared > 100);
    wg_store_put(db);
}

/* Parameters are numbered SQLite's way in both dialects: "?N" is value N, a bare "?" one
 * more than the highest before it; nothing inside quotes is a parameter. */
static void test_parameters_numbered(void)
{
    const char *find = wg_query_sql(WG_Q_AUDIT_FIND, WG_SQL_PG);
    T_CHECK(strstr(find, "($1 = '' OR actor = $1)") != NULL);
    T_CHECK(strstr(find, "LIMIT $7 OFFSET $8") != NULL);
    T_EQ_INT(wg_query_nparams(WG_Q_AUDIT_FIND, WG_SQL_SQLITE), 8);
    /* "?1" twice, then seven bare ones: 2 to 8 */
    const char *ev = wg_query_sql(WG_Q_ORDER_EVENT_INSERT, WG_SQL_PG);
    T_CHECK(strstr(ev, "VALUES ($1, (SELECT") && strstr(ev, "order_id = $1), $2, $3"));
    T_EQ_INT(wg_query_nparams(WG_Q_ORDER_EVENT_INSERT, WG_SQL_PG), 8);
    /* the LIKE's escape character is a quoted '\', not a value */
    T_CHECK(strstr(wg_query_sql(WG_Q_ORDER_LIST, WG_SQL_PG), "ESCAPE '\\'") != NULL);
    T_EQ_INT(wg_query_nparams(WG_Q_ORDER_LIST, WG_SQL_PG), 18);
    /* a statement of one dialect alone */
    T_CHECK(wg_query_sql(WG_Q_SQLITE_SEARCH_MARK_ZERO, WG_SQL_PG) == NULL);
    T_EQ_INT(wg_query_nparams(WG_Q_SQLITE_SEARCH_MARK_ZERO, WG_SQL_PG), -1);
    T_CHECK(wg_query_sql(WG_Q_PG_FLUSH, WG_SQL_SQLITE) == NULL);
    for (int q = 0; q < WG_Q_COUNT; q++) {
        const char *pg = wg_query_sql((enum wg_q)q, WG_SQL_PG);
        /* PostgreSQL's texts carry no SQLite mark outside quotes (none of them quote one) */
        T_CHECK(!pg || !strchr(pg, '?'));
    }
}

/* A call with the wrong number of values is refused before the backend sees it, naming the
 * statement; so is a statement the backend does not have. */
static void test_values_counted(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_val one[] = {WG_VTEXT("371302")};
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_db_exec(db, WG_Q_REGION_SET_BOUNDARY, one, 1, NULL, &err), WG_EINTERNAL);
    T_CHECK(strstr(err.msg, "REGION_SET_BOUNDARY takes 2 values, not 1") != NULL);
    T_EQ_INT(wg_db_query(db, WG_Q_REGION_GET, NULL, 0, NULL, NULL, &err), WG_EINTERNAL);
    enum wg_q other = t_on_pg() ? WG_Q_SQLITE_SEARCH_MARK_ZERO : WG_Q_PG_TRGM_CJK;
    T_EQ_INT(wg_db_exec(db, other, NULL, 0, NULL, &err), WG_EINTERNAL);
    T_CHECK(strstr(err.msg, "does not exist in") != NULL);
    wg_store_put(db);
}

/* Store URLs: a scheme no backend answers, a SQLite URL without a directory and a
 * PostgreSQL one that does not parse are refused naming what is wrong; a password in a URL
 * never shows in a message. */
static void test_store_urls(void)
{
    struct wg_store *st = NULL;
    struct wg_err err = {0};
    T_EQ_INT(wg_store_open("mysql://h/db", 0, &st, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_store_open("sqlite:", 0, &st, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "names no directory") != NULL);
    T_EQ_INT(wg_store_open("postgresql://h/db?nosuchoption=1", 0, &st, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "nosuchoption") != NULL);
    /* nothing listens on port 1 of the loopback */
    T_EQ_INT(wg_store_open("postgresql://clerk:s3cret-word@127.0.0.1:1/wangge?connect_timeout=2", 0,
                           &st, &err),
             WG_EUNAVAIL);
    T_CHECK(strstr(err.msg, "cannot connect to PostgreSQL") != NULL);
    T_CHECK(strstr(err.msg, "s3cret") == NULL);
    T_EQ_INT(wg_store_open("postgresql://127.0.0.1:1/wangge?connect_timeout=2&password=s3cret", 0,
                           &st, &err),
             WG_EUNAVAIL);
    T_CHECK(strstr(err.msg, "s3cret") == NULL);
    T_CHECK(st == NULL);
}

/* A store that a newer wangge migrated is refused, naming both versions: this binary would
 * read and write tables whose meaning it does not know. It is left as it was. */
static void test_newer_schema_refused(void)
{
    struct wg_store *st = t_store_open("newer");
    struct wg_err err = {0};
    char msg[256];
    int known = wg_store_schema_version(st), newer = known + 1;
    wg_store_close(st);
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_version (version, applied_at) VALUES (%d, '2027-01-01T00:00:00Z')",
             newer);
    T_EQ_INT(t_store_sql(t_store_dir, sql, msg, sizeof msg), 0);
    st = NULL;
    T_EQ_INT(wg_store_open(t_store_where(t_store_dir, 0), 0, &st, &err), WG_ECONFLICT);
    T_CHECK(st == NULL);
    snprintf(sql, sizeof sql, "schema version %d", newer);
    T_CHECK(strstr(err.msg, sql) != NULL);
    snprintf(sql, sizeof sql, "knows up to %d", known);
    T_CHECK(strstr(err.msg, sql) != NULL);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT MAX(version) FROM schema_version"), newer);
    /* the store is reopened once this binary knows it again */
    snprintf(sql, sizeof sql, "DELETE FROM schema_version WHERE version = %d", newer);
    T_EQ_INT(t_store_sql(t_store_dir, sql, msg, sizeof msg), 0);
    T_EQ_INT(wg_store_open(t_store_where(t_store_dir, 0), 0, &st, &err), WG_OK);
    t_store_close(st);
}

int main(void)
{
    struct wg_store *st = t_store_open("store");
    test_value_too_long_fails_the_read(st);
    test_query_int(st);
    test_counter_columns();
    test_every_statement_prepares(st);
    test_values_counted(st);
    t_store_close(st);
    test_parameters_numbered();
    test_store_urls();
    test_newer_schema_refused();
    return T_DONE("store");
}
