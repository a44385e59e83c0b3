/* The demo's residents taking part (stairwell.h, volunteer.h, mobilise.h): 一长二员 teams in
 * most stairwells of the grids of the demo town's first four communities, with this month's
 * visits written to the registry; in each of those communities a party members', a women's
 * and a safety patrol volunteer team with a year of service
 * hours and some redemptions; two mobilisations, one past and mostly done, one running.
 * Written through the same functions as the API, in one transaction; a store that holds
 * stairwell teams already is left as it is. */
#include "domain/partake/sample_partake.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/rng.h"
#include "domain/accounts/account.h"
#include "domain/partake/mobilise.h"
#include "domain/partake/stairwell_well.h"
#include "domain/partake/volunteer.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/registry/registry_q.h"

#define GRIDS_MAX  24
#define VILLAGES   4
#define PEOPLE_MAX 600
#define DAY        86400LL
#define N(a)       (sizeof(a) / sizeof((a)[0]))

static const char *const talks[] = {
    "入户了解家中老人身体状况，提醒冬季用电用气安全",
    "核对家庭成员信息，更新租户登记",
    "宣传反诈知识，发放防诈骗宣传页",
    "了解孩子入学情况，告知社区托管服务时间",
    "询问对小区物业服务的意见，记录居民诉求",
    "提醒楼道内不要堆放杂物，保持消防通道畅通",
    "走访独居老人，确认紧急联系人电话",
    "宣传垃圾分类投放时间和地点",
    "告知本月社区义诊和理发服务安排",
    "了解邻里关系，未发现矛盾纠纷",
};
static const char *const findings[] = {
    "楼道声控灯损坏，需报修",   "三楼楼道堆放纸箱，已劝离",   "单元门门禁失灵",
    "楼顶防水层破损，雨天渗漏", "电动车在楼道内充电，已劝阻",
};
static const struct {
    const char *kind, *suffix;
    int rate;
    const char *acts[4];
} kinds[] = {
    {"party",
     "党员志愿服务队",
     2,
     {"党员先锋岗值守", "为独居老人送餐", "楼道环境整治", "政策宣讲进楼道"}},
    {"women", "巾帼志愿服务队", 1, {"家风家训宣讲", "关爱留守儿童", "邻里矛盾劝解", "义务理发"}},
    {"patrol", "平安巡防队", 1, {"夜间平安巡逻", "防火安全检查", "校园周边护学", "防诈骗宣传"}},
};
static const char *const gifts[] = {"大米一袋", "食用油一桶", "洗衣液两瓶",
                                    "毛巾礼盒", "电影票两张", "理发券"};

struct gen {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    struct wg_actor actor;
    long long now;
    uint64_t s;
    struct wg_partake_sample_report *rep;
    char grids[GRIDS_MAX][20];
    int ngrids;
    long long people[PEOPLE_MAX];
    int npeople;
    struct wg_err *err;
};

static int between(uint64_t *s, int lo, int hi)
{
    return lo + (int)(wg_rng_next(s) % (uint64_t)(hi - lo + 1));
}

struct grids_of {
    struct gen *g;
    char last[20];
    char seen_village[GRIDS_MAX][16];
    int nvillages;
    char after[40];
    int n;
};

/* The grids with buildings of the town's first VILLAGES communities, at most GRIDS_MAX. */
static int on_building(const struct wg_building_row *b, void *ctx)
{
    struct grids_of *x = ctx;
    struct gen *g = x->g;
    int known = 0;
    x->n++;
    snprintf(x->after, sizeof x->after, "%s", b->code);
    if (g->ngrids >= GRIDS_MAX || !strcmp(b->grid, x->last))
        return 0;
    snprintf(x->last, sizeof x->last, "%s", b->grid);
    for (int i = 0; i < g->ngrids; i++)
        if (!strcmp(g->grids[i], b->grid))
            return 0;
    for (int i = 0; i < x->nvillages; i++)
        known |= !strncmp(x->seen_village[i], b->grid, 12);
    if (!known && x->nvillages >= VILLAGES)
        return 0;
    if (!known)
        snprintf(x->seen_village[x->nvillages++], 16, "%.12s", b->grid);
    snprintf(g->grids[g->ngrids++], 20, "%s", b->grid);
    return 0;
}

