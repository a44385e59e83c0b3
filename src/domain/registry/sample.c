/* The generated registry (sample.h): each base grid of the county gets buildings with
 * standard addresses — blocks of flats along the city's roads in a community (社区), courtyard
 * houses in a village (村) — their houses, and households of the usual kinds living in them. */
#include "domain/registry/sample.h"
#include "core/rng.h"
#include "core/alloc.h"
#include "domain/registry/building.h"
#include "domain/registry/person.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Roads of Lanshan's city area, and names its housing estates go by. */
static const char *const roads[] = {"沂蒙路",   "金雀山路", "银雀山路", "解放路", "兰山路",
                                    "涑河北街", "北京路",   "上海路",   "通达路", "蒙山大道",
                                    "临西一路", "新华路",   "启阳路",   "平安路", "华夏路",
                                    "陶然路",   "成都路",   "北园路",   "考棚街", "人民大街"};
static const char *const estates[] = {"金雀山花园", "滨河家园", "锦绣华庭",     "书香苑",
                                      "和谐家园",   "阳光城",   "兰亭苑",       "沂河湾",
                                      "凤凰城",     "翰林苑",   "幸福里",       "颐和园小区",
                                      "水岸名都",   "新村",     "东方明珠小区", "银座花园"};

struct grid_ref {
    char code[20], village[13], name[192];
    double minx, miny, maxx, maxy;
};
struct grids {
    struct grid_ref *v;
    size_t n, cap;
};

static int collect(const struct wg_grid_row *g, void *ctx)
{
    struct grids *gs = ctx;
    if (strcmp(g->kind, "base"))
        return 0;
    if (gs->n == gs->cap) {
        gs->cap = gs->cap ? gs->cap * 2 : 256;
        gs->v = wg_realloc(gs->v, gs->cap * sizeof *gs->v);
    }
    struct grid_ref *r = &gs->v[gs->n++];
    snprintf(r->code, sizeof r->code, "%s", g->code);
    snprintf(r->village, sizeof r->village, "%s", g->village);
    snprintf(r->name, sizeof r->name, "%s", g->name);
    r->minx = g->minx, r->miny = g->miny, r->maxx = g->maxx, r->maxy = g->maxy;
    return 0;
}

struct gen {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    const struct wg_locator *loc;
    const struct wg_sample_opts *o;
    struct wg_sample_report *rep;
    uint64_t s;
    const struct grid_ref *grid;
    char town[128], place[128]; /* "兰山街道", "东关社区" or "朱保村" */
    int rural, nbuilding, nhousehold;
    char first_building[40];
    struct wg_sample_candidate cand[4]; /* heads of households aged 25 to 60 */
    size_t ncand;
    struct wg_sample_party party; /* the grid's party members and households */
    char committee_of[13];        /* the village whose committee is below */
    long long committee;
    long long cared[64]; /* persons of the grid in a care group or special population */
    size_t ncared;
    int worker_account; /* the worker's account exists: households are paired with it */
};

static int chance(uint64_t *s, double p)
{
    return wg_rng_uniform(s) < p;
}

static int between(uint64_t *s, int lo, int hi)
{
    return lo + (int)(wg_rng_next(s) % (uint64_t)(hi - lo + 1));
}

/* The town's and the village's names as people say them: without 居民委员会 / 村民委员会. */
static enum wg_rc place_names(struct gen *g, struct wg_err *err)
{
    struct wg_region_row v, t;
    enum wg_rc rc = wg_store_region_get(g->db, g->grid->village, &v, err);
    if (rc || (rc = wg_store_region_get(g->db, v.parent, &t, err)))
        return rc;
    snprintf(g->town, sizeof g->town, "%s", t.name);
    g->rural = strstr(v.name, "村民委员会") != NULL;
    char *cut = strstr(v.name, g->rural ? "村民委员会" : "居民委员会");
    if (cut)
        *cut = '\0';
    size_t n = strlen(v.name);
    int has_suffix = n >= 3 && (!strcmp(v.name + n - 3, "村") || !strcmp(v.name + n - 3, "社区") ||
                                (n >= 6 && !strcmp(v.name + n - 6, "社区")));
    snprintf(g->place, sizeof g->place, "%s%s", v.name,
             has_suffix ? "" : (g->rural ? "村" : "社区"));
    return WG_OK;
}

