/* SQLite's own text index (store/sqlite/sqlite_search.c), a file beside the store written by
 * the text indexer (domain/orders/text_index.h); what a search finds, on every backend, is
 * test_search.c's. On a real store: orders wait for their entries and
 * a catch-up makes them all; stopping indexes what is left, in chunks; entries past the
 * store's newest order are dropped at start; a lost index file is made again and fills from
 * the orders, and so does a damaged one, moved aside; a store from before migration 20
 * hands its index over without indexing again. The reporters' phone lookup beside it
 * (migration 22) is made, trimmed and made again the same way, and a file from before it
 * gets it for every order it had indexed. An index file of the first form, which kept the
 * text, is made anew in the compact form. */
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "domain/orders/text_index.h"
#include "t_order.h"
#include "store/orders/orders_q.h"

static char dir[] = "/tmp/wangge-text-index-XXXXXX";

/* What the cases share, in the order they run: the store (closed and opened again by the
 * later cases), the indexer while it runs, intake's keys and catalog, the agent who takes
 * orders and searches, and the ids the later cases count on. */
struct world {
    struct wg_store *st;
    struct wg_db *db;
    struct wg_text_index *ix;
    struct t_order o;
    struct wg_actor agent;
    long long last; /* the last of the orders made while the indexer stopped */
    long long next; /* the newest order */
};

static long long create(struct world *w, const char *title)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, title, "居民来电反映情况");
    T_EQ_INT(wg_order_create(w->db, &w->o.env, NULL, &w->agent, &in, 1790000100, &id, &err), WG_OK);
    return id;
}

static long long create_from(struct world *w, const char *phone)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, "楼上漏水", "居民来电反映楼上漏水");
    in.reporter_name = "张三";
    in.reporter_phone = phone;
    T_EQ_INT(wg_order_create(w->db, &w->o.env, NULL, &w->agent, &in, 1790000100, &id, &err), WG_OK);
    return id;
}

static long long waiting(struct world *w)
{
    struct wg_err err = {0};
    long long n = -1;
    T_EQ_INT(wg_store_order_fts_backlog(w->db, &n, &err), WG_OK);
    return n;
}

/* The list's orders for q (the caller's json_decref). */
static json_t *list(struct world *w, const struct wg_order_query *q)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_order_list(w->db, &w->o.env, &w->agent, q, &out, &err), WG_OK);
    return out;
}

static size_t count(struct world *w, const struct wg_order_query *q)
{
    json_t *out = list(w, q);
    size_t n = json_array_size(json_object_get(out, "orders"));
    json_decref(out);
    return n;
}

/* How many orders the list by words finds. */
static size_t found(struct world *w, const char *text)
{
    struct wg_order_query q = {.q = text, .limit = "100"};
    return count(w, &q);
}

/* How many orders the list by a reporter's phone finds. */
static size_t from_phone(struct world *w, const char *phone)
{
    struct wg_order_query q = {.phone = phone, .limit = "100"};
    return count(w, &q);
}

/* Whether the list by words answers newest first, and pages: limit 2 from offset 1. */
static int newest_first(struct world *w, const char *text, long long newest)
{
    struct wg_order_query q = {.q = text, .limit = "2", .offset = "1"};
    json_t *out = list(w, &q), *l = json_object_get(out, "orders");
    int ok = json_array_size(l) == 2 &&
             json_integer_value(json_object_get(json_array_get(l, 0), "id")) == newest - 1 &&
             json_integer_value(json_object_get(json_array_get(l, 1), "id")) == newest - 2;
    json_decref(out);
    return ok;
}

/* Runs sql on one of the data directory's files directly, as a damaged or older store. */
static void raw(const char *file, const char *sql)
{
    char path[256];
    sqlite3 *h = NULL;
    char *msg = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    T_EQ_INT(sqlite3_open(path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg);
    T_EQ_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(h);
}

static long long raw_int(const char *file, const char *sql)
{
    char path[256];
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (sqlite3_open(path, &h) == SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == 0 &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void remove_index_file(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd,
             "rm -f %s/wangge.db-search %s/wangge.db-search-wal "
             "%s/wangge.db-search-shm",
             dir, dir, dir);
    T_EQ_INT(system(cmd), 0);
}

/* Opens the store in dir again, as a restart does. */
static void reopen(struct world *w)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_store_open(dir, 0, &w->st, &err), WG_OK);
    T_EQ_INT(wg_store_get(w->st, &w->db, &err), WG_OK);
}

static void shut(struct world *w)
{
    wg_store_put(w->db);
    wg_store_close(w->st);
}

