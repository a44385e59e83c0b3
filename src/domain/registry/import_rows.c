/* The registry's importable entities (import.h): each a column table and a row handler that
 * matches the row to a stored record by its key — a person by the blind index of the ID
 * document, a household by its number, a building by its code, a house by its building,
 * unit and room — and checks and stores it with the single-record routes' own functions. */
#include "domain/registry/import.h"

#include <sodium.h>

#include "core/alloc.h"
#include "domain/registry/building.h"
#include "domain/registry/person.h"
#include "store/registry/registry_q.h"
#include "store/registry/visit_q.h"

/* ---- persons ---- */

static const char *const id_types[] = {"居民身份证", "resident_id", "身份证", "resident_id", "护照",
                                       "passport",   "其他",        "other",  NULL};
static const char *const genders[] = {"男", "male", "女", "female", NULL};
static const char *const residences[] = {
    "户籍",     "registered", "户籍人口", "registered", "流动",     "floating", "流动人口",
    "floating", "境外",       "overseas", "境外人员",   "overseas", NULL};
static const char *const politicals[] = {
    "中共党员", "party_member", "中共预备党员", "probationary", "共青团员", "league_member",
    "民主党派", "other_party",  "群众",         "masses",       NULL};
static const char *const cares[] = {
    "独居老人", "alone",    "空巢老人",          "empty_nest", "高龄老人",
    "over80",   "留守儿童", "left_behind_child", "留守老人",   "left_behind_elderly",
    "残疾人",   "disabled", "困难家庭",          "hardship",   NULL};
static const char *const specials[] = {
    "刑满释放人员",     "released", "社区矫正人员", "correction", "吸毒人员", "drug",
    "严重精神障碍患者", "mental",   "重点青少年",   "key_youth",  NULL};

