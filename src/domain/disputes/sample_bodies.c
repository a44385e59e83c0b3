/* The demo district's mediation bodies (sample_cases.h): the county's centre, a people's
 * mediation committee per town and per village named from the loaded divisions, trade bodies,
 * a police-station and a court desk, a named mediator's studio and a lawyers' rota, with the
 * demo's mediators as members. */
#include "domain/disputes/sample_cases.h"

#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "domain/accounts/profile.h"
#include "domain/disputes/body.h"
#include "store/accounts/accounts_q.h"
#include "store/disputes/body_q.h"
#include "store/map/map_q.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct wg_case_sample_mediator wg_case_sample_mediators[] = {
    {"lichuanbao", "李传宝", "371302"},     /* 老李调解工作室, and the centre part-time */
    {"zhangguilan", "张桂兰", "371302"},    /* the centre, full-time: families and neighbours */
    {"wanghaitao", "王海涛", "371302"},     /* the centre, full-time: wages, contracts, debts */
    {"liujing", "刘静", "371302"},          /* a lawyer on the rota, part-time */
    {"zhaoyongjun", "赵永军", "371302102"}, /* 枣园镇's committee */
    {"sunxiaoyan", "孙晓燕", "371302004"},  /* 柳青街道's committee */
};
const size_t wg_case_sample_nmediators = N(wg_case_sample_mediators);

/* Who serves in which body: a kind ("town_committee" of the member's town, or a named body
 * of the county), full-time or not, and what they know best. */
static const struct {
    const char *username, *body; /* a kind, or a body's name */
    int full_time;
    const char *specialities;
} seats[] = {
    {"zhangguilan", "county_centre", 1, "[\"marriage_family\",\"neighbours\",\"house_land\"]"},
    {"wanghaitao", "county_centre", 1, "[\"labour\",\"contract\",\"debt\"]"},
    {"lichuanbao", "county_centre", 0, "[\"neighbours\",\"house_land\",\"land_taking\"]"},
    {"liujing", "county_centre", 0, "[\"debt\",\"contract\",\"traffic\"]"},
    {"zhaoyongjun", "town_committee", 1, "[\"land_taking\",\"house_land\",\"neighbours\"]"},
    {"sunxiaoyan", "town_committee", 1, "[\"property\",\"neighbours\",\"marriage_family\"]"},
    {"sunxiaoyan", "物业纠纷人民调解委员会", 0, "[\"property\"]"},
    {"zhangguilan", "物业纠纷人民调解委员会", 0, "[\"property\"]"},
    {"wanghaitao", "劳动争议人民调解委员会", 1, "[\"labour\"]"},
    {"liujing", "医疗纠纷人民调解委员会", 0, "[\"medical\"]"},
    {"liujing", "交通事故纠纷人民调解委员会", 0, "[\"traffic\"]"},
    {"wanghaitao", "交通事故纠纷人民调解委员会", 0, "[\"traffic\",\"damages\"]"},
    {"liujing", "兰山区人民法院诉调对接工作室", 0, "[\"debt\",\"contract\",\"house_land\"]"},
    {"zhangguilan", "兰山区人民法院诉调对接工作室", 0, "[\"marriage_family\"]"},
    {"lichuanbao", "老李调解工作室", 1, "[\"neighbours\",\"marriage_family\",\"house_land\"]"},
    {"liujing", "兰山区矛盾纠纷调处中心红领律师值班室", 0,
     "[\"debt\",\"contract\",\"labour\",\"traffic\"]"},
};

/* The county's own bodies beside the centre: name, kind, address; the police desk is the
 * demo mediator's town's. */
static const struct {
    const char *name, *kind, *address;
} county_bodies[] = {
    {"物业纠纷人民调解委员会", "trade", "兰山区住房和城乡建设局一楼调解室"},
    {"劳动争议人民调解委员会", "trade", "兰山区人力资源和社会保障局劳动保障监察大队"},
    {"医疗纠纷人民调解委员会", "trade", "兰山区卫生健康局医患纠纷调解室"},
    {"交通事故纠纷人民调解委员会", "trade", "兰山区交警大队事故处理中心"},
    {"兰山区人民法院诉调对接工作室", "court_desk", "兰山区人民法院诉讼服务中心"},
    {"老李调解工作室", "studio", "兰山区群众诉求服务大厅三楼"},
    {"兰山区矛盾纠纷调处中心红领律师值班室", "lawyer_rota", "兰山区群众诉求服务大厅二楼"},
};