/* A point of the grid (the locator agrees it lies there), or none after a few tries. */
static void point_in(struct gen *g, json_t *body)
{
    const struct grid_ref *r = g->grid;
    for (int i = 0; i < 12; i++) {
        double lon = r->minx + wg_rng_uniform(&g->s) * (r->maxx - r->minx);
        double lat = r->miny + wg_rng_uniform(&g->s) * (r->maxy - r->miny);
        struct wg_locate_result at;
        if (wg_locator_locate(g->loc, lon, lat, WG_CRS_WGS84, &at, NULL) == WG_OK && at.grid &&
            !strcmp(at.grid->code, r->code)) {
            json_object_set_new(body, "lon", json_real(lon));
            json_object_set_new(body, "lat", json_real(lat));
            return;
        }
    }
}

static enum wg_rc make_building(struct gen *g, int floors, struct wg_building_row *b,
                                struct wg_err *err)
{
    char name[160], address[320];
    int k = ++g->nbuilding;
    if (g->rural) {
        snprintf(name, sizeof name, "%s%d号院", g->place, k);
        snprintf(address, sizeof address, "兰山区%s%s%d号", g->town, g->place, k);
    } else {
        const char *estate = estates[wg_rng_next(&g->s) % N(estates)];
        snprintf(name, sizeof name, "%s%d号楼", estate, k);
        snprintf(address, sizeof address, "兰山区%s%s%s%d号%d号楼", g->town, g->place,
                 roads[wg_rng_next(&g->s) % N(roads)], between(&g->s, 1, 399), k);
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:i, s:s}", "name", name, "grid", g->grid->code,
                             "address", address, "floors", floors, "use", "residential");
    point_in(g, body);
    enum wg_rc rc = wg_building_create(g->db, g->loc, NULL, body, g->o->now, b, err);
    json_decref(body);
    if (!rc)
        g->rep->buildings++;
    return rc;
}

static enum wg_rc make_house(struct gen *g, const char *building, const char *unit, int floor,
                             const char *room, const char *use, int tenants, struct wg_house_row *h,
                             struct wg_err *err)
{
    json_t *body =
        json_pack("{s:s, s:i, s:s, s:s}", "unit", unit, "floor", floor, "room", room, "use", use);
    if (!strcmp(use, "rented"))
        json_object_set_new(body, "tenants", json_integer(tenants));
    enum wg_rc rc = wg_house_create(g->db, NULL, building, body, g->o->now, h, err);
    json_decref(body);
    if (!rc)
        g->rep->houses++;
    return rc;
}

/* The members a household of each usual kind has: age ranges and genders. */
struct kind {
    int weight, n;
    struct {
        int lo, hi, male;
    } m[5];
};
static const struct kind kinds[] = {
    {8, 1, {{60, 92, -1}}},                                        /* one elderly person */
    {15, 2, {{60, 88, 1}, {60, 86, 0}}},                           /* an elderly couple */
    {12, 2, {{24, 40, 1}, {23, 38, 0}}},                           /* a young couple */
    {30, 3, {{30, 50, 1}, {28, 48, 0}, {0, 20, -1}}},              /* parents and a child */
    {10, 4, {{32, 50, 1}, {30, 48, 0}, {4, 20, -1}, {0, 12, -1}}}, /* and two children */
    {15, 5, {{58, 84, 1}, {56, 82, 0}, {30, 48, 1}, {28, 46, 0}, {0, 15, -1}}}, /* three gen. */
    {10, 1, {{19, 55, -1}}}, /* one adult alone */
};

static const struct kind *pick_kind(uint64_t *s)
{
    int total = 0, r;
    for (size_t i = 0; i < N(kinds); i++)
        total += kinds[i].weight;
    r = (int)(wg_rng_next(s) % (uint64_t)total);
    for (size_t i = 0; i < N(kinds); i++) {
        if (r < kinds[i].weight)
            return &kinds[i];
        r -= kinds[i].weight;
    }
    return &kinds[0];
}

/* A person for the party overlay: a member of the grid's branch when a party member (and
 * their household a central one when they head it); every household one it may serve. */
static void note_party(struct gen *g, const struct wg_person *p, long long head_of)
{
    struct wg_sample_party *s = &g->party;
    int member = !strcmp(p->political, "party_member") || !strcmp(p->political, "probationary");
    if (head_of && s->nhouseholds < 8)
        s->households[s->nhouseholds++] = head_of;
    if (!member || s->nmembers >= WG_SAMPLE_PARTY_MAX)
        return;
    s->members[s->nmembers++] = p->id;
    if (head_of && s->ncentres < 2) {
        s->centres[s->ncentres] = head_of;
        s->centre_heads[s->ncentres++] = p->id;
    }
}

