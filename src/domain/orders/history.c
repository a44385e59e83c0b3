/* Demo history: units, routing rules and months of orders moved through the loop. */
#include "domain/orders/history.h"
#include "core/assert.h"
#include "core/civil.h"
#include "core/rng.h"

#include <math.h>

#include "domain/alerts/sample_warnings.h"
#include "domain/catalog/unit.h"
#include "geo/shape.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"

const struct wg_demo_department wg_demo_departments[] = {
    {"zjj", "住房和城乡建设局", "21"},
    {"sthj", "生态环境分局", "22"},
    {"jtj", "交通运输局", "23"},
    {"jyj", "教育和体育局", "24"},
    {"rsj", "人力资源和社会保障局", "25"},
    {"swj", "商务和旅游局", "26"},
    {"wjj", "卫生健康局", "27"},
    {"zwb", "政务服务管理办公室", "28"},
    {"zrj", "自然资源局", "29"},
    {"jw", "纪委监委", "30"},
    {"fgj", "发展和改革局", "31"},
    {"gxj", "工业和信息化局", "32"},
    {"mzj", "民政局", "33"},
    {"nyj", "农业农村局", "34"},
    {"zfj", "政法委", "35"},
    {"cgzf", "综合行政执法局", "06"},
    {"cgzf", "综合行政执法局", "07"},
    {"cgzf", "综合行政执法局", "08"},
    {"cgzf", "综合行政执法局", "09"},
    {"cgzf", "综合行政执法局", "10"},
};
const size_t wg_demo_ndepartments = sizeof wg_demo_departments / sizeof wg_demo_departments[0];

static int pick(uint64_t *s, const int *weights, int n)
{
    int total = 0, r;
    for (int i = 0; i < n; i++)
        total += weights[i];
    r = (int)(wg_rng_uniform(s) * total);
    for (int i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}

static enum wg_rc make_units(struct wg_db *db, const struct wg_order_env *env, const char *county,
                             struct wg_err *err)
{
    json_t *regions = json_pack("[s]", county);
    enum wg_rc rc = WG_OK;
    long long id;
    for (size_t i = 0; i < wg_demo_ndepartments && !rc; i++) {
        struct wg_unit_row u;
        rc = wg_store_unit_get(db, wg_demo_departments[i].id, &u, err);
        if (rc == WG_ENOTFOUND) {
            wg_err_clear(err);
            rc = wg_unit_create(db, wg_demo_departments[i].id, wg_demo_departments[i].name,
                                "department", regions, err);
        }
        if (!rc)
            rc = wg_route_rule_create(db, env->catalog, wg_demo_departments[i].domain, county,
                                      wg_demo_departments[i].id, NULL, &id, err);
    }
    json_decref(regions);
    return rc;
}

struct leaves {
    const char *code[512];
    int n;
};

static void collect_leaves(const struct wg_catalog *cat, struct leaves *l)
{
    l->n = 0;
    for (size_t i = 0; i < cat->n && l->n < 512; i++)
        if (cat->items[i].parent[0] && !wg_catalog_children(cat, cat->items[i].code, NULL, 0))
            l->code[l->n++] = cat->items[i].code;
}

struct actor_set {
    struct wg_actor agent, gridworker, supervisor;
};

static void actor(struct wg_actor *a, const char *name, enum wg_role_id role)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    a->role = role;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
}

/* The reply deadline the last step's answer gave (0: none). */
static _Thread_local long long last_deadline;

/* One action at a simulated time; the order JSON's version is tracked across calls. */
static enum wg_rc step(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *a,
                       long long id, int *version, const char *name, json_t *body, long long at,
                       struct wg_history_report *rep, struct wg_err *err)
{
    json_t *out = NULL;
    enum wg_order_action action = WG_ACTION_COUNT;
    wg_fsm_action_parse(name, &action, NULL);
    WG_ASSERT(action != WG_ACTION_COUNT); /* the names are this file's own */
    enum wg_rc rc = wg_order_act(db, env, a, id, action, body, *version, at, &out, err);
    json_decref(body);
    if (!rc) {
        *version = (int)json_integer_value(json_object_get(out, "version"));
        const char *d =
            json_string_value(json_object_get(json_object_get(out, "deadlines"), "reply"));
        last_deadline = d ? wg_civil_time_of_iso(d) : 0;
        rep->actions++;
    }
    json_decref(out);
    return rc;
}

