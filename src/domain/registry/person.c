/* People of the registry (person.h): a body's fields checked and applied, the personal ones
 * sealed and blind-indexed, stored once per ID document. */
#include "domain/registry/person.h"
#include "core/alloc.h"
#include "core/civil.h"
#include "store/map/map_q.h"
#include "store/registry/registry_q.h"

#include <limits.h>

#include <sodium.h>

static const char *const care_names[] = {
    "alone",    "empty_nest", "over80", "left_behind_child", "left_behind_elderly",
    "disabled", "hardship",   NULL};
static const char *const special_names[] = {"released", "correction", "drug",
                                            "mental",   "key_youth",  NULL};
static const char *const id_types[] = {"resident_id", "passport", "other", NULL};
static const char *const residences[] = {"registered", "floating", "overseas", NULL};
static const char *const genders[] = {"male", "female", "", NULL};
/* 中共党员, 中共预备党员, 共青团员, 民主党派, 群众 */
static const char *const politicals[] = {
    "party_member", "probationary", "league_member", "other_party", "masses", "", NULL};

static unsigned bit_of(const char *const *names, const char *name)
{
    for (unsigned i = 0; name && names[i]; i++)
        if (!strcmp(names[i], name))
            return 1u << i;
    return 0;
}

unsigned wg_care_parse(const char *name)
{
    return bit_of(care_names, name);
}

unsigned wg_special_parse(const char *name)
{
    return bit_of(special_names, name);
}

static int one_of(const char *const *names, const char *v)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], v))
            return 1;
    return 0;
}

static void list_of(const char *const *names, char *out, size_t n)
{
    size_t w = 0;
    out[0] = '\0';
    for (int i = 0; names[i] && w < n; i++)
        if (*names[i])
            w += (size_t)snprintf(out + w, n - w, "%s%s", w ? ", " : "", names[i]);
}

void wg_person_release(struct wg_person *p)
{
    wg_pii_wipe(p->id_number);
    wg_pii_wipe(p->name);
    wg_pii_wipe(p->phone);
    sodium_memzero(p, sizeof *p);
}

int wg_registry_covers(const struct wg_scope *scope, const char *grid)
{
    if (!scope)
        return 1;
    if (wg_scope_is_unit(scope))
        return 0;
    return !strncmp(grid, scope->code, strlen(scope->code));
}

enum wg_rc wg_registry_grid_check(struct wg_db *db, const struct wg_scope *scope, const char *field,
                                  const char *grid, struct wg_err *err)
{
    enum wg_rc rc = wg_store_grid_live(db, grid, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, grid)))
        return wg_err_set(err, WG_EINVAL, "'%s': grid '%s' %s", field, grid,
                          rc ? "does not exist" : "is outside your scope");
    return rc;
}

static int today(long long now)
{
    return wg_cst_day(now);
}

/* A birth date "YYYY-MM-DD" from 1850 on as a day number; INT_MIN for anything else (the
 * civil parser keeps to the working calendar's years, and people are older than those). */
static int birth_day(const char *s)
{
    int y = 0, m = 0, d = 0;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
        strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
        return INT_MIN;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1850 || m < 1 || m > 12 || d < 1 || d > wg_civil_month_days(y, m))
        return INT_MIN;
    return wg_civil_days(y, m, d);
}

enum wg_rc wg_person_check_resident_id(const char *id, long long now, struct wg_err *err)
{
    char norm[64];
    enum wg_rc rc = wg_pii_check_id(id, err);
    if (!rc && (rc = wg_pii_normalize(WG_PII_ID, id, norm, sizeof norm, err)) == WG_OK) {
        char date[11];
        snprintf(date, sizeof date, "%.4s-%.2s-%.2s", norm + 6, norm + 10, norm + 12);
        int day = birth_day(date);
        if (day == INT_MIN || day > today(now))
            rc =
                wg_err_set(err, WG_EINVAL, "the birth date in the ID number (digits 7 to 14) is %s",
                           day == INT_MIN ? "not a real date from 1850 on" : "in the future");
        sodium_memzero(norm, sizeof norm);
    }
    if (rc)
        wg_err_prefix(err, "'id_number'");
    return rc;
}

