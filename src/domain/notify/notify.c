/* Notifications: what becomes a row of the delivery outbox, enqueued in the caller's
 * transaction; the payloads and the envelope a webhook receives; a caller's own list (see
 * notify.h for the rules; notify_worker.c delivers the rows). */
#include "domain/notify/notify.h"

#include "core/clock.h"
#include "store/notify/notify_q.h"
#include "store/orders/orders_q.h"

#define NOTE_MAX 1000

/* ---- producing ---- */

enum wg_rc wg_notify(struct wg_db *db, const char *recipient, const char *kind, long long order_id,
                     const char *payload_json, struct wg_err *err)
{
    struct wg_outbox_row r = {0};
    json_error_t jerr;
    json_t *check;
    char at[32];
    long long id = 0, now = (long long)time(NULL);
    size_t len;
    if (!recipient || !*recipient || strlen(recipient) > WG_NOTIFY_RECIPIENT_MAX)
        return wg_err_set(err, WG_EINVAL, "a notification needs a recipient of 1 to %d bytes",
                          WG_NOTIFY_RECIPIENT_MAX);
    if (!kind || !*kind || strlen(kind) > 32 ||
        strspn(kind, "abcdefghijklmnopqrstuvwxyz_") != strlen(kind))
        return wg_err_set(err, WG_EINVAL,
                          "notification kind '%.40s' is not lower case letters "
                          "and '_'",
                          kind ? kind : "");
    len = payload_json ? strlen(payload_json) : 0;
    if (len > WG_NOTIFY_PAYLOAD_MAX)
        return wg_err_set(err, WG_ETOOBIG, "notification payload is %zu bytes; at most %d", len,
                          WG_NOTIFY_PAYLOAD_MAX);
    check = payload_json ? json_loads(payload_json, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(check)) {
        json_decref(check);
        return wg_err_set(err, WG_EINVAL, "notification payload must be a JSON object");
    }
    json_decref(check);
    wg_clock_iso(now, at);
    r.recipient = recipient;
    r.channel = "webhook";
    r.kind = kind;
    r.order_id = order_id;
    r.payload = payload_json;
    r.next_attempt_at = now;
    r.created_at = at;
    return wg_store_outbox_insert(db, &r, &id, err);
}

/* s cut to at most max bytes without splitting a UTF-8 character. */
static json_t *cut_string(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    return json_stringn(s, n);
}

static void set_text(json_t *o, const char *key, const char *v)
{
    if (v && *v)
        json_object_set_new(o, key, json_string(v));
}

char *wg_notify_order_payload(const char *kind, const struct wg_notify_order *o, const char *by,
                              long long at, const json_t *body)
{
    static const char *const from_body[] = {"note", "level", "reason"};
    json_t *p = json_object(), *ord = json_object(), *dl;
    char iso[32];
    char *text;
    if (!p || !ord) {
        json_decref(p);
        json_decref(ord);
        return NULL;
    }
    wg_clock_iso(at, iso);
    set_text(p, "kind", kind);
    set_text(p, "at", iso);
    set_text(p, "by", by);
    json_object_set_new(ord, "id", json_integer((json_int_t)o->id));
    set_text(ord, "number", o->number);
    if (o->title && *o->title)
        json_object_set_new(ord, "title", cut_string(o->title, NOTE_MAX));
    set_text(ord, "item", o->item);
    set_text(ord, "urgency", o->urgency);
    set_text(ord, "grid", o->grid);
    set_text(ord, "unit", o->unit);
    set_text(ord, "state", o->state);
    json_object_set_new(p, "order", ord);
    if (o->sign_deadline || o->reply_deadline) {
        dl = json_object();
        if (o->sign_deadline) {
            wg_clock_iso(o->sign_deadline, iso);
            json_object_set_new(dl, "sign", json_string(iso));
        }
        if (o->reply_deadline) {
            wg_clock_iso(o->reply_deadline, iso);
            json_object_set_new(dl, "reply", json_string(iso));
        }
        json_object_set_new(p, "deadlines", dl);
    }
    for (size_t i = 0; body && i < sizeof from_body / sizeof from_body[0]; i++) {
        const char *v = json_string_value(json_object_get(body, from_body[i]));
        if (v && *v)
            json_object_set_new(p, from_body[i], cut_string(v, NOTE_MAX));
    }
    text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(p);
    return text;
}

static enum wg_rc enqueue_order(struct wg_db *db, const char *recipient, const char *kind,
                                const struct wg_notify_order *no, const char *by, long long now,
                                const json_t *body, struct wg_err *err)
{
    char *payload = wg_notify_order_payload(kind, no, by, now, body);
    enum wg_rc rc;
    if (!payload)
        return wg_err_set(err, WG_EINTERNAL, "the '%s' notification could not be written as JSON",
                          kind);
    rc = wg_notify(db, recipient, kind, no->id, payload, err);
    free(payload);
    return rc;
}

/* The order part of a notification: the order as it stands after the change. */
static struct wg_notify_order order_of(const struct wg_order_row *o, const char *unit,
                                       const char *state, const struct wg_order_facts *f)
{
    return (struct wg_notify_order){.id = o->id,
                                    .number = o->number,
                                    .title = o->title,
                                    .item = o->item,
                                    .urgency = o->urgency,
                                    .grid = o->grid,
                                    .unit = unit,
                                    .state = state,
                                    .sign_deadline = f->sign_deadline,
                                    .reply_deadline = f->reply_deadline};
}

