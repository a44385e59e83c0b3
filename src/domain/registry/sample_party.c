/* The generated party overlay (sample.h): in each village or community a party committee
 * (党委), in each grid its branch (支部建在网格上) with the party members living there, and a
 * party-member central household (党员中心户) serving a few of its neighbours. */
#include "domain/registry/sample.h"
#include "domain/registry/party.h"

#include <stdio.h>
#include <string.h>

static enum wg_rc org(struct wg_db *db, json_t *body, long long now, long long *id,
                      struct wg_err *err)
{
    struct wg_party_org_row p;
    enum wg_rc rc;
    memset(&p, 0, sizeof p);
    if (!(rc = wg_party_org_apply(&p, body, err)) &&
        !(rc = wg_party_org_save(db, NULL, &p, 0, now, err)))
        *id = p.id;
    json_decref(body);
    return rc;
}

static enum wg_rc branch(struct wg_db *db, struct wg_sample_party *p, long long now,
                         struct wg_err *err)
{
    static const char *const roles[] = {"secretary", "deputy_secretary", "committee_member"};
    char name[200];
    long long id = 0, person;
    enum wg_rc rc;
    snprintf(name, sizeof name, "%s党支部", p->grid_name);
    if ((rc = org(db,
                  json_pack("{s:s,s:s,s:s,s:I}", "name", name, "kind", "branch", "grid", p->grid,
                            "parent", (json_int_t)*p->committee),
                  now, &id, err)))
        return rc;
    for (size_t i = 0; i < p->nmembers && !rc; i++) {
        json_t *m = json_pack("{s:I,s:s,s:s}", "person", (json_int_t)p->members[i], "role",
                              i < 3 ? roles[i] : "member", "joined", "2021-07-01");
        rc = wg_party_member_add(db, NULL, id, m, now, &person, err);
        json_decref(m);
    }
    if (rc || !p->ncentres || p->nhouseholds < 4)
        return rc;
    /* the first member's household serves up to four of its neighbours */
    json_t *serves = json_array();
    for (size_t i = 0; i < p->nhouseholds && json_array_size(serves) < 4; i++)
        if (p->households[i] != p->centres[0])
            json_array_append_new(serves, json_integer(p->households[i]));
    json_t *c =
        json_pack("{s:I,s:I,s:I,s:o}", "household", (json_int_t)p->centres[0], "party_org",
                  (json_int_t)id, "member", (json_int_t)p->centre_heads[0], "serves", serves);
    struct wg_party_centre_row out;
    rc = wg_party_centre_save(db, NULL, p->centres[0], c, 0, now, &out, err);
    json_decref(c);
    return rc;
}

enum wg_rc wg_sample_party(struct wg_db *db, struct wg_sample_party *p, long long now,
                           struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    char name[200];
    if (rc)
        return rc;
    if (!*p->committee) { /* the village's or community's committee, once */
        snprintf(name, sizeof name, "中共%s委员会", p->place);
        rc = org(
            db, json_pack("{s:s,s:s,s:s}", "name", name, "kind", "committee", "region", p->village),
            now, p->committee, err);
    }
    if (!rc)
        rc = branch(db, p, now, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}
