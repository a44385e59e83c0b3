/* Every rate is a share of its own cohort: on generated histories (the demo generator and a
 * random walk over every action the state machine allows, through the real order loop, many
 * seeds), each counter cell holds no more of a numerator than of its denominator, and every
 * answer of the indicators — summaries, daily, weekly and monthly series, breakdowns and the
 * unit ranking, over days, weeks, months, quarters and years — gives each rate as
 * 0 <= numerator <= denominator and 0 <= value <= 1. The by-unit rows are named and count as
 * received what was dispatched to each unit. */
#include "t.h"
#include "core/civil.h"

#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/orders/history.h"
#include "domain/stats/stats_query.h"
#include "store/orders/orders_q.h"
#include "store/stats/stats_q.h"
#include "t_county.h"
#include "t_order.h"
#include "t_walk.h"
#include "t_store.h"

#define DAY   86400LL
#define SEEDS 6

/* The pairs each cell must keep: numerator <= denominator. */
static const struct {
    enum wg_stat_counter num, den;
} pairs[] = {
    {WG_SC_DIRECT, WG_SC_RECEIVED},
    {WG_SC_REPEAT, WG_SC_RECEIVED},
    {WG_SC_SIGNED_ON_TIME, WG_SC_DISPATCHED},
    {WG_SC_RETURNED, WG_SC_DISPATCHED},
    {WG_SC_FINISHED_ON_TIME, WG_SC_FINISHED},
    {WG_SC_CALLED_BACK, WG_SC_FINISHED},
    {WG_SC_REOPENED, WG_SC_FINISHED},
    {WG_SC_REWORK, WG_SC_FINISHED},
    {WG_SC_HANDLED, WG_SC_FINISHED},
    {WG_SC_SATISFIED, WG_SC_RATED},
    {WG_SC_RESOLVED, WG_SC_RATED},
};

struct cellpairs {
    int cells, bad;
};

static int check_pairs(const struct wg_stat_cell *c, void *ctx)
{
    struct cellpairs *k = ctx;
    k->cells++;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        long long n = c->c[pairs[i].num], d = c->c[pairs[i].den];
        if (n < 0 || n > d) {
            if (k->bad++ < 5)
                fprintf(stderr, "cell %d %s %s: %s %lld over %s %lld\n", c->day, c->leaf, c->unit,
                        wg_stat_counter_names[pairs[i].num], n, wg_stat_counter_names[pairs[i].den],
                        d);
        }
    }
    for (int i = 0; i < WG_SC_COUNT; i++)
        if (c->c[i] < 0 && k->bad++ < 5)
            fprintf(stderr, "cell %d %s %s: %s is %lld\n", c->day, c->leaf, c->unit,
                    wg_stat_counter_names[i], c->c[i]);
    return 0;
}

/* Every rate object ({value, numerator, denominator}) anywhere in an answer. */
static int rates_ok(json_t *j, const char *where, int *rates)
{
    int ok = 1;
    if (json_is_object(j)) {
        json_t *num = json_object_get(j, "numerator"), *den = json_object_get(j, "denominator");
        if (num && den) {
            json_t *v = json_object_get(j, "value");
            long long n = json_integer_value(num), d = json_integer_value(den);
            double x = json_is_null(v) ? 0 : json_number_value(v);
            ++*rates;
            if (n < 0 || n > d || x < 0 || x > 1 + 1e-12 || (json_is_null(v) != (d == 0))) {
                char *text = json_dumps(j, JSON_COMPACT);
                fprintf(stderr, "%s: rate %s\n", where, text);
                free(text);
                return 0;
            }
        }
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
        {
            ok &= rates_ok(v, where, rates);
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            ok &= rates_ok(v, where, rates);
        }
    }
    return ok;
}

/* The by-unit rows: each named, a unit's received what it was dispatched. */
static int unit_rows_ok(json_t *ans)
{
    json_t *rows = json_object_get(ans, "rows"), *r;
    size_t i;
    int ok = json_array_size(rows) > 1;
    json_array_foreach(rows, i, r)
    {
        const char *key = json_string_value(json_object_get(r, "key"));
        const char *name = json_string_value(json_object_get(r, "name"));
        json_t *ind = json_object_get(r, "indicators");
        long long rec =
            json_integer_value(json_object_get(json_object_get(ind, "received"), "value"));
        long long dis =
            json_integer_value(json_object_get(json_object_get(ind, "dispatched"), "value"));
        if (!name || !*name || (key && *key && (rec != dis || !strcmp(name, key)))) {
            fprintf(stderr, "by-unit row '%s' '%s': received %lld, dispatched %lld\n",
                    key ? key : "", name ? name : "", rec, dis);
            ok = 0;
        }
    }
    return ok;
}

struct world {
    char dir[32];
    struct wg_store *st;
    struct wg_db *db;
    struct t_order ord;
    struct wg_locator *loc;
    struct wg_stats_cube *cube;
    long long now;
};

static void world_open(struct world *w)
{
    memset(w, 0, sizeof *w);
    t_county_open(w->dir, sizeof w->dir, "/tmp/wangge-rates-XXXXXX", &w->st, &w->db, &w->ord,
                  &w->loc);
    w->cube = wg_stats_cube_new();
}

static void world_close(struct world *w)
{
    wg_stats_cube_free(w->cube);
    t_county_close(w->dir, w->st, w->db, &w->ord, w->loc);
}

