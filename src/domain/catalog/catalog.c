/* The catalog model: building, validation, lookup with inherited limits, keyword
 * suggestions and the JSON form. The shipped tree itself is data in catalog_defaults.c.
 * A validated catalog is only read, so one instance can serve every request thread. */
#include "domain/catalog/catalog.h"

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

enum wg_rc wg_catalog_attr_type_parse(const char *name, enum wg_attr_type *out,
                                      struct wg_err *err)
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

static int is_list(enum wg_attr_type t)
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

/* Length in bytes of the UTF-8 character at s (1–4), or 0 when it is malformed, overlong,
 * a surrogate or above U+10FFFF. */
static size_t utf8_char(const unsigned char *s, size_t left, uint32_t *cp)
{
    size_t n;
    uint32_t c = s[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Names and keywords are shown to people and written to CSV and XML: valid UTF-8 without
 * control characters. */
static int text_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_char(p + i, len - i, &cp);
        if (!n || cp < 0x20 || cp == 0x7F)
            return 0;
        i += n;
    }
    return 1;
}

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
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
        if (is_list(a->type) && a->nvalues == 0)
            return wg_err_set(err, WG_EINVAL,
                              "item '%s', attribute '%s': a %s needs at least one value",
                              it->code, a->code, wg_catalog_attr_type_name(a->type));
        if (!is_list(a->type) && a->nvalues)
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

/* ---- suggestions ---- */

/* Folds s (at most cap - 1 bytes are written) for matching: ASCII upper case and full-width
 * Latin letters and digits (U+FF10–FF19, FF21–FF3A, FF41–FF5A) become lower-case ASCII, so
 * "ＷＩＦＩ", "WiFi" and "wifi" meet. Stops at a character boundary. Returns the length. */
static size_t fold(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len && p[i]) {
        unsigned char c = p[i];
        size_t n = 1;
        if (c == 0xEF && i + 2 < len && (p[i + 1] == 0xBC || p[i + 1] == 0xBD) &&
            (p[i + 2] & 0xC0) == 0x80) {
            unsigned cp = 0xFF00u | ((p[i + 1] & 0x03u) << 6) | (p[i + 2] & 0x3Fu);
            if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                (cp >= 0xFF41 && cp <= 0xFF5A)) {
                if (o + 1 >= cap)
                    break;
                c = (unsigned char)(cp - 0xFEE0);
                out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                i += 3;
                continue;
            }
        }
        if (c >= 0x80)
            while (i + n < len && (p[i + n] & 0xC0) == 0x80 && n < 4)
                n++;
        if (o + n >= cap)
            break;
        if (n == 1)
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        else
            memcpy(out + o, p + i, n), o += n;
        i += n;
    }
    out[o] = '\0';
    return o;
}

static int hint_better(const struct wg_catalog_hint *a, const struct wg_catalog_hint *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->matched != b->matched)
        return a->matched > b->matched;
    return strcmp(a->item->code, b->item->code) < 0;
}

size_t wg_catalog_suggest(const struct wg_catalog *cat, const char *text,
                          struct wg_catalog_hint *out, size_t max)
{
    char *t;
    size_t len, count = 0;
    char kws[WG_CATALOG_KEYWORDS_MAX][WG_CATALOG_KEYWORD_MAX + 1];
    char name[WG_CATALOG_NAME_MAX + 1];
    if (!text || !out || max == 0)
        return 0;
    len = strnlen(text, WG_CATALOG_SUGGEST_TEXT_MAX + 1);
    if (len > WG_CATALOG_SUGGEST_TEXT_MAX) {
        len = WG_CATALOG_SUGGEST_TEXT_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    t = wg_malloc(len + 1);
    fold(text, len, t, len + 1);
    for (size_t i = 0; i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i];
        struct wg_catalog_hint h = {it, 0, 0};
        size_t nk =
            it->nkeywords < WG_CATALOG_KEYWORDS_MAX ? it->nkeywords : WG_CATALOG_KEYWORDS_MAX;
        for (size_t k = 0; k < nk; k++) {
            int dup = 0;
            if (!fold(it->keywords[k], strlen(it->keywords[k]), kws[k], sizeof kws[k]))
                continue;
            for (size_t d = 0; d < k && !dup; d++)
                dup = strcmp(kws[d], kws[k]) == 0;
            if (!dup && strstr(t, kws[k])) {
                h.score += (int)utf8_count(kws[k]);
                h.matched++;
            }
        }
        if (fold(it->name, strlen(it->name), name, sizeof name) && strstr(t, name)) {
            h.score += 2 * (int)utf8_count(name);
            h.matched++;
        }
        if (h.score == 0)
            continue;
        /* keep out[] sorted best first, holding at most max */
        if (count == max && !hint_better(&h, &out[max - 1]))
            continue;
        {
            size_t pos = count < max ? count++ : max - 1;
            while (pos > 0 && hint_better(&h, &out[pos - 1])) {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = h;
        }
    }
    free(t);
    return count;
}

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
                          wg_catalog_attr_type_name(a->type), "required", a->required,
                          "variable", a->variable, "order", a->order, "description",
                          a->description, "datatype_description", a->datatype_description);
    if (o && is_list(a->type)) {
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
    static const char *const known[] = {"code",  "datatype",    "required",
                                        "variable", "order",    "description",
                                        "datatype_description", "values"};
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
        return wg_err_set(err, WG_EINVAL, "%s: 'datatype' is required and must be a string",
                          where);
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
            if ((rc = wg_catalog_value_add(a, json_string_value(vk), json_string_value(vn),
                                           err))) {
                wg_err_prefix(err, "%s, values[%zu]", where, n);
                return rc;
            }
        }
    }
    return WG_OK;
}

static enum wg_rc item_from_json(struct wg_catalog *cat, size_t i, const json_t *o,
                                 struct wg_err *err)
{
    static const char *const known[] = {"code",        "parent",        "name",
                                        "limits",      "urgency",       "self_handle",
                                        "public_intake", "keywords",    "attributes"};
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
        while (k < sizeof known / sizeof known[0] && strcmp(key, known[k]) != 0)
            k++;
        if (k == sizeof known / sizeof known[0])
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
