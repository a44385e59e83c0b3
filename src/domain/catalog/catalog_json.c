/* The catalog's JSON form, both ways: what the API answers and stores as a version, and
 * what an administrator's change is read from — every field checked, the item at fault
 * named. Writing and reading it back gives the same catalog. */
#include "domain/catalog/catalog.h"

#include <stdint.h>

#include "core/alloc.h"

/* ---- JSON ---- */

static const char *const limit_keys[] = {"sign_minutes", "return_minutes", "reply_minutes",
                                         "extension_minutes"};

static int *limit_field(struct wg_catalog_limits *l, size_t k)
{
    int *f[] = {&l->sign, &l->ret, &l->reply, &l->extension};
    return f[k];
}

static json_t *limits_json(const struct wg_catalog_limits *lc)
{
    struct wg_catalog_limits l = *lc;
    json_t *o = json_object();
    for (size_t k = 0; o && k < 4; k++) {
        int v = *limit_field(&l, k);
        if (v && json_object_set_new(o, limit_keys[k], json_integer(v)) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *attr_json(const struct wg_catalog_attr *a)
{
    json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:i,s:s,s:s}", "code", a->code, "datatype",
                          wg_catalog_attr_type_name(a->type), "required", a->required, "variable",
                          a->variable, "order", a->order, "description", a->description,
                          "datatype_description", a->datatype_description);
    if (o && wg_catalog_attr_is_list(a->type)) {
        json_t *vals = json_array();
        int bad = !vals;
        for (size_t v = 0; !bad && v < a->nvalues; v++)
            bad = json_array_append_new(vals, json_pack("{s:s,s:s}", "key", a->values[v].key,
                                                        "name", a->values[v].name)) < 0;
        if (bad || json_object_set_new(o, "values", vals) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *item_json(const struct wg_catalog_item *it)
{
    json_t *o = json_object(), *kw = json_array(), *lim = NULL;
    int bad = !o || !kw;
    for (size_t k = 0; !bad && k < it->nkeywords; k++)
        bad = json_array_append_new(kw, json_string(it->keywords[k])) < 0;
    if (!bad) {
        bad = json_object_set_new(o, "code", json_string(it->code)) < 0 ||
              (it->parent[0] && json_object_set_new(o, "parent", json_string(it->parent)) < 0) ||
              json_object_set_new(o, "name", json_string(it->name)) < 0;
    }
    if (!bad && (it->limits.sign || it->limits.ret || it->limits.reply || it->limits.extension)) {
        lim = limits_json(&it->limits);
        bad = !lim || json_object_set_new(o, "limits", lim) < 0;
    }
    if (!bad) {
        bad = json_object_set_new(o, "urgency", json_string(wg_catalog_urgency_name(it->urgency))) <
                  0 ||
              json_object_set_new(o, "self_handle", json_boolean(it->self_handle)) < 0 ||
              json_object_set_new(o, "public_intake", json_boolean(it->public_intake)) < 0 ||
              (it->dup_radius &&
               json_object_set_new(o, "duplicate_radius_m", json_integer(it->dup_radius)) < 0) ||
              json_object_set(o, "keywords", kw) < 0;
    }
    if (!bad && it->nattrs) {
        json_t *attrs = json_array();
        bad = !attrs;
        for (size_t a = 0; !bad && a < it->nattrs; a++)
            bad = json_array_append_new(attrs, attr_json(&it->attrs[a])) < 0;
        if (!bad)
            bad = json_object_set(o, "attributes", attrs) < 0;
        json_decref(attrs);
    }
    json_decref(kw);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *wg_catalog_to_json(const struct wg_catalog *cat)
{
    json_t *root = json_object(), *items = json_array(), *def = limits_json(&cat->defaults);
    int bad = !root || !items || !def;
    for (size_t i = 0; !bad && i < cat->n; i++)
        bad = json_array_append_new(items, item_json(&cat->items[i])) < 0;
    if (!bad)
        bad =
            json_object_set(root, "defaults", def) < 0 || json_object_set(root, "items", items) < 0;
    json_decref(items);
    json_decref(def);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* Reads a limits object into l; who says where it is for errors. Only the four keys, each
 * an integer in range. */
static enum wg_rc limits_from_json(const json_t *o, const char *who, struct wg_catalog_limits *l,
                                   struct wg_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "%s: 'limits' must be an object", who);
    json_object_foreach((json_t *)o, key, v)
    {
        size_t k = 0;
        json_int_t x;
        while (k < 4 && strcmp(key, limit_keys[k]) != 0)
            k++;
        if (k == 4)
            return wg_err_set(err, WG_EINVAL,
                              "%s: unknown limit '%.60s' (sign_minutes, return_minutes, "
                              "reply_minutes, extension_minutes)",
                              who, key);
        if (!json_is_integer(v))
            return wg_err_set(err, WG_EINVAL, "%s: '%s' must be an integer (working minutes)", who,
                              key);
        x = json_integer_value(v);
        if (x < 1 || x > WG_CATALOG_LIMIT_MAX)
            return wg_err_set(err, WG_EINVAL,
                              "%s: '%s' is %lld, must be between 1 and %d working minutes", who,
                              key, (long long)x, WG_CATALOG_LIMIT_MAX);
        *limit_field(l, k) = (int)x;
    }
    return WG_OK;
}

/* One attribute of an item; who names the item for errors. */
static enum wg_rc attr_from_json(struct wg_catalog_item *it, const char *who, size_t k,
                                 const json_t *o, struct wg_err *err)
{
    static const char *const known[] = {
        "code",  "datatype", "required", "variable", "order", "description", "datatype_description",
        "values"};
    char where[128];
    const char *key;
    json_t *v, *code, *type, *desc, *dd;
    struct wg_catalog_attr *a;
    enum wg_attr_type t;
    enum wg_rc rc;
    snprintf(where, sizeof where, "%s, attributes[%zu]", who, k);
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "%s: expected an object", where);
    json_object_foreach((json_t *)o, key, v)
    {
        size_t n = 0;
        while (n < sizeof known / sizeof known[0] && strcmp(key, known[n]) != 0)
            n++;
        if (n == sizeof known / sizeof known[0])
            return wg_err_set(err, WG_EINVAL, "%s: unknown field '%.60s'", where, key);
    }
    code = json_object_get(o, "code");
    type = json_object_get(o, "datatype");
    desc = json_object_get(o, "description");
    dd = json_object_get(o, "datatype_description");
    if (!json_is_string(code))
        return wg_err_set(err, WG_EINVAL, "%s: 'code' is required and must be a string", where);
    if (!json_is_string(type))
        return wg_err_set(err, WG_EINVAL, "%s: 'datatype' is required and must be a string", where);
    if (!json_is_string(desc))
        return wg_err_set(err, WG_EINVAL, "%s: 'description' is required and must be a string",
                          where);
    if (dd && !json_is_null(dd) && !json_is_string(dd))
        return wg_err_set(err, WG_EINVAL, "%s: 'datatype_description' must be a string", where);
    if ((rc = wg_catalog_attr_type_parse(json_string_value(type), &t, err))) {
        wg_err_prefix(err, "%s", where);
        return rc;
    }
    if ((v = json_object_get(o, "required")) && !json_is_boolean(v))
        return wg_err_set(err, WG_EINVAL, "%s: 'required' must be true or false", where);
    if ((rc = wg_catalog_attr_add(it, json_string_value(code), t, json_is_true(v),
                                  json_string_value(desc), json_string_value(dd), &a, err)))
        return rc;
    if ((v = json_object_get(o, "variable"))) {
        if (!json_is_boolean(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'variable' must be true or false", where);
        a->variable = json_is_true(v);
    }
    if ((v = json_object_get(o, "order"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000)
            return wg_err_set(err, WG_EINVAL, "%s: 'order' must be an integer from 1 to 1000",
                              where);
        a->order = (int)json_integer_value(v);
    }
    if ((v = json_object_get(o, "values"))) {
        size_t n;
        json_t *val;
        if (!json_is_array(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'values' must be an array of {key, name}",
                              where);
        json_array_foreach(v, n, val)
        {
            json_t *vk = json_object_get(val, "key"), *vn = json_object_get(val, "name");
            if (!json_is_object(val) || json_object_size(val) != 2 || !json_is_string(vk) ||
                !json_is_string(vn))
                return wg_err_set(err, WG_EINVAL,
                                  "%s: values[%zu] must be {\"key\": string, \"name\": string}",
                                  where, n);
            if ((rc = wg_catalog_value_add(a, json_string_value(vk), json_string_value(vn), err))) {
                wg_err_prefix(err, "%s, values[%zu]", where, n);
                return rc;
            }
        }
    }
    return WG_OK;
}

const char *const wg_catalog_item_fields[] = {
    "code",        "parent",        "name",     "limits",     "urgency",
    "self_handle", "public_intake", "keywords", "attributes", "duplicate_radius_m",
    NULL};

static enum wg_rc item_from_json(struct wg_catalog *cat, size_t i, const json_t *o,
                                 struct wg_err *err)
{
    char who[64];
    const char *key, *code, *parent = "";
    json_t *v, *jcode, *jname, *jparent;
    struct wg_catalog_item *it;
    enum wg_rc rc;
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "items[%zu]: expected an object", i);
    jcode = json_object_get(o, "code");
    if (!json_is_string(jcode))
        return wg_err_set(err, WG_EINVAL, "items[%zu]: 'code' is required and must be a string", i);
    code = json_string_value(jcode);
    snprintf(who, sizeof who, "items[%zu] ('%.20s')", i, code);
    json_object_foreach((json_t *)o, key, v)
    {
        size_t k = 0;
        while (wg_catalog_item_fields[k] && strcmp(key, wg_catalog_item_fields[k]) != 0)
            k++;
        if (!wg_catalog_item_fields[k])
            return wg_err_set(err, WG_EINVAL, "%s: unknown field '%.60s'", who, key);
    }
    jname = json_object_get(o, "name");
    if (!json_is_string(jname))
        return wg_err_set(err, WG_EINVAL, "%s: 'name' is required and must be a string", who);
    jparent = json_object_get(o, "parent");
    if (jparent && !json_is_null(jparent)) {
        if (!json_is_string(jparent))
            return wg_err_set(err, WG_EINVAL, "%s: 'parent' must be a string or null", who);
        parent = json_string_value(jparent);
        if (!*parent)
            return wg_err_set(err, WG_EINVAL,
                              "%s: 'parent' is empty (leave it out at the top level)", who);
    }
    if ((rc = wg_catalog_add(cat, code, parent, json_string_value(jname), &it, err))) {
        wg_err_prefix(err, "items[%zu]", i);
        return rc;
    }
    if ((v = json_object_get(o, "limits")) && (rc = limits_from_json(v, who, &it->limits, err)))
        return rc;
    if ((v = json_object_get(o, "urgency"))) {
        if (!json_is_string(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'urgency' must be a string", who);
        if ((rc = wg_catalog_urgency_parse(json_string_value(v), &it->urgency, err))) {
            wg_err_prefix(err, "%s", who);
            return rc;
        }
    }
    if ((v = json_object_get(o, "self_handle"))) {
        if (!json_is_boolean(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'self_handle' must be true or false", who);
        it->self_handle = json_is_true(v);
    }
    if ((v = json_object_get(o, "public_intake"))) {
        if (!json_is_boolean(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'public_intake' must be true or false", who);
        it->public_intake = json_is_true(v);
    }
    if ((v = json_object_get(o, "duplicate_radius_m"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > WG_CATALOG_DUP_RADIUS_MAX)
            return wg_err_set(err, WG_EINVAL,
                              "%s: 'duplicate_radius_m' must be a whole number of metres from 1 "
                              "to %d",
                              who, WG_CATALOG_DUP_RADIUS_MAX);
        it->dup_radius = (int)json_integer_value(v);
    }
    if ((v = json_object_get(o, "keywords"))) {
        size_t k;
        json_t *kw;
        if (!json_is_array(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'keywords' must be an array of strings", who);
        json_array_foreach(v, k, kw)
        {
            if (!json_is_string(kw))
                return wg_err_set(err, WG_EINVAL, "%s: keywords[%zu] must be a string", who, k);
            if ((rc = wg_catalog_keyword_add(it, json_string_value(kw), err))) {
                wg_err_prefix(err, "items[%zu], keywords[%zu]", i, k);
                return rc;
            }
        }
    }
    if ((v = json_object_get(o, "attributes"))) {
        size_t k;
        json_t *at;
        if (!json_is_array(v))
            return wg_err_set(err, WG_EINVAL, "%s: 'attributes' must be an array", who);
        json_array_foreach(v, k, at)
        {
            if ((rc = attr_from_json(it, who, k, at, err)))
                return rc;
        }
    }
    return WG_OK;
}

enum wg_rc wg_catalog_from_json(struct wg_catalog *cat, const json_t *j, struct wg_err *err)
{
    const char *key;
    json_t *v, *items, *def;
    size_t i;
    enum wg_rc rc;
    if (!json_is_object(j))
        return wg_err_set(err, WG_EINVAL, "catalog: expected a JSON object");
    json_object_foreach((json_t *)j, key, v)
    {
        if (strcmp(key, "defaults") != 0 && strcmp(key, "items") != 0)
            return wg_err_set(err, WG_EINVAL, "catalog: unknown field '%.60s' (defaults, items)",
                              key);
    }
    if ((def = json_object_get(j, "defaults")) &&
        (rc = limits_from_json(def, "defaults", &cat->defaults, err)))
        return rc;
    items = json_object_get(j, "items");
    if (!json_is_array(items))
        return wg_err_set(err, WG_EINVAL, "catalog: 'items' is required and must be an array");
    if (json_array_size(items) > WG_CATALOG_ITEMS_MAX)
        return wg_err_set(err, WG_ETOOBIG, "catalog: %zu items, at most %d", json_array_size(items),
                          WG_CATALOG_ITEMS_MAX);
    json_array_foreach(items, i, v)
    {
        if ((rc = item_from_json(cat, i, v, err)))
            return rc;
    }
    return wg_catalog_validate(cat, err);
}

enum wg_rc wg_catalog_parse(struct wg_catalog *cat, const char *text, size_t len,
                            struct wg_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    enum wg_rc rc;
    if (!j)
        return wg_err_set(err, WG_EINVAL, "malformed JSON at line %d, column %d (byte %d): %s",
                          je.line, je.column, je.position, je.text);
    rc = wg_catalog_from_json(cat, j, err);
    json_decref(j);
    return rc;
}
