/* Open311 GeoReport v2 service requests: POST requests (intake through the group committer,
 * like every channel's), GET requests with its filters, GET requests/{id}, GET
 * tokens/{token} and the servicerequestupdates extension. Only public, non-confidential
 * orders are ever answered, and nothing of their reporters. */
#include "api/open311/open311.h"

#include <time.h>

#include <sodium.h>

#include "api/handlers.h"
#include "domain/open311/open311.h"
#include "domain/orders/order.h"
#include "domain/orders/duplicates.h"
#include "domain/orders/photo.h"
#include "store/open311/open311_q.h"

#define FORMAT_OR_404(req, json, i)                                                                \
    do {                                                                                           \
        if ((json) < 0)                                                                            \
            return wg_o311_error(req, 0, 404, "format '%.20s' is not served: use .xml or .json",   \
                                 (req)->params[i]);                                                \
    } while (0)

/* ---- POST requests ---- */

/* The Open311 rows written with the order, in the same savepoint. */
struct extra {
    const struct wg_actor *actor;
    const char *data_dir;
    struct wg_order_draft *draft;
    struct wg_open311_row row;
    struct wg_photo photo; /* the uploaded photo, when photo.bytes */
    long long now;
};

static enum wg_rc extra_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct extra *x = ctx;
    int added;
    enum wg_rc rc;
    x->row.order_id = x->draft->row.id;
    if ((rc = wg_store_open311_insert(db, &x->row, err)))
        return rc;
    if (x->photo.bytes)
        rc = wg_photo_link(db, x->actor, x->data_dir, x->draft->row.id, &x->photo, 0, x->now,
                           &added, err);
    return rc;
}

/* The api_key of the form (or of the query string): an integration key with the open311
 * permission. */
static enum wg_rc client_of(struct wg_req *req, const char *key, struct wg_actor *actor,
                            struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if (!key || !*key)
        return wg_err_set(err, WG_EFORBIDDEN,
                          "api_key is required to submit a request: an integration key with the "
                          "open311 permission");
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_apikey_check(db, key, actor, err);
    if (rc == WG_EUNAUTH)
        return wg_err_set(err, WG_EFORBIDDEN,
                          "invalid api_key received: it is unknown or revoked; can't proceed "
                          "with create_request");
    if (rc)
        return rc;
    if (!(actor->perms & WG_P_OPEN311))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "this api_key lacks the open311 permission; can't proceed with "
                          "create_request");
    return WG_OK;
}

/* Seals a contact field the client sent (NULL stays NULL). */
static enum wg_rc seal(struct wg_app *app, const char *v, const char *context, char **out,
                       struct wg_err *err)
{
    *out = NULL;
    return v ? wg_pii_encrypt(app->keys, v, context, out, err) : WG_OK;
}

/* "first last", or family name first without a space when both are Chinese. */
static void full_name(const char *first, const char *last, char *out, size_t size)
{
    out[0] = '\0';
    if (first && last && (unsigned char)first[0] >= 0x80 && (unsigned char)last[0] >= 0x80)
        snprintf(out, size, "%s%s", last, first);
    else if (first && last)
        snprintf(out, size, "%s %s", first, last);
    else if (first || last)
        snprintf(out, size, "%s", first ? first : last);
}

