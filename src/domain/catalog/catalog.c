/* The catalog model: building, validation and lookup with inherited limits; its JSON form is
 * catalog_json.c, keyword suggestions catalog_suggest.c, the shipped tree catalog_defaults.c.
 * A validated catalog is only read, so one instance can serve every request thread. */
#include "domain/catalog/catalog.h"
#include "core/utf8.h"

#include <stdint.h>

#include "core/alloc.h"

static const char *const urgency_names[] = {"normal", "urgent", "critical"};

const char *wg_catalog_urgency_name(enum wg_urgency u)
{
    if ((unsigned)u >= sizeof urgency_names / sizeof urgency_names[0])
        return "normal";
    return urgency_names[u];
}

enum wg_rc wg_catalog_urgency_parse(const char *name, enum wg_urgency *out, struct wg_err *err)
{
    for (size_t i = 0; i < sizeof urgency_names / sizeof urgency_names[0]; i++) {
        if (name && strcmp(name, urgency_names[i]) == 0) {
            *out = (enum wg_urgency)i;
            return WG_OK;
        }
    }
    return wg_err_set(err, WG_EINVAL, "urgency '%s' is not one of normal, urgent, critical",
                      name ? name : "");
}

void wg_catalog_init(struct wg_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->defaults.sign = WG_CATALOG_SIGN_DEFAULT;
    cat->defaults.ret = WG_CATALOG_RETURN_DEFAULT;
    cat->defaults.reply = WG_CATALOG_REPLY_DEFAULT;
    cat->defaults.extension = WG_CATALOG_EXTEND_DEFAULT;
}

static const char *const attr_type_names[] = {"string", "number",          "datetime",
                                              "text",   "singlevaluelist", "multivaluelist"};

const char *wg_catalog_attr_type_name(enum wg_attr_type t)
{
    if ((unsigned)t >= sizeof attr_type_names / sizeof attr_type_names[0])
        return "string";
    return attr_type_names[t];
}

enum wg_rc wg_catalog_attr_type_parse(const char *name, enum wg_attr_type *out, struct wg_err *err)
{
    for (size_t i = 0; i < sizeof attr_type_names / sizeof attr_type_names[0]; i++) {
        if (name && strcmp(name, attr_type_names[i]) == 0) {
            *out = (enum wg_attr_type)i;
            return WG_OK;
        }
    }
    return wg_err_set(err, WG_EINVAL,
                      "datatype '%.40s' is not one of string, number, datetime, text, "
                      "singlevaluelist, multivaluelist",
                      name ? name : "");
}

int wg_catalog_attr_is_list(enum wg_attr_type t)
{
    return t == WG_ATTR_SINGLEVALUELIST || t == WG_ATTR_MULTIVALUELIST;
}

static void attrs_release(struct wg_catalog_item *it)
{
    for (size_t a = 0; a < it->nattrs; a++) {
        struct wg_catalog_attr *at = &it->attrs[a];
        for (size_t v = 0; v < at->nvalues; v++) {
            free(at->values[v].key);
            free(at->values[v].name);
        }
        free(at->values);
        free(at->description);
        free(at->datatype_description);
    }
    free(it->attrs);
    it->attrs = NULL;
    it->nattrs = 0;
}

void wg_catalog_release(struct wg_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->n; i++) {
        for (size_t k = 0; k < cat->items[i].nkeywords; k++)
            free(cat->items[i].keywords[k]);
        free(cat->items[i].keywords);
        attrs_release(&cat->items[i]);
    }
    free(cat->items);
    free(cat->index);
    wg_catalog_init(cat);
}

/* ---- checks on single values ---- */

static int code_ok(const char *code)
{
    size_t n = 0;
    if (!code)
        return 0;
    for (; code[n]; n++) {
        unsigned char c = (unsigned char)code[n];
        if (n >= WG_CATALOG_CODE_MAX)
            return 0;
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return n > 0;
}

/* Names and keywords are shown to people and written to CSV and XML: valid UTF-8 without
 * control characters. */
static int text_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = wg_utf8_seq(p + i, len - i, &cp);
        if (!n || cp < 0x20 || cp == 0x7F)
            return 0;
        i += n;
    }
    return 1;
}

