/* The orders and their events partitioned by id range on PostgreSQL (migration 25): a store
 * with orders keeps every row, id and index through the migration; order numbers stay unique
 * with two servers writing; the id ranges are made ahead of intake; and a create past the
 * ranges made still succeeds, its order moved into its range by the next sweep. The numbers'
 * checks run on SQLite too (its one orders table keeps them unique itself). */
#include "t.h"

#include <pthread.h>

#include "store/backend.h"
#include "store/orders/orders_q.h"
#include "store/migrations.h"
#include "t_store.h"

/* ids in a range, in units of the store's range of ids (schema.def) */
static long long R;

/* sql with its one %lld made id (a buffer of its own per call, four deep). */
static const char *with_id(const char *sql, long long id)
{
    static char buf[4][512];
    static int next;
    char *out = buf[next++ % 4];
    snprintf(out, sizeof buf[0], sql, id);
    return out;
}

/* The first column of the first row of sql on the store of dir, as text ("" when none). */
static const char *pg_text(const char *dir, const char *sql)
{
    static char out[256];
    PGconn *pg = PQconnectdb(t_store_where(dir, 0));
    PGresult *res = PQexec(pg, sql);
    out[0] = '\0';
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
        snprintf(out, sizeof out, "%s", PQgetvalue(res, 0, 0));
    else
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
    PQclear(res);
    PQfinish(pg);
    return out;
}

static void run(const char *dir, const char *sql)
{
    char msg[512];
    if (t_store_sql(dir, sql, msg, sizeof msg)) {
        fprintf(stderr, "%s: %s\n", sql, msg);
        exit(1);
    }
}

static void order_of(struct wg_order_row *o, const char *number)
{
    memset(o, 0, sizeof *o);
    snprintf(o->number, sizeof o->number, "%s", number);
    snprintf(o->county, sizeof o->county, "371302");
    snprintf(o->channel, sizeof o->channel, "hotline");
    snprintf(o->type, sizeof o->type, "complaint");
    snprintf(o->urgency, sizeof o->urgency, "normal");
    snprintf(o->state, sizeof o->state, "received");
    snprintf(o->created_by, sizeof o->created_by, "agent");
    snprintf(o->created_at, sizeof o->created_at, "2026-12-06T08:00:00Z");
    o->title = "路灯不亮";
    o->content = "小区门口的路灯坏了一个多月";
}

/* Creates an order numbered number in a transaction of its own: its id, or 0 with err set. */
static long long create(struct wg_db *db, const char *number, struct wg_err *err)
{
    struct wg_order_row o;
    long long id = 0;
    order_of(&o, number);
    if (wg_db_begin(db, err))
        return 0;
    if (wg_store_order_insert(db, &o, &id, err) || wg_db_commit(db, err)) {
        wg_db_rollback(db);
        return 0;
    }
    return id;
}

static int count_event(const struct wg_order_event_row *e, void *ctx)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* A store of schema version 24 (orders in one table, as PostgreSQL stores stood before)
 * with orders on both sides of the first range's end, migrated: every order and event is
 * there, column for column, with its id; the tables are partitioned with their indexes; and
 * the next create continues after the highest id. */
#define FINGERPRINT_ORDERS "SELECT md5(string_agg(w::text, '|' ORDER BY id)) FROM work_order w"
#define FINGERPRINT_EVENTS                                                                         \
    "SELECT md5(string_agg(e::text, '|' ORDER BY order_id, seq)) FROM order_event e"
