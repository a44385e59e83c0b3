/* Notifications: what becomes a row of the delivery outbox, enqueued in the caller's
 * transaction; the payloads and the envelope a webhook receives; a caller's own list (see
 * notify.h for the rules; notify_worker.c delivers the rows). */
#include "domain/notify/notify.h"

#include "core/alloc.h"
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

/* The accounts told of an order beside its unit: the usernames collected before any row is
 * written (the rows go in on the same connection). */
struct people {
    char (*name)[WG_NOTIFY_RECIPIENT_MAX + 1];
    size_t n, cap;
};

static int add_person(const char *username, void *ctx)
{
    struct people *p = ctx;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->name[i], username))
            return 0;
    if (p->n >= WG_NOTIFY_FANOUT_MAX || strlen(username) > WG_NOTIFY_RECIPIENT_MAX)
        return 0;
    wg_grow(&p->name, &p->cap, p->n, sizeof p->name[0], 8);
    snprintf(p->name[p->n++], sizeof p->name[0], "%s", username);
    return 0;
}

/* Enqueues one payload to the unit (when unit is not NULL or ""), the username `first` (when
 * not NULL or "") and the accounts of role (when not NULL) whose scope covers the order's
 * place (its grid, or its county without one), each once. */
static enum wg_rc tell(struct wg_db *db, const char *kind, const struct wg_notify_order *no,
                       const char *place, const char *unit, const char *first, const char *role,
                       const char *by, long long now, const json_t *body, struct wg_err *err)
{
    char recipient[WG_NOTIFY_RECIPIENT_MAX + 8];
    struct people p = {0};
    char *payload = wg_notify_order_payload(kind, no, by, now, body);
    enum wg_rc rc = WG_OK;
    if (!payload)
        return wg_err_set(err, WG_EINTERNAL, "the '%s' notification could not be written as JSON",
                          kind);
    if (unit && *unit) {
        snprintf(recipient, sizeof recipient, "unit:%s", unit);
        rc = wg_notify(db, recipient, kind, no->id, payload, err);
    }
    if (!rc && ((first && *first) || role)) {
        if (first && *first)
            add_person(first, &p);
        if (role && place && *place)
            rc = wg_store_accounts_for_place(db, role, place, WG_NOTIFY_FANOUT_MAX, add_person, &p,
                                             err);
        for (size_t i = 0; !rc && i < p.n; i++)
            rc = wg_notify(db, p.name[i], kind, no->id, payload, err);
        free(p.name);
    }
    free(payload);
    return rc;
}

static const char *place_of(const struct wg_order_row *o)
{
    return o->grid[0] ? o->grid : o->county;
}

enum wg_rc wg_notify_order_action(struct wg_db *db, const char *action,
                                  const struct wg_order_row *o, const char *unit,
                                  const char *next_state, const struct wg_order_facts *f,
                                  const struct wg_actor *actor, const json_t *body, long long now,
                                  struct wg_err *err)
{
    struct wg_notify_order no = order_of(o, unit, next_state, f);
    const char *level = json_string_value(json_object_get(body, "level"));
    const char *by = actor->username;
    if (!strcmp(action, "dispatch") || !strcmp(action, "urge"))
        return unit && *unit ? tell(db, action, &no, NULL, unit, NULL, NULL, by, now, body, err)
                             : WG_OK; /* nobody holds it: nobody to push */
    if (!strcmp(action, "supervise")) /* a red one reaches the supervisors too */
        return tell(db, action, &no, place_of(o), unit, NULL,
                    level && !strcmp(level, "red") ? "supervisor" : NULL, by, now, body, err);
    if (!strcmp(action, "return") || !strcmp(action, "extend"))
        return tell(db, action, &no, place_of(o), NULL, o->created_by, "agent", by, now, body, err);
    return WG_OK;
}

enum wg_rc wg_notify_order_in_grid(struct wg_db *db, const struct wg_order_row *o, long long now,
                                   struct wg_err *err)
{
    struct wg_order_facts f = {0};
    struct wg_notify_order no = order_of(o, NULL, "received", &f);
    if (!o->grid[0])
        return WG_OK;
    return tell(db, "in_grid", &no, o->grid, NULL, NULL, "gridworker", o->created_by, now, NULL,
                err);
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
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:b}", "id", (json_int_t)r->id, "recipient",
                          r->recipient, "channel", r->channel, "kind", r->kind, "state", r->state,
                          "attempts", r->attempts, "created_at", r->created_at, "read", r->read);
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

/* Whose rows the actor reads: their username's and their unit's. */
static void reader_of(const struct wg_actor *actor, char unit[WG_NOTIFY_RECIPIENT_MAX],
                      struct wg_outbox_reader *who)
{
    unit[0] = '\0';
    if (wg_scope_is_unit(&actor->scope) && actor->scope.code[0])
        snprintf(unit, WG_NOTIFY_RECIPIENT_MAX, "unit:%s", actor->scope.code);
    who->a = actor->username;
    who->b = unit;
}

