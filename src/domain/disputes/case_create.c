/* A new dispute case stored (dispute.h): numbered per county and day, its parties sealed and
 * blind-indexed, its first step on the timeline, all in one transaction. */
#include "domain/disputes/dispute.h"

#include "core/civil.h"
#include "domain/disputes/case_clock.h"
#include "domain/disputes/case_count.h"
#include "domain/disputes/case_row.h"
#include "domain/portal/portal.h"
#include "domain/registry/person.h"
#include "store/disputes/dispute_q.h"
#include "store/orders/orders_q.h"

static enum wg_rc seal(const struct wg_pii_keys *keys, const char *value, const char *context,
                       char **out, struct wg_err *err)
{
    *out = NULL;
    return *value ? wg_pii_encrypt(keys, value, context, out, err) : WG_OK;
}

enum wg_rc wg_case_party_store(struct wg_db *db, const struct wg_pii_keys *keys, long long id,
                               int pos, const struct wg_case_party *p, struct wg_err *err)
{
    char id_blind[WG_PII_BLIND_HEX] = "", phone_blind[WG_PII_BLIND_HEX] = "";
    char *name = NULL, *number = NULL, *phone = NULL;
    enum wg_rc rc;
    if ((rc = seal(keys, p->name, "dispute_party.name", &name, err)) ||
        (rc = seal(keys, p->id_number, "dispute_party.id_number", &number, err)) ||
        (rc = seal(keys, p->phone, "dispute_party.phone", &phone, err)) ||
        (*p->id_number &&
         (rc = wg_document_blind(keys, p->id_type, p->id_number, id_blind, err))) ||
        (*p->phone && (rc = wg_pii_blind(keys, WG_PII_PHONE, p->phone, phone_blind, err))))
        goto out;
    struct wg_dispute_party_row row = {.pos = pos,
                                       .id_number = number ? number : "",
                                       .name = name,
                                       .phone = phone ? phone : "",
                                       .id_blind = id_blind,
                                       .phone_blind = phone_blind};
    snprintf(row.role, sizeof row.role, "%s", p->role);
    snprintf(row.id_type, sizeof row.id_type, "%s", p->id_type);
    rc = wg_store_dispute_party_insert(db, id, &row, err);
out:
    free(name), free(number), free(phone);
    return rc;
}

static int mediation_line(const char *line, const char *at, const char *actor, void *ctx)
{
    (void)at, (void)actor;
    *(int *)ctx |= !strcmp(line, "joint_conference") || !strcmp(line, "judicial");
    return 0;
}

/* A case from an order: the order lies in the recorder's scope (else it is as absent) and is
 * on the joint conference's or the judicial line (the centre routed it there, route_line),
 * so that each shows the other. */
static enum wg_rc order_line(struct wg_db *db, const struct wg_scope *scope, long long order_id,
                             struct wg_err *err)
{
    struct wg_order_row o;
    int on = 0;
    enum wg_rc rc = wg_store_order_get(db, order_id, &o, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, o.grid)))
        rc = wg_err_set(err, WG_EINVAL, "'order': order %lld does not exist", order_id);
    wg_store_order_release(&o); /* zeroed first by the get, whatever it answered */
    if (!rc)
        rc = wg_store_order_lines(db, order_id, mediation_line, &on, err);
    if (!rc && !on)
        rc = wg_err_set(err, WG_EINVAL,
                        "'order': order %lld is not on the joint_conference or judicial line "
                        "(route_line it there first)",
                        order_id);
    return rc;
}

/* A new tracking code for the parties of case id into code, its hash stored (the old void). */
static enum wg_rc issue_code(struct wg_db *db, long long id, char code[20], struct wg_err *err)
{
    char hash[65], shown[WG_PORTAL_CODE_SHOWN];
    enum wg_rc rc;
    wg_portal_code_new(shown);
    if (!(rc = wg_portal_code_hash(shown, hash, shown, err)) &&
        !(rc = wg_store_dispute_code_set(db, id, hash, err)))
        snprintf(code, 20, "%s", shown);
    return rc;
}

/* The first step on the timeline, the acceptance clock, the figures, the leaders told of a red
 * case, and the parties' tracking code. */
