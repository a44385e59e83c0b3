/* Group commit (store.h): jobs from many threads share transactions; a failing job is rolled
 * back alone; a job that breaks the transaction fails its batch and the next batch works;
 * intake through the committer answers exactly what the store then reads back. Runs on a
 * real store in a temporary directory. */
#include "t.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "domain/orders/order.h"
#include "domain/orders/text_index.h"
#include "t_order.h"
#include "t_store.h"
#include "store/backend.h"
#include "store/catalog/catalog_q.h"
#include "store/orders/orders_q.h"

#define THREADS 8
#define PER     150

static struct wg_committer *com;
static atomic_int queued, released;

static enum wg_rc bump(struct wg_db *db, void *ctx, struct wg_err *err)
{
    (void)ctx;
    return wg_store_meta_bump(db, "t_ok", err);
}

/* writes, then fails: the write must vanish, and the batch's other jobs stay */
static enum wg_rc bump_then_fail(struct wg_db *db, void *ctx, struct wg_err *err)
{
    enum wg_rc rc = wg_store_meta_bump(db, "t_ok", err);
    (void)ctx;
    if (!rc)
        rc = wg_store_meta_bump(db, "t_bad", err);
    return rc ? rc : wg_err_set(err, WG_EINVAL, "job %d refused", 7);
}

/* holds the committer until every thread has queued its first job, so they share a batch */
static enum wg_rc gate(struct wg_db *db, void *ctx, struct wg_err *err)
{
    (void)ctx;
    for (int i = 0; i < 500 && atomic_load(&queued) < THREADS; i++)
        usleep(2000);
    usleep(20000);
    return wg_store_meta_bump(db, "t_ok", err);
}

static enum wg_rc ends_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    (void)ctx;
    return wg_db_commit(db, err);
}

static void *worker(void *arg)
{
    long fails = 0;
    (void)arg;
    for (int i = 0; i < PER; i++) {
        struct wg_err err = {0};
        if (i == 0)
            atomic_fetch_add(&queued, 1);
        enum wg_rc rc = wg_committer_run(com, i % 7 == 3 ? bump_then_fail : bump, NULL, &err);
        if (i % 7 == 3) {
            fails += rc == WG_EINVAL && strstr(err.msg, "refused") != NULL;
        } else if (rc != WG_OK) {
            fprintf(stderr, "job failed: %s\n", err.msg);
            fails += 1000;
        }
    }
    return (void *)fails;
}

static pthread_t gate_thread;

static void *run_gate(void *arg)
{
    struct wg_err err = {0};
    (void)arg;
    atomic_store(&released, wg_committer_run(com, gate, NULL, &err) == WG_OK);
    return NULL;
}

static long long meta(struct wg_db *db, const char *name)
{
    long long v = 0;
    struct wg_err err = {0};
    wg_store_meta_get(db, name, &v, &err);
    return v;
}

