/* The dispute figures read (case_count.h): the counters of a region over a period — its whole
 * months' rows and its days' at either end — summed, and grouped by type, level, body or the
 * region's next level, so a call reads a few rows whatever the number of cases. */
#include "domain/disputes/case_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/registry/person.h"
#include "store/disputes/body_q.h"
#include "store/disputes/dispute_stat_q.h"
#include "store/map/map_q.h"

/* How the figures are grouped: the whole, by a dimension, or by the region's next level. */
enum by { BY_TOTAL, BY_TYPE, BY_LEVEL, BY_BODY, BY_REGION };
static const char *const by_names[] = {"", "type", "level", "body", "region", NULL};

struct group {
    char key[32];
    struct wg_dispute_tally t;
};

struct sums {
    struct group *v;
    size_t n, cap;
};

static int on_sum(const char *key, const struct wg_dispute_tally *t, void *ctx)
{
    struct sums *s = ctx;
    size_t i = 0;
    while (i < s->n && strcmp(s->v[i].key, key))
        i++;
    if (i == s->n) {
        wg_grow(&s->v, &s->cap, s->n, sizeof s->v[0], 16);
        memset(&s->v[i], 0, sizeof s->v[i]);
        snprintf(s->v[i].key, sizeof s->v[i].key, "%s", key);
        s->n++;
    }
#define WG_TALLY_ADD(f) s->v[i].t.f += t->f;
    WG_DISPUTE_TALLY(WG_TALLY_ADD)
#undef WG_TALLY_ADD
    return 0;
}

/* [from, to] as at most three parts: the days before the first whole month, the whole months,
 * the days after the last. */
struct part {
    const char *span;
    char from[11], to[11];
};

static int month_start(int day)
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    return wg_civil_days(y, m, 1);
}

static int parts(const char *from, const char *to, struct part out[3])
{
    int f = wg_civil_parse_date(from), t = wg_civil_parse_date(to), n = 0;
    int first_month = f == month_start(f) ? f : wg_civil_month_end(f) + 1;
    int last_month_end = t == wg_civil_month_end(t) ? t : month_start(t) - 1;
    if (first_month > last_month_end) { /* no whole month: days alone */
        out[0].span = "d";
        wg_civil_format_date(f, out[0].from);
        wg_civil_format_date(t, out[0].to);
        return 1;
    }
    if (f < first_month) {
        out[n].span = "d";
        wg_civil_format_date(f, out[n].from);
        wg_civil_format_date(first_month - 1, out[n++].to);
    }
    out[n].span = "m";
    wg_civil_format_date(first_month, out[n].from);
    wg_civil_format_date(last_month_end, out[n].to);
    out[n].from[7] = out[n].to[7] = '\0'; /* YYYY-MM */
    n++;
    if (t > last_month_end) {
        out[n].span = "d";
        wg_civil_format_date(last_month_end + 1, out[n].from);
        wg_civil_format_date(t, out[n++].to);
    }
    return n;
}

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

/* A group's name for people: a region's or a body's; the codes of types and levels are
 * named by the screens. */
static json_t *label(struct wg_db *db, enum by by, const char *key)
{
    struct wg_err e = {0};
    if (by == BY_REGION) {
        struct wg_region_row r;
        if (!wg_store_region_get(db, key, &r, &e))
            return json_string(r.name);
    } else if (by == BY_BODY) {
        char name[128] = "";
        if (!wg_store_mediation_body_name(db, strtoll(key, NULL, 10), name, sizeof name, &e) &&
            *name)
            return json_string(name);
    }
    return json_string(key);
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

static enum wg_rc grouping(const char *by, enum by *out, struct wg_err *err)
{
    for (int i = 0; by_names[i]; i++)
        if (!strcmp(by ? by : "", by_names[i])) {
            *out = (enum by)i;
            return WG_OK;
        }
    return wg_err_set(err, WG_EINVAL, "'by' is one of type, level, body, region");
}

/* The sums of q over each part of the period. */
static enum wg_rc sum_parts(struct wg_db *db, struct wg_dispute_stat_q *q, const struct part *p,
                            int np, struct sums *s, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    for (int i = 0; !rc && i < np; i++) {
        q->span = p[i].span, q->from = p[i].from, q->to = p[i].to;
        rc = wg_store_dispute_stat_sum(db, q, on_sum, s, err);
    }
    return rc;
}

static json_t *answer(struct wg_db *db, enum by by, const struct sums *total,
                      const struct sums *rows)
{
    struct wg_dispute_tally zero;
    memset(&zero, 0, sizeof zero);
    json_t *arr = json_array();
    for (size_t i = 0; i < rows->n; i++) {
        json_t *j = figures(&rows->v[i].t);
        json_object_set_new(j, "key", json_string(rows->v[i].key));
        json_object_set_new(j, "label", label(db, by, rows->v[i].key));
        json_array_append_new(arr, j);
    }
    json_t *out = json_object();
    json_object_set_new(out, "totals", figures(total->n ? &total->v[0].t : &zero));
    json_object_set_new(out, "rows", arr);
    return out;
}

enum wg_rc wg_case_figures(struct wg_db *db, const struct wg_scope *scope,
                           const struct wg_case_figures_query *q, long long now, json_t **out,
                           struct wg_err *err)
{
    char from[11], to[11], lo[32], hi[33];
    struct part p[3];
    enum by by = BY_TOTAL;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = period(q, now, from, to, err)) || (rc = grouping(q->by, &by, err)) ||
        (rc = wg_registry_range(scope, NULL, q->region, lo, hi, err)))
        return rc;
    int np = parts(from, to, p), n = (int)strlen(lo);
    struct wg_dispute_stat_q sq = {lo, hi, "", NULL, NULL, NULL, n ? n : 6, 0};
    struct sums total = {0}, rows = {0};
    rc = sum_parts(db, &sq, p, np, &total, err);
    if (!rc && by != BY_TOTAL) {
        sq.dim = by == BY_REGION ? "" : by_names[by];
        sq.by_region = by == BY_REGION;
        if (by == BY_REGION)
            sq.depth = n < 6 ? 6 : n < 9 ? 9 : n < 12 ? 12 : 15;
        rc = sum_parts(db, &sq, p, np, &rows, err);
    }
    if (!rc) {
        *out = answer(db, by, &total, &rows);
        json_object_set_new(*out, "from", json_string(from));
        json_object_set_new(*out, "to", json_string(to));
        json_object_set_new(*out, "region", json_string(lo));
    }
    free(total.v), free(rows.v);
    return rc;
}
