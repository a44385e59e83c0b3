/* The wish wall (wish.h): bodies read and checked for what would name the resident, a wish
 * published from its order, claimed, fulfilled, withdrawn and confirmed under its version,
 * each move on its own timeline and its order's; staff and public reads. */
#include "domain/partake/wish.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/jfield.h"
#include "core/param.h"
#include "core/utf8.h"
#include "domain/accounts/role.h"
#include "domain/alerts/task.h"
#include "domain/orders/order_ctx.h"
#include "domain/partake/volunteer.h"
#include "domain/registry/person.h"
#include "store/orders/orders_q.h"

const char *const wg_wish_fields[] = {"order", "title", "story", NULL};
const char *const wg_wish_claim_fields[] = {"person", "as", NULL};
const char *const wg_wish_fulfil_fields[] = {"note", "photo", NULL};
const char *const wg_wish_withdraw_fields[] = {"reason", NULL};
const char *const wg_wish_confirm_fields[] = {"confirmed", "thanks", NULL};

static const char *const claimant_kinds[] = {"party_member", "volunteer", NULL};
static const char *const states[] = {"published", "claimed",   "fulfilled",
                                     "confirmed", "withdrawn", NULL};

/* ---- reading bodies ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

enum wg_rc wg_wish_text_check(const char *field, const char *text, const char *name,
                              struct wg_err *err)
{
    const char *s = text ? text : "";
    for (size_t i = 0; s[i];) {
        size_t digits = 0, j = i, end = i;
        if (!is_digit(s[i])) {
            i++;
            continue;
        }
        /* a run of digits, dashes and spaces between them joining it */
        while (s[j] && (is_digit(s[j]) || ((s[j] == '-' || s[j] == ' ') && is_digit(s[j + 1]))))
            if (is_digit(s[j++]))
                digits++, end = j;
        int x = (s[end] == 'X' || s[end] == 'x') && digits == 17;
        if (digits == 18 || x || (digits == 15 && j - i == 15))
            return wg_err_set(err, WG_EINVAL,
                              "'%s' holds what looks like an ID number: a wish is published "
                              "without the resident's identity",
                              field);
        if (digits >= 7)
            return wg_err_set(err, WG_EINVAL,
                              "'%s' holds what looks like a phone number: a wish is published "
                              "without the resident's identity",
                              field);
        i = j > i ? j : i + 1;
    }
    if (name && wg_utf8_chars(name) >= 2 && strstr(s, name))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' holds the resident's name: a wish is published without the "
                          "resident's identity",
                          field);
    return WG_OK;
}

static enum wg_rc id_field(const json_t *body, const char *field, long long *out,
                           struct wg_err *err)
{
    const json_t *v = json_object_get(body, field);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "'%s' is required: an id (a whole number from 1)", field);
    *out = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc object_of(const json_t *body, const char *const *fields, const char *what,
                            struct wg_err *err)
{
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of %s is a JSON object", what);
    return wg_jf_known(body, fields, what, err);
}

enum wg_rc wg_wish_read(const json_t *body, long long *order, const char **title,
                        const char **story, struct wg_err *err)
{
    enum wg_rc rc;
    *order = 0, *title = *story = NULL;
    if ((rc = object_of(body, wg_wish_fields, "a wish", err)) ||
        (rc = id_field(body, "order", order, err)) ||
        (rc = wg_jf_text(body, "title", 1, WG_WISH_TITLE_MAX, title, err)) ||
        (rc = wg_jf_text(body, "story", 1, WG_WISH_STORY_MAX, story, err)) ||
        (rc = wg_wish_text_check("title", *title, NULL, err)))
        return rc;
    return wg_wish_text_check("story", *story, NULL, err);
}

enum wg_rc wg_wish_claim_read(const json_t *body, long long *person, const char **as,
                              struct wg_err *err)
{
    enum wg_rc rc;
    *person = 0, *as = NULL;
    if ((rc = object_of(body, wg_wish_claim_fields, "a claim", err)) ||
        (rc = id_field(body, "person", person, err)))
        return rc;
    return wg_jf_one_of(body, "as", claimant_kinds, NULL, as, err);
}

static int is_sha256(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (; *s; s++)
        if (!is_digit(*s) && !(*s >= 'a' && *s <= 'f'))
            return 0;
    return 1;
}

