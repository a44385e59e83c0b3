/* The residents' portal: tracking codes, submissions, the throttle, the public view of an
 * order and the resident's rating (the rules are in portal.h). */
#include "domain/portal/portal.h"
#include "core/utf8.h"

#include "core/jfield.h"

#include "domain/orders/order_ctx.h"

#include <arpa/inet.h>
#include <math.h>
#include <stddef.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/param.h"
#include "domain/orders/order_fsm.h"
#include "domain/orders/photo.h"
#include "store/catalog/catalog_q.h"
#include "store/orders/orders_q.h"
#include "store/portal/portal_q.h"

void wg_portal_config_init(struct wg_portal_config *c)
{
    memset(c, 0, sizeof *c);
    c->per_address = 20;
    c->address_window = 3600;
    c->per_phone = 5;
    c->phone_window = 86400;
    c->misses = 60;
    c->miss_window = 3600;
    c->cards = 120;
    c->card_window = 3600;
    c->photos = 9;
}

static enum wg_rc whole(const char *key, const char *v, long lo, long hi, int *out,
                        struct wg_err *err)
{
    long n;
    enum wg_rc rc = wg_parse_whole(key, v, lo, hi, &n, err);
    if (!rc)
        *out = (int)n;
    return rc;
}

enum wg_rc wg_portal_config_set(struct wg_portal_config *c, const char *key, const char *value,
                                struct wg_err *err)
{
    static const struct {
        const char *key;
        size_t off;
        long lo, hi;
    } ints[] = {
        {"portal_appeals_per_address", offsetof(struct wg_portal_config, per_address), 1, 1000000},
        {"portal_address_window", offsetof(struct wg_portal_config, address_window), 1, 7 * 86400},
        {"portal_appeals_per_phone", offsetof(struct wg_portal_config, per_phone), 1, 1000000},
        {"portal_phone_window", offsetof(struct wg_portal_config, phone_window), 1, 7 * 86400},
        {"portal_misses_per_address", offsetof(struct wg_portal_config, misses), 1, 1000000},
        {"portal_miss_window", offsetof(struct wg_portal_config, miss_window), 1, 7 * 86400},
        {"portal_cards_per_address", offsetof(struct wg_portal_config, cards), 1, 1000000},
        {"portal_card_window", offsetof(struct wg_portal_config, card_window), 1, 7 * 86400},
        {"portal_photos", offsetof(struct wg_portal_config, photos), 0, 100},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!strcmp(key, ints[i].key))
            return whole(key, value, ints[i].lo, ints[i].hi, (int *)((char *)c + ints[i].off), err);
    if (!strcmp(key, "portal_trust_forwarded")) {
        if (!strcmp(value, "on") || !strcmp(value, "true") || !strcmp(value, "1"))
            c->trust_forwarded = 1;
        else if (!strcmp(value, "off") || !strcmp(value, "false") || !strcmp(value, "0"))
            c->trust_forwarded = 0;
        else
            return wg_err_set(err, WG_EINVAL, "portal_trust_forwarded must be on or off, not '%s'",
                              value);
        return WG_OK;
    }
    return wg_err_set(err, WG_EINVAL, "unknown setting '%s'", key);
}

void wg_portal_client_addr(const struct wg_portal_config *c, const char *peer,
                           const char *forwarded, char out[46])
{
    unsigned char bin[16];
    const char *last;
    size_t n;
    snprintf(out, 46, "%s", peer ? peer : "-");
    if (!c->trust_forwarded || !forwarded)
        return;
    last = strrchr(forwarded, ',');
    last = last ? last + 1 : forwarded;
    last += strspn(last, " \t");
    n = strcspn(last, " \t");
    if (!n || n >= 46)
        return;
    char addr[46];
    memcpy(addr, last, n);
    addr[n] = '\0';
    if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
        memcpy(out, addr, n + 1);
}

