/* Dispute cases stored (domain/disputes/dispute.h, store/disputes/dispute_q.h), on a real
 * store on every backend: numbered per county and day, the parties' personal fields sealed
 * and never in clear, the timeline opened by "register"; a case outside the recorder's scope
 * or in no grid refused naming the grid, with nothing stored and no number used. */
#include "t.h"

#include "domain/accounts/pii.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/disputes/dispute.h"
#include "store/disputes/dispute_q.h"
#include "t_grid.h"
#include "t_store.h"

#define GRID "371302001001001"
#define WEST "371302001002001"
#define NOW  1796000000LL /* 2026-11-30 in China */

static const char *BODY =
    "{\"source\": \"gridworker\", \"type\": \"neighbours\", \"risk\": \"yellow\","
    " \"description\": \"楼上漏水渗到楼下卧室，双方就维修费用争执不下\", \"amount\": 3200.5,"
    " \"grid\": \"%s\", \"parties\": [{\"role\": \"applicant\", \"name\": \"王秀英\","
    " \"id_number\": \"11010519491231002X\", \"phone\": \"138 0013 8000\"},"
    " {\"role\": \"respondent\", \"name\": \"李建国\"}]}";

struct seen {
    const struct wg_pii_keys *keys;
    struct wg_dispute_row r;
    int parties, events, sealed, opened;
    char first_action[16];
};

static int on_case(const struct wg_dispute_row *r, void *ctx)
{
    struct seen *s = ctx;
    s->r = *r;
    s->r.description = NULL;
    return 0;
}

static int on_party(const struct wg_dispute_party_row *p, void *ctx)
{
    struct seen *s = ctx;
    struct wg_err err = {0};
    char *name = NULL;
    s->parties++;
    s->sealed += strcmp(p->name, "王秀英") && strcmp(p->name, "李建国") &&
                 !strstr(p->phone, "13800138000") && !strstr(p->id_number, "110105");
    if (wg_pii_decrypt(s->keys, p->name, "dispute_party.name", &name, &err) == WG_OK)
        s->opened += !strcmp(name, p->pos ? "李建国" : "王秀英");
    wg_pii_wipe(name);
    return 0;
}

static int on_event(const struct wg_dispute_event_row *e, void *ctx)
{
    struct seen *s = ctx;
    if (!s->events++)
        snprintf(s->first_action, sizeof s->first_action, "%s", e->action);
    return 0;
}

static enum wg_rc record(struct wg_db *db, struct wg_pii_keys *keys, const char *grid,
                         const struct wg_scope *scope, long long *id, char number[40],
                         struct wg_err *err)
{
    char text[1024];
    json_error_t je;
    struct wg_case c;
    snprintf(text, sizeof text, BODY, grid);
    json_t *body = json_loads(text, 0, &je);
    T_EQ_INT(wg_case_apply(&c, body, err), WG_OK);
    struct wg_case_by by = {"gw1", WG_ROLE_GRIDWORKER, scope, WG_CASE_GRID};
    struct wg_case_env env = {keys, NULL, NULL};
    enum wg_rc rc = wg_case_create(db, &env, &c, &by, NOW, id, number, NULL, err);
    wg_case_release(&c);
    json_decref(body);
    return rc;
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_pii_keys *keys = NULL;
    struct wg_db *db = NULL;
    struct wg_store *st = t_store_open("dispute_store");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    struct wg_case_env env = {keys, NULL, NULL};
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_grid(db, GRID);
    t_add_grid(db, WEST);
    struct wg_scope village = {"region", "371302001001"};
    long long id = 0;
    char number[40] = "";

