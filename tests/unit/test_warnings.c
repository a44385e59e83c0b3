/* Early warning (domain/alerts/): the Poisson tail against direct sums, the rules merged and
 * refused field by field, each detector on a generated district history — background noise
 * with planted clusters, recurrences, surges, repeat callers and keywords — with its
 * precision and recall printed and held to a floor, and the follower, the loop and two
 * followers on one store (every backend): each warning made once. */
#include "t.h"
#include "store/alerts/warning_q.h"

#include <math.h>

#include "domain/accounts/pii.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/alerts/warn_detect.h"
#include "domain/alerts/warn_feed.h"
#include "domain/alerts/warning.h"
#include "t_order.h"
#include "t_store.h"

/* ---- the tail ---- */

static double direct_tail(int n, double l)
{
    double cdf = 0, term = exp(-l);
    for (int i = 0; i < n; i++) {
        cdf += term;
        term *= l / (i + 1);
    }
    return 1 - cdf;
}

static void tail(void)
{
    T_NEAR(wg_warn_poisson_tail(5, 1.0), direct_tail(5, 1.0), 1e-12);
    T_NEAR(wg_warn_poisson_tail(3, 2.5), direct_tail(3, 2.5), 1e-12);
    T_NEAR(wg_warn_poisson_tail(1, 0.1), 1 - exp(-0.1), 1e-14);
    T_NEAR(wg_warn_poisson_tail(0, 3.0), 1.0, 0);
    /* far in the tail 1 - CDF is lost to rounding; the sum keeps it: P(X >= 30 | 1) */
    double t = wg_warn_poisson_tail(30, 1.0);
    T_CHECK(t > 0 && fabs(t / (exp(-1.0) / tgamma(31.0) * 1.0326) - 1) < 0.01);
    T_CHECK(wg_warn_poisson_tail(8, 1.6) < 0.001 && wg_warn_poisson_tail(6, 1.6) > 0.001);
    T_NEAR(wg_warn_poisson_tail(40, 50.0), direct_tail(40, 50.0), 1e-10);
}

/* ---- rules ---- */

static void rules(void)
{
    struct wg_warn_rules r, d;
    struct wg_err err = {0};
    wg_warn_rules_defaults(&r);
    d = r;
    T_EQ_INT(r.cluster_min, 5);
    T_EQ_INT(r.cluster_radius_m, 300);
    T_EQ_INT(r.recur_hit, 3);
    T_NEAR(r.surge_p, 0.001, 0);
    json_t *b =
        json_loads("{\"cluster\":{\"radius_m\":500},\"keyword\":{\"words\":[\"讨薪\"]}}", 0, NULL);
    T_EQ_INT(wg_warn_rules_read(b, &r, &err), WG_OK);
    json_decref(b);
    T_EQ_INT(r.cluster_radius_m, 500);
    T_EQ_INT(r.cluster_min, 5);
    T_EQ_INT(r.nwords, 1);
    static const struct {
        const char *body, *names;
    } bad[] = {
        {"{\"cluster\":{\"radius_m\":5}}", "cluster.radius_m"},
        {"{\"cluster\":{\"radius_m\":\"300\"}}", "cluster.radius_m"},
        {"{\"cluster\":{\"size\":3}}", "cluster.size"},
        {"{\"surge\":{\"p\":0.5}}", "surge.p"},
        {"{\"surge\":{\"p\":0}}", "surge.p"},
        {"{\"recurrence\":{\"weeks\":3,\"weeks_hit\":4}}", "recurrence.weeks_hit"},
        {"{\"caller\":{\"enabled\":1}}", "caller.enabled"},
        {"{\"keyword\":{\"words\":[\"a\\\"b\"]}}", "keyword.words[0]"},
        {"{\"keyword\":{\"words\":[\"讨薪\",\"讨薪\"]}}", "keyword.words[1]"},
        {"{\"keyword\":{\"words\":[\"\"]}}", "keyword.words[0]"},
        {"{\"weather\":{}}", "weather"},
        {"{\"caller\":[]}", "caller"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_warn_rules before = d;
        json_t *j = json_loads(bad[i].body, 0, NULL);
        T_CHECK(j != NULL);
        T_EQ_INT(wg_warn_rules_read(j, &before, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].names) != NULL);
        T_CHECK(!memcmp(&before, &d, sizeof d)); /* nothing changed */
        json_decref(j);
    }
    json_t *j = wg_warn_rules_json(&d);
    struct wg_warn_rules back;
    wg_warn_rules_defaults(&back);
    back.cluster_min = 9;
    T_EQ_INT(wg_warn_rules_read(j, &back, &err), WG_OK);
    T_EQ_INT(back.cluster_min, 5);
    json_decref(j);
}