struct made {
    struct wg_db *db;
    const struct wg_case_sample_opts *o;
    uint64_t s;
    int bodies, members;
};

static int has_account(struct wg_db *db, const char *username)
{
    struct wg_account_row a;
    struct wg_err e = {0};
    return username && !wg_store_account_get(db, username, &a, &e) && !strcmp(a.role, "mediator");
}

/* The members of a body of kind and name in region. */
static json_t *members_of(struct made *m, const char *kind, const char *name, const char *region)
{
    json_t *arr = json_array();
    const char *mine = m->o->mediator_scope ? m->o->mediator_scope : "";
    int low = !strcmp(kind, "town_committee") || !strcmp(kind, "village_committee") ||
              !strcmp(kind, "police_desk");
    if (low && *mine && !strncmp(region, mine, strlen(mine)) && has_account(m->db, m->o->mediator))
        json_array_append_new(arr, json_pack("{s:s,s:b,s:[sss]}", "username", m->o->mediator,
                                             "full_time", !strcmp(kind, "town_committee"),
                                             "specialities", "neighbours", "marriage_family",
                                             "house_land"));
    for (size_t i = 0; i < N(seats); i++) {
        const char *scope = "";
        for (size_t k = 0; k < wg_case_sample_nmediators; k++)
            if (!strcmp(wg_case_sample_mediators[k].username, seats[i].username))
                scope = wg_case_sample_mediators[k].scope;
        int here = (strstr(name, seats[i].body) && strcmp(seats[i].body, kind)) ||
                   (!strcmp(seats[i].body, kind) &&
                    (strcmp(kind, "town_committee") || !strcmp(scope, region)));
        if (!here || !has_account(m->db, seats[i].username))
            continue;
        json_t *spec = json_loads(seats[i].specialities, 0, NULL);
        json_array_append_new(arr, json_pack("{s:s,s:b,s:o}", "username", seats[i].username,
                                             "full_time", seats[i].full_time, "specialities",
                                             spec ? spec : json_array()));
    }
    return arr;
}

static enum wg_rc save(struct made *m, const char *name, const char *kind, const char *region,
                       const char *address, struct wg_err *err)
{
    static const struct wg_scope all = {"region", ""};
    char phone[16];
    long long id;
    snprintf(phone, sizeof phone, "154%08llu",
             (unsigned long long)(wg_rng_next(&m->s) % 100000000ull));
    json_t *members = members_of(m, kind, name, region);
    m->members += (int)json_array_size(members);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "name", name, "kind", kind, "region",
                             region, "address", address, "phone", phone, "members", members);
    enum wg_rc rc = wg_body_save(m->db, &all, body, 0, 0, "admin", m->o->now, &id, err);
    json_decref(body);
    if (!rc)
        m->bodies++;
    else
        wg_err_prefix(err, "mediation body '%s'", name);
    return rc;
}

void wg_case_sample_place(const char *region_name, char *out, size_t n)
{
    int rural = strstr(region_name, "村民委员会") != NULL;
    const char *cut = strstr(region_name, rural ? "村民委员会" : "居民委员会");
    size_t len = cut ? (size_t)(cut - region_name) : strlen(region_name);
    int has_suffix = (len >= 3 && !strncmp(region_name + len - 3, "村", 3)) ||
                     (len >= 6 && !strncmp(region_name + len - 6, "社区", 6));
    snprintf(out, n, "%.*s%s", (int)len, region_name, has_suffix ? "" : (rural ? "村" : "社区"));
}

struct towns {
    struct wg_region_row v[64];
    int n;
};

static int on_region(const struct wg_region_row *r, void *ctx)
{
    struct towns *t = ctx;
    if (t->n < (int)N(t->v))
        t->v[t->n++] = *r;
    return 0;
}

