/* Indicator counters: the deltas of each order change (stats.h says what each counts), their
 * place in the store, and the indicators made from summed counters. */
#include "domain/stats/stats.h"
#include "core/assert.h"
#include "core/alloc.h"

#include "core/civil.h"
#include "core/log.h"
#include "store/stats/stats_q.h"
#include "domain/map/region.h"

#include <stdlib.h>
#include <time.h>

_Static_assert(WG_SC_COUNT == WG_STAT_NCOUNTERS, "stat_cell columns and counters differ");

#define NAME(id, col) #col,
const char *const wg_stat_counter_names[WG_SC_COUNT] = {WG_STAT_COUNTERS(NAME, NAME)};
#undef NAME

/* ---- deltas ---- */

int wg_stats_finished(const struct wg_stats_state *s)
{
    return s->state == WG_STATE_REPLIED || s->state == WG_STATE_VERIFIED ||
           s->state == WG_STATE_CLOSED || s->rework_count > 0 || s->reopened;
}

static const char *unit_of(const struct wg_stats_state *s)
{
    return s->unit ? s->unit : "";
}

static struct wg_stats_delta *row(struct wg_stats_delta *out, int *n, int day, const char *unit)
{
    for (int i = 0; i < *n; i++)
        if (out[i].day == day && !strcmp(out[i].unit, unit))
            return &out[i];
    WG_ASSERT(*n < WG_STATS_MAX_DELTAS); /* a change touches at most 6 rows */
    struct wg_stats_delta *d = &out[(*n)++];
    memset(d, 0, sizeof *d);
    d->day = day;
    d->unit = unit;
    return d;
}

static void add(struct wg_stats_delta *out, int *n, int day, const char *unit,
                enum wg_stat_counter c, long long v)
{
    row(out, n, day, unit)->c[c] += v;
}

/* The contributions of the order as s says it stands, times sign. */
static void contribute(const struct wg_stats_change *ch, const struct wg_stats_state *s, int sign,
                       struct wg_stats_delta *out, int *n)
{
    int live = s->state != WG_STATE_MERGED && s->state != WG_STATE_INVALID;
    if (live && s->state != WG_STATE_CLOSED)
        add(out, n, ch->created_day, unit_of(s), WG_SC_OPEN, sign);
    if (live && s->reply_deadline && !wg_stats_finished(s))
        add(out, n, wg_cst_day(s->reply_deadline), unit_of(s), WG_SC_PENDING_DUE, sign);
}

