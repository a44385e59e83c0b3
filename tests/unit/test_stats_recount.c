/* `wangge stats recount` (domain/stats/stats_recount.h) on every backend: a store with a
 * random history whose counter cells are then damaged — the contact counters zeroed as on a
 * store counted before migration 26, counts bumped, cells deleted, a stray cell added, a
 * roll-up row changed — comes back, cell by cell, to the brute-force recount of
 * tests/unit/t_recount.h, and its roll-ups to its cells summed; a dry run writes nothing; a
 * second run changes nothing; a period recounts only its days; a change counted while it
 * runs stops it before it writes. */
#include "t.h"
#include "core/civil.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/orders/history.h"
#include "domain/stats/stats_recount.h"
#include "store/orders/orders_q.h"
#include "store/stats/stats_q.h"
#include "t_county.h"
#include "t_order.h"
#include "t_recount.h"
#include "t_store.h"

#define DAY 86400LL

struct world {
    char dir[32];
    struct wg_store *st;
    struct wg_db *db;
    struct t_order ord;
    struct wg_locator *loc;
    long long now;
};

static void sql(const char *dir, const char *text)
{
    char msg[512];
    if (t_store_sql(dir, text, msg, sizeof msg))
        fprintf(stderr, "(sql '%.60s': %s)\n", text, msg);
    T_CHECK(!*msg);
}

/* County 371302's divisions and grids, two rounds of demo history and random walks. */
static void world_open(struct world *w)
{
    struct wg_err err = {0};
    int taken = 0;
    memset(w, 0, sizeof *w);
    t_county_open(w->dir, sizeof w->dir, "/tmp/wangge-recount-XXXXXX", &w->st, &w->db, &w->ord,
                  &w->loc);
    w->now = 1790000000; /* 2026-09-21 */
    for (int round = 0; round < 2; round++) {
        struct wg_history_opts o = {"371302", 60, 300, 500 + (uint64_t)round, w->now};
        struct wg_history_report rep;
        T_EQ_INT(wg_history_generate(w->db, &w->ord.env, w->loc, &o, &rep, &err), WG_OK);
        walk(w->db, &w->ord.env, 31 + (uint64_t)round, 1000, &w->now, &taken);
        w->now += 3 * DAY;
    }
    T_CHECK(taken > 400);
}

static void world_close(struct world *w)
{
    t_county_close(w->dir, w->st, w->db, &w->ord, w->loc);
}

/* How many of the store's cells differ from the brute-force recount (cells it lacks
 * included); with from/to, only the cells of those days. */
struct within {
    struct cellcheck k;
    int from, to;
};

static int check_within(const struct wg_stat_cell *c, void *ctx)
{
    struct within *x = ctx;
    return c->day < x->from || c->day > x->to ? 0 : check_cell(c, &x->k);
}

static int differing(struct world *w, int from, int to)
{
    struct wg_err err = {0};
    struct recount r = {0};
    recount(w->db, &w->ord.env, &r);
    struct within x = {{&r, 0, 0}, from, to};
    struct wg_stat_filter all = {"", INT_MIN, INT_MAX, "", "", ""};
    size_t want = 0;
    T_EQ_INT(wg_store_stat_cells(w->db, &all, check_within, &x, &err), WG_OK);
    for (size_t i = 0; i < r.n; i++) {
        int any = 0;
        for (int c = 0; c < WG_SC_COUNT; c++)
            any |= r.v[i].c[c] != 0;
        want += any && r.v[i].day >= from && r.v[i].day <= to;
    }
    free(r.v);
    /* cells of the recount the store lacks count as differing too */
    return x.k.bad + (int)(want - x.k.matched);
}

/* The roll-up rows (stat_roll) against the cells summed as wg_stats_rolls_of sums them, once
 * the change log is folded: how many rows differ. */
struct rollsum {
    struct rs {
        char key[96];
        long long c[WG_SC_COUNT];
        int seen;
    } * v;
    size_t n, cap;
};

static struct rs *rs_find(struct rollsum *r, int day, int view, const char *node, const char *dim,
                          int make)
{
    char key[96];
    snprintf(key, sizeof key, "%d|%d|%s|%s", day, view, node, dim);
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].key, key))
            return &r->v[i];
    if (!make)
        return NULL;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    struct rs *x = &r->v[r->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->key, sizeof x->key, "%s", key);
    return x;
}