static void test_migration_keeps_rows(void)
{
    char dir[] = "/tmp/wangge-part-mig-XXXXXX", orders[64], events[64];
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    T_CHECK(mkdtemp(dir) != NULL);
    const char *where = t_store_where(dir, 1);
    /* recorded as applied before the store is made: it stops at 24 */
    run(dir, "CREATE TABLE schema_version (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL);"
             "INSERT INTO schema_version VALUES (25, 'not yet');");
    T_EQ_INT(wg_store_open(where, 1, &st, &err), WG_OK);
    wg_store_close(st);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM pg_class WHERE relname = 'work_order' "
                              "AND relkind = 'r'"),
             1);
    static char load[4096];
    snprintf(
        load, sizeof load,
        "INSERT INTO work_order(id, number, county, channel, type, item, title, content, address,"
        " lon, lat, crs, grid, grid_version, urgency, reporter_name, reporter_phone,"
        " reporter_phone_blind, anonymous, confidential, state, version, unit, created_by,"
        " created_at, updated_at, master_id, dispatched_at, reply_deadline, reopened)"
        " VALUES (1, '371302-20261201-000001', '371302', 'hotline', 'complaint', '06028',"
        " '噪声扰民', '夜间施工', '兰山区1号', 118.35, 35.05, 'wgs84', '371302001001001', 2,"
        " 'normal', 'sealed-name', 'sealed-phone', 'blind1', 0, 0, 'dispatched', 3, 'u1',"
        " 'agent', '2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z', NULL, 1764576000,"
        " 1765008000, 1),"
        " (2, '371302-20261201-000002', '371302', 'app', 'help', NULL, '路灯', '不亮', NULL,"
        " NULL, NULL, NULL, NULL, NULL, 'urgent', NULL, NULL, NULL, 1, 1, 'received', 1, NULL,"
        " 'resident', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z', 1, NULL, NULL, 0),"
        " (%lld, '371302-20261202-000001', '371302', 'web', 'suggestion', '2108', '井盖',"
        " '缺失', '路口', 118.4, 35.1, 'wgs84', '371302001001002', 1, 'normal', NULL, NULL,"
        " NULL, 0, 0, 'finished', 7, 'u2', 'agent', '2026-12-02T08:00:00Z',"
        " '2026-12-03T08:00:00Z', NULL, 1764662400, 1765094400, 0);"
        "INSERT INTO order_event VALUES (1, 1, '2026-12-01T08:00:00Z', 'agent', 'agent',"
        " 'create', NULL, 'received', NULL), (1, 2, '2026-12-01T09:00:00Z', 'agent', 'agent',"
        " 'dispatch', 'received', 'dispatched', '{\"unit\":\"u1\"}'),"
        " (%lld, 1, '2026-12-02T08:00:00Z', 'agent', 'agent', 'create', NULL, 'received',"
        " NULL);"
        "DELETE FROM schema_version WHERE version = 25;",
        2 * R + R / 2, 2 * R + R / 2);
    run(dir, load);
    snprintf(orders, sizeof orders, "%s", pg_text(dir, FINGERPRINT_ORDERS));
    snprintf(events, sizeof events, "%s", pg_text(dir, FINGERPRINT_EVENTS));
    T_CHECK(orders[0] && events[0]);
    /* opened again: migration 25 runs, and the store stands at the newest version */
    T_EQ_INT(wg_store_open(where, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_schema_version(st), wg_migrations[wg_nmigrations - 1].version);
    T_EQ_STR(pg_text(dir, FINGERPRINT_ORDERS), orders);
    T_EQ_STR(pg_text(dir, FINGERPRINT_EVENTS), events);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM pg_class WHERE relname IN ('work_order', "
                              "'order_event') AND relkind = 'p'"),
             2);
    /* the ranges of the orders there and the next one; nothing in the DEFAULT ranges */
    T_EQ_STR(pg_text(dir, "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits"
                          " i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = "
                          "'work_order'::regclass"),
             "work_order_default,work_order_r0,work_order_r1,work_order_r2,work_order_r3");
    T_EQ_INT(t_store_one(dir, with_id("SELECT (tableoid::regclass::text = 'work_order_r2')::int "
                                      "FROM work_order WHERE id = %lld",
                                      2 * R + R / 2)),
             1);
    T_EQ_INT(t_store_one(dir, with_id("SELECT (tableoid::regclass::text = 'order_event_r2')::int "
                                      "FROM order_event WHERE order_id = %lld",
                                      2 * R + R / 2)),
             1);
    T_EQ_INT(t_store_one(dir, "SELECT (SELECT COUNT(*) FROM work_order_default) + "
                              "(SELECT COUNT(*) FROM order_event_default)"),
             0);
    /* every index the statements use, on the partitioned tables (the text and phone ones
     * are order_text's and order_phone's since migration 26) */
    T_EQ_STR(pg_text(dir, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                          " WHERE tablename IN ('work_order', 'order_event')"),
             "order_event_at,order_event_pkey,work_order_county,work_order_deadline,"
             "work_order_master,work_order_pkey,work_order_state,work_order_unit");
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM work_order_number n JOIN work_order w "
                              "ON w.id = n.id AND w.number = n.number"),
             3);
    /* the id continues after the highest, from the sequence a copy's finish sets */
    T_EQ_STR(pg_text(dir, "SELECT pg_get_serial_sequence('work_order', 'id')"),
             "public.work_order_id_seq");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(create(db, "371302-20261206-000001", &err), 2 * R + R / 2 + 1);
    int n = 0;
    T_EQ_INT(wg_store_order_events(db, 1, count_event, &n, &err), WG_OK);
    T_EQ_INT(n, 2);
    wg_store_put(db);
    wg_store_close(st);
    t_store_drop(dir);
    rmdir(dir);
}

