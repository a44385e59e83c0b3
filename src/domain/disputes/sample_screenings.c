/* The demo's screening history (sample_cases.h wg_screening_sample): the county's monthly and
 * the towns' half-monthly screenings of the year, the villages' weekly ones of the last eight
 * weeks, each made as the servers' sweep makes it and answered through wg_screening_record as
 * the API takes a result — most finding nothing new, some a dispute or two — a little before
 * it fell due; the last week's some still open. The grids' weekly tasks come from the
 * server's sweep once it runs. */
#include "domain/disputes/sample_cases.h"

#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "core/rng.h"
#include "domain/disputes/screening.h"

#define VILLAGE_WEEKS 8

static unsigned below(uint64_t *s, unsigned n)
{
    return (unsigned)(wg_rng_next(s) % n);
}

static const char *const nothing[] = {
    "本期对辖区内婚姻家庭、邻里、物业等矛盾纠纷逐户排查，未发现新的矛盾纠纷。",
    "结合网格巡查和入户走访开展排查，辖区总体稳定，未发现新增矛盾纠纷。",
    "会同网格员、楼栋长排查重点人员和重点区域，未发现苗头性问题。",
};
static const char *const found[] = {
    "排查发现邻里之间因房屋漏水引发纠纷，已登记并安排就地调解。",
    "排查发现一起拖欠务工人员工资的苗头，已登记并告知劳动保障部门。",
    "排查发现物业费收缴引发的纠纷，已登记并约请物业公司和业主代表协商。",
    "排查发现家庭赡养纠纷一起，已登记并由村调委会上门调解。",
};

/* Makes the tasks of each past period of one level: a day of every period from the start on. */
static enum wg_rc make_level(struct wg_db *db, const struct wg_calendar *cal,
                             enum wg_screening_level level, enum wg_screening_cadence cadence,
                             int from, int today, struct wg_err *err)
{
    struct wg_screening_config cfg;
    enum wg_rc rc = WG_OK;
    for (int l = 0; l < WG_SCREENING_LEVELS; l++)
        cfg.at[l] = WG_SCREENING_OFF;
    cfg.at[level] = cadence;
    for (int day = from; !rc && day <= today;) {
        int first, last;
        wg_screening_period(cadence, day, &first, &last);
        rc = wg_screening_generate(db, NULL, cal, &cfg, wg_cst_midnight(day) + 12 * 3600, 1, NULL,
                                   err);
        day = last + 1;
    }
    return rc;
}

/* Who records a level's result in the demo: its village's staff, or the centre's. */
static const char *who(const char *level)
{
    return level && !strcmp(level, "village") ? "community" : "supervisor";
}

/* Answers every task past due (a page at a time; an answered one leaves the list), most a
 * working day or two before it fell due; of the last week's, some stay open. */
static enum wg_rc answer(struct wg_db *db, const struct wg_pii_keys *keys, uint64_t *s,
                         long long now, int *answered, struct wg_err *err)
{
    struct wg_scope all;
    enum wg_rc rc = wg_scope_parse("all", &all, err);
    long long skip_after = now - 7 * 86400;
    char cursor[96] = "";
    while (!rc) {
        json_t *page = NULL;
        struct wg_screening_query q = {NULL, NULL, "overdue", NULL, NULL, "200", cursor};
        if ((rc = wg_screening_list(db, &all, &q, now, &page, err)))
            break;
        json_t *arr = json_object_get(page, "screenings"), *t;
        size_t i;
        json_array_foreach(arr, i, t)
        {
            long long due = json_integer_value(json_object_get(t, "due_at"));
            if (rc || (due > skip_after && below(s, 10) < 3))
                continue; /* left open: its staff are reminded */
            int n = below(s, 10) < 8 ? 0 : 1 + (int)below(s, 2);
            const char *note = n ? found[below(s, 4)] : nothing[below(s, 3)];
            json_t *body = json_pack("{s:i,s:s}", "found", n, "note", note);
            struct wg_screening_by by = {json_integer_value(json_object_get(t, "id")),
                                         json_integer_value(json_object_get(t, "version")),
                                         due - 3600 * (long long)(2 + below(s, 40)),
                                         who(json_string_value(json_object_get(t, "level"))), &all};
            int corrected = 0;
            rc = wg_screening_record(db, keys, &by, body, &corrected, err);
            json_decref(body);
            *answered += !rc;
        }
        const char *next = json_string_value(json_object_get(page, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(page);
        if (!next)
            break;
    }
    return rc;
}

enum wg_rc wg_screening_sample(struct wg_db *db, const struct wg_case_env *env, long long now,
                               uint64_t seed, int *made, struct wg_err *err)
{
    int today = wg_cst_day(now);
    uint64_t s = seed;
    enum wg_rc rc;
    *made = 0;
    if ((rc = make_level(db, env->calendar, WG_SCREENING_COUNTY, WG_SCREENING_MONTHLY, today - 365,
                         today, err)) ||
        (rc = make_level(db, env->calendar, WG_SCREENING_TOWN, WG_SCREENING_HALF_MONTHLY,
                         today - 365, today, err)) ||
        (rc = make_level(db, env->calendar, WG_SCREENING_VILLAGE, WG_SCREENING_WEEKLY,
                         today - 7 * VILLAGE_WEEKS, today, err)))
        return rc;
    return answer(db, env->keys, &s, now, made, err);
}