static void test_batches(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_committer_stats s;
    struct wg_err err = {0};
    pthread_t th[THREADS];
    long bad_expected = 0, ok_expected = 0, seen = 0;
    T_EQ_INT(wg_committer_start(st, 64, &com, &err), WG_OK);
    T_CHECK(pthread_create(&gate_thread, NULL, run_gate, NULL) == 0);
    usleep(10000);
    for (int t = 0; t < THREADS; t++)
        T_CHECK(pthread_create(&th[t], NULL, worker, NULL) == 0);
    for (int t = 0; t < THREADS; t++) {
        void *r;
        pthread_join(th[t], &r);
        seen += (long)r;
    }
    pthread_join(gate_thread, NULL);
    for (int i = 0; i < PER; i++)
        if (i % 7 == 3)
            bad_expected++;
        else
            ok_expected++;
    T_EQ_INT(seen, bad_expected * THREADS); /* every refusal answered as its own error */
    T_CHECK(atomic_load(&released));
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(meta(db, "t_ok"), ok_expected * THREADS + 1);
    T_EQ_INT(meta(db, "t_bad"), 0);
    wg_committer_stats(com, &s);
    T_EQ_INT(s.jobs, PER * THREADS + 1);
    T_EQ_INT(s.failed_jobs, bad_expected * THREADS);
    T_CHECK(s.largest_batch > 1 && s.largest_batch <= 64);
    T_CHECK(s.batches < s.jobs);
    /* a refusal had its batch done again, and the others' writes still count once */
    T_CHECK(s.redone >= 1 && s.redone <= s.batches);
    /* the log is synced by the flusher, one sync for one or more batches */
    T_CHECK(s.flushes >= 1 && s.flushes <= s.batches);
    /* every batch counted once by its size (GET /metrics): none over the cap of 64 */
    {
        long long counted = 0;
        for (int i = 0; i <= WG_COMMIT_SIZE_BUCKETS; i++)
            counted += s.sizes[i];
        T_EQ_INT(counted, s.batches);
        for (int i = 7; i <= WG_COMMIT_SIZE_BUCKETS; i++)
            T_EQ_INT(s.sizes[i], 0);
        T_EQ_INT(s.queued, 0);
    }
    /* a lone job on an idle store: its answer comes after a sync of its own */
    {
        struct wg_committer_stats before, after;
        wg_committer_stats(com, &before);
        T_EQ_INT(wg_committer_run(com, bump, NULL, &err), WG_OK);
        wg_committer_stats(com, &after);
        T_EQ_INT(after.batches, before.batches + 1);
        T_EQ_INT(after.flushes, before.flushes + 1);
        T_EQ_INT(after.sizes[0], before.sizes[0] + 1); /* a batch of one job */
    }
    /* a job that ends the transaction breaks its batch: it fails, nothing of it is kept, and
     * the committer goes on */
    T_CHECK(wg_committer_run(com, ends_tx, NULL, &err) != WG_OK);
    long long before = meta(db, "t_ok");
    T_EQ_INT(wg_committer_run(com, bump, NULL, &err), WG_OK);
    T_EQ_INT(meta(db, "t_ok"), before + 1);
    wg_store_put(db);
    wg_committer_stop(com);
    com = NULL;
}

/* ---- jobs handed over without waiting ---- */

#define SUBMITTED 200

struct submitted {
    struct wg_err err;
    atomic_int rc; /* -1 until answered */
    atomic_int answers;
};

static atomic_int answered;

static void on_answer(void *arg, enum wg_rc rc)
{
    struct submitted *s = arg;
    atomic_store(&s->rc, (int)rc);
    atomic_fetch_add(&s->answers, 1);
    atomic_fetch_add(&answered, 1);
}

static void test_submit(struct wg_store *st)
{
    static struct submitted subs[SUBMITTED];
    struct wg_err err = {0};
    struct wg_db *db;
    struct wg_committer_stats cs;
    int ok_expected = 0;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    long long before = meta(db, "t_ok");
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    /* one thread hands over many jobs without waiting: they share transactions */
    for (int i = 0; i < SUBMITTED; i++) {
        atomic_store(&subs[i].rc, -1);
        ok_expected += i % 5 != 2;
        T_EQ_INT(wg_committer_submit(com, i % 5 == 2 ? bump_then_fail : bump, NULL, &subs[i].err,
                                     on_answer, &subs[i]),
                 WG_OK);
    }
    for (int i = 0; i < 1000 && atomic_load(&answered) < SUBMITTED; i++)
        usleep(10000);
    T_EQ_INT(atomic_load(&answered), SUBMITTED);
    int each_once = 1, right = 1;
    for (int i = 0; i < SUBMITTED; i++) {
        each_once &= atomic_load(&subs[i].answers) == 1;
        if (i % 5 == 2)
            right &= atomic_load(&subs[i].rc) == WG_EINVAL && strstr(subs[i].err.msg, "refused");
        else
            right &= atomic_load(&subs[i].rc) == WG_OK;
    }
    T_CHECK(each_once);
    T_CHECK(right);
    /* answered means durable and visible: every bump but the refused ones */
    T_EQ_INT(meta(db, "t_ok"), before + ok_expected);
    wg_committer_stats(com, &cs);
    T_CHECK(cs.batches < SUBMITTED);
    wg_committer_stop(com);
    com = NULL;
    wg_store_put(db);
}

/* ---- a write the database itself refuses ---- */

static enum wg_rc add_unit(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct wg_unit_row u;
    memset(&u, 0, sizeof u);
    snprintf(u.id, sizeof u.id, "%s", (const char *)ctx);
    snprintf(u.name, sizeof u.name, "综合行政执法局");
    snprintf(u.kind, sizeof u.kind, "department");
    return wg_store_unit_insert(db, &u, err);
}

