/* A dispute case as recorded (SPEC §5, issue 20): where it came from, its type, what is at
 * stake, its risk colour, where it is, and its parties — each with a role, a name, an ID
 * document and a phone, personal fields that are sealed and masked like every other. This
 * file reads and checks a case's body; the state machine is dispute_fsm.h. */
#ifndef WG_DOMAIN_DISPUTE_H
#define WG_DOMAIN_DISPUTE_H

#include <jansson.h>

#include "core/err.h"
#include "domain/calendar/calendar.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/disputes/dispute_fsm.h"
#include "store/store.h"

#define WG_CASE_PARTIES_MAX 20
#define WG_CASE_TEXT_MAX    4000 /* characters of a description */

/* The lists, NULL-terminated, in the order screens show them. */
extern const char *const wg_case_types[];   /* SPEC §5's 14 types of dispute */
extern const char *const wg_case_sources[]; /* where a case came from */
extern const char *const wg_case_risks[];   /* red, orange, yellow, green */
extern const char *const wg_case_roles[];   /* a party's: applicant, respondent, third_party */
extern const char *const wg_case_fields[];  /* the keys of a new case's body */

struct wg_case_party {
    const char *role, *id_type;     /* from the lists */
    char *name, *id_number, *phone; /* owned; id_number and phone "" when not given */
};

struct wg_case {
    const char *source, *type, *risk; /* from the lists */
    char *description;                /* owned */
    long long amount_fen;             /* the amount involved, in fen (0.01 yuan) */
    int people;                       /* people involved: at least the parties */
    char grid[16];                    /* a grid code, or "" when located by the point */
    int has_point;
    double lon, lat;
    long long order_id; /* the order it came from (source "order"), else 0 */
    struct wg_case_party parties[WG_CASE_PARTIES_MAX];
    int nparties;
};

/* Reads a new case's body into *c (zeroed first): every field checked, every error naming
 * the field (a party's as "parties[i]: …") and saying what is accepted; unknown fields are
 * refused. On an error *c holds nothing to release. A case has at least one applicant and one
 * respondent; a resident ID is checked by GB 11643; the amount is yuan with at most two
 * decimals; the order is given exactly when the source is "order". */
enum wg_rc wg_case_apply(struct wg_case *c, const json_t *body, struct wg_err *err);
void wg_case_release(struct wg_case *c);
/* One party as `parties[i]` takes it (the step `party` adds one): its keys are
 * wg_case_party_fields; on an error *p holds nothing to release. */
extern const char *const wg_case_party_fields[];
enum wg_rc wg_case_party_apply(struct wg_case_party *p, const json_t *o, struct wg_err *err);
void wg_case_party_release(struct wg_case_party *p);

/* The time boxes (server setting dispute_days, docs/API.md "Time boxes and supervision"): working
 * days for a level's body to accept a yellow or green case (red and orange ones are due by the
 * close of the working day they were registered on), and for each level to conclude it. */
struct wg_case_boxes {
    int accept_days;
    int days[WG_CASE_LEVEL_COUNT];
};
/* accept=2, grid=5, village=10, town=15, county=22 (one month, about 22 working days). */
void wg_case_boxes_init(struct wg_case_boxes *b);
/* "accept=2,grid=5,village=10,town=15,county=22", any of them, each 1–60; unchanged on an
 * error naming the part at fault. */
enum wg_rc wg_case_boxes_set(struct wg_case_boxes *b, const char *spec, struct wg_err *err);

/* What the disputes module works with: the keys sealing parties and records, the working
 * calendar and the time boxes (calendar NULL: no clock runs). */
struct wg_case_env {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *calendar;
    const struct wg_case_boxes *boxes;
};

/* Who records a case, and at which level of the hourglass it starts (the caller's: a grid
 * worker's grid, a village's committee, the town or county centre). */
struct wg_case_by {
    const char *actor;
    enum wg_role_id role;
    const struct wg_scope *scope;
    enum wg_case_level level;
};

/* The role of a level's staff, told of what is overdue there: a grid's workers
 * ("gridworker"), a village's committee ("community"), the centre above ("supervisor"). */
const char *wg_case_level_staff(const char *level);

/* The level a recorder in role and scope works at: a grid worker's grid, a village
 * committee's village, else the scope's (a grid, a village, a town, the county and above). */
enum wg_case_level wg_case_level_of(enum wg_role_id role, const struct wg_scope *scope);

/* Stores a new case, registered at by->level: numbered {county}-{yyyymmdd}-J{seq} (the
 * county the grid's, the day China's, seq per county and day), its parties' personal fields
 * sealed and their ID documents and phones blind-indexed, the step "register" first on its
 * timeline, its acceptance clock started, its figures counted, and (when code is not NULL) a
 * portal tracking code issued into code (XXXX-XXXX-XXXX-XXXX). A red case is told to the
 * leaders of its place (dispute.red). The grid must exist and lie in by->scope (else
 * WG_EINVAL naming 'grid'); c->grid is set (a point is located to its grid before). In the
 * caller's transaction when one is open, else in its own; on an error nothing is stored. */