const struct wg_portal_type wg_portal_types[] = {
    {"complaint", "complaint", "投诉", "Complaint", 0, 2},
    {"help", "help", "求助", "Help", 0, 2},
    {"blue", "suggestion", "建议", "Suggestion", 1, 2},
    {"yellow", "complaint", "吐槽", "Grumble", 1, 2},
    {"green", "wish", "心愿", "Wish", 1, 2},
    {"orange", "consult", "宣传", "Publicity", 1, 2},
    {"red", "help", "服务", "Service", 1, 2},
    {"consult", "consult", "咨询", "Question", 0, 1},
    {"report", "report", "举报", "Report", 0, 1},
    {"praise", "praise", "表扬", "Praise", 0, 1},
    /* the bags of the same names stand for these in the list */
    {"suggestion", "suggestion", "建议", "Suggestion", 0, 0},
    {"wish", "wish", "心愿", "Wish", 0, 0},
    {NULL, NULL, NULL, NULL, 0, 0},
};

const struct wg_portal_type *wg_portal_type_find(const char *code)
{
    for (const struct wg_portal_type *t = wg_portal_types; code && t->code; t++)
        if (!strcmp(t->code, code))
            return t;
    return NULL;
}

json_t *wg_portal_types_json(const struct wg_catalog *cat)
{
    json_t *types = json_array(), *items = json_array();
    for (const struct wg_portal_type *t = wg_portal_types; t->code; t++) {
        if (!t->listed)
            continue;
        json_t *j =
            json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "code", t->code, "order_type", t->order_type,
                      "name", t->zh, "name_en", t->en, "bag", t->bag, "featured", t->listed == 2);
        json_array_append_new(types, j);
    }
    for (size_t i = 0; cat && i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i];
        if (!it->public_intake)
            continue;
        json_t *j = json_pack("{s:s,s:s}", "code", it->code, "name", it->name);
        const struct wg_catalog_item *parent =
            it->parent[0] ? wg_catalog_find(cat, it->parent) : NULL;
        if (parent)
            json_object_set_new(j, "group", json_string(parent->name));
        json_array_append_new(items, j);
    }
    return json_pack("{s:o,s:o}", "types", types, "items", items);
}

/* Tracking codes. */

static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void wg_portal_code_new(char out[WG_PORTAL_CODE_SHOWN])
{
    size_t w = 0;
    for (int i = 0; i < WG_PORTAL_CODE_CHARS; i++) {
        if (i && i % 4 == 0)
            out[w++] = '-';
        out[w++] = code_alphabet[randombytes_uniform(32)];
    }
    out[w] = '\0';
}

enum wg_rc wg_portal_code_hash(const char *code, char hash[65], char shown[WG_PORTAL_CODE_SHOWN],
                               struct wg_err *err)
{
    char canon[WG_PORTAL_CODE_CHARS + 1];
    unsigned char d[crypto_hash_sha256_BYTES];
    size_t n = 0, w = 0;
    for (const char *p = code ? code : ""; *p; p++) {
        char c = *p;
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (!strchr(code_alphabet, c) || !c || n == WG_PORTAL_CODE_CHARS)
            return wg_err_set(err, WG_ENOTFOUND, "no appeal has this tracking code");
        canon[n++] = c;
    }
    if (n != WG_PORTAL_CODE_CHARS)
        return wg_err_set(err, WG_ENOTFOUND, "no appeal has this tracking code");
    canon[n] = '\0';
    crypto_hash_sha256(d, (const unsigned char *)canon, n);
    sodium_bin2hex(hash, 65, d, sizeof d);
    for (size_t i = 0; i < n; i++) {
        if (i && i % 4 == 0)
            shown[w++] = '-';
        shown[w++] = canon[i];
    }
    shown[w] = '\0';
    return WG_OK;
}

/* Submissions. */

