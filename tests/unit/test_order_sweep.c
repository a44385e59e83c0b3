/* Red orders are supervised automatically, once each: an order dispatched ten days ago and
 * never replied is past its five-working-day deadline; the sweep supervises it as the system,
 * through the group committer, and a second sweep leaves it alone. Two servers sweeping the
 * same store at once (two threads, a connection and a committer each) still supervise every
 * red order once. Runs on a real store. */
#include "t.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "domain/orders/order.h"
#include "domain/catalog/unit.h"
#include "t_order.h"
#include "t_store.h"
#include "store/orders/orders_q.h"

struct evcount {
    const char *action, *actor;
    int n;
};

static int on_event(const struct wg_order_event_row *e, void *p)
{
    struct evcount *c = p;
    if (!strcmp(e->action, c->action) && !strcmp(e->actor, c->actor))
        c->n++;
    return 0;
}

struct sweeper {
    struct wg_store *st;
    const struct wg_order_env *env;
    long long now;
    int supervised;
    enum wg_rc rc;
};

static void *sweep(void *arg)
{
    struct sweeper *w = arg;
    struct wg_db *db;
    struct wg_committer *c;
    struct wg_err err = {0};
    if ((w->rc = wg_store_get(w->st, &db, &err)))
        return NULL;
    if ((w->rc = wg_committer_start(w->st, 0, &c, &err))) {
        wg_store_put(db);
        return NULL;
    }
    for (int round = 0; round < 4 && !w->rc; round++) {
        int n = 0;
        w->rc = wg_order_sweep_red(db, c, w->env, w->now, NULL, &n, &err);
        w->supervised += n;
    }
    wg_committer_stop(c);
    wg_store_put(db);
    return NULL;
}

/* Forty red orders, two sweepers at once: forty supervisions in all, one an order. */
static void test_two_sweepers(struct wg_store *st, struct wg_db *db, const struct wg_order_env *env,
                              long long now)
{
    struct wg_actor agent;
    struct wg_order_input in;
    struct wg_err err = {0};
    long long ids[40];
    t_actor(&agent, "agent", "agent", "region", "");
    t_order_input(&in, "路灯不亮", "小区路灯坏了一个月");
    in.type = "complaint";
    in.item = "06028";
    for (int i = 0; i < 40; i++) {
        json_t *body = json_pack("{s:s}", "unit", "cgzf"), *out = NULL;
        T_EQ_INT(wg_order_create(db, env, NULL, &agent, &in, now - 10 * 86400, &ids[i], &err),
                 WG_OK);
        T_EQ_INT(wg_order_act(db, env, &agent, ids[i], WG_ACTION_DISPATCH, body, 1,
                              now - 10 * 86400 + 600, &out, &err),
                 WG_OK);
        json_decref(body);
        json_decref(out);
    }
    struct sweeper a = {st, env, now, 0, WG_OK}, b = a;
    pthread_t ta, tb;
    T_EQ_INT(pthread_create(&ta, NULL, sweep, &a), 0);
    T_EQ_INT(pthread_create(&tb, NULL, sweep, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    T_EQ_INT(a.rc, WG_OK);
    T_EQ_INT(b.rc, WG_OK);
    T_EQ_INT(a.supervised + b.supervised, 40);
    for (int i = 0; i < 40; i++) {
        struct evcount c = {"supervise", "system", 0};
        T_EQ_INT(wg_store_order_events(db, ids[i], on_event, &c, &err), WG_OK);
        T_EQ_INT(c.n, 1);
    }
}

int main(void)
{
    char dir[] = "/tmp/wangge-sweep-XXXXXX";
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct wg_committer *com;
    struct t_order o;
    struct wg_actor agent;
    struct wg_order_input in;
    long long now = 1790000000, id = 0; /* 2026-09-21, a Monday */
    json_t *out = NULL;
    int n = -1;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_committer_start(st, 0, &com, &err), WG_OK);
    t_order_open(&o, dir, 1);
    struct wg_order_env env = o.env;
    T_EQ_INT(wg_unit_create(db, "cgzf", "综合行政执法局", "department", NULL, &err), WG_OK);
    t_actor(&agent, "agent", "agent", "region", "");
    t_order_input(&in, "噪声扰民", "夜间施工");
    in.type = "complaint";
    in.item = "06028";
    T_EQ_INT(wg_order_create(db, &env, NULL, &agent, &in, now - 10 * 86400, &id, &err), WG_OK);
    json_t *body = json_pack("{s:s}", "unit", "cgzf");
    T_EQ_INT(wg_order_act(db, &env, &agent, id, WG_ACTION_DISPATCH, body, 1, now - 10 * 86400 + 600,
                          &out, &err),
             WG_OK);
    json_decref(body);
    json_decref(out);
    /* before the deadline nothing happens; after it, one supervision by the system */
    T_EQ_INT(wg_order_sweep_red(db, com, &env, now - 9 * 86400, NULL, &n, &err), WG_OK);
    T_EQ_INT(n, 0);
    T_EQ_INT(wg_order_sweep_red(db, com, &env, now, NULL, &n, &err), WG_OK);
    T_EQ_INT(n, 1);
    T_EQ_INT(wg_order_sweep_red(db, com, &env, now + 3600, NULL, &n, &err), WG_OK);
    T_EQ_INT(n, 0);
    struct evcount c = {"supervise", "system", 0};
    T_EQ_INT(wg_store_order_events(db, id, on_event, &c, &err), WG_OK);
    T_EQ_INT(c.n, 1);
    test_two_sweepers(st, db, &env, now + 7200);
    wg_committer_stop(com);
    wg_store_put(db);
    wg_store_close(st);
    t_order_close(&o);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
    return T_DONE("order_sweep");
}
