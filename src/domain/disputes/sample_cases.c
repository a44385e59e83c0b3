/* A year of generated dispute cases (sample_cases.h): each registered where a district
 * registers it — by the grid worker who found it on screening, at the village's committee, the
 * town's or the county's centre — taken by the body of its level, investigated, mediated in
 * sessions and agreed, performed, followed up and archived; a few refused, a few escalated up
 * the hourglass, the county referring what it cannot settle; every step a working time later
 * than the one before, as far as now allows. */
#include "domain/disputes/sample_cases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "domain/accounts/pii.h"
#include "domain/disputes/case_clock.h"
#include "domain/registry/sample.h"
#include "store/disputes/body_q.h"
#include "store/disputes/dispute_q.h"
#include "store/map/map_q.h"

#define N(a)  (sizeof(a) / sizeof((a)[0]))
#define DAY   450 /* working minutes */
#define MAXM  4   /* members kept of a body */
#define LEVEL WG_CASE_LEVEL_COUNT

/* A body as the generator gives cases to it: its id and some of its members. */
struct body_ref {
    long long id;
    char members[MAXM][64];
    int n;
};
struct village {
    char code[13], place[160];
    int town;
    struct body_ref committee;
};
struct town {
    char code[10], name[128];
    struct body_ref committee, police;
};
struct grid {
    char code[16];
    int village;
};

/* The county's own bodies: the centre, the trade bodies (by the type they serve), the court
 * desk, the studio and the lawyers' rota. */
enum { B_CENTRE, B_PROPERTY, B_LABOUR, B_MEDICAL, B_TRAFFIC, B_COURT, B_STUDIO, B_LAWYER, B_N };

struct gen {
    struct wg_db *db;
    const struct wg_case_env *env;
    const struct wg_case_sample_opts *o;
    struct wg_case_sample_report *rep;
    uint64_t s;
    struct wg_scope scope;
    struct town towns[64];
    int ntowns;
    struct village *villages;
    int nvillages, cap_villages;
    struct grid *grids;
    int ngrids, cap_grids;
    struct body_ref county[B_N];
};

/* One case under way. */
struct flow {
    long long id, version, t; /* t: the time of its last step */
    enum wg_case_level level;
    const struct grid *grid;
    const struct village *village;
    const struct town *town;
    const struct body_ref *body;
    const char *mediator; /* "" none */
    int type, risk, source, stopped;
    int agrees; /* this level's work ends in an agreement */
    int perf;   /* how the agreement is performed: common_performance's order (text) */
    char a[32], b[32];
    struct wg_case_words w;
};

static int chance(uint64_t *s, double p)
{
    return wg_rng_uniform(s) < p;
}

static int between(uint64_t *s, int lo, int hi)
{
    return lo + (int)(wg_rng_next(s) % (uint64_t)(hi - lo + 1));
}