    /* numbered per county and day, from 1 */
    T_EQ_INT(record(db, keys, GRID, &village, &id, number, &err), WG_OK);
    T_EQ_STR(number, "371302-20261130-J0001");
    struct seen s = {keys, {0}, 0, 0, 0, 0, ""};
    T_EQ_INT(wg_store_dispute_get(db, id, on_case, &s, &err), WG_OK);
    T_EQ_STR(s.r.state, "registered");
    T_EQ_STR(s.r.level, "grid");
    T_EQ_STR(s.r.county, "371302");
    T_EQ_INT(s.r.amount_fen, 320050);
    T_EQ_INT(s.r.people, 2);
    T_EQ_INT(s.r.version, 1);
    T_EQ_STR(s.r.created_by, "gw1");
    /* the parties sealed, opened to what was recorded; the timeline opened by register */
    T_EQ_INT(wg_store_dispute_parties(db, id, on_party, &s, &err), WG_OK);
    T_EQ_INT(s.parties, 2);
    T_EQ_INT(s.sealed, 2);
    T_EQ_INT(s.opened, 2);
    T_EQ_INT(wg_store_dispute_events(db, id, on_event, &s, &err), WG_OK);
    T_EQ_INT(s.events, 1);
    T_EQ_STR(s.first_action, "register");
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM dispute_party WHERE "
                                      "length(id_blind) = 32 AND length(phone_blind) = 32"),
             1);

    /* outside the recorder's village, or in no grid: refused, nothing stored, no number used */
    T_EQ_INT(record(db, keys, WEST, &village, &id, number, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'grid'") != NULL);
    T_EQ_INT(record(db, keys, "371302001009009", &village, &id, number, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'grid'") != NULL);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM dispute"), 1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM dispute_party"), 2);
    T_CHECK(!wg_db_in_tx(db));
    T_EQ_INT(record(db, keys, GRID, &village, &id, number, &err), WG_OK);
    T_EQ_STR(number, "371302-20261130-J0002");
    /* inside the caller's transaction: rolled back with it */
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(record(db, keys, GRID, &village, &id, number, &err), WG_OK);
    wg_db_rollback(db);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM dispute"), 2);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT last FROM dispute_number"), 2);

    /* every key an action's body may hold is a field its check knows: a value of the wrong kind
     * is refused (for it or a field before it), never as an unknown key, before the case is
     * looked for */
    struct wg_scope all = {"region", ""};
    for (int a = 0; a < WG_CASE_ACTION_COUNT; a++) {
        const char *const *names = wg_case_action_fields((enum wg_case_action)a);
        T_CHECK(names != NULL);
        for (int k = 0; names && names[k]; k++) {
            char want[40];
            json_t *body = json_pack("{s:[]}", names[k]);
            struct wg_case_step bad = {999999,           1,   NOW, (enum wg_case_action)a, "m1",
                                       WG_ROLE_MEDIATOR, &all};
            T_EQ_INT(wg_case_act(db, &env, &bad, body, &err), WG_EINVAL);
            snprintf(want, sizeof want, "'%s' is not a field", names[k]);
            T_CHECK(strstr(err.msg, want) == NULL);
            json_decref(body);
        }
    }
    T_CHECK(wg_case_action_fields(WG_CASE_ACTION_COUNT) == NULL);
    /* a step on the version read; a stale one changes nothing */
    struct wg_case_step accept = {1, 5, NOW, WG_CASE_ACCEPT, "m1", WG_ROLE_MEDIATOR, &village};
    T_EQ_INT(wg_case_act(db, &env, &accept, NULL, &err), WG_EPRECOND);
    T_EQ_INT(wg_store_dispute_get(db, 2, on_case, &s, &err), WG_OK);
    accept.id = 2;
    accept.version = s.r.version;
    T_EQ_INT(wg_case_act(db, &env, &accept, NULL, &err), WG_OK);
    T_EQ_INT(wg_case_act(db, &env, &accept, NULL, &err), WG_EPRECOND);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM dispute_event WHERE dispute = 2"), 2);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT version FROM dispute WHERE id = 2"), 2);

    /* key rotation re-seals the parties and the steps' records: in each case 王秀英's name, ID
     * number and phone and 李建国's name; no step's record but the session's (accept and
     * mediate had no body) */
    struct wg_case_step session = {2, 2, NOW, WG_CASE_MEDIATE, "m1", WG_ROLE_MEDIATOR, &village};
    T_EQ_INT(wg_case_act(db, &env, &session, NULL, &err), WG_OK);
    json_t *rec = json_pack("{s:I,s:s,s:s,s:s}", "at", (json_int_t)NOW, "place", "调解室",
                            "attendees", "王秀英、李建国", "record", "双方同意分担");
    session.action = WG_CASE_SESSION;
    session.version = 3;
    T_EQ_INT(wg_case_act(db, &env, &session, rec, &err), WG_OK);
    json_decref(rec);
    T_EQ_INT(wg_pii_keys_rotate(t_store_dir, &err), WG_OK);
    struct wg_pii_keys *rotated = NULL;
    size_t moved = 0;
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &rotated, &err), WG_OK);
    T_EQ_INT(wg_pii_rotate_stored(db, rotated, &moved, &err), WG_OK);
    T_EQ_INT(moved, 2 * 4 + 1);
    T_EQ_INT(wg_pii_rotate_stored(db, rotated, &moved, &err), WG_OK);
    T_EQ_INT(moved, 0);
    struct seen again = {rotated, {0}, 0, 0, 0, 0, ""};
    T_EQ_INT(wg_store_dispute_parties(db, 2, on_party, &again, &err), WG_OK);
    T_EQ_INT(again.opened, 2);
    wg_pii_keys_free(rotated);

    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("dispute_store");
}