/* A household living in house h: its members (the first is the head). */
static enum wg_rc make_household(struct gen *g, const struct wg_house_row *h, int floating,
                                 const struct kind *k, struct wg_err *err)
{
    struct wg_household hh = {0};
    enum wg_rc rc;
    snprintf(hh.number, sizeof hh.number, "%s%04d", g->grid->code, ++g->nhousehold);
    snprintf(hh.grid, sizeof hh.grid, "%s", g->grid->code);
    hh.address = wg_strdup(h->address);
    if (g->worker_account && g->o->worker_scope &&
        !strncmp(g->grid->code, g->o->worker_scope, strlen(g->o->worker_scope)))
        snprintf(hh.worker, sizeof hh.worker, "%s", g->o->worker);
    if ((rc = wg_household_store(g->db, g->keys, NULL, &hh, NULL, g->o->now, err)))
        goto out;
    g->rep->households++;
    for (int i = 0; i < k->n && !rc; i++) {
        struct wg_sample_who w = {k->m[i].lo, k->m[i].hi, k->m[i].male,    g->rural,
                                  floating,   k->n,       k->m[0].lo >= 60};
        for (int tries = 0; tries < 5; tries++) { /* an invented ID met again: draw another */
            struct wg_person p = {0};
            wg_sample_person(&g->s, &w, g->o->now, &p);
            snprintf(p.grid, sizeof p.grid, "%s", g->grid->code);
            p.household = hh.id;
            rc = wg_person_create(g->db, g->keys, NULL, &p, g->o->now, err);
            if (!rc && i == 0)
                hh.head = p.id;
            if (!rc)
                note_party(g, &p, i == 0 ? hh.id : 0);
            if (!rc && (p.care || p.special) && g->ncared < 64)
                g->cared[g->ncared++] = p.id;
            if (!rc && i == 0 && g->ncand < 4 && p.birth_date[0]) {
                int born = (int)strtol(p.birth_date, NULL, 10),
                    year = (int)(1970 + g->o->now / 31556952);
                if (year - born >= 25 && year - born <= 60) {
                    g->cand[g->ncand].id = p.id;
                    snprintf(g->cand[g->ncand].name, sizeof g->cand[0].name, "%s", p.name);
                    g->ncand++;
                }
            }
            wg_person_release(&p);
            if (rc != WG_ECONFLICT)
                break;
            wg_err_clear(err);
        }
        if (!rc)
            g->rep->persons++;
    }
    if (!rc) /* the head named once the members are there */
        rc = wg_household_store(g->db, g->keys, NULL, &hh, NULL, g->o->now, err);
out:
    wg_household_release(&hh);
    return rc;
}

/* A house's use in the shares a district reports (most lived in by their owners, one in
 * six let, some empty), and the household in it. */
static enum wg_rc fill_house(struct gen *g, const char *building, const char *unit, int floor,
                             const char *room, long *persons, struct wg_err *err)
{
    double u = wg_rng_uniform(&g->s);
    const char *use = u < 0.70   ? "owner_occupied"
                      : u < 0.86 ? "rented"
                      : u < 0.96 ? "empty"
                                 : "business";
    const struct kind *k = pick_kind(&g->s);
    struct wg_house_row h;
    enum wg_rc rc;
    if (!strcmp(use, "rented") && k->m[0].lo >= 58)
        k = &kinds[3]; /* tenants are rarely the elderly */
    if ((rc = make_house(g, building, unit, floor, room, use, !strcmp(use, "rented") ? k->n : 0, &h,
                         err)))
        return rc;
    if (strcmp(use, "owner_occupied") && strcmp(use, "rented"))
        return WG_OK;
    /* a household and its members in one transaction (buildings and houses keep their own) */
    if ((rc = wg_db_begin(g->db, err)))
        return rc;
    rc = make_household(g, &h, !strcmp(use, "rented") && chance(&g->s, 0.7), k, err);
    if (!rc)
        rc = wg_db_commit(g->db, err);
    if (rc)
        wg_db_rollback(g->db);
    *persons -= k->n;
    return rc;
}