static void type_list(char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (const struct wg_portal_type *t = wg_portal_types; t->code && len < n; t++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", t->code);
}

const char *const wg_portal_appeal_fields[] = {
    "type", "item", "text", "lon", "lat", "crs", "source", "address", "phone", "anonymous", NULL};
const char *const wg_portal_rating_fields[] = {"satisfaction", "resolved", "comment", NULL};

enum wg_rc wg_portal_parse(const json_t *body, const struct wg_catalog *cat,
                           struct wg_portal_input *in, struct wg_err *err)
{
    static const char *const sources[] = {"gps", "map", "address", NULL};
    char list[256];
    json_t *lon, *lat, *anon;
    enum wg_rc rc;
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body must be a JSON object");
    const char *type = json_string_value(json_object_get(body, "type"));
    if (!(in->type = wg_portal_type_find(type))) {
        type_list(list, sizeof list);
        return wg_err_set(err, WG_EINVAL, "'type' must be one of %s", list);
    }
    if ((rc = wg_jf_text(body, "item", 0, WG_CATALOG_CODE_MAX, &in->item, err)) ||
        (rc = wg_jf_text(body, "text", 1, WG_PORTAL_TEXT_MAX, &in->text, err)) ||
        (rc = wg_jf_text(body, "address", 0, 200, &in->address, err)) ||
        (rc = wg_jf_text(body, "phone", 0, 40, &in->phone, err)))
        return rc;
    if (json_object_get(body, "source") && !json_is_null(json_object_get(body, "source")) &&
        (rc = wg_jf_one_of(body, "source", sources, NULL, &in->source, err)))
        return rc;
    if (in->item && *in->item) {
        const struct wg_catalog_item *it = cat ? wg_catalog_find(cat, in->item) : NULL;
        if (!it || !it->public_intake)
            return wg_err_set(err, WG_EINVAL,
                              "'item' '%s' is not a catalog item open to residents "
                              "(GET /api/v1/public/types lists them)",
                              in->item);
    } else {
        in->item = NULL;
    }
    lon = json_object_get(body, "lon");
    lat = json_object_get(body, "lat");
    if (!lon)
        return wg_err_set(err, WG_EINVAL, "'lon' is required: the place, from GPS or the map");
    if (!lat)
        return wg_err_set(err, WG_EINVAL, "'lat' is required: the place, from GPS or the map");
    if (!json_is_number(lon) || !isfinite(json_number_value(lon)) ||
        fabs(json_number_value(lon)) > 180)
        return wg_err_set(err, WG_EINVAL, "'lon' must be a number from -180 to 180");
    if (!json_is_number(lat) || !isfinite(json_number_value(lat)) ||
        fabs(json_number_value(lat)) > 90)
        return wg_err_set(err, WG_EINVAL, "'lat' must be a number from -90 to 90");
    in->lon = json_number_value(lon);
    in->lat = json_number_value(lat);
    json_t *crs = json_object_get(body, "crs");
    if (crs && !json_is_string(crs))
        return wg_err_set(err, WG_EINVAL, "'crs' must be wgs84, cgcs2000, gcj02 or bd09");
    if ((rc = wg_crs_parse(json_string_value(crs), &in->crs, err))) {
        wg_err_prefix(err, "'crs'");
        return rc;
    }
    anon = json_object_get(body, "anonymous");
    if (anon && !json_is_boolean(anon))
        return wg_err_set(err, WG_EINVAL, "'anonymous' must be true or false");
    in->anonymous = json_is_true(anon);
    if (in->phone && !*in->phone)
        in->phone = NULL;
    if (in->phone && in->anonymous)
        return wg_err_set(err, WG_EINVAL,
                          "'phone' and 'anonymous': true exclude each other: "
                          "leave the phone out to stay anonymous");
    if (in->phone && (rc = wg_pii_check_phone(in->phone, err))) {
        wg_err_prefix(err, "'phone'");
        return rc;
    }
    if (!in->phone)
        in->anonymous = 1; /* nobody to call back: the tracking code is the only way back */
    /* the title the centre's lists show: the bag, then the start of the text */
    const char *t = in->text + strspn(in->text, " \t\r\n");
    int cut = (int)wg_utf8_prefix(t, 30);
    snprintf(in->title, sizeof in->title, "%s%s%s%.*s%s", in->type->bag ? "【" : "",
             in->type->bag ? in->type->zh : "", in->type->bag ? "】" : "", cut, t,
             t[cut] ? "…" : "");
    for (char *p = in->title; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return WG_OK;
}

void wg_portal_order_input(const struct wg_portal_input *in, const struct wg_catalog *cat,
                           struct wg_order_input *out)
{
    const struct wg_catalog_item *it = in->item && cat ? wg_catalog_find(cat, in->item) : NULL;
    memset(out, 0, sizeof *out);
    out->channel = "app";
    out->type = in->type->order_type;
    out->item = in->item;
    out->title = in->title;
    out->content = in->text;
    out->address = in->address;
    out->urgency = it ? wg_catalog_urgency_name(it->urgency) : "normal";
    out->has_point = 1;
    out->lon = in->lon;
    out->lat = in->lat;
    out->crs = in->crs;
    out->reporter_phone = in->phone;
    out->anonymous = in->anonymous;
}

void wg_portal_actor(struct wg_actor *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "resident");
    a->role = WG_ROLE_RESIDENT;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
}

/* The throttle. */

void wg_throttle_set(struct wg_throttle *t, const char *what, const char *who, int limit,
                     int window)
{
    snprintf(t->key, sizeof t->key, "%s:%s", what, who);
    t->limit = limit;
    t->window = window > 0 ? window : 1;
}

static enum wg_rc refuse(const struct wg_throttle *t, long long now, int *retry_after,
                         struct wg_err *err)
{
    long long end = (now / t->window + 1) * t->window;
    *retry_after = (int)(end - now);
    return wg_err_set(err, WG_ERATE,
                      "too many requests (%s): at most %d in %d seconds; try again in %d seconds",
                      t->key, t->limit, t->window, *retry_after);
}

enum wg_rc wg_throttle_peek(struct wg_db *db, const struct wg_throttle *t, long long now,
                            int *retry_after, struct wg_err *err)
{
    long hits = 0;
    enum wg_rc rc = wg_store_throttle_hits(db, t->key, now / t->window, &hits, err);
    if (rc)
        return rc;
    return hits >= t->limit ? refuse(t, now, retry_after, err) : WG_OK;
}

enum wg_rc wg_throttle_take(struct wg_db *db, const struct wg_throttle *t, long long now,
                            int *retry_after, struct wg_err *err)
{
    long long win = now / t->window;
    long hits = 0;
    enum wg_rc rc = wg_store_throttle_take(db, t->key, win, (win + 1) * t->window, &hits, err);
    if (rc)
        return rc;
    /* a key's first hit in a window is the moment to drop windows that have ended */
    if (hits == 1 && (rc = wg_store_throttle_prune(db, now, err)))
        return rc;
    return hits > t->limit ? refuse(t, now, retry_after, err) : WG_OK;
}

/* The public view. */

static const char *public_state(const char *s)
{
    return !strcmp(s, "returning") ? "dispatched" : s;
}

/* The text of a reply, answer or self-handling: the `result` its author wrote for the
 * resident (or the first of the other names clients use for it). */
static const char *reply_text(const json_t *detail)
{
    static const char *const keys[] = {"result", "reply", "answer", "text", "content", NULL};
    for (const char *const *k = keys; *k; k++) {
        const char *s = json_string_value(json_object_get(detail, *k));
        if (s && *s)
            return s;
    }
    return NULL;
}

struct view {
    json_t *timeline;
    json_t *unit_photos; /* the SHA-256 of the photos the unit's handlers added */
    json_t *reply;       /* the latest reply's {at, text} */
    char units[8][64];   /* units dispatched to, in order, for their names */
    int nunits;
};

/* A photo the unit's handlers added (most often of the work done, with the reply): the
 * resident sees it as the unit's, without who added it. Photos of other staff (a grid
 * worker's report, the centre's) stay internal. */
static int is_unit_photo(const struct wg_order_event_row *e)
{
    return !strcmp(e->action, "attachment") && !strcmp(e->role, "handler") &&
           strlen(e->detail) == 64;
}

/* Which events a resident sees: those that move the order along its loop. Anything else —
 * notes, instructions, supervision, urging, extensions, returns, attachments, recorded
 * events that keep the state, and actions added later — stays internal. */
static int add_public_event(const struct wg_order_event_row *e, void *ctx)
{
    static const char *const shown[] = {"create",   "dispatch", "approve_return", "sign",
                                        "reply",    "answer",   "self_handle",    "verify",
                                        "callback", "rate",     "reopen",         "suspend",
                                        "resume",   "merge",    "invalidate",     NULL};
    struct view *v = ctx;
    const char *const *s = shown;
    const char *to = e->to_state[0] ? e->to_state : e->from_state;
    json_t *j, *detail = NULL;
    if (is_unit_photo(e)) {
        json_array_append_new(v->unit_photos, json_string(e->detail));
        return 0;
    }
    while (*s && strcmp(*s, e->action))
        s++;
    if (!*s)
        return 0;
    int moved = strcmp(e->from_state, to) != 0;
    /* an assisting unit's sign or reply, an unreachable callback attempt: not the order's */
    if ((!strcmp(e->action, "sign") || !strcmp(e->action, "reply") ||
         !strcmp(e->action, "callback")) &&
        !moved)
        return 0;
    j = json_pack("{s:s,s:s,s:s}", "at", e->at, "event", e->action, "state", public_state(to));
    if (e->detail[0])
        detail = json_loads(e->detail, 0, NULL);
    if (!strcmp(e->action, "reply") || !strcmp(e->action, "answer") ||
        !strcmp(e->action, "self_handle")) {
        const char *text = reply_text(detail);
        if (text) {
            json_object_set_new(j, "text", json_string(text));
            json_decref(v->reply);
            v->reply = json_pack("{s:s,s:s}", "at", e->at, "text", text);
        }
    }
    if (!strcmp(e->action, "verify"))
        json_object_set_new(j, "passed", json_boolean(!strcmp(to, "verified")));
    if (!strcmp(e->action, "dispatch") && v->nunits < 8) {
        const char *unit = json_string_value(json_object_get(detail, "unit"));
        snprintf(v->units[v->nunits++], sizeof v->units[0], "%s", unit ? unit : "");
    }
    json_decref(detail);
    json_array_append_new(v->timeline, j);
    return 0;
}

/* While a unit holds the order and works on it, the resident sees when it is due. */
static int in_hand(const char *state)
{
    return !strcmp(state, "dispatched") || !strcmp(state, "returning") || !strcmp(state, "signed");
}

static int count_photo(const struct wg_photo_row *p, void *ctx)
{
    (void)p;
    ++*(int *)ctx;
    return 0;
}

/* The photos the resident added: the view lists them, and only they are shown back. */
static int own_photo(const struct wg_photo_row *p, void *ctx)
{
    if (!strcmp(p->created_by, "resident"))
        json_array_append_new(ctx, json_string(p->sha256));
    return 0;
}

/* Sets key in j to the unit's name; a unit removed since names nothing. */
static enum wg_rc set_unit_name(struct wg_db *db, const char *id, json_t *j, const char *key,
                                struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc;
    if (!id || !*id)
        return WG_OK;
    rc = wg_store_unit_get(db, id, &u, err);
    if (rc == WG_ENOTFOUND) {
        wg_err_clear(err);
        return WG_OK;
    }
    if (!rc)
        json_object_set_new(j, key, json_string(u.name));
    return rc;
}

enum wg_rc wg_portal_view(struct wg_db *db, const struct wg_catalog *cat, long long order_id,
                          const char *portal_type, const char *code, json_t **out,
                          struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_rating_row rating;
    struct view v = {json_array(), json_array(), NULL, {{0}}, 0};
    json_t *own = json_array();
    struct wg_fsm_ctx ctx;
    enum wg_order_state st;
    enum wg_order_action acts[WG_ACTION_COUNT];
    int photos = 0, rated = 0, can_rate = 0;
    json_t *j;
    enum wg_rc rc;
    if ((rc = wg_store_order_get(db, order_id, &o, err)))
        goto fail_events;
    if ((rc = wg_store_order_events(db, order_id, add_public_event, &v, err)) ||
        (rc = wg_store_photo_list(db, order_id, count_photo, &photos, err)) ||
        (rc = wg_store_photo_list(db, order_id, own_photo, own, err)) ||
        (rc = wg_store_rating_get(db, order_id, &rating, &rated, err)))
        goto fail;
    memset(&ctx, 0, sizeof ctx);
    ctx.rated = rated;
    if (!wg_fsm_state_parse(o.state, &st, NULL)) {
        size_t n = wg_fsm_allowed(st, WG_ROLE_RESIDENT, &ctx, acts, WG_ACTION_COUNT);
        for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
            can_rate |= acts[i] == WG_ACTION_RATE;
    }
    j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:b}", "code", code, "number", o.number, "type",
                  portal_type, "text", o.content, "state", public_state(o.state), "created_at",
                  o.created_at, "updated_at", o.updated_at, "photos", photos, "can_rate", can_rate);
    if (!j) {
        rc = wg_err_set(err, WG_EINTERNAL, "appeal %lld could not be written as JSON", order_id);
        goto fail;
    }
    if (o.item[0]) {
        const struct wg_catalog_item *it = cat ? wg_catalog_find(cat, o.item) : NULL;
        json_object_set_new(j, "item",
                            json_pack("{s:s,s:s}", "code", o.item, "name", it ? it->name : o.item));
    }
    if ((rc = set_unit_name(db, o.unit, j, "unit", err)))
        goto fail_json;
    /* each dispatch names the unit it went to, by name */
    for (size_t i = 0, k = 0; i < json_array_size(v.timeline); i++) {
        json_t *e = json_array_get(v.timeline, i);
        if (strcmp(json_string_value(json_object_get(e, "event")), "dispatch") || k >= 8)
            continue;
        if ((rc = set_unit_name(db, v.units[k++], e, "unit", err)))
            goto fail_json;
    }
    json_object_set_new(j, "own_photos", own);
    json_object_set_new(j, "unit_photos", v.unit_photos);
    v.unit_photos = NULL;
    if (o.reply_deadline > 0 && in_hand(o.state)) {
        char due[32];
        wg_clock_iso(o.reply_deadline, due);
        json_object_set_new(j, "due_at", json_string(due));
    } else {
        json_object_set_new(j, "due_at", json_null());
    }
    json_object_set_new(j, "timeline", v.timeline);
    json_object_set_new(j, "reply", v.reply ? v.reply : json_null());
    json_object_set_new(j, "rating",
                        rated ? json_pack("{s:s,s:b,s:s,s:s}", "satisfaction", rating.satisfaction,
                                          "resolved", rating.resolved, "comment", rating.comment,
                                          "at", rating.rated_at)
                              : json_null());
    wg_store_order_release(&o);
    *out = j;
    return WG_OK;
