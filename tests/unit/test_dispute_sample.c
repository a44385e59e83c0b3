/* The demo's generated disputes (domain/disputes/sample_cases.h) on a small store of the real
 * Lanshan divisions, on every backend: the bodies of the county, its towns and villages with
 * the mediator's seats, a couple of hundred cases in the hourglass's proportions, every step
 * at or before now and after the one before, each body serving its case's place, the parties
 * sealed — and a second run adding nothing. */
#include "t.h"

#include "domain/accounts/account.h"
#include "domain/disputes/sample_cases.h"
#include "t_county.h"
#include "t_store.h" /* scripts/run-tests.sh runs the suites that include it on both stores */

#define NOW 1796000000LL /* 2026-11-30 in China */

int main(void)
{
    char dir[64], sql[256];
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct t_order ord;
    struct wg_locator *loc = NULL;
    struct wg_err err = {0};
    struct wg_case_boxes boxes;
    struct wg_case_sample_report rep, again;
    t_county_open(dir, sizeof dir, "/tmp/wangge-dispute-sample-XXXXXX", &st, &db, &ord, &loc);
    wg_case_boxes_init(&boxes);
    T_EQ_INT(
        wg_account_create(db, "mediator", "mediator", "371302001", "Sample-pass-2026", 0, &err),
        WG_OK);
    T_EQ_INT(
        wg_account_create(db, "zhangguilan", "mediator", "371302", "Sample-pass-2026", 0, &err),
        WG_OK);
    struct wg_case_env env = {ord.keys, ord.cal, &boxes};
    struct wg_case_sample_opts o = {"371302", 200, 365, 7, NOW, "mediator", "371302001"};
    T_EQ_INT(wg_case_sample(db, &env, &o, &rep, &err), WG_OK);
    if (err.rc)
        fprintf(stderr, "%s\n", err.msg);

    /* the bodies: a committee per town and village, the county's own, the mediators' seats */
    long long villages = t_store_one(dir, "SELECT COUNT(*) FROM region WHERE level = 'village'");
    T_CHECK(rep.bodies > villages + 8);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM mediation_body"), rep.bodies);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM mediation_body WHERE kind = "
                              "'village_committee'"),
             villages);
    T_CHECK(t_store_one(dir, "SELECT COUNT(*) FROM mediation_member m JOIN mediation_body b ON "
                             "b.id = m.body WHERE m.username = 'mediator' AND b.region LIKE "
                             "'371302001%'") > 1);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM mediation_member m JOIN mediation_body b ON "
                              "b.id = m.body WHERE m.username = 'mediator' AND b.region NOT "
                              "LIKE '371302001%'"),
             0);
    T_CHECK(t_store_one(dir, "SELECT COUNT(*) FROM mediation_member WHERE username = "
                             "'zhangguilan'") >= 2);

    /* the cases: nearly all registered, in the hourglass's proportions */
    T_CHECK(rep.cases > 180 && rep.cases <= 200);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute"), rep.cases);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute_event"), rep.cases + rep.steps);
    T_CHECK(rep.ended > 0 && rep.ended_low >= rep.ended * 8 / 10 && rep.ended_low < rep.ended);
    T_CHECK(rep.accepts > 0 && rep.agreed >= rep.accepts * 85 / 100);
    T_CHECK(rep.types[1] > rep.types[4] && rep.risks[3] > rep.risks[2] && rep.open > 0);
    /* every step at or before now, after the one before, by the body of the case's place */
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM dispute_event WHERE at > %lld", NOW);
    T_EQ_INT(t_store_one(dir, sql), 0);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute_event a JOIN dispute_event b ON "
                              "b.dispute = a.dispute AND b.seq = a.seq + 1 WHERE b.at < a.at"),
             0);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute d JOIN mediation_body b ON b.id = "
                              "d.body WHERE substr(d.grid, 1, length(b.region)) <> b.region"),
             0);
    T_CHECK(t_store_one(dir, "SELECT COUNT(*) FROM dispute WHERE state = 'archived'") >
            rep.cases / 2);
    /* the parties sealed: nothing of theirs in clear */
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute_party WHERE phone LIKE '154%' OR "
                              "id_number LIKE '3713%'"),
             0);

    /* again: the county holds cases, nothing is added */
    T_EQ_INT(wg_case_sample(db, &env, &o, &again, &err), WG_OK);
    T_EQ_INT(again.cases, 0);
    T_EQ_INT(again.bodies, 0);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM dispute"), rep.cases);

    t_county_close(dir, st, db, &ord, loc);
    return T_DONE("dispute_sample");
}
