/* A dispute case's body read and checked (dispute.h). */
#include "domain/disputes/dispute.h"

#include <math.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "domain/accounts/pii.h"

const char *const wg_case_types[] = {"marriage_family", /* 婚姻家庭 */
                                     "neighbours",      /* 邻里 */
                                     "house_land",      /* 房屋宅基地 */
                                     "damages",         /* 损害赔偿 */
                                     "debt",            /* 债务 */
                                     "contract",        /* 合同 */
                                     "labour",          /* 劳动争议 */
                                     "property",        /* 物业 */
                                     "medical",         /* 医疗 */
                                     "traffic",         /* 交通事故 */
                                     "land_taking",     /* 征地拆迁 */
                                     "forest_land",     /* 山林土地 */
                                     "pollution",       /* 环境污染 */
                                     "other",           /* 其他 */
                                     NULL};

const char *const wg_case_sources[] = {"screening",  /* 排查 */
                                       "gridworker", /* a grid worker's report */
                                       "order", /* an appeal's line: joint_conference or judicial */
                                       "walk_in",  /* 来访 */
                                       "resident", /* the portal */
                                       "court",    /* 诉前委派 */
                                       "police",   /* 警调对接 */
                                       "petition", /* 信访 */
                                       NULL};

const char *const wg_case_risks[] = {"red", "orange", "yellow", "green", NULL};
const char *const wg_case_roles[] = {"applicant", "respondent", "third_party", NULL};
static const char *const id_types[] = {"resident_id", "passport", "other", NULL};

const char *const wg_case_fields[] = {"source", "type", "risk", "description", "amount",  "people",
                                      "grid",   "lon",  "lat",  "order",       "parties", NULL};
const char *const wg_case_party_fields[] = {"role", "name", "id_type", "id_number", "phone", NULL};

void wg_case_release(struct wg_case *c)
{
    free(c->description);
    for (int i = 0; i < c->nparties; i++) {
        wg_pii_wipe(c->parties[i].name);
        wg_pii_wipe(c->parties[i].id_number);
        wg_pii_wipe(c->parties[i].phone);
    }
    memset(c, 0, sizeof *c);
}

/* The amount in yuan, at most two decimals, into fen. */
static enum wg_rc amount(const json_t *body, long long *fen, struct wg_err *err)
{
    json_t *v = json_object_get(body, "amount");
    *fen = 0;
    if (!v || json_is_null(v))
        return WG_OK;
    if (!json_is_number(v))
        return wg_err_set(err, WG_EINVAL, "'amount' must be a number of yuan");
    double y = json_number_value(v), f = round(y * 100);
    if (!(y >= 0 && y <= 1e11))
        return wg_err_set(err, WG_EINVAL, "'amount' must be 0 to 100,000,000,000 yuan");
    if (fabs(y * 100 - f) > 1e-6 * (1 + f))
        return wg_err_set(err, WG_EINVAL, "'amount' has at most two decimals (fen)");
    *fen = (long long)f;
    return WG_OK;
}

static enum wg_rc whole(const json_t *body, const char *field, long long lo, long long hi,
                        long long *out, struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    if (!v || json_is_null(v))
        return WG_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a whole number from %lld to %lld", field,
                          lo, hi);
    *out = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc place(struct wg_case *c, const json_t *body, struct wg_err *err)
{
    const char *grid = NULL;
    json_t *lon = json_object_get(body, "lon"), *lat = json_object_get(body, "lat");
    enum wg_rc rc = wg_jf_text(body, "grid", 0, 15, &grid, err);
    if (rc)
        return rc;
    if (grid && (strlen(grid) != 15 || strspn(grid, "0123456789") != 15))
        return wg_err_set(err, WG_EINVAL, "'grid' must be a grid's 15-digit code");
    if (!lon != !lat)
        return wg_err_set(err, WG_EINVAL, "'lon' and 'lat' are given together");
    if (lon) {
        if (!json_is_number(lon) || !json_is_number(lat) || json_number_value(lon) < 73 ||
            json_number_value(lon) > 136 || json_number_value(lat) < 3 ||
            json_number_value(lat) > 54)
            return wg_err_set(err, WG_EINVAL,
                              "'lon' and 'lat' must be a point in China (longitude 73 to 136, "
                              "latitude 3 to 54)");
        c->has_point = 1;
        c->lon = json_number_value(lon);
        c->lat = json_number_value(lat);
    }
    if (!grid && !lon)
        return wg_err_set(err, WG_EINVAL, "a case is placed by 'grid' or by 'lon' and 'lat'");
    snprintf(c->grid, sizeof c->grid, "%s", grid ? grid : "");
    return WG_OK;
}

/* A text field copied, "" when absent. */
static char *copy(const char *s)
{
    return wg_strdup(s ? s : "");
}