int wg_stats_deltas(const struct wg_stats_change *ch,
                    struct wg_stats_delta out[WG_STATS_MAX_DELTAS])
{
    const struct wg_stats_state *b = &ch->before, *a = &ch->after;
    int n = 0, day = wg_cst_day(ch->at);
    if (ch->create) {
        add(out, &n, day, "", WG_SC_RECEIVED, 1);
        contribute(ch, a, 1, out, &n);
    } else {
        contribute(ch, b, -1, out, &n);
        contribute(ch, a, 1, out, &n);
        /* the cohorts: the cell of the dispatch, of the received, of the first reply */
        int dday = b->dispatched_at ? wg_cst_day(b->dispatched_at) : day;
        const struct wg_stats_past *p = &ch->past;
        int fday = p->finished_at ? wg_cst_day(p->finished_at) : day;
        const char *funit = p->finished_unit ? p->finished_unit : "";
        switch (ch->action) {
        case WG_ACTION_DISPATCH:
            add(out, &n, day, unit_of(a), WG_SC_DISPATCHED, 1);
            if (a->contact_deadline)
                add(out, &n, day, unit_of(a), WG_SC_CONTACT_DUE, 1);
            break;
        case WG_ACTION_CONTACT: /* the dispatch's cohort: its day and unit */
            if (!b->contacted_at && a->contacted_at && b->contact_deadline && b->dispatched_at &&
                a->contacted_at <= b->contact_deadline)
                add(out, &n, wg_cst_day(b->dispatched_at), unit_of(b), WG_SC_CONTACTED_ON_TIME, 1);
            break;
        case WG_ACTION_SIGN:
            if (b->state == WG_STATE_DISPATCHED && a->state == WG_STATE_SIGNED &&
                !p->signed_since && (!b->sign_deadline || ch->at <= b->sign_deadline))
                add(out, &n, dday, unit_of(b), WG_SC_SIGNED_ON_TIME, 1);
            break;
        case WG_ACTION_RETURN:
            if (a->state == WG_STATE_RETURNING && !p->returned_since)
                add(out, &n, dday, unit_of(b), WG_SC_RETURNED, 1);
            break;
        case WG_ACTION_ANSWER:
            if (!p->answered)
                add(out, &n, ch->created_day, "", WG_SC_DIRECT, 1);
            break;
        case WG_ACTION_MERGE:
            add(out, &n, ch->created_day, "", WG_SC_REPEAT, 1);
            break;
        case WG_ACTION_RATE: /* the resident's rating: counted when it stood as the callback */
        case WG_ACTION_CALLBACK:
            if (!ch->reached)
                break;
            if ((!b->satisfaction || !*b->satisfaction) && p->finished_at)
                add(out, &n, fday, funit, WG_SC_CALLED_BACK, 1);
            add(out, &n, day, unit_of(b), WG_SC_RATED, 1);
            if (ch->satisfaction == WG_SAT_SATISFIED ||
                ch->satisfaction == WG_SAT_BASICALLY_SATISFIED)
                add(out, &n, day, unit_of(b), WG_SC_SATISFIED, 1);
            if (ch->resolved > 0 || (ch->resolved < 0 && ch->satisfaction != WG_SAT_UNSATISFIED))
                add(out, &n, day, unit_of(b), WG_SC_RESOLVED, 1);
            break;
        default:
            break;
        }
        if ((ch->effects & WG_FSM_REWORK) && !b->rework_count && p->finished_at)
            add(out, &n, fday, funit, WG_SC_REWORK, 1);
        if ((ch->effects & WG_FSM_REOPENED) && !b->reopened && p->finished_at)
            add(out, &n, fday, funit, WG_SC_REOPENED, 1);
        if (a->state == WG_STATE_REPLIED && !wg_stats_finished(b)) { /* the first reply */
            const char *u = unit_of(a);
            add(out, &n, day, u, WG_SC_FINISHED, 1);
            if (!b->reply_deadline || ch->at <= b->reply_deadline)
                add(out, &n, day, u, WG_SC_FINISHED_ON_TIME, 1);
            if (*u && b->dispatched_at) {
                add(out, &n, day, u, WG_SC_HANDLED, 1);
                add(out, &n, day, u, WG_SC_HANDLING_MINUTES, ch->handling_minutes);
            }
        }
    }
    /* drop rows where everything cancelled out (an unchanged contribution) */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        int any = 0;
        for (int c = 0; c < WG_SC_COUNT; c++)
            any |= out[i].c[c] != 0;
        if (any)
            out[kept++] = out[i];
    }
    return kept;
}

/* Appends s at *len of out (size bytes), always terminated; a text that does not fit stops
 * there and *len stays at size, so later appends add nothing. */
static void put_s(char *out, size_t size, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len >= size)
        return;
    if (n >= size - *len) {
        memcpy(out + *len, s, size - *len - 1);
        out[size - 1] = '\0';
        *len = size;
        return;
    }
    memcpy(out + *len, s, n + 1);
    *len += n;
}

static void put_ll(char *out, size_t size, size_t *len, long long v)
{
    char d[24];
    int i = (int)sizeof d - 1;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    d[i] = '\0';
    do
        d[--i] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        d[--i] = '-';
    put_s(out, size, len, d + i);
}

/* Written by the writer once per change: formatted by hand, as snprintf's parsing of its
 * format was a twentieth of an intake's time on the writer. */
