/* The dispute figures' counting (case_count.h): each step adds to its day's and its month's
 * counters, at each level of its place, in its own transaction. */
#include "domain/disputes/case_count.h"

#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "store/disputes/dispute_stat_q.h"

static int low_level(const char *level)
{
    return !strcmp(level, "grid") || !strcmp(level, "village");
}

/* t added at each of place's levels — its county, town, village and itself — to the whole and
 * to its type, level and body (those given). */
static enum wg_rc add_all(struct wg_db *db, const char *place, long long now, const char *type,
                          const char *level, long long body, const struct wg_dispute_tally *t,
                          struct wg_err *err)
{
    char day[11], region[32], bodytext[24];
    size_t n = strlen(place), cuts[] = {6, 9, 12, n};
    enum wg_rc rc = WG_OK;
    wg_civil_format_date(wg_cst_day(now), day);
    snprintf(bodytext, sizeof bodytext, "%lld", body);
    for (size_t c = 0; !rc && c < 4; c++) {
        if (cuts[c] > n || (c && cuts[c] == cuts[c - 1]) || cuts[c] >= sizeof region)
            continue;
        snprintf(region, sizeof region, "%.*s", (int)cuts[c], place);
        rc = wg_store_dispute_stat_add(db, region, day, "", "", t, err);
        if (!rc && *type)
            rc = wg_store_dispute_stat_add(db, region, day, "type", type, t, err);
        if (!rc)
            rc = wg_store_dispute_stat_add(db, region, day, "level", level, t, err);
        if (!rc && body)
            rc = wg_store_dispute_stat_add(db, region, day, "body", bodytext, t, err);
    }
    return rc;
}

enum wg_rc wg_case_count(struct wg_db *db, const struct wg_dispute_row *r, const char *action,
                         const char *level, int in_time, long long now, struct wg_err *err)
{
    struct wg_dispute_tally t;
    memset(&t, 0, sizeof t);
    if (!strcmp(action, "register"))
        t.found = 1;
    else if (!strcmp(action, "accept"))
        t.accepted = 1, t.accepted_in_time = in_time;
    else if (!strcmp(action, "mediate"))
        t.mediated = 1;
    else if (!strcmp(action, "agree"))
        t.successful = 1, t.amount_fen = r->amount_fen, t.ended = 1, t.ended_low = low_level(level);
    else if (!strcmp(action, "refer"))
        t.referred = 1, t.ended = 1, t.ended_low = low_level(level);
    else if (!strcmp(action, "perform"))
        t.performed = 1;
    else if (!strcmp(action, "escalate"))
        t.escalated = 1;
    else
        return WG_OK;
    return add_all(db, r->grid, now, r->type, level, r->body, &t, err);
}

enum wg_rc wg_case_count_screened(struct wg_db *db, const char *region, const char *level,
                                  long long n, long long now, struct wg_err *err)
{
    struct wg_dispute_tally t;
    memset(&t, 0, sizeof t);
    t.screened = n;
    return add_all(db, region, now, "", level, 0, &t, err);
}