static const struct wg_import_column person_columns[] = {
    {"id_type", "证件类型", WG_IMPORT_TEXT, 0, id_types},
    {"id_number", "证件号码", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"name", "姓名", WG_IMPORT_TEXT, 0, NULL},
    {"gender", "性别", WG_IMPORT_TEXT, 0, genders},
    {"birth_date", "出生日期", WG_IMPORT_DATE, 0, NULL},
    {"phone", "联系电话", WG_IMPORT_TEXT, 0, NULL},
    {"residence", "人口类型", WG_IMPORT_TEXT, 0, residences},
    {"political", "政治面貌", WG_IMPORT_TEXT, 0, politicals},
    {"grid", "网格编码", WG_IMPORT_TEXT, 0, NULL},
    {"care", "关爱对象", WG_IMPORT_LIST, 0, cares},
    /* the special populations: an empty cell leaves them be, as one without the grant
     * cannot see them to keep them */
    {"special", "特殊人群", WG_IMPORT_LIST, WG_IMPORT_EMPTY_KEEPS, specials},
    {"mental_risk", "风险等级", WG_IMPORT_INT, WG_IMPORT_EMPTY_KEEPS, NULL},
    {"household", "户号", WG_IMPORT_TEXT, 0, NULL},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

/* A household number in body[key] → the household's id; WG_EINVAL naming key when none. */
static enum wg_rc household_ref(struct wg_import_ctx *c, json_t *body, const char *key,
                                struct wg_err *err)
{
    const char *number = json_string_value(json_object_get(body, key));
    long long id = 0;
    enum wg_rc rc;
    if (!number)
        return WG_OK;
    if ((rc = wg_store_household_by_number(c->db, number, &id, err)) && rc != WG_ENOTFOUND)
        return rc;
    if (!id)
        return wg_err_set(err, WG_EINVAL, "'%s': household '%.64s' does not exist", key, number);
    json_object_set_new(body, key, json_integer(id));
    return WG_OK;
}

static int text_same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static int person_same(const struct wg_person *a, const struct wg_person *b)
{
    return !strcmp(a->id_type, b->id_type) && text_same(a->id_number, b->id_number) &&
           text_same(a->name, b->name) && text_same(a->phone, b->phone) &&
           !strcmp(a->gender, b->gender) && !strcmp(a->birth_date, b->birth_date) &&
           !strcmp(a->residence, b->residence) && !strcmp(a->political, b->political) &&
           !strcmp(a->grid, b->grid) && a->care == b->care && a->special == b->special &&
           a->mental_risk == b->mental_risk && a->household == b->household;
}

/* A copy of p owning its own clear fields (wg_person_release it). */
static void person_copy(struct wg_person *dst, const struct wg_person *src)
{
    *dst = *src;
    dst->id_number = wg_strdup(src->id_number ? src->id_number : "");
    dst->name = wg_strdup(src->name ? src->name : "");
    dst->phone = wg_strdup(src->phone ? src->phone : "");
}

/* The blind index of the ID document a row names, as wg_person_apply would read it: the
 * record the row matches, found before the row is checked whole, so that a file of a few
 * columns changes those of a recorded person. */
static enum wg_rc body_blind(const struct wg_import_ctx *c, json_t *body,
                             char blind[WG_PII_BLIND_HEX], struct wg_err *err)
{
    struct wg_person p;
    const char *type = json_string_value(json_object_get(body, "id_type"));
    const char *number = json_string_value(json_object_get(body, "id_number"));
    if (!number)
        return wg_err_set(err, WG_EINVAL, "'id_number' is required");
    memset(&p, 0, sizeof p);
    snprintf(p.id_type, sizeof p.id_type, "%s", type ? type : "resident_id");
    p.id_number = (char *)number;
    return wg_person_id_blind(c->keys, &p, blind, err);
}

/* What a row's body gives without the store, worked out ahead (the import's prepare step):
 * the ID document's blind index and its claim in the file, and for a new person the person
 * the body makes and its sealed form (not for a body with a household number, which the
 * store turns into an id before the person is made). */
struct person_prep {
    enum wg_rc blind_rc;
    char blind[WG_PII_BLIND_HEX];
    enum wg_rc claim_rc; /* when !blind_rc: the blind index claimed for this row */
    struct wg_err claim_err;
    int likely_new; /* stored without a look first (see person_row) */
    int made;       /* p, made_rc and sealed are set */
    enum wg_rc made_rc;
    struct wg_err made_err;
    struct wg_person p;
    struct wg_person_sealed *sealed; /* NULL when made_rc */
};

static void person_prep_free(void *arg)
{
    struct person_prep *pp = arg;
    if (!pp)
        return;
    wg_person_release(&pp->p);
    wg_person_sealed_free(pp->sealed);
    sodium_memzero(pp, sizeof *pp);
    free(pp);
}

/* Whether p's ID document is the one body_blind read from body (so its blind index too). */
static int same_document(json_t *body, const struct wg_person *p)
{
    const char *type = json_string_value(json_object_get(body, "id_type"));
    const char *number = json_string_value(json_object_get(body, "id_number"));
    return number && p->id_number && !strcmp(p->id_type, type ? type : "resident_id") &&
           !strcmp(p->id_number, number);
}

static void *person_prepare(const struct wg_import_ctx *c, json_t *body, size_t row, int likely_new,
                            int make_here)
{
    struct person_prep *pp = wg_calloc(1, sizeof *pp);
    struct wg_err err = {0};
    pp->blind_rc = body_blind(c, body, pp->blind, &err);
    if (!pp->blind_rc)
        pp->claim_rc = wg_import_claim_row(c, row, pp->blind, "id_number", &pp->claim_err);
    if (!likely_new || json_string_value(json_object_get(body, "household")))
        return pp;
    pp->likely_new = 1;
    if (!make_here)
        return pp;
    pp->made = 1;
    pp->made_rc = wg_person_apply(&pp->p, body, c->sensitive, c->now, &pp->made_err);
    if (!pp->made_rc)
        pp->sealed = wg_person_seal(
            c->keys, &pp->p, !pp->blind_rc && same_document(body, &pp->p) ? pp->blind : NULL);
    return pp;
}

/* A new person from the row: made and sealed here into *p, or taken as the prepare step made
 * it (pp->made: *p borrows pp's fields, which stay pp's, released with it on the thread that
 * made them, and is left empty). The caller releases *p either way. blind: the row's ID
 * blind index, "" when the row gave none; looked_up: no person has it. */
static enum wg_rc person_new(struct wg_import_ctx *c, json_t *body, struct person_prep *pp,
                             struct wg_person *p, char blind[WG_PII_BLIND_HEX], int looked_up,
                             struct wg_err *err)
{
    struct wg_person_sealed *own = NULL;
    int lent = pp && pp->made;
    enum wg_rc rc;
    if (lent) {
        if ((rc = pp->made_rc)) {
            *err = pp->made_err;
            return rc;
        }
        *p = pp->p;
    } else if ((rc = wg_person_apply(p, body, c->sensitive, c->now, err))) {
        return rc;
    }
    /* no blind index from the body, but a person from it: its claim is made here unless
     * the row was prepared (the prepare step claims a row's keys, or none); a second row of
     * the same person then meets the store's refusal instead */
    if (!blind[0] && ((rc = wg_person_id_blind(c->keys, p, blind, err)) ||
                      (!pp && (rc = wg_import_claim(c, blind, "id_number", err)))))
        goto out;
    if (!lent)
        own = wg_person_seal(c->keys, p, looked_up && same_document(body, p) ? blind : NULL);
    rc = wg_person_create_sealed(c->db, c->scope, p, own ? own : pp->sealed,
                                 looked_up ? blind : NULL, c->now, err);
    wg_person_sealed_free(own);
    if (!rc) {
        if (!c->made_first)
            c->made_first = p->id;
        c->made_last = p->id;
    }
out:
    if (lent)
        memset(p, 0, sizeof *p); /* pp's fields */
    return rc;
}

static enum wg_rc person_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                             struct wg_err *err)
{
    struct person_prep *pp = c->prepared;
    struct wg_person p, cur, old;
    char blind[WG_PII_BLIND_HEX];
    long long id = 0;
    int looked_up = 0;
    enum wg_rc rc;
    memset(&p, 0, sizeof p);
    memset(&cur, 0, sizeof cur);
    memset(&old, 0, sizeof old);
    if ((rc = household_ref(c, body, "household", err)))
        goto out;
    if (pp ? (memcpy(blind, pp->blind, sizeof blind), !pp->blind_rc)
           : !body_blind(c, body, blind, err)) {
        if (pp ? (rc = pp->claim_rc) != WG_OK
               : (rc = wg_import_claim(c, blind, "id_number", err)) != WG_OK) {
            if (pp)
                *err = pp->claim_err;
            goto out;
        }
        if (pp && pp->likely_new && !(pp->made && pp->made_rc)) {
            /* likely new (made and sealed ahead, or here): stored without a look first,
             * since the store refuses a second person with the ID; when that or anything
             * else fails, nothing is written and the row goes the careful way below */
            struct wg_err fast = {0};
            int made = !person_new(c, body, pp, &p, blind, 1, &fast);
            wg_person_release(&p);
            if (made) {
                *out = WG_IMPORT_CREATED;
                goto out;
            }
            pp->made = 0;
        }
        if ((rc = wg_store_person_by_id_blind(c->db, blind, &id, err)))
            goto out;
        looked_up = 1;
    } else {
        /* not an ID number at all: the checks below say what is wrong with it */
        wg_err_clear(err);
        blind[0] = '\0';
    }
    if (!id) {
        *out = WG_IMPORT_CREATED;
        rc = person_new(c, body, pp, &p, blind, looked_up, err);
        goto out;
    }
    rc = wg_person_load(c->db, c->keys, c->scope, id, &cur, err);
    if (rc == WG_ENOTFOUND) {
        rc = wg_err_set(err, WG_ECONFLICT,
                        "'id_number': this person is recorded in a grid outside your scope");
        goto out;
    }
    if (rc)
        goto out;
    person_copy(&old, &cur);
    if ((rc = wg_person_apply(&cur, body, c->sensitive, c->now, err)))
        goto out;
    if (person_same(&cur, &old)) {
        *out = WG_IMPORT_UNCHANGED;
        goto out;
    }
    *out = WG_IMPORT_UPDATED;
    rc = wg_person_update(c->db, c->keys, c->scope, &cur, c->now, err);
out:
    wg_person_release(&p);
    wg_person_release(&cur);
    wg_person_release(&old);
    sodium_memzero(blind, sizeof blind);
    return rc;
}