/* Jobs of one batch whose writes the store refuses only when it runs them (a unit that
 * exists): on a backend that sends writes on without waiting, the refusal shows later, and
 * still only that job fails, with the store's conflict, and the others' writes stay. */
static void test_refused_by_the_store(struct wg_store *st)
{
    static const char *const ids[] = {"u-a", "u-b", "u-a", "u-c", "u-b", "u-d"};
    static struct submitted subs[6];
    struct wg_err err = {0};
    struct wg_db *db;
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    atomic_store(&answered, 0);
    for (int i = 0; i < 6; i++) {
        atomic_store(&subs[i].rc, -1);
        T_EQ_INT(
            wg_committer_submit(com, add_unit, (void *)ids[i], &subs[i].err, on_answer, &subs[i]),
            WG_OK);
    }
    for (int i = 0; i < 1000 && atomic_load(&answered) < 6; i++)
        usleep(10000);
    for (int i = 0; i < 6; i++)
        T_EQ_INT(atomic_load(&subs[i].rc), i == 2 || i == 4 ? WG_ECONFLICT : WG_OK);
    wg_committer_stop(com);
    com = NULL;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (int i = 0; i < 6; i++) {
        struct wg_unit_row u;
        T_EQ_INT(wg_store_unit_get(db, ids[i], &u, &err), WG_OK);
    }
    wg_store_put(db);
}

/* On PostgreSQL, the committer's commits do not wait for the disk; the flusher's does, and
 * with it every commit before it. So once the flush returns, the database's log is on disk
 * past every commit made before the flush began. */