/* The grid's branch under its village's committee (made with the village's first branch). */
static enum wg_rc party(struct gen *g, struct wg_err *err)
{
    struct wg_sample_party *p = &g->party;
    long long before;
    enum wg_rc rc;
    if (strcmp(g->committee_of, g->grid->village)) {
        snprintf(g->committee_of, sizeof g->committee_of, "%s", g->grid->village);
        g->committee = 0;
    }
    before = g->committee;
    p->grid = g->grid->code;
    p->grid_name = g->grid->name;
    p->village = g->grid->village;
    p->place = g->place;
    p->committee = &g->committee;
    if (!(rc = wg_sample_party(g->db, p, g->o->now, err)))
        g->rep->party_orgs += before ? 1 : 2;
    else if (!before)
        g->committee = 0; /* rolled back with the branch */
    return rc;
}

/* One grid: buildings until about `want` persons live in it. */
static enum wg_rc fill_grid(struct gen *g, long want, struct wg_err *err)
{
    enum wg_rc rc = place_names(g, err);
    g->nbuilding = g->nhousehold = 0;
    g->ncand = 0;
    g->first_building[0] = '\0';
    memset(&g->party, 0, sizeof g->party);
    g->ncared = 0;
    while (!rc && want > 0) {
        struct wg_building_row b;
        char room[16], unit[16];
        if (g->rural) { /* a courtyard house: one household */
            if (!(rc = make_building(g, between(&g->s, 1, 2), &b, err)))
                rc = fill_house(g, b.code, "", 1, "1", &want, err);
            continue;
        }
        int floors = between(&g->s, 5, 18), units = between(&g->s, 1, 3);
        if ((rc = make_building(g, floors, &b, err)))
            break;
        if (!g->first_building[0])
            snprintf(g->first_building, sizeof g->first_building, "%s", b.code);
        for (int un = 1; un <= units && !rc && want > 0; un++)
            for (int f = 1; f <= floors && !rc && want > 0; f++)
                for (int r = 1; r <= 2 && !rc; r++) {
                    snprintf(unit, sizeof unit, "%d单元", un);
                    snprintf(room, sizeof room, "%d%02d", f, r);
                    rc = fill_house(g, b.code, unit, f, room, &want, err);
                }
    }
    const char *worker =
        g->o->worker && g->o->worker_scope &&
                !strncmp(g->grid->code, g->o->worker_scope, strlen(g->o->worker_scope))
            ? g->o->worker
            : NULL;
    if (!rc) {
        struct wg_sample_team t = {g->grid->code, g->town, g->first_building, worker, g->cand,
                                   g->ncand,      0};
        if (!(rc = wg_sample_team(g->db, &g->s, &t, g->o->now, err)))
            g->rep->teams++;
    }
    if (!rc && g->party.nmembers)
        rc = party(g, err);
    if (!rc && worker && g->ncared) /* the demo grid worker's visits in their town */
        rc = wg_sample_visits(g->db, g->keys, &g->s, g->grid->code, worker, g->cared, g->ncared,
                              g->o->now, &g->rep->visits, err);
    return rc;
}

static enum wg_rc one_grid(struct gen *g, long want, struct wg_err *err)
{
    enum wg_rc rc = fill_grid(g, want, err);
    if (rc)
        wg_err_prefix(err, "grid %s", g->grid->code);
    return rc;
}

enum wg_rc wg_registry_sample(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_locator *loc, const struct wg_sample_opts *o,
                              struct wg_sample_report *rep, struct wg_err *err)
{
    struct grids gs = {0};
    struct gen g;
    memset(&g, 0, sizeof g);
    g.db = db, g.keys = keys, g.loc = loc, g.o = o, g.rep = rep, g.s = o->seed;
    if (o->worker) {
        struct wg_account_row a;
        struct wg_err e = {0};
        g.worker_account = !wg_store_account_get(db, o->worker, &a, &e);
    }
    struct wg_err e2 = {0};
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    if ((rc = wg_store_grid_each(db, o->county, collect, &gs, err)))
        return rc;
    if (!gs.n) {
        free(gs.v);
        return wg_err_set(err, WG_EINVAL, "county '%s' has no grids; generate its grids first",
                          o->county);
    }
    if ((rc = wg_db_set_durable(db, 0, err)))
        goto out;
    for (size_t i = 0; i < gs.n && !rc; i++) {
        /* grids differ: from half to one and a half times the mean */
        long mean = o->persons / (long)gs.n + 1;
        long want = mean / 2 + (long)(wg_rng_next(&g.s) % (uint64_t)(mean + 1));
        g.grid = &gs.v[i];
        rc = one_grid(&g, want, err);
        rep->grids++;
    }
    if (wg_db_set_durable(db, 1, &e2) && !rc)
        rc = wg_err_set(err, e2.rc, "%s", e2.msg);
out:
    free(gs.v);
    return rc;
}