enum wg_rc wg_notify_list(struct wg_db *db, const struct wg_actor *actor, int unread_only,
                          long long limit, long long offset, json_t **out, struct wg_err *err)
{
    char unit[WG_NOTIFY_RECIPIENT_MAX];
    struct wg_outbox_reader who;
    struct listing l = {json_array()};
    long long unread = 0;
    enum wg_rc rc;
    if (limit <= 0)
        limit = WG_NOTIFY_LIST_DEFAULT;
    if (limit > WG_NOTIFY_LIST_MAX || offset < 0)
        return wg_err_set(err, WG_EINVAL, "'limit' must be 1 to %d and 'offset' 0 or more",
                          WG_NOTIFY_LIST_MAX);
    reader_of(actor, unit, &who);
    /* one snapshot: the count and the page agree */
    if ((rc = wg_db_begin_read(db, err)))
        goto out;
    rc = wg_store_outbox_list(db, &who, unread_only, limit, offset, add_row, &l, err);
    if (!rc)
        rc = wg_store_outbox_unread(db, &who, &unread, err);
    if (rc || (rc = wg_db_commit(db, err)))
        wg_db_rollback(db);
out:
    if (rc) {
        json_decref(l.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I,s:I}", "notifications", l.arr, "unread", (json_int_t)unread,
                     "limit", (json_int_t)limit, "offset", (json_int_t)offset);
    return WG_OK;
}

enum wg_rc wg_notify_unread(struct wg_db *db, const struct wg_actor *actor, long long *n,
                            struct wg_err *err)
{
    char unit[WG_NOTIFY_RECIPIENT_MAX];
    struct wg_outbox_reader who;
    reader_of(actor, unit, &who);
    return wg_store_outbox_unread(db, &who, n, err);
}

enum wg_rc wg_notify_mark_check(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                                struct wg_notify_mark *m, struct wg_err *err)
{
    json_t *ids = json_object_get(body, "ids"), *all = json_object_get(body, "all"), *v;
    char unit[WG_NOTIFY_RECIPIENT_MAX];
    struct wg_outbox_reader who;
    size_t i;
    memset(m, 0, sizeof *m);
    if (!json_is_object(body) || (!ids && !all) || (ids && all))
        return wg_err_set(err, WG_EINVAL,
                          "give either 'ids' (the notifications to mark read) or 'all': true");
    if (all) {
        if (!json_is_true(all))
            return wg_err_set(err, WG_EINVAL,
                              "'all' must be true (to mark every notification read)");
        m->all = 1;
        return WG_OK;
    }
    if (!json_is_array(ids) || json_array_size(ids) == 0)
        return wg_err_set(err, WG_EINVAL, "'ids' must be a non-empty array of notification ids");
    if (json_array_size(ids) > WG_NOTIFY_MARK_MAX)
        return wg_err_set(err, WG_EINVAL, "'ids' holds %zu ids; at most %d at once",
                          json_array_size(ids), WG_NOTIFY_MARK_MAX);
    m->ids = wg_malloc(json_array_size(ids) * sizeof *m->ids);
    reader_of(actor, unit, &who);
    json_array_foreach(ids, i, v)
    {
        int owned = 0;
        enum wg_rc rc;
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            wg_notify_mark_release(m);
            return wg_err_set(err, WG_EINVAL,
                              "ids[%zu] is not a notification id (a whole "
                              "number above 0)",
                              i);
        }
        if ((rc = wg_store_outbox_owned(db, &who, (long long)json_integer_value(v), &owned, err))) {
            wg_notify_mark_release(m);
            return rc;
        }
        if (!owned) {
            wg_notify_mark_release(m);
            return wg_err_set(err, WG_ENOTFOUND,
                              "ids[%zu]: notification %lld is not one of yours; nothing was "
                              "marked",
                              i, (long long)json_integer_value(v));
        }
        m->ids[m->n++] = (long long)json_integer_value(v);
    }
    return WG_OK;
}

void wg_notify_mark_release(struct wg_notify_mark *m)
{
    free(m->ids);
    m->ids = NULL;
    m->n = 0;
}

enum wg_rc wg_notify_mark_write(struct wg_db *db, const struct wg_actor *actor,
                                const struct wg_notify_mark *m, long long now, long long *marked,
                                struct wg_err *err)
{
    char unit[WG_NOTIFY_RECIPIENT_MAX], at[32];
    struct wg_outbox_reader who;
    long long n = 0;
    enum wg_rc rc = WG_OK;
    reader_of(actor, unit, &who);
    wg_clock_iso(now, at);
    *marked = 0;
    if (m->all)
        return wg_store_outbox_mark_read(db, &who, 0, at, marked, err);
    for (size_t i = 0; i < m->n && !rc; i++) {
        rc = wg_store_outbox_mark_read(db, &who, m->ids[i], at, &n, err);
        *marked += n;
    }
    return rc;
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

struct names {
    char (*v)[64];
    size_t n, cap;
};

static int add_name(const char *username, void *ctx)
{
    struct names *s = ctx;
    if (strlen(username) >= 64)
        return 0;
    wg_grow(&s->v, &s->cap, s->n, sizeof s->v[0], 8);
    snprintf(s->v[s->n++], sizeof s->v[0], "%s", username);
    return 0;
}

enum wg_rc wg_notify_role_at(struct wg_db *db, const char *role, const char *place,
                             const char *kind, const char *payload_json, int *told,
                             struct wg_err *err)
{
    struct names who = {0};
    enum wg_rc rc =
        wg_store_accounts_for_place(db, role, place, WG_NOTIFY_FANOUT_MAX, add_name, &who, err);
    for (size_t k = 0; !rc && k < who.n; k++)
        rc = wg_notify(db, who.v[k], kind, 0, payload_json, err);
    if (told)
        *told = rc ? 0 : (int)who.n;
    free(who.v);
    return rc;
}