static void start_indexer(struct world *w)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_text_index_start(w->st, &w->ix, &err), WG_OK);
}

static void stop_indexer(struct world *w)
{
    wg_text_index_stop(w->ix);
    w->ix = NULL;
}

static void catch_up(struct world *w)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_text_index_catch_up(w->ix, &err), WG_OK);
}

/* Orders wait for their entries; a catch-up makes them all, and only once. */
static void test_catch_up(struct world *w)
{
    for (int i = 0; i < 5; i++)
        create(w, "小区门口烧烤油烟扰民");
    T_EQ_INT(waiting(w), 5);
    T_EQ_INT(found(w, "烧烤油烟"), 0);
    start_indexer(w);
    catch_up(w);
    T_EQ_INT(waiting(w), 0);
    T_EQ_INT(found(w, "烧烤油烟"), 5);
    T_CHECK(newest_first(w, "烧烤油烟", 5));
    T_EQ_INT(found(w, "没有这样的话"), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), 5);
}

/* A reporter's orders are looked up beside the text index: they wait with their entries,
 * and a catch-up makes them; orders without a phone have no lookup. (The indexer is
 * stopped meanwhile: running, it would make them within 50 ms, whenever it looks.) */
static void test_phone_lookup(struct world *w)
{
    stop_indexer(w);
    create_from(w, "13812345678");
    create_from(w, "+86 138 1234 5678");
    create_from(w, "13900001111");
    T_EQ_INT(waiting(w), 3);
    T_EQ_INT(from_phone(w, "13812345678"), 0);
    start_indexer(w);
    catch_up(w);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    T_EQ_INT(from_phone(w, "139 0000 1111"), 1);
    T_EQ_INT(from_phone(w, "13700000000"), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone"), 3);
    /* the lookup keeps 64 bits of the blind index: another phone's order under the same key
     * (as if the two met there) is not taken for this phone's */
    raw("wangge.db-search", "INSERT INTO order_phone(key, id) "
                            "SELECT key, 8 FROM order_phone WHERE id = 6;");
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    raw("wangge.db-search", "DELETE FROM order_phone WHERE id = 8 AND key = "
                            "(SELECT key FROM order_phone WHERE id = 6);");
}

/* More than one chunk waits when the indexer stops: all of it is indexed first. */
static void test_stop_indexes_the_rest(struct world *w)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_db_set_durable(w->db, 0, &err), WG_OK);
    for (int i = 0; i < 2500; i++)
        w->last = create(w, i % 2 ? "路灯不亮夜间出行不便" : "井盖缺失存在隐患");
    T_EQ_INT(wg_db_set_durable(w->db, 1, &err), WG_OK);
    stop_indexer(w);
    T_EQ_INT(waiting(w), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT upto FROM order_fts_mark"), w->last);
}

/* The mark past the store's newest order moves back to it when the indexer starts, and the
 * phone lookups above it go; the trigram entries of an order the store lost stay (the index
 * keeps no text to remove them by), but the order that takes its id is found by its own
 * words only. */
static void test_mark_past_the_store(struct world *w)
{
    raw("wangge.db-search", "UPDATE order_fts_mark SET upto = upto + 10;"
                            "INSERT INTO order_fts(rowid, title, content) "
                            "SELECT upto - 9, '幽灵工单', '' FROM order_fts_mark;"
                            "INSERT INTO order_phone(key, id) "
                            "SELECT key, (SELECT upto - 9 FROM order_fts_mark) FROM order_phone "
                            "WHERE id = 6;");
    T_EQ_INT(found(w, "幽灵工单"), 0); /* the order itself does not exist */
    start_indexer(w);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT upto FROM order_fts_mark"), w->last);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone WHERE id > "
                                         "(SELECT upto FROM order_fts_mark)"),
             0);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    w->next = create(w, "路面塌陷需要处理");
    T_EQ_INT(w->next, w->last + 1); /* the id the stale entry names */
    catch_up(w);
    T_EQ_INT(found(w, "幽灵工单"), 0);
    T_EQ_INT(found(w, "路面塌陷需要处理"), 1);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    w->next = create(w, "幽灵工单");
    catch_up(w);
    T_EQ_INT(found(w, "幽灵工单"), 1);
    stop_indexer(w);
    shut(w);
}