/* ---- building ---- */

enum wg_rc wg_catalog_add(struct wg_catalog *cat, const char *code, const char *parent,
                          const char *name, struct wg_catalog_item **out, struct wg_err *err)
{
    struct wg_catalog_item *it;
    size_t nlen;
    if (!code_ok(code))
        return wg_err_set(err, WG_EINVAL,
                          "item code '%.40s' must be 1 to %d characters of 0-9, A-Z, a-z, '.', "
                          "'_' or '-'",
                          code ? code : "", WG_CATALOG_CODE_MAX);
    if (parent && *parent && !code_ok(parent))
        return wg_err_set(err, WG_EINVAL, "item '%s': parent code '%.40s' is not a valid code",
                          code, parent);
    if (!name)
        name = "";
    nlen = strlen(name);
    if (nlen > WG_CATALOG_NAME_MAX)
        return wg_err_set(err, WG_EINVAL, "item '%s': name is %zu bytes, at most %d", code, nlen,
                          WG_CATALOG_NAME_MAX);
    if (!text_ok(name, nlen))
        return wg_err_set(err, WG_EINVAL,
                          "item '%s': name is not valid UTF-8 or holds control characters", code);
    if (cat->n >= WG_CATALOG_ITEMS_MAX)
        return wg_err_set(err, WG_ETOOBIG, "catalog already holds %d items, the most allowed",
                          WG_CATALOG_ITEMS_MAX);
    wg_grow(&cat->items, &cat->cap, cat->n, sizeof *cat->items, 64);
    it = &cat->items[cat->n++];
    memset(it, 0, sizeof *it);
    snprintf(it->code, sizeof it->code, "%s", code);
    snprintf(it->parent, sizeof it->parent, "%s", parent ? parent : "");
    memcpy(it->name, name, nlen + 1);
    it->urgency = WG_URGENCY_NORMAL;
    cat->indexed = 0;
    if (out)
        *out = it;
    return WG_OK;
}

enum wg_rc wg_catalog_keyword_add(struct wg_catalog_item *it, const char *kw, struct wg_err *err)
{
    size_t len = kw ? strlen(kw) : 0;
    char **nk, *copy;
    if (len == 0)
        return wg_err_set(err, WG_EINVAL, "item '%s': empty keyword", it->code);
    if (len > WG_CATALOG_KEYWORD_MAX)
        return wg_err_set(err, WG_EINVAL, "item '%s': keyword '%.60s…' is %zu bytes, at most %d",
                          it->code, kw, len, WG_CATALOG_KEYWORD_MAX);
    if (!text_ok(kw, len))
        return wg_err_set(err, WG_EINVAL,
                          "item '%s': keyword is not valid UTF-8 or holds control characters",
                          it->code);
    if (it->nkeywords >= WG_CATALOG_KEYWORDS_MAX)
        return wg_err_set(err, WG_EINVAL, "item '%s': more than %d keywords", it->code,
                          WG_CATALOG_KEYWORDS_MAX);
    copy = wg_strdup(kw);
    nk = wg_realloc(it->keywords, (it->nkeywords + 1) * sizeof *nk);
    nk[it->nkeywords++] = copy;
    it->keywords = nk;
    return WG_OK;
}

/* A text an attribute holds: valid UTF-8 without control characters other than line breaks
 * in descriptions, at most WG_CATALOG_ATTR_TEXT_MAX bytes; empty only where allowed. */
static enum wg_rc attr_text(const char *who, const char *what, const char *s, int empty_ok,
                            char **out, struct wg_err *err)
{
    size_t len = s ? strlen(s) : 0;
    *out = NULL;
    if (!len && !empty_ok)
        return wg_err_set(err, WG_EINVAL, "%s: %s is empty", who, what);
    if (len > WG_CATALOG_ATTR_TEXT_MAX)
        return wg_err_set(err, WG_EINVAL, "%s: %s is %zu bytes, at most %d", who, what, len,
                          WG_CATALOG_ATTR_TEXT_MAX);
    if (!text_ok(s ? s : "", len))
        return wg_err_set(err, WG_EINVAL, "%s: %s is not valid UTF-8 or holds control characters",
                          who, what);
    *out = wg_strdup(s ? s : "");
    return WG_OK;
}