void wg_stats_log_text(const struct wg_stats_change *ch, const struct wg_stats_delta *d, int n,
                       char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len < size; i++) {
        put_ll(out, size, &len, d[i].day);
        put_s(out, size, &len, "\t");
        put_s(out, size, &len, ch->leaf);
        put_s(out, size, &len, "\t");
        put_s(out, size, &len, d[i].unit);
        put_s(out, size, &len, "\t");
        put_s(out, size, &len, ch->item ? ch->item : "");
        put_s(out, size, &len, "\t");
        put_s(out, size, &len, ch->channel);
        put_s(out, size, &len, "\t");
        for (int c = 0; c < WG_SC_COUNT; c++) {
            put_ll(out, size, &len, d[i].c[c]);
            put_s(out, size, &len, c + 1 < WG_SC_COUNT ? "," : "\n");
        }
    }
}

int wg_stats_log_parse(const char *text, int (*cb)(const struct wg_stat_cell *, void *), void *ctx)
{
    const char *p = text;
    while (*p) {
        char f[5][80];
        struct wg_stat_cell c;
        char *end;
        c.day = (int)strtol(p, &end, 10);
        if (end == p || *end != '\t')
            return -1;
        p = end + 1;
        for (int k = 1; k < 5; k++) {
            const char *tab = strchr(p, '\t');
            if (!tab || (size_t)(tab - p) >= sizeof f[k])
                return -1;
            memcpy(f[k], p, (size_t)(tab - p));
            f[k][tab - p] = '\0';
            p = tab + 1;
        }
        /* a line written before the last counters were added ends early: they are 0 */
        memset(c.c, 0, sizeof c.c);
        for (int i = 0; i < WG_SC_COUNT; i++) {
            c.c[i] = strtoll(p, &end, 10);
            if (end == p || (*end != ',' && *end != '\n') || (*end == ',' && i + 1 == WG_SC_COUNT))
                return -1;
            p = end + 1;
            if (*end == '\n')
                break;
        }
        c.leaf = f[1], c.unit = f[2], c.item = f[3], c.channel = f[4];
        if (cb(&c, ctx))
            return 0;
    }
    return 0;
}

int wg_stats_rolls_of(const struct wg_stat_cell *c, struct wg_stat_roll out[4],
                      char town[WG_CODE_LEN_TOWN + 1], char county[WG_CODE_LEN_COUNTY + 1])
{
    size_t len = strlen(c->leaf);
    size_t cut = wg_level_floor_len(len, WG_LEVEL_TOWN);
    int n = 0;
    memcpy(town, c->leaf, cut);
    town[cut] = 0;
    out[n] = (struct wg_stat_roll){c->day, town, WG_ROLL_REGION, "", {0}};
    memcpy(out[n++].c, c->c, sizeof c->c);
    if (!wg_region_prefix(c->leaf, WG_LEVEL_COUNTY, county, WG_CODE_LEN_COUNTY + 1))
        return n;
    const char *dims[] = {c->item, c->unit, c->channel};
    for (int v = 0; v < 3; v++) {
        out[n] = (struct wg_stat_roll){c->day, county, WG_ROLL_ITEM + v, dims[v], {0}};
        memcpy(out[n++].c, c->c, sizeof c->c);
    }
    return n;
}

/* Roll-up rows being summed before they are written: open addressing over (day, view, node,
 * dim). */
struct fill_row {
    int day, view, used;
    char node[16], dim[64];
    long long c[WG_SC_COUNT];
};

struct filling {
    struct wg_db *db;
    struct wg_err *err;
    struct fill_row *v;
    size_t cap, n;
    int day; /* filling from the cells: the day being summed */
    enum wg_rc rc;
};