static int pick(uint64_t *s, const int *w, int n)
{
    int total = 0, r;
    for (int i = 0; i < n; i++)
        total += w[i];
    r = (int)(wg_rng_next(s) % (uint64_t)total);
    for (int i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

/* ---- the district: towns, villages, grids and their bodies ---- */

static int on_town(const struct wg_region_row *r, void *ctx)
{
    struct gen *g = ctx;
    if (g->ntowns < (int)N(g->towns)) {
        struct town *t = &g->towns[g->ntowns++];
        memset(t, 0, sizeof *t);
        snprintf(t->code, sizeof t->code, "%s", r->code);
        snprintf(t->name, sizeof t->name, "%s", r->name);
    }
    return 0;
}

static int on_village(const struct wg_region_row *r, void *ctx)
{
    struct gen *g = ctx;
    if (g->nvillages == g->cap_villages) {
        g->cap_villages = g->cap_villages ? 2 * g->cap_villages : 256;
        g->villages = wg_realloc(g->villages, (size_t)g->cap_villages * sizeof *g->villages);
    }
    struct village *v = &g->villages[g->nvillages++];
    memset(v, 0, sizeof *v);
    snprintf(v->code, sizeof v->code, "%s", r->code);
    wg_case_sample_place(r->name, v->place, sizeof v->place);
    v->town = g->ntowns - 1; /* set by the caller's walk */
    return 0;
}

static int on_grid(const struct wg_grid_row *r, void *ctx)
{
    struct gen *g = ctx;
    if (strcmp(r->kind, "base"))
        return 0;
    int v = g->ngrids ? g->grids[g->ngrids - 1].village : 0;
    while (v < g->nvillages && strcmp(g->villages[v].code, r->village))
        v++;
    if (v >= g->nvillages)
        for (v = 0; v < g->nvillages && strcmp(g->villages[v].code, r->village); v++)
            ;
    if (v >= g->nvillages)
        return 0; /* a grid of no loaded village */
    if (g->ngrids == g->cap_grids) {
        g->cap_grids = g->cap_grids ? 2 * g->cap_grids : 1024;
        g->grids = wg_realloc(g->grids, (size_t)g->cap_grids * sizeof *g->grids);
    }
    snprintf(g->grids[g->ngrids].code, sizeof g->grids[0].code, "%s", r->code);
    g->grids[g->ngrids++].village = v;
    return 0;
}

static int on_member(const struct wg_body_member_row *m, void *ctx)
{
    struct body_ref *b = ctx;
    if (b->n < MAXM)
        snprintf(b->members[b->n++], sizeof b->members[0], "%s", m->username);
    return 0;
}

/* Where a stored body sits in the generator's map. */
static struct body_ref *slot_of(struct gen *g, const struct wg_body_row *b)
{
    static const char *const trades[] = {"物业", "劳动", "医疗", "交通"};
    if (!strcmp(b->kind, "county_centre") && !strcmp(b->region, g->o->county))
        return &g->county[B_CENTRE];
    for (int i = 0; !strcmp(b->kind, "trade") && i < 4; i++)
        if (strstr(b->name, trades[i]))
            return &g->county[B_PROPERTY + i];
    if (!strcmp(b->kind, "court_desk"))
        return &g->county[B_COURT];
    if (!strcmp(b->kind, "studio"))
        return &g->county[B_STUDIO];
    if (!strcmp(b->kind, "lawyer_rota"))
        return &g->county[B_LAWYER];
    for (int i = 0; i < g->ntowns; i++)
        if (!strcmp(b->region, g->towns[i].code))
            return !strcmp(b->kind, "town_committee") ? &g->towns[i].committee
                   : !strcmp(b->kind, "police_desk")  ? &g->towns[i].police
                                                      : NULL;
    for (int i = 0; !strcmp(b->kind, "village_committee") && i < g->nvillages; i++)
        if (!strcmp(b->region, g->villages[i].code))
            return &g->villages[i].committee;
    return NULL;
}

struct found {
    struct gen *g;
    long long ids[1024];
    struct body_ref *slots[1024];
    int n;
};

static int on_body(const struct wg_body_row *b, void *ctx)
{
    struct found *f = ctx;
    struct body_ref *slot = strncmp(b->region, f->g->o->county, 6) ? NULL : slot_of(f->g, b);
    if (slot && !slot->id && f->n < (int)N(f->ids)) {
        slot->id = b->id;
        f->ids[f->n] = b->id;
        f->slots[f->n++] = slot;
    }
    return 0;
}

static enum wg_rc load_district(struct gen *g, struct wg_err *err)
{
    enum wg_rc rc = wg_store_region_children(g->db, g->o->county, on_town, g, err);
    int ntowns = g->ntowns;
    g->ntowns = 0;
    for (int i = 0; !rc && i < ntowns; i++) {
        g->ntowns = i + 1;
        rc = wg_store_region_children(g->db, g->towns[i].code, on_village, g, err);
    }
    if (!rc)
        rc = wg_store_grid_each(g->db, g->o->county, on_grid, g, err);
    if (!rc && !g->ngrids)
        rc = wg_err_set(err, WG_EINVAL, "county '%s' has no grids; generate its grids first",
                        g->o->county);
    struct found *f = wg_calloc(1, sizeof *f);
    f->g = g;
    if (!rc)
        rc = wg_store_mediation_body_list(g->db, "", on_body, f, err);
    for (int i = 0; !rc && i < f->n; i++)
        rc = wg_store_mediation_members(g->db, f->ids[i], on_member, f->slots[i], err);
    free(f);
    return rc;
}

/* ---- the proportions (seed 000 and a working district's files) ---- */

/* wg_case_types' order: marriage_family, neighbours, house_land, damages, debt, contract,
 * labour, property, medical, traffic, land_taking, forest_land, pollution, other */
static const int type_w[] = {180, 250, 80, 60, 80, 50, 80, 100, 15, 40, 20, 20, 10, 15};
/* the amount involved, yuan: from, to (spread evenly on a log scale) */
static const int amount_lo[] = {2000, 300,  2000, 1000,  5000, 5000, 3000,
                                800,  5000, 2000, 10000, 1000, 1000, 500};
static const int amount_hi[] = {60000, 8000,   150000, 50000,  300000, 200000, 120000,
                                12000, 200000, 120000, 300000, 30000,  40000,  20000};
/* wg_case_risks' order: red, orange, yellow, green */
static const int risk_w[] = {2, 8, 30, 60};
/* wg_case_sources' order: screening, gridworker, order, walk_in, resident, court, police,
 * petition (none from orders here: those come with an order's line) */
static const int source_w[] = {35, 30, 0, 12, 8, 5, 6, 4};
/* where a case of each source is registered: grid, village, town, county (per hundred) */
static const int start_w[][LEVEL] = {
    {85, 15, 0, 0}, {90, 10, 0, 0},  {0, 100, 0, 0}, {0, 86, 11, 3},
    {20, 80, 0, 0}, {0, 30, 40, 30}, {0, 70, 30, 0}, {0, 40, 40, 20},
};
/* a case not settled at a level goes up one (per thousand), and the county refers some */
static const int escalate_pm[LEVEL] = {12, 10, 60, 0};
static const int refer_pm[LEVEL] = {1, 2, 20, 300};

/* Places in the county where it keeps its sessions, by level. */
static void session_place(struct gen *g, const struct flow *f, char *out, size_t n)
{
    static const char *const county[] = {"区矛盾纠纷调处中心综合调解室", "区群众诉求服务大厅调解室",
                                         "区矛盾纠纷调处中心第二调解室"};
    int u = between(&g->s, 0, 99);
    if (f->level == WG_CASE_GRID)
        snprintf(out, n, "%s", u < 45 ? "当事人家中" : u < 75 ? "网格驿站" : "纠纷现场");
    else if (f->level == WG_CASE_VILLAGE)
        snprintf(out, n, "%s%s", f->village->place,
                 u < 60                                    ? "调解室"
                 : strstr(f->village->place, "村") != NULL ? "村委会"
                                                           : "党群服务中心");
    else if (f->level == WG_CASE_TOWN)
        snprintf(out, n, "%s%s", f->town->name, u < 70 ? "人民调解委员会调解室" : "司法所");
    else
        snprintf(out, n, "%s", county[u % 3]);
}

/* A party: a name of their generation, a resident ID of the place they were first
 * registered (Lanshan mostly), a 154 phone (a few give none). */
static json_t *party(struct gen *g, const char *role, char who, char *name, size_t nsize)
{
    static const char *const elsewhere[] = {"371321", "371322", "371323", "371324",
                                            "371325", "371326", "371311", "370102"};
    int born = who == 'o' ? between(&g->s, 1940, 1958) : between(&g->s, 1955, 2002);
    int male = who == 'm' ? 1 : who == 'f' ? 0 : chance(&g->s, 0.55);
    int month = between(&g->s, 1, 12), day = between(&g->s, 1, 28);
    char id[20], phone[16];
    wg_sample_name(&g->s, born, male, name, nsize);
    snprintf(id, sizeof id, "%s%04d%02d%02d%03d",
             chance(&g->s, 0.85) ? "371302" : elsewhere[wg_rng_next(&g->s) % N(elsewhere)], born,
             month, day, between(&g->s, 0, 499) * 2 + male);
    id[17] = wg_pii_id_check_char(id);
    id[18] = '\0';
    snprintf(phone, sizeof phone, "154%08llu",
             (unsigned long long)(wg_rng_next(&g->s) % 100000000ull));
    json_t *p = json_pack("{s:s,s:s,s:s,s:s}", "role", role, "name", name, "id_type", "resident_id",
                          "id_number", id);
    if (!chance(&g->s, 0.04))
        json_object_set_new(p, "phone", json_string(phone));
    return p;
}

/* The new case's body as POST /api/v1/disputes takes it. */
static json_t *case_body(struct gen *g, struct flow *f)
{
    char desc[1200], third[32];
    double u = wg_rng_uniform(&g->s);
    long long lo = amount_lo[f->type], hi = amount_hi[f->type];
    long long yuan = (long long)exp(log((double)lo) + u * (log((double)hi) - log((double)lo)));
    yuan = yuan >= 10000 ? yuan / 1000 * 1000 : yuan / 100 * 100;
    json_t *parties = json_array();
    int story = (int)(wg_rng_next(&g->s) % 1000);
    char who[3];
    wg_case_sample_parties(wg_case_types[f->type], story, who);
    json_array_append_new(parties, party(g, "applicant", who[0], f->a, sizeof f->a));
    json_array_append_new(parties, party(g, "respondent", who[1], f->b, sizeof f->b));
    if (chance(&g->s, 0.12))
        json_array_append_new(parties, party(g, "third_party", '?', third, sizeof third));
    int people = (int)json_array_size(parties);
    if (!strcmp(wg_case_types[f->type], "labour") && chance(&g->s, 0.4))
        people += between(&g->s, 2, 14); /* wages owed to a crew */
    else if (chance(&g->s, 0.2))
        people += between(&g->s, 1, 4);
    f->w = (struct wg_case_words){wg_case_types[f->type], f->a, f->b, f->town->name,
                                  f->village->place,      yuan, story};
    wg_case_sample_text(&f->w, "desc", desc, sizeof desc);
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:s,s:o}", "source", wg_case_sources[f->source],
                     "type", wg_case_types[f->type], "risk", wg_case_risks[f->risk], "description",
                     desc, "amount", (json_int_t)yuan, "people", people, "grid", f->grid->code,
                     "parties", parties);
}