static int on_person(const struct wg_person_row *p, void *ctx)
{
    struct gen *g = ctx;
    if (g->npeople < PEOPLE_MAX)
        g->people[g->npeople++] = p->id;
    return g->npeople >= PEOPLE_MAX;
}

static enum wg_rc people_of(struct gen *g, const char *grid)
{
    char hi[40];
    snprintf(hi, sizeof hi, "%s0", grid);
    g->npeople = 0;
    return wg_store_person_list(g->db, grid, hi, "", 0, 0, PEOPLE_MAX, on_person, g, g->err);
}

struct wells {
    char building[40][40], unit[40][36];
    int n;
};

static int on_well(const char *building, const char *name, const char *unit, long long houses,
                   void *ctx)
{
    struct wells *w = ctx;
    (void)name, (void)houses;
    if (w->n < 40) {
        snprintf(w->building[w->n], 40, "%s", building);
        snprintf(w->unit[w->n++], 36, "%s", unit);
    }
    return 0;
}

/* This month's visits of team id: most of its households, some with a finding. */
static enum wg_rc month_visits(struct gen *g, long long id)
{
    struct wg_stair_row t;
    struct wg_well w;
    char month[8];
    enum wg_rc rc;
    int today = wg_cst_day(g->now), y, m, d;
    wg_civil_date(today, &y, &m, &d);
    wg_partake_month_of(g->now, month);
    if ((rc = wg_store_stair_get(g->db, id, &t, g->err)) ||
        (rc = wg_well_load(g->db, g->keys, &t, month, &w, g->err)))
        return rc;
    json_t *batch = json_array();
    int share = between(&g->s, 55, 100);
    static const char *const by[] = {"head", "info", "guard"};
    for (long long i = 0; i < w.n; i++) {
        if (between(&g->s, 1, 100) > share)
            continue;
        long long at =
            wg_cst_midnight(today - between(&g->s, 0, d - 1)) + between(&g->s, 9 * 3600, 20 * 3600);
        if (at > g->now)
            at = g->now - between(&g->s, 600, 7200);
        json_t *v = json_pack("{s:I,s:I,s:s,s:s}", "household", (json_int_t)w.homes[i].household,
                              "visited_at", (json_int_t)at, "by", by[between(&g->s, 0, 2)],
                              "content", talks[wg_rng_next(&g->s) % N(talks)]);
        if (between(&g->s, 1, 100) <= 8)
            json_object_set_new(v, "findings",
                                json_string(findings[wg_rng_next(&g->s) % N(findings)]));
        json_array_append_new(batch, v);
    }
    wg_well_release(&w);
    if (!json_array_size(batch)) {
        json_decref(batch);
        return WG_OK;
    }
    json_t *body = json_pack("{s:o}", "visits", batch), *out = NULL;
    int created = 0;
    rc = wg_stair_visit(g->db, g->keys, &g->actor, id, body, g->now, &out, &created, g->err);
    json_decref(body);
    json_decref(out);
    g->rep->visits += created;
    return rc;
}

/* Teams in most stairwells of grid, from its residents, and their month. */
static enum wg_rc stairwells(struct gen *g, const char *grid)
{
    struct wells w = {.n = 0};
    enum wg_rc rc;
    if ((rc = people_of(g, grid)) || g->npeople < 3 ||
        (rc = wg_store_stair_of_grid(g->db, grid, on_well, &w, g->err)))
        return rc;
    g->rep->stairwells += w.n;
    for (int i = 0; i < w.n && !rc; i++) {
        if (between(&g->s, 1, 100) > 85)
            continue; /* most, not all: the grid's coverage of teams shows what is left */
        int k = between(&g->s, 0, g->npeople - 3);
        char since[11];
        wg_civil_format_date(wg_cst_day(g->now) - between(&g->s, 40, 900), since);
        json_t *body =
            json_pack("{s:s,s:s,s:{s:I,s:s},s:{s:I,s:s},s:{s:I,s:s}}", "building", w.building[i],
                      "unit", w.unit[i], "head", "person", (json_int_t)g->people[k], "since", since,
                      "info", "person", (json_int_t)g->people[k + 1], "since", since, "guard",
                      "person", (json_int_t)g->people[k + 2], "since", since);
        long long id = 0;
        rc = wg_stair_create(g->db, g->keys, &g->actor, body, g->now, &id, g->err);
        json_decref(body);
        if (!rc) {
            g->rep->teams++;
            rc = month_visits(g, id);
        }
    }
    return rc;
}

