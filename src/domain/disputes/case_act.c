/* A step of a dispute case (dispute.h): each action's body checked by its own fields, the
 * state machine asked, the case and its timeline written under the version read; the
 * step's record sealed on the timeline (sessions and agreements name people). */
#include "domain/disputes/dispute.h"

#include "core/jfield.h"
#include "domain/accounts/pii.h"
#include "domain/disputes/case_row.h"
#include "domain/registry/person.h"
#include "store/disputes/dispute_q.h"

/* A field of an action's body: text (min..max characters; min > 0: required), a choice from
 * a list (required), true or false, or a time (unix seconds, required). */
struct field {
    const char *name;
    char kind; /* 't' text, 'o' one of, 'b' boolean, 'i' time */
    int min, max;
    const char *const *list;
};

static const char *const forms[] = {"written", "oral", NULL};
static const char *const bodies[] = {"court", "arbitration", "administrative_review", "petition",
                                     NULL};
static const char *const confirmations[] = {"applied", "confirmed", "rejected", NULL};

#define NOTE                                                                                       \
    {                                                                                              \
        "note", 't', 0, 1000, NULL                                                                 \
    }
static const struct field f_note[] = {NOTE, {NULL, 0, 0, 0, NULL}};
static const struct field f_reason[] = {{"reason", 't', 1, 500, NULL}, {NULL, 0, 0, 0, NULL}};
static const struct field f_session[] = {
    {"at", 'i', 0, 0, NULL},          {"place", 't', 0, 100, NULL},   {"online", 'b', 0, 0, NULL},
    {"attendees", 't', 1, 500, NULL}, {"record", 't', 1, 4000, NULL}, {NULL, 0, 0, 0, NULL}};
/* People's Mediation Law art. 29: the parties (the case's), the facts and responsibilities,
 * the terms, and the manner and time of performance */
static const struct field f_agree[] = {{"form", 'o', 0, 0, forms},
                                       {"facts", 't', 1, 2000, NULL},
                                       {"terms", 't', 1, 2000, NULL},
                                       {"performance", 't', 1, 1000, NULL},
                                       {NULL, 0, 0, 0, NULL}};
static const struct field f_refer[] = {
    {"to", 'o', 0, 0, bodies}, {"reason", 't', 1, 500, NULL}, {NULL, 0, 0, 0, NULL}};
static const struct field f_confirm[] = {
    {"status", 'o', 0, 0, confirmations}, {"court", 't', 0, 100, NULL}, {NULL, 0, 0, 0, NULL}};
static const struct field f_follow_up[] = {
    {"reached", 'b', 0, 0, NULL}, NOTE, {NULL, 0, 0, 0, NULL}};
static const struct field f_text[] = {{"text", 't', 1, 2000, NULL}, {NULL, 0, 0, 0, NULL}};

static const struct field *const fields_of[WG_CASE_ACTION_COUNT] = {
    [WG_CASE_ACCEPT] = f_note,         [WG_CASE_REFUSE] = f_reason,
    [WG_CASE_INVESTIGATE] = f_note,    [WG_CASE_MEDIATE] = f_note,
    [WG_CASE_SESSION] = f_session,     [WG_CASE_AGREE] = f_agree,
    [WG_CASE_ESCALATE] = f_reason,     [WG_CASE_REFER] = f_refer,
    [WG_CASE_CONFIRM] = f_confirm,     [WG_CASE_PERFORM] = f_note,
    [WG_CASE_FOLLOW_UP] = f_follow_up, [WG_CASE_ARCHIVE] = f_note,
    [WG_CASE_TAKE] = f_note,           [WG_CASE_SUPERVISE] = f_note,
    [WG_CASE_NOTE] = f_text,
};

/* The same fields' names, NULL-terminated, for the router's check of a body's keys (a test
 * holds them to the fields above). */
static const char *const n_note[] = {"note", NULL};
static const char *const n_reason[] = {"reason", NULL};
static const char *const n_session[] = {"at", "place", "online", "attendees", "record", NULL};
static const char *const n_agree[] = {"form", "facts", "terms", "performance", NULL};
static const char *const n_refer[] = {"to", "reason", NULL};
static const char *const n_confirm[] = {"status", "court", NULL};
static const char *const n_follow_up[] = {"reached", "note", NULL};
static const char *const n_text[] = {"text", NULL};

static const char *const *const names[WG_CASE_ACTION_COUNT] = {
    [WG_CASE_ACCEPT] = n_note,         [WG_CASE_REFUSE] = n_reason,
    [WG_CASE_INVESTIGATE] = n_note,    [WG_CASE_MEDIATE] = n_note,
    [WG_CASE_SESSION] = n_session,     [WG_CASE_AGREE] = n_agree,
    [WG_CASE_ESCALATE] = n_reason,     [WG_CASE_REFER] = n_refer,
    [WG_CASE_CONFIRM] = n_confirm,     [WG_CASE_PERFORM] = n_note,
    [WG_CASE_FOLLOW_UP] = n_follow_up, [WG_CASE_ARCHIVE] = n_note,
    [WG_CASE_TAKE] = n_note,           [WG_CASE_SUPERVISE] = n_note,
    [WG_CASE_NOTE] = n_text,
};

const char *const *wg_case_action_fields(enum wg_case_action a)
{
    return (unsigned)a < WG_CASE_ACTION_COUNT ? names[a] : NULL;
}

