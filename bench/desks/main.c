/* The desks at a province's scale: a SQLite store of N orders (10,000,000 by default, a
 * province's year; --orders N) made through the write path — wg_order_prepare and
 * wg_order_insert for every order, wg_order_act_in for its dispatch, signature, reply,
 * answer, callback or supervision, as a bulk load (wg_db_set_durable: commits do not wait for
 * the disk) in transactions of 20,000 orders (--batch N) — then each desk's list
 * (wg_order_desk, as GET /api/v1/orders answers it) timed for its first page and for a later
 * page through the cursor, against the plain SQLite query of the same filter over the table
 * without index help (NOT INDEXED: a full scan, its later page by OFFSET). Ratio: the desk's
 * time ÷ the plain query's (below 1: the desk is faster), both as the CPU time of the thread.
 * Orders carry one of 400 grid codes (the locator is left out: no point). Options: --orders N,
 * --batch N, --keep (the data directory), --store DIR (time a store kept before instead of
 * building). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "domain/catalog/unit.h"
#include "domain/orders/order.h"
#include "store/store.h"
#include "../../tests/unit/t_order.h"

static long long batch = 20000; /* orders a transaction (--batch N) */
#define UNITS 40
#define DAYS  365

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const struct wg_err *err)
{
    fprintf(stderr, "desks: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* CPU time of this thread: on a machine shared with other work (the development machine runs
 * at a load of 20 on 2 cores), wall time is mostly waiting for a core; the figures below are
 * the work each call does, and the first page's wall time is printed beside it. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void act(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *a,
                long long id, int *version, const char *name, const char *body, long long at)
{
    struct wg_err err = {0};
    enum wg_order_action action;
    json_t *b = json_loads(body, 0, NULL);
    if (wg_fsm_action_parse(name, &action, &err) ||
        wg_order_act_in(db, env, a, id, action, b, *version, at, &err))
        die(name, &err);
    (*version)++;
    json_decref(b);
}

/* One order's life up to where a province's year leaves it: most closed, a few at each desk. */
static void life(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor as[3],
                 long long id, long long t, long long now)
{
    int v = 1, r = (int)rnd(1000);
    char unit[64];
    snprintf(unit, sizeof unit, "{\"unit\":\"u%02u\"}", rnd(UNITS));
    if (r < 20) /* received: the dispatch desk */
        return;
    if (r < 700) { /* answered on the call, called back: closed */
        act(db, env, &as[0], id, &v, "answer", "{\"answer\":\"已答复\"}", t + 600);
        if (r < 690)
            act(db, env, &as[0], id, &v, "callback",
                "{\"reached\":true,\"satisfaction\":\"satisfied\",\"resolved\":true}", t + 3600);
        return;
    }
    if (r < 740) /* voided */
        return act(db, env, &as[0], id, &v, "invalidate", "{\"reason\":\"重复\"}", t + 600);
    /* dispatched to a unit, the later ones still open there */
    long long d = t > now - 12 * 86400 ? t : t + 600;
    act(db, env, &as[0], id, &v, "dispatch", unit, d);
    if (r < 760)
        return;
    act(db, env, &as[1], id, &v, "sign", "{}", d + 1800);
    if (r < 790) {
        struct wg_err err = {0};
        if (r < 770) { /* supervised as the sweep does it: the action and the mark */
            act(db, env, &as[2], id, &v, "supervise", "{\"note\":\"督办\"}", d + 3600);
            if (wg_store_order_mark_supervised(db, id, &err))
                die("mark supervised", &err);
        }
        return;
    }
    act(db, env, &as[1], id, &v, "reply", "{\"result\":\"已处理\"}", d + 86400);
    if (r < 800) /* the callback desk */
        return;
    act(db, env, &as[0], id, &v, "verify", "{\"passed\":true}", d + 90000);
    if (r < 810)
        return;
    act(db, env, &as[0], id, &v, "callback",
        "{\"reached\":true,\"satisfaction\":\"satisfied\",\"resolved\":true}", d + 100000);
}

static const char *const titles[] = {"噪声扰民",       "路灯不亮",   "占道经营",
                                     "垃圾清运不及时", "小区停车难", "供暖不热"};