/* ---- steps ---- */

/* m working minutes after t (t itself when the calendar cannot say). */
static long long after(struct gen *g, long long t, int m)
{
    int64_t out = t;
    struct wg_err e = {0};
    if (wg_calendar_add_working_minutes(g->env->calendar, t, m, &out, &e))
        return t + (long long)m * 60;
    return out;
}

/* Who works a case at its level, and who decides for its body. */
static void worker(const struct gen *g, const struct flow *f, int decide, const char **actor,
                   enum wg_role_id *role)
{
    const char *mine = g->o->mediator_scope ? g->o->mediator_scope : "-";
    int my_town = !strncmp(f->grid->code, mine, strlen(mine));
    *role = WG_ROLE_MEDIATOR;
    if (f->level == WG_CASE_GRID && !decide) {
        *actor = "gridworker", *role = WG_ROLE_GRIDWORKER;
    } else if (f->level <= WG_CASE_VILLAGE) {
        *actor = my_town && g->o->mediator ? g->o->mediator : "community";
        if (!(my_town && g->o->mediator))
            *role = WG_ROLE_COMMUNITY;
    } else if (*f->mediator) {
        *actor = f->mediator;
    } else {
        *actor = "supervisor", *role = WG_ROLE_SUPERVISOR;
    }
}