enum wg_rc wg_catalog_attr_add(struct wg_catalog_item *it, const char *code, enum wg_attr_type type,
                               int required, const char *description,
                               const char *datatype_description, struct wg_catalog_attr **out,
                               struct wg_err *err)
{
    struct wg_catalog_attr a, *na;
    char who[64];
    enum wg_rc rc;
    memset(&a, 0, sizeof a);
    if (!code_ok(code))
        return wg_err_set(err, WG_EINVAL,
                          "item '%s': attribute code '%.40s' must be 1 to %d characters of 0-9, "
                          "A-Z, a-z, '.', '_' or '-'",
                          it->code, code ? code : "", WG_CATALOG_CODE_MAX);
    snprintf(who, sizeof who, "item '%s', attribute '%s'", it->code, code);
    if ((unsigned)type > WG_ATTR_MULTIVALUELIST)
        return wg_err_set(err, WG_EINVAL, "%s: datatype %d is not known", who, (int)type);
    if (it->nattrs >= WG_CATALOG_ATTRS_MAX)
        return wg_err_set(err, WG_EINVAL, "item '%s': more than %d attributes", it->code,
                          WG_CATALOG_ATTRS_MAX);
    if ((rc = attr_text(who, "description", description, 0, &a.description, err)))
        return rc;
    if ((rc = attr_text(who, "datatype_description", datatype_description, 1,
                        &a.datatype_description, err))) {
        free(a.description);
        return rc;
    }
    na = wg_realloc(it->attrs, (it->nattrs + 1) * sizeof *na);
    it->attrs = na;
    snprintf(a.code, sizeof a.code, "%s", code);
    a.type = type;
    a.required = required != 0;
    a.variable = 1;
    a.order = (int)it->nattrs + 1;
    na[it->nattrs] = a;
    if (out)
        *out = &na[it->nattrs];
    it->nattrs++;
    return WG_OK;
}

enum wg_rc wg_catalog_value_add(struct wg_catalog_attr *a, const char *key, const char *name,
                                struct wg_err *err)
{
    struct wg_catalog_value v, *nv;
    char who[64];
    enum wg_rc rc;
    snprintf(who, sizeof who, "attribute '%s'", a->code);
    if (a->nvalues >= WG_CATALOG_VALUES_MAX)
        return wg_err_set(err, WG_EINVAL, "%s: more than %d values", who, WG_CATALOG_VALUES_MAX);
    if ((rc = attr_text(who, "a value's key", key, 0, &v.key, err)))
        return rc;
    if ((rc = attr_text(who, "a value's name", name, 0, &v.name, err))) {
        free(v.key);
        return rc;
    }
    nv = wg_realloc(a->values, (a->nvalues + 1) * sizeof *nv);
    a->values = nv;
    nv[a->nvalues++] = v;
    return WG_OK;
}

const struct wg_catalog_attr *wg_catalog_attr_find(const struct wg_catalog_item *it,
                                                   const char *code)
{
    for (size_t i = 0; code && i < it->nattrs; i++)
        if (!strcmp(it->attrs[i].code, code))
            return &it->attrs[i];
    return NULL;
}

const struct wg_catalog_value *wg_catalog_value_find(const struct wg_catalog_attr *a,
                                                     const char *key)
{
    for (size_t i = 0; key && i < a->nvalues; i++)
        if (!strcmp(a->values[i].key, key))
            return &a->values[i];
    return NULL;
}

