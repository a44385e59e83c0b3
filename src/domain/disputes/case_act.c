/* A step of a dispute case (dispute.h): each action's body checked by its own fields, the
 * state machine asked, the case and its timeline written under the version read; the
 * step's record sealed on the timeline (sessions and agreements name people). */
#include "domain/disputes/dispute.h"

#include "core/clock.h"
#include "core/jfield.h"
#include "domain/accounts/pii.h"
#include "domain/disputes/body.h"
#include "domain/disputes/case_clock.h"
#include "domain/disputes/case_count.h"
#include "domain/disputes/case_row.h"
#include "domain/registry/person.h"
#include "store/disputes/dispute_q.h"
#include "store/orders/orders_q.h"

/* A field of an action's body: text (min..max characters; min > 0: required), a choice from
 * a list (required), true or false, a time (unix seconds, required), or an id (min > 0:
 * required). */
struct field {
    const char *name;
    char kind; /* 't' text, 'o' one of, 'b' boolean, 'i' time, 'n' id */
    int min, max;
    const char *const *list;
};

static const char *const forms[] = {"written", "oral", NULL};
static const char *const referral_bodies[] = {"court", "arbitration", "administrative_review",
                                              "petition", NULL};
static const char *const confirmations[] = {"applied", "confirmed", "rejected", NULL};

/* Each action's fields, written once: X(name, kind, min, max, list) for each. */
#define F_NOTE(X)   X("note", 't', 0, 1000, NULL)
#define F_REASON(X) X("reason", 't', 1, 500, NULL)
#define F_SESSION(X)                                                                               \
    X("at", 'i', 0, 0, NULL)                                                                       \
    X("place", 't', 0, 100, NULL)                                                                  \
    X("online", 'b', 0, 0, NULL)                                                                   \
    X("attendees", 't', 1, 500, NULL)                                                              \
    X("record", 't', 1, 4000, NULL)
/* People's Mediation Law art. 29: the parties (the case's), the facts and responsibilities,
 * the terms, and the manner and time of performance */
#define F_AGREE(X)                                                                                 \
    X("form", 'o', 0, 0, forms)                                                                    \
    X("facts", 't', 1, 2000, NULL)                                                                 \
    X("terms", 't', 1, 2000, NULL)                                                                 \
    X("performance", 't', 1, 1000, NULL)
#define F_REFER(X)     X("to", 'o', 0, 0, referral_bodies) F_REASON(X)
#define F_CONFIRM(X)   X("status", 'o', 0, 0, confirmations) X("court", 't', 0, 100, NULL)
#define F_FOLLOW_UP(X) X("reached", 'b', 0, 0, NULL) F_NOTE(X)
#define F_TEXT(X)      X("text", 't', 1, 2000, NULL)
/* a mediation body (its id) and one of its members */
#define F_ACCEPT(X) F_NOTE(X) X("body", 'n', 0, 0, NULL) X("mediator", 't', 0, 63, NULL)
#define F_ASSIGN(X) X("body", 'n', 1, 0, NULL) X("mediator", 't', 0, 63, NULL)

/* From each list: the fields the check reads, and their names for the router's check of a
 * body's keys (wg_case_action_fields). */
#define AS_FIELD(name, kind, min, max, list) {name, kind, min, max, list},
#define AS_NAME(name, kind, min, max, list)  name,
#define BODY(id, LIST)                                                                             \
    static const struct field f_##id[] = {LIST(AS_FIELD){NULL, 0, 0, 0, NULL}};                    \
    static const char *const n_##id[] = {LIST(AS_NAME) NULL};
BODY(note, F_NOTE)
BODY(reason, F_REASON)
BODY(session, F_SESSION)
BODY(agree, F_AGREE)
BODY(refer, F_REFER)
BODY(confirm, F_CONFIRM)
BODY(follow_up, F_FOLLOW_UP)
BODY(text, F_TEXT)
BODY(accept, F_ACCEPT)
BODY(assign, F_ASSIGN)
/* a party: its fields are a new case's parties' (wg_case_party_apply) */
static const struct field f_party[] = {{NULL, 0, 0, 0, NULL}};

