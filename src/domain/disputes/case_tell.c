/* Telling people about a case through the outbox (domain/notify/notify.h), inside the
 * transaction of the change: a red case to the leaders of its place at once, a case past due
 * to the staff of its level. The payload names the case, never a party. */
#include "domain/disputes/case_row.h"

#include <stdlib.h>
#include <string.h>

#include "domain/notify/notify.h"

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
        roles[0] = wg_case_level_staff(r->level);
    enum wg_rc rc = WG_OK;
    for (int i = 0; !rc && roles[i]; i++)
        rc = wg_notify_role_at(db, roles[i], r->grid, kind, payload, NULL, err);
    if (!rc && r->mediator[0] && strcmp(kind, "dispute_red"))
        rc = wg_notify(db, r->mediator, kind, 0, payload, err);
    free(payload);
    return rc;
}