#define HOUR 3600LL
#define DAY  (24 * HOUR)

/* A generation under way: what every order of it needs. */
struct gen {
    struct wg_db *db;
    const struct wg_order_env *env;
    const struct wg_locator *loc;
    const struct wg_history_opts *o;
    struct wg_history_report *rep;
    struct actor_set as;
    struct leaves leaves;
    struct wg_shape county;
    uint64_t s;
    long long open_id; /* an order still with a unit, for repeats to merge into */
    int force; /* the appeal being taken in: 1 returned this morning, 2 suspended lately, 3 just
                  dispatched, 4 due soon */
    struct wg_history_words words; /* the appeal being taken in: its words and reporter */
    char name[32], phone[16];
};

/* The county's outline, to throw points into. */
static enum wg_rc load_county(struct gen *g, struct wg_err *err)
{
    char *boundary = NULL;
    enum wg_rc rc = wg_store_region_boundary(g->db, g->o->county, &boundary, err);
    if (rc)
        return rc;
    if (!boundary)
        return wg_err_set(err, WG_EINVAL, "county '%s' has no boundary; generate its grids first",
                          g->o->county);
    json_t *j = json_loads(boundary, 0, NULL);
    free(boundary);
    rc = j ? wg_shape_from_geojson(j, &g->county, err) : wg_err_set(err, WG_EDB, "bad boundary");
    json_decref(j);
    return rc;
}

/* When an appeal of item came in if its reply clock is to stand at nine tenths of its working
 * time now (a yellow light, whatever the hour and the weekday): dispatched 20 minutes after
 * it, with that much of the item's reply limit, in working minutes, between then and now. */