/* Two servers (two stores open on one database) creating orders at once, each number from
 * the county's day counter in the create's transaction: every number is given once. */
#define PER_SERVER 40
struct server {
    const char *where;
    int made;
    char first_error[200];
};

static void *serve(void *arg)
{
    struct server *s = arg;
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    if (wg_store_open(s->where, 0, &st, &err) || wg_store_get(st, &db, &err)) {
        snprintf(s->first_error, sizeof s->first_error, "%s", err.msg);
        wg_store_close(st);
        return NULL;
    }
    for (int i = 0; i < PER_SERVER; i++) {
        struct wg_order_row o;
        long long seq = 0, id = 0;
        enum wg_rc rc;
        order_of(&o, "");
        if (!(rc = wg_db_begin(db, &err)) &&
            !(rc = wg_store_order_next_number(db, o.county, "20261206", &seq, &err))) {
            snprintf(o.number, sizeof o.number, "%s-20261206-%06lld", o.county, seq);
            if (!(rc = wg_store_order_insert(db, &o, &id, &err)))
                rc = wg_db_commit(db, &err);
        }
        if (rc) {
            wg_db_rollback(db);
            if (!s->first_error[0])
                snprintf(s->first_error, sizeof s->first_error, "%s", err.msg);
            continue;
        }
        s->made++;
    }
    wg_store_put(db);
    wg_store_close(st);
    return NULL;
}

static void test_numbers_unique(void)
{
    struct wg_store *st = t_store_open("part-num");
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    struct server s[2];
    pthread_t th[2];
    char where[512];
    snprintf(where, sizeof where, "%s", t_store_where(t_store_dir, 0));
    for (int i = 0; i < 2; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].where = where;
        T_EQ_INT(pthread_create(&th[i], NULL, serve, &s[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        T_EQ_INT(pthread_join(th[i], NULL), 0);
        T_EQ_INT(s[i].made, PER_SERVER);
        T_EQ_STR(s[i].first_error, "");
    }
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(DISTINCT number) FROM work_order"),
             2 * PER_SERVER);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM work_order"), 2 * PER_SERVER);
    /* a number given already is refused, and nothing of the create stays */
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(create(db, "371302-20261206-000007", &err), 0);
    T_EQ_INT(err.rc, WG_ECONFLICT);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM work_order"), 2 * PER_SERVER);
    if (t_on_pg())
        T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM work_order_number n JOIN "
                                          "work_order w ON w.id = n.id AND w.number = n.number"),
                 2 * PER_SERVER);
    wg_store_put(db);
    t_store_close(st);
}

