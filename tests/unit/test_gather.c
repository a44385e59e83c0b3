/* Gathered writes (store/gather.h): the group committer's batches of creates write each
 * table's small rows at once, and nothing a job can see or a later reader counts differs from
 * writing them one by one — numbers consecutive, one first event per order, the audit chain
 * whole and as long as its counter, the counters and their change log exact — even when jobs
 * fail in the middle of a batch, read what they wrote, or roll back to a savepoint. Runs on
 * either backend (t_store.h). */
#include "t.h"

#include <pthread.h>
#include <stdlib.h>

#include "domain/accounts/audit.h"
#include "domain/orders/order.h"
#include "domain/stats/stats.h"
#include "t_order.h"
#include "t_store.h"
#include "store/backend.h"
#include "store/orders/orders_q.h"
#include "store/stats/stats_q.h"

#define THREADS 8
#define PER     60
#define FAILS   13 /* every 13th create is refused after its writes */

static struct wg_committer *com;
static struct t_order ord;

struct create {
    struct wg_order_draft d;
    int fail;
};

static enum wg_rc create_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct create *c = ctx;
    char id[24];
    enum wg_rc rc = wg_order_insert(db, &c->d, err);
    if (rc)
        return rc;
    snprintf(id, sizeof id, "%lld", c->d.row.id);
    struct wg_audit_event ev = {"ag",    "agent", "127.0.0.1", "order.create",
                                "order", id,      "ok",        "hotline"};
    if ((rc = wg_audit_record(db, &ev, err)))
        return rc;
    return c->fail ? wg_err_set(err, WG_EINVAL, "refused after its writes") : WG_OK;
}

static void *worker(void *arg)
{
    long bad = 0, k = (long)arg;
    struct wg_actor agent;
    t_actor(&agent, "ag", "agent", "region", "371302");
    for (int i = 0; i < PER; i++) {
        struct wg_err err = {0};
        struct wg_order_input in;
        struct create c = {.fail = (k * PER + i) % FAILS == 5};
        t_order_input(&in, "路灯不亮", "小区东门两盏路灯坏了一周");
        in.item = "06028";
        if (wg_order_prepare(&ord.env, NULL, &agent, &in, 1790000000, &c.d, &err)) {
            bad++;
            continue;
        }
        enum wg_rc rc = wg_committer_run(com, create_tx, &c, &err);
        bad += c.fail ? rc != WG_EINVAL : rc != WG_OK;
        wg_order_draft_release(&c.d);
    }
    return (void *)bad;
}

static int count_event(const struct wg_order_event_row *e, void *ctx)
{
    int *n = ctx;
    *n += e->seq == 1 && !strcmp(e->action, "create") ? 1 : 1000;
    return 0;
}

static int sum_received(const struct wg_stat_cell *c, void *ctx)
{
    *(long long *)ctx += c->c[WG_SC_RECEIVED];
    return 0;
}

static int count_log(long long seq, const char *deltas, void *ctx)
{
    (void)seq;
    (void)deltas;
    ++*(long long *)ctx;
    return 0;
}

/* Many threads' creates share batches; every 13th fails after writing. */
static void test_batches_of_creates(struct wg_store *st)
{
    struct wg_err err = {0};
    struct wg_committer_stats cs;
    pthread_t th[THREADS];
    long bad = 0;
    int refused = 0;
    for (long k = 0; k < THREADS; k++)
        pthread_create(&th[k], NULL, worker, (void *)k);
    for (int k = 0; k < THREADS; k++) {
        void *r;
        pthread_join(th[k], &r);
        bad += (long)r;
    }
    T_EQ_INT(bad, 0);
    for (int i = 0; i < THREADS * PER; i++)
        refused += i % FAILS == 5;
    const long long made = THREADS * PER - refused;
    wg_committer_stats(com, &cs);
    T_CHECK(cs.largest_batch > 1); /* the creates did share transactions */

    struct wg_db *db;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    /* numbers 1..made, each once, with no gap where a refused create was */
    char *seen = calloc((size_t)made + 2, 1);
    long long events_ok = 0;
    /* PostgreSQL's ids skip those a refused insert (or its batch's first try) took */
    long long found = 0, last_number = 0, ascending = 0;
    for (long long id = 1; found < made && id <= 20 * (made + refused); id++) {
        struct wg_order_row o;
        if (wg_store_order_get(db, id, &o, &err) != WG_OK)
            continue;
        found++;
        long long n = atoll(strrchr(o.number, '-') + 1);
        ascending += n > last_number; /* ids follow the order creates were numbered in */
        last_number = n;
        T_CHECK(n >= 1 && n <= made && !seen[n]);
        if (n >= 1 && n <= made)
            seen[n] = 1;
        int events = 0;
        T_EQ_INT(wg_store_order_events(db, id, count_event, &events, &err), WG_OK);
        events_ok += events == 1;
        wg_store_order_release(&o);
    }
    long long numbers = 0;
    for (long long n = 1; n <= made; n++)
        numbers += seen[n];
    T_EQ_INT(numbers, made);
    T_EQ_INT(ascending, made);
    T_EQ_INT(events_ok, made);
    free(seen);
    /* the audit chain is whole and as long as its counter says */
    struct wg_audit_report rep;
    T_EQ_INT(wg_audit_verify(db, &rep, &err), WG_OK);
    T_EQ_INT(rep.bad_seq, 0);
    T_EQ_INT(rep.records, made);
    /* the counters and their change log count every create kept, and none refused */
    long long received = 0, logged = 0;
    struct wg_stat_filter f = {"", 0, 99999999, "", "", ""};
    T_EQ_INT(wg_store_stat_cells(db, &f, sum_received, &received, &err), WG_OK);
    T_EQ_INT(received, made);
    T_EQ_INT(wg_store_stat_log_since(db, 0, 100000, count_log, &logged, &err), WG_OK);
    T_EQ_INT(logged, made);
    wg_store_put(db);
}