static int rs_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct wg_stat_roll r[4];
    char town[16], county[16];
    int n = wg_stats_rolls_of(c, r, town, county);
    for (int k = 0; k < n; k++) {
        struct rs *x = rs_find(ctx, r[k].day, r[k].view, r[k].node, r[k].dim, 1);
        for (int j = 0; j < WG_SC_COUNT; j++)
            x->c[j] += r[k].c[j];
    }
    return 0;
}

struct rollcmp {
    struct rollsum *want;
    int bad;
};

static int rs_row(const struct wg_stat_roll *r, void *ctx)
{
    struct rollcmp *k = ctx;
    struct rs *x = rs_find(k->want, r->day, r->view, r->node, r->dim, 0);
    int any = 0;
    for (int j = 0; j < WG_SC_COUNT; j++)
        any |= r->c[j] != 0;
    if (x)
        x->seen = 1;
    k->bad += x ? memcmp(x->c, r->c, sizeof x->c) != 0 : any;
    return 0;
}

static int rolls_differing(struct world *w)
{
    struct wg_err err = {0};
    struct wg_stat_filter all = {"", INT_MIN, INT_MAX, "", "", ""};
    struct rollsum want = {0};
    struct rollcmp k = {&want, 0};
    int folded = 1;
    while (folded > 0) {
        T_EQ_INT(wg_db_begin(w->db, &err), WG_OK);
        T_EQ_INT(wg_stats_roll_fold(w->db, 2000, &folded, &err), WG_OK);
        T_EQ_INT(wg_db_commit(w->db, &err), WG_OK);
    }
    T_EQ_INT(wg_store_stat_cells(w->db, &all, rs_cell, &want, &err), WG_OK);
    T_EQ_INT(wg_store_stat_rolls(w->db, rs_row, &k, &err), WG_OK);
    for (size_t i = 0; i < want.n; i++) {
        int any = 0;
        for (int j = 0; j < WG_SC_COUNT; j++)
            any |= want.v[i].c[j] != 0;
        k.bad += any && !want.v[i].seen;
    }
    T_CHECK(want.n > 100);
    free(want.v);
    return k.bad;
}

/* Damage as an older release or a hand would leave it: migration 26's counters at 0, counts
 * bumped, cells deleted, a stray cell, a roll-up row changed behind the log's back. */
static void damage(struct world *w)
{
    sql(w->dir, "UPDATE stat_cell SET contact_due = 0, contacted_on_time = 0");
    sql(w->dir, "UPDATE stat_cell SET received = received + 3, open = open - 1 WHERE day % 5 = 0");
    sql(w->dir, "DELETE FROM stat_cell WHERE day % 11 = 0 AND unit <> ''");
    sql(w->dir, "INSERT INTO stat_cell (leaf, day, unit, item, channel, received, satisfied) "
                "VALUES ('371302001001', 20000, 'nobody', '06', 'hotline', 7, 2) "
                "ON CONFLICT (day, leaf, unit, item, channel) DO UPDATE SET received = 7");
    sql(w->dir, "UPDATE stat_roll SET dispatched = dispatched + 9 WHERE day % 7 = 0");
}

struct seen {
    int cells;
    long long contact_due_gained;
};

static void on_differs(const struct wg_stat_cell *had, const struct wg_stat_cell *want, void *ctx)
{
    struct seen *s = ctx;
    s->cells++;
    s->contact_due_gained += want->c[WG_SC_CONTACT_DUE] - had->c[WG_SC_CONTACT_DUE];
}

static enum wg_rc run(struct world *w, struct wg_recount_opts *o, struct wg_recount_report *rep)
{
    struct wg_err err = {0};
    enum wg_rc rc = wg_stats_recount(w->db, &w->ord.env, o, rep, &err);
    if (rc)
        fprintf(stderr, "recount: %s\n", err.msg);
    return rc;
}