enum wg_rc wg_wish_fulfil_read(const json_t *body, const char **note, const char **photo,
                               struct wg_err *err)
{
    enum wg_rc rc;
    *note = *photo = NULL;
    if ((rc = object_of(body, wg_wish_fulfil_fields, "a fulfilment", err)) ||
        (rc = wg_jf_text(body, "note", 1, WG_WISH_NOTE_MAX, note, err)) ||
        (rc = wg_wish_text_check("note", *note, NULL, err)) ||
        (rc = wg_jf_text(body, "photo", 0, 64, photo, err)))
        return rc;
    if (*photo && !is_sha256(*photo))
        return wg_err_set(err, WG_EINVAL,
                          "'photo' is a photo's reference: its SHA-256 in 64 lowercase hex digits");
    return WG_OK;
}

enum wg_rc wg_wish_withdraw_read(const json_t *body, const char **reason, struct wg_err *err)
{
    enum wg_rc rc;
    *reason = NULL;
    if ((rc = object_of(body, wg_wish_withdraw_fields, "a withdrawal", err)))
        return rc;
    return wg_jf_text(body, "reason", 1, WG_WISH_NOTE_MAX, reason, err);
}

enum wg_rc wg_wish_confirm_read(const json_t *body, const char **thanks, struct wg_err *err)
{
    enum wg_rc rc;
    *thanks = NULL;
    if ((rc = object_of(body, wg_wish_confirm_fields, "a confirmation", err)))
        return rc;
    if (!json_is_true(json_object_get(body, "confirmed")))
        return wg_err_set(err, WG_EINVAL,
                          "'confirmed' must be true: the resident confirms the wish came true");
    if ((rc = wg_jf_text(body, "thanks", 0, WG_WISH_THANKS_MAX, thanks, err)))
        return rc;
    return wg_wish_text_check("thanks", *thanks, NULL, err);
}

/* ---- the store's side ---- */

/* A line of the order's timeline: action "wish", detail {wish, step}. */
static enum wg_rc order_line(struct wg_db *db, long long order_id, long long wish, const char *step,
                             const char *actor, const char *role, long long now, struct wg_err *err)
{
    char at[32];
    json_t *d = json_pack("{s:I,s:s}", "wish", (json_int_t)wish, "step", step);
    char *detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    wg_clock_iso(now, at);
    struct wg_order_event_row ev = {0, at, actor, role, "wish", NULL, NULL, detail};
    enum wg_rc rc = wg_store_order_event(db, order_id, &ev, err);
    free(detail);
    return rc;
}

static int sees(const struct wg_actor *a, const struct wg_wish_row *w)
{
    return !wg_scope_is_unit(&a->scope) && wg_scope_covers(&a->scope, w->place);
}

static enum wg_rc load(struct wg_db *db, const struct wg_actor *a, long long id,
                       struct wg_wish_row *w, struct wg_err *err)
{
    enum wg_rc rc = wg_store_wish_get(db, id, w, err);
    if (!rc && !sees(a, w))
        rc = wg_err_set(err, WG_ENOTFOUND, "wish %lld does not exist", id);
    return rc;
}

/* The order's reporter name in clear ("" when none); owned, wipe it. */
static enum wg_rc reporter_name(const struct wg_pii_keys *keys, const struct wg_order_row *o,
                                char **name, struct wg_err *err)
{
    *name = NULL;
    if (o->reporter_name && *o->reporter_name && keys)
        return wg_pii_decrypt(keys, o->reporter_name, "order.reporter_name", name, err);
    return WG_OK;
}