/* ---- a generated district: 5 towns of 80 grids (500 m squares), 100 items ---- */

#define TOWNS  5
#define GRIDS  80 /* a town's */
#define ITEMS  100
#define DAYS   70
#define WARM   35 /* days fed before hits count: the windows fill */
#define PLANTS 12
#define T0     1790000000LL /* 2026-09-21, a Monday in China */
#define MAXORD 200000

struct gen {
    struct wg_warn_order o;
    char item[8], grid[16], county[8], phone[20];
    const char *text;
    int plant_kind, plant; /* -1: noise */
};

static struct gen *orders;
static int norders;
static unsigned long long rng = 88172645463325252ULL;

static double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static const char *const noise_text[] = {"小区路灯不亮",   "楼上噪音扰民", "道路坑洼积水",
                                         "垃圾清运不及时", "物业服务差",   "供暖不热"};

/* Grid g of town t: its point's square, 500 m, towns side by side. */
static void place(int t, int g, double fx, double fy, struct gen *o)
{
    double lon0 = 117.0 + t * 0.06, lat0 = 35.0;
    o->o.lon = lon0 + ((g % 10) + fx) * 0.0055;
    o->o.lat = lat0 + ((g / 10) + fy) * 0.0045;
    o->o.has_point = 1;
    snprintf(o->grid, sizeof o->grid, "371302%03d%03d%03d", t + 1, g / 10 + 1, g % 10 + 1);
}

static struct gen *add(long long at, int item, int kind, int plant)
{
    struct gen *o = &orders[norders++];
    memset(o, 0, sizeof *o);
    o->o.at = at;
    snprintf(o->item, sizeof o->item, "%05d", item + 1);
    snprintf(o->county, sizeof o->county, "371302");
    snprintf(o->phone, sizeof o->phone, "p%llu", (unsigned long long)(unif() * 1e9));
    o->text = noise_text[(int)(unif() * 6)];
    o->plant_kind = kind;
    o->plant = plant;
    return o;
}

static int by_time(const void *a, const void *b)
{
    const struct gen *x = a, *y = b;
    return x->o.at < y->o.at ? -1 : x->o.at > y->o.at;
}