static enum wg_rc post(struct wg_req *req, int json, struct wg_open311_post *p, char **sealed,
                       struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_actor *actor = wg_arena_alloc(req->arena, sizeof *actor);
    struct wg_order_input in;
    struct wg_order_draft draft;
    struct wg_locator *loc;
    struct wg_db *db;
    struct extra x;
    char county[16], name[130], token[33], notice[128];
    unsigned char rnd[16];
    long long now = (long long)time(NULL);
    const char *key;
    enum wg_rc rc;
    if (req->form->rc)
        return wg_err_set(err, req->form->rc == WG_ETOOBIG ? WG_ETOOBIG : WG_EINVAL, "%s",
                          req->form->msg);
    key = wg_form_value(req->form, "api_key");
    if ((rc = client_of(req, key && *key ? key : wg_req_query(req, "api_key"), actor, err)))
        return rc;
    req->actor = actor;
    if ((rc = wg_open311_post_parse(wg_api_catalog(req), req->form, p, err)))
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_o311_jurisdiction(
        db, p->jurisdiction ? p->jurisdiction : wg_req_query(req, "jurisdiction_id"), !p->has_point,
        county, err);
    if (rc)
        return rc;
    if (!p->has_point && !county[0])
        return wg_err_set(err, WG_EINVAL, "no county is served here yet to file a request in");
    memset(&x, 0, sizeof x);
    if (p->media) {
        x.photo = (struct wg_photo){.bytes = p->media->value, .len = p->media->len};
        if ((rc = wg_photo_check(x.photo.bytes, x.photo.len, &x.photo.mime, err))) {
            wg_err_prefix(err, "media");
            return rc;
        }
    }
    memset(&in, 0, sizeof in);
    full_name(p->first_name, p->last_name, name, sizeof name);
    in.channel = "open311";
    in.type = "help";
    in.item = p->item->code;
    in.title = p->item->name;
    in.content = p->description ? p->description : p->item->name;
    in.address = p->address_string;
    in.urgency = wg_catalog_urgency_name(p->item->urgency);
    in.county = p->has_point ? NULL : county;
    in.has_point = p->has_point;
    in.lon = p->lon;
    in.lat = p->lat;
    in.crs = WG_CRS_WGS84;
    in.reporter_name = name[0] ? name : NULL;
    in.reporter_phone = p->phone;
    in.anonymous = !name[0] && !p->phone && !p->email;
    loc = wg_locator_acquire(&app->locator);
    rc = wg_order_prepare(&env, loc, actor, &in, now, &draft, err);
    wg_locator_release(loc);
    if (rc)
        return rc;
    if (p->has_point && county[0] && strcmp(draft.row.county, county)) {
        wg_order_draft_release(&draft);
        return wg_err_set(err, WG_EINVAL, "the point lies in county %s, not in jurisdiction_id %s",
                          draft.row.county, county);
    }
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(token, sizeof token, rnd, sizeof rnd);
    char *attrs = json_dumps(p->attributes, JSON_COMPACT | JSON_SORT_KEYS);
    if (!rc && !(rc = wg_api_db(req, &db, err))) { /* what the request may repeat */
        rc = wg_order_duplicates(db, &env, &draft, now, err);
        wg_api_release(req); /* not held while the intake waits for its batch */
    }
    if (!rc && !(rc = seal(app, p->email, "open311.email", &sealed[0], err)) &&
        !(rc = seal(app, p->device_id, "open311.device_id", &sealed[1], err)))
        rc = seal(app, p->account_id, "open311.account_id", &sealed[2], err);
    /* the request is valid: only now is its photo written, and removed again should the
     * intake not commit */
    if (!rc && x.photo.bytes && (rc = wg_photo_store(app->data_dir, &x.photo, err)))
        wg_err_prefix(err, "media");
    if (!rc) {
        x.actor = actor;
        x.data_dir = app->data_dir;
        x.draft = &draft;
        x.now = now;
        x.row = (struct wg_open311_row){0,
                                        token,
                                        actor->username + 7,
                                        attrs,
                                        p->address_id,
                                        p->media_url,
                                        sealed[0],
                                        sealed[1],
                                        sealed[2],
                                        x.photo.bytes ? x.photo.hex : NULL};
        if ((rc = wg_api_intake(req, &draft, "open311", extra_tx, &x, err)) && x.photo.bytes &&
            !wg_api_db(req, &db, NULL))
            wg_photo_forget(db, app->data_dir, &x.photo);
    }
    free(attrs);
    if (rc) {
        wg_order_draft_release(&draft);
        return rc;
    }
    wg_open311_service_notice(wg_api_catalog(req), p->item, notice, sizeof notice);
    /* the id is known at once (the order is in when this answers): the specification's token
     * stands only for an id not known yet, so none is given */
    json_t *v = json_pack("[{s:s,s:s,s:s?}]", "service_request_id", draft.row.number,
                          "service_notice", notice, "account_id", p->account_id);
    wg_order_draft_release(&draft);
    return wg_o311_reply(req, json, 200, "service_requests", v);
}

enum wg_rc wg_api_open311_post(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    struct wg_open311_post p = {0};
    char *sealed[3] = {NULL, NULL, NULL};
    enum wg_rc rc;
    FORMAT_OR_404(req, json, 0);
    rc = post(req, json, &p, sealed, err);
    wg_open311_post_release(&p);
    for (int i = 0; i < 3; i++)
        free(sealed[i]);
    return rc ? wg_o311_fail(req, json, err) : WG_OK;
}

/* ---- GET requests, requests/{id}, tokens/{token}, servicerequestupdates ---- */

/* A comma list of identifiers as a JSON array text (owned); WG_EINVAL past max. */
static enum wg_rc comma_list(const char *s, const char *name, size_t max, char **out,
                             struct wg_err *err)
{
    json_t *arr = json_array();
    *out = NULL;
    while (arr && s && *s) {
        size_t n = strcspn(s, ",");
        if (n && n <= 64)
            json_array_append_new(arr, json_stringn(s, n));
        else if (n > 64) {
            json_decref(arr);
            return wg_err_set(err, WG_EINVAL, "%s: an entry is longer than 64 bytes", name);
        }
        s += n + (s[n] == ',');
    }
    if (json_array_size(arr) > max) {
        json_decref(arr);
        return wg_err_set(err, WG_EINVAL, "%s: at most %zu entries", name, max);
    }
    *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return WG_OK;
}