/* Codes and orders unique in the item; values exactly on the lists, keys unique. */
static enum wg_rc check_attrs(const struct wg_catalog_item *it, struct wg_err *err)
{
    for (size_t i = 0; i < it->nattrs; i++) {
        const struct wg_catalog_attr *a = &it->attrs[i];
        if (!code_ok(a->code))
            return wg_err_set(err, WG_EINVAL, "item '%s': attribute %zu has no valid code",
                              it->code, i);
        if (a->order < 1 || a->order > 1000)
            return wg_err_set(err, WG_EINVAL,
                              "item '%s', attribute '%s': order %d must be between 1 and 1000",
                              it->code, a->code, a->order);
        if (!a->description || !a->description[0])
            return wg_err_set(err, WG_EINVAL, "item '%s', attribute '%s': description is empty",
                              it->code, a->code);
        for (size_t k = 0; k < i; k++) {
            if (!strcmp(it->attrs[k].code, a->code))
                return wg_err_set(err, WG_EINVAL, "item '%s': attribute '%s' appears twice",
                                  it->code, a->code);
            if (it->attrs[k].order == a->order)
                return wg_err_set(err, WG_EINVAL,
                                  "item '%s': attributes '%s' and '%s' have the same order %d",
                                  it->code, it->attrs[k].code, a->code, a->order);
        }
        if (wg_catalog_attr_is_list(a->type) && a->nvalues == 0)
            return wg_err_set(err, WG_EINVAL,
                              "item '%s', attribute '%s': a %s needs at least one value", it->code,
                              a->code, wg_catalog_attr_type_name(a->type));
        if (!wg_catalog_attr_is_list(a->type) && a->nvalues)
            return wg_err_set(err, WG_EINVAL,
                              "item '%s', attribute '%s': a %s attribute takes no values "
                              "(only singlevaluelist and multivaluelist do)",
                              it->code, a->code, wg_catalog_attr_type_name(a->type));
        for (size_t v = 0; v < a->nvalues; v++)
            for (size_t w = 0; w < v; w++)
                if (!strcmp(a->values[v].key, a->values[w].key))
                    return wg_err_set(err, WG_EINVAL,
                                      "item '%s', attribute '%s': value key '%.40s' appears twice",
                                      it->code, a->code, a->values[v].key);
    }
    return WG_OK;
}

/* ---- lookup ---- */

static const struct wg_catalog_item *find_in(const struct wg_catalog *cat, const char *code)
{
    if (!code || !*code)
        return NULL;
    if (cat->indexed) {
        size_t lo = 0, hi = cat->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const struct wg_catalog_item *it = &cat->items[cat->index[mid]];
            int c = strcmp(code, it->code);
            if (c == 0)
                return it;
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        return NULL;
    }
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->items[i].code, code) == 0)
            return &cat->items[i];
    return NULL;
}

const struct wg_catalog_item *wg_catalog_find(const struct wg_catalog *cat, const char *code)
{
    return find_in(cat, code);
}

/* Fills the unset fields of *l from it and its ancestors, then from the defaults. Returns
 * the item whose parent is missing or where the chain loops (after more steps than there
 * are items), or NULL when the chain is whole. */
static const struct wg_catalog_item *
inherit(const struct wg_catalog *cat, const struct wg_catalog_item *it, struct wg_catalog_limits *l)
{
    size_t steps = 0;
    memset(l, 0, sizeof *l);
    while (it) {
        if (!l->sign)
            l->sign = it->limits.sign;
        if (!l->ret)
            l->ret = it->limits.ret;
        if (!l->reply)
            l->reply = it->limits.reply;
        if (!l->extension)
            l->extension = it->limits.extension;
        if (!it->parent[0])
            break;
        if (++steps > cat->n)
            return it;
        {
            const struct wg_catalog_item *up = find_in(cat, it->parent);
            if (!up)
                return it;
            it = up;
        }
    }
    if (!l->sign)
        l->sign = cat->defaults.sign;
    if (!l->ret)
        l->ret = cat->defaults.ret;
    if (!l->reply)
        l->reply = cat->defaults.reply;
    if (!l->extension)
        l->extension = cat->defaults.extension;
    return NULL;
}