static enum wg_rc publish(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *a, const json_t *body, long long now,
                          long long *id, struct wg_err *err)
{
    struct wg_wish_row w, old;
    struct wg_order o;
    const char *title, *story;
    char *name = NULL;
    long long order;
    enum wg_rc rc = wg_wish_read(body, &order, &title, &story, err);
    if (rc)
        return rc;
    rc = wg_order_visible(db, a, order, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'order': order %lld does not exist", order);
    if (rc || (rc = wg_order_load(db, order, &o, err)))
        return rc;
    if (strcmp(o.row.type, "wish"))
        rc = wg_err_set(err, WG_EINVAL, "'order': order %s is a %s, not a wish (心愿)",
                        o.row.number, o.row.type);
    else if (!(rc = wg_store_wish_by_order(db, order, &old, err)))
        rc = wg_err_set(err, WG_ECONFLICT, "order %s has its wish already: wish %lld", o.row.number,
                        old.id);
    else if (rc == WG_ENOTFOUND)
        rc = reporter_name(keys, &o.row, &name, err);
    if (!rc && !(rc = wg_wish_text_check("title", title, name, err)))
        rc = wg_wish_text_check("story", story, name, err);
    wg_pii_wipe(name);
    if (!rc) {
        memset(&w, 0, sizeof w);
        w.order_id = order;
        snprintf(w.place, sizeof w.place, "%s", *o.row.grid ? o.row.grid : o.row.county);
        snprintf(w.title, sizeof w.title, "%s", title);
        snprintf(w.story, sizeof w.story, "%s", story);
        snprintf(w.created_by, sizeof w.created_by, "%s", a->username);
        w.created_at = now;
        rc = wg_store_wish_insert(db, &w, id, err);
    }
    if (!rc)
        rc = wg_store_wish_event(db, *id, now, a->username, "publish", title, err);
    if (!rc)
        rc = order_line(db, order, *id, "publish", a->username, wg_role_name(a->role), now, err);
    wg_order_unload(&o);
    return rc;
}

enum wg_rc wg_wish_publish(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err)
{
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    *id = 0;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = publish(db, keys, actor, body, now, id, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (rc)
        *id = 0;
    return rc;
}

enum wg_rc wg_wish_claimant_check(struct wg_db *db, const struct wg_pii_keys *keys,
                                  const struct wg_scope *scope, long long person, const char *as,
                                  char label[64], struct wg_err *err)
{
    struct wg_person p;
    char masked[48];
    int member = 0;
    enum wg_rc rc = wg_person_load(db, keys, scope, person, &p, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'person': person %lld is not in the registry", person);
    if (rc)
        return rc;
    wg_pii_mask_name(p.name ? p.name : "", masked, sizeof masked);
    wg_person_release(&p);
    if (!strcmp(as, "party_member")) {
        if ((rc = wg_store_wish_party_member(db, person, &member, err)))
            return rc;
        if (!member)
            return wg_err_set(err, WG_EINVAL,
                              "'as': person %lld is not a member of any party organization of "
                              "the registry",
                              person);
    } else {
        struct wg_volunteer_of of;
        if ((rc = wg_volunteer_of_person(db, person, &of, &member, err)))
            return rc;
        if (!member)
            return wg_err_set(err, WG_EINVAL,
                              "'as': person %lld is not a volunteer of any volunteer team", person);
    }
    snprintf(label, 64, "%s %s", !strcmp(as, "party_member") ? "党员" : "志愿者", masked);
    return WG_OK;
}

/* The next state of action from state s; NULL when the state does not allow it. */
static const char *next_state(const char *action, const char *s)
{
    if (!strcmp(action, "claim"))
        return !strcmp(s, "published") ? "claimed" : NULL;
    if (!strcmp(action, "fulfil"))
        return !strcmp(s, "claimed") ? "fulfilled" : NULL;
    if (!strcmp(action, "withdraw"))
        return !strcmp(s, "published") || !strcmp(s, "claimed") ? "withdrawn" : NULL;
    if (!strcmp(action, "confirm"))
        return !strcmp(s, "fulfilled") ? "confirmed" : NULL;
    return NULL;
}

/* Reads action's body into w (as it will be stored) and *note (the timeline's). */
static enum wg_rc apply(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                        const char *action, const json_t *body, struct wg_wish_row *w,
                        const char **note, struct wg_err *err)
{
    const char *as, *photo;
    long long person;
    enum wg_rc rc;
    if (!strcmp(action, "claim")) {
        if ((rc = wg_wish_claim_read(body, &person, &as, err)) ||
            (rc = wg_wish_claimant_check(db, keys, &a->scope, person, as, w->claimant_label, err)))
            return rc;
        w->claimant = person;
        snprintf(w->claimant_as, sizeof w->claimant_as, "%s", as);
        *note = w->claimant_label;
        return WG_OK;
    }
    if (!strcmp(action, "fulfil")) {
        if ((rc = wg_wish_fulfil_read(body, note, &photo, err)))
            return rc;
        snprintf(w->note, sizeof w->note, "%s", *note);
        snprintf(w->photo, sizeof w->photo, "%s", photo ? photo : "");
        return WG_OK;
    }
    if (!strcmp(action, "withdraw"))
        return wg_wish_withdraw_read(body, note, err);
    return wg_err_set(err, WG_EINVAL, "'%s' is not a move of a wish (claim, fulfil, withdraw)",
                      action);
}

static enum wg_rc act(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                      long long id, long long version, const char *action, const json_t *body,
                      long long now, struct wg_err *err)
{
    struct wg_wish_row w;
    const char *note = NULL, *next;
    char from[12];
    enum wg_rc rc = load(db, a, id, &w, err);
    if (rc)
        return rc;
    snprintf(from, sizeof from, "%s", w.state);
    if ((rc = apply(db, keys, a, action, body, &w, &note, err)))
        return rc;
    if (!(next = next_state(action, from)))
        return wg_err_set(err, WG_ECONFLICT, "wish %lld is %s: it cannot be %s", id, from,
                          !strcmp(action, "claim")    ? "claimed"
                          : !strcmp(action, "fulfil") ? "fulfilled"
                                                      : "withdrawn");
    if (w.version != version)
        return wg_err_set(err, WG_ECONFLICT,
                          "wish %lld is at version %lld, not %lld: someone changed it since you "
                          "read it; read it again",
                          id, w.version, version);
    snprintf(w.state, sizeof w.state, "%s", next);
    w.updated_at = now;
    if (!(rc = wg_store_wish_move(db, &w, version, err)) &&
        !(rc = wg_store_wish_event(db, id, now, a->username, action, note, err)))
        rc = order_line(db, w.order_id, id, action, a->username, wg_role_name(a->role), now, err);
    return rc;
}

enum wg_rc wg_wish_act(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_actor *actor, long long id, long long version,
                       const char *action, const json_t *body, long long now, struct wg_err *err)
{
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = act(db, keys, actor, id, version, action, body, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

enum wg_rc wg_wish_confirm_in(struct wg_db *db, const struct wg_pii_keys *keys, long long order_id,
                              const json_t *body, long long now, struct wg_err *err)
{
    struct wg_wish_row w;
    const char *thanks = NULL;
    struct wg_order_row o;
    char *name = NULL;
    long long version;
    enum wg_rc rc = wg_wish_confirm_read(body, &thanks, err);
    if (rc || (rc = wg_store_wish_by_order(db, order_id, &w, err)))
        return rc;
    /* the thanks are shown on the wall: they may not name the resident either */
    if (thanks && !(rc = wg_store_order_get(db, order_id, &o, err))) {
        if (!(rc = reporter_name(keys, &o, &name, err)))
            rc = wg_wish_text_check("thanks", thanks, name, err);
        wg_pii_wipe(name);
        wg_store_order_release(&o);
    }
    if (rc)
        return rc;
    if (!next_state("confirm", w.state))
        return wg_err_set(err, WG_ECONFLICT,
                          "the wish is %s: it is confirmed once its claimant reports it fulfilled",
                          w.state);
    version = w.version;
    snprintf(w.state, sizeof w.state, "confirmed");
    snprintf(w.thanks, sizeof w.thanks, "%s", thanks ? thanks : "");
    w.updated_at = now;
    if (!(rc = wg_store_wish_move(db, &w, version, err)) &&
        !(rc = wg_store_wish_event(db, w.id, now, "resident", "confirm", thanks, err)))
        rc = order_line(db, order_id, w.id, "confirm", "resident", "resident", now, err);
    return rc;
}

/* ---- reading ---- */

static void place_names(struct wg_db *db, const char *place, json_t *j)
{
    char grid[192] = "", village[192] = "", code[16];
    wg_task_place_name(db, place, grid, sizeof grid);
    snprintf(code, sizeof code, "%.12s", place);
    if (strlen(place) >= 12)
        wg_task_place_name(db, code, village, sizeof village);
    json_object_set_new(j, "place", json_string(place));
    json_object_set_new(j, "grid_name", json_string(strlen(place) >= 15 ? grid : ""));
    json_object_set_new(j, "community_name", json_string(strlen(place) >= 12 ? village : grid));
}

/* The public form: no order, no resident, no staff. */
static json_t *public_json(struct wg_db *db, const struct wg_wish_row *w)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)w->id, "title",
                          w->title, "story", w->story, "state", w->state, "claimant",
                          w->claimant_label, "note", w->note, "thanks", w->thanks, "published_at",
                          (json_int_t)w->created_at, "updated_at", (json_int_t)w->updated_at);
    json_object_set_new(j, "photo", *w->photo ? json_string(w->photo) : json_null());
    place_names(db, w->place, j);
    return j;
}

static json_t *staff_json(struct wg_db *db, const struct wg_wish_row *w)
{
    json_t *j = public_json(db, w);
    struct wg_order_row o;
    struct wg_err e = {0};
    json_object_set_new(j, "order", json_integer(w->order_id));
    if (!wg_store_order_get(db, w->order_id, &o, &e)) {
        json_object_set_new(j, "order_number", json_string(o.number));
        wg_store_order_release(&o);
    }
    json_object_set_new(j, "claimant_person",
                        w->claimant ? json_integer(w->claimant) : json_null());
    json_object_set_new(j, "claimant_as",
                        *w->claimant_as ? json_string(w->claimant_as) : json_null());
    json_object_set_new(j, "version", json_integer(w->version));
    json_object_set_new(j, "created_by", json_string(w->created_by));
    return j;
}

static int on_event(long long at, const char *actor, const char *action, const char *note,
                    void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s}", "at", (json_int_t)at, "actor", actor,
                                         "action", action, "note", note));
    return 0;
}