static void generate(void)
{
    orders = calloc(MAXORD, sizeof *orders);
    /* noise: 800 orders a day over the district */
    for (int d = 0; d < DAYS; d++)
        for (int i = 0; i < 800; i++) {
            struct gen *o =
                add(T0 + d * 86400LL + (long long)(unif() * 86400), (int)(unif() * ITEMS), -1, -1);
            place((int)(unif() * TOWNS), (int)(unif() * GRIDS), unif(), unif(), o);
        }
    for (int p = 0; p < PLANTS; p++) {
        long long day = T0 + (WARM + 2 + (long long)(unif() * (DAYS - WARM - 4))) * 86400;
        int t = (int)(unif() * TOWNS), g = (int)(unif() * GRIDS), item = (int)(unif() * ITEMS);
        /* 群发: 6 orders within 150 m in 6 hours */
        double cx = unif() * 0.5 + 0.25, cy = unif() * 0.5 + 0.25;
        for (int i = 0; i < 6; i++) {
            struct gen *o = add(day + 36000 + i * 3600, item, WG_WARN_CLUSTER, p);
            double a = unif() * 6.283, r = unif() * 0.2; /* of a grid: 110 m at most */
            place(t, g, cx + r * cos(a), cy + r * sin(a), o);
        }
        /* 多发: 2 or 3 orders a week in one grid for the 4 weeks before */
        item = (int)(unif() * ITEMS), g = (int)(unif() * GRIDS);
        for (int w = 0; w < 4; w++)
            for (int i = 0; i < 2 + (w % 2); i++) {
                struct gen *o =
                    add(day - (3 - w) * 7 * 86400LL + i * 86400 * 2 + 3600, item, WG_WARN_RECUR, p);
                place(t, g, unif(), unif(), o);
            }
        /* 突发: 20 orders of an item across a town in one day */
        item = (int)(unif() * ITEMS);
        for (int i = 0; i < 20; i++) {
            struct gen *o = add(day + 28800 + i * 1500, item, WG_WARN_SURGE, p);
            place(t, (int)(unif() * GRIDS), unif(), unif(), o);
        }
        /* repeat caller: 4 orders from one phone in 20 days */
        for (int i = 0; i < 4; i++) {
            struct gen *o =
                add(day - i * 5 * 86400LL + 7200, (int)(unif() * ITEMS), WG_WARN_CALLER, p);
            snprintf(o->phone, sizeof o->phone, "caller%d", p);
            place((int)(unif() * TOWNS), (int)(unif() * GRIDS), unif(), unif(), o);
        }
        /* a stability keyword */
        struct gen *o = add(day + 50000, (int)(unif() * ITEMS), WG_WARN_WORDS, p);
        o->text = "工地拖欠农民工工资，二十多人准备集体讨薪";
        place(t, (int)(unif() * GRIDS), unif(), unif(), o);
    }
    qsort(orders, (size_t)norders, sizeof *orders, by_time);
    for (int i = 0; i < norders; i++) {
        struct gen *o = &orders[i];
        o->o.id = i + 1;
        o->o.item = o->item;
        o->o.grid = o->grid;
        o->o.county = o->county;
        o->o.phone_blind = o->phone;
        o->o.title = o->text;
        o->o.content = "";
    }
}

static void detectors(void)
{
    struct wg_warn_rules r;
    wg_warn_rules_defaults(&r);
    struct wg_warn_engine *e = wg_warn_engine_new(&r);
    long long tp[WG_WARN_KINDS] = {0}, hits[WG_WARN_KINDS] = {0};
    int found[WG_WARN_KINDS][PLANTS] = {{0}};
    long long warm = T0 + WARM * 86400LL;
    for (int i = 0; i < norders; i++) {
        const struct wg_warn_hit *h;
        int n = wg_warn_engine_feed(e, &orders[i].o, &h);
        if (orders[i].o.at < warm)
            continue;
        for (int k = 0; k < n; k++) {
            hits[h[k].kind]++;
            int has = 0; /* the orders behind it hold the one that showed it */
            for (int m = 0; m < h[k].nids; m++)
                has |= h[k].ids[m] == orders[i].o.id;
            T_CHECK(has && h[k].trigger == orders[i].o.id);
            if (orders[i].plant_kind == (int)h[k].kind) {
                tp[h[k].kind]++;
                found[h[k].kind][orders[i].plant] = 1;
            }
        }
    }
    size_t entries = 0, bytes = 0;
    wg_warn_engine_size(e, &entries, &bytes);
    printf("generated history: %d orders over %d days (%d towns, %d grids, %d items), %d plants "
           "of each kind; state %zu entries, %.1f MB\n",
           norders, DAYS, TOWNS, TOWNS * GRIDS, ITEMS, PLANTS, entries, bytes / 1e6);
    for (int k = 0; k < WG_WARN_KINDS; k++) {
        int rec = 0;
        for (int p = 0; p < PLANTS; p++)
            rec += found[k][p];
        double precision = hits[k] ? (double)tp[k] / (double)hits[k] : 0;
        double recall = (double)rec / PLANTS;
        printf("  %-10s precision %.3f (%lld of %lld warning orders planted), recall %.3f (%d of "
               "%d)\n",
               wg_warn_kind_name((enum wg_warn_kind)k), precision, tp[k], hits[k], recall, rec,
               PLANTS);
        T_CHECK(recall >= 0.9);
        T_CHECK(precision >= 0.8);
    }
    wg_warn_engine_free(e);
}