/* Takes action at `at` by the level's worker (or decider), the body (owned) as the API takes
 * it; a time past now stops the case where it is. */
static enum wg_rc step_as(struct gen *g, struct flow *f, enum wg_case_action a, const char *actor,
                          enum wg_role_id role, json_t *body, long long at, struct wg_err *err)
{
    if (f->stopped || at > g->o->now) {
        f->stopped = 1;
        json_decref(body);
        return WG_OK;
    }
    if (at <= f->t)
        at = f->t + 60;
    struct wg_case_step s = {f->id, f->version, at, a, actor, role, &g->scope};
    enum wg_rc rc = wg_case_act(g->db, g->env, &s, body, err);
    json_decref(body);
    if (rc) {
        wg_err_prefix(err, "case %lld, %s", f->id, wg_case_action_name(a));
        return rc;
    }
    f->version++, f->t = at;
    g->rep->steps++;
    g->rep->accepts += a == WG_CASE_ACCEPT;
    return WG_OK;
}

static enum wg_rc step(struct gen *g, struct flow *f, enum wg_case_action a, int decide,
                       json_t *body, long long at, struct wg_err *err)
{
    const char *actor;
    enum wg_role_id role;
    worker(g, f, decide, &actor, &role);
    return step_as(g, f, a, actor, role, body, at, err);
}

/* {kind: text} of the case's words. */
static json_t *said(struct flow *f, const char *key, const char *kind, int pick)
{
    char text[1200];
    struct wg_case_words w = f->w;
    w.pick = pick;
    wg_case_sample_text(&w, kind, text, sizeof text);
    return json_pack("{s:s}", key, text);
}

/* The body of the case's level and, often, one of its members: the village's committee at the
 * grid and the village, the town's (or its police desk for the police's cases), and at the
 * county the trade body of the type, the court desk for the court's, the studio or the
 * lawyers' rota for some, else the centre. */