/* The persons made get their visit due days marked at once (wg_person_create_sealed leaves
 * them): one statement over their ids instead of one a row. */
static enum wg_rc persons_finish(struct wg_import_ctx *c, struct wg_err *err)
{
    if (!c->made_first)
        return WG_OK;
    return wg_store_visit_due_touch_ids(c->db, c->made_first - 1, c->made_last, err);
}

const struct wg_import_entity wg_import_persons = {
    "person", person_columns, person_row, person_prepare, person_prep_free, persons_finish};

/* ---- households ---- */

static const struct wg_import_column household_columns[] = {
    {"number", "户号", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"grid", "网格编码", WG_IMPORT_TEXT, 0, NULL},
    {"address", "地址", WG_IMPORT_TEXT, 0, NULL},
    {"worker", "联系网格员", WG_IMPORT_TEXT, 0, NULL},
    {"head", "户主证件号码", WG_IMPORT_TEXT, 0, NULL},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

/* The head's resident ID number → the person's id. */
static enum wg_rc head_ref(struct wg_import_ctx *c, json_t *body, struct wg_err *err)
{
    const char *number = json_string_value(json_object_get(body, "head"));
    struct wg_person p;
    char blind[WG_PII_BLIND_HEX];
    long long id = 0;
    enum wg_rc rc;
    if (!number)
        return WG_OK;
    memset(&p, 0, sizeof p);
    snprintf(p.id_type, sizeof p.id_type, "resident_id");
    p.id_number = (char *)number;
    rc = wg_person_id_blind(c->keys, &p, blind, err);
    if (rc) {
        wg_err_prefix(err, "'head'");
        return rc;
    }
    if ((rc = wg_store_person_by_id_blind(c->db, blind, &id, err)))
        return rc;
    if (!id)
        return wg_err_set(err, WG_EINVAL,
                          "'head': no person with this ID number is recorded; import the "
                          "persons first");
    json_object_set_new(body, "head", json_integer(id));
    return WG_OK;
}

static int household_same(const struct wg_household *a, const struct wg_household *b)
{
    return !strcmp(a->number, b->number) && !strcmp(a->grid, b->grid) &&
           text_same(a->address, b->address) && a->head == b->head && !strcmp(a->worker, b->worker);
}

static enum wg_rc household_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                                struct wg_err *err)
{
    struct wg_household h, old;
    json_t *members = NULL;
    long long id = 0;
    enum wg_rc rc;
    memset(&h, 0, sizeof h);
    memset(&old, 0, sizeof old);
    const char *number = json_string_value(json_object_get(body, "number"));
    if (!number)
        return wg_err_set(err, WG_EINVAL, "'number' is required");
    if ((rc = wg_import_claim(c, number, "number", err)) || (rc = head_ref(c, body, err)))
        return rc;
    if ((rc = wg_store_household_by_number(c->db, number, &id, err)) && rc != WG_ENOTFOUND)
        return rc;
    if (id) {
        rc = wg_household_load(c->db, c->keys, c->scope, id, &h, err);
        if (rc == WG_ENOTFOUND)
            rc = wg_err_set(err, WG_ECONFLICT,
                            "'number': household '%.64s' is in a grid outside your scope", number);
        if (rc || (rc = wg_household_load(c->db, c->keys, c->scope, id, &old, err)))
            goto out;
    }
    if ((rc = wg_household_apply(&h, body, &members, err)))
        goto out;
    if (id && household_same(&h, &old)) {
        *out = WG_IMPORT_UNCHANGED;
        goto out;
    }
    *out = id ? WG_IMPORT_UPDATED : WG_IMPORT_CREATED;
    rc = wg_household_store(c->db, c->keys, c->scope, &h, NULL, c->now, err);
out:
    wg_household_release(&h);
    if (id)
        wg_household_release(&old);
    return rc;
}

