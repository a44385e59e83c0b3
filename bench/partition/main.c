/* Whether a province's orders and their events should be partitioned on PostgreSQL, and how:
 * the same generated orders (2,000,000 by default, over 136 counties of a province, with four
 * timeline events each) in three databases of one private cluster — the schema as it stands
 * (one table each), the orders and events partitioned by id range (ids grow with time, so a
 * range is about a month of a province's intake), and partitioned by county (the events by
 * the order's id hashed, as they carry no county) — then the desk's calls timed through
 * wangge's own store functions on each: an order and its timeline by id, a county's newest
 * page, a town desk's page of one state, a unit's page, a reporter's orders, a search by
 * words, and intake's inserts into the newest orders. Ratio: the partitioned schema's time ÷
 * the single table's (below 1: partitioned is faster). Everything talks to the cluster
 * through a Unix socket in a temporary directory. Options: --orders N, --schemas (some of
 * flat,byid,bycounty), --keep. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/orders/orders_q.h"
#include "store/store.h"

#define COUNTIES 136

static char pgdir[] = "/tmp/wgpg-part-XXXXXX";
static int started;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void stop_cluster(void)
{
    char cmd[160];
    if (!started)
        return;
    snprintf(cmd, sizeof cmd, "scripts/pg.sh stop %s >/dev/null 2>&1", pgdir);
    if (system(cmd))
        fprintf(stderr, "partition: could not stop the cluster in %s\n", pgdir);
    started = 0;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "partition: %s: %s\n", what, why);
    stop_cluster();
    exit(1);
}

static void url_of(const char *db, char *out, size_t n)
{
    snprintf(out, n, "postgresql:///%s?host=%s&user=wangge", db, pgdir);
}

/* Runs sql (one statement or several) on database db. */
static void sql(const char *db, const char *text)
{
    char url[256];
    url_of(db, url, sizeof url);
    PGconn *pg = PQconnectdb(url);
    PGresult *res = PQexec(pg, text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        die(text, PQerrorMessage(pg));
    PQclear(res);
    PQfinish(pg);
}

/* ---- the three schemas ---- */

/* The orders and events tables of the store, made anew partitioned: by id range, or by
 * county (events by their order's id hashed). The indexes are the store's own; a unique
 * index must hold the partition key, so the order number is unique within a partition
 * only. */
static void partition(const char *db, int by_county, long long orders)
{
    char text[8192];
    long long step = orders / 8 + 1;
    sql(db, "DROP TABLE work_order; DROP TABLE order_event;");
    snprintf(
        text, sizeof text,
        "CREATE SEQUENCE work_order_id;"
        "CREATE TABLE work_order (id BIGINT NOT NULL DEFAULT nextval('work_order_id'), number TEXT "
        "COLLATE \"C\" NOT NULL,"
        " county TEXT COLLATE \"C\" NOT NULL, channel TEXT COLLATE \"C\" NOT NULL,"
        " type TEXT COLLATE \"C\" NOT NULL, item TEXT COLLATE \"C\", title TEXT NOT NULL,"
        " content TEXT NOT NULL, address TEXT, lon DOUBLE PRECISION, lat DOUBLE PRECISION,"
        " crs TEXT COLLATE \"C\", grid TEXT COLLATE \"C\", grid_version BIGINT,"
        " urgency TEXT COLLATE \"C\" NOT NULL, reporter_name TEXT, reporter_phone TEXT,"
        " reporter_phone_blind TEXT COLLATE \"C\", anonymous BIGINT NOT NULL,"
        " confidential BIGINT NOT NULL, state TEXT COLLATE \"C\" NOT NULL, version BIGINT NOT NULL,"
        " unit TEXT COLLATE \"C\", created_by TEXT COLLATE \"C\" NOT NULL,"
        " created_at TEXT COLLATE \"C\" NOT NULL, updated_at TEXT COLLATE \"C\" NOT NULL,"
        " before_suspend TEXT COLLATE \"C\", reopened BIGINT NOT NULL DEFAULT 0,"
        " callback_attempts BIGINT NOT NULL DEFAULT 0, self_handler TEXT COLLATE \"C\","
        " direct_answer BIGINT NOT NULL DEFAULT 0, extension_pending BIGINT NOT NULL DEFAULT 0,"
        " rework_count BIGINT NOT NULL DEFAULT 0, special_team BIGINT NOT NULL DEFAULT 0,"
        " unreached BIGINT NOT NULL DEFAULT 0, satisfaction TEXT COLLATE \"C\", master_id BIGINT,"
        " dispatched_at BIGINT, sign_deadline BIGINT, reply_deadline BIGINT,"
        " auto_supervised BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (%s)) PARTITION BY %s;"
        "CREATE TABLE order_event (order_id BIGINT NOT NULL, seq BIGINT NOT NULL,"
        " at TEXT COLLATE \"C\" NOT NULL, actor TEXT COLLATE \"C\" NOT NULL,"
        " role TEXT COLLATE \"C\" NOT NULL, action TEXT COLLATE \"C\" NOT NULL,"
        " from_state TEXT COLLATE \"C\", to_state TEXT COLLATE \"C\", detail TEXT,"
        " PRIMARY KEY (order_id, seq)) PARTITION BY %s;"
        "CREATE INDEX work_order_number ON work_order(number);"
        "CREATE INDEX work_order_state ON work_order(state);"
        "CREATE INDEX work_order_county ON work_order(county, id);"
        "CREATE INDEX work_order_phone ON work_order(reporter_phone_blind);"
        "CREATE INDEX work_order_unit ON work_order(unit) WHERE unit IS NOT NULL;"
        "CREATE INDEX work_order_master ON work_order(master_id) WHERE master_id IS NOT NULL;"
        "CREATE INDEX work_order_deadline ON work_order(reply_deadline)"
        " WHERE reply_deadline IS NOT NULL;"
        "CREATE INDEX work_order_title ON work_order USING gin (title gin_trgm_ops);"
        "CREATE INDEX work_order_content ON work_order USING gin (content gin_trgm_ops);"
        "CREATE INDEX order_event_at ON order_event(at);"
        "ALTER SEQUENCE work_order_id OWNED BY work_order.id;",
        by_county ? "id, county" : "id", by_county ? "LIST (county)" : "RANGE (id)",
        by_county ? "HASH (order_id)" : "RANGE (order_id)");
    sql(db, text);
    for (int i = 0; i < (by_county ? COUNTIES : 9); i++) {
        if (by_county)
            snprintf(text, sizeof text,
                     "CREATE TABLE work_order_%d PARTITION OF work_order FOR VALUES IN "
                     "('37%04d');",
                     i, i + 1);
        else
            snprintf(text, sizeof text,
                     "CREATE TABLE work_order_%d PARTITION OF work_order FOR VALUES FROM "
                     "(%lld) TO (%lld);"
                     "CREATE TABLE order_event_%d PARTITION OF order_event FOR VALUES FROM "
                     "(%lld) TO (%lld);",
                     i, i * step, (i + 1) * step, i, i * step, (i + 1) * step);
        sql(db, text);
    }
    for (int i = 0; by_county && i < 8; i++) {
        snprintf(text, sizeof text,
                 "CREATE TABLE order_event_%d PARTITION OF order_event FOR VALUES WITH "
                 "(MODULUS 8, REMAINDER %d);",
                 i, i);
        sql(db, text);
    }
}

/* The same orders in every database (setseed): 136 counties of three towns of grids, a
 * working mix of states, items, units and reporters, titles and contents from real appeals'
 * words; then four timeline events an order. */
static void load(const char *db, long long orders)
{
    char text[8192];
    /* the text indexes are made after the rows, in every database alike */
    sql(db, "DROP INDEX work_order_title; DROP INDEX work_order_content;");
    snprintf(
        text, sizeof text,
        "SELECT setseed(0.42);"
        "INSERT INTO work_order(id, number, county, channel, type, item, title, content, address,"
        " lon, lat, crs, grid, grid_version, urgency, reporter_phone_blind, anonymous,"
        " confidential, state, version, unit, created_by, created_at, updated_at,"
        " dispatched_at, reply_deadline)"
        " SELECT i, c || '-' || to_char(t, 'YYYYMMDD') || '-' || lpad(i::text, 8, '0'), c,"
        " (ARRAY['hotline','hotline','hotline','app','web','gridworker','window','video'])"
        "[1 + (i * 7) %% 8], (ARRAY['complaint','consultation','suggestion','help'])[1 + i %% 4],"
        " (ARRAY['06028','2108','09006','07011','03002','11005'])[1 + (i * 13) %% 6],"
        " (ARRAY['噪声扰民','路灯不亮','占道经营','垃圾清运不及时','楼道堆放杂物','井盖缺失',"
        "'小区停车难','供暖温度不达标','违章搭建','油烟扰民'])[1 + (i * 31) %% 10] || '（' ||"
        " (i %% 997) || '号楼）',"
        " (ARRAY['居民来电反映夜间施工噪音很大，影响休息','反映小区路灯坏了一个多月无人维修',"
        "'市场门口流动摊贩占道经营，影响通行','垃圾桶满溢三天未清运，气味很大',"
        "'楼道内堆放大量杂物，存在消防隐患'])[1 + (i * 17) %% 5] || '，请尽快处理。',"
        " '兰山区某街道' || (i %% 300) || '号', 118.3 + random() / 10, 35.0 + random() / 10,"
        " 'wgs84', c || lpad((1 + i %% 3)::text, 3, '0') || lpad((1 + i %% 40)::text, 3, '0')"
        " || lpad((1 + i %% 9)::text, 3, '0'), 1, 'normal',"
        " CASE WHEN i %% 5 < 3 THEN md5(((i::bigint * 7919) %% 400000)::text) END, 0, 0,"
        " (ARRAY['finished','finished','finished','finished','finished','finished','finished',"
        "'dispatched','signed','received','returning','callback'])[1 + (i * 11) %% 12], 1,"
        " 'u' || (1 + (i * 3) %% 16), 'agent', to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
        " to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), extract(epoch FROM t)::bigint,"
        " extract(epoch FROM t)::bigint + 5 * 86400"
        " FROM (SELECT i, '37' || lpad((1 + i %% %d)::text, 4, '0') c,"
        " timestamp '2025-01-01' + (i * interval '365 days') / %lld t"
        " FROM generate_series(1, %lld) i) s;"
        "INSERT INTO order_event SELECT id, s, created_at, 'agent', 'agent',"
        " (ARRAY['create','dispatch','sign','reply'])[s], NULL, NULL, NULL"
        " FROM work_order, generate_series(1, 4) s;"
        "SELECT setval(pg_get_serial_sequence('work_order', 'id'), MAX(id)) FROM work_order;"
        "CREATE INDEX work_order_title ON work_order USING gin (title gin_trgm_ops);"
        "CREATE INDEX work_order_content ON work_order USING gin (content gin_trgm_ops);"
        "ANALYZE;",
        COUNTIES, orders, orders);
    sql(db, text);
}

/* ---- the calls ---- */

struct timing {
    const char *what;
    double us[3]; /* per database */
};

static int count_row(const struct wg_order_row *o, void *ctx)
{
    (void)o;
    ++*(int *)ctx;
    return 0;
}

static int count_event(const struct wg_order_event_row *e, void *ctx)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* Times each call up to n times on db, or for 3 s when it is slower: the mean in µs. */
static void time_calls(struct wg_db *db, long long orders, struct timing *t, int which)
{
    struct wg_err err = {0};
    const int n = 200;
    double t0;
    int rows = 0;
    unsigned r = 7;
#define NEXT_ID() ((long long)((r = r * 1103515245u + 12345u) % (unsigned)orders) + 1)
    int done = 0;
    t0 = now_s();
    for (int i = 0; i < n && now_s() - t0 < 3; i++, done++) {
        struct wg_order_row o;
        if (wg_store_order_get(db, NEXT_ID(), &o, &err))
            die("order get", err.msg);
        wg_store_order_release(&o);
        if (wg_store_order_events(db, o.id, count_event, &rows, &err))
            die("events", err.msg);
    }
    t[0].us[which] = (now_s() - t0) * 1e6 / done;
    struct wg_order_filter f[] = {
        {.scope = "370042", .limit = 50},
        {.scope = "370042001", .state = "dispatched", .limit = 50},
        {.scope = "", .unit = "u7", .limit = 50},
        {.scope = "", .phone_blind = "a87ff679a2f3e71d9181a67b7542122c", .limit = 50},
        {.scope = "37", .text = "井盖缺失（313号楼", .limit = 50},
        {.scope = "370042", .limit = 50, .offset = 2000},
    };
    for (size_t k = 0; k < sizeof f / sizeof *f; k++) {
        done = 0;
        t0 = now_s();
        for (int i = 0; i < n && now_s() - t0 < 3; i++, done++)
            if (wg_store_order_list(db, &f[k], count_row, &rows, &err))
                die("list", err.msg);
        t[1 + k].us[which] = (now_s() - t0) * 1e6 / done;
    }
    /* intake's inserts into the newest orders: 2,000 in transactions of 100 */
    struct wg_order_row o;
    memset(&o, 0, sizeof o);
    snprintf(o.channel, sizeof o.channel, "hotline");
    snprintf(o.type, sizeof o.type, "complaint");
    snprintf(o.urgency, sizeof o.urgency, "normal");
    snprintf(o.state, sizeof o.state, "received");
    snprintf(o.created_by, sizeof o.created_by, "agent");
    snprintf(o.created_at, sizeof o.created_at, "2026-01-01T08:00:00Z");
    snprintf(o.updated_at, sizeof o.updated_at, "2026-01-01T08:00:00Z");
    snprintf(o.county, sizeof o.county, "370042");
    o.title = "小区门口烧烤油烟扰民";
    o.content = "居民来电反映每天晚上烧烤店油烟很大";
    t0 = now_s();
    for (int i = 0; i < 2000; i++) {
        long long id;
        if (i % 100 == 0 && wg_db_begin(db, &err))
            die("begin", err.msg);
        snprintf(o.number, sizeof o.number, "370042-20260101-%06d", 900000 + i);
        if (wg_store_order_insert(db, &o, &id, &err))
            die("insert", err.msg);
        if (i % 100 == 99 && wg_db_commit(db, &err))
            die("commit", err.msg);
    }
    t[7].us[which] = (now_s() - t0) * 1e6 / 2000;
#undef NEXT_ID
}

int main(int argc, char **argv)
{
    static const char *const dbs[] = {"flat", "byid", "bycounty"};
    static const char *const names[] = {"one table", "by id range (~ month)", "by county"};
    struct timing t[] = {{"an order and its timeline by id", {0}},
                         {"a county's newest page", {0}},
                         {"a town desk's page of one state", {0}},
                         {"a unit's page", {0}},
                         {"a reporter's orders", {0}},
                         {"a search by words", {0}},
                         {"a county's page 41 (offset 2,000)", {0}},
                         {"intake: one insert (the newest orders)", {0}}};
    long long orders = 2000000;
    int keep = 0;
    const char *only = "flat,byid,bycounty";
    char cmd[256], url[256];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--orders") && i + 1 < argc)
            orders = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else if (!strcmp(argv[i], "--schemas") && i + 1 < argc)
            only = argv[++i];
        else
            die("usage", "partition [--orders N] [--schemas flat,byid,bycounty] [--keep]");
    }
    if (orders < 10000 || orders > 100000000)
        die("--orders", "between 10,000 and 100,000,000");
    if (!mkdtemp(pgdir))
        die("mkdtemp", pgdir);
    snprintf(cmd, sizeof cmd, "scripts/pg.sh start %s >/dev/null", pgdir);
    if (system(cmd))
        die("scripts/pg.sh start", "failed");
    started = 1;
    printf("partition: %lld orders over %d counties, 4 events each, in three databases of a "
           "private PostgreSQL 15\n",
           orders, COUNTIES);
    for (int d = 0; d < 3; d++) {
        struct wg_store *st;
        struct wg_db *db;
        struct wg_err err = {0};
        double t0 = now_s();
        if (!strstr(only, dbs[d]))
            continue;
        snprintf(cmd, sizeof cmd, "CREATE DATABASE %s", dbs[d]);
        sql("wangge", cmd);
        url_of(dbs[d], url, sizeof url);
        if (wg_store_open(url, 1, &st, &err))
            die("store", err.msg);
        if (d)
            partition(dbs[d], d == 2, orders);
        load(dbs[d], orders);
        printf("  %-24s loaded in %.0f s\n", names[d], now_s() - t0);
        fflush(stdout);
        if (wg_store_get(st, &db, &err))
            die("store", err.msg);
        time_calls(db, orders, t, d);
        for (size_t k = 0; k < sizeof t / sizeof *t; k++)
            printf("    %-40s %9.0f µs\n", t[k].what, t[k].us[d]);
        fflush(stdout);
        wg_store_put(db);
        wg_store_close(st);
    }
    printf("\n%-40s %12s %16s %16s\n", "call (mean of repeats)", "one table", "by id: ratio",
           "by county: ratio");
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        printf("%-40s %9.0f µs %9.0f µs %4.2f %9.0f µs %4.2f\n", t[k].what, t[k].us[0], t[k].us[1],
               t[k].us[1] / t[k].us[0], t[k].us[2], t[k].us[2] / t[k].us[0]);
    if (keep)
        printf("kept: the cluster in %s\n", pgdir);
    else
        stop_cluster();
    return 0;
}