enum wg_rc wg_notify_order_action(struct wg_db *db, const char *action,
                                  const struct wg_order_row *o, const char *unit,
                                  const char *next_state, const struct wg_order_facts *f,
                                  const struct wg_actor *actor, const json_t *body, long long now,
                                  struct wg_err *err)
{
    struct wg_notify_order no = order_of(o, unit, next_state, f);
    char recipient[WG_NOTIFY_RECIPIENT_MAX + 8];
    if (!strcmp(action, "dispatch") || !strcmp(action, "urge") || !strcmp(action, "supervise")) {
        if (!unit || !*unit)
            return WG_OK; /* nobody holds it: nobody to push */
        snprintf(recipient, sizeof recipient, "unit:%s", unit);
    } else if (!strcmp(action, "return")) {
        if (!o->created_by[0])
            return WG_OK;
        snprintf(recipient, sizeof recipient, "%s", o->created_by);
    } else {
        return WG_OK;
    }
    return enqueue_order(db, recipient, action, &no, actor->username, now, body, err);
}

enum wg_rc wg_notify_order_assist(struct wg_db *db, const struct wg_order_row *o, const char *lead,
                                  const struct wg_order_facts *f, const char *const *units,
                                  size_t n, const struct wg_actor *actor, const json_t *body,
                                  long long now, struct wg_err *err)
{
    struct wg_notify_order no = order_of(o, lead, "dispatched", f);
    char recipient[WG_NOTIFY_RECIPIENT_MAX + 8];
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        snprintf(recipient, sizeof recipient, "unit:%s", units[i]);
        rc = enqueue_order(db, recipient, "assist", &no, actor->username, now, body, err);
    }
    return rc;
}

enum wg_rc wg_notify_red(struct wg_db *db, long long order_id, long long now, int *queued,
                         struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_order_facts f;
    struct wg_notify_order no;
    char recipient[WG_NOTIFY_RECIPIENT_MAX + 8];
    enum wg_rc rc;
    if (queued)
        *queued = 0;
    if ((rc = wg_store_order_get(db, order_id, &o, err)))
        return rc;
    if ((rc = wg_store_order_facts(db, order_id, &f, err)) || !o.unit[0])
        goto out;
    no = order_of(&o, o.unit, o.state, &f);
    snprintf(recipient, sizeof recipient, "unit:%s", o.unit);
    rc = enqueue_order(db, recipient, "red_light", &no, "-", now, NULL, err);
    if (!rc && queued)
        *queued = 1;
out:
    wg_store_order_release(&o);
    return rc;
}

struct listing {
    json_t *arr;
};

static int add_row(const struct wg_outbox_row *r, void *ctx)
{
    struct listing *l = ctx;
    json_t *payload = json_loads(r->payload, 0, NULL);
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)r->id, "recipient",
                          r->recipient, "channel", r->channel, "kind", r->kind, "state", r->state,
                          "attempts", r->attempts, "created_at", r->created_at);
    char iso[32];
    if (!j) {
        json_decref(payload);
        return 0;
    }
    if (r->order_id)
        json_object_set_new(j, "order_id", json_integer((json_int_t)r->order_id));
    if (r->delivered_at[0])
        json_object_set_new(j, "delivered_at", json_string(r->delivered_at));
    if (!strcmp(r->state, "pending")) {
        wg_clock_iso(r->next_attempt_at, iso);
        json_object_set_new(j, "next_attempt_at", json_string(iso));
    }
    json_object_set_new(j, "payload", payload ? payload : json_object());
    json_array_append_new(l->arr, j);
    return 0;
}

enum wg_rc wg_notify_list(struct wg_db *db, const struct wg_actor *actor, long long limit,
                          long long offset, json_t **out, struct wg_err *err)
{
    char unit[WG_NOTIFY_RECIPIENT_MAX] = "";
    struct listing l = {json_array()};
    enum wg_rc rc;
    if (limit <= 0)
        limit = WG_NOTIFY_LIST_DEFAULT;
    if (limit > WG_NOTIFY_LIST_MAX || offset < 0)
        return wg_err_set(err, WG_EINVAL, "'limit' must be 1 to %d and 'offset' 0 or more",
                          WG_NOTIFY_LIST_MAX);
    if (!strcmp(actor->scope.kind, "unit") && actor->scope.code[0])
        snprintf(unit, sizeof unit, "unit:%s", actor->scope.code);
    rc = wg_store_outbox_list(db, actor->username, unit, limit, offset, add_row, &l, err);
    if (rc) {
        json_decref(l.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I}", "notifications", l.arr, "limit", (json_int_t)limit, "offset",
                     (json_int_t)offset);
    return WG_OK;
}

char *wg_notify_envelope(const struct wg_outbox_row *r)
{
    json_t *payload = json_loads(r->payload, 0, NULL);
    json_t *e = json_pack("{s:I,s:s,s:s,s:s,s:s,s:i}", "id", (json_int_t)r->id, "recipient",
                          r->recipient, "channel", r->channel, "kind", r->kind, "created_at",
                          r->created_at, "attempt", r->attempts);
    char *text;
    if (!e) {
        json_decref(payload);
        return NULL;
    }
    if (r->order_id)
        json_object_set_new(e, "order_id", json_integer((json_int_t)r->order_id));
    /* a payload that does not parse (it was checked on the way in) still reaches the relay */
    json_object_set_new(e, "payload", payload ? payload : json_string(r->payload));
    text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(e);
    return text;
}
