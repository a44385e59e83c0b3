/* The text indexer (domain/text_index.h) on a real store: orders wait for their entries and
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

static long long create(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *agent, const char *title)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, title, "居民来电反映情况");
    T_EQ_INT(wg_order_create(db, env, NULL, agent, &in, 1790000100, &id, &err), WG_OK);
    return id;
}

static long long create_from(struct wg_db *db, const struct wg_order_env *env,
                             const struct wg_actor *agent, const char *phone)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, "楼上漏水", "居民来电反映楼上漏水");
    in.reporter_name = "张三";
    in.reporter_phone = phone;
    T_EQ_INT(wg_order_create(db, env, NULL, agent, &in, 1790000100, &id, &err), WG_OK);
    return id;
}

static long long waiting(struct wg_db *db)
{
    struct wg_err err = {0};
    long long n = -1;
    T_EQ_INT(wg_store_order_fts_backlog(db, &n, &err), WG_OK);
    return n;
}

/* The list's orders for q (the caller's json_decref). */
static json_t *list(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *who,
                    const struct wg_order_query *q)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_order_list(db, env, who, q, &out, &err), WG_OK);
    return out;
}

static size_t count(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *who,
                    const struct wg_order_query *q)
{
    json_t *out = list(db, env, who, q);
    size_t n = json_array_size(json_object_get(out, "orders"));
    json_decref(out);
    return n;
}

/* How many orders the list by words finds. */
static size_t found(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *who,
                    const char *text)
{
    struct wg_order_query q = {.q = text, .limit = "100"};
    return count(db, env, who, &q);
}

/* How many orders the list by a reporter's phone finds. */
static size_t from_phone(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *who, const char *phone)
{
    struct wg_order_query q = {.phone = phone, .limit = "100"};
    return count(db, env, who, &q);
}