enum wg_rc wg_case_action_body(enum wg_case_action a, const json_t *body, json_t **record,
                               struct wg_err *err)
{
    char what[64];
    enum wg_rc rc;
    *record = json_object();
    if ((unsigned)a >= WG_CASE_ACTION_COUNT)
        return wg_err_set(err, WG_EINVAL, "not a case action");
    if (!body)
        body = *record;
    snprintf(what, sizeof what, "the action '%s'", wg_case_action_name(a));
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of %s is a JSON object", what);
    if ((rc = wg_jf_known(body, names[a], what, err)))
        return rc;
    for (const struct field *f = fields_of[a]; f->name; f++) {
        json_t *v = json_object_get(body, f->name);
        const char *s = NULL;
        int b = 0;
        if (f->kind == 't') {
            rc = wg_jf_text(body, f->name, (size_t)f->min, (size_t)f->max, &s, err);
            if (!rc && s && *s)
                json_object_set_new(*record, f->name, json_string(s));
        } else if (f->kind == 'o') {
            rc = wg_jf_one_of(body, f->name, f->list, NULL, &s, err);
            if (!rc)
                json_object_set_new(*record, f->name, json_string(s));
        } else if (f->kind == 'b') {
            rc = wg_jf_bool(body, f->name, &b, err);
            if (!rc && v)
                json_object_set_new(*record, f->name, json_boolean(b));
        } else if (!json_is_integer(v) || json_integer_value(v) < 946684800 ||
                   json_integer_value(v) > 4102444800) {
            rc = wg_err_set(err, WG_EINVAL, "'%s' is a time in unix seconds (2000 to 2100)",
                            f->name);
        } else {
            json_object_set_new(*record, f->name, json_integer(json_integer_value(v)));
        }
        if (rc)
            return rc;
    }
    if (a == WG_CASE_SESSION && !json_object_get(*record, "place") &&
        !json_is_true(json_object_get(*record, "online")))
        return wg_err_set(err, WG_EINVAL, "a session has a 'place' or is 'online'");
    return WG_OK;
}

struct loaded {
    const struct wg_scope *scope;
    struct wg_dispute_row row;
    int found;
};

static int on_case(const struct wg_dispute_row *r, void *ctx)
{
    struct loaded *l = ctx;
    if (wg_registry_covers(l->scope, r->grid)) {
        l->found = 1;
        l->row = *r;
        l->row.description = NULL;
    }
    return 0;
}

static enum wg_rc act(struct wg_db *db, const struct wg_pii_keys *keys,
                      const struct wg_case_step *s, json_t *record, struct wg_err *err)
{
    struct loaded l = {s->scope, {0}, 0};
    struct wg_case_ctx c;
    struct wg_case_result out;
    enum wg_case_state state;
    enum wg_rc rc = wg_store_dispute_get(db, s->id, on_case, &l, err);
    if (!rc && !l.found)
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", s->id);
    if (rc)
        return rc;
    if (l.row.version != s->version)
        return wg_err_set(err, WG_EPRECOND,
                          "dispute case %lld is at version %lld, not %lld: someone changed it "
                          "since you read it; read it again",
                          s->id, l.row.version, s->version);
    wg_case_facts(&l.row, s->now, &c, &state);
    if ((rc = wg_case_step(state, s->action, s->role, &c, &out, err)))
        return rc;
    struct wg_dispute_event_row e = {.at = s->now};
    snprintf(e.actor, sizeof e.actor, "%s", s->actor);
    snprintf(e.role, sizeof e.role, "%s", wg_role_name(s->role));
    snprintf(e.action, sizeof e.action, "%s", wg_case_action_name(s->action));
    snprintf(e.from_state, sizeof e.from_state, "%s", l.row.state);
    snprintf(e.to_state, sizeof e.to_state, "%s", wg_case_state_name(out.next));
    snprintf(e.level, sizeof e.level, "%s", wg_case_level_name(out.level));
    snprintf(l.row.state, sizeof l.row.state, "%s", e.to_state);
    snprintf(l.row.level, sizeof l.row.level, "%s", e.level);
    if (out.effects & WG_CASE_FX_ENDED)
        snprintf(l.row.end_level, sizeof l.row.end_level, "%s", l.row.level);
    if (out.effects & WG_CASE_FX_SUCCESS)
        l.row.agreed_at = s->now;
    if (s->action == WG_CASE_TAKE)
        snprintf(l.row.taken_by, sizeof l.row.taken_by, "%s", s->actor);
    char *text =
        json_object_size(record) ? json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *sealed = NULL;
    if (text)
        rc = wg_pii_encrypt(keys, text, "dispute_event.detail", &sealed, err);
    wg_pii_wipe(text);
    e.detail = sealed ? sealed : "";
    if (!rc)
        rc = wg_store_dispute_step(db, &l.row, &e, s->now, err);
    free(sealed);
    return rc;
}

enum wg_rc wg_case_act(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_case_step *s, const json_t *body, struct wg_err *err)
{
    json_t *record = NULL;
    enum wg_rc rc = wg_case_action_body(s->action, body, &record, err);
    int own = !wg_db_in_tx(db);
    if (!rc && own)
        rc = wg_db_begin(db, err);
    if (!rc) {
        rc = act(db, keys, s, record, err);
        if (own && !rc)
            rc = wg_db_commit(db, err);
        if (own && rc)
            wg_db_rollback(db);
    }
    json_decref(record);
    return rc;
}