fail_json:
    json_decref(j);
fail:
    wg_store_order_release(&o);
fail_events:
    json_decref(own);
    json_decref(v.timeline);
    json_decref(v.unit_photos);
    json_decref(v.reply);
    return rc;
}

/* Rating. */

enum wg_rc wg_portal_rating_parse(const json_t *body, json_t **action_body, struct wg_err *err)
{
    enum wg_satisfaction sat;
    const char *comment;
    json_t *resolved;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body must be a JSON object");
    if (!json_object_get(body, "satisfaction"))
        return wg_err_set(err, WG_EINVAL,
                          "'satisfaction' is required: satisfied, "
                          "basically_satisfied or unsatisfied");
    if (wg_fsm_satisfaction_parse(json_string_value(json_object_get(body, "satisfaction")), &sat,
                                  err)) {
        wg_err_prefix(err, "'satisfaction'");
        return WG_EINVAL;
    }
    resolved = json_object_get(body, "resolved");
    if (!json_is_boolean(resolved))
        return wg_err_set(err, WG_EINVAL, "'resolved' is required: true or false");
    if ((rc = wg_jf_text(body, "comment", 0, WG_PORTAL_COMMENT_MAX, &comment, err)))
        return rc;
    *action_body = json_pack("{s:s,s:b}", "satisfaction", wg_fsm_satisfaction_name(sat), "resolved",
                             json_is_true(resolved));
    if (*action_body && comment && *comment)
        json_object_set_new(*action_body, "comment", json_string(comment));
    return *action_body ? WG_OK
                        : wg_err_set(err, WG_EINVAL, "the rating could not be read as JSON");
}