enum wg_rc wg_case_create(struct wg_db *db, const struct wg_case_env *env, const struct wg_case *c,
                          const struct wg_case_by *by, long long now, long long *id,
                          char number[40], char code[20], struct wg_err *err);
/* The case an order's joint-conference or judicial line opens (诉调对接), in the caller's
 * transaction, by the one who routed it: source "order", placed in the order's grid (an
 * order with none is WG_EINVAL: locate it first), described by its title and text, of type
 * (NULL: other) and risk (NULL: from its urgency — critical red, urgent orange, else yellow),
 * its reporter the applicant unless anonymous; the other parties are added by the step
 * `party`. The order must already be on the line. *id is the new case's. */
struct wg_case_order {
    long long id;
    const char *grid, *title, *content, *urgency;
    const char *reporter_name, *reporter_phone; /* clear; NULL or "" for none */
    const char *type, *risk;
};
enum wg_rc wg_case_from_order(struct wg_db *db, const struct wg_case_env *env,
                              const struct wg_case_order *o, const struct wg_case_by *by,
                              long long now, long long *id, struct wg_err *err);
/* A new tracking code for case id in scope (the old one void), into code. */
enum wg_rc wg_case_new_code(struct wg_db *db, const struct wg_scope *scope, long long id,
                            char code[20], struct wg_err *err);

/* One case as its reader sees it, in scope (outside it, or absent: WG_ENOTFOUND): the case,
 * its parties masked, its timeline, and allowed_actions for role at now; *version its
 * version, for the ETag. */
enum wg_rc wg_case_view(struct wg_db *db, const struct wg_case_env *env,
                        const struct wg_scope *scope, enum wg_role_id role, long long id,
                        long long now, json_t **out, long long *version, struct wg_err *err);

/* A step of a case (POST /api/v1/disputes/{id}/actions/{name}): by actor in role, within
 * scope, on the version read. */
struct wg_case_step {
    long long id, version, now;
    enum wg_case_action action;
    const char *actor;
    enum wg_role_id role;
    const struct wg_scope *scope;
};
/* The keys an action's body may hold (NULL-terminated; NULL for no action). */
const char *const *wg_case_action_fields(enum wg_case_action a);
/* An action's body checked (NULL: empty); *record (owned, always set) the fields given as the
 * timeline keeps them. */
enum wg_rc wg_case_action_body(enum wg_case_action a, const json_t *body, json_t **record,
                               struct wg_err *err);
/* Checks the action's body (each field as its action takes it: a refusal's or an escalation's
 * reason, a session's time, place or online, attendees and record, an agreement's form,
 * facts, terms and performance, a referral's body and reason, a judicial confirmation's
 * status…; 400 naming the field), finds the case in scope (404), holds it to the version
 * (412), asks the state machine (403, 409), and writes the step: the case's state and level,
 * the level it ended at, when it was agreed, the leader who took it, and its timeline's row
 * with the body as its record, sealed. One transaction (the caller's when one is open);
 * nothing is written on an error. */
enum wg_rc wg_case_act(struct wg_db *db, const struct wg_case_env *env,
                       const struct wg_case_step *s, const json_t *body, struct wg_err *err);

/* The server's sweep: every case past due and not supervised since its clock started is
 * supervised once by the system (a `supervise` step by `system`), and its level told
 * (dispute.overdue); at most 200 a call, each in its own transaction. *count: how many. */
enum wg_rc wg_case_sweep(struct wg_db *db, const struct wg_case_env *env, long long now, int *count,
                         struct wg_err *err);

/* The resident's view of a case by its tracking code (docs/API.md "Parties follow their
 * case"): progress, sessions' times and places, the agreement's status; never a party's
 * personal data, a session's record or attendees. WG_ENOTFOUND for an unknown code. */
enum wg_rc wg_case_public(struct wg_db *db, const struct wg_case_env *env, const char *code,
                          long long now, json_t **out, struct wg_err *err);

/* GET /api/v1/disputes: a grid's or a region's cases in scope (grid, region), of a state, a
 * risk, a level and a mediator, only those past due (overdue "1"), newest first or (sort
 * "due") soonest due first, limit (1–200, 50) from cursor ("<created_at>.<id>", or
 * "<due_at>.<id>", of the page before's last). */
struct wg_case_query {
    const char *grid, *region, *state, *risk, *limit, *cursor;
    const char *level, *mediator, *overdue, *sort;
};
enum wg_rc wg_case_list(struct wg_db *db, const struct wg_case_env *env,
                        const struct wg_scope *scope, const struct wg_case_query *q, long long now,
                        json_t **out, struct wg_err *err);

#endif