/* A job reads what it (or an earlier job of its batch) wrote and holds. */
struct reads {
    struct create c;
    long long meta, events;
};

static enum wg_rc write_then_read(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct reads *r = ctx;
    int events = 0;
    enum wg_rc rc;
    if ((rc = create_tx(db, &r->c, err)) || (rc = wg_store_meta_bump(db, "t_read", err)) ||
        (rc = wg_store_meta_get(db, "t_read", &r->meta, err)) ||
        (rc = wg_store_order_events(db, r->c.d.row.id, count_event, &events, err)))
        return rc;
    r->events = events;
    return WG_OK;
}

/* Writes held after a savepoint go with a rollback to it, and so does the audit chain's head
 * they moved; before it, they stay. */
static enum wg_rc savepoints(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct wg_audit_event ev = {"ag", "agent", "127.0.0.1", "order.note", "order", "1", "ok", ""};
    enum wg_rc rc;
    (void)ctx;
    if ((rc = wg_store_meta_bump(db, "t_kept", err)) || (rc = wg_db_savepoint(db, err)) ||
        (rc = wg_store_meta_bump(db, "t_kept", err)) ||
        (rc = wg_store_meta_bump(db, "t_gone", err)) || (rc = wg_audit_record(db, &ev, err)) ||
        (rc = wg_db_rollback_to(db, err)) || (rc = wg_db_release(db, err)) ||
        (rc = wg_audit_record(db, &ev, err)) || (rc = wg_db_savepoint(db, err)) ||
        (rc = wg_store_meta_bump(db, "t_kept", err)))
        return rc;
    return wg_db_release(db, err);
}

static void test_reads_and_savepoints(struct wg_store *st)
{
    struct wg_err err = {0};
    struct wg_actor agent;
    struct wg_order_input in;
    struct reads r = {0};
    struct wg_db *db;
    long long kept = -1, gone = -1;
    t_actor(&agent, "ag", "agent", "region", "371302");
    t_order_input(&in, "井盖缺失", "学府路口井盖丢了");
    T_EQ_INT(wg_order_prepare(&ord.env, NULL, &agent, &in, 1790000000, &r.c.d, &err), WG_OK);
    T_EQ_INT(wg_committer_run(com, write_then_read, &r, &err), WG_OK);
    T_EQ_INT(r.meta, 1);
    T_EQ_INT(r.events, 1);
    wg_order_draft_release(&r.c.d);
    T_EQ_INT(wg_committer_run(com, savepoints, NULL, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_meta_get(db, "t_kept", &kept, &err), WG_OK);
    T_EQ_INT(wg_store_meta_get(db, "t_gone", &gone, &err), WG_OK);
    T_EQ_INT(kept, 2);
    T_EQ_INT(gone, 0);
    struct wg_audit_report rep;
    T_EQ_INT(wg_audit_verify(db, &rep, &err), WG_OK);
    T_EQ_INT(rep.bad_seq, 0);
    wg_store_put(db);
}

int main(void)
{
    char dir[] = "/tmp/wangge-gather-XXXXXX";
    struct wg_err err = {0};
    struct wg_store *st;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    t_order_open(&ord, dir, 0);
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    test_batches_of_creates(st);
    test_reads_and_savepoints(st);
    wg_committer_stop(com);
    t_order_close(&ord);
    wg_store_close(st);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
    return T_DONE("gather");
}
