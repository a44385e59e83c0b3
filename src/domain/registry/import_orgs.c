/* Imports and exports of the registry's organizations and things (import.h): each row the
 * body of POST /api/v1/orgs or /api/v1/things, matched by its credit code or thing code. */
#include "domain/registry/import.h"

#include "domain/registry/org.h"
#include "domain/registry/thing.h"
#include "store/registry/orgs_q.h"

/* ---- organizations ---- */

static const char *const org_kinds[] = {"企业",
                                        "enterprise",
                                        "个体工商户",
                                        "individual_business",
                                        "社会组织",
                                        "social_organization",
                                        "学校",
                                        "school",
                                        "医院",
                                        "hospital",
                                        "机关事业单位",
                                        "public_institution",
                                        "党组织",
                                        "party_organization",
                                        "物业公司",
                                        "property_company",
                                        "其他",
                                        "other",
                                        NULL};
static const char *const org_hazards[] = {"危险化学品",
                                          "hazardous_chemicals",
                                          "人员密集场所",
                                          "crowded_place",
                                          "消防重点单位",
                                          "fire_key_unit",
                                          "燃气用户",
                                          "gas_user",
                                          "建筑工地",
                                          "construction_site",
                                          "有限空间",
                                          "confined_space",
                                          "特种设备",
                                          "special_equipment",
                                          NULL};

static const struct wg_import_column org_columns[] = {
    {"credit_code", "统一社会信用代码", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"name", "名称", WG_IMPORT_TEXT, 0, NULL},
    {"kind", "类型", WG_IMPORT_TEXT, WG_IMPORT_EMPTY_KEEPS, org_kinds},
    {"person_name", "负责人", WG_IMPORT_TEXT, 0, NULL},
    {"person_phone", "负责人电话", WG_IMPORT_TEXT, 0, NULL},
    {"grid", "网格编码", WG_IMPORT_TEXT, 0, NULL},
    {"building", "所在建筑", WG_IMPORT_TEXT, 0, NULL},
    {"address", "地址", WG_IMPORT_TEXT, 0, NULL},
    {"lon", "经度", WG_IMPORT_NUMBER, 0, NULL},
    {"lat", "纬度", WG_IMPORT_NUMBER, 0, NULL},
    {"hazards", "隐患标志", WG_IMPORT_LIST, 0, org_hazards},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

static int org_same(const struct wg_org *a, const struct wg_org *b)
{
    return !strcmp(a->name, b->name) && !strcmp(a->kind, b->kind) &&
           !strcmp(a->person_name, b->person_name) && !strcmp(a->person_phone, b->person_phone) &&
           !strcmp(a->grid, b->grid) && !strcmp(a->building, b->building) &&
           !strcmp(a->address, b->address) && a->has_point == b->has_point &&
           (!a->has_point || (a->lon == b->lon && a->lat == b->lat)) && a->hazards == b->hazards;
}

static enum wg_rc org_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                          struct wg_err *err)
{
    const char *code = json_string_value(json_object_get(body, "credit_code"));
    struct wg_org before, after;
    long long id = 0;
    enum wg_rc rc;
    if (!code)
        return wg_err_set(err, WG_EINVAL, "'credit_code' is required");
    if ((rc = wg_import_claim(c, code, "credit_code", err)) ||
        (rc = wg_store_org_by_code(c->db, code, &id, err)))
        return rc;
    memset(&after, 0, sizeof after);
    if (!id) { /* new: as POST /api/v1/orgs makes one */
        *out = WG_IMPORT_CREATED;
        if (!(rc = wg_org_apply(&after, body, err)))
            rc = wg_org_save(c->db, c->keys, c->scope, &after, 0, c->now, err);
        wg_org_release(&after);
        return rc;
    }
    /* another scope's organization is as unknown as in its routes: the code is taken */
    if ((rc = wg_org_load(c->db, c->keys, c->scope, id, &before, err))) {
        if (rc == WG_ENOTFOUND)
            rc = wg_err_set(err, WG_ECONFLICT,
                            "'credit_code': an organization outside your scope has it");
        return rc;
    }
    if (!(rc = wg_org_load(c->db, c->keys, c->scope, id, &after, err)) &&
        !(rc = wg_org_apply(&after, body, err))) {
        *out = org_same(&before, &after) ? WG_IMPORT_UNCHANGED : WG_IMPORT_UPDATED;
        if (*out == WG_IMPORT_UPDATED)
            rc = wg_org_save(c->db, c->keys, c->scope, &after, before.version, c->now, err);
    }
    wg_org_release(&before);
    wg_org_release(&after);
    return rc;
}

const struct wg_import_entity wg_import_orgs = {"org", org_columns, org_row, NULL, NULL, NULL};

/* ---- things ---- */

static const char *const thing_states[] = {"完好", "intact",    "破损", "damaged", "丢失", "lost",
                                           "废弃", "abandoned", "移除", "removed", NULL};

static const struct wg_import_column thing_columns[] = {
    {"code", "部件编码", WG_IMPORT_TEXT, WG_IMPORT_REQUIRED, NULL},
    {"name", "名称", WG_IMPORT_TEXT, 0, NULL},
    {"state", "状态", WG_IMPORT_TEXT, WG_IMPORT_EMPTY_KEEPS, thing_states},
    {"owner_unit", "权属单位", WG_IMPORT_TEXT, 0, NULL},
    {"maint_unit", "养护单位", WG_IMPORT_TEXT, 0, NULL},
    {"grid", "网格编码", WG_IMPORT_TEXT, 0, NULL},
    {"lon", "经度", WG_IMPORT_NUMBER, 0, NULL},
    {"lat", "纬度", WG_IMPORT_NUMBER, 0, NULL},
    {NULL, NULL, WG_IMPORT_TEXT, 0, NULL},
};

static enum wg_rc thing_row(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                            struct wg_err *err)
{
    const char *code = json_string_value(json_object_get(body, "code"));
    struct wg_thing_row before, after;
    char klass[5] = "";
    enum wg_rc rc;
    if (!code)
        return wg_err_set(err, WG_EINVAL, "'code' is required");
    if ((rc = wg_import_claim(c, code, "code", err)))
        return rc;
    rc = wg_thing_get(c->db, c->scope, code, &before, err);
    if (rc == WG_ENOTFOUND) { /* new: as POST /api/v1/things makes one */
        wg_err_clear(err);
        *out = WG_IMPORT_CREATED;
        memset(&after, 0, sizeof after);
        if (!(rc = wg_thing_apply(&after, body, klass, err)))
            rc = wg_thing_save(c->db, c->scope, &after, klass, 0, c->now, err);
        return rc;
    }
    if (rc)
        return rc;
    after = before;
    if ((rc = wg_thing_apply(&after, body, klass, err)))
        return rc;
    json_t *a = wg_thing_json(&before), *b = wg_thing_json(&after);
    *out = json_equal(a, b) ? WG_IMPORT_UNCHANGED : WG_IMPORT_UPDATED;
    json_decref(a);
    json_decref(b);
    if (*out == WG_IMPORT_UPDATED)
        rc = wg_thing_save(c->db, c->scope, &after, klass, before.version, c->now, err);
    return rc;
}

const struct wg_import_entity wg_import_things = {"thing", thing_columns, thing_row,
                                                  NULL,    NULL,          NULL};
