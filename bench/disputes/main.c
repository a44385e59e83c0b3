/* The dispute figures at a city's scale: a year of generated cases (100,000 by default, a city
 * of ten districts; --cases N) over 10 counties × 20 towns × 20 villages × 4 grids, each
 * case's steps — registered, accepted, mediated, agreed and performed, or escalated up the
 * hourglass and agreed or referred there — counted through wg_case_count as the live steps
 * are, and the same steps written to a plain table of their own for the reference. Then the
 * figures' calls are timed through wg_case_figures, as GET /api/v1/stats/disputes answers
 * them — a county's year, a city's month by type, a town's year by village, a county's year
 * by body, a village's year by level — against the same figures by plain SQLite GROUP BY over
 * the steps' table (a SQLite file of its own beside the store) with a covering index, in the
 * same run; both must agree. Ratio: the
 * counters' time ÷ the plain query's, CPU time of the thread, best of 15. Also printed: what
 * counting adds to a step, in CPU time. Options: --cases N, --keep (the data directory). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/civil.h"
#include "domain/disputes/case_count.h"
#include "store/disputes/dispute_q.h"

static const char *const types[] = {"neighbours", "marriage_family", "property", "labour",
                                    "debt",       "house_land",      "damages",  "contract"};

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "disputes: %s: %s\n", what, msg ? msg : "");
    exit(1);
}

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static sqlite3_stmt *plain_insert;
static double count_cpu; /* CPU seconds spent counting */
static long steps;