enum wg_rc wg_wish_view(struct wg_db *db, const struct wg_actor *actor, long long id, json_t **out,
                        long long *version, struct wg_err *err)
{
    struct wg_wish_row w;
    json_t *tl;
    enum wg_rc rc = load(db, actor, id, &w, err);
    *out = NULL;
    if (rc)
        return rc;
    tl = json_array();
    if ((rc = wg_store_wish_events(db, id, on_event, tl, err))) {
        json_decref(tl);
        return rc;
    }
    *out = staff_json(db, &w);
    json_object_set_new(*out, "timeline", tl);
    *version = w.version;
    return WG_OK;
}

struct page {
    struct wg_db *db;
    const struct wg_actor *actor; /* NULL: the public's */
    json_t *arr;
};

static int on_row(const struct wg_wish_row *w, void *ctx)
{
    struct page *p = ctx;
    if (!p->actor)
        json_array_append_new(p->arr, public_json(p->db, w));
    else if (sees(p->actor, w))
        json_array_append_new(p->arr, staff_json(p->db, w));
    return 0;
}

static enum wg_rc list(struct wg_db *db, const struct wg_actor *actor, const char *lo,
                       const char *state, const char *limit, const char *cursor, json_t **out,
                       struct wg_err *err)
{
    long long n = 50, below = INT64_MAX;
    char hi[40];
    int ok = !state || !*state;
    enum wg_rc rc;
    *out = NULL;
    for (int i = 0; states[i]; i++)
        ok |= state && !strcmp(state, states[i]) && (actor || strcmp(state, "withdrawn"));
    if (!ok)
        return wg_err_set(err, WG_EINVAL,
                          "'state' must be one of published, claimed, "
                          "fulfilled, confirmed%s",
                          actor ? ", withdrawn" : "");
    if ((rc = wg_param_count(limit, "limit", 1, 200, &n, err)))
        return rc;
    if (cursor && *cursor && wg_param_id(cursor, 1, INT64_MAX, &below))
        return wg_err_set(err, WG_EINVAL, "'cursor' is not the next_cursor of a page before");
    snprintf(hi, sizeof hi, "%s~", lo);
    struct page p = {db, actor, json_array()};
    if ((rc = wg_store_wish_list(db, lo, hi,
                                 state && *state ? state
                                 : actor         ? ""
                                                 : "public",
                                 below, (int)n + 1, on_row, &p, err))) {
        json_decref(p.arr);
        return rc;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(p.arr) > n) {
        json_t *last = json_array_get(p.arr, (size_t)n - 1);
        next = json_sprintf("%lld", (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(p.arr, (size_t)n);
    }
    *out = json_pack("{s:o,s:I,s:o}", "wishes", p.arr, "limit", (json_int_t)n, "next_cursor", next);
    return WG_OK;
}

enum wg_rc wg_wish_list(struct wg_db *db, const struct wg_actor *actor, const char *state,
                        const char *limit, const char *cursor, json_t **out, struct wg_err *err)
{
    const char *lo = !wg_scope_is_unit(&actor->scope) ? actor->scope.code : "\x01";
    return list(db, actor, lo, state, limit, cursor, out, err);
}

enum wg_rc wg_wish_public_list(struct wg_db *db, const char *grid, const char *village,
                               const char *state, const char *limit, const char *cursor,
                               json_t **out, struct wg_err *err)
{
    const char *code = grid && *grid ? grid : village && *village ? village : "";
    const char *field = grid && *grid ? "grid" : "village";
    *out = NULL;
    if (grid && *grid && village && *village)
        return wg_err_set(err, WG_EINVAL, "'grid' and 'village' are one or the other");
    if (strlen(code) > 18 || strspn(code, "0123456789") != strlen(code))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a code (digits)", field);
    return list(db, NULL, code, state, limit, cursor, out, err);
}

enum wg_rc wg_wish_of_order(struct wg_db *db, long long order_id, json_t **out, struct wg_err *err)
{
    struct wg_wish_row w;
    enum wg_rc rc = wg_store_wish_by_order(db, order_id, &w, err);
    *out = NULL;
    if (rc == WG_ENOTFOUND)
        return WG_OK;
    if (rc)
        return rc;
    *out = public_json(db, &w);
    json_object_set_new(*out, "confirmable", json_boolean(!strcmp(w.state, "fulfilled")));
    return WG_OK;
}