static enum wg_rc party(struct wg_case_party *p, const json_t *o, struct wg_err *err)
{
    const char *name = NULL, *id = NULL, *phone = NULL;
    enum wg_rc rc;
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "a party is an object");
    if ((rc = wg_jf_known(o, wg_case_party_fields, "a party", err)) ||
        (rc = wg_jf_one_of(o, "role", wg_case_roles, NULL, &p->role, err)) ||
        (rc = wg_jf_text(o, "name", 1, 50, &name, err)) ||
        (rc = wg_jf_one_of(o, "id_type", id_types, "resident_id", &p->id_type, err)) ||
        (rc = wg_jf_text(o, "id_number", 0, 40, &id, err)) ||
        (rc = wg_jf_text(o, "phone", 0, 30, &phone, err)))
        return rc;
    if (id && *id && !strcmp(p->id_type, "resident_id") && (rc = wg_pii_check_id(id, err))) {
        wg_err_prefix(err, "'id_number'");
        return rc;
    }
    if (phone && *phone && (rc = wg_pii_check_phone(phone, err))) {
        wg_err_prefix(err, "'phone'");
        return rc;
    }
    p->name = copy(name);
    p->id_number = copy(id);
    p->phone = copy(phone);
    return WG_OK;
}

enum wg_rc wg_case_party_apply(struct wg_case_party *p, const json_t *o, struct wg_err *err)
{
    memset(p, 0, sizeof *p);
    enum wg_rc rc = party(p, o, err);
    if (rc) {
        wg_pii_wipe(p->name), wg_pii_wipe(p->id_number), wg_pii_wipe(p->phone);
        memset(p, 0, sizeof *p);
    }
    return rc;
}

void wg_case_party_release(struct wg_case_party *p)
{
    wg_pii_wipe(p->name), wg_pii_wipe(p->id_number), wg_pii_wipe(p->phone);
    memset(p, 0, sizeof *p);
}

const char *wg_case_level_staff(const char *level)
{
    if (!strcmp(level, "grid"))
        return "gridworker";
    return strcmp(level, "village") ? "supervisor" : "community";
}

/* The level a recorder works at: a grid worker's grid, a village committee's village, else
 * the scope's — a grid, a village, a town, or the county and above. */
enum wg_case_level wg_case_level_of(enum wg_role_id role, const struct wg_scope *scope)
{
    size_t n = strlen(scope->code);
    if (role == WG_ROLE_GRIDWORKER || n >= 15)
        return WG_CASE_GRID;
    if (role == WG_ROLE_COMMUNITY || n >= 12)
        return WG_CASE_VILLAGE;
    return n >= 9 ? WG_CASE_TOWN : WG_CASE_COUNTY;
}

static enum wg_rc parties(struct wg_case *c, const json_t *body, struct wg_err *err)
{
    json_t *arr = json_object_get(body, "parties"), *o;
    size_t i;
    int applicants = 0, respondents = 0;
    if (!json_is_array(arr) || json_array_size(arr) < 2 ||
        json_array_size(arr) > WG_CASE_PARTIES_MAX)
        return wg_err_set(err, WG_EINVAL, "'parties' must be a list of 2 to %d parties",
                          WG_CASE_PARTIES_MAX);
    json_array_foreach(arr, i, o)
    {
        enum wg_rc rc = party(&c->parties[i], o, err);
        if (rc) {
            wg_err_prefix(err, "parties[%zu]", i);
            return rc;
        }
        c->nparties++;
        applicants += !strcmp(c->parties[i].role, "applicant");
        respondents += !strcmp(c->parties[i].role, "respondent");
    }
    if (!applicants || !respondents)
        return wg_err_set(err, WG_EINVAL,
                          "'parties' must hold at least one applicant and one respondent");
    return WG_OK;
}

static enum wg_rc apply(struct wg_case *c, const json_t *body, struct wg_err *err)
{
    const char *text = NULL;
    long long people = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a case is a JSON object");
    if ((rc = wg_jf_known(body, wg_case_fields, "a dispute case", err)) ||
        (rc = wg_jf_one_of(body, "source", wg_case_sources, NULL, &c->source, err)) ||
        (rc = wg_jf_one_of(body, "type", wg_case_types, NULL, &c->type, err)) ||
        (rc = wg_jf_one_of(body, "risk", wg_case_risks, NULL, &c->risk, err)) ||
        (rc = wg_jf_text(body, "description", 1, WG_CASE_TEXT_MAX, &text, err)) ||
        (rc = amount(body, &c->amount_fen, err)) ||
        (rc = whole(body, "people", 2, 100000, &people, err)) ||
        (rc = whole(body, "order", 1, INT64_MAX, &c->order_id, err)) ||
        (rc = place(c, body, err)) || (rc = parties(c, body, err)))
        return rc;
    if (!strcmp(c->source, "order") != !!c->order_id)
        return wg_err_set(err, WG_EINVAL, "'order' is given exactly when 'source' is order");
    if (people && people < c->nparties)
        return wg_err_set(err, WG_EINVAL, "'people' is at least the %d parties", c->nparties);
    c->people = people ? (int)people : c->nparties;
    c->description = copy(text);
    return WG_OK;
}

enum wg_rc wg_case_apply(struct wg_case *c, const json_t *body, struct wg_err *err)
{
    memset(c, 0, sizeof *c);
    enum wg_rc rc = apply(c, body, err);
    if (rc)
        wg_case_release(c);
    return rc;
}
