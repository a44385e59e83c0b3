/* A case as its parties follow it on the portal (dispute.h wg_case_public): by the tracking
 * code given when it was recorded, its progress, its sessions' times and places and its
 * agreement's status — never a party's personal data, a session's record or attendees, a
 * reason, or a staff member's name. */
#include "domain/disputes/dispute.h"

#include <stdlib.h>
#include <string.h>

#include "domain/accounts/pii.h"
#include "domain/disputes/case_row.h"
#include "domain/portal/portal.h"
#include "store/disputes/dispute_q.h"

/* The steps a party sees; the others (notes, supervision, a leader taking it, assignment) are
 * the centre's own. */
static const char *const public_steps[] = {
    "register", "accept", "refuse",  "investigate", "mediate",   "session", "agree",
    "escalate", "refer",  "confirm", "perform",     "follow_up", "archive", NULL};

struct pub {
    const struct wg_pii_keys *keys;
    json_t *timeline, *sessions, *agreement;
    char confirmed[16];
    enum wg_rc rc;
    struct wg_err *err;
};

static json_t *open_record(struct pub *p, const char *detail)
{
    char *clear = NULL;
    json_t *j = NULL;
    if (!*detail || p->rc)
        return NULL;
    p->rc = wg_pii_decrypt(p->keys, detail, "dispute_event.detail", &clear, p->err);
    if (clear)
        j = json_loads(clear, 0, NULL);
    wg_pii_wipe(clear);
    return j;
}

static void on_session(struct pub *p, const json_t *rec)
{
    json_t *place = json_object_get(rec, "place");
    json_array_append_new(p->sessions,
                          json_pack("{s:O,s:o,s:b}", "at", json_object_get(rec, "at"), "place",
                                    place ? json_incref(place) : json_string(""), "online",
                                    json_is_true(json_object_get(rec, "online"))));
}

static int on_event(const struct wg_dispute_event_row *e, void *ctx)
{
    struct pub *p = ctx;
    int shown = 0;
    for (const char *const *s = public_steps; *s; s++)
        shown |= !strcmp(*s, e->action);
    if (!shown)
        return 0;
    json_array_append_new(p->timeline, json_pack("{s:I,s:s,s:s}", "at", (json_int_t)e->at, "step",
                                                 e->action, "level", e->level));
    int session = !strcmp(e->action, "session"), agree = !strcmp(e->action, "agree"),
        confirm = !strcmp(e->action, "confirm");
    if (!session && !agree && !confirm)
        return 0;
    json_t *rec = open_record(p, e->detail);
    if (rec && session)
        on_session(p, rec);
    if (rec && agree) {
        json_decref(p->agreement);
        p->agreement = json_pack("{s:O,s:I}", "form", json_object_get(rec, "form"), "agreed_at",
                                 (json_int_t)e->at);
    }
    const char *status = rec ? json_string_value(json_object_get(rec, "status")) : NULL;
    if (confirm && status)
        snprintf(p->confirmed, sizeof p->confirmed, "%s", status);
    json_decref(rec);
    return p->rc != WG_OK;
}

static json_t *answer(const struct wg_dispute_row *r, struct pub *p)
{
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:o,s:o}", "number", r->number, "type",
                          r->type, "state", r->state, "level", r->level, "registered_at",
                          (json_int_t)r->created_at, "body", r->body_name, "due_at",
                          (json_int_t)r->due_at, "sessions", p->sessions, "timeline", p->timeline);
    if (p->agreement) {
        int performed = !strcmp(r->state, "performed") || !strcmp(r->state, "followed_up") ||
                        !strcmp(r->state, "archived");
        json_object_set_new(p->agreement, "performed", json_boolean(performed));
        json_object_set_new(p->agreement, "confirmation",
                            *p->confirmed ? json_string(p->confirmed) : json_null());
    }
    json_object_set_new(j, "agreement", p->agreement ? p->agreement : json_null());
    return j;
}

enum wg_rc wg_case_public(struct wg_db *db, const struct wg_case_env *env, const char *code,
                          long long now, json_t **out, struct wg_err *err)
{
    char hash[65], shown[WG_PORTAL_CODE_SHOWN];
    struct wg_dispute_row r;
    (void)now;
    *out = NULL;
    enum wg_rc rc = wg_portal_code_hash(code ? code : "", hash, shown, err);
    if (!rc)
        rc = wg_store_dispute_by_code(db, hash, wg_case_row_copy, &r, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_ENOTFOUND, "no dispute case has this code");
    if (rc)
        return rc;
    struct pub p = {env->keys, json_array(), json_array(), NULL, "", WG_OK, err};
    rc = wg_store_dispute_events(db, r.id, on_event, &p, err);
    if (!rc)
        rc = p.rc;
    if (rc) {
        json_decref(p.timeline), json_decref(p.sessions), json_decref(p.agreement);
        return rc;
    }
    *out = answer(&r, &p);
    return WG_OK;
}