enum wg_rc wg_portal_rate_in(struct wg_db *db, const struct wg_order_env *env, long long order_id,
                             const json_t *action_body, long long now, struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_rating_row r;
    struct wg_actor resident;
    char state[16];
    int rated = 0, version;
    enum wg_rc rc;
    if ((rc = wg_store_rating_get(db, order_id, &r, &rated, err)))
        return rc;
    if (rated)
        return wg_err_set(err, WG_ECONFLICT,
                          "this appeal was rated already (%s); a rating is "
                          "given once",
                          r.rated_at);
    if ((rc = wg_store_order_get(db, order_id, &o, err)))
        return rc;
    version = o.version;
    snprintf(state, sizeof state, "%s", public_state(o.state));
    wg_store_order_release(&o);
    wg_portal_actor(&resident);
    rc = wg_order_act_in(db, env, &resident, order_id, WG_ACTION_RATE, action_body, version, now,
                         err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT,
                          "this appeal can be rated once it has been "
                          "answered; it is now '%s'",
                          state);
    return rc;
}

/* Photos. */

struct own_lookup {
    const char *sha256;
    int found;
};

static int is_own(const struct wg_photo_row *p, void *ctx)
{
    struct own_lookup *l = ctx;
    l->found = !strcmp(p->sha256, l->sha256) && !strcmp(p->created_by, "resident");
    return l->found;
}