static const struct {
    const struct field *fields;
    const char *const *names;
} bodies[WG_CASE_ACTION_COUNT] = {
#define B(id)                                                                                      \
    {                                                                                              \
        f_##id, n_##id                                                                             \
    }
    [WG_CASE_ACCEPT] = B(accept),
    [WG_CASE_REFUSE] = B(reason),
    [WG_CASE_INVESTIGATE] = B(note),
    [WG_CASE_MEDIATE] = B(note),
    [WG_CASE_SESSION] = B(session),
    [WG_CASE_AGREE] = B(agree),
    [WG_CASE_ESCALATE] = B(reason),
    [WG_CASE_REFER] = B(refer),
    [WG_CASE_CONFIRM] = B(confirm),
    [WG_CASE_PERFORM] = B(note),
    [WG_CASE_FOLLOW_UP] = B(follow_up),
    [WG_CASE_ARCHIVE] = B(note),
    [WG_CASE_TAKE] = B(note),
    [WG_CASE_SUPERVISE] = B(note),
    [WG_CASE_NOTE] = B(text),
    [WG_CASE_ASSIGN] = B(assign),
    [WG_CASE_PARTY] = {f_party, wg_case_party_fields},
#undef B
};

const char *const *wg_case_action_fields(enum wg_case_action a)
{
    return (unsigned)a < WG_CASE_ACTION_COUNT ? bodies[a].names : NULL;
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
    if ((rc = wg_jf_known(body, bodies[a].names, what, err)))
        return rc;
    for (const struct field *f = bodies[a].fields; f->name; f++) {
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
        } else if (f->kind == 'n') {
            if (v && (!json_is_integer(v) || json_integer_value(v) < 1))
                rc = wg_err_set(err, WG_EINVAL, "'%s' is an id, a whole number from 1", f->name);
            else if (!v && f->min > 0)
                rc = wg_err_set(err, WG_EINVAL, "'%s' is required", f->name);
            else if (v)
                json_object_set_new(*record, f->name, json_integer(json_integer_value(v)));
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
    if (a == WG_CASE_PARTY) { /* the record keeps the role: the party is sealed apart */
        struct wg_case_party p;
        if ((rc = wg_case_party_apply(&p, body, err)))
            return rc;
        json_object_set_new(*record, "role", json_string(p.role));
        wg_case_party_release(&p);
    }
    if (json_object_get(*record, "mediator") && !json_object_get(*record, "body"))
        return wg_err_set(err, WG_EINVAL, "'mediator' is given with the 'body' they belong to");
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

/* The clock, the body and the mediator a step leaves (dispute.h): an acceptance starts its
 * level's box (and says whether it came in time), an escalation the next level's acceptance
 * box with no body yet, an end stops the clock, a supervision marks it. */
static enum wg_rc clock_step(struct wg_db *db, const struct wg_case_env *env,
                             const struct wg_case_step *s, struct wg_dispute_row *r,
                             const json_t *record, int *in_time, struct wg_err *err)
{
    enum wg_case_level level = WG_CASE_GRID;
    json_t *body = json_object_get(record, "body");
    const char *mediator = json_string_value(json_object_get(record, "mediator"));
    enum wg_rc rc = WG_OK;
    *in_time = !r->due_at || s->now <= r->due_at;
    wg_case_level_parse(r->level, &level, NULL);
    if (body &&
        (rc = wg_body_serves(db, json_integer_value(body), r->grid, mediator ? mediator : "", err)))
        return rc;
    if (body) {
        r->body = json_integer_value(body);
        snprintf(r->mediator, sizeof r->mediator, "%s", mediator ? mediator : "");
    }
    switch (s->action) {
    case WG_CASE_ACCEPT:
        r->accepted_at = s->now, r->supervised = 0;
        return wg_case_clock_level(env, level, s->now, &r->clock_at, &r->due_at, err);
    case WG_CASE_ESCALATE:
        r->accepted_at = 0, r->supervised = 0, r->body = 0, r->mediator[0] = '\0';
        return wg_case_clock_register(env, r->risk, s->now, &r->clock_at, &r->due_at, err);
    case WG_CASE_AGREE:
    case WG_CASE_REFER:
    case WG_CASE_REFUSE:
        r->clock_at = r->due_at = 0;
        return WG_OK;
    case WG_CASE_SUPERVISE:
        r->supervised = 1;
        return WG_OK;
    default:
        return WG_OK;
    }
}

/* A case opened from an order answers on it when it ends (诉调对接): a line_reply step on the
 * order's timeline, by the system, saying how it ended — never a party or a reason, which
 * the case keeps sealed. */
static enum wg_rc reply_order(struct wg_db *db, const struct wg_dispute_row *r,
                              enum wg_case_action a, const json_t *record, long long now,
                              struct wg_err *err)
{
    static const char *const to_names[][2] = {{"court", "人民法院"},
                                              {"arbitration", "仲裁机构"},
                                              {"administrative_review", "行政复议机关"},
                                              {"petition", "信访部门"}};
    const char *outcome = a == WG_CASE_AGREE   ? "agreed"
                          : a == WG_CASE_REFER ? "referred"
                                               : "refused";
    const char *to = json_string_value(json_object_get(record, "to"));
    char text[200], at[32];
    if (a == WG_CASE_AGREE)
        snprintf(text, sizeof text, "矛盾纠纷 %s 调解成功，当事人已达成调解协议", r->number);
    else if (a == WG_CASE_REFUSE)
        snprintf(text, sizeof text, "矛盾纠纷 %s 不属于人民调解受理范围，不予受理", r->number);
    else
        snprintf(text, sizeof text, "矛盾纠纷 %s 调解未成，已依法移交%s", r->number, "有关部门");
    for (size_t i = 0; a == WG_CASE_REFER && to && i < 4; i++)
        if (!strcmp(to, to_names[i][0]))
            snprintf(text, sizeof text, "矛盾纠纷 %s 调解未成，已依法移交%s", r->number,
                     to_names[i][1]);
    json_t *d = json_pack("{s:I,s:s,s:s,s:s}", "dispute", (json_int_t)r->id, "number", r->number,
                          "outcome", outcome, "text", text);
    char *detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    wg_clock_iso(now, at);
    struct wg_order_event_row ev = {0, at, "system", "system", "line_reply", NULL, NULL, detail};
    enum wg_rc rc = wg_store_order_event(db, r->order_id, &ev, err);
    free(detail);
    return rc;
}

static void event_of(const struct wg_case_step *s, const struct wg_dispute_row *r,
                     const struct wg_case_result *out, struct wg_dispute_event_row *e)
{
    memset(e, 0, sizeof *e);
    e->at = s->now;
    snprintf(e->actor, sizeof e->actor, "%s", s->actor);
    snprintf(e->role, sizeof e->role, "%s", wg_role_name(s->role));
    snprintf(e->action, sizeof e->action, "%s", wg_case_action_name(s->action));
    snprintf(e->from_state, sizeof e->from_state, "%s", r->state);
    snprintf(e->to_state, sizeof e->to_state, "%s", wg_case_state_name(out->next));
    snprintf(e->level, sizeof e->level, "%s", wg_case_level_name(out->level));
}

static enum wg_rc load(struct wg_db *db, const struct wg_case_step *s, struct loaded *l,
                       struct wg_err *err)
{
    enum wg_rc rc = wg_store_dispute_get(db, s->id, on_case, l, err);
    if (!rc && !l->found)
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", s->id);
    if (!rc && l->row.version != s->version)
        rc = wg_err_set(err, WG_EPRECOND,
                        "dispute case %lld is at version %lld, not %lld: someone changed it "
                        "since you read it; read it again",
                        s->id, l->row.version, s->version);
    return rc;
}

static enum wg_rc write_step(struct wg_db *db, const struct wg_case_env *env,
                             const struct wg_dispute_row *r, struct wg_dispute_event_row *e,
                             const json_t *record, long long now, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    char *text =
        json_object_size(record) ? json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *sealed = NULL;
    if (text)
        rc = wg_pii_encrypt(env->keys, text, "dispute_event.detail", &sealed, err);
    wg_pii_wipe(text);
    e->detail = sealed ? sealed : "";
    if (!rc)
        rc = wg_store_dispute_step(db, r, e, now, err);
    free(sealed);
    return rc;
}

/* The step `party`: the party sealed and blind-indexed as a new case's are, after the others. */
static enum wg_rc add_party(struct wg_db *db, const struct wg_case_env *env, long long id,
                            const json_t *body, struct wg_err *err)
{
    struct wg_case_party p;
    int n = 0;
    enum wg_rc rc = wg_case_party_apply(&p, body, err);
    if (rc)
        return rc;
    if (!(rc = wg_store_dispute_party_count(db, id, &n, err)) && n >= WG_CASE_PARTIES_MAX)
        rc = wg_err_set(err, WG_ECONFLICT, "dispute case %lld has %d parties already, the most", id,
                        n);
    if (!rc)
        rc = wg_case_party_store(db, env->keys, id, n, &p, err);
    wg_case_party_release(&p);
    return rc;
}

static enum wg_rc act(struct wg_db *db, const struct wg_case_env *env, const struct wg_case_step *s,
                      const json_t *body, json_t *record, struct wg_err *err)
{
    struct loaded l = {s->scope, {0}, 0};
    struct wg_case_ctx c;
    struct wg_case_result out;
    struct wg_dispute_event_row e;
    enum wg_case_state state;
    int in_time = 0;
    enum wg_rc rc = load(db, s, &l, err);
    if (rc)
        return rc;
    wg_case_facts(&l.row, s->now, &c, &state);
    if ((rc = wg_case_step(state, s->action, s->role, &c, &out, err)))
        return rc;
    char level_at[8];
    snprintf(level_at, sizeof level_at, "%s", l.row.level);
    event_of(s, &l.row, &out, &e);
    snprintf(l.row.state, sizeof l.row.state, "%s", e.to_state);
    snprintf(l.row.level, sizeof l.row.level, "%s", e.level);
    if (out.effects & WG_CASE_FX_ENDED)
        snprintf(l.row.end_level, sizeof l.row.end_level, "%s", l.row.level);
    if (out.effects & WG_CASE_FX_SUCCESS)
        l.row.agreed_at = s->now;
    if (s->action == WG_CASE_TAKE)
        snprintf(l.row.taken_by, sizeof l.row.taken_by, "%s", s->actor);
    if ((rc = clock_step(db, env, s, &l.row, record, &in_time, err)) ||
        (s->action == WG_CASE_PARTY && (rc = add_party(db, env, s->id, body, err))) ||
        (rc = write_step(db, env, &l.row, &e, record, s->now, err)) ||
        (rc = wg_case_count(db, &l.row, e.action, level_at, in_time, s->now, err)))
        return rc;
    int ends =
        s->action == WG_CASE_AGREE || s->action == WG_CASE_REFER || s->action == WG_CASE_REFUSE;
    return l.row.order_id && ends ? reply_order(db, &l.row, s->action, record, s->now, err) : WG_OK;
}

enum wg_rc wg_case_act(struct wg_db *db, const struct wg_case_env *env,
                       const struct wg_case_step *s, const json_t *body, struct wg_err *err)
{
    json_t *record = NULL;
    enum wg_rc rc = wg_case_action_body(s->action, body, &record, err);
    int own = !wg_db_in_tx(db);
    if (!rc && own)
        rc = wg_db_begin(db, err);
    if (!rc) {
        rc = act(db, env, s, body, record, err);
        if (own && !rc)
            rc = wg_db_commit(db, err);
        if (own && rc)
            wg_db_rollback(db);
    }
    json_decref(record);
    return rc;
}