enum wg_rc wg_catalog_limits(const struct wg_catalog *cat, const char *code,
                             struct wg_catalog_limits *out, struct wg_err *err)
{
    const struct wg_catalog_item *it = find_in(cat, code), *bad;
    if (!it)
        return wg_err_set(err, WG_ENOTFOUND, "catalog item '%s' does not exist", code ? code : "");
    bad = inherit(cat, it, out);
    if (bad)
        return wg_err_set(err, WG_EINVAL,
                          "item '%s': the chain of parents is broken or loops at item '%s'",
                          it->code, bad->code);
    return WG_OK;
}

int wg_catalog_dup_radius(const struct wg_catalog *cat, const char *code)
{
    const struct wg_catalog_item *it = cat && code && *code ? find_in(cat, code) : NULL;
    /* the depth bound keeps a looping chain (an unvalidated catalog) from spinning */
    for (int depth = 0; it && depth <= WG_CATALOG_MAX_DEPTH; depth++) {
        if (it->dup_radius)
            return it->dup_radius;
        it = it->parent[0] ? find_in(cat, it->parent) : NULL;
    }
    return WG_CATALOG_DUP_RADIUS_DEFAULT;
}

size_t wg_catalog_children(const struct wg_catalog *cat, const char *code,
                           const struct wg_catalog_item **out, size_t max)
{
    size_t count = 0;
    if (!code)
        code = "";
    for (size_t i = 0; i < cat->n; i++) {
        if (strcmp(cat->items[i].parent, code) != 0)
            continue;
        if (count < max)
            out[count] = &cat->items[i];
        count++;
    }
    return count;
}

/* ---- validation ---- */

static int cmp_item_code(const void *a, const void *b)
{
    const struct wg_catalog_item *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

static enum wg_rc check_limit(const char *who, const char *what, int v, int unset_ok,
                              struct wg_err *err)
{
    if ((v == 0 && unset_ok) || (v > 0 && v <= WG_CATALOG_LIMIT_MAX))
        return WG_OK;
    return wg_err_set(err, WG_EINVAL, "%s: %s limit %d must be between 1 and %d working minutes%s",
                      who, what, v, WG_CATALOG_LIMIT_MAX, unset_ok ? " (or unset)" : "");
}

static enum wg_rc check_limits(const char *who, const struct wg_catalog_limits *l, int unset_ok,
                               struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = check_limit(who, "sign", l->sign, unset_ok, err)) ||
        (rc = check_limit(who, "return", l->ret, unset_ok, err)) ||
        (rc = check_limit(who, "reply", l->reply, unset_ok, err)) ||
        (rc = check_limit(who, "extension", l->extension, unset_ok, err)))
        return rc;
    return WG_OK;
}

/* Sorts the items by code into cat->index and reports a code given twice. */
static enum wg_rc build_index(struct wg_catalog *cat, struct wg_err *err)
{
    const struct wg_catalog_item **sorted = NULL;
    enum wg_rc rc = WG_OK;
    free(cat->index);
    cat->index = NULL;
    cat->indexed = 0;
    if (cat->n == 0)
        return WG_OK;
    sorted = wg_malloc(cat->n * sizeof *sorted);
    cat->index = wg_malloc(cat->n * sizeof *cat->index);
    for (size_t i = 0; i < cat->n; i++)
        sorted[i] = &cat->items[i];
    qsort(sorted, cat->n, sizeof *sorted, cmp_item_code);
    for (size_t i = 0; i < cat->n; i++) {
        cat->index[i] = (size_t)(sorted[i] - cat->items);
        if (i > 0 && strcmp(sorted[i]->code, sorted[i - 1]->code) == 0) {
            size_t a = (size_t)(sorted[i - 1] - cat->items), b = cat->index[i];
            rc = wg_err_set(err, WG_EINVAL, "item '%s' appears twice (items %zu and %zu)",
                            sorted[i]->code, a < b ? a : b, a < b ? b : a);
            goto out;
        }
    }
    cat->indexed = 1;
out:
    free(sorted);
    if (rc) {
        free(cat->index);
        cat->index = NULL;
    }
    return rc;
}