/* The sweep makes the ranges up to the one after the newest id's, once. */
static void test_ranges_made_ahead(void)
{
    struct wg_store *st = t_store_open("part-ahead");
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    long long made = -1, moved = -1;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_order_ranges(db, &made, &moved, &err), WG_OK);
    T_EQ_INT(made, 0); /* the migration made them: on SQLite there are none to make */
    T_EQ_INT(moved, 0);
    if (t_on_pg()) {
        T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM pg_class WHERE relname ~ "
                                          "'^work_order_r[0-9]+$'"),
                 2);
        run(t_store_dir, with_id("SELECT setval('work_order_id_seq', %lld)", 3 * R + R / 2));
        T_EQ_INT(wg_store_order_ranges(db, &made, &moved, &err), WG_OK);
        T_EQ_INT(made, 3);
        T_EQ_INT(moved, 0);
        T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM pg_class WHERE relname IN "
                                          "('work_order_r4', 'order_event_r4')"),
                 2);
        T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM pg_class WHERE relname = "
                                          "'work_order_r5'"),
                 0);
        T_EQ_INT(wg_store_order_ranges(db, &made, &moved, &err), WG_OK);
        T_EQ_INT(made, 0);
        T_EQ_INT(create(db, "371302-20261206-000001", &err), 3 * R + R / 2 + 1);
    }
    wg_store_put(db);
    t_store_close(st);
}

/* Intake past every range made (the sweep stopped, or outran): the create succeeds into the
 * DEFAULT range, reads back with its timeline, and the next sweep moves it into its range. */
static void test_create_beyond_ranges(void)
{
    struct wg_store *st;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    struct wg_order_row got;
    long long made = 0, moved = 0, id;
    int n = 0;
    if (!t_on_pg())
        return;
    st = t_store_open("part-beyond");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    run(t_store_dir, with_id("SELECT setval('work_order_id_seq', %lld)", 10 * R - 10));
    id = create(db, "371302-20261206-000001", &err);
    T_EQ_INT(id, 10 * R - 9);
    struct wg_order_event_row e = {
        0, "2026-12-06T08:00:00Z", "agent", "agent", "create", "", "received", ""};
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_store_order_event(db, id, &e, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM work_order_default"), 1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM order_event_default"), 1);
    T_EQ_INT(wg_store_order_get(db, id, &got, &err), WG_OK);
    T_EQ_STR(got.number, "371302-20261206-000001");
    wg_store_order_release(&got);
    /* the sweep: r2 to r10 made, the order and its event moved into r9 */
    T_EQ_INT(wg_store_order_ranges(db, &made, &moved, &err), WG_OK);
    T_EQ_INT(made, 9);
    T_EQ_INT(moved, 1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT (SELECT COUNT(*) FROM work_order_default) + "
                                      "(SELECT COUNT(*) FROM order_event_default)"),
             0);
    T_EQ_INT(
        t_store_one(t_store_dir, with_id("SELECT (tableoid::regclass::text = 'work_order_r9')::int "
                                         "FROM work_order WHERE id = %lld",
                                         10 * R - 9)),
        1);
    T_EQ_INT(t_store_one(t_store_dir,
                         with_id("SELECT (tableoid::regclass::text = 'order_event_r9')::int FROM "
                                 "order_event WHERE order_id = %lld",
                                 10 * R - 9)),
             1);
    T_EQ_INT(wg_store_order_get(db, id, &got, &err), WG_OK);
    T_EQ_STR(got.state, "received");
    wg_store_order_release(&got);
    T_EQ_INT(wg_store_order_events(db, id, count_event, &n, &err), WG_OK);
    T_EQ_INT(n, 1);
    /* its number still taken */
    T_EQ_INT(create(db, "371302-20261206-000001", &err), 0);
    T_EQ_INT(err.rc, WG_ECONFLICT);
    wg_store_put(db);
    t_store_close(st);
}

int main(void)
{
    R = strtoll(WG_ORDER_RANGE, NULL, 10);
    if (t_on_pg())
        test_migration_keeps_rows();
    test_numbers_unique();
    test_ranges_made_ahead();
    test_create_beyond_ranges();
    return T_DONE("store_partition");
}