static enum wg_rc first_step(struct wg_db *db, const struct wg_case_by *by,
                             struct wg_dispute_row *r, long long now, char code[20],
                             struct wg_err *err)
{
    struct wg_dispute_event_row e = {.seq = 1, .at = now, .detail = ""};
    snprintf(e.actor, sizeof e.actor, "%s", by->actor);
    snprintf(e.role, sizeof e.role, "%s", wg_role_name(by->role));
    snprintf(e.action, sizeof e.action, "register");
    snprintf(e.to_state, sizeof e.to_state, "%s", r->state);
    snprintf(e.level, sizeof e.level, "%s", r->level);
    enum wg_rc rc = wg_store_dispute_event_insert(db, r->id, &e, err);
    if (!rc)
        rc = wg_case_count(db, r, "register", r->level, 1, now, err);
    if (!rc && !strcmp(r->risk, "red"))
        rc = wg_case_tell(db, r, "dispute_red", now, err);
    return rc || !code ? rc : issue_code(db, r->id, code, err);
}

enum wg_rc wg_case_new_code(struct wg_db *db, const struct wg_scope *scope, long long id,
                            char code[20], struct wg_err *err)
{
    struct wg_dispute_row r;
    enum wg_rc rc = wg_store_dispute_get(db, id, wg_case_row_copy, &r, err);
    if (!rc && !wg_registry_covers(scope, r.grid))
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", id);
    return rc ? rc : issue_code(db, id, code, err);
}

static enum wg_rc create(struct wg_db *db, const struct wg_case_env *env, const struct wg_case *c,
                         const struct wg_case_by *by, long long now, long long *id, char number[40],
                         char code[20], struct wg_err *err)
{
    char day[11], ymd[9];
    long long seq = 0;
    struct wg_dispute_row r = {.description = c->description,
                               .amount_fen = c->amount_fen,
                               .people = c->people,
                               .has_point = c->has_point,
                               .lon = c->lon,
                               .lat = c->lat,
                               .order_id = c->order_id};
    enum wg_rc rc = wg_registry_grid_check(db, by->scope, "grid", c->grid, err);
    if (!rc && c->order_id)
        rc = order_line(db, by->scope, c->order_id, err);
    wg_civil_format_date(wg_cst_day(now), day);
    snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", day, day + 5, day + 8);
    snprintf(r.county, sizeof r.county, "%.6s", c->grid);
    if (!rc)
        rc = wg_store_dispute_number_next(db, r.county, ymd, &seq, err);
    if (rc)
        return rc;
    snprintf(r.number, sizeof r.number, "%s-%s-J%04lld", r.county, ymd, seq);
    snprintf(r.source, sizeof r.source, "%s", c->source);
    snprintf(r.type, sizeof r.type, "%s", c->type);
    snprintf(r.risk, sizeof r.risk, "%s", c->risk);
    snprintf(r.grid, sizeof r.grid, "%s", c->grid);
    snprintf(r.state, sizeof r.state, "%s", wg_case_state_name(WG_CASE_REGISTERED));
    snprintf(r.level, sizeof r.level, "%s", wg_case_level_name(by->level));
    snprintf(r.created_by, sizeof r.created_by, "%s", by->actor);
    if ((rc = wg_case_clock_register(env, r.risk, now, &r.clock_at, &r.due_at, err)) ||
        (rc = wg_store_dispute_insert(db, &r, now, id, err)))
        return rc;
    r.id = *id;
    for (int i = 0; !rc && i < c->nparties; i++)
        if ((rc = wg_case_party_store(db, env->keys, *id, i, &c->parties[i], err)))
            wg_err_prefix(err, "parties[%d]", i);
    if (!rc)
        rc = first_step(db, by, &r, now, code, err);
    if (!rc)
        snprintf(number, 40, "%s", r.number);
    return rc;
}

enum wg_rc wg_case_create(struct wg_db *db, const struct wg_case_env *env, const struct wg_case *c,
                          const struct wg_case_by *by, long long now, long long *id,
                          char number[40], char code[20], struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc = own ? wg_db_begin(db, err) : WG_OK;
    if (rc)
        return rc;
    rc = create(db, env, c, by, now, id, number, code, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}