const struct wg_import_entity wg_import_households = {
    "household", household_columns, household_row, NULL, NULL, NULL};

/* ---- buildings ---- */

static const char *const building_uses[] = {
    "住宅",   "residential", "商业",       "commercial", "商住",   "mixed", "办公",
    "office", "工业",        "industrial", "公共",       "public", NULL};

static const struct wg_import_column building_columns[] = {
    {"code", "建筑编码", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"name", "建筑名称", WG_IMPORT_TEXT, 0, NULL},
    {"grid", "网格编码", WG_IMPORT_TEXT, 0, NULL},
    {"address", "标准地址", WG_IMPORT_TEXT, 0, NULL},
    {"lon", "经度", WG_IMPORT_NUMBER, 0, NULL},
    {"lat", "纬度", WG_IMPORT_NUMBER, 0, NULL},
    {"floors", "地上层数", WG_IMPORT_INT, WG_IMPORT_EMPTY_KEEPS, NULL},
    {"use", "用途", WG_IMPORT_TEXT, WG_IMPORT_EMPTY_KEEPS, building_uses},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

static int building_same(const struct wg_building_row *a, const struct wg_building_row *b)
{
    return !strcmp(a->name, b->name) && !strcmp(a->grid, b->grid) &&
           !strcmp(a->address, b->address) && a->has_point == b->has_point &&
           (!a->has_point || (a->lon == b->lon && a->lat == b->lat)) && a->floors == b->floors &&
           !strcmp(a->use, b->use);
}

static enum wg_rc building_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                               struct wg_err *err)
{
    struct wg_building_row b, now_b, done;
    const char *code = json_string_value(json_object_get(body, "code"));
    enum wg_rc rc;
    if (!code)
        return wg_err_set(err, WG_EINVAL, "'code' is required");
    if ((rc = wg_import_claim(c, code, "code", err)))
        return rc;
    rc = wg_building_get(c->db, c->scope, code, &b, err);
    if (rc == WG_ENOTFOUND) {
        wg_err_clear(err);
        *out = WG_IMPORT_CREATED;
        return wg_building_create(c->db, c->loc, c->scope, body, c->now, &done, err);
    }
    if (rc)
        return rc;
    /* what the route's change would make of it (building.c's wg_building_update) */
    now_b = b;
    if ((rc = wg_building_apply(body, 0, &now_b, err)))
        return rc;
    if (json_object_get(body, "lon") && now_b.has_point && !json_object_get(body, "grid"))
        now_b.grid[0] = '\0';
    if ((rc = wg_building_check(c->db, c->loc, c->scope, &now_b, err)))
        return rc;
    if (building_same(&now_b, &b)) {
        *out = WG_IMPORT_UNCHANGED;
        return WG_OK;
    }
    *out = WG_IMPORT_UPDATED;
    return wg_building_update(c->db, c->loc, c->scope, code, b.version, body, c->now, &done, err);
}

