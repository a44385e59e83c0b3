/* Catalog versions: changes applied to the newest stored JSON form, checked whole, stored
 * canonical; snapshots of the catalog in force and the slot a server reads them from. */
#include "domain/catalog/catalog_store.h"

#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/catalog/catalog_q.h"

/* ---- snapshots and the slot ---- */

static void snap_free(struct wg_snap *p)
{
    struct wg_catalog_snap *s = (struct wg_catalog_snap *)p;
    wg_catalog_release(&s->cat);
    free(s);
}

static struct wg_catalog_snap *snap_new(long long version)
{
    struct wg_catalog_snap *s = wg_calloc(1, sizeof *s);
    wg_snap_init(&s->snap, version, snap_free);
    wg_catalog_init(&s->cat);
    return s;
}

void wg_catalog_snap_release(struct wg_catalog_snap *s)
{
    wg_snap_release(s ? &s->snap : NULL);
}

struct body {
    char *text;
};

static int take_body(const struct wg_catalog_version_row *r, void *ctx)
{
    struct body *b = ctx;
    b->text = wg_strdup(r->body);
    return 1;
}

/* The stored body of version v (owned), or NULL with err. */
static char *stored_body(struct wg_db *db, long long v, struct wg_err *err)
{
    struct body b = {NULL};
    if (wg_store_catalog_get(db, v, take_body, &b, err))
        return NULL;
    if (!b.text)
        wg_err_set(err, WG_ENOTFOUND, "catalog version %lld is not stored", v);
    return b.text;
}

enum wg_rc wg_catalog_store_load(struct wg_db *db, struct wg_catalog_snap **out, struct wg_err *err)
{
    long long v = 0;
    char *text = NULL;
    struct wg_catalog_snap *s;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_store_catalog_head(db, &v, err)))
        return rc;
    if (v && !(text = stored_body(db, v, err)))
        return err ? err->rc : WG_EDB;
    s = snap_new(v);
    if (text) {
        rc = wg_catalog_parse(&s->cat, text, strlen(text), err);
        if (rc)
            wg_err_prefix(err, "stored catalog version %lld", v);
    } else {
        rc = wg_catalog_load_defaults(&s->cat, err);
        if (!rc)
            rc = wg_catalog_validate(&s->cat, err);
    }
    free(text);
    if (rc) {
        wg_catalog_snap_release(s);
        return rc;
    }
    *out = s;
    return WG_OK;
}

struct wg_catalog_snap *wg_catalog_slot_acquire(struct wg_slot *s)
{
    return (struct wg_catalog_snap *)wg_slot_acquire(s);
}

void wg_catalog_slot_publish(struct wg_slot *s, struct wg_catalog_snap *snap)
{
    wg_slot_publish(s, &snap->snap);
}

/* ---- changes ---- */

/* The newest catalog's JSON form (the shipped defaults' when none is stored) and its
 * version. */
static enum wg_rc head_json(struct wg_db *db, long long *version, json_t **out, struct wg_err *err)
{
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_store_catalog_head(db, version, err)))
        return rc;
    if (*version) {
        json_error_t je;
        char *text = stored_body(db, *version, err);
        if (!text)
            return err ? err->rc : WG_EDB;
        *out = json_loads(text, JSON_REJECT_DUPLICATES, &je);
        free(text);
        if (!*out)
            return wg_err_set(err, WG_EDB, "stored catalog version %lld is not JSON: %s", *version,
                              je.text);
        return WG_OK;
    }
    struct wg_catalog cat;
    wg_catalog_init(&cat);
    rc = wg_catalog_load_defaults(&cat, err);
    if (!rc && !(*out = wg_catalog_to_json(&cat)))
        rc = wg_err_set(err, WG_EINTERNAL, "the shipped catalog could not be written as JSON");
    wg_catalog_release(&cat);
    return rc;
}