static void test_recount_mends(struct world *w)
{
    struct wg_recount_report rep;
    struct seen seen = {0};
    struct wg_recount_opts o = {INT_MIN, INT_MAX, 1, 0, on_differs, NULL, &seen};
    /* as the live path counted them: nothing to change */
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), 0);
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(rep.cells_differing, 0);
    T_EQ_INT(rep.drifted, 0);
    T_CHECK(rep.orders >= 600 && rep.events > rep.orders);

    damage(w);
    int broken = differing(w, INT_MIN, INT_MAX);
    T_CHECK(broken > 100);
    /* a dry run says what differs and writes nothing */
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(rep.cells_differing, broken);
    T_EQ_INT(seen.cells, broken);
    T_CHECK(seen.contact_due_gained > 0);
    T_CHECK(rep.counters[WG_SC_CONTACTED_ON_TIME] > 0 && rep.counters[WG_SC_RECEIVED] > 0);
    T_EQ_INT(rep.cells_written, 0);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), broken);

    /* the recount, in small transactions */
    o.dry_run = 0;
    o.batch = 37;
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(rep.cells_written, broken);
    T_CHECK(rep.transactions >= broken / 37);
    T_CHECK(rep.rolls_differing > 0);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), 0);
    T_EQ_INT(rolls_differing(w), 0);

    /* a second run changes nothing */
    seen.cells = 0;
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(rep.cells_differing, 0);
    T_EQ_INT(rep.rolls_differing, 0);
    T_EQ_INT(seen.cells, 0);
}

/* A period recounts its own days only. */
static void test_recount_period(struct world *w)
{
    struct wg_recount_report rep;
    int to = wg_cst_day(1790000000) - 10, from = to - 30; /* within the first history */
    struct wg_recount_opts o = {from, to, 0, 0, NULL, NULL, NULL};
    damage(w);
    int before = differing(w, from, to), all = differing(w, INT_MIN, INT_MAX);
    if (!(before > 10 && all > before))
        fprintf(stderr, "period %d..%d: %d of %d cells differ\n", from, to, before, all);
    T_CHECK(before > 10 && all > before);
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(rep.cells_differing, before);
    T_EQ_INT(differing(w, from, to), 0);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), all - before);
    /* the rest, for what follows */
    o.from = INT_MIN;
    o.to = INT_MAX;
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), 0);
}

/* A change counted between the read and the first write: nothing is written. */
static void count_one_more(void *ctx)
{
    struct world *w = ctx;
    struct wg_err err = {0};
    struct wg_actor a;
    struct wg_order_input in;
    long long id = 0;
    t_actor(&a, "agent1", "agent", "region", "");
    t_order_input(&in, "路灯不亮", "小区门口路灯坏了");
    T_EQ_INT(wg_order_create(w->db, &w->ord.env, NULL, &a, &in, w->now, &id, &err), WG_OK);
}

static void test_recount_refuses_a_moving_store(struct world *w)
{
    struct wg_recount_report rep;
    struct wg_err err = {0};
    struct wg_recount_opts o = {INT_MIN, INT_MAX, 0, 0, NULL, count_one_more, w};
    sql(w->dir, "UPDATE stat_cell SET contact_due = 0, contacted_on_time = 0");
    int broken = differing(w, INT_MIN, INT_MAX);
    T_CHECK(broken > 10);
    T_EQ_INT(wg_stats_recount(w->db, &w->ord.env, &o, &rep, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "stop the servers") != NULL);
    T_EQ_INT(rep.cells_written, 0);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), broken);
    /* with the store still, it goes through */
    o.read = NULL;
    T_EQ_INT(run(w, &o, &rep), WG_OK);
    T_EQ_INT(differing(w, INT_MIN, INT_MAX), 0);
}

static void test_recount_refuses_bad_periods(struct world *w)
{
    struct wg_recount_report rep;
    struct wg_err err = {0};
    struct wg_recount_opts o = {100, 99, 0, 0, NULL, NULL, NULL};
    T_EQ_INT(wg_stats_recount(w->db, &w->ord.env, &o, &rep, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "after") != NULL);
}

int main(void)
{
    struct world w;
    world_open(&w);
    test_recount_mends(&w);
    test_recount_period(&w);
    test_recount_refuses_a_moving_store(&w);
    test_recount_refuses_bad_periods(&w);
    world_close(&w);
    return T_DONE("stats_recount");
}