/* One answer, checked; with_units: a by-unit breakdown, whose rows are checked too. */
static void check_answer(struct world *w, int cells_only, const char *what,
                         const struct wg_stats_query *q, int *rates)
{
    struct wg_actor a;
    struct wg_err err = {0};
    struct wg_stats_env env = {w->db, cells_only ? NULL : w->cube, &w->ord.cat, w->now};
    json_t *ans = NULL;
    enum wg_rc rc;
    char where[160];
    t_actor(&a, "leader", "leader", "region", "");
    if (!strcmp(what, "summary"))
        rc = wg_stats_summary(&env, &a, q, &ans, &err);
    else if (!strcmp(what, "series"))
        rc = wg_stats_series(&env, &a, q, &ans, &err);
    else if (!strcmp(what, "units"))
        rc = wg_stats_units(&env, &a, q, &ans, &err);
    else
        rc = wg_stats_breakdown(&env, &a, q, &ans, &err);
    snprintf(where, sizeof where, "%s by %s of %s, %s to %s", what, q->by ? q->by : "-",
             q->scope ? q->scope : "-", q->from, q->to);
    if (rc)
        fprintf(stderr, "%s: %s\n", where, err.msg);
    T_EQ_INT(rc, WG_OK);
    T_CHECK(rates_ok(ans, where, rates));
    if (!strcmp(what, "breakdown") && q->by && !strcmp(q->by, "unit"))
        T_CHECK(unit_rows_ok(ans));
    json_decref(ans);
}

/* Every answer over periods of every kind ending around today. */
static void check_answers(struct world *w, int *rates)
{
    static const char *const bys[] = {"unit", "item", "channel", "child"};
    int today = wg_cst_day(w->now), y, m, d;
    struct {
        int from, to;
    } periods[16];
    int np = 0;
    for (int k = 0; k < 4; k++) /* days */
        periods[np].from = periods[np].to = today - 3 * k, np++;
    for (int k = 0; k < 3; k++) { /* weeks, Monday to Sunday */
        int mon = today - (today + 3) % 7 - 7 * k;
        periods[np].from = mon, periods[np].to = mon + 6, np++;
    }
    wg_civil_date(today, &y, &m, &d);
    for (int k = 0; k < 4; k++) { /* months */
        int mm = m - k, yy = y;
        while (mm < 1)
            mm += 12, yy--;
        periods[np].from = wg_civil_days(yy, mm, 1);
        periods[np].to = wg_civil_month_end(periods[np].from), np++;
    }
    int q0 = wg_civil_days(y, (m - 1) / 3 * 3 + 1, 1); /* the quarter, the year, 30 days */
    periods[np].from = q0, periods[np].to = today, np++;
    periods[np].from = wg_civil_days(y, 1, 1), periods[np].to = wg_civil_days(y, 12, 31), np++;
    periods[np].from = today - 29, periods[np].to = today, np++;
    periods[np].from = today - 400, periods[np].to = today, np++;
    for (int i = 0; i < np; i++) {
        char from[11], to[11];
        wg_civil_format_date(periods[i].from, from);
        wg_civil_format_date(periods[i].to, to);
        struct wg_stats_query q = {NULL, from, to, NULL, NULL, NULL, NULL, NULL};
        for (int cells = 0; cells < 2; cells++)
            check_answer(w, cells, "summary", &q, rates);
        check_answer(w, 0, "units", &q, rates);
        for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
            q.by = bys[b];
            q.scope = !strcmp(bys[b], "child") ? "region:371302" : NULL;
            check_answer(w, 0, "breakdown", &q, rates);
        }
        q.scope = "unit:cgzf";
        q.by = NULL;
        check_answer(w, 0, "summary", &q, rates);
        q.scope = NULL;
        if (periods[i].to - periods[i].from >= 6) {
            q.by = periods[i].to - periods[i].from > 62 ? "month" : "week";
            check_answer(w, 0, "series", &q, rates);
            q.by = "day";
            check_answer(w, 0, "series", &q, rates);
        }
    }
}

static void test_rates_bounded(void)
{
    struct world w;
    struct wg_err err = {0};
    int taken = 0, rates = 0;
    world_open(&w);
    w.now = 1790000000; /* 2026-09-21 */
    for (int seed = 1; seed <= SEEDS; seed++) {
        struct wg_history_opts o = {"371302", 45, 150, 5000 + (uint64_t)seed, w.now};
        struct wg_history_report rep;
        T_EQ_INT(wg_history_generate(w.db, &w.ord.env, w.loc, &o, &rep, &err), WG_OK);
        walk(w.db, &w.ord.env, 300 + (uint64_t)seed, 500, &w.now, &taken);
        w.now += DAY;
        struct wg_stat_filter all = {"", -1000000, 1000000, "", "", ""};
        struct cellpairs k = {0, 0};
        T_EQ_INT(wg_store_stat_cells(w.db, &all, check_pairs, &k, &err), WG_OK);
        T_CHECK(k.cells > 100);
        T_EQ_INT(k.bad, 0);
        check_answers(&w, &rates);
    }
    T_CHECK(taken > 1000);
    T_CHECK(rates > 10000);
    world_close(&w);
}

int main(void)
{
    test_rates_bounded();
    return T_DONE("stats_rates");
}