/* start_date and end_date as created_at bounds: both given must not span more than 90 days;
 * one given reaches 90 days from it; none is the last 90 days. */
static enum wg_rc date_range(struct wg_req *req, char since[32], char until[32], struct wg_err *err)
{
    const char *s = wg_req_query(req, "start_date"), *e = wg_req_query(req, "end_date");
    long long a = 0, b = 0, now = (long long)time(NULL);
    if (s && *s && wg_open311_parse_time(s, &a, err)) {
        wg_err_prefix(err, "start_date");
        return WG_EINVAL;
    }
    if (e && *e && wg_open311_parse_time(e, &b, err)) {
        wg_err_prefix(err, "end_date");
        return WG_EINVAL;
    }
    if (s && *s && e && *e) {
        if (b < a)
            return wg_err_set(err, WG_EINVAL, "end_date is before start_date");
        if (b - a > WG_OPEN311_MAX_SPAN)
            return wg_err_set(err, WG_EINVAL,
                              "start_date to end_date spans %lld days; at most 90 days may be "
                              "asked at once",
                              (b - a + 86399) / 86400);
    } else if (s && *s) {
        b = a + WG_OPEN311_MAX_SPAN;
    } else if (e && *e) {
        a = b - WG_OPEN311_MAX_SPAN;
    } else {
        b = now;
        a = now - WG_OPEN311_MAX_SPAN;
    }
    wg_open311_utc_time(a, since);
    wg_open311_utc_time(b, until);
    return WG_OK;
}

struct listing {
    const struct wg_catalog *cat;
    json_t *arr;
    char media[340]; /* the URL of posted photos, up to their SHA-256 */
};

static int add_request(const struct wg_open311_req_row *r, void *ctx)
{
    struct listing *l = ctx;
    json_array_append_new(l->arr, wg_open311_request_json(l->cat, r, l->media));
    return 0;
}

/* Runs the public list with f (its public items and county filled here) into *out. */
static enum wg_rc list(struct wg_req *req, struct wg_open311_filter *f, json_t **out,
                       struct wg_err *err)
{
    struct listing l = {wg_api_catalog(req), json_array(), ""};
    char *codes = wg_open311_service_codes(wg_api_catalog(req)), base[320];
    struct wg_db *db;
    enum wg_rc rc = wg_api_db(req, &db, err);
    wg_o311_base(req, base);
    snprintf(l.media, sizeof l.media, "%s/media/", base);
    f->public_items = codes;
    f->limit = WG_OPEN311_MAX_REQUESTS;
    if (!rc) {
        rc = wg_store_open311_list(db, f, add_request, &l, err);
    }
    free(codes);
    if (rc) {
        json_decref(l.arr);
        return rc;
    }
    *out = l.arr;
    return WG_OK;
}

static enum wg_rc county_of(struct wg_req *req, char county[16], struct wg_err *err)
{
    const char *jid = wg_req_query(req, "jurisdiction_id");
    struct wg_db *db;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_o311_jurisdiction(db, jid, 1, county, err);
    if (!rc && !(jid && *jid))
        county[0] = '\0'; /* one county served: no need to filter */
    return rc;
}

static enum wg_rc requests(struct wg_req *req, json_t **out, struct wg_err *err)
{
    struct wg_open311_filter f = {0};
    const char *ids = wg_req_query(req, "service_request_id"),
               *codes = wg_req_query(req, "service_code"), *status = wg_req_query(req, "status");
    char county[16], since[32], until[32], *numbers = NULL, *items = NULL, *states = NULL;
    enum wg_rc rc;
    if ((rc = county_of(req, county, err)))
        return rc;
    f.county = county;
    if (ids && *ids) { /* a list of ids overrides every other filter */
        rc = comma_list(ids, "service_request_id", WG_OPEN311_MAX_REQUESTS, &numbers, err);
        f.numbers = numbers;
    } else {
        if (codes && *codes && !(rc = comma_list(codes, "service_code", 200, &items, err))) {
            json_t *arr = json_loads(items, 0, NULL), *v;
            size_t i;
            json_array_foreach(arr, i, v)
            {
                if (!wg_open311_is_service(
                        wg_catalog_find(wg_api_catalog(req), json_string_value(v)))) {
                    rc = wg_err_set(err, WG_ENOTFOUND, "service_code '%s' is not a service here",
                                    json_string_value(v));
                    break;
                }
            }
            json_decref(arr);
        }
        if (!rc && status && *status)
            rc = wg_open311_states(status, &states, err);
        if (!rc)
            rc = date_range(req, since, until, err);
        f.items = items;
        f.states = states;
        f.since = since;
        f.until = until;
    }
    if (!rc)
        rc = list(req, &f, out, err);
    free(numbers);
    free(items);
    free(states);
    return rc;
}