static uint64_t fill_hash(const struct wg_stat_roll *r)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(unsigned)r->day * 31 ^ (uint64_t)r->view;
    for (const char *s = r->node; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    h = (h ^ '\t') * 0x100000001b3ull;
    for (const char *s = r->dim; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h ^ h >> 31;
}

static int fill_flush(struct filling *f)
{
    for (size_t i = 0; i < f->cap && !f->rc; i++) {
        struct fill_row *x = &f->v[i];
        if (!x->used)
            continue;
        struct wg_stat_roll r = {x->day, x->node, x->view, x->dim, {0}};
        memcpy(r.c, x->c, sizeof r.c);
        f->rc = wg_store_stat_roll_add(f->db, &r, f->err);
        x->used = 0;
    }
    f->n = 0;
    return f->rc ? 1 : 0;
}

/* Adds a cell's roll-up rows to the sums (flushing them when the table is full). */
static int fill_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct filling *f = ctx;
    struct wg_stat_roll r[4];
    char town[WG_CODE_LEN_TOWN + 1], county[WG_CODE_LEN_COUNTY + 1];
    int n = wg_stats_rolls_of(c, r, town, county);
    for (int k = 0; k < n; k++) {
        if ((f->n + 1) * 2 > f->cap) { /* full: writing the sums early is as good as growing */
            if (f->n && fill_flush(f))
                return 1;
            if (f->cap < 65536) {
                free(f->v);
                f->cap = f->cap ? f->cap * 4 : 4096;
                f->v = wg_calloc(f->cap, sizeof *f->v);
            }
        }
        size_t i = fill_hash(&r[k]) & (f->cap - 1);
        struct fill_row *x;
        for (;; i = (i + 1) & (f->cap - 1)) {
            x = &f->v[i];
            if (!x->used || (x->day == r[k].day && x->view == r[k].view &&
                             !strcmp(x->node, r[k].node) && !strcmp(x->dim, r[k].dim)))
                break;
        }
        if (!x->used) {
            x->used = 1;
            x->day = r[k].day;
            x->view = r[k].view;
            snprintf(x->node, sizeof x->node, "%s", r[k].node);
            snprintf(x->dim, sizeof x->dim, "%s", r[k].dim);
            memset(x->c, 0, sizeof x->c);
            f->n++;
        }
        for (int j = 0; j < WG_SC_COUNT; j++)
            x->c[j] += r[k].c[j];
    }
    return 0;
}

/* From the cells, which come day by day: a day's sums are written when the next begins. */
static int fill_from_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct filling *f = ctx;
    if (c->day != f->day && f->n && fill_flush(f))
        return 1;
    f->day = c->day;
    return fill_cell(c, ctx);
}

enum wg_rc wg_stats_roll_fill(struct wg_db *db, struct wg_err *err)
{
    struct wg_stat_filter all = {"", INT32_MIN, INT32_MAX, "", "", ""};
    struct filling f = {db, err, NULL, 0, 0, 0, WG_OK};
    long long lo = 0, hi = 0;
    enum wg_rc rc = wg_store_stat_cells(db, &all, fill_from_cell, &f, err);
    if (!rc && !f.rc && f.n)
        fill_flush(&f);
    free(f.v);
    if (!rc && !(rc = f.rc) && !(rc = wg_store_stat_log_bounds(db, &lo, &hi, err)))
        rc = wg_store_stat_roll_pos_set(db, hi, err);
    return rc;
}

struct folding {
    struct filling *f;
    long long last;
    int bad;
};

static int fold_row(long long seq, const char *text, void *ctx)
{
    struct folding *g = ctx;
    g->last = seq;
    if (wg_stats_log_parse(text, fill_cell, g->f) < 0)
        g->bad++;
    return g->f->rc ? 1 : 0;
}

enum wg_rc wg_stats_roll_fold(struct wg_db *db, int limit, int *folded, struct wg_err *err)
{
    struct filling f = {db, err, NULL, 0, 0, 0, WG_OK};
    struct folding g = {&f, 0, 0};
    enum wg_rc rc = wg_store_stat_roll_pos(db, &g.last, err);
    long long from = g.last;
    *folded = 0;
    if (!rc)
        rc = wg_store_stat_log_since(db, from, limit, fold_row, &g, err);
    if (!rc && !f.rc && f.n)
        fill_flush(&f);
    free(f.v);
    if (!rc)
        rc = f.rc;
    if (!rc && g.last != from) {
        if (g.bad)
            wg_error("indicators: %d change log row%s unreadable; not folded", g.bad,
                     g.bad == 1 ? "" : "s");
        rc = wg_store_stat_roll_pos_set(db, g.last, err);
    }
    if (!rc)
        *folded = (int)(g.last - from);
    return rc;
}

#define FOLD_JOB 2000 /* change log rows folded by one job of the group committer */

struct fold_job {
    long long before;
    int folded;
};

static enum wg_rc fold_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_stats_roll_fold(db, FOLD_JOB, &((struct fold_job *)ctx)->folded, err);
}