static void give_body(struct gen *g, struct flow *f)
{
    static const char *const trade_types[] = {"property", "labour", "medical", "traffic"};
    const struct body_ref *b = &g->county[B_CENTRE];
    const char *type = wg_case_types[f->type];
    if (f->level <= WG_CASE_VILLAGE)
        b = &f->village->committee;
    else if (f->level == WG_CASE_TOWN)
        b = !strcmp(wg_case_sources[f->source], "police") && f->town->police.id
                ? &f->town->police
                : &f->town->committee;
    else if (!strcmp(wg_case_sources[f->source], "court") && g->county[B_COURT].id)
        b = &g->county[B_COURT];
    else {
        for (int i = 0; i < 4; i++)
            if (!strcmp(type, trade_types[i]) && g->county[B_PROPERTY + i].id && chance(&g->s, 0.7))
                b = &g->county[B_PROPERTY + i];
        if (b == &g->county[B_CENTRE] && chance(&g->s, 0.15))
            b = g->county[B_STUDIO].id ? &g->county[B_STUDIO] : b;
        else if (b == &g->county[B_CENTRE] && chance(&g->s, 0.15))
            b = g->county[B_LAWYER].id ? &g->county[B_LAWYER] : b;
    }
    f->body = b->id ? b : NULL;
    /* the county's bodies name a mediator for each case, the committees for most */
    int named = b->n && (f->level == WG_CASE_COUNTY || chance(&g->s, 0.85));
    f->mediator = named ? b->members[wg_rng_next(&g->s) % (uint64_t)b->n] : "";
}

static json_t *accept_body(struct gen *g, struct flow *f)
{
    json_t *j = json_object();
    give_body(g, f);
    if (f->body)
        json_object_set_new(j, "body", json_integer(f->body->id));
    if (f->body && *f->mediator)
        json_object_set_new(j, "mediator", json_string(f->mediator));
    if (chance(&g->s, 0.3))
        json_object_set_new(
            j, "note",
            json_string(f->level == WG_CASE_GRID ? "网格员就地受理" : "符合受理条件，予以受理"));
    return j;
}

/* The attendees of a session: the mediator, the parties, and whoever a level brings. */
/* A name for someone of the staff, the same each time for the same key. */
static void staff_name(uint64_t key, char *out, size_t n)
{
    uint64_t s = key * WG_RNG_GOLDEN;
    int born = between(&s, 1965, 1992);
    wg_sample_name(&s, born, chance(&s, 0.5), out, n);
}

/* Who leads a session: the case's mediator by name, the grid's worker, or the committee's
 * chair. */
static void session_lead(const struct flow *f, char *out, size_t n)
{
    char name[32] = "";
    for (size_t i = 0; *f->mediator && i < wg_case_sample_nmediators; i++)
        if (!strcmp(f->mediator, wg_case_sample_mediators[i].username))
            snprintf(name, sizeof name, "%s", wg_case_sample_mediators[i].name);
    if (f->level == WG_CASE_GRID && !*f->mediator) {
        staff_name(strtoull(f->grid->code, NULL, 10), name, sizeof name);
        snprintf(out, n, "网格员%s", name);
        return;
    }
    if (!*name)
        staff_name((uint64_t)(f->body ? f->body->id : 1) * 31 + (*f->mediator != 0), name,
                   sizeof name);
    snprintf(out, n, "%s%s",
             *f->mediator || f->level == WG_CASE_COUNTY ? "人民调解员" : "调委会主任", name);
}

/* A session: its time, place (or online), who came and what was said — the story's record at
 * the last, an earlier round's before. */
static json_t *session_body(struct gen *g, struct flow *f, long long at, int last)
{
    static const char *const also[LEVEL][3] = {{"网格长", "楼长", "村（居）调委会委员"},
                                               {"村两委成员", "老党员", "法律明白人"},
                                               {"司法所工作人员", "派出所民警", "驻镇律师"},
                                               {"值班律师", "相关部门工作人员", "心理咨询师"}};
    char place[200], attendees[400], lead[64];
    session_lead(f, lead, sizeof lead);
    snprintf(attendees, sizeof attendees, "%s；申请人%s；被申请人%s；%s", lead, f->a, f->b,
             also[f->level][wg_rng_next(&g->s) % 3]);
    json_t *j = said(f, "record",
                     !last       ? "record_first"
                     : f->agrees ? "record"
                                 : "record_failed",
                     last && f->agrees ? f->w.pick : (int)(wg_rng_next(&g->s) % 3));
    json_object_set_new(j, "at", json_integer(at));
    json_object_set_new(j, "attendees", json_string(attendees));
    if (f->level >= WG_CASE_TOWN && chance(&g->s, 0.08)) {
        json_object_set_new(j, "online", json_true());
    } else {
        session_place(g, f, place, sizeof place);
        json_object_set_new(j, "place", json_string(place));
    }
    return j;
}

