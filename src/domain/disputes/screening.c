/* Dispute screening on the working calendar (screening.h): each level's cadence, the period
 * holding a day and when it is due, the tasks of the period made once, and the reminders of
 * the tasks left past due. */
#include "domain/disputes/screening.h"
#include "domain/disputes/dispute.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/notify/notify.h"
#include "store/disputes/screening_q.h"
#include "store/notify/notify_q.h"

static const char *const levels[] = {"county", "town", "village", "grid", NULL};
static const char *const cadences[] = {"off", "weekly", "half_monthly", "monthly", NULL};

const char *wg_screening_level_name(enum wg_screening_level l)
{
    return (unsigned)l < WG_SCREENING_LEVELS ? levels[l] : "";
}

const char *wg_screening_cadence_name(enum wg_screening_cadence c)
{
    return (unsigned)c <= WG_SCREENING_MONTHLY ? cadences[c] : "";
}

void wg_screening_defaults(struct wg_screening_config *c)
{
    c->at[WG_SCREENING_COUNTY] = WG_SCREENING_MONTHLY;
    c->at[WG_SCREENING_TOWN] = WG_SCREENING_HALF_MONTHLY;
    c->at[WG_SCREENING_VILLAGE] = WG_SCREENING_WEEKLY;
    c->at[WG_SCREENING_GRID] = WG_SCREENING_WEEKLY;
}

static int find(const char *const *list, const char *s, size_t n)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && !strncmp(list[i], s, n))
            return i;
    return -1;
}

enum wg_rc wg_screening_set_cadence(struct wg_screening_config *c, const char *spec,
                                    struct wg_err *err)
{
    struct wg_screening_config next = *c;
    const char *p = spec;
    while (*p) {
        size_t n = strcspn(p, ","), k = strcspn(p, "=");
        int l = k < n ? find(levels, p, k) : -1;
        int v = l >= 0 ? find(cadences, p + k + 1, n - k - 1) : -1;
        if (l < 0)
            return wg_err_set(err, WG_EINVAL,
                              "screening_cadence: '%.*s' is not level=cadence with a level of "
                              "county, town, village, grid",
                              (int)(n > 60 ? 60 : n), p);
        if (v < 0)
            return wg_err_set(err, WG_EINVAL,
                              "screening_cadence: %s's cadence '%.*s' is not monthly, "
                              "half_monthly, weekly or off",
                              levels[l], (int)(n - k - 1 > 40 ? 40 : n - k - 1), p + k + 1);
        next.at[l] = (enum wg_screening_cadence)v;
        p += n;
        p += *p == ',';
    }
    *c = next;
    return WG_OK;
}

void wg_screening_period(enum wg_screening_cadence c, int day, int *first, int *last)
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    if (c == WG_SCREENING_WEEKLY) { /* Monday to Sunday */
        *first = day - (wg_civil_weekday(day) + 6) % 7;
        *last = *first + 6;
    } else if (c == WG_SCREENING_HALF_MONTHLY && d <= 15) {
        *first = wg_civil_days(y, m, 1);
        *last = wg_civil_days(y, m, 15);
    } else if (c == WG_SCREENING_HALF_MONTHLY) {
        *first = wg_civil_days(y, m, 16);
        *last = wg_civil_month_end(day);
    } else {
        *first = wg_civil_days(y, m, 1);
        *last = wg_civil_month_end(day);
    }
}

enum wg_rc wg_screening_due(const struct wg_calendar *cal, int first, int last, long long *due_at,
                            struct wg_err *err)
{
    int64_t close = 0;
    enum wg_rc rc;
    int day = last;
    for (; day >= first; day--) {
        int y, m, d;
        wg_civil_date(day, &y, &m, &d);
        /* lenient: a year whose table is not published yet counts Monday to Friday */
        int w = wg_calendar_is_workday_lenient(cal, y, m, d);
        if (w < 0)
            return wg_err_set(err, WG_EINVAL, "%04d-%02d-%02d lies outside the working calendar", y,
                              m, d);
        if (w)
            break;
    }
    /* the close of the next working day after the day before: that day itself when it
     * works; with no working day in the period, the first one after it */
    long long from = day >= first ? wg_cst_midnight(day) - 1 : wg_cst_midnight(last);
    if ((rc = wg_calendar_next_day_close_lenient(cal, from, &close, err)))
        return rc;
    *due_at = close;
    return WG_OK;
}

/* ---- making a period's tasks ---- */

struct make {
    const char *level;
    char first[11], last[11];
    long long due_at, now;
    long made;
};

/* The levels whose tasks are to be made, written together in one transaction. */
struct makes {
    struct make m[WG_SCREENING_LEVELS];
    int n;
};

static enum wg_rc make_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct makes *all = ctx;
    enum wg_rc rc = WG_OK;
    for (int i = 0; !rc && i < all->n; i++) {
        struct make *m = &all->m[i];
        rc = wg_store_screening_make(db, m->level, m->first, m->last, m->due_at, m->now, &m->made,
                                     err);
    }
    return rc;
}