static enum wg_rc prune_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_store_stat_log_prune(db, ((struct fold_job *)ctx)->before, err);
}

enum wg_rc wg_stats_fold_log(struct wg_db *db, struct wg_committer *c, long long before,
                             const atomic_int *stop, struct wg_err *err)
{
    struct fold_job f = {before, FOLD_JOB};
    long long min = 0, max = 0, pos = 0;
    enum wg_rc rc = wg_store_stat_log_bounds(db, &min, &max, err);
    if (rc || (rc = wg_store_stat_roll_pos(db, &pos, err)))
        return rc;
    while (max > pos && !rc && f.folded >= FOLD_JOB && !(stop && atomic_load(stop)))
        rc = wg_committer_run(c, fold_tx, &f, err);
    /* rows folded before this sweep, other than the newest, that may be old enough */
    if (!rc && min < pos && min < max)
        rc = wg_committer_run(c, prune_tx, &f, err);
    return rc;
}

enum wg_rc wg_stats_apply(struct wg_db *db, const struct wg_stats_change *ch, struct wg_err *err)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    char text[WG_STATS_MAX_DELTAS * 256];
    int n = wg_stats_deltas(ch, d);
    enum wg_rc rc;
    if (!n)
        return WG_OK;
    for (int i = 0; i < n; i++) {
        struct wg_stat_cell c = {d[i].day,    ch->leaf, d[i].unit, ch->item ? ch->item : "",
                                 ch->channel, {0}};
        memcpy(c.c, d[i].c, sizeof c.c);
        if ((rc = wg_store_stat_add(db, &c, err)))
            return rc;
    }
    wg_stats_log_text(ch, d, n, text, sizeof text);
    return wg_store_stat_log(db, ch->at, text, err);
}

/* ---- indicators ---- */

const char *const wg_indicator_names[WG_INDICATOR_COUNT + 1] = {
    "received",
    "dispatched",
    "direct_answered",
    "direct_rate",
    "signed_on_time_rate",
    "due",
    "finished",
    "finish_rate",
    "finished_on_time_rate",
    "called_back_rate",
    "satisfaction_rate",
    "resolution_rate",
    "reopen_rate",
    "return_rate",
    "rework_rate",
    "repeat_rate",
    "overdue",
    "avg_handling_hours",
    "response_rate",
    "composite",
    "grade",
    "open",
    NULL,
};

/* Objects built member by member with constant keys: a daily series for a year makes some
 * 10,000 of them, and json_pack's parsing of its format was most of that answer's time. */
static json_t *obj(const char *k1, json_t *v1, const char *k2, json_t *v2, const char *k3,
                   json_t *v3)
{
    json_t *o = json_object();
    json_object_set_new_nocheck(o, k1, v1);
    if (k2)
        json_object_set_new_nocheck(o, k2, v2);
    if (k3)
        json_object_set_new_nocheck(o, k3, v3);
    return o;
}

json_t *wg_stats_rate_json(long long num, long long den)
{
    return obj("value", den ? json_real((double)num / (double)den) : json_null(), "numerator",
               json_integer(num), "denominator", json_integer(den));
}

static json_t *count_json(long long n)
{
    return obj("value", json_integer(n), NULL, NULL, NULL, NULL);
}

int wg_stats_composite(const struct wg_stats_sums *s, struct wg_weights w, double *out)
{
    const long long *c = s->c;
    struct {
        long long num, den;
        int w;
    } r[3] = {{c[WG_SC_CONTACTED_ON_TIME], c[WG_SC_CONTACT_DUE], w.response},
              {c[WG_SC_RESOLVED], c[WG_SC_RATED], w.resolution},
              {c[WG_SC_SATISFIED], c[WG_SC_RATED], w.satisfaction}};
    double sum = 0;
    int wsum = 0;
    for (int i = 0; i < 3; i++)
        if (r[i].den && r[i].w) {
            sum += r[i].w * 100.0 * (double)r[i].num / (double)r[i].den;
            wsum += r[i].w;
        }
    if (!wsum)
        return 0;
    *out = sum / wsum;
    return 1;
}