/* One step counted as the live path counts it, and written to the plain table. */
static void step(struct wg_db *db, struct wg_dispute_row *r, const char *action, const char *level,
                 long long at)
{
    struct wg_err err = {0};
    char day[11];
    double t0 = cpu_s();
    if (wg_case_count(db, r, action, level, 1, at, &err))
        die("count", err.msg);
    count_cpu += cpu_s() - t0;
    steps++;
    wg_civil_format_date(wg_cst_day(at), day);
    sqlite3_bind_text(plain_insert, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(plain_insert, 2, r->grid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(plain_insert, 3, r->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(plain_insert, 4, level, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(plain_insert, 5, r->body);
    sqlite3_bind_text(plain_insert, 6, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(plain_insert, 7, r->amount_fen);
    if (sqlite3_step(plain_insert) != SQLITE_DONE)
        die("plain insert", NULL);
    sqlite3_reset(plain_insert);
}

/* A case's life: 80% agreed at the grid or the village, the rest escalated, agreed higher or
 * referred at the county; a step a working day or so after the one before. */
static void one_case(struct wg_db *db, long long start)
{
    static const char *const levels[] = {"grid", "village", "town", "county"};
    struct wg_dispute_row r;
    memset(&r, 0, sizeof r);
    unsigned c = rnd(10), t = rnd(20), v = rnd(20), g = rnd(4);
    snprintf(r.grid, sizeof r.grid, "3713%02u%03u%03u%03u", c + 1, t + 1, v + 1, g + 1);
    snprintf(r.type, sizeof r.type, "%s", types[rnd(8)]);
    r.amount_fen = (long long)rnd(50000) * 100;
    int top = rnd(100) < 80 ? (int)rnd(2) : 2 + (int)rnd(2);
    long long at = start;
    step(db, &r, "register", levels[0], at);
    for (int l = 0;; l++) {
        r.body = 1 + (long long)(c * 100 + (l >= 2 ? t : v) % 100);
        step(db, &r, "accept", levels[l], at += 3600);
        step(db, &r, "mediate", levels[l], at += 86400);
        if (l == top) {
            int refer = l == 3 && rnd(3) == 0;
            step(db, &r, refer ? "refer" : "agree", levels[l], at += 86400);
            if (!refer)
                step(db, &r, "perform", levels[l], at += 7 * 86400);
            return;
        }
        step(db, &r, "escalate", levels[l], at += 86400);
    }
}

struct call {
    const char *what, *region, *by, *from, *to, *plain;
};

struct got {
    long long found, successful;
};

static int on_total(void *ctx, json_t *out)
{
    struct got *g = ctx;
    json_t *t = json_object_get(out, "totals");
    g->found = json_integer_value(json_object_get(t, "found"));
    g->successful = json_integer_value(json_object_get(t, "successful"));
    return 0;
}

static double best_counters(struct wg_db *db, const struct call *c, struct got *g)
{
    struct wg_scope all;
    struct wg_err err = {0};
    double best = 1e9;
    wg_scope_parse("all", &all, &err);
    for (int i = 0; i < 15; i++) {
        json_t *out = NULL;
        struct wg_case_figures_query q = {c->region, c->from, c->to, c->by};
        double t0 = cpu_s();
        if (wg_case_figures(db, &all, &q, (long long)time(NULL), &out, &err))
            die("figures", err.msg);
        double t = cpu_s() - t0;
        best = t < best ? t : best;
        on_total(g, out);
        json_decref(out);
    }
    return best;
}

static double best_plain(sqlite3 *h, const struct call *c, struct got *g)
{
    double best = 1e9;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, c->plain, -1, &st, NULL) != SQLITE_OK)
        die("plain query", sqlite3_errmsg(h));
    for (int i = 0; i < 15; i++) {
        double t0 = cpu_s();
        long long found = 0, ok = 0;
        sqlite3_bind_text(st, 1, c->region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, c->to, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            found += sqlite3_column_int64(st, 1);
            ok += sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
        double t = cpu_s() - t0;
        best = t < best ? t : best;
        g->found = found, g->successful = ok;
    }
    sqlite3_finalize(st);
    return best;
}

#define PLAIN(group)                                                                               \
    "SELECT " group ", SUM(action = 'register'), SUM(action = 'agree') FROM step WHERE grid >= "   \
    "?1 AND grid < ?1 || '~' AND day >= ?2 AND day <= ?3 GROUP BY 1"

static void load(struct wg_db *db, sqlite3 *h, long cases, long long year0)
{
    struct wg_err err = {0};
    double t0 = now_s();
    if (sqlite3_exec(h,
                     "CREATE TABLE step (day TEXT, grid TEXT, type TEXT, level TEXT, body INTEGER,"
                     " action TEXT, amount INTEGER);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT INTO step VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &plain_insert,
                           NULL) != SQLITE_OK)
        die("plain table", sqlite3_errmsg(h));
    for (long i = 0; i < cases; i++) {
        if (i % 5000 == 0 &&
            (wg_db_begin(db, &err) || sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK))
            die("begin", err.msg);
        one_case(db, year0 + (long long)rnd(330) * 86400 + 9 * 3600);
        if ((i % 5000 == 4999 || i == cases - 1) &&
            (wg_db_commit(db, &err) || sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
            die("commit", err.msg);
    }
    sqlite3_finalize(plain_insert);
    if (sqlite3_exec(h, "CREATE INDEX step_cover ON step(grid, day, action, type, level, body);",
                     NULL, NULL, NULL) != SQLITE_OK)
        die("plain index", sqlite3_errmsg(h));
    printf("disputes: %ld cases' %ld steps counted and written in %.1f s; counting took %.0f us "
           "of CPU a step (its 32 counter rows)\n",
           cases, steps, now_s() - t0, count_cpu / (double)steps * 1e6);
}

int main(int argc, char **argv)
{
    long cases = 100000;
    int keep = 0;
    char dir[] = "/tmp/wangge-bench-disputes-XXXXXX";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cases") && i + 1 < argc)
            cases = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else
            die("usage", "bench/disputes [--cases N] [--keep]");
    }
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    if (cases < 100 || !mkdtemp(dir) || wg_store_open(dir, 1, &st, &err) ||
        wg_store_get(st, &db, &err))
        die("store", err.msg);
    char path[128];
    sqlite3 *h = NULL;
    snprintf(path, sizeof path, "%s/plain.db", dir);
    if (wg_db_set_durable(db, 0, &err) || sqlite3_open(path, &h) != SQLITE_OK ||
        sqlite3_exec(h, "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
        die("plain store", err.msg);
    long long year0 = wg_cst_midnight(wg_civil_days(2026, 1, 1));
    load(db, h, cases, year0);
    const struct call calls[] = {
        {"a county's year", "371301", "", "2026-01-01", "2026-12-31", PLAIN("''")},
        {"the city's month by type", "", "type", "2026-06-01", "2026-06-30", PLAIN("type")},
        {"a town's year by village", "371301001", "region", "2026-01-01", "2026-12-31",
         PLAIN("substr(grid, 1, 12)")},
        {"a county's year by body", "371301", "body", "2026-01-01", "2026-12-31", PLAIN("body")},
        {"a village's year by level", "371301001001", "level", "2026-01-01", "2026-12-31",
         PLAIN("level")},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        struct got a = {0}, b = {0};
        double tc = best_counters(db, &calls[i], &a), tp = best_plain(h, &calls[i], &b);
        if (a.found != b.found || a.successful != b.successful)
            die(calls[i].what, "the counters and the plain query disagree");
        printf("disputes: %-26s counters %7.3f ms, plain GROUP BY %8.3f ms, ratio %.4f "
               "(%lld found, %lld agreed)\n",
               calls[i].what, tc * 1e3, tp * 1e3, tc / tp, a.found, a.successful);
    }
    sqlite3_close(h);
    wg_store_put(db);
    wg_store_close(st);
    if (!keep) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            die("cleanup", dir);
    } else {
        printf("disputes: kept %s\n", dir);
    }
    return 0;
}