struct villages {
    struct made *m;
    const struct wg_region_row *town;
    enum wg_rc rc;
    struct wg_err *err;
};

static int on_village(const struct wg_region_row *r, void *ctx)
{
    struct villages *v = ctx;
    char place[160], name[200], address[320];
    wg_case_sample_place(r->name, place, sizeof place);
    snprintf(name, sizeof name, "%s人民调解委员会", place);
    snprintf(address, sizeof address, "兰山区%s%s党群服务中心调解室", v->town->name, place);
    v->rc = save(v->m, name, "village_committee", r->code, address, v->err);
    return v->rc != WG_OK;
}

/* The demo's mediators named in their profiles (the bodies' pages show the names). */
static enum wg_rc name_mediators(struct wg_db *db, const struct wg_pii_keys *keys,
                                 struct wg_err *err)
{
    for (size_t i = 0; keys && i < wg_case_sample_nmediators; i++) {
        struct wg_profile p = {0};
        struct wg_err e = {0};
        if (!has_account(db, wg_case_sample_mediators[i].username) ||
            wg_profile_get(db, keys, wg_case_sample_mediators[i].username, &p, &e))
            continue;
        int named = p.name && *p.name;
        wg_profile_release(&p);
        enum wg_rc rc = named ? WG_OK
                              : wg_profile_set(db, keys, wg_case_sample_mediators[i].username,
                                               wg_case_sample_mediators[i].name, NULL, NULL, err);
        if (rc)
            return rc;
    }
    return WG_OK;
}

enum wg_rc wg_case_sample_bodies(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_case_sample_opts *o, int *made, int *members,
                                 struct wg_err *err)
{
    struct made m = {db, o, o->seed ^ 0xb0d1e5ull, 0, 0};
    struct towns t = {.n = 0};
    struct wg_region_row county;
    char name[200], address[320];
    enum wg_rc rc;
    *made = *members = 0;
    if ((rc = name_mediators(db, keys, err)) ||
        (rc = wg_store_region_get(db, o->county, &county, err)) ||
        (rc = wg_store_region_children(db, o->county, on_region, &t, err)))
        return rc;
    snprintf(name, sizeof name, "%s矛盾纠纷调处中心", county.name);
    snprintf(address, sizeof address, "%s群众诉求服务大厅", county.name);
    rc = save(&m, name, "county_centre", o->county, address, err);
    for (size_t i = 0; !rc && i < N(county_bodies); i++) { /* 兰山区物业纠纷人民调解委员会 */
        snprintf(name, sizeof name, "%s%s",
                 strcmp(county_bodies[i].kind, "trade") ? "" : county.name, county_bodies[i].name);
        rc = save(&m, name, county_bodies[i].kind, o->county, county_bodies[i].address, err);
    }
    for (int i = 0; !rc && i < t.n; i++) {
        struct villages v = {&m, &t.v[i], WG_OK, err};
        snprintf(name, sizeof name, "%s人民调解委员会", t.v[i].name);
        snprintf(address, sizeof address, "%s%s社会治理服务中心", county.name, t.v[i].name);
        if ((rc = save(&m, name, "town_committee", t.v[i].code, address, err)))
            break;
        if (o->mediator_scope && !strcmp(o->mediator_scope, t.v[i].code)) {
            char desk[200];
            snprintf(desk, sizeof desk, "%s派出所“警民联调”调解室", t.v[i].name);
            if (strstr(desk, "街道派出所")) /* 兰山街道派出所 is called 兰山派出所 */
                memmove(strstr(desk, "街道派出所"), strstr(desk, "派出所"),
                        strlen(strstr(desk, "派出所")) + 1);
            snprintf(address, sizeof address, "%.*s一楼",
                     (int)(strstr(desk, "派出所") - desk + strlen("派出所")), desk);
            if ((rc = save(&m, desk, "police_desk", t.v[i].code, address, err)))
                break;
        }
        if ((rc = wg_store_region_children(db, t.v[i].code, on_village, &v, err)) || v.rc)
            rc = rc ? rc : v.rc;
    }
    *made = m.bodies, *members = m.members;
    return rc;
}