static json_t *agree_body(struct gen *g, struct flow *f)
{
    int oral = f->w.yuan < 5000 && f->level <= WG_CASE_VILLAGE && chance(&g->s, 0.6);
    char facts[1200], terms[1200], perf[600];
    wg_case_sample_text(&f->w, "facts", facts, sizeof facts);
    wg_case_sample_text(&f->w, "terms", terms, sizeof terms);
    struct wg_case_words w = f->w;
    w.pick = f->perf = (int)(wg_rng_next(&g->s) % 4);
    wg_case_sample_text(&w, "performance", perf, sizeof perf);
    return json_pack("{s:s,s:s,s:s,s:s}", "form", oral ? "oral" : "written", "facts", facts,
                     "terms", terms, "performance", perf);
}

/* A level's work on the case from its acceptance: investigation, mediation and its sessions,
 * and what ended it here (*out: 1 agreed, 2 referred, 3 escalated). A slow case runs past its
 * box and the centre supervises it. */
static enum wg_rc work_level(struct gen *g, struct flow *f, int *out, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    /* a few run past their box: more of the last weeks' still at work, as a desk has them */
    int recent = f->t > g->o->now - 30 * 86400LL;
    int slow = chance(&g->s, recent ? 0.3 : 0.06) ? (recent ? 6 : 3) : 0,
        sessions = f->level == WG_CASE_GRID ? 1 + chance(&g->s, 0.2)
                                            : between(&g->s, 1, f->level < 2 ? 2 : 3);
    int gap = f->level == WG_CASE_GRID ? DAY / 2 : DAY * (f->level + 1);
    long long t = f->t, clock = 0, due = 0;
    struct wg_err e = {0};
    wg_case_clock_level(g->env, f->level, t, &clock, &due, &e);
    *out = chance(&g->s, refer_pm[f->level] / 1000.0)      ? 2
           : chance(&g->s, escalate_pm[f->level] / 1000.0) ? 3
                                                           : 1;
    f->agrees = *out == 1 || (*out == 3 && f->level == WG_CASE_COUNTY);
    if (!f->agrees && sessions < 2) /* not settled here: tried twice at least */
        sessions = 2;
    if (chance(&g->s, f->level == WG_CASE_GRID ? 0.35 : 0.6) &&
        (rc = step(g, f, WG_CASE_INVESTIGATE, 0, said(f, "note", "investigate", f->w.pick),
                   t = after(g, t, between(&g->s, 30, gap)), err)))
        return rc;
    if ((rc = step(g, f, WG_CASE_MEDIATE, 0, said(f, "note", "mediate", f->w.pick),
                   t = after(g, t, between(&g->s, 20, gap)), err)))
        return rc;
    for (int i = 0; i < sessions && !rc; i++) {
        t = after(g, t, between(&g->s, i ? gap : 30, i ? 2 * gap : gap) * (slow ? slow : 1));
        if (slow && due && t > due && due + 3600 < g->o->now)
            rc = step_as(g, f, WG_CASE_SUPERVISE, "supervisor", WG_ROLE_SUPERVISOR,
                         said(f, "note", "supervise", i), due + 3600, err),
            slow = 0;
        if (!rc)
            rc = step(g, f, WG_CASE_SESSION, 0, session_body(g, f, t, i == sessions - 1),
                      after(g, t, 90), err);
    }
    t = after(g, t, between(&g->s, 95, 180));
    if (rc || *out == 1)
        return rc ? rc : step(g, f, WG_CASE_AGREE, 0, agree_body(g, f), t, err);
    if (*out == 3 && f->level < WG_CASE_COUNTY)
        return step(g, f, WG_CASE_ESCALATE, 0, said(f, "reason", "escalate", f->w.pick), t, err);
    const char *to = !strcmp(wg_case_types[f->type], "labour")          ? "arbitration"
                     : f->level == WG_CASE_COUNTY && chance(&g->s, 0.2) ? "petition"
                                                                        : "court";
    *out = 2;
    json_t *body = said(f, "reason", "refer", !strcmp(to, "court") ? 0 : to[0] == 'a' ? 1 : 2);
    json_object_set_new(body, "to", json_string(to));
    return step(g, f, WG_CASE_REFER, 1, body, t, err);
}

/* After the agreement: judicial confirmation for some written ones with money at stake
 * (applied for and decided within the 30 days), performance, the follow-up and the file
 * closed. */
