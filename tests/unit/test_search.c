/* What docs/API.md promises of the list's `q` and `phone` on every backend: `q` finds the
 * orders whose title or content holds the text as written, as one run of characters, of
 * any length (one Chinese character, two, or more); `%`, `_`, `\` and the index's own
 * syntax are themselves; Latin letters match in either case; the list stays newest first
 * and pages. `phone` finds a reporter's orders whatever way the number is written. SQLite
 * narrows by its trigram index beside the store, PostgreSQL by pg_trgm indexes of a table
 * of its own; both are filled behind intake, and the answers are the same. */
#include "t.h"

#include <jansson.h>

#include "domain/orders/text_index.h"
#include "store/orders/orders_q.h"
#include "t_order.h"
#include "t_store.h"

struct world {
    struct wg_store *st;
    struct wg_db *db;
    struct t_order o;
    struct wg_actor agent;
};

static long long create(struct world *w, const char *title, const char *content, const char *phone)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, title, content);
    if (phone) {
        in.reporter_name = "张三";
        in.reporter_phone = phone;
    }
    T_EQ_INT(wg_order_create(w->db, &w->o.env, NULL, &w->agent, &in, 1790000100, &id, &err), WG_OK);
    return id;
}

/* Every order answered is searchable: the index is brought up to them first (what the list
 * itself does before a search, docs/API.md). */
static void index_all(struct world *w)
{
    struct wg_err err = {0};
    long long n = 0;
    T_EQ_INT(wg_text_index_all(w->st, &n, &err), WG_OK);
}

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

static size_t found(struct world *w, const char *text)
{
    struct wg_order_query q = {.q = text, .limit = "100"};
    return count(w, &q);
}

static size_t from_phone(struct world *w, const char *phone)
{
    struct wg_order_query q = {.phone = phone, .limit = "100"};
    return count(w, &q);
}

/* Words of any length and characters, Latin letters in either case. */
static void test_words(struct world *w)
{
    long long first = 0;
    for (int i = 0; i < 5; i++) {
        long long id = create(w, "小区门口烧烤油烟扰民", "居民来电反映情况", NULL);
        if (!first)
            first = id;
    }
    create(w, "Noise at night 夜间噪音", "KTV 音响 50% 过大_下午", NULL);
    index_all(w);
    T_EQ_INT(found(w, "烧烤油烟"), 5);
    T_EQ_INT(found(w, "油烟"), 5); /* two characters */
    T_EQ_INT(found(w, "烤"), 5);   /* one */
    T_EQ_INT(found(w, "来电反映"), 5);
    T_EQ_INT(found(w, "门口烧烤油烟扰民居民"), 0); /* across title and content: not one run */
    T_EQ_INT(found(w, "noise"), 1);
    T_EQ_INT(found(w, "NOISE AT"), 1);
    T_EQ_INT(found(w, "ktv"), 1);
    T_EQ_INT(found(w, "50%"), 1);
    T_EQ_INT(found(w, "0%过"), 0);
    T_EQ_INT(found(w, "大_下"), 1);
    T_EQ_INT(found(w, "大x下"), 0); /* '_' is itself, not any character */
    T_EQ_INT(found(w, "没有这样的话"), 0);
    /* newest first, and pages: limit 2 from offset 1 */
    struct wg_order_query q = {.q = "烧烤油烟", .limit = "2", .offset = "1"};
    json_t *out = list(w, &q), *l = json_object_get(out, "orders");
    T_EQ_INT(json_array_size(l), 2);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(l, 0), "id")), first + 3);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(l, 1), "id")), first + 2);
    json_decref(out);
}

/* Words of any characters are a search, never a query of an index's own syntax: quotes,
 * operators, wildcards and LIKE's own characters find what holds them as written. */
static void test_words_are_not_syntax(struct world *w)
{
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
        /* the sixth order, in either case of its Latin letters */
        char lower[64];
        for (size_t k = 0; k <= len; k++)
            lower[k] = text[k] >= 'A' && text[k] <= 'Z' ? (char)(text[k] + 32) : text[k];
        if (strstr("noise at night 夜间噪音", lower) || strstr("ktv 音响 50% 过大_下午", lower))
            want++;
        T_EQ_INT(found(w, text), want);
    }
}

/* A reporter's orders, whatever way the number is written; others' are not found. */
static void test_phone(struct world *w)
{
    create(w, "楼上漏水", "居民来电反映楼上漏水", "13812345678");
    create(w, "楼上漏水", "居民来电反映楼上漏水", "+86 138 1234 5678");
    create(w, "楼上漏水", "居民来电反映楼上漏水", "13900001111");
    index_all(w);
    T_EQ_INT(from_phone(w, "13812345678"), 2);
    T_EQ_INT(from_phone(w, "139 0000 1111"), 1);
    T_EQ_INT(from_phone(w, "13700000000"), 0);
    struct wg_order_query q = {.phone = "13812345678", .q = "漏水", .limit = "100"};
    T_EQ_INT(count(w, &q), 2);
    q.q = "油烟";
    T_EQ_INT(count(w, &q), 0);
}

/* The indexer never holds up intake: while its transaction is open, orders are still taken
 * in and committed, and they wait for their entries until the indexer's next turn. */
static void test_indexer_apart_from_writers(struct world *w)
{
    struct wg_err err = {0};
    struct wg_db *ix = NULL;
    long long pending = -1;
    T_EQ_INT(wg_store_search_open(w->st, &ix, &err), WG_OK);
    T_CHECK(ix != NULL);
    if (!ix)
        return;
    T_EQ_INT(wg_db_begin(ix, &err), WG_OK);
    create(w, "共享单车乱停放", "地铁站口共享单车堵住盲道", NULL);
    T_EQ_INT(wg_db_commit(ix, &err), WG_OK);
    wg_store_search_close(ix);
    T_EQ_INT(wg_store_order_fts_backlog(w->db, &pending, &err), WG_OK);
    T_EQ_INT(pending, 1);
    index_all(w);
    T_EQ_INT(found(w, "单车乱停"), 1);
    T_EQ_INT(wg_store_order_fts_backlog(w->db, &pending, &err), WG_OK);
    T_EQ_INT(pending, 0);
}

int main(void)
{
    struct wg_err err = {0};
    struct world w = {0};
    w.st = t_store_open("search");
    t_order_open(&w.o, t_store_dir, 0);
    t_actor(&w.agent, "ag", "agent", "region", "371302");
    T_EQ_INT(wg_store_get(w.st, &w.db, &err), WG_OK);
    test_words(&w);
    test_words_are_not_syntax(&w);
    test_phone(&w);
    test_indexer_apart_from_writers(&w);
    wg_store_put(w.db);
    t_order_close(&w.o);
    t_store_close(w.st);
    return T_DONE("search");
}
