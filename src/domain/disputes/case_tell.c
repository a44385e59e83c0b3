/* Telling people about a case through the outbox (domain/notify/notify.h), inside the
 * transaction of the change: a red case to the leaders of its place at once, a case past due
 * to the staff of its level. The payload names the case, never a party. */
#include "domain/disputes/case_row.h"

#include <stdlib.h>
#include <string.h>

#include "domain/notify/notify.h"

struct names {
    const char *kind, *payload;
    struct wg_db *db;
    struct wg_err *err;
    enum wg_rc rc;
};

static int tell_one(const char *username, void *ctx)
{
    struct names *n = ctx;
    n->rc = wg_notify(n->db, username, n->kind, 0, n->payload, n->err);
    return n->rc != WG_OK;
}

/* The roles told at a level: the grid's workers, the village's committee, the centre's
 * supervisors above. */
static const char *level_role(const char *level)
{
    if (!strcmp(level, "grid"))
        return "gridworker";
    return !strcmp(level, "village") ? "community" : "supervisor";
}

enum wg_rc wg_case_tell(struct wg_db *db, const struct wg_dispute_row *r, const char *kind,
                        long long now, struct wg_err *err)
{
    const char *roles[3] = {NULL, NULL, NULL};
    json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "kind", kind, "dispute",
                          (json_int_t)r->id, "number", r->number, "grid", r->grid, "type", r->type,
                          "risk", r->risk, "level", r->level, "due_at", (json_int_t)r->due_at, "at",
                          (json_int_t)now);
    char *payload = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!strcmp(kind, "dispute_red"))
        roles[0] = "leader", roles[1] = "supervisor";
    else
        roles[0] = level_role(r->level);
    struct names n = {kind, payload, db, err, WG_OK};
    enum wg_rc rc = WG_OK;
    for (int i = 0; !rc && roles[i]; i++) {
        rc = wg_store_accounts_for_place(db, roles[i], r->grid, WG_NOTIFY_FANOUT_MAX, tell_one, &n,
                                         err);
        if (!rc)
            rc = n.rc;
    }
    if (!rc && r->mediator[0] && strcmp(kind, "dispute_red"))
        rc = wg_notify(db, r->mediator, kind, 0, payload, err);
    free(payload);
    return rc;
}
