/* Catalog versions: changes applied whole and checked, stored canonical (reading a version
 * back and writing it again gives the same bytes), refused with the item named, and the
 * snapshot slot that never goes back to an older version. */
#include <stdlib.h>
#include <unistd.h>

#include "domain/catalog/catalog_store.h"

#include "t.h"
#include "t_store.h"
#include "store/catalog/catalog_q.h"

static const struct wg_catalog_change ANY = {"admin", 1764547200, -1}; /* 2025-12-01 */

static json_t *item(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!j)
        abort();
    return j;
}

static long long put(struct wg_db *db, const struct wg_catalog_change *ch, const char *code,
                     const char *text, int *created, struct wg_err *err)
{
    json_t *j = item(text);
    long long v = 0;
    int c = 0;
    enum wg_rc rc = wg_catalog_store_put_item(db, ch, code, j, &v, &c, err);
    json_decref(j);
    if (created)
        *created = c;
    return rc ? -(long long)rc : v;
}

struct body {
    char *text;
};

static int take(const struct wg_catalog_version_row *r, void *ctx)
{
    ((struct body *)ctx)->text = strdup(r->body);
    return 1;
}

static void test_versions(void)
{
    struct wg_store *st = t_store_open("catalog");
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_catalog_snap *snap = NULL;
    long long head = -1, v;
    int created = 0;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);

    /* nothing stored: the shipped defaults are version 0 */
    T_EQ_INT(wg_catalog_store_load(db, &snap, &err), WG_OK);
    T_EQ_INT(snap->snap.version, 0);
    T_CHECK(wg_catalog_find(&snap->cat, "06028") != NULL);
    size_t shipped = snap->cat.n;
    wg_catalog_snap_release(snap);

    /* a new item under 06 */
    T_EQ_INT(put(db, &ANY, "06999",
                 "{\"parent\":\"06\",\"name\":\"井盖缺失\",\"urgency\":\"urgent\","
                 "\"keywords\":[\"井盖\"],\"limits\":{\"reply_minutes\":450}}",
                 &created, &err),
             1);
    T_CHECK(created);
    T_EQ_INT(wg_catalog_store_load(db, &snap, &err), WG_OK);
    T_EQ_INT(snap->snap.version, 1);
    T_EQ_INT(snap->cat.n, shipped + 1);
    const struct wg_catalog_item *it = wg_catalog_find(&snap->cat, "06999");
    T_CHECK(it && it->urgency == WG_URGENCY_URGENT && it->limits.reply == 450);
    wg_catalog_snap_release(snap);

    /* changed in place: same place, new name; the body's code must be the path's */
    T_EQ_INT(put(db, &ANY, "06999", "{\"code\":\"06999\",\"parent\":\"06\",\"name\":\"井盖丢失\"}",
                 &created, &err),
             2);
    T_CHECK(!created);
    T_EQ_INT(
        put(db, &ANY, "06999", "{\"code\":\"06998\",\"parent\":\"06\",\"name\":\"x\"}", NULL, &err),
        -WG_EINVAL);
    T_CHECK(strstr(err.msg, "'06999'") != NULL);

    /* the whole catalog is checked, and the refusal names the item */
    T_EQ_INT(put(db, &ANY, "06997", "{\"parent\":\"nope\",\"name\":\"孤儿\"}", NULL, &err),
             -WG_EINVAL);
    T_CHECK(strstr(err.msg, "06997") != NULL);
    T_EQ_INT(put(db, &ANY, "06997", "{\"parent\":\"06\",\"name\":\"\"}", NULL, &err), -WG_EINVAL);
    T_CHECK(strstr(err.msg, "06997") != NULL);
    T_EQ_INT(
        put(db, &ANY, "06997", "{\"parent\":\"06\",\"name\":\"x\",\"colour\":\"red\"}", NULL, &err),
        -WG_EINVAL);
    T_CHECK(strstr(err.msg, "06997") && strstr(err.msg, "colour"));
    /* a parent made its own descendant: a cycle */
    T_EQ_INT(put(db, &ANY, "06", "{\"parent\":\"06999\",\"name\":\"市容环境\"}", NULL, &err),
             -WG_EINVAL);
    T_EQ_INT(wg_store_catalog_head(db, &head, &err), WG_OK);
    T_EQ_INT(head, 2); /* nothing stored by the refusals */

    /* the version read: If-Match */
    struct wg_catalog_change stale = {"admin", 1764547200, 1};
    T_EQ_INT(put(db, &stale, "06996", "{\"parent\":\"06\",\"name\":\"x\"}", NULL, &err),
             -WG_EPRECOND);
    T_CHECK(strstr(err.msg, "version 2, not 1") != NULL);

    /* delete: not with children, not what is not there */
    T_EQ_INT(wg_catalog_store_delete_item(db, &ANY, "06", &v, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "item '06' has") && strstr(err.msg, "06028"));
    T_EQ_INT(wg_catalog_store_delete_item(db, &ANY, "06990", &v, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_catalog_store_delete_item(db, &ANY, "06999", &v, &err), WG_OK);
    T_EQ_INT(v, 3);

    /* every stored version round-trips exactly: read, write again, the same bytes */
    for (long long n = 1; n <= 3; n++) {
        struct body b = {NULL};
        struct wg_catalog cat;
        T_EQ_INT(wg_store_catalog_get(db, n, take, &b, &err), WG_OK);
        wg_catalog_init(&cat);
        T_EQ_INT(wg_catalog_parse(&cat, b.text, strlen(b.text), &err), WG_OK);
        json_t *again = wg_catalog_to_json(&cat);
        char *text = json_dumps(again, JSON_COMPACT);
        T_EQ_STR(text, b.text);
        free(text);
        json_decref(again);
        wg_catalog_release(&cat);
        free(b.text);
    }
    json_t *list = NULL, *one = NULL;
    T_EQ_INT(wg_catalog_store_versions_json(db, &list, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(list, "versions")), 3);
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(list, "versions"), 0), "change")),
             "deleted item 06999");
    T_EQ_INT(wg_catalog_store_version_json(db, 0, &one, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(json_object_get(one, "catalog"), "items")), shipped);
    json_decref(one);
    T_EQ_INT(wg_catalog_store_version_json(db, 9, &one, &err), WG_ENOTFOUND);
    json_decref(list);

    /* the slot keeps the newest version it was given */
    struct wg_slot slot;
    struct wg_catalog_snap *a = NULL, *b2 = NULL;
    wg_slot_init(&slot);
    T_EQ_INT(wg_catalog_store_load(db, &a, &err), WG_OK);
    T_EQ_INT(wg_catalog_store_load(db, &b2, &err), WG_OK);
    b2->snap.version = 1; /* as a slow reload of an older version would be */
    wg_catalog_slot_publish(&slot, a);
    wg_catalog_slot_publish(&slot, b2);
    T_EQ_INT(wg_slot_version(&slot), 3);
    wg_slot_release(&slot);

    wg_store_put(db);
    t_store_close(st);
}

int main(void)
{
    test_versions();
    return T_DONE("catalog_store");
}
