/* Revealing an order's reporter to someone who will phone them: the clear name and phone,
 * or — where a deployment never shows numbers — a call request to its virtual-number
 * service through the outbox. Who may is wg_order_reveal_refusal's (order_ctx.c); the
 * caller (api/orders/reveal.c) audits every reveal before anything leaves. */
#include "domain/orders/order_ctx.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "domain/notify/notify.h"

/* The order, when the caller may reveal its reporter; WG_ENOTFOUND, WG_EFORBIDDEN or
 * WG_ECONFLICT naming the order and the reason otherwise. Unload it after success. */
static enum wg_rc load_revealable(struct wg_db *db, const struct wg_actor *actor, long long id,
                                  struct wg_order *o, struct wg_err *err)
{
    struct wg_order_assist a;
    enum wg_order_relation rel;
    const char *why;
    enum wg_rc rc = wg_order_load(db, id, o, err);
    if (rc)
        return rc;
    if ((rc = wg_order_relate(db, actor, &o->row, &a, &rel, err)))
        goto fail;
    if ((why = wg_order_reveal_refusal(&o->row, actor, &rc))) {
        rc = wg_err_set(err, rc, "order %lld's reporter cannot be revealed to you: %s", id, why);
        goto fail;
    }
    return WG_OK;
fail:
    wg_order_unload(o);
    return rc;
}

enum wg_rc wg_order_reveal(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_actor *actor, long long id, char **name, char **phone,
                           struct wg_err *err)
{
    struct wg_order o;
    enum wg_rc rc;
    *name = *phone = NULL;
    if ((rc = load_revealable(db, actor, id, &o, err)))
        return rc;
    if (o.row.reporter_name && o.row.reporter_name[0])
        rc = wg_pii_decrypt(env->keys, o.row.reporter_name, "order.reporter_name", name, err);
    if (!rc)
        rc = wg_pii_decrypt(env->keys, o.row.reporter_phone, "order.reporter_phone", phone, err);
    if (rc) {
        wg_err_prefix(err, "order %lld's reporter", id);
        wg_pii_wipe(*name);
        wg_pii_wipe(*phone);
        *name = *phone = NULL;
    } else if (!*name) {
        *name = wg_strdup("");
    }
    wg_order_unload(&o);
    return rc;
}

enum wg_rc wg_order_call_request(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 long long now, struct wg_err *err)
{
    struct wg_order o;
    char at[32], *text;
    json_t *payload;
    enum wg_rc rc;
    if ((rc = load_revealable(db, actor, id, &o, err)))
        return rc;
    wg_clock_iso(now, at);
    /* the number as stored, sealed: the delivery opens it on its way to the service */
    payload =
        json_pack("{s:s,s:s,s:s,s:s,s:{s:I,s:s},s:s}", "kind", "call_request", "at", at, "by",
                  actor->username, "role", wg_role_name(actor->role), "order", "id", (json_int_t)id,
                  "number", o.row.number, "reporter_phone_sealed", o.row.reporter_phone);
    text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    rc = text ? wg_notify(db, WG_ORDER_CALL_PROXY, "call_request", id, text, err)
              : wg_err_set(err, WG_EINTERNAL, "order %lld's call request could not be made", id);
    free(text);
    wg_order_unload(&o);
    return rc;
}