static int unit_photo_is(const struct wg_order_event_row *e, void *ctx)
{
    struct own_lookup *l = ctx;
    l->found = is_unit_photo(e) && !strcmp(e->detail, l->sha256);
    return l->found;
}

enum wg_rc wg_portal_photo_read(struct wg_db *db, const char *data_dir, long long order_id,
                                const char *sha256, char **bytes, size_t *len, const char **mime,
                                struct wg_err *err)
{
    struct own_lookup l = {sha256, 0};
    struct wg_actor resident;
    enum wg_rc rc = wg_store_photo_list(db, order_id, is_own, &l, err);
    if (rc)
        return rc;
    if (!l.found && (rc = wg_store_order_events(db, order_id, unit_photo_is, &l, err)))
        return rc;
    if (!l.found)
        return wg_err_set(err, WG_ENOTFOUND,
                          "this appeal has no photo '%.70s' of yours or of its unit", sha256);
    wg_portal_actor(&resident);
    return wg_photo_read(db, &resident, data_dir, sha256, bytes, len, mime, err);
}

enum wg_rc wg_portal_photo_add(struct wg_db *db, const struct wg_portal_config *cfg,
                               const char *data_dir, long long order_id, const void *bytes,
                               size_t len, long long now, json_t **out, struct wg_err *err)
{
    struct wg_order o;
    struct wg_actor resident;
    int photos = 0;
    enum wg_order_state state;
    enum wg_rc rc;
    if ((rc = wg_order_load(db, order_id, &o, err)))
        return rc;
    state = o.state;
    wg_order_unload(&o);
    if (state == WG_STATE_CLOSED || state == WG_STATE_MERGED || state == WG_STATE_INVALID)
        return wg_err_set(err, WG_ECONFLICT, "this appeal is %s: photos can no longer be added",
                          wg_fsm_state_name(state));
    if (cfg->photos <= 0)
        return wg_err_set(err, WG_ECONFLICT, "this appeal takes no photos; at most 0");
    wg_portal_actor(&resident);
    if ((rc = wg_photo_attach(db, &resident, data_dir, order_id, bytes, len, cfg->photos, now, out,
                              err))) {
        if (rc == WG_ECONFLICT)
            wg_err_prefix(err, "this appeal");
        return rc;
    }
    if ((rc = wg_photo_count(db, order_id, &photos, err))) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "photos", json_integer(photos));
    return WG_OK;
}