static enum wg_rc after_agreement(struct gen *g, struct flow *f, struct wg_err *err)
{
    long long agreed = f->t, t;
    enum wg_rc rc = WG_OK;
    int confirm = f->w.yuan >= 20000 && f->level >= WG_CASE_VILLAGE && chance(&g->s, 0.3);
    const char *confirmer = *f->mediator ? f->mediator : "supervisor";
    enum wg_role_id crole = *f->mediator ? WG_ROLE_MEDIATOR : WG_ROLE_SUPERVISOR;
    /* as the agreement says: within ten days, at once, by instalments over three months, or
     * as agreed */
    long long performed = after(g, agreed,
                                f->perf == 0   ? between(&g->s, DAY, 8 * DAY)
                                : f->perf == 1 ? between(&g->s, 20, 120)
                                : f->perf == 2 ? between(&g->s, 55 * DAY, 64 * DAY)
                                               : between(&g->s, DAY, 15 * DAY));
    if (confirm) {
        t = after(g, agreed, between(&g->s, DAY, 6 * DAY));
        rc =
            step_as(g, f, WG_CASE_CONFIRM, confirmer, crole,
                    json_pack("{s:s,s:s}", "status", "applied", "court", "兰山区人民法院"), t, err);
        t = after(g, t, between(&g->s, 2 * DAY, 7 * DAY));
        if (!rc)
            rc = step_as(g, f, WG_CASE_CONFIRM, confirmer, crole,
                         json_pack("{s:s,s:s}", "status",
                                   chance(&g->s, 0.95) ? "confirmed" : "rejected", "court",
                                   "兰山区人民法院"),
                         t, err);
        g->rep->confirmed += !rc && !f->stopped;
        if (performed < t)
            performed = after(g, t, between(&g->s, 60, 5 * DAY));
    }
    if (rc || chance(&g->s, 0.02)) /* a few agreements still waiting to be performed */
        return rc;
    if ((rc =
             step(g, f, WG_CASE_PERFORM, 0, said(f, "note", "perform", f->w.pick), performed, err)))
        return rc;
    t = after(g, f->t, between(&g->s, 5 * DAY, 20 * DAY));
    int reached = !chance(&g->s, 0.04);
    json_t *fu =
        said(f, "note", reached ? "follow_up" : "follow_up_missed", (int)(wg_rng_next(&g->s) % 4));
    json_object_set_new(fu, "reached", json_boolean(reached));
    if ((rc = step(g, f, WG_CASE_FOLLOW_UP, 0, fu, t, err)))
        return rc;
    return step(g, f, WG_CASE_ARCHIVE, 1, said(f, "note", "archive", f->w.pick),
                after(g, f->t, between(&g->s, 60, 8 * DAY)), err);
}

/* From registration (or an escalation) on: accepted by the level's body, worked, and ended
 * there or taken up one level. */
static enum wg_rc through_levels(struct gen *g, struct flow *f, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    int urgent = f->risk <= 1, out = 0;
    while (!rc && !f->stopped) {
        int late = chance(&g->s, 0.04);
        int m = urgent                     ? between(&g->s, 20, 200)
                : f->level == WG_CASE_GRID ? between(&g->s, 10, 300)
                : late                     ? between(&g->s, 2 * DAY + 30, 4 * DAY)
                                           : between(&g->s, 40, 2 * DAY - 30);
        if ((rc = step(g, f, WG_CASE_ACCEPT, 0, accept_body(g, f), after(g, f->t, m), err)) ||
            (rc = work_level(g, f, &out, err)) || f->stopped)
            break;
        if (out == 3) {
            f->level++;
            continue;
        }
        g->rep->ended++;
        g->rep->ended_low += f->level <= WG_CASE_VILLAGE;
        if (out == 2) {
            g->rep->referred++;
            return step(g, f, WG_CASE_ARCHIVE, 1, said(f, "note", "archive", f->w.pick),
                        after(g, f->t, between(&g->s, DAY, 5 * DAY)), err);
        }
        g->rep->agreed++;
        return after_agreement(g, f, err);
    }
    return rc;
}

/* Why a case is not taken: already before a court, or a party will not be mediated — or, for
 * the types an authority decides, a matter for it. */
static int refusal(const struct flow *f)
{
    const char *type = wg_case_types[f->type];
    int authority =
        !strcmp(type, "pollution") || !strcmp(type, "land_taking") || !strcmp(type, "property");
    return authority && f->w.pick % 3 == 0 ? 2 : f->w.pick % 2;
}

