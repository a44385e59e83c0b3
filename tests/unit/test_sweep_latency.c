/* Intake stays quick while the supervision sweep runs: ten thousand red orders (two thousand
 * in the sanitizer build) are supervised while four callers keep taking orders in through the
 * group committer, as the server's request threads do. The creates' p99 latency during the
 * sweep is compared with their p99 just before it, in the same run on the same store, so the
 * check holds on a fast disk and a slow one alike. Runs on a real store. */
#include "t.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/clock.h"
#include "domain/catalog/unit.h"
#include "domain/orders/order.h"
#include "domain/stats/stats.h"
#include "t_order.h"
#include "t_store.h"

#if defined(__SANITIZE_ADDRESS__)
#define RED 2000
#else
#define RED 10000
#endif
#define CREATORS  4
#define QUIET_US  (3 * 1000 * 1000) /* how long the creates are timed before the sweep */
#define MAX_RATIO 4.0 /* p99 during the sweep over p99 before it, at most (or see below) */

static const long long now = 1790000000; /* 2026-09-21, a Monday */
static struct wg_committer *com;
static struct wg_order_env env;
static struct wg_actor agent;

/* ---- ten thousand red orders: dispatched ten days ago and never replied ---- */

struct red {
    struct wg_order_draft d;
    struct wg_err err;
    json_t *body;
};
static atomic_int red_left, red_failed;

static enum wg_rc red_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct red *r = ctx;
    enum wg_rc rc = wg_order_insert(db, &r->d, err);
    return rc ? rc
              : wg_order_act_in(db, &env, &agent, r->d.row.id, WG_ACTION_DISPATCH, r->body, 1,
                                now - 10 * 86400 + 600, err);
}

static void red_done(void *arg, enum wg_rc rc)
{
    struct red *r = arg;
    if (rc && !atomic_fetch_add(&red_failed, 1))
        fprintf(stderr, "a red order was not made: %s\n", r->err.msg);
    atomic_fetch_sub(&red_left, 1);
}

static void make_red(void)
{
    struct red *r = calloc(RED, sizeof *r);
    struct wg_order_input in;
    struct wg_err err = {0};
    int bad = 0;
    json_t *body = json_pack("{s:s}", "unit", "cgzf");
    t_order_input(&in, "路灯不亮", "小区路灯坏了一个月");
    in.type = "complaint";
    in.item = "06028";
    atomic_store(&red_left, RED);
    for (int i = 0; i < RED; i++) {
        r[i].body = body;
        if (wg_order_prepare(&env, NULL, &agent, &in, now - 10 * 86400, &r[i].d, &err) ||
            wg_committer_submit(com, red_tx, &r[i], &r[i].err, red_done, &r[i])) {
            atomic_fetch_sub(&red_left, 1);
            bad++;
        }
    }
    while (atomic_load(&red_left) > 0)
        usleep(10000);
    T_EQ_INT(bad, 0);
    T_EQ_INT(atomic_load(&red_failed), 0);
    for (int i = 0; i < RED; i++)
        wg_order_draft_release(&r[i].d);
    json_decref(body);
    free(r);
}

/* ---- callers taking orders in, each timing its creates ---- */

struct creator {
    atomic_int *stop;
    long long *us; /* latencies, n of them, room for cap */
    int n, cap, failed;
};

static enum wg_rc insert_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_order_insert(db, ctx, err);
}