static void build(struct wg_db *db, const struct t_order *to, long long n, long long now)
{
    struct wg_actor as[3], agent;
    struct wg_err err = {0};
    double t0 = now_s();
    t_actor(&agent, "agent", "agent", "region", "371302");
    as[0] = agent;
    t_actor(&as[1], "handler", "handler", "region", "371302");
    t_actor(&as[2], "supervisor", "supervisor", "region", "371302");
    for (int u = 0; u < UNITS; u++) {
        char id[16], name[32];
        json_t *regions = json_array();
        snprintf(id, sizeof id, "u%02d", u);
        snprintf(name, sizeof name, "单位%02d", u);
        if (wg_unit_create(db, id, name, "department", regions, &err))
            die("unit", &err);
        json_decref(regions);
    }
    /* a bulk load (store.h): commits do not wait for the disk; the last one, below, does */
    if (wg_db_set_durable(db, 0, &err) || wg_db_begin(db, &err))
        die("begin", &err);
    for (long long i = 0; i < n; i++) {
        struct wg_order_input in;
        struct wg_order_draft d;
        long long t = now - DAYS * 86400LL + (DAYS * 86400LL) * i / n;
        unsigned u = rnd(100);
        t_order_input(&in, titles[i % 6], "居民反映的具体情况，请核实处理。");
        in.urgency = u < 1 ? "critical" : u < 5 ? "urgent" : "normal";
        if (wg_order_prepare(&to->env, NULL, &agent, &in, t, &d, &err))
            die("prepare", &err);
        snprintf(d.row.grid, sizeof d.row.grid, "371302%03u%03u%03u", 1 + rnd(4), 1 + rnd(10),
                 1 + rnd(10));
        d.row.grid_version = 1;
        if (wg_order_insert(db, &d, &err))
            die("insert", &err);
        life(db, &to->env, as, d.row.id, t, now);
        wg_order_draft_release(&d);
        if ((i + 1) % batch == 0 || i + 1 == n) {
            if (wg_db_commit(db, &err) || (i + 1 < n && wg_db_begin(db, &err)))
                die("commit", &err);
            if ((i + 1) % 100000 == 0)
                fprintf(stderr, "desks: %lld orders (%.0f s)\n", i + 1, now_s() - t0);
        }
    }
    if (wg_db_set_durable(db, 1, &err))
        die("durable", &err);
    fprintf(stderr, "desks: built %lld orders in %.0f s\n", n, now_s() - t0);
}

struct desk_case {
    const char *name, *state, *light, *unit, *grid, *supervised, *sort;
    const char *plain; /* the same filter in SQL, over the table without index help */
    const char *plain_order;
};

static const struct desk_case cases[] = {
    {"dispatch desk", "received,returning", NULL, NULL, NULL, NULL, NULL,
     "state IN ('received', 'returning')", "due_at, created_at, id"},
    {"unit inbox", "dispatched,signed,returning,suspended", NULL, "u07", NULL, NULL, NULL,
     "unit = 'u07' AND state IN ('dispatched', 'signed', 'returning', 'suspended')",
     "due_at, created_at, id"},
    {"callback desk", "replied,verified,merged", NULL, NULL, NULL, NULL, NULL,
     "state IN ('replied', 'verified', 'merged')", "due_at, created_at, id"},
    {"supervised", "dispatched,signed,returning", NULL, NULL, NULL, "1", NULL,
     "id IN (SELECT order_id FROM order_supervision) AND state IN ('dispatched', 'signed', "
     "'returning')",
     "due_at, created_at, id"},
    {"red", NULL, "red", NULL, NULL, NULL, NULL,
     "state IN ('dispatched', 'signed', 'returning') AND due_at < strftime('%s','now')",
     "due_at, created_at, id"},
    {"by grid", NULL, NULL, NULL, "371302002005007", NULL, NULL, "grid = '371302002005007'",
     "created_at DESC, id DESC"},
    {"by state (none match)", "suspended", NULL, NULL, NULL, NULL, NULL, "state = 'suspended'",
     "due_at, created_at, id"},
    {"by state, newest", "closed", NULL, NULL, NULL, NULL, "newest", "state = 'closed'",
     "created_at DESC, id DESC"},
    {"by unit and state", "signed", NULL, "u03", NULL, NULL, "urgency",
     "unit = 'u03' AND "
     "state = 'signed'",
     "CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, "
     "due_at, created_at, id"},
    {"all, newest", NULL, NULL, NULL, NULL, NULL, NULL, "1", "created_at DESC, id DESC"},
};

/* The median of `reps` calls of the desk, for its first page and for the page after `deep`
 * pages (through the cursor). */