/* A lost index file is made again, and every order is indexed from the start. */
static void test_lost_file(struct world *w)
{
    struct wg_err err = {0};
    long long indexed = 0;
    remove_index_file();
    reopen(w);
    T_EQ_INT(waiting(w), w->next);
    T_EQ_INT(wg_text_index_all(w->st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, w->next);
    T_EQ_INT(found(w, "烧烤油烟"), 5);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    shut(w);
}

/* An index file from before the phone lookup: opening the store makes the lookup of every
 * order up to the mark, and a new order waits for its own as before. */
static void test_file_before_phone_lookup(struct world *w)
{
    struct wg_err err = {0};
    long long indexed = 0;
    raw("wangge.db-search", "DROP TABLE order_phone;");
    reopen(w);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone"), 3);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    w->next = create_from(w, "13812345678");
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    T_EQ_INT(wg_text_index_all(w->st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, 1);
    T_EQ_INT(from_phone(w, "13812345678"), 3);
    T_EQ_INT(from_phone(w, "13900001111"), 1);
    shut(w);
}

/* A store from before migration 20: its index is in the store file; opening it moves the
 * entries and the mark over, so nothing waits and nothing is indexed again. */
static void test_store_before_migration_20(struct world *w)
{
    remove_index_file();
    raw("wangge.db", "CREATE VIRTUAL TABLE order_fts USING fts5(title, content,"
                     " tokenize = 'trigram');"
                     "CREATE TABLE order_fts_mark (upto INTEGER NOT NULL);"
                     "INSERT INTO order_fts(rowid, title, content)"
                     " SELECT id, title, content FROM work_order WHERE id <= 100;"
                     "INSERT INTO order_fts_mark VALUES (100);"
                     "DELETE FROM schema_version WHERE version = 20;");
    reopen(w);
    T_EQ_INT(waiting(w), w->next - 100);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), 100);
    T_EQ_INT(found(w, "烧烤油烟"), 5);
    T_EQ_INT(
        raw_int("wangge.db", "SELECT count(*) FROM sqlite_master WHERE name LIKE 'order_fts%'"), 0);
    shut(w);
}

/* A damaged index file is moved aside and made anew, and the store still opens. */
static void test_damaged_file(struct world *w)
{
    struct wg_err err = {0};
    long long indexed = 0;
    char path[256];
    snprintf(path, sizeof path, "%s/wangge.db-search", dir);
    remove_index_file();
    FILE *f = fopen(path, "w");
    T_CHECK(f != NULL);
    for (int i = 0; f && i < 4096; i++)
        fputc("not a database"[i % 14], f);
    if (f)
        fclose(f);
    reopen(w);
    T_EQ_INT(waiting(w), w->next);
    T_EQ_INT(wg_text_index_all(w->st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, w->next);
    T_EQ_INT(found(w, "幽灵工单"), 1);
    snprintf(path, sizeof path, "%s/wangge.db-search.damaged", dir);
    T_EQ_INT(access(path, F_OK), 0);
    shut(w);
}

/* An index file of the first form (it kept the text, and where each trigram stands) is made
 * anew in the compact form when the store opens: every indexed order, none waits. */
static void test_first_form_file(struct world *w)
{
    raw("wangge.db-search",
        "DROP TABLE order_fts;"
        "CREATE VIRTUAL TABLE order_fts USING fts5(title, content, tokenize = 'trigram');"
        "INSERT INTO order_fts(rowid, title, content) VALUES (1, '幽灵工单', '');");
    reopen(w);
    T_EQ_INT(waiting(w), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM sqlite_master WHERE name = "
                                         "'order_fts' AND sql LIKE '%detail = none%'"),
             1);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), w->next);
    T_EQ_INT(found(w, "幽灵工单"), 1);
    T_EQ_INT(found(w, "烧烤油烟"), 5);
    shut(w);
}

int main(void)
{
    struct wg_err err = {0};
    struct world w = {0};
    T_CHECK(mkdtemp(dir) != NULL);
    t_order_open(&w.o, dir, 0);
    t_actor(&w.agent, "ag", "agent", "region", "371302");
    T_EQ_INT(wg_store_open(dir, 1, &w.st, &err), WG_OK);
    T_EQ_INT(wg_store_get(w.st, &w.db, &err), WG_OK);

    test_catch_up(&w);
    test_phone_lookup(&w);
    test_stop_indexes_the_rest(&w);
    test_mark_past_the_store(&w);
    test_lost_file(&w);
    test_file_before_phone_lookup(&w);
    test_store_before_migration_20(&w);
    test_damaged_file(&w);
    test_first_form_file(&w);

    t_order_close(&w.o);
    T_REMOVE_DIR(dir);
    return T_DONE("text_index");
}