const char *wg_stats_grade(double x)
{
    /* a hair of tolerance so that 90 made of thirds is still 90 */
    x += 1e-9;
    return x >= 90 ? "A" : x >= 75 ? "B" : x >= 60 ? "C" : x >= 40 ? "D" : "E";
}

json_t *wg_stats_indicators_json(const struct wg_stats_sums *s, unsigned long mask)
{
    const long long *c = s->c;
    long long due = c[WG_SC_FINISHED] + c[WG_SC_PENDING_DUE];
    long long late = c[WG_SC_FINISHED] - c[WG_SC_FINISHED_ON_TIME];
    double comp = 0;
    int has_comp = wg_stats_composite(s, WG_WEIGHTS_DEFAULT, &comp);
    json_t *v[WG_INDICATOR_COUNT] = {
        count_json(c[WG_SC_RECEIVED]),
        count_json(c[WG_SC_DISPATCHED]),
        count_json(c[WG_SC_DIRECT]),
        wg_stats_rate_json(c[WG_SC_DIRECT], c[WG_SC_RECEIVED]),
        wg_stats_rate_json(c[WG_SC_SIGNED_ON_TIME], c[WG_SC_DISPATCHED]),
        count_json(due),
        count_json(c[WG_SC_FINISHED]),
        wg_stats_rate_json(c[WG_SC_FINISHED], due),
        wg_stats_rate_json(c[WG_SC_FINISHED_ON_TIME], due),
        wg_stats_rate_json(c[WG_SC_CALLED_BACK], c[WG_SC_FINISHED]),
        wg_stats_rate_json(c[WG_SC_SATISFIED], c[WG_SC_RATED]),
        wg_stats_rate_json(c[WG_SC_RESOLVED], c[WG_SC_RATED]),
        wg_stats_rate_json(c[WG_SC_REOPENED], c[WG_SC_FINISHED]),
        wg_stats_rate_json(c[WG_SC_RETURNED], c[WG_SC_DISPATCHED]),
        wg_stats_rate_json(c[WG_SC_REWORK], c[WG_SC_FINISHED]),
        wg_stats_rate_json(c[WG_SC_REPEAT], c[WG_SC_RECEIVED]),
        count_json(late + s->pending_past),
        obj("value",
            c[WG_SC_HANDLED]
                ? json_real((double)c[WG_SC_HANDLING_MINUTES] / (double)c[WG_SC_HANDLED] / 60.0)
                : json_null(),
            "minutes", json_integer(c[WG_SC_HANDLING_MINUTES]), "orders",
            json_integer(c[WG_SC_HANDLED])),
        wg_stats_rate_json(c[WG_SC_CONTACTED_ON_TIME], c[WG_SC_CONTACT_DUE]),
        obj("value", has_comp ? json_real(comp) : json_null(), NULL, NULL, NULL, NULL),
        obj("value", has_comp ? json_string(wg_stats_grade(comp)) : json_null(), NULL, NULL, NULL,
            NULL),
        count_json(s->open),
    };
    json_t *o = json_object();
    for (int i = 0; i < WG_INDICATOR_COUNT; i++) {
        if (mask & (1ul << i))
            json_object_set_new_nocheck(o, wg_indicator_names[i], v[i]);
        else
            json_decref(v[i]);
    }
    return o;
}

enum wg_rc wg_stats_indicator_mask(const char *list, unsigned long *mask, struct wg_err *err)
{
    *mask = 0;
    if (!list || !*list) {
        *mask = (1ul << WG_INDICATOR_COUNT) - 1;
        return WG_OK;
    }
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int i;
        for (i = 0; i < WG_INDICATOR_COUNT; i++)
            if (strlen(wg_indicator_names[i]) == n && !strncmp(wg_indicator_names[i], p, n))
                break;
        if (i == WG_INDICATOR_COUNT)
            return wg_err_set(err, WG_EINVAL,
                              "'indicators': '%.*s' is not an indicator; see "
                              "docs/API.md for the names",
                              (int)(n > 40 ? 40 : n), p);
        *mask |= 1ul << i;
        p += n + (e != NULL);
    }
    return WG_OK;
}