/* Checks the changed catalog whole and stores its canonical form as the next version. */
static enum wg_rc store_next(struct wg_db *db, const struct wg_catalog_change *ch, long long head,
                             const json_t *changed, const char *what, long long *version,
                             struct wg_err *err)
{
    struct wg_catalog cat;
    json_t *canon = NULL;
    char *body = NULL, at[32];
    enum wg_rc rc;
    wg_catalog_init(&cat);
    if ((rc = wg_catalog_from_json(&cat, changed, err)))
        goto out;
    if (!(canon = wg_catalog_to_json(&cat)) || !(body = json_dumps(canon, JSON_COMPACT))) {
        rc = wg_err_set(err, WG_EINTERNAL, "the changed catalog could not be written as JSON");
        goto out;
    }
    wg_clock_iso(ch->now, at);
    struct wg_catalog_version_row r = {head + 1, body, ch->actor, at, what};
    if (!(rc = wg_store_catalog_insert(db, &r, err)))
        *version = head + 1;
out:
    free(body);
    json_decref(canon);
    wg_catalog_release(&cat);
    return rc;
}

/* The index of the item with this code in the items array, or -1. */
static long find_item(const json_t *items, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *c = json_string_value(json_object_get(it, "code"));
        if (c && !strcmp(c, code))
            return (long)i;
    }
    return -1;
}

/* Opens the change's transaction and reads the newest catalog, checking the version the
 * caller read. */
static enum wg_rc begin_change(struct wg_db *db, const struct wg_catalog_change *ch,
                               long long *head, json_t **root, struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    if ((rc = head_json(db, head, root, err)))
        goto fail;
    if (ch->expect_version >= 0 && ch->expect_version != *head) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "the catalog is at version %lld, not %lld: it changed since you read "
                        "it; read it again",
                        *head, ch->expect_version);
        goto fail;
    }
    if (!json_is_array(json_object_get(*root, "items"))) {
        rc = wg_err_set(err, WG_EDB, "catalog version %lld has no items", *head);
        goto fail;
    }
    return WG_OK;
fail:
    json_decref(*root);
    *root = NULL;
    wg_db_rollback(db);
    return rc;
}

static enum wg_rc end_change(struct wg_db *db, enum wg_rc rc, json_t *root, struct wg_err *err)
{
    json_decref(root);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}

enum wg_rc wg_catalog_store_put_item(struct wg_db *db, const struct wg_catalog_change *ch,
                                     const char *code, const json_t *item, long long *version,
                                     int *created, struct wg_err *err)
{
    json_t *root = NULL, *items, *copy;
    const char *given;
    char what[96];
    long long head = 0;
    long at;
    enum wg_rc rc;
    *version = 0;
    *created = 0;
    if (!code || !*code || strlen(code) > WG_CATALOG_CODE_MAX)
        return wg_err_set(err, WG_EINVAL, "item code '%.40s' must be 1 to %d characters",
                          code ? code : "", WG_CATALOG_CODE_MAX);
    if (!json_is_object(item))
        return wg_err_set(err, WG_EINVAL, "item '%s': the body must be a JSON object", code);
    given = json_string_value(json_object_get(item, "code"));
    if (json_object_get(item, "code") && (!given || strcmp(given, code)))
        return wg_err_set(err, WG_EINVAL,
                          "item '%s': the body's 'code' must be the code in the path, or left out",
                          code);
    if ((rc = begin_change(db, ch, &head, &root, err)))
        return rc;
    items = json_object_get(root, "items");
    if (!(copy = json_deep_copy(item)) || json_object_set_new(copy, "code", json_string(code))) {
        json_decref(copy);
        return end_change(db, wg_err_set(err, WG_EINVAL, "item '%s' could not be read", code), root,
                          err);
    }
    at = find_item(items, code);
    *created = at < 0;
    if (at < 0)
        json_array_append_new(items, copy);
    else
        json_array_set_new(items, (size_t)at, copy);
    snprintf(what, sizeof what, "%s item %s", *created ? "created" : "changed", code);
    rc = store_next(db, ch, head, root, what, version, err);
    return end_change(db, rc, root, err);
}