static void test_flush_reaches_the_disk(struct wg_store *st, const char *dir)
{
    struct wg_err err = {0};
    struct wg_db *db;
    int behind = 0;
    if (!t_on_pg())
        return;
    PGconn *look = PQconnectdb(t_store_where(dir, 0));
    T_EQ_INT(PQstatus(look), CONNECTION_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(db->be->defer_flush(db->conn, 1, &err), WG_OK);
    for (int i = 0; i < 50; i++) {
        char id[32], sql[128];
        snprintf(id, sizeof id, "u-flush-%d", i);
        T_EQ_INT(wg_db_begin(db, &err), WG_OK);
        T_EQ_INT(add_unit(db, id, &err), WG_OK);
        T_EQ_INT(wg_db_commit(db, &err), WG_OK);
        PGresult *at = PQexec(look, "SELECT pg_current_wal_insert_lsn()");
        T_EQ_INT(PQresultStatus(at), PGRES_TUPLES_OK);
        snprintf(sql, sizeof sql, "SELECT pg_current_wal_flush_lsn() >= '%s'::pg_lsn",
                 PQgetvalue(at, 0, 0));
        PQclear(at);
        T_EQ_INT(db->be->flush(db->conn, &err), WG_OK);
        PGresult *done = PQexec(look, sql);
        T_EQ_INT(PQresultStatus(done), PGRES_TUPLES_OK);
        behind += strcmp(PQgetvalue(done, 0, 0), "t") != 0;
        PQclear(done);
    }
    T_EQ_INT(behind, 0);
    T_EQ_INT(db->be->defer_flush(db->conn, 0, &err), WG_OK);
    wg_store_put(db);
    PQfinish(look);
}

/* ---- intake through the committer ---- */

struct intake {
    struct wg_order_draft *d;
};

static enum wg_rc insert(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_order_insert(db, ((struct intake *)ctx)->d, err);
}

static enum wg_rc insert_then_fail(struct wg_db *db, void *ctx, struct wg_err *err)
{
    enum wg_rc rc = wg_order_insert(db, ((struct intake *)ctx)->d, err);
    return rc ? rc : wg_err_set(err, WG_EINVAL, "refused after the insert");
}

static void test_intake(struct wg_store *st, const char *dir)
{
    struct wg_err err = {0};
    struct t_order o;
    struct wg_db *db;
    struct wg_actor agent, handler;
    t_order_open(&o, dir, 0);
    struct wg_order_env env = o.env;
    t_actor(&agent, "ag", "agent", "region", "371302");
    t_actor(&handler, "hd", "handler", "region", "");
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    static const struct {
        const char *name, *phone, *address;
        int anonymous, confidential;
    } cases[] = {
        {"张三", "138 1234 5678", "兰山区东关社区", 0, 0},
        {"李四", NULL, NULL, 0, 1},
        {NULL, "13900001111", "", 0, 0},
        {"王五", "13700002222", NULL, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_order_input in;
        struct wg_order_draft d;
        memset(&in, 0, sizeof in);
        in.channel = "hotline";
        in.type = "complaint";
        in.item = "06028";
        in.title = "噪声扰民";
        in.content = "楼下烧烤店每天半夜很吵";
        in.urgency = "normal";
        in.county = "371302";
        in.address = cases[i].address;
        in.reporter_name = cases[i].name;
        in.reporter_phone = cases[i].phone;
        in.anonymous = cases[i].anonymous;
        in.confidential = cases[i].confidential;
        T_EQ_INT(wg_order_prepare(&env, NULL, &agent, &in, 1790000000 + (long long)i, &d, &err),
                 WG_OK);
        struct intake job = {&d};
        T_EQ_INT(wg_committer_run(com, insert, &job, &err), WG_OK);
        T_EQ_INT(d.row.id, (long long)i + 1);
        char number[32];
        snprintf(number, sizeof number, "371302-20260921-%06zu", i + 1);
        T_EQ_STR(d.row.number, number);
        /* the answer rendered from the draft is what a read gives, for each kind of caller */
        const struct wg_actor *who[] = {&agent, &handler};
        for (int w = 0; w < 2; w++) {
            json_t *mine = wg_order_draft_json(&env, who[w], &d), *read = NULL;
            T_EQ_INT(wg_order_json(db, &env, who[w], d.row.id, 1, &read, &err), WG_OK);
            int same = json_equal(mine, read);
            if (!same) {
                char *a = json_dumps(mine, JSON_SORT_KEYS), *b = json_dumps(read, JSON_SORT_KEYS);
                fprintf(stderr, "draft: %s\nread:  %s\n", a, b);
                free(a);
                free(b);
            }
            T_CHECK(same);
            json_decref(mine);
            json_decref(read);
        }
        wg_order_draft_release(&d);
    }
    /* the text index is made behind the orders, on either backend: four wait, then one job
     * indexes them all */
    long long pending = -1, indexed = 0, behind = 4;
    T_EQ_INT(wg_store_order_fts_backlog(db, &pending, &err), WG_OK);
    T_EQ_INT(pending, behind);
    T_EQ_INT(wg_text_index_all(st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, behind);
    T_EQ_INT(wg_store_order_fts_backlog(db, &pending, &err), WG_OK);
    T_EQ_INT(pending, 0);
    T_EQ_INT(wg_text_index_all(st, &indexed, &err), WG_OK);
    T_EQ_INT(indexed, 0); /* nothing twice */
    struct wg_order_query q = {.q = "烧烤店每天"};
    json_t *found = NULL;
    T_EQ_INT(wg_order_list(db, &env, &agent, &q, &found, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(found, "orders")), 4);
    json_decref(found);
    /* a refused insert leaves nothing: the number it took is given to the next order, and
     * its id is no order's (or the next order's, where ids are given from the highest) */
    long long ids[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        struct wg_order_input in;
        struct wg_order_draft d;
        t_order_input(&in, "t", "c");
        in.channel = "web";
        T_EQ_INT(wg_order_prepare(&env, NULL, &agent, &in, 1790000100, &d, &err), WG_OK);
        struct intake job = {&d};
        T_EQ_INT(wg_committer_run(com, k ? insert : insert_then_fail, &job, &err),
                 k ? WG_OK : WG_EINVAL);
        if (k)
            T_EQ_STR(d.row.number, "371302-20260921-000005");
        ids[k] = d.row.id;
        wg_order_draft_release(&d);
    }
    json_t *gone = NULL;
    T_CHECK(ids[0] > 0);
    if (ids[0] != ids[1])
        T_EQ_INT(wg_order_json(db, &env, &agent, ids[0], 1, &gone, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_order_json(db, &env, &agent, ids[1] + 1, 1, &gone, &err), WG_ENOTFOUND);
    wg_store_put(db);
    wg_committer_stop(com);
    com = NULL;
    t_order_close(&o);
}

int main(void)
{
    char dir[] = "/tmp/wangge-commit-XXXXXX";
    struct wg_err err = {0};
    struct wg_store *st;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    test_batches(st);
    test_submit(st);
    test_refused_by_the_store(st);
    test_flush_reaches_the_disk(st, dir);
    test_intake(st, dir);
    wg_store_close(st);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
    return T_DONE("commit");
}