/* ---- the follower and the loop on a store ---- */

static int count_warnings(struct wg_db *db, const char *state)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    struct wg_warn_query q = {NULL, NULL, state, NULL, NULL, "200", NULL};
    T_EQ_INT(wg_warning_list(db, NULL, &q, &out, &err), WG_OK);
    int n = out ? (int)json_array_size(json_object_get(out, "warnings")) : -1;
    json_decref(out);
    return n;
}

static json_t *first_of(struct wg_db *db, const char *kind)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    struct wg_warn_query q = {kind, NULL, NULL, NULL, NULL, NULL, NULL};
    T_EQ_INT(wg_warning_list(db, NULL, &q, &out, &err), WG_OK);
    json_t *w = json_array_get(json_object_get(out, "warnings"), 0);
    json_incref(w);
    json_decref(out);
    return w;
}

static enum wg_rc act(struct wg_db *db, struct t_order *to, long long id, const char *body,
                      struct wg_err *err)
{
    struct wg_warning_act by = {id, T0, "agent1", NULL, to->keys};
    const char *action;
    json_t *j = json_loads(body, 0, NULL);
    enum wg_rc rc = wg_warning_act(db, &by, j, &action, err);
    json_decref(j);
    return rc;
}

/* The loop on the caller's warning (id) and the keyword's (kid), with its refusals; scope. */
static void steps(struct wg_db *db, struct t_order *to, long long id, long long kid)
{
    struct wg_err err = {0};
    json_t *v = NULL, *out = NULL;
    long long version = 0;
    /* the loop, with its refusals */
    T_EQ_INT(act(db, to, id, "{\"action\":\"close\",\"version\":1}", &err), WG_ECONFLICT);
    T_EQ_INT(act(db, to, id, "{\"action\":\"judge\",\"version\":1,\"note\":\"x\"}", &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "owner") != NULL);
    T_EQ_INT(act(db, to, id,
                 "{\"action\":\"judge\",\"version\":1,\"owner\":\"nobody\",\"note\":\"x\"}", &err),
             WG_EINVAL);
    T_EQ_INT(act(db, to, id, "{\"action\":\"fly\",\"version\":1}", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "action") != NULL);
    T_EQ_INT(act(db, to, id, "{\"action\":\"false_alarm\",\"version\":2,\"note\":\"same caller\"}",
                 &err),
             WG_ECONFLICT); /* a version not read */
    T_EQ_INT(act(db, to, id,
                 "{\"action\":\"false_alarm\",\"version\":1,\"note\":\"同一人反映路灯\"}", &err),
             WG_OK);
    T_EQ_INT(act(db, to, id, "{\"action\":\"false_alarm\",\"version\":2,\"note\":\"again\"}", &err),
             WG_ECONFLICT);
    T_EQ_INT(wg_warning_view(db, to->keys, NULL, id, &v, &version, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(v, "state")), "false_alarm");
    T_EQ_STR(json_string_value(json_object_get(v, "note")), "同一人反映路灯");
    T_EQ_INT(json_array_size(json_object_get(v, "timeline")), 2);
    json_decref(v);
    /* the keyword's warning handled by a task (the tasks' call), then closed */
    T_EQ_INT(wg_warning_handled_by(db, NULL, kid, "task", 7, "agent1", &err), WG_OK);
    T_EQ_INT(wg_warning_handled_by(db, NULL, kid, "task", 7, "agent1", &err), WG_ECONFLICT);
    T_EQ_INT(wg_warning_handled_by(db, NULL, kid, "visit", 7, "agent1", &err), WG_EINVAL);
    T_EQ_INT(act(db, to, kid, "{\"action\":\"close\",\"version\":2}", &err), WG_OK);
    /* scope: a town elsewhere sees none of the county's */
    struct wg_scope far = {"region", "371302009"};
    struct wg_warn_query q = {0};
    T_EQ_INT(wg_warning_list(db, &far, &q, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "warnings")), 0);
    json_decref(out);
    T_EQ_INT(wg_warning_view(db, to->keys, &far, kid, &v, &version, &err), WG_ENOTFOUND);
    /* a unit's account sees none, and is not refused */
    struct wg_scope unit = {"unit", "cgzf"};
    T_EQ_INT(wg_warning_list(db, &unit, &q, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "warnings")), 0);
    json_decref(out);
    T_EQ_INT(wg_warning_view(db, to->keys, &unit, kid, &v, &version, &err), WG_ENOTFOUND);
    /* bad filters name themselves */
    struct wg_warn_query bad = {"fire", NULL, NULL, NULL, NULL, NULL, NULL};
    T_EQ_INT(wg_warning_list(db, NULL, &bad, &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "kind") != NULL);
    struct wg_warn_query bad2 = {NULL, NULL, NULL, NULL, "yesterday", NULL, NULL};
    T_EQ_INT(wg_warning_list(db, NULL, &bad2, &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "since") != NULL);
}