enum wg_rc wg_catalog_store_delete_item(struct wg_db *db, const struct wg_catalog_change *ch,
                                        const char *code, long long *version, struct wg_err *err)
{
    json_t *root = NULL, *items, *it;
    char what[96], kids[128] = "";
    size_t i, nkids = 0, len = 0;
    long long head = 0;
    long at;
    enum wg_rc rc;
    *version = 0;
    if ((rc = begin_change(db, ch, &head, &root, err)))
        return rc;
    items = json_object_get(root, "items");
    if ((at = find_item(items, code ? code : "")) < 0)
        return end_change(
            db,
            wg_err_set(err, WG_ENOTFOUND, "item '%.40s' is not in the catalog", code ? code : ""),
            root, err);
    json_array_foreach(items, i, it)
    {
        const char *p = json_string_value(json_object_get(it, "parent"));
        if (!p || strcmp(p, code))
            continue;
        if (nkids++ < 4 && len < sizeof kids)
            len += (size_t)snprintf(kids + len, sizeof kids - len, "%s%s", len ? ", " : "",
                                    json_string_value(json_object_get(it, "code")));
    }
    if (nkids)
        return end_change(db,
                          wg_err_set(err, WG_ECONFLICT,
                                     "item '%s' has %zu child item%s (%s%s); delete or move them "
                                     "first",
                                     code, nkids, nkids == 1 ? "" : "s", kids,
                                     nkids > 4 ? ", ..." : ""),
                          root, err);
    json_array_remove(items, (size_t)at);
    snprintf(what, sizeof what, "deleted item %s", code);
    rc = store_next(db, ch, head, root, what, version, err);
    return end_change(db, rc, root, err);
}

/* ---- reading versions ---- */

struct version_out {
    json_t *j;
};

static int take_version(const struct wg_catalog_version_row *r, void *ctx)
{
    struct version_out *o = ctx;
    json_t *cat = r->body[0] ? json_loads(r->body, 0, NULL) : NULL;
    o->j = json_pack("{s:I,s:s,s:s,s:s}", "version", (json_int_t)r->version, "created_by",
                     r->created_by, "created_at", r->created_at, "change", r->change);
    if (o->j && cat)
        json_object_set_new(o->j, "catalog", cat);
    else
        json_decref(cat);
    return 1;
}

enum wg_rc wg_catalog_store_version_json(struct wg_db *db, long long version, json_t **out,
                                         struct wg_err *err)
{
    struct version_out o = {NULL};
    enum wg_rc rc;
    *out = NULL;
    if (version < 0)
        return wg_err_set(err, WG_ENOTFOUND, "catalog version %lld does not exist", version);
    if (version == 0) {
        struct wg_catalog cat;
        wg_catalog_init(&cat);
        rc = wg_catalog_load_defaults(&cat, err);
        if (!rc && !(*out = json_pack("{s:I,s:s,s:o}", "version", (json_int_t)0, "change",
                                      "the shipped defaults", "catalog", wg_catalog_to_json(&cat))))
            rc = wg_err_set(err, WG_EINTERNAL, "the shipped catalog could not be written as JSON");
        wg_catalog_release(&cat);
        return rc;
    }
    if ((rc = wg_store_catalog_get(db, version, take_version, &o, err)))
        return rc;
    if (!o.j || !json_object_get(o.j, "catalog")) {
        json_decref(o.j);
        return wg_err_set(err, WG_EDB, "stored catalog version %lld does not read", version);
    }
    *out = o.j;
    return WG_OK;
}

static int add_version(const struct wg_catalog_version_row *r, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s}", "version", (json_int_t)r->version,
                                         "created_by", r->created_by, "created_at", r->created_at,
                                         "change", r->change));
    return 0;
}

enum wg_rc wg_catalog_store_versions_json(struct wg_db *db, json_t **out, struct wg_err *err)
{
    json_t *arr = json_array();
    enum wg_rc rc;
    if ((rc = wg_store_catalog_each(db, add_version, arr, err))) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "versions", arr);
    return WG_OK;
}