const struct wg_import_entity wg_import_buildings = {
    "building", building_columns, building_row, NULL, NULL, NULL};

/* ---- houses ---- */

static const char *const house_uses[] = {"自住",  "owner_occupied", "出租",     "rented", "空置",
                                         "empty", "经营",           "business", NULL};

static const struct wg_import_column house_columns[] = {
    {"building", "建筑编码", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"unit", "单元", WG_IMPORT_TEXT, 0, NULL},
    {"floor", "楼层", WG_IMPORT_INT, WG_IMPORT_EMPTY_KEEPS, NULL},
    {"room", "房号", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"address", "地址", WG_IMPORT_TEXT, 0, NULL},
    {"use", "用途", WG_IMPORT_TEXT, WG_IMPORT_EMPTY_KEEPS, house_uses},
    {"tenants", "租户人数", WG_IMPORT_INT, WG_IMPORT_EMPTY_KEEPS, NULL},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

struct house_find {
    const char *unit, *room;
    struct wg_house_row found;
    int n;
    long long last;
};

static int house_match(const struct wg_house_row *h, void *ctx)
{
    struct house_find *f = ctx;
    f->n++;
    f->last = h->id;
    if (!strcmp(h->unit, f->unit) && !strcmp(h->room, f->room))
        f->found = *h;
    return 0;
}

/* The house of building b with this unit and room (found->id 0: none). */
static enum wg_rc house_find(struct wg_db *db, const char *building, struct house_find *f,
                             struct wg_err *err)
{
    enum wg_rc rc;
    f->last = 0;
    do {
        f->n = 0;
        rc = wg_store_house_list(db, building, f->last, 500, house_match, f, err);
    } while (!rc && f->n == 500 && !f->found.id);
    return rc;
}

static int house_same(const struct wg_house_row *a, const struct wg_house_row *b)
{
    return !strcmp(a->unit, b->unit) && a->floor == b->floor && !strcmp(a->room, b->room) &&
           !strcmp(a->address, b->address) && !strcmp(a->use, b->use) && a->tenants == b->tenants;
}

static enum wg_rc house_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                            struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_house_row now_h, done;
    struct house_find f;
    char key[160], building[WG_BUILDING_CODE_MAX + 1];
    enum wg_rc rc;
    const char *code = json_string_value(json_object_get(body, "building"));
    if (!code)
        return wg_err_set(err, WG_EINVAL, "'building' is required");
    snprintf(building, sizeof building, "%s", code);
    json_object_del(body, "building");
    memset(&f, 0, sizeof f);
    f.unit = json_string_value(json_object_get(body, "unit"));
    f.room = json_string_value(json_object_get(body, "room"));
    if (!f.unit)
        f.unit = "";
    if (!f.room)
        return wg_err_set(err, WG_EINVAL, "'room' is required");
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s", building, f.unit, f.room);
    if ((rc = wg_import_claim(c, key, "room", err)))
        return rc;
    rc = wg_building_get(c->db, c->scope, building, &b, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'building': '%.40s' does not exist", building);
    if (rc || (rc = house_find(c->db, building, &f, err)))
        return rc;
    if (!f.found.id) {
        *out = WG_IMPORT_CREATED;
        return wg_house_create(c->db, c->scope, building, body, c->now, &done, err);
    }
    now_h = f.found;
    if ((rc = wg_house_apply(body, &now_h, err)) || (rc = wg_house_check(&b, &now_h, err)))
        return rc;
    if (house_same(&now_h, &f.found)) {
        *out = WG_IMPORT_UNCHANGED;
        return WG_OK;
    }
    *out = WG_IMPORT_UPDATED;
    return wg_house_update(c->db, c->scope, f.found.id, f.found.version, body, c->now, &done, err);
}

const struct wg_import_entity wg_import_houses = {"house", house_columns, house_row,
                                                  NULL,    NULL,          NULL};