static long long due_soon(const struct gen *g, const char *item)
{
    const struct wg_calendar *cal = g->env->calendar;
    struct wg_catalog_limits lim;
    struct wg_err err = {0};
    long long now = g->o->now, lo = now - 60 * DAY, hi = now - HOUR;
    if (!cal || !g->env->catalog)
        return now - 5 * DAY;
    if (wg_catalog_limits(g->env->catalog, item, &lim, &err))
        lim = g->env->catalog->defaults;
    int64_t want = (int64_t)lim.reply * 9 / 10;
    while (hi - lo > 60) {
        long long mid = lo + (hi - lo) / 2;
        if (wg_calendar_working_minutes_between(cal, mid + 1200, now) > want)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* Appeal i: its channel, type, item and place, and the moment it arrived (*t). */
static void make_input(struct gen *g, int i, struct wg_order_input *in,
                       struct wg_locate_result *where, long long *t)
{
    static const char *const channels[] = {"hotline", "app",   "web",    "gridworker", "window",
                                           "mailbox", "video", "sensor", "open311",    "transfer"};
    static const int channel_w[] = {55, 15, 8, 10, 4, 2, 3, 1, 1, 1};
    static const char *const types[] = {"complaint",  "help",   "consult", "report",
                                        "suggestion", "praise", "wish"};
    static const int type_w[] = {40, 25, 20, 5, 5, 3, 2};
    const struct wg_history_opts *o = g->o;
    int tries = 0;
    memset(in, 0, sizeof *in);
    in->item = g->leaves.code[wg_rng_next(&g->s) % (uint64_t)g->leaves.n];
    in->channel = channels[pick(&g->s, channel_w, 10)];
    in->type = types[pick(&g->s, type_w, 7)];
    in->urgency = wg_rng_uniform(&g->s) < 0.03 ? "urgent" : "normal";
    in->has_point = 1;
    in->crs = WG_CRS_WGS84;
    do { /* a point inside a grid of the county */
        in->lon = g->county.minx + wg_rng_uniform(&g->s) * (g->county.maxx - g->county.minx);
        in->lat = g->county.miny + wg_rng_uniform(&g->s) * (g->county.maxy - g->county.miny);
    } while (wg_locator_locate(g->loc, in->lon, in->lat, WG_CRS_WGS84, where, NULL) != WG_OK &&
             ++tries < 1000);
    /* spread over the days, denser in the recent weeks (half uniform, half falling off with
     * age), weighted to working hours */
    double u = wg_rng_uniform(&g->s);
    double age = wg_rng_uniform(&g->s) < 0.5 ? u : 1 - sqrt(u);
    *t = o->now - (long long)(age * o->days) * DAY;
    *t =
        *t - *t % DAY + (long long)(0.5 + wg_rng_uniform(&g->s) * 9.5) * HOUR; /* 08:30-18:00 CST */
    if (*t > o->now)
        *t -= DAY;
    if (i >= o->orders - 15) /* the last few just arrived: at the dispatch desk */
        *t = o->now - (long long)(wg_rng_uniform(&g->s) * 50 * 60);
    /* and a few before them are where a working day leaves some: returns awaiting the
     * centre's review since this morning, suspensions of the last days */
    g->force = i >= o->orders - 18 && i < o->orders - 15   ? 1
               : i >= o->orders - 20 && i < o->orders - 18 ? 2
               : i >= o->orders - 23 && i < o->orders - 20 ? 3
               : i >= o->orders - 28 && i < o->orders - 23 ? 4
                                                           : 0;
    if (g->force == 3) /* dispatched this past hour, not yet signed by the unit */
        *t = o->now - HOUR - 60 - (long long)(wg_rng_uniform(&g->s) * 30 * 60);
    else if (g->force == 1)
        *t = o->now - 5 * HOUR - (long long)(wg_rng_uniform(&g->s) * 2 * HOUR);
    else if (g->force == 2)
        *t = o->now - (1 + (long long)(wg_rng_uniform(&g->s) * 5)) * DAY;
    else if (g->force == 4) { /* and a few whose unit has little time left */
        in->urgency = "normal";
        *t = due_soon(g, in->item);
    }
    /* the words: the real town and village the point fell in */
    const char *town = "", *village = "";
    for (size_t k = 0; k < where->nchain; k++) {
        if (!strcmp(where->chain[k]->level, "town"))
            town = where->chain[k]->name;
        else if (!strcmp(where->chain[k]->level, "village"))
            village = where->chain[k]->name;
    }
    wg_history_text(&g->s, wg_catalog_find(g->env->catalog, in->item), in->channel, in->type, town,
                    village, *t, &g->words);
    in->title = g->words.title;
    in->content = g->words.content;
    in->address = g->words.address;
    wg_history_reporter(&g->s, g->name, sizeof g->name, g->phone, sizeof g->phone);
    in->reporter_name = g->name;
    in->reporter_phone = g->phone;
}

/* The callback's body: reached with a satisfaction, or not for an anonymous appeal. */
static json_t *callback_body(const struct wg_order_input *in, const char *satisfaction)
{
    return in->anonymous ? json_pack("{s:b}", "reached", 0)
                         : json_pack("{s:b,s:s}", "reached", 1, "satisfaction", satisfaction);
}

/* The handler of a unit, as the demo's accounts name them. */
static void unit_handler(struct wg_actor *a, const char *unit)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s%s", WG_DEMO_HANDLER_PREFIX, unit);
    a->role = WG_ROLE_HANDLER;
    snprintf(a->scope.kind, sizeof a->scope.kind, "unit");
    snprintf(a->scope.code, sizeof a->scope.code, "%s", unit);
}

/* After the reply: verified half a day later and called back a day and a half after that;
 * a failed verification goes back to the unit, which signs again and replies within days, as
 * does an unsatisfied callback's reopening (once: again is 1 the second time round). */
static enum wg_rc after_reply(struct gen *g, const struct wg_order_input *in, long long id,
                              int *version, long long replied_at, const struct wg_actor *h,
                              int again, struct wg_err *err)
{
    struct actor_set *as = &g->as;
    long long now = g->o->now, at = replied_at + DAY / 2;
    enum wg_rc rc;
    if (at > now)
        return WG_OK;
    int passed = wg_rng_uniform(&g->s) < 0.96;
    if ((rc = step(g->db, g->env, &as->agent, id, version, "verify",
                   json_pack("{s:b}", "passed", passed), at, g->rep, err)))
        return rc;
    if (!passed) { /* reworked: signed again within hours, replied again within days */
        long long s2 = at + HOUR + (long long)(wg_rng_uniform(&g->s) * 4 * HOUR);
        long long r2 = s2 + (long long)((0.5 + wg_rng_uniform(&g->s) * 2.5) * DAY);
        if (s2 > now || (rc = step(g->db, g->env, h, id, version, "sign", NULL, s2, g->rep, err)) ||
            r2 > now ||
            (rc = step(g->db, g->env, h, id, version, "reply",
                       json_pack("{s:s}", "result", "已按要求整改到位"), r2, g->rep, err)))
            return rc;
        if ((at = r2 + DAY / 2) > now ||
            (rc = step(g->db, g->env, &as->agent, id, version, "verify",
                       json_pack("{s:b}", "passed", 1), at, g->rep, err)))
            return rc;
    }
    if (at + DAY + DAY / 2 > now)
        return WG_OK;
    double sat = wg_rng_uniform(&g->s);
    int unsatisfied = sat >= 0.975;
    at += DAY + DAY / 2;
    if ((rc = step(g->db, g->env, &as->agent, id, version, "callback",
                   callback_body(in, sat < 0.90     ? "satisfied"
                                     : !unsatisfied ? "basically_satisfied"
                                                    : "unsatisfied"),
                   at, g->rep, err)) ||
        !unsatisfied || again)
        return rc;
    /* reopened (重办): the unit takes it up again within hours and replies within days */
    long long s2 = at + HOUR + (long long)(wg_rng_uniform(&g->s) * 4 * HOUR);
    long long r2 = s2 + (long long)((0.5 + wg_rng_uniform(&g->s) * 3) * DAY);
    if (s2 > now || (rc = step(g->db, g->env, h, id, version, "sign", NULL, s2, g->rep, err)) ||
        r2 > now ||
        (rc = step(g->db, g->env, h, id, version, "reply",
                   json_pack("{s:s}", "result", "已再次到现场处理，并与群众当面沟通"), r2, g->rep,
                   err)))
        return rc;
    return after_reply(g, in, id, version, r2, h, 1, err);
}

/* What happens to an order handed to a unit, from dispatch on, as far as now allows: signed
 * within hours by the unit's handler, replied within the item's working days (urgent ones
 * the same day), a few late. A return (only when may_return) is decided by the centre within
 * hours and the order sent on to another department; a suspension is recent. */
static enum wg_rc handled(struct gen *g, const struct wg_order_input *in, long long id,
                          int *version, long long t, const char *unit, int may_return,
                          struct wg_err *err)
{
    struct actor_set *as = &g->as;
    struct wg_actor h;
    long long now = g->o->now;
    enum wg_rc rc;
    unit_handler(&h, unit);
    if ((rc = step(g->db, g->env, &as->agent, id, version, "dispatch",
                   json_pack("{s:s}", "unit", unit), t + 1200, g->rep, err)))
        return rc;
    long long signed_at = t + 1200 + (long long)(600 + wg_rng_uniform(&g->s) * 3 * HOUR);
    if (signed_at > now || g->force == 3)
        return WG_OK;
    if (may_return && (g->force == 1 || wg_rng_uniform(&g->s) < 0.02)) { /* the wrong unit */
        if ((rc = step(g->db, g->env, &h, id, version, "return",
                       json_pack("{s:s}", "reason", "不属于本单位职责"), signed_at, g->rep, err)))
            return rc;
        long long decided = signed_at + 2 * HOUR + (long long)(wg_rng_uniform(&g->s) * 5 * HOUR);
        if (decided > now || g->force == 1) /* the centre reviews it today */
            return WG_OK;
        if ((rc = step(g->db, g->env, &as->supervisor, id, version, "approve_return", NULL, decided,
                       g->rep, err)))
            return rc;
        const char *other = unit;
        while (!strcmp(other, unit))
            other = wg_demo_departments[wg_rng_next(&g->s) % wg_demo_ndepartments].id;
        return handled(g, in, id, version, decided, other, 0, err);
    }
    long long deadline_of_dispatch = last_deadline;
    if ((rc = step(g->db, g->env, &h, id, version, "sign", NULL, signed_at, g->rep, err)))
        return rc;
    last_deadline = deadline_of_dispatch;
    if (g->force == 2 ||
        (wg_rng_uniform(&g->s) < 0.01 && now - signed_at < 10 * DAY && g->force != 4))
        return step(g->db, g->env, &as->supervisor, id, version, "suspend", /* a court's time */
                    json_pack("{s:s}", "reason", "等待司法程序"), signed_at + HOUR, g->rep, err);
    /* how long the unit takes, as a share of the time it has (dispatch to reply deadline):
     * half well inside it, many near its end, a few late */
    long long deadline = last_deadline ? last_deadline : t + 7 * DAY;
    double u = wg_rng_uniform(&g->s), v = wg_rng_uniform(&g->s);
    double share = u < 0.5 ? 0.05 + v * 0.55 : u < 0.96 ? 0.6 + v * 0.38 : 1.05 + v * 0.6;
    long long replied_at = signed_at + (long long)(share * (double)(deadline - signed_at));
    if (replied_at <= signed_at)
        replied_at = signed_at + HOUR;
    if (g->force == 4) /* still at work on it */
        replied_at = now + DAY;
    /* the unit calls or visits the reporter, mostly within the next working day; a few late
     * (from the id, so the generator's random sequence stays as it was) */
    long long contact_at = signed_at + (id % 13 ? 1 + id % 20 : 40 + id % 30) * HOUR;
    if (!in->anonymous && contact_at < replied_at && contact_at <= now &&
        (rc = step(
             g->db, g->env, &h, id, version, "contact",
             json_pack("{s:b,s:s}", "reached", id % 7 != 0, "means", id % 5 ? "phone" : "visit"),
             contact_at, g->rep, err)))
        return rc;
    if (replied_at > now) {
        g->open_id = id;
        if (now > deadline) /* late and still with the unit: supervised */
            rc = step(g->db, g->env, &as->supervisor, id, version, "supervise",
                      json_pack("{s:s}", "level", now - deadline > 2 * DAY ? "red" : "yellow"),
                      deadline + HOUR, g->rep, err);
        return rc;
    }
    if ((rc = step(g->db, g->env, &h, id, version, "reply",
                   json_pack("{s:s}", "result", "已到现场核实并处理完毕，已与群众沟通"), replied_at,
                   g->rep, err)))
        return rc;
    return after_reply(g, in, id, version, replied_at, &h, 0, err);
}

/* Appeal i, taken in and moved through the loop as far as its age allows. */
static enum wg_rc one_order(struct gen *g, int i, struct wg_err *err)
{
    struct wg_order_input in;
    struct wg_locate_result where;
    struct wg_route_suggestion sug;
    long long id, t;
    int version = 1;
    enum wg_rc rc;
    make_input(g, i, &in, &where, &t);
    if ((rc = wg_order_create(g->db, g->env, g->loc, &g->as.agent, &in, t, &id, err)))
        return rc;
    g->rep->orders++;
    long long age = g->o->now - t;
    double r = wg_rng_uniform(&g->s);
    if (g->force) /* a unit's work: neither answered on the call, invalid nor a repeat */
        r = 0.7;
    /* a consultation answered on the call, closed after the callback */
    if (!strcmp(in.type, "consult") && r < 0.6) {
        if ((rc = step(g->db, g->env, &g->as.agent, id, &version, "answer", NULL, t + 300, g->rep,
                       err)))
            return rc;
        if (age > 2 * DAY)
            rc = step(g->db, g->env, &g->as.agent, id, &version, "callback",
                      callback_body(&in, "satisfied"), t + DAY, g->rep, err);
        return rc;
    }
    if (r > 0.995) /* nonsense calls are invalidated */
        return step(g->db, g->env, &g->as.agent, id, &version, "invalidate", NULL, t + 600, g->rep,
                    err);
    if (r > 0.985 && g->open_id) /* a repeat of an open order is merged into it */
        return step(g->db, g->env, &g->as.agent, id, &version, "merge",
                    json_pack("{s:I}", "into", (json_int_t)g->open_id), t + 600, g->rep, err);
    if ((rc = wg_route_suggest(g->db, in.item, where.grid->code, &sug, err)))
        return rc;
    if (!sug.found || age < HOUR)
        return WG_OK; /* still waiting at the dispatch desk */
    return handled(g, &in, id, &version, t, sug.lead.id, 1, err);
}

/* The early-warning situations of the demo (domain/alerts/sample_warnings.h), taken in and
 * moved on as every appeal is, after the others so that the warnings' follower finds them
 * among the orders of the last week; *planted how many. */
static enum wg_rc plant(struct gen *g, int *planted, struct wg_err *err)
{
    struct wg_sample_appeal ap[WG_SAMPLE_WARNINGS_MAX];
    const double box[4] = {g->county.minx, g->county.miny, g->county.maxx, g->county.maxy};
    int n = wg_sample_warnings(&g->s, g->env->catalog, g->loc, box, g->o->now, ap);
    enum wg_rc rc = WG_OK;
    for (int i = 0; i < n && !rc; i++) {
        struct wg_order_input in = {.channel = "hotline",
                                    .type = "complaint",
                                    .item = ap[i].item,
                                    .title = ap[i].w.title,
                                    .content = ap[i].w.content,
                                    .address = ap[i].w.address,
                                    .urgency = "normal",
                                    .has_point = 1,
                                    .lon = ap[i].lon,
                                    .lat = ap[i].lat,
                                    .crs = WG_CRS_WGS84,
                                    .reporter_name = ap[i].name,
                                    .reporter_phone = ap[i].phone};
        struct wg_locate_result where;
        struct wg_route_suggestion sug;
        long long id;
        int version = 1;
        if ((rc = wg_order_create(g->db, g->env, g->loc, &g->as.agent, &in, ap[i].t, &id, err)))
            break;
        g->rep->orders++;
        if ((rc = wg_locator_locate(g->loc, in.lon, in.lat, WG_CRS_WGS84, &where, err)) ||
            (rc = wg_route_suggest(g->db, in.item, where.grid->code, &sug, err)))
            break;
        if (sug.found && g->o->now - ap[i].t >= HOUR)
            rc = handled(g, &in, id, &version, ap[i].t, sug.lead.id, 1, err);
    }
    *planted = n;
    return rc;
}

enum wg_rc wg_history_generate(struct wg_db *db, const struct wg_order_env *env,
                               const struct wg_locator *loc, const struct wg_history_opts *o,
                               struct wg_history_report *rep, struct wg_err *err)
{
    struct gen g = {.db = db, .env = env, .loc = loc, .o = o, .rep = rep, .s = o->seed};
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    wg_shape_init(&g.county);
    actor(&g.as.agent, "agent", WG_ROLE_AGENT);
    actor(&g.as.gridworker, "gridworker", WG_ROLE_GRIDWORKER);
    actor(&g.as.supervisor, "supervisor", WG_ROLE_SUPERVISOR);
    collect_leaves(env->catalog, &g.leaves);
    if (!g.leaves.n)
        return wg_err_set(err, WG_EINVAL, "the catalog has no items");
    if ((rc = load_county(&g, err)) || (rc = wg_db_set_durable(db, 0, err)))
        goto out;
    /* the early-warning situations are part of the orders asked for, taken in last */
    struct wg_history_opts most = *o;
    int planted = 0;
    if (o->orders >= 500)
        most.orders -= WG_SAMPLE_WARNINGS_MAX;
    g.o = &most;
    if (!(rc = make_units(db, env, o->county, err)))
        for (int i = 0; i < most.orders && !rc; i++)
            rc = one_order(&g, i, err);
    if (!rc && o->orders >= 500 && !(rc = plant(&g, &planted, err)))
        for (int i = most.orders + planted; i < o->orders && !rc; i++)
            rc = one_order(&g, i, err); /* any the situations left, as the others */
    struct wg_err e2 = {0};
    if (wg_db_set_durable(db, 1, &e2) && !rc)
        rc = wg_err_set(err, e2.rc, "%s", e2.msg);
out:
    wg_shape_release(&g.county);
    return rc;
}