/* A year of service of volunteer id in a team of kind k, some points redeemed. */
static enum wg_rc service(struct gen *g, long long id, int k)
{
    int today = wg_cst_day(g->now), n = between(&g->s, 12, 40);
    enum wg_rc rc = WG_OK;
    for (int i = 0; i < n && !rc; i++) {
        char day[11];
        wg_civil_format_date(today - between(&g->s, 0, 360), day);
        json_t *b =
            json_pack("{s:s,s:f,s:s}", "date", day, "hours", (double)between(&g->s, 2, 8) / 2.0,
                      "activity", kinds[k].acts[wg_rng_next(&g->s) % 4]);
        long long entry = 0;
        rc = wg_volunteer_hours(g->db, &g->actor, id, b, g->now, &entry, g->err);
        json_decref(b);
        if (rc == WG_EINVAL) /* a day already full: the next record */
            rc = WG_OK;
        else if (!rc)
            g->rep->hours++;
    }
    if (!rc && between(&g->s, 1, 100) <= 40) {
        json_t *b = json_pack("{s:i,s:s}", "points", between(&g->s, 5, 20), "what",
                              gifts[wg_rng_next(&g->s) % N(gifts)]);
        long long entry = 0;
        rc = wg_volunteer_redeem(g->db, &g->actor, id, b, g->now, &entry, g->err);
        json_decref(b);
        if (rc == WG_ECONFLICT)
            rc = WG_OK; /* not enough points yet */
        else if (!rc)
            g->rep->redemptions++;
    }
    return rc;
}

static enum wg_rc team_of(struct gen *g, const char *name, const char *place, const char *kind,
                          int rate, long long *id)
{
    json_t *b =
        json_pack("{s:s,s:s,s:s,s:i}", "name", name, "place", place, "kind", kind, "rate", rate);
    enum wg_rc rc = wg_vteam_create(g->db, &g->actor, b, g->now, id, g->err);
    json_decref(b);
    if (!rc)
        g->rep->vteams++;
    return rc;
}

/* The volunteer teams of the community of grid, their volunteers from its residents. */
static enum wg_rc volunteers(struct gen *g, const char *grid, const char *community_name)
{
    char place[16];
    enum wg_rc rc;
    snprintf(place, sizeof place, "%.12s", grid);
    if ((rc = people_of(g, grid)))
        return rc;
    int next = g->npeople / 3; /* the stairwell teams took from the front */
    for (size_t k = 0; k < N(kinds) && !rc; k++) {
        char name[160];
        long long team = 0;
        snprintf(name, sizeof name, "%s%s", community_name, kinds[k].suffix);
        if ((rc = team_of(g, name, place, kinds[k].kind, kinds[k].rate, &team)))
            break;
        int members = between(&g->s, 8, 14);
        for (int i = 0; i < members && next < g->npeople && !rc; i++, next++) {
            json_t *b = json_pack("{s:I,s:I}", "person", (json_int_t)g->people[next], "team",
                                  (json_int_t)team);
            long long id = 0;
            rc = wg_volunteer_create(g->db, g->keys, &g->actor, b, g->now, &id, g->err);
            json_decref(b);
            if (rc == WG_ECONFLICT) {
                rc = WG_OK;
                continue;
            }
            if (!rc) {
                g->rep->volunteers++;
                rc = service(g, id, (int)k);
            }
        }
    }
    return rc;
}