/* Depth of every item (1 at the top), walking each chain of parents once; reports a loop.
 * Needs the index (every parent is known to exist by then). */
static enum wg_rc check_tree(const struct wg_catalog *cat, struct wg_err *err)
{
    /* depth[i]: 0 not seen yet, SIZE_MAX on the path being walked, else the depth */
    size_t *depth = wg_calloc(cat->n ? cat->n : 1, sizeof *depth);
    size_t *path = wg_malloc((cat->n ? cat->n : 1) * sizeof *path);
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; i < cat->n; i++) {
        size_t np = 0, cur = i, base = 0;
        for (;;) {
            if (depth[cur] == SIZE_MAX) {
                rc = wg_err_set(err, WG_EINVAL,
                                "item '%s' is its own ancestor: its chain of parents loops",
                                cat->items[cur].code);
                goto out;
            }
            if (depth[cur] != 0) {
                base = depth[cur];
                break;
            }
            depth[cur] = SIZE_MAX;
            path[np++] = cur;
            if (!cat->items[cur].parent[0])
                break;
            cur = (size_t)(find_in(cat, cat->items[cur].parent) - cat->items);
        }
        while (np > 0) {
            size_t k = path[--np];
            depth[k] = ++base;
            if (base > WG_CATALOG_MAX_DEPTH) {
                rc = wg_err_set(err, WG_EINVAL, "item '%s' lies %zu levels deep, at most %d",
                                cat->items[k].code, base, WG_CATALOG_MAX_DEPTH);
                goto out;
            }
        }
    }
out:
    free(depth);
    free(path);
    return rc;
}

enum wg_rc wg_catalog_validate(struct wg_catalog *cat, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = check_limits("catalog defaults", &cat->defaults, 0, err)))
        return rc;
    if (cat->defaults.extension < cat->defaults.reply)
        return wg_err_set(err, WG_EINVAL,
                          "catalog defaults: extension limit %d is shorter than the reply "
                          "limit %d",
                          cat->defaults.extension, cat->defaults.reply);
    for (size_t i = 0; i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i];
        char who[48];
        snprintf(who, sizeof who, "item '%s'", it->code);
        if (!code_ok(it->code))
            return wg_err_set(err, WG_EINVAL, "item %zu: code '%.40s' is not a valid code", i,
                              it->code);
        if (!it->name[0])
            return wg_err_set(err, WG_EINVAL, "item '%s': name is empty", it->code);
        if ((unsigned)it->urgency > WG_URGENCY_CRITICAL)
            return wg_err_set(err, WG_EINVAL, "item '%s': urgency %d is not known", it->code,
                              (int)it->urgency);
        if ((rc = check_limits(who, &it->limits, 1, err)))
            return rc;
        if (strcmp(it->parent, it->code) == 0)
            return wg_err_set(err, WG_EINVAL, "item '%s' is its own parent", it->code);
        if ((rc = check_attrs(it, err)))
            return rc;
    }
    if ((rc = build_index(cat, err)))
        return rc;
    for (size_t i = 0; i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i];
        if (it->parent[0] && !find_in(cat, it->parent)) {
            rc = wg_err_set(err, WG_EINVAL, "item '%s': parent '%s' does not exist", it->code,
                            it->parent);
            goto fail;
        }
    }
    if ((rc = check_tree(cat, err)))
        goto fail;
    for (size_t i = 0; i < cat->n; i++) {
        struct wg_catalog_limits l;
        inherit(cat, &cat->items[i], &l); /* the tree is whole: cannot fail */
        if (l.extension < l.reply) {
            rc = wg_err_set(err, WG_EINVAL,
                            "item '%s': extension limit %d is shorter than its reply limit %d "
                            "(own or inherited)",
                            cat->items[i].code, l.extension, l.reply);
            goto fail;
        }
    }
    return WG_OK;
fail:
    free(cat->index);
    cat->index = NULL;
    cat->indexed = 0;
    return rc;
}