/* Whether the list by words answers newest first, and pages: limit 2 from offset 1. */
static int newest_first(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *who, const char *text, long long newest)
{
    struct wg_order_query q = {.q = text, .limit = "2", .offset = "1"};
    json_t *out = list(db, env, who, &q), *l = json_object_get(out, "orders");
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

int main(void)
{
    struct wg_err err = {0};
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct wg_text_index *ix = NULL;
    struct t_order o;
    struct wg_actor agent;
    T_CHECK(mkdtemp(dir) != NULL);
    t_order_open(&o, dir, 0);
    t_actor(&agent, "ag", "agent", "region", "371302");
    T_EQ_INT(wg_store_open(dir, 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);

    /* orders wait for their entries; a catch-up makes them all, and only once */
    for (int i = 0; i < 5; i++)
        create(db, &o.env, &agent, "小区门口烧烤油烟扰民");
    T_EQ_INT(waiting(db), 5);
    T_EQ_INT(found(db, &o.env, &agent, "烧烤油烟"), 0);
    T_EQ_INT(wg_text_index_start(st, &ix, &err), WG_OK);
    T_EQ_INT(wg_text_index_catch_up(ix, &err), WG_OK);
    T_EQ_INT(waiting(db), 0);
    T_EQ_INT(found(db, &o.env, &agent, "烧烤油烟"), 5);
    T_CHECK(newest_first(db, &o.env, &agent, "烧烤油烟", 5));
    T_EQ_INT(found(db, &o.env, &agent, "没有这样的话"), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), 5);

    /* words of any characters are a search, never a query of FTS5's own syntax: quotes,
     * operators, wildcards and LIKE's own characters find what holds them as written */
    static const char *const pieces[] = {"\"", "%", "_", "\\", "*",  "(",  ")",    ":",    "^", " ",
                                         "-",  "+", "a", "A",  "烧", "烤", "油烟", "NEAR", "OR"};
    unsigned seed = 7;
    for (int i = 0; i < 500; i++) {
        char text[64];
        size_t len = 0;
        for (int k = 0, n = 1 + i % 9; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
        }
        text[len] = '\0';
        size_t want =
            strstr("小区门口烧烤油烟扰民", text) || strstr("居民来电反映情况", text) ? 5 : 0;
        T_EQ_INT(found(db, &o.env, &agent, text), want);
    }

    /* a reporter's orders are looked up beside the text index: they wait with their entries,
     * and a catch-up makes them; orders without a phone have no lookup. (The indexer is
     * stopped meanwhile: running, it would make them within 50 ms, whenever it looks.) */
    wg_text_index_stop(ix);
    ix = NULL;
    create_from(db, &o.env, &agent, "13812345678");
    create_from(db, &o.env, &agent, "+86 138 1234 5678");
    create_from(db, &o.env, &agent, "13900001111");
    T_EQ_INT(waiting(db), 3);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 0);
    T_EQ_INT(wg_text_index_start(st, &ix, &err), WG_OK);
    T_EQ_INT(wg_text_index_catch_up(ix, &err), WG_OK);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    T_EQ_INT(from_phone(db, &o.env, &agent, "139 0000 1111"), 1);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13700000000"), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone"), 3);
    /* the lookup keeps 64 bits of the blind index: another phone's order under the same key
     * (as if the two met there) is not taken for this phone's */
    raw("wangge.db-search", "INSERT INTO order_phone(key, id) "
                            "SELECT key, 8 FROM order_phone WHERE id = 6;");
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    raw("wangge.db-search", "DELETE FROM order_phone WHERE id = 8 AND key = "
                            "(SELECT key FROM order_phone WHERE id = 6);");

    /* more than one chunk waits when the indexer stops: all of it is indexed first */
    T_EQ_INT(wg_db_set_durable(db, 0, &err), WG_OK);
    long long last = 0;
    for (int i = 0; i < 2500; i++)
        last = create(db, &o.env, &agent, i % 2 ? "路灯不亮夜间出行不便" : "井盖缺失存在隐患");
    T_EQ_INT(wg_db_set_durable(db, 1, &err), WG_OK);
    wg_text_index_stop(ix);
    ix = NULL;
    T_EQ_INT(waiting(db), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT upto FROM order_fts_mark"), last);

    /* the mark past the store's newest order moves back to it when the indexer starts, and
     * the phone lookups above it go; the trigram entries of an order the store lost stay
     * (the index keeps no text to remove them by), but the order that takes its id is found
     * by its own words only */
    raw("wangge.db-search", "UPDATE order_fts_mark SET upto = upto + 10;"
                            "INSERT INTO order_fts(rowid, title, content) "
                            "SELECT upto - 9, '幽灵工单', '' FROM order_fts_mark;"
                            "INSERT INTO order_phone(key, id) "
                            "SELECT key, (SELECT upto - 9 FROM order_fts_mark) FROM order_phone "
                            "WHERE id = 6;");
    T_EQ_INT(found(db, &o.env, &agent, "幽灵工单"), 0); /* the order itself does not exist */
    T_EQ_INT(wg_text_index_start(st, &ix, &err), WG_OK);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT upto FROM order_fts_mark"), last);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone WHERE id > "
                                         "(SELECT upto FROM order_fts_mark)"),
             0);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    long long next = create(db, &o.env, &agent, "路面塌陷需要处理");
    T_EQ_INT(next, last + 1); /* the id the stale entry names */
    T_EQ_INT(wg_text_index_catch_up(ix, &err), WG_OK);
    T_EQ_INT(found(db, &o.env, &agent, "幽灵工单"), 0);
    T_EQ_INT(found(db, &o.env, &agent, "路面塌陷需要处理"), 1);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    next = create(db, &o.env, &agent, "幽灵工单");
    T_EQ_INT(wg_text_index_catch_up(ix, &err), WG_OK);
    T_EQ_INT(found(db, &o.env, &agent, "幽灵工单"), 1);
    wg_text_index_stop(ix);
    ix = NULL;
    wg_store_put(db);
    wg_store_close(st);

    /* a lost index file is made again, and every order is indexed from the start */
    remove_index_file();
    T_EQ_INT(wg_store_open(dir, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(waiting(db), next);
    long long indexed = 0;
    T_EQ_INT(wg_text_index_all(st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, next);
    T_EQ_INT(found(db, &o.env, &agent, "烧烤油烟"), 5);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    wg_store_put(db);
    wg_store_close(st);

    /* an index file from before the phone lookup: opening the store makes the lookup of
     * every order up to the mark, and a new order waits for its own as before */
    raw("wangge.db-search", "DROP TABLE order_phone;");
    T_EQ_INT(wg_store_open(dir, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_phone"), 3);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    next = create_from(db, &o.env, &agent, "13812345678");
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 2);
    T_EQ_INT(wg_text_index_all(st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, 1);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13812345678"), 3);
    T_EQ_INT(from_phone(db, &o.env, &agent, "13900001111"), 1);
    wg_store_put(db);
    wg_store_close(st);

    /* a store from before migration 20: its index is in the store file; opening it moves
     * the entries and the mark over, so nothing waits and nothing is indexed again */
    remove_index_file();
    raw("wangge.db", "CREATE VIRTUAL TABLE order_fts USING fts5(title, content,"
                     " tokenize = 'trigram');"
                     "CREATE TABLE order_fts_mark (upto INTEGER NOT NULL);"
                     "INSERT INTO order_fts(rowid, title, content)"
                     " SELECT id, title, content FROM work_order WHERE id <= 100;"
                     "INSERT INTO order_fts_mark VALUES (100);"
                     "DELETE FROM schema_version WHERE version = 20;");
    T_EQ_INT(wg_store_open(dir, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(waiting(db), next - 100);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), 100);
    T_EQ_INT(found(db, &o.env, &agent, "烧烤油烟"), 5);
    T_EQ_INT(
        raw_int("wangge.db", "SELECT count(*) FROM sqlite_master WHERE name LIKE 'order_fts%'"), 0);
    wg_store_put(db);
    wg_store_close(st);

    /* a damaged index file is moved aside and made anew, and the store still opens */
    char path[256];
    snprintf(path, sizeof path, "%s/wangge.db-search", dir);
    remove_index_file();
    FILE *f = fopen(path, "w");
    T_CHECK(f != NULL);
    for (int i = 0; f && i < 4096; i++)
        fputc("not a database"[i % 14], f);
    if (f)
        fclose(f);
    T_EQ_INT(wg_store_open(dir, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(waiting(db), next);
    T_EQ_INT(wg_text_index_all(st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, next);
    T_EQ_INT(found(db, &o.env, &agent, "幽灵工单"), 1);
    snprintf(path, sizeof path, "%s/wangge.db-search.damaged", dir);
    T_EQ_INT(access(path, F_OK), 0);
    wg_store_put(db);
    wg_store_close(st);

    /* an index file of the first form (it kept the text, and where each trigram stands) is
     * made anew in the compact form when the store opens: every indexed order, none waits */
    raw("wangge.db-search",
        "DROP TABLE order_fts;"
        "CREATE VIRTUAL TABLE order_fts USING fts5(title, content, tokenize = 'trigram');"
        "INSERT INTO order_fts(rowid, title, content) VALUES (1, '幽灵工单', '');");
    T_EQ_INT(wg_store_open(dir, 0, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(waiting(db), 0);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM sqlite_master WHERE name = "
                                         "'order_fts' AND sql LIKE '%detail = none%'"),
             1);
    T_EQ_INT(raw_int("wangge.db-search", "SELECT count(*) FROM order_fts"), next);
    T_EQ_INT(found(db, &o.env, &agent, "幽灵工单"), 1);
    T_EQ_INT(found(db, &o.env, &agent, "烧烤油烟"), 5);
    wg_store_put(db);
    wg_store_close(st);

    t_order_close(&o);
    T_REMOVE_DIR(dir);
    return T_DONE("text_index");
}