/* Case i, registered at t: where, what, whose, by whom, and its course as far as now. */
static enum wg_rc one_case(struct gen *g, long long t, struct wg_err *err)
{
    struct flow f;
    struct wg_case c;
    char number[40];
    memset(&f, 0, sizeof f);
    f.grid = &g->grids[wg_rng_next(&g->s) % (uint64_t)g->ngrids];
    f.village = &g->villages[f.grid->village];
    f.town = &g->towns[f.village->town];
    f.mediator = "";
    f.type = pick(&g->s, type_w, (int)N(type_w));
    f.risk = pick(&g->s, risk_w, 4);
    f.source = pick(&g->s, source_w, (int)N(source_w));
    f.level = (enum wg_case_level)pick(&g->s, start_w[f.source], LEVEL);
    json_t *body = case_body(g, &f);
    enum wg_rc rc = wg_case_apply(&c, body, err);
    json_decref(body);
    if (rc)
        return rc;
    const char *actor;
    enum wg_role_id role;
    worker(g, &f, 0, &actor, &role);
    struct wg_case_by by = {actor, role, &g->scope, f.level};
    rc = wg_case_create(g->db, g->env, &c, &by, t, &f.id, number, NULL, err);
    wg_case_release(&c);
    if (rc)
        return rc;
    f.version = 1, f.t = t;
    g->rep->cases++, g->rep->types[f.type]++, g->rep->risks[f.risk]++, g->rep->sources[f.source]++;
    if (f.risk == 0 && (rc = step_as(g, &f, WG_CASE_TAKE, "leader", WG_ROLE_LEADER,
                                     said(&f, "note", "take", f.w.pick),
                                     after(g, t, between(&g->s, 10, 90)), err)))
        return rc;
    int refuse = chance(&g->s, f.source >= 3 ? 0.05 : 0.01);
    if (refuse) {
        rc = step(g, &f, WG_CASE_REFUSE, 1, said(&f, "reason", "refuse", refusal(&f)),
                  after(g, f.t, between(&g->s, 60, DAY)), err);
        g->rep->refused += !f.stopped;
    } else {
        rc = through_levels(g, &f, err);
    }
    g->rep->open += f.stopped;
    return rc;
}

static int by_time(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Whether the county holds a case already. */
static int on_any(const struct wg_dispute_row *r, void *ctx)
{
    (void)r;
    *(int *)ctx = 1;
    return 1;
}

static int on_centre(const struct wg_body_row *b, void *ctx)
{
    (void)b;
    *(int *)ctx = 1;
    return 1;
}

enum wg_rc wg_case_sample(struct wg_db *db, const struct wg_case_env *env,
                          const struct wg_case_sample_opts *o, struct wg_case_sample_report *rep,
                          struct wg_err *err)
{
    struct gen *g = wg_calloc(1, sizeof *g);
    char hi[8];
    int any = 0;
    long long *times = NULL;
    snprintf(hi, sizeof hi, "%.5s%c", o->county, o->county[5] + 1);
    struct wg_dispute_filter df = {o->county, hi, "", "", "", "", 0};
    memset(rep, 0, sizeof *rep);
    g->db = db, g->env = env, g->o = o, g->rep = rep, g->s = o->seed;
    snprintf(g->scope.kind, sizeof g->scope.kind, "region");
    snprintf(g->scope.code, sizeof g->scope.code, "%s", o->county);
    enum wg_rc rc = wg_store_dispute_list(db, &df, 0, INT64_MAX, INT64_MAX, 1, on_any, &any, err);
    if (rc || any)
        goto out;
    if ((rc = wg_store_mediation_body_list(db, "county_centre", on_centre, &any, err)))
        goto out;
    if (!any && (rc = wg_case_sample_bodies(db, env->keys, o, &rep->bodies, &rep->members, err)))
        goto out;
    if ((rc = load_district(g, err)) || (rc = wg_db_set_durable(db, 0, err)))
        goto out;
    /* the registrations spread over the days, each at a working minute, oldest first */
    times = wg_calloc((size_t)o->cases, sizeof *times);
    for (int i = 0; i < o->cases; i++)
        times[i] = after(g, o->now - (long long)(wg_rng_uniform(&g->s) * o->days * 86400.0),
                         1 + between(&g->s, 0, DAY - 2));
    qsort(times, (size_t)o->cases, sizeof *times, by_time);
    for (int i = 0; i < o->cases && !rc; i++)
        if (times[i] < o->now)
            rc = one_case(g, times[i], err);
    struct wg_err e2 = {0};
    if (wg_db_set_durable(db, 1, &e2) && !rc)
        rc = wg_err_set(err, e2.rc, "%s", e2.msg);
out:
    free(times);
    free(g->villages);
    free(g->grids);
    free(g);
    return rc;
}
