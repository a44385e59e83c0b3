/* The dispute figures (case_count.h): each step adds to its day's counters in its own
 * transaction; a reader sums a few rows per day, whatever the number of cases. */
#include "domain/disputes/case_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil.h"
#include "domain/registry/person.h"
#include "store/disputes/body_q.h"
#include "store/disputes/dispute_stat_q.h"
#include "store/map/map_q.h"

static int low_level(const char *level)
{
    return !strcmp(level, "grid") || !strcmp(level, "village");
}

enum wg_rc wg_case_count(struct wg_db *db, const struct wg_dispute_row *r, const char *action,
                         const char *level, int in_time, long long now, struct wg_err *err)
{
    struct wg_dispute_tally t;
    char day[11];
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
    wg_civil_format_date(wg_cst_day(now), day);
    return wg_store_dispute_stat_add(db, day, r->grid, r->type, level, r->body, &t, err);
}

enum wg_rc wg_case_count_screened(struct wg_db *db, const char *region, const char *level,
                                  long long n, long long now, struct wg_err *err)
{
    struct wg_dispute_tally t;
    char day[11];
    memset(&t, 0, sizeof t);
    t.screened = n;
    wg_civil_format_date(wg_cst_day(now), day);
    return wg_store_dispute_stat_add(db, day, region, "", level, 0, &t, err);
}

/* ---- reading ---- */

static double rate(long long a, long long b)
{
    return b ? (double)(long long)((double)a * 10000.0 / (double)b + 0.5) / 10000.0 : 0.0;
}

static json_t *figures(const struct wg_dispute_tally *t)
{
    json_t *j = json_object();
#define WG_TALLY_JSON(f) json_object_set_new(j, #f, json_integer(t->f));
    WG_DISPUTE_TALLY(WG_TALLY_JSON)
#undef WG_TALLY_JSON
    json_object_del(j, "amount_fen");
    json_object_set_new(j, "amount", json_real((double)t->amount_fen / 100.0));
    json_object_set_new(j, "success_rate", json_real(rate(t->successful, t->accepted)));
    json_object_set_new(j, "low_share", json_real(rate(t->ended_low, t->ended)));
    return j;
}

struct sums {
    struct wg_db *db;
    enum wg_dispute_stat_by by;
    json_t *rows, *total;
};

/* A group's name for people: a region's or a body's; the codes of types and levels are
 * named by the screens. */
static json_t *label(struct sums *s, const char *key)
{
    if (s->by == WG_DSTAT_REGION) {
        struct wg_region_row r;
        struct wg_err e = {0};
        if (!wg_store_region_get(s->db, key, &r, &e))
            return json_string(r.name);
    } else if (s->by == WG_DSTAT_BODY) {
        char name[128] = "";
        struct wg_err e = {0};
        if (!wg_store_mediation_body_name(s->db, strtoll(key, NULL, 10), name, sizeof name, &e) &&
            *name)
            return json_string(name);
        return json_string(strcmp(key, "0") ? key : "");
    }
    return json_string(key);
}

static int on_sum(const char *key, const struct wg_dispute_tally *t, void *ctx)
{
    struct sums *s = ctx;
    json_t *j = figures(t);
    if (s->by == WG_DSTAT_TOTAL) {
        s->total = j;
        return 0;
    }
    json_object_set_new(j, "key", json_string(key));
    json_object_set_new(j, "label", label(s, key));
    json_array_append_new(s->rows, j);
    return 0;
}

static enum wg_rc period(const struct wg_case_figures_query *q, long long now, char from[11],
                         char to[11], struct wg_err *err)
{
    int today = wg_cst_day(now), y, m, d;
    wg_civil_date(today, &y, &m, &d);
    wg_civil_format_date(wg_civil_days(y, m, 1), from);
    wg_civil_format_date(today, to);
    const char *in[2] = {q->from, q->to};
    char *outp[2] = {from, to};
    for (int i = 0; i < 2; i++) {
        if (!in[i] || !*in[i])
            continue;
        if (strlen(in[i]) != 10 || wg_civil_parse_date(in[i]) < 0)
            return wg_err_set(err, WG_EINVAL, "'%s' is a date YYYY-MM-DD, not '%s'",
                              i ? "to" : "from", in[i]);
        snprintf(outp[i], 11, "%s", in[i]);
    }
    if (strcmp(from, to) > 0)
        return wg_err_set(err, WG_EINVAL, "'from' (%s) is after 'to' (%s)", from, to);
    return WG_OK;
}

static enum wg_rc grouping(const char *by, enum wg_dispute_stat_by *out, struct wg_err *err)
{
    static const char *const names[] = {"", "type", "level", "body", "region", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(by ? by : "", names[i])) {
            *out = (enum wg_dispute_stat_by)i;
            return WG_OK;
        }
    return wg_err_set(err, WG_EINVAL, "'by' is one of type, level, body, region");
}

enum wg_rc wg_case_figures(struct wg_db *db, const struct wg_scope *scope,
                           const struct wg_case_figures_query *q, long long now, json_t **out,
                           struct wg_err *err)
{
    char from[11], to[11], lo[32], hi[33];
    enum wg_dispute_stat_by by = WG_DSTAT_TOTAL;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = period(q, now, from, to, err)) || (rc = grouping(q->by, &by, err)) ||
        (rc = wg_registry_range(scope, NULL, q->region, lo, hi, err)))
        return rc;
    size_t n = strlen(lo);
    int prefix = n < 6 ? 6 : n < 9 ? 9 : n < 12 ? 12 : 32;
    struct sums s = {db, WG_DSTAT_TOTAL, json_array(), NULL};
    rc = wg_store_dispute_stat_sum(db, WG_DSTAT_TOTAL, from, to, lo, hi, prefix, on_sum, &s, err);
    s.by = by;
    if (!rc && by != WG_DSTAT_TOTAL)
        rc = wg_store_dispute_stat_sum(db, by, from, to, lo, hi, prefix, on_sum, &s, err);
    if (rc) {
        json_decref(s.rows), json_decref(s.total);
        return rc;
    }
    if (!s.total) {
        struct wg_dispute_tally zero;
        memset(&zero, 0, sizeof zero);
        s.total = figures(&zero);
    }
    *out = json_pack("{s:s,s:s,s:s,s:o,s:o}", "from", from, "to", to, "region", lo, "totals",
                     s.total, "rows", s.rows);
    return WG_OK;
}