static void store_loop(struct wg_store *st)
{
    struct t_order to;
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_actor agent;
    t_order_open(&to, t_store_dir, 0);
    t_actor(&agent, "agent1", "agent", "region", "371302");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    struct wg_warn_follower *a = wg_warn_follower_new(st, NULL, to.keys);
    struct wg_warn_follower *b = wg_warn_follower_new(st, NULL, to.keys);
    long long now = (long long)time(NULL);
    T_EQ_INT(wg_warn_follower_drain(a, now, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_drain(b, now, &err), WG_OK);
    /* three appeals from one phone, one of them with a stability keyword */
    static const char *const titles[] = {"小区门口路灯坏了", "楼道灯也不亮", "拖欠工资要去讨薪"};
    long long ids[3];
    for (int i = 0; i < 3; i++) {
        struct wg_order_input in;
        t_order_input(&in, titles[i], "请尽快处理");
        in.item = "06028";
        in.reporter_phone = "13812345678";
        T_EQ_INT(
            wg_order_create(db, &to.env, NULL, &agent, &in, now - 3600 + i * 60, &ids[i], &err),
            WG_OK);
    }
    /* a leader of the county is told of the red one */
    int made = 0, n = 0;
    T_EQ_INT(wg_warn_follower_step(a, now, &n, &made, &err), WG_OK);
    T_EQ_INT(n, 3);
    T_EQ_INT(made, 2);
    T_EQ_INT(wg_warn_follower_step(b, now, &n, &made, &err), WG_OK);
    T_EQ_INT(n, 3);
    T_EQ_INT(made, 0); /* the other follower wrote them: each once */
    T_EQ_INT(count_warnings(db, "open"), 2);
    json_t *kw = first_of(db, "keyword"), *caller = first_of(db, "caller");
    T_CHECK(kw && caller);
    T_EQ_STR(json_string_value(json_object_get(kw, "level")), "red");
    T_EQ_STR(json_string_value(json_object_get(caller, "phone")), "138****5678");
    T_EQ_INT(json_integer_value(json_object_get(caller, "count")), 3);
    long long id = json_integer_value(json_object_get(caller, "id"));
    /* a fourth call grows the open warning, no other is made */
    struct wg_order_input in;
    t_order_input(&in, "路灯还是不亮", "第四次反映");
    in.item = "06028";
    in.reporter_phone = "138 1234 5678";
    long long id4;
    T_EQ_INT(wg_order_create(db, &to.env, NULL, &agent, &in, now - 60, &id4, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_step(b, now, &n, &made, &err), WG_OK);
    T_EQ_INT(made, 0);
    T_EQ_INT(wg_warn_follower_step(a, now, &n, &made, &err), WG_OK);
    json_t *v = NULL;
    long long version = 0;
    T_EQ_INT(wg_warning_view(db, to.keys, NULL, id, &v, &version, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(v, "count")), 4);
    T_EQ_INT(json_array_size(json_object_get(v, "orders")), 4);
    json_decref(v);
    long long kid = json_integer_value(json_object_get(kw, "id"));
    steps(db, &to, id, kid);
    json_t *out = NULL;
    /* rules stored: both followers rebuild for them */
    json_t *body = json_loads("{\"caller\":{\"min_orders\":2}}", 0, NULL);
    T_EQ_INT(wg_warn_rules_save(db, body, "admin", now, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "version")), 1);
    json_decref(out);
    json_decref(body);
    struct wg_warn_rules r;
    long long rv = 0;
    T_EQ_INT(wg_warn_rules_load(db, &r, &rv, &err), WG_OK);
    T_EQ_INT(r.caller_min, 2);
    T_EQ_INT(rv, 1);
    T_EQ_INT(wg_warn_follower_step(a, now, &n, &made, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_upto(a), id4);
    /* the notes, the warning's and each step's, re-sealed by key rotation */
    struct wg_pii_keys *rotated = NULL;
    size_t moved = 0;
    T_EQ_INT(wg_pii_keys_rotate(t_store_dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &rotated, &err), WG_OK);
    T_EQ_INT(wg_pii_rotate_stored(db, rotated, &moved, &err), WG_OK);
    T_CHECK(moved >= 2);
    T_EQ_INT(wg_warning_view(db, rotated, NULL, id, &v, &version, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(v, "note")), "同一人反映路灯");
    json_t *step = json_array_get(json_object_get(v, "timeline"), 1);
    T_EQ_STR(json_string_value(json_object_get(step, "note")), "同一人反映路灯");
    json_decref(v);
    wg_pii_keys_free(rotated);
    json_decref(kw);
    json_decref(caller);
    wg_warn_follower_free(a);
    wg_warn_follower_free(b);
    wg_store_put(db);
    t_order_close(&to);
}

/* Orders that show nothing store the follower's position at most once a minute (the store is
 * written for warnings); a restart feeds the orders after the stored position again and
 * finds nothing new. */
static void quiet_position(struct wg_store *st)
{
    struct t_order to;
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_actor agent;
    long long stored = -1, id = 0, now = (long long)time(NULL);
    int n = 0, made = 0;
    t_order_open(&to, t_store_dir, 0);
    t_actor(&agent, "agent1", "agent", "region", "371302");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    struct wg_warn_follower *f = wg_warn_follower_new(st, NULL, to.keys);
    T_EQ_INT(wg_warn_follower_drain(f, now, &err), WG_OK);
    T_EQ_INT(wg_store_warn_pos_get(db, &stored, &err), WG_OK);
    long long before = stored;
    struct wg_order_input in;
    t_order_input(&in, "求助", "请帮忙联系社区");
    T_EQ_INT(wg_order_create(db, &to.env, NULL, &agent, &in, now - 60, &id, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_step(f, now, &n, &made, &err), WG_OK);
    T_EQ_INT(n, 1);
    T_EQ_INT(made, 0);
    T_EQ_INT(wg_warn_follower_upto(f), id);
    T_EQ_INT(wg_store_warn_pos_get(db, &stored, &err), WG_OK);
    T_EQ_INT(stored, before); /* nothing shown: not stored yet */
    T_EQ_INT(wg_order_create(db, &to.env, NULL, &agent, &in, now - 30, &id, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_step(f, now + 61, &n, &made, &err), WG_OK);
    T_EQ_INT(wg_store_warn_pos_get(db, &stored, &err), WG_OK);
    T_EQ_INT(stored, id); /* a minute on: stored */
    long long warned = count_warnings(db, "open");
    struct wg_warn_follower *g = wg_warn_follower_new(st, NULL, to.keys);
    T_EQ_INT(wg_warn_follower_drain(g, now + 62, &err), WG_OK);
    T_EQ_INT(wg_warn_follower_upto(g), id);
    T_EQ_INT(count_warnings(db, "open"), warned);
    wg_warn_follower_free(f);
    wg_warn_follower_free(g);
    wg_store_put(db);
    t_order_close(&to);
}

int main(void)
{
    tail();
    rules();
    generate();
    detectors();
    free(orders);
    struct wg_store *st = t_store_open("warnings");
    store_loop(st);
    quiet_position(st);
    t_store_close(st);
    return T_DONE("warnings");
}