/* Whether level's period holding m->now is to be made (*want), with its dates and due time. */
static enum wg_rc plan_level(struct wg_db *db, const struct wg_calendar *cal,
                             enum wg_screening_cadence c, struct make *m, int full, int *want,
                             struct wg_err *err)
{
    int first, last, present = 0;
    enum wg_rc rc;
    *want = 0;
    wg_screening_period(c, wg_cst_day(m->now), &first, &last);
    wg_civil_format_date(first, m->first);
    wg_civil_format_date(last, m->last);
    if (!full && (rc = wg_store_screening_probe(db, m->level, m->first, &present, err)))
        return rc;
    if (present)
        return WG_OK;
    if ((rc = wg_screening_due(cal, first, last, &m->due_at, err))) {
        wg_err_prefix(err, "the %s screening of %s to %s", m->level, m->first, m->last);
        return rc;
    }
    *want = 1;
    return WG_OK;
}

enum wg_rc wg_screening_generate(struct wg_db *db, struct wg_committer *cm,
                                 const struct wg_calendar *cal,
                                 const struct wg_screening_config *cfg, long long now, int full,
                                 long *made, struct wg_err *err)
{
    enum wg_rc first_rc = WG_OK, rc = WG_OK;
    struct wg_err later = {0};
    struct makes all = {0};
    if (made)
        *made = 0;
    for (int l = 0; l < WG_SCREENING_LEVELS; l++) {
        struct make m = {levels[l], "", "", 0, now, 0};
        int want = 0;
        if (cfg->at[l] == WG_SCREENING_OFF)
            continue;
        rc = plan_level(db, cal, cfg->at[l], &m, full, &want, first_rc ? &later : err);
        if (rc && !first_rc)
            first_rc = rc;
        if (want)
            all.m[all.n++] = m;
    }
    /* the levels with their periods' tasks to make, in one transaction */
    if (all.n && (rc = wg_committer_or_db(cm, db, make_tx, &all, first_rc ? &later : err)) &&
        !first_rc)
        first_rc = rc;
    for (int i = 0; made && i < all.n; i++)
        *made += all.m[i].made;
    return first_rc;
}

/* ---- reminders ---- */

#define REMIND_PAGE 200

struct due_task {
    long long id, due_at;
    char level[8], region[20], first[11], last[11];
};

struct remind {
    struct due_task *list;
    size_t n, cap;
    long long now;
    int sent;
};

static int on_overdue(const struct wg_screening_row *r, void *ctx)
{
    struct remind *m = ctx;
    wg_grow(&m->list, &m->cap, m->n, sizeof m->list[0], 16);
    struct due_task *t = &m->list[m->n++];
    t->id = r->id;
    t->due_at = r->due_at;
    snprintf(t->level, sizeof t->level, "%s", r->level);
    snprintf(t->region, sizeof t->region, "%s", r->region);
    snprintf(t->first, sizeof t->first, "%s", r->period_start);
    snprintf(t->last, sizeof t->last, "%s", r->period_end);
    return 0;
}

static enum wg_rc remind_one(struct wg_db *db, const struct due_task *t, long long now,
                             int *claimed, struct wg_err *err)
{
    enum wg_rc rc = wg_store_screening_reminded(db, t->id, now, claimed, err);
    if (rc || !*claimed)
        return rc;
    json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:I}", "kind", "screening_overdue", "screening",
                          (json_int_t)t->id, "level", t->level, "region", t->region, "period_start",
                          t->first, "period_end", t->last, "due_at", (json_int_t)t->due_at);
    char *payload = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    rc = wg_notify_role_at(db, wg_case_level_staff(t->level), t->region, "screening_overdue",
                           payload, NULL, err);
    free(payload);
    return rc;
}

static enum wg_rc remind_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct remind *m = ctx;
    enum wg_rc rc = WG_OK;
    m->sent = 0;
    for (size_t i = 0; !rc && i < m->n; i++) {
        int claimed = 0;
        rc = remind_one(db, &m->list[i], m->now, &claimed, err);
        m->sent += claimed;
    }
    return rc;
}

enum wg_rc wg_screening_remind(struct wg_db *db, struct wg_committer *cm, long long now, int *count,
                               struct wg_err *err)
{
    struct remind m = {NULL, 0, 0, now, 0};
    enum wg_rc rc = WG_OK;
    *count = 0;
    for (;;) {
        m.n = 0;
        rc = wg_store_screening_overdue(db, now, REMIND_PAGE, on_overdue, &m, err);
        if (!rc && m.n)
            rc = wg_committer_or_db(cm, db, remind_tx, &m, err);
        if (rc)
            break;
        *count += m.sent;
        /* a page none of whose tasks this server claimed was another's: it reads on next time */
        if (m.n < REMIND_PAGE || !m.sent)
            break;
    }
    free(m.list);
    return rc;
}
