/* A case opened by an order's joint-conference or judicial line (dispute.h wg_case_from_order,
 * issue 20 item 5: 诉调对接): the appeal becomes a dispute case of the same place, its
 * reporter the applicant, linked both ways. */
#include "domain/disputes/dispute.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "domain/accounts/pii.h"

static const char *risk_of(const char *urgency)
{
    if (urgency && !strcmp(urgency, "critical"))
        return "red";
    return urgency && !strcmp(urgency, "urgent") ? "orange" : "yellow";
}

static int listed(const char *const *list, const char *v)
{
    for (; v && *list; list++)
        if (!strcmp(*list, v))
            return 1;
    return 0;
}

enum wg_rc wg_case_from_order(struct wg_db *db, const struct wg_case_env *env,
                              const struct wg_case_order *o, const struct wg_case_by *by,
                              long long now, long long *id, struct wg_err *err)
{
    struct wg_case c;
    char number[40], text[WG_CASE_TEXT_MAX * 4 + 8];
    memset(&c, 0, sizeof c);
    if (!o->grid || !*o->grid)
        return wg_err_set(err, WG_EINVAL,
                          "order %lld lies in no grid: locate it before it opens a dispute case",
                          o->id);
    if (o->type && !listed(wg_case_types, o->type))
        return wg_err_set(err, WG_EINVAL, "'dispute_type' is not a type of dispute");
    if (o->risk && !listed(wg_case_risks, o->risk))
        return wg_err_set(err, WG_EINVAL, "'risk' is one of red, orange, yellow, green");
    c.source = "order";
    c.type = o->type ? o->type : "other";
    c.risk = o->risk ? o->risk : risk_of(o->urgency);
    snprintf(text, sizeof text, "%s：%s", o->title ? o->title : "", o->content ? o->content : "");
    text[wg_utf8_prefix(text, WG_CASE_TEXT_MAX)] = '\0';
    c.description = wg_strdup(text);
    snprintf(c.grid, sizeof c.grid, "%s", o->grid);
    c.order_id = o->id;
    if (o->reporter_name && *o->reporter_name) {
        struct wg_case_party *p = &c.parties[c.nparties++];
        p->role = "applicant";
        p->id_type = "resident_id";
        p->name = wg_strdup(o->reporter_name);
        p->id_number = wg_strdup("");
        p->phone = wg_strdup(o->reporter_phone ? o->reporter_phone : "");
    }
    c.people = c.nparties ? c.nparties : 1;
    enum wg_rc rc = wg_case_create(db, env, &c, by, now, id, number, NULL, err);
    wg_case_release(&c);
    return rc;
}