static void time_desk(struct wg_db *db, const struct t_order *to, const struct desk_case *c,
                      double *first, double *later, double *wall, long long *total, int *exact)
{
    struct wg_actor a;
    struct wg_err err = {0};
    char cursor[256] = "";
    double best1 = 1e9, best2 = 1e9, bestw = 1e9;
    t_actor(&a, "agent", "agent", "region", "371302");
    for (int rep = 0; rep < 15; rep++) {
        struct wg_order_query q = {.state = c->state,
                                   .light = c->light,
                                   .unit = c->unit,
                                   .grid = c->grid,
                                   .supervised = c->supervised,
                                   .sort = c->sort,
                                   .limit = "50"};
        json_t *out = NULL;
        double w = now_s(), t = cpu_s();
        if (wg_order_desk(db, &to->env, &a, &q, &out, &err))
            die(c->name, &err);
        t = cpu_s() - t;
        w = now_s() - w;
        best1 = t < best1 ? t : best1;
        bestw = w < bestw ? w : bestw;
        *total = json_integer_value(json_object_get(out, "total"));
        *exact = json_is_true(json_object_get(out, "total_exact"));
        /* ten pages on, through the cursor */
        for (int page = 0; page < 10 && json_is_string(json_object_get(out, "next_cursor"));
             page++) {
            snprintf(cursor, sizeof cursor, "%s",
                     json_string_value(json_object_get(out, "next_cursor")));
            json_decref(out);
            q.cursor = cursor;
            t = cpu_s();
            if (wg_order_desk(db, &to->env, &a, &q, &out, &err))
                die(c->name, &err);
            t = cpu_s() - t;
        }
        if (cursor[0])
            best2 = t < best2 ? t : best2;
        json_decref(out);
    }
    *first = best1;
    *wall = bestw;
    *later = cursor[0] ? best2 : 0;
}

static double time_plain(sqlite3 *s, const struct desk_case *c, int offset)
{
    char sql[1024];
    double best = 1e9;
    snprintf(sql, sizeof sql,
             "SELECT id, number, title, state, urgency, created_at, due_at FROM work_order "
             "NOT INDEXED WHERE %s ORDER BY %s LIMIT 50 OFFSET %d",
             c->plain, c->plain_order, offset);
    for (int rep = 0; rep < 3; rep++) {
        sqlite3_stmt *st;
        double t = cpu_s();
        if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "desks: %s: %s\n", sql, sqlite3_errmsg(s));
            exit(1);
        }
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_finalize(st);
        t = cpu_s() - t;
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    long long n = 10000000;
    int keep = 0;
    const char *reuse = NULL;
    char dir[] = "/tmp/wgdesks-XXXXXX", path[300];
    struct wg_store *st;
    struct wg_db *db;
    struct wg_err err = {0};
    struct t_order to;
    sqlite3 *s;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--orders") && i + 1 < argc)
            n = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
            batch = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else if (!strcmp(argv[i], "--store") && i + 1 < argc)
            reuse = argv[++i];
        else {
            fprintf(stderr, "usage: desks [--orders N] [--batch N] [--keep] [--store DIR]\n");
            return 2;
        }
    }
    if (n < 1000 || batch < 1 || (!reuse && !mkdtemp(dir)))
        die("options or temporary directory", NULL);
    const char *where = reuse ? reuse : dir;
    t_order_open(&to, where, 1);
    if (wg_store_open(where, 1, &st, &err) || wg_store_get(st, &db, &err))
        die("store", &err);
    if (!reuse)
        build(db, &to, n, (long long)time(NULL));
    snprintf(path, sizeof path, "%s/wangge.db", where);
    if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("open the store for the plain queries", NULL);
    if (reuse) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s, "SELECT COUNT(*) FROM work_order", -1, &q, NULL) != SQLITE_OK ||
            sqlite3_step(q) != SQLITE_ROW)
            die("count the orders", NULL);
        n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    printf("desks: %lld orders, SQLite; CPU ms, best of 15 (desk) and of 3 (plain); later: the "
           "11th page; wall: the first page's wall time\n",
           n);
    printf("%-24s %9s %9s %9s %9s %8s %8s %8s %s\n", "desk", "first", "plain", "later", "plain+500",
           "ratio1", "ratio2", "wall", "total");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double first, later, wall, p1, p2;
        long long total;
        int exact;
        time_desk(db, &to, &cases[i], &first, &later, &wall, &total, &exact);
        p1 = time_plain(s, &cases[i], 0);
        p2 = time_plain(s, &cases[i], 500);
        printf("%-24s %9.2f %9.1f %9.2f %9.1f %8.4f %8.4f %8.2f %lld%s\n", cases[i].name,
               first * 1e3, p1 * 1e3, later * 1e3, p2 * 1e3, first / p1, later / p2, wall * 1e3,
               total, exact ? "" : "+ (at least)");
        fflush(stdout);
    }
    sqlite3_close(s);
    wg_store_put(db);
    wg_store_close(st);
    t_order_close(&to);
    if (!keep && !reuse) {
        char cmd[96];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd))
            fprintf(stderr, "desks: could not remove %s\n", dir);
    } else if (!reuse)
        fprintf(stderr, "desks: kept %s\n", dir);
    return 0;
}