static enum wg_rc mobilise(struct gen *g, const char *title, const char *content, int ago, int days,
                           int done_share)
{
    char deadline[11];
    long long at = g->now - ago * DAY, id = 0;
    int n = 0;
    wg_civil_format_date(wg_cst_day(at) + days, deadline);
    json_t *b =
        json_pack("{s:s,s:s,s:s,s:s,s:[s,s]}", "title", title, "content", content, "deadline",
                  deadline, "scope", g->actor.scope.code, "kinds", "stairwell", "volunteer");
    enum wg_rc rc = wg_mob_create(g->db, NULL, &g->actor, b, at, &id, &n, g->err);
    json_decref(b);
    if (rc)
        return rc;
    g->rep->mobilisations++;
    json_t *view = NULL;
    if ((rc = wg_mob_view(g->db, &g->actor, id, g->now, &view, g->err)))
        return rc;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(view, "teams"), i, t)
    {
        int roll = between(&g->s, 1, 100);
        const char *step = roll <= done_share ? "done" : roll <= done_share + 15 ? "ack" : NULL;
        if (!step)
            continue;
        json_t *r = json_pack("{s:O,s:O,s:s}", "kind", json_object_get(t, "kind"), "team",
                              json_object_get(t, "team"), "step", step);
        if (!strcmp(step, "done"))
            json_object_set_new(r, "note", json_string("已按要求落实，逐户通知到位"));
        rc = wg_mob_report(g->db, &g->actor, id, r, at + between(&g->s, 3600, 2 * DAY), g->err);
        json_decref(r);
        if (rc)
            break;
        g->rep->reports++;
    }
    json_decref(view);
    return rc;
}

static int has_teams(const struct wg_stair_row *t, void *ctx)
{
    (void)t;
    *(int *)ctx = 1;
    return 1;
}

static enum wg_rc generate(struct gen *g, const char *town)
{
    struct grids_of x = {g, "", {{0}}, 0, "", 0};
    static const char *const names[] = {"东关社区", "西关社区", "南关社区",   "北关社区",
                                        "兰山社区", "沂河社区", "金雀山社区", "涑河社区"};
    enum wg_rc rc;
    do {
        x.n = 0;
        rc = wg_store_building_list(g->db, x.after, "", town, "", 500, on_building, &x, g->err);
    } while (!rc && x.n == 500 && g->ngrids < GRIDS_MAX);
    for (int i = 0; i < g->ngrids && !rc; i++)
        rc = stairwells(g, g->grids[i]);
    for (int i = 0; i < g->ngrids && !rc; i++) {
        char village[16], name[160];
        int first = 1;
        for (int k = 0; k < i; k++)
            first &= strncmp(g->grids[k], g->grids[i], 12) != 0;
        if (!first)
            continue; /* one set of teams a community */
        struct wg_region_row r;
        snprintf(village, sizeof village, "%.12s", g->grids[i]);
        /* the community's name as residents say it: the division's without 居民委员会 */
        if (wg_store_region_get(g->db, village, &r, g->err) == WG_OK && r.name[0]) {
            static const char *const tails[] = {"居民委员会", "村民委员会", "居委会", "村委会"};
            for (size_t t = 0; t < N(tails); t++) {
                char *cut = strstr(r.name, tails[t]);
                if (cut)
                    *cut = '\0';
            }
            snprintf(name, sizeof name, "%s", r.name);
        } else {
            snprintf(name, sizeof name, "%s", names[i % N(names)]);
        }
        rc = volunteers(g, g->grids[i], name);
    }
    if (!rc && g->ngrids)
        rc = mobilise(g, "创建文明城市环境卫生大整治",
                      "全面清理楼道堆物、小广告和卫生死角，一长二员逐楼道检查，志愿队伍分片包干",
                      20, 7, 80);
    if (!rc && g->ngrids)
        rc = mobilise(g, "寒潮防御动员",
                      "今晚起有寒潮降温，请逐户排查独居老人取暖和燃气安全，发现困难及时上报", 0, 3,
                      25);
    return rc;
}

enum wg_rc wg_partake_sample(struct wg_db *db, const struct wg_pii_keys *keys, const char *town,
                             long long now, uint64_t seed, struct wg_partake_sample_report *rep,
                             struct wg_err *err)
{
    struct gen *g = wg_calloc(1, sizeof *g);
    int any = 0;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    g->db = db;
    g->keys = keys;
    g->now = now;
    g->s = seed;
    g->rep = rep;
    g->err = err;
    snprintf(g->actor.username, sizeof g->actor.username, "community");
    wg_role_parse("community", &g->actor.role, NULL);
    g->actor.perms = wg_role_find("community")->perms;
    snprintf(g->actor.scope.kind, sizeof g->actor.scope.kind, "region");
    snprintf(g->actor.scope.code, sizeof g->actor.scope.code, "%s", town);
    if ((rc = wg_store_stair_list(db, "", "~", 1, has_teams, &any, err)) || any)
        goto out;
    if ((rc = wg_db_begin(db, err)))
        goto out;
    rc = generate(g, town);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
out:
    free(g);
    return rc;
}