static void *create(void *arg)
{
    struct creator *c = arg;
    struct wg_order_input in;
    struct wg_err err = {0};
    t_order_input(&in, "噪声扰民", "夜间施工");
    while (!atomic_load(c->stop) && c->n < c->cap) {
        struct wg_order_draft d;
        uint64_t t0 = wg_clock_us();
        if (wg_order_prepare(&env, NULL, &agent, &in, now, &d, &err)) {
            c->failed++;
            continue;
        }
        c->failed += wg_committer_run(com, insert_tx, &d, &err) != WG_OK;
        c->us[c->n++] = (long long)(wg_clock_us() - t0);
        wg_order_draft_release(&d);
    }
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* The creators of one phase: started, then stopped with their p99 and p50 in microseconds
 * and how many creates there were. */
struct phase {
    struct creator c[CREATORS];
    pthread_t t[CREATORS];
    atomic_int stop;
};

static void phase_start(struct phase *p)
{
    atomic_store(&p->stop, 0);
    for (int i = 0; i < CREATORS; i++) {
        p->c[i] = (struct creator){&p->stop, calloc(200000, sizeof(long long)), 0, 200000, 0};
        T_EQ_INT(pthread_create(&p->t[i], NULL, create, &p->c[i]), 0);
    }
}

static long long phase_end(struct phase *p, int *count, long long *p50)
{
    long long *all, p99;
    int n = 0;
    atomic_store(&p->stop, 1);
    for (int i = 0; i < CREATORS; i++) {
        pthread_join(p->t[i], NULL);
        n += p->c[i].n;
        T_EQ_INT(p->c[i].failed, 0);
    }
    all = calloc((size_t)n + 1, sizeof *all);
    n = 0;
    for (int i = 0; i < CREATORS; i++) {
        memcpy(all + n, p->c[i].us, (size_t)p->c[i].n * sizeof *all);
        n += p->c[i].n;
        free(p->c[i].us);
    }
    qsort(all, (size_t)n, sizeof *all, cmp);
    p99 = n ? all[(size_t)n * 99 / 100] : 0;
    *p50 = n ? all[n / 2] : 0;
    *count = n;
    free(all);
    return p99;
}

/* ---- the sweep, as the server runs it ---- */

struct sweeper {
    struct wg_store *st;
    int supervised;
    enum wg_rc rc;
    atomic_int done;
};

static void *sweep(void *arg)
{
    struct sweeper *w = arg;
    struct wg_db *db;
    struct wg_err err = {0};
    if (!(w->rc = wg_store_get(w->st, &db, &err))) {
        w->rc = wg_order_sweep_red(db, com, &env, now, NULL, &w->supervised, &err);
        if (!w->rc) /* and the change log of the supervisions folded, as the server does */
            w->rc = wg_stats_fold_log(db, com, now - 3600, NULL, &err);
        wg_store_put(db);
    }
    if (w->rc)
        fprintf(stderr, "sweep: %s\n", err.msg);
    atomic_store(&w->done, 1);
    return NULL;
}

int main(void)
{
    char dir[] = "/tmp/wangge-sweeplat-XXXXXX";
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct t_order o;
    struct phase quiet, busy;
    struct sweeper w = {0};
    pthread_t tw;
    int nq, nb;
    long long q50, b50, q99, b99;
    uint64_t t0;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_order_open(&o, dir, 1);
    env = o.env;
    t_actor(&agent, "agent", "agent", "region", "");
    T_EQ_INT(wg_unit_create(db, "cgzf", "综合行政执法局", "department", NULL, &err), WG_OK);
    wg_store_put(db);
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    t0 = wg_clock_us();
    make_red();
    printf("sweep_latency: %d red orders made in %.1f s\n", RED, (wg_clock_us() - t0) / 1e6);

    phase_start(&quiet);
    usleep(QUIET_US);
    q99 = phase_end(&quiet, &nq, &q50);

    w.st = st;
    t0 = wg_clock_us();
    phase_start(&busy);
    T_EQ_INT(pthread_create(&tw, NULL, sweep, &w), 0);
    while (!atomic_load(&w.done))
        usleep(10000);
    b99 = phase_end(&busy, &nb, &b50);
    pthread_join(tw, NULL);
    uint64_t sweep_us = wg_clock_us() - t0;
    printf("sweep_latency: %d supervised in %.1f s\n", w.supervised, sweep_us / 1e6);
    printf("sweep_latency: creates before the sweep: %d, p50 %.2f ms, p99 %.2f ms\n", nq, q50 / 1e3,
           q99 / 1e3);
    printf("sweep_latency: creates during the sweep: %d, p50 %.2f ms, p99 %.2f ms (%.1fx)\n", nb,
           b50 / 1e3, b99 / 1e3, q99 ? (double)b99 / (double)q99 : 0.0);
    T_EQ_INT(w.rc, WG_OK);
    T_EQ_INT(w.supervised, RED);
    T_CHECK(nq > 0 && nb > 0);
    /* held up by the sweep (its writes outside the group commit), creates waited seconds:
     * p99 5,894 ms beside a 31 s sweep on SQLite. A create's p99 within MAX_RATIO of the
     * quiet one, or under a twentieth of the sweep's time, says none was: a machine busy
     * with other work slows the sweep too, so this holds there as well */
    T_CHECK((double)b99 <= MAX_RATIO * (double)q99 || b99 * 20 <= (long long)sweep_us);

    wg_committer_stop(com);
    wg_store_close(st);
    t_order_close(&o);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
    return T_DONE("sweep_latency");
}