enum wg_rc wg_api_open311_requests(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    json_t *out = NULL;
    FORMAT_OR_404(req, json, 0);
    if (requests(req, &out, err))
        return wg_o311_fail(req, json, err);
    return wg_o311_reply(req, json, 200, "service_requests", out);
}

/* One public request by its number. */
static enum wg_rc one(struct wg_req *req, const char *number, json_t **out, struct wg_err *err)
{
    struct wg_open311_filter f = {0};
    char county[16], *numbers = NULL;
    enum wg_rc rc;
    if ((rc = county_of(req, county, err)) ||
        (rc = comma_list(number, "service_request_id", 1, &numbers, err)))
        return rc;
    f.county = county;
    f.numbers = numbers;
    rc = list(req, &f, out, err);
    free(numbers);
    if (!rc && !json_array_size(*out)) {
        json_decref(*out);
        *out = NULL;
        rc = wg_err_set(err, WG_ENOTFOUND, "service request '%.40s' was not found", number);
    }
    return rc;
}

enum wg_rc wg_api_open311_request(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    json_t *out = NULL;
    FORMAT_OR_404(req, json, 1);
    if (strchr(req->params[0], ','))
        return wg_o311_error(req, json, 404, "service request '%.40s' was not found",
                             req->params[0]);
    if (one(req, req->params[0], &out, err))
        return wg_o311_fail(req, json, err);
    return wg_o311_reply(req, json, 200, "service_requests", out);
}

enum wg_rc wg_api_open311_token(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    char number[32];
    json_t *found = NULL;
    struct wg_db *db;
    enum wg_rc rc;
    FORMAT_OR_404(req, json, 1);
    if ((rc = wg_api_db(req, &db, err)))
        return wg_o311_fail(req, json, err);
    rc = wg_store_open311_token(db, req->params[0], number, err);
    /* the order behind a token answers only while it is public */
    if (rc || (rc = one(req, number, &found, err))) {
        if (rc == WG_ENOTFOUND)
            return wg_o311_error(req, json, 404, "token '%.70s' was not found", req->params[0]);
        return wg_o311_fail(req, json, err);
    }
    json_decref(found);
    return wg_o311_reply(
        req, json, 200, "service_requests",
        json_pack("[{s:s,s:s}]", "service_request_id", number, "token", req->params[0]));
}

static int add_update(const struct wg_open311_update_row *u, void *ctx)
{
    json_array_append_new(ctx, wg_open311_update_json(u));
    return 0;
}

static enum wg_rc updates(struct wg_req *req, json_t **out, struct wg_err *err)
{
    struct wg_open311_filter f = {0};
    char county[16], since[32], until[32], *codes = NULL;
    json_t *arr = json_array();
    struct wg_db *db;
    enum wg_rc rc;
    if (!(rc = county_of(req, county, err)) && !(rc = date_range(req, since, until, err))) {
        codes = wg_open311_service_codes(wg_api_catalog(req));
        f = (struct wg_open311_filter){codes, county, NULL,  NULL,
                                       NULL,  since,  until, WG_OPEN311_MAX_REQUESTS};
        if (!(rc = wg_api_db(req, &db, err))) {
            rc = wg_store_open311_updates(db, &f, add_update, arr, err);
        }
    }
    free(codes);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return WG_OK;
}

enum wg_rc wg_api_open311_updates(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    json_t *out = NULL;
    FORMAT_OR_404(req, json, 0);
    if (updates(req, &out, err))
        return wg_o311_fail(req, json, err);
    return wg_o311_reply(req, json, 200, "service_request_updates", out);
}

/* GET /open311/v2/media/{sha256}: the photo a client posted with a request, to anyone, while
 * the request is public — its order not confidential and of a public item; any other photo
 * of the store, and any photo of a confidential order, is a 404 here. */
enum wg_rc wg_api_open311_media(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    char *codes, mime[32];
    const char *type;
    char *bytes = NULL;
    size_t len = 0;
    struct wg_db *db;
    enum wg_rc rc;
    if (strlen(req->params[0]) != 64 || strspn(req->params[0], "0123456789abcdef") != 64)
        return wg_o311_error(req, 0, 404, "media '%.70s' was not found", req->params[0]);
    if ((rc = wg_api_db(req, &db, err)))
        return wg_o311_fail(req, 0, err);
    codes = wg_open311_service_codes(wg_api_catalog(req));
    rc = wg_store_open311_media(db, req->params[0], codes, mime, err);
    free(codes);
    if (!rc)
        rc = wg_photo_file(app->data_dir, req->params[0], mime, &bytes, &len, &type, err);
    if (rc)
        return wg_o311_fail(req, 0, err);
    return wg_api_reply_photo(req, type, bytes, len);
}