/* ---- applying a body ---- */

static enum wg_rc text_field(json_t *body, const char *key, size_t max, char **out,
                             struct wg_err *err)
{
    json_t *v = json_object_get(body, key);
    if (!v)
        return WG_OK;
    if (json_is_null(v)) {
        wg_pii_wipe(*out);
        *out = wg_strdup("");
        return WG_OK;
    }
    if (!json_is_string(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a string", key);
    if (strlen(json_string_value(v)) > max)
        return wg_err_set(err, WG_EINVAL, "'%s' longer than %zu bytes", key, max);
    wg_pii_wipe(*out);
    *out = wg_strdup(json_string_value(v));
    return WG_OK;
}

static enum wg_rc word_field(json_t *body, const char *key, const char *const *names, char *out,
                             size_t n, struct wg_err *err)
{
    json_t *v = json_object_get(body, key);
    char all[160];
    if (!v)
        return WG_OK;
    const char *s = json_is_null(v) ? "" : json_string_value(v);
    if (!s || !one_of(names, s)) {
        list_of(names, all, sizeof all);
        return wg_err_set(err, WG_EINVAL, "'%s' must be one of %s", key, all);
    }
    snprintf(out, n, "%s", s);
    return WG_OK;
}

static enum wg_rc set_field(json_t *body, const char *key, const char *const *names, unsigned *out,
                            struct wg_err *err)
{
    json_t *v = json_object_get(body, key), *e;
    size_t i;
    char all[200];
    unsigned set = 0;
    if (!v)
        return WG_OK;
    if (!json_is_array(v) && !json_is_null(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a list of names", key);
    json_array_foreach(v, i, e)
    {
        unsigned b = bit_of(names, json_string_value(e));
        if (!b) {
            list_of(names, all, sizeof all);
            return wg_err_set(err, WG_EINVAL, "'%s' item %zu must be one of %s", key, i, all);
        }
        set |= b;
    }
    *out = set;
    return WG_OK;
}

static enum wg_rc id_field(json_t *body, const char *key, long long *out, struct wg_err *err)
{
    json_t *v = json_object_get(body, key);
    if (!v)
        return WG_OK;
    if (json_is_null(v)) {
        *out = 0;
        return WG_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "'%s' must be an id (a whole number from 1) or null",
                          key);
    *out = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc apply_fields(struct wg_person *p, json_t *body, int sensitive, struct wg_err *err)
{
    enum wg_rc rc;
    json_t *grid = json_object_get(body, "grid"), *risk = json_object_get(body, "mental_risk");
    if (!sensitive && (json_object_get(body, "special") || risk))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "'%s': the special populations need the registry_sensitive permission",
                          json_object_get(body, "special") ? "special" : "mental_risk");
    if ((rc = word_field(body, "id_type", id_types, p->id_type, sizeof p->id_type, err)) ||
        (rc = text_field(body, "id_number", 64, &p->id_number, err)) ||
        (rc = text_field(body, "name", 100, &p->name, err)) ||
        (rc = text_field(body, "phone", 40, &p->phone, err)) ||
        (rc = word_field(body, "gender", genders, p->gender, sizeof p->gender, err)) ||
        (rc = word_field(body, "residence", residences, p->residence, sizeof p->residence, err)) ||
        (rc = word_field(body, "political", politicals, p->political, sizeof p->political, err)) ||
        (rc = set_field(body, "care", care_names, &p->care, err)) ||
        (rc = set_field(body, "special", special_names, &p->special, err)) ||
        (rc = id_field(body, "household", &p->household, err)))
        return rc;
    if (grid) {
        const char *g = json_string_value(grid);
        if (!g || !*g || strlen(g) >= sizeof p->grid || strspn(g, "0123456789") != strlen(g))
            return wg_err_set(err, WG_EINVAL, "'grid' must be a grid code (digits)");
        snprintf(p->grid, sizeof p->grid, "%s", g);
    }
    if (json_object_get(body, "birth_date")) {
        const char *b = json_string_value(json_object_get(body, "birth_date"));
        if (!b && !json_is_null(json_object_get(body, "birth_date")))
            return wg_err_set(err, WG_EINVAL, "'birth_date' must be a date YYYY-MM-DD");
        snprintf(p->birth_date, sizeof p->birth_date, "%s", b ? b : "");
    }
    if (risk) {
        if (json_is_null(risk))
            p->mental_risk = -1;
        else if (!json_is_integer(risk) || json_integer_value(risk) < 0 ||
                 json_integer_value(risk) > 5)
            return wg_err_set(err, WG_EINVAL, "'mental_risk' must be a risk level from 0 to 5");
        else
            p->mental_risk = (int)json_integer_value(risk);
    }
    return WG_OK;
}

/* What the ID card itself says: the birth date and (its 17th digit) the gender. */
static enum wg_rc match_card(struct wg_person *p, long long now, struct wg_err *err)
{
    char norm[64], date[12];
    enum wg_rc rc = wg_person_check_resident_id(p->id_number, now, err);
    if (rc)
        return rc;
    wg_pii_normalize(WG_PII_ID, p->id_number, norm, sizeof norm, err);
    snprintf(date, sizeof date, "%.4s-%.2s-%.2s", norm + 6, norm + 10, norm + 12);
    const char *g = (norm[16] - '0') % 2 ? "male" : "female";
    sodium_memzero(norm, sizeof norm);
    if (*p->birth_date && strcmp(p->birth_date, date))
        return wg_err_set(err, WG_EINVAL,
                          "'birth_date' differs from the birth date in the ID number");
    if (*p->gender && strcmp(p->gender, g))
        return wg_err_set(err, WG_EINVAL,
                          "'gender' differs from the gender the ID number gives (its 17th digit)");
    snprintf(p->birth_date, sizeof p->birth_date, "%s", date);
    snprintf(p->gender, sizeof p->gender, "%s", g);
    return WG_OK;
}

enum wg_rc wg_person_apply(struct wg_person *p, json_t *body, int sensitive, long long now,
                           struct wg_err *err)
{
    enum wg_rc rc;
    if (!p->id_number)
        p->id_number = wg_strdup("");
    if (!p->name)
        p->name = wg_strdup("");
    if (!p->phone)
        p->phone = wg_strdup("");
    if (!p->id_type[0])
        snprintf(p->id_type, sizeof p->id_type, "resident_id");
    if (!p->version)
        p->mental_risk = -1;
    if ((rc = apply_fields(p, body, sensitive, err)))
        return rc;
    if (!*p->id_number)
        return wg_err_set(err, WG_EINVAL, "'id_number' is required");
    if (!*p->name)
        return wg_err_set(err, WG_EINVAL, "'name' is required");
    if (!p->residence[0])
        return wg_err_set(err, WG_EINVAL,
                          "'residence' is required (registered, floating or "
                          "overseas)");
    if (!p->grid[0])
        return wg_err_set(err, WG_EINVAL, "'grid' is required");
    if (!strcmp(p->id_type, "resident_id")) {
        if ((rc = match_card(p, now, err)))
            return rc;
    } else {
        size_t n = strlen(p->id_number);
        if (n < 4 || n > 32 ||
            strspn(p->id_number,
                   "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") != n)
            return wg_err_set(err, WG_EINVAL,
                              "'id_number': a %s number has 4 to 32 letters, digits or '-'",
                              p->id_type);
    }
    if (*p->birth_date) {
        int day = birth_day(p->birth_date);
        if (day == INT_MIN || day > today(now))
            return wg_err_set(err, WG_EINVAL,
                              "'birth_date' must be a real date YYYY-MM-DD, not in the future");
    }
    if (*p->phone && (rc = wg_pii_check_phone(p->phone, err))) {
        wg_err_prefix(err, "'phone'");
        return rc;
    }
    if (p->special & WG_SPECIAL_MENTAL) {
        if (p->mental_risk < 0)
            p->mental_risk = 0;
    } else if (p->mental_risk >= 0) {
        if (json_object_get(body, "mental_risk") &&
            !json_is_null(json_object_get(body, "mental_risk")))
            return wg_err_set(err, WG_EINVAL,
                              "'mental_risk' only a person with a serious mental disorder "
                              "(special 'mental') has a risk level");
        p->mental_risk = -1;
    }
    return WG_OK;
}

/* ---- sealing and storing ---- */

struct sealed {
    struct wg_person_row row;
    char *id_number, *name, *phone, *special, *birth_date;
    char id_blind[WG_PII_BLIND_HEX], phone_blind[WG_PII_BLIND_HEX];
};

static void sealed_release(struct sealed *s)
{
    free(s->id_number);
    free(s->name);
    free(s->phone);
    free(s->special);
    free(s->birth_date);
}

/* The blind index of an ID document: a resident ID's is the number's alone, as accounts'
 * and orders' are; another document's has its type before the number. */
enum wg_rc wg_document_blind(const struct wg_pii_keys *keys, const char *id_type,
                             const char *id_number, char out[WG_PII_BLIND_HEX], struct wg_err *err)
{
    if (!strcmp(id_type, "resident_id"))
        return wg_pii_blind(keys, WG_PII_ID, id_number, out, err);
    size_t n = strlen(id_type) + strlen(id_number) + 2;
    char *v = wg_malloc(n);
    snprintf(v, n, "%s:%s", id_type, id_number);
    enum wg_rc rc = wg_pii_blind(keys, WG_PII_ID, v, out, err);
    wg_pii_wipe(v);
    return rc;
}

static enum wg_rc id_blind(const struct wg_pii_keys *keys, const struct wg_person *p,
                           char out[WG_PII_BLIND_HEX], struct wg_err *err)
{
    return wg_document_blind(keys, p->id_type, p->id_number, out, err);
}

enum wg_rc wg_person_id_blind(const struct wg_pii_keys *keys, const struct wg_person *p,
                              char out[WG_PII_BLIND_HEX], struct wg_err *err)
{
    return id_blind(keys, p, out, err);
}

/* known: p's ID blind index when the caller has it, else NULL */
static enum wg_rc seal(const struct wg_pii_keys *keys, const struct wg_person *p, const char *known,
                       struct sealed *s, struct wg_err *err)
{
    char special[32], nid[64] = "", nphone[64] = "";
    enum wg_rc rc;
    memset(s, 0, sizeof *s);
    snprintf(special, sizeof special, "%u %d", p->special, p->mental_risk);
    if ((rc = wg_pii_normalize(WG_PII_ID, p->id_number, nid, sizeof nid, err)) ||
        (*p->phone && (rc = wg_pii_normalize(WG_PII_PHONE, p->phone, nphone, sizeof nphone, err))))
        goto out;
    if (known)
        snprintf(s->id_blind, sizeof s->id_blind, "%s", known);
    else if ((rc = id_blind(keys, p, s->id_blind, err)))
        goto out;
    if ((*nphone && (rc = wg_pii_blind(keys, WG_PII_PHONE, nphone, s->phone_blind, err))) ||
        (rc = wg_pii_encrypt(keys, nid, "person.id_number", &s->id_number, err)) ||
        (rc = wg_pii_encrypt(keys, p->name, "person.name", &s->name, err)) ||
        (*nphone && (rc = wg_pii_encrypt(keys, nphone, "person.phone", &s->phone, err))) ||
        (rc = wg_pii_encrypt(keys, special, "person.special", &s->special, err)) ||
        (*p->birth_date &&
         (rc = wg_pii_encrypt(keys, p->birth_date, "person.birth_date", &s->birth_date, err))))
        goto out;
    s->row = (struct wg_person_row){.id = p->id,
                                    .id_number = s->id_number,
                                    .name = s->name,
                                    .phone = s->phone ? s->phone : "",
                                    .special = s->special,
                                    .birth_date = s->birth_date ? s->birth_date : "",
                                    .id_blind = s->id_blind,
                                    .phone_blind = s->phone_blind,
                                    .care = p->care,
                                    .household = p->household,
                                    .version = p->version};
    snprintf(s->row.id_type, sizeof s->row.id_type, "%s", p->id_type);
    snprintf(s->row.gender, sizeof s->row.gender, "%s", p->gender);
    snprintf(s->row.residence, sizeof s->row.residence, "%s", p->residence);
    snprintf(s->row.political, sizeof s->row.political, "%s", p->political);
    snprintf(s->row.grid, sizeof s->row.grid, "%s", p->grid);
out:
    sodium_memzero(nid, sizeof nid);
    sodium_memzero(nphone, sizeof nphone);
    return rc;
}

struct opened {
    const struct wg_pii_keys *keys;
    struct wg_person *p;
    enum wg_rc rc;
    struct wg_err *err;
};

/* The birth date, sealed — or clear, as stored before it was sealed. */
static enum wg_rc open_birth_date(const struct wg_pii_keys *keys, const char *stored, char out[12],
                                  struct wg_err *err)
{
    char *clear = NULL;
    if (!*stored || stored[0] != 'v') {
        snprintf(out, 12, "%.10s", stored);
        return WG_OK;
    }
    enum wg_rc rc = wg_pii_decrypt(keys, stored, "person.birth_date", &clear, err);
    if (!rc)
        snprintf(out, 12, "%.10s", clear);
    wg_pii_wipe(clear);
    return rc;
}

enum wg_rc wg_person_open_row(const struct wg_pii_keys *keys, const struct wg_person_row *r,
                              struct wg_person *p, struct wg_err *err)
{
    char *special = NULL;
    enum wg_rc rc;
    memset(p, 0, sizeof *p);
    p->id = r->id;
    snprintf(p->id_type, sizeof p->id_type, "%s", r->id_type);
    snprintf(p->gender, sizeof p->gender, "%s", r->gender);
    snprintf(p->residence, sizeof p->residence, "%s", r->residence);
    snprintf(p->political, sizeof p->political, "%s", r->political);
    snprintf(p->grid, sizeof p->grid, "%s", r->grid);
    p->care = (unsigned)r->care;
    p->household = r->household;
    p->created_at = r->created_at;
    p->updated_at = r->updated_at;
    p->version = r->version;
    p->mental_risk = -1;
    if ((rc = wg_pii_decrypt(keys, r->id_number, "person.id_number", &p->id_number, err)) ||
        (rc = wg_pii_decrypt(keys, r->name, "person.name", &p->name, err)) ||
        (rc = *r->phone ? wg_pii_decrypt(keys, r->phone, "person.phone", &p->phone, err)
                        : (p->phone = wg_strdup(""), WG_OK)) ||
        (rc = wg_pii_decrypt(keys, r->special, "person.special", &special, err)) ||
        (rc = open_birth_date(keys, r->birth_date, p->birth_date, err))) {
        wg_err_prefix(err, "person %lld", r->id);
        wg_person_release(p);
        return rc;
    }
    char *end = NULL;
    p->special = (unsigned)strtoul(special, &end, 10);
    p->mental_risk = (int)strtol(end, NULL, 10);
    wg_pii_wipe(special);
    return WG_OK;
}

static int open_one(const struct wg_person_row *r, void *ctx)
{
    struct opened *o = ctx;
    o->rc = wg_person_open_row(o->keys, r, o->p, o->err);
    return o->rc != WG_OK;
}

enum wg_rc wg_person_load(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, long long id, struct wg_person *out,
                          struct wg_err *err)
{
    struct opened o = {keys, out, WG_OK, err};
    memset(out, 0, sizeof *out);
    enum wg_rc rc = wg_store_person_get(db, id, open_one, &o, err);
    if (!rc)
        rc = o.rc;
    if (!rc && !wg_registry_covers(scope, out->grid)) {
        wg_person_release(out);
        rc = wg_err_set(err, WG_ENOTFOUND, "person %lld does not exist", id);
    }
    return rc;
}

/* What a person refers to: a grid that exists in scope, a household in scope. */
static enum wg_rc check_refs(struct wg_db *db, const struct wg_scope *scope,
                             const struct wg_person *p, struct wg_err *err)
{
    enum wg_rc rc = wg_registry_grid_check(db, scope, "grid", p->grid, err);
    if (rc)
        return rc;
    if (p->household) {
        struct wg_household h;
        rc = wg_household_load(db, NULL, scope, p->household, &h, err);
        if (rc == WG_ENOTFOUND)
            return wg_err_set(err, WG_EINVAL, "'household': %lld does not exist", p->household);
        if (!rc)
            wg_household_release(&h);
    }
    return rc;
}

struct wg_person_sealed {
    struct sealed s;
    enum wg_rc rc;
    struct wg_err err;
};

struct wg_person_sealed *wg_person_seal(const struct wg_pii_keys *keys, const struct wg_person *p,
                                        const char *id_blind)
{
    struct wg_person_sealed *ps = wg_calloc(1, sizeof *ps);
    ps->rc = seal(keys, p, id_blind, &ps->s, &ps->err);
    return ps;
}

void wg_person_sealed_free(struct wg_person_sealed *ps)
{
    if (!ps)
        return;
    sealed_release(&ps->s);
    sodium_memzero(ps, sizeof *ps);
    free(ps);
}

/* Stores p, sealed here or ahead (pre); absent: see wg_person_create_sealed; due_later: a new
 * person's visit due day is left for the caller to mark (wg_person_create_sealed). */
static enum wg_rc store_person(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_scope *scope, struct wg_person *p,
                               struct wg_person_sealed *pre, const char *absent, int due_later,
                               long long now, struct wg_err *err)
{
    struct sealed own, *s = pre ? &pre->s : &own;
    long long other = 0;
    int changed = 0;
    memset(&own, 0, sizeof own);
    enum wg_rc rc = check_refs(db, scope, p, err);
    if (rc)
        return rc;
    if (pre && (rc = pre->rc))
        *err = pre->err;
    if (rc || (!pre && (rc = seal(keys, p, NULL, &own, err))))
        goto out;
    if ((!absent || strcmp(absent, s->id_blind)) &&
        (rc = wg_store_person_by_id_blind(db, s->id_blind, &other, err)))
        goto out;
    if (other && other != p->id) {
        rc = wg_err_set(err, WG_ECONFLICT,
                        "'id_number': a person with this ID number is already recorded (person "
                        "%lld)",
                        other);
        goto out;
    }
    if (!p->id) {
        rc = wg_store_person_insert(db, &s->row, now, !due_later, &p->id, err);
        p->version = 1;
        p->created_at = now;
    } else {
        rc = wg_store_person_update(db, &s->row, now, &changed, err);
        if (!rc && !changed)
            rc = wg_err_set(err, WG_EPRECOND,
                            "person %lld was changed by someone else since version %lld; read "
                            "it again",
                            p->id, p->version);
        p->version++;
    }
    p->updated_at = now;
out:
    sealed_release(&own);
    return rc;
}

enum wg_rc wg_person_create(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_scope *scope, struct wg_person *p, long long now,
                            struct wg_err *err)
{
    p->id = 0;
    return store_person(db, keys, scope, p, NULL, NULL, 0, now, err);
}

enum wg_rc wg_person_create_sealed(struct wg_db *db, const struct wg_scope *scope,
                                   struct wg_person *p, struct wg_person_sealed *s,
                                   const char *absent, long long now, struct wg_err *err)
{
    p->id = 0;
    return store_person(db, NULL, scope, p, s, absent, 1, now, err);
}

enum wg_rc wg_person_update(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_scope *scope, struct wg_person *p, long long now,
                            struct wg_err *err)
{
    return store_person(db, keys, scope, p, NULL, NULL, 0, now, err);
}
