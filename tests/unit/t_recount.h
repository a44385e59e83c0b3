/* The brute-force recount behind test_stats.c: each order's timeline replayed with the
 * definitions of domain/stats/stats.h written out again plainly, into counter cells of its
 * own; the store's cells checked against them, their sums grouped as the engine groups, and
 * two groupings compared. */
#ifndef WG_TESTS_T_RECOUNT_H
#define WG_TESTS_T_RECOUNT_H

#include <stdlib.h>

#include <jansson.h>

#include "core/civil.h"
#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"
#include "domain/orders/order.h"
#include "domain/stats/stats_query.h"
#include "store/orders/orders_q.h"
#include "t.h"
#include "t_walk.h"

struct rcell {
    int day;
    char leaf[24], unit[64], item[16], channel[16];
    long long c[WG_SC_COUNT];
};

struct recount {
    struct rcell *v;
    size_t n, cap;
};

static void radd(struct recount *r, int day, const char *leaf, const char *unit, const char *item,
                 const char *channel, enum wg_stat_counter c, long long v)
{
    for (size_t i = r->n; i-- > 0;) {
        struct rcell *x = &r->v[i];
        if (x->day == day && !strcmp(x->leaf, leaf) && !strcmp(x->unit, unit) &&
            !strcmp(x->item, item) && !strcmp(x->channel, channel)) {
            x->c[c] += v;
            return;
        }
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    struct rcell *x = &r->v[r->n++];
    memset(x, 0, sizeof *x);
    x->day = day;
    snprintf(x->leaf, sizeof x->leaf, "%s", leaf);
    snprintf(x->unit, sizeof x->unit, "%s", unit);
    snprintf(x->item, sizeof x->item, "%s", item);
    snprintf(x->channel, sizeof x->channel, "%s", channel);
    x->c[c] += v;
}

/* One order's timeline, replayed with the definitions of domain/stats/stats.h written out again
 * plainly, deadlines recomputed from the dispatch times as the order module sets them. */
struct replay {
    const struct wg_order_env *env;
    const struct wg_order_row *o;
    struct recount *r;
    char unit[64], state[16], urgency[12];
    long long dispatched_at, sign_deadline, reply_deadline, contact_deadline;
    int contacted;
    int finished, rated_before, created_day;
    /* the cohorts: the first reply's day and unit; since the latest dispatch, a signature
     * and a return request; a direct answer, a rework, a reopening before */
    int finished_day;
    char finished_unit[64];
    int signed_since, returned_since, answered, reworked, reopened;
    int mismatch;
};

static void count(struct replay *p, long long t, const char *unit, enum wg_stat_counter c,
                  long long v)
{
    radd(p->r, wg_cst_day(t), p->o->grid[0] ? p->o->grid : p->o->county, unit, p->o->item,
         p->o->channel, c, v);
}

/* A count in a cohort's cell: its day and unit, the order's leaf, item and channel. */
static void count_at(struct replay *p, int day, const char *unit, enum wg_stat_counter c)
{
    radd(p->r, day, p->o->grid[0] ? p->o->grid : p->o->county, unit, p->o->item, p->o->channel, c,
         1);
}

static int replay_event(const struct wg_order_event_row *e, void *ctx)
{
    struct replay *p = ctx;
    long long t = wg_civil_time_of_iso(e->at);
    json_t *body = e->detail[0] ? json_loads(e->detail, 0, NULL) : NULL;
    const char *a = e->action;
    if (!strcmp(a, "create")) {
        count(p, t, "", WG_SC_RECEIVED, 1);
        snprintf(p->state, sizeof p->state, "received");
    } else if (!strcmp(a, "dispatch")) {
        struct wg_catalog_limits lim = {120, 900, 2250, 4500};
        int64_t s = 0, r = 0;
        snprintf(p->unit, sizeof p->unit, "%s", json_string_value(json_object_get(body, "unit")));
        count(p, t, p->unit, WG_SC_DISPATCHED, 1);
        if (p->o->item[0])
            wg_catalog_limits(p->env->catalog, p->o->item, &lim, NULL);
        wg_calendar_add_working_minutes(p->env->calendar, t, lim.sign, &s, NULL);
        if (!strcmp(p->urgency, "critical"))
            wg_calendar_default_deadline(p->env->calendar, WG_LIMIT_CRITICAL, t, &r, NULL);
        else if (!strcmp(p->urgency, "urgent"))
            wg_calendar_default_deadline(p->env->calendar, WG_LIMIT_URGENT, t, &r, NULL);
        else
            wg_calendar_add_working_minutes(p->env->calendar, t, lim.reply, &r, NULL);
        p->dispatched_at = t, p->sign_deadline = s, p->reply_deadline = r;
        p->signed_since = p->returned_since = 0;
        /* a contact is owed by the next working day's close, unless nobody can be contacted */
        p->contact_deadline = 0, p->contacted = 0;
        if (!p->o->anonymous) {
            int64_t c = 0;
            wg_calendar_next_day_close(p->env->calendar, t, &c, NULL);
            p->contact_deadline = c;
            count(p, t, p->unit, WG_SC_CONTACT_DUE, 1);
        }
    } else if (!strcmp(a, "contact")) {
        /* the dispatch's first contact, counted on the dispatch's day if in time */
        if (!p->contacted && t <= p->contact_deadline)
            count(p, p->dispatched_at, p->unit, WG_SC_CONTACTED_ON_TIME, 1);
        p->contacted = 1;
    } else if (!strcmp(a, "sign") && !strcmp(e->from_state, "dispatched") &&
               !strcmp(e->to_state, "signed")) {
        if (t <= p->sign_deadline && !p->signed_since)
            count_at(p, wg_cst_day(p->dispatched_at), p->unit, WG_SC_SIGNED_ON_TIME);
        p->signed_since = 1;
    } else if (!strcmp(a, "return") && !strcmp(e->to_state, "returning")) {
        if (!p->returned_since)
            count_at(p, wg_cst_day(p->dispatched_at), p->unit, WG_SC_RETURNED);
        p->returned_since = 1;
    } else if (!strcmp(a, "approve_return")) {
        p->unit[0] = '\0';
        p->dispatched_at = p->sign_deadline = p->reply_deadline = p->contact_deadline = 0;
    } else if (!strcmp(a, "approve_extension")) {
        int64_t d = 0;
        wg_calendar_extend(p->env->calendar, p->reply_deadline,
                           (int)json_integer_value(json_object_get(body, "days")), &d, NULL);
        if (d)
            p->reply_deadline = d;
    } else if (!strcmp(a, "answer")) {
        if (!p->answered)
            count_at(p, p->created_day, "", WG_SC_DIRECT);
        p->answered = 1;
    } else if (!strcmp(a, "merge")) {
        count_at(p, p->created_day, "", WG_SC_REPEAT);
    } else if (!strcmp(a, "verify") && !json_is_true(json_object_get(body, "passed"))) {
        if (!p->reworked && p->finished)
            count_at(p, p->finished_day, p->finished_unit, WG_SC_REWORK);
        p->reworked = 1;
    } else if (!strcmp(a, "callback") && json_object_get(body, "satisfaction")) {
        const char *sat = json_string_value(json_object_get(body, "satisfaction"));
        json_t *res = json_object_get(body, "resolved");
        if (!p->rated_before && p->finished)
            count_at(p, p->finished_day, p->finished_unit, WG_SC_CALLED_BACK);
        p->rated_before = 1;
        count(p, t, p->unit, WG_SC_RATED, 1);
        if (strcmp(sat, "unsatisfied"))
            count(p, t, p->unit, WG_SC_SATISFIED, 1);
        if (json_is_boolean(res) ? json_is_true(res) : strcmp(sat, "unsatisfied") != 0)
            count(p, t, p->unit, WG_SC_RESOLVED, 1);
    }
    /* reopening: an unsatisfied callback that sent it back, or the reopen action */
    if ((!strcmp(a, "callback") || !strcmp(a, "reopen")) &&
        (!strcmp(e->to_state, "received") || !strcmp(e->to_state, "dispatched"))) {
        if (!p->reopened && p->finished)
            count_at(p, p->finished_day, p->finished_unit, WG_SC_REOPENED);
        p->reopened = 1;
    }
    if (!strcmp(e->to_state, "replied") && strcmp(e->from_state, "replied") && !p->finished) {
        p->finished = 1;
        const char *u = strcmp(a, "reply") ? "" : p->unit;
        p->finished_day = wg_cst_day(t);
        snprintf(p->finished_unit, sizeof p->finished_unit, "%s", u);
        count(p, t, u, WG_SC_FINISHED, 1);
        if (!p->reply_deadline || t <= p->reply_deadline)
            count(p, t, u, WG_SC_FINISHED_ON_TIME, 1);
        if (*u && p->dispatched_at) {
            int64_t m = wg_calendar_working_minutes_between(p->env->calendar, p->dispatched_at, t);
            count(p, t, u, WG_SC_HANDLED, 1);
            count(p, t, u, WG_SC_HANDLING_MINUTES, m < 0 ? (t - p->dispatched_at) / 60 : m);
        }
    }
    if (e->to_state[0])
        snprintf(p->state, sizeof p->state, "%s", e->to_state);
    json_decref(body);
    return 0;
}

static void recount(struct wg_db *db, const struct wg_order_env *env, struct recount *r)
{
    struct wg_order_filter f = {0};
    struct orders l = {0};
    f.limit = 10000000;
    T_EQ_INT(wg_store_order_list(db, &f, take_id, &l, NULL), WG_OK);
    for (size_t i = 0; i < l.n; i++) {
        struct wg_order_row o;
        struct wg_order_facts fa;
        T_EQ_INT(wg_store_order_get(db, l.id[i], &o, NULL), WG_OK);
        T_EQ_INT(wg_store_order_facts(db, l.id[i], &fa, NULL), WG_OK);
        struct replay p = {.env = env, .o = &o, .r = r};
        snprintf(p.urgency, sizeof p.urgency, "%s", o.urgency);
        p.created_day = wg_cst_day_of_iso(o.created_at);
        wg_store_order_events(db, o.id, replay_event, &p, NULL);
        /* the replay must end where the order is */
        T_EQ_STR(p.state, o.state);
        T_EQ_STR(p.unit, o.unit);
        T_EQ_INT(p.reply_deadline, fa.reply_deadline);
        T_EQ_INT(p.contact_deadline, fa.contact_deadline);
        /* contributions of the order as it stands */
        int live = strcmp(o.state, "merged") && strcmp(o.state, "invalid");
        const char *leaf = o.grid[0] ? o.grid : o.county;
        if (live && strcmp(o.state, "closed"))
            radd(r, p.created_day, leaf, o.unit, o.item, o.channel, WG_SC_OPEN, 1);
        if (live && !p.finished && fa.reply_deadline)
            radd(r, wg_cst_day(fa.reply_deadline), leaf, o.unit, o.item, o.channel,
                 WG_SC_PENDING_DUE, 1);
        wg_store_order_release(&o);
    }
    free(l.id);
}

struct cellcheck {
    struct recount *r;
    size_t matched;
    int bad;
};

static int check_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct cellcheck *k = ctx;
    int any = 0;
    for (int i = 0; i < WG_SC_COUNT; i++)
        any |= c->c[i] != 0;
    if (!any)
        return 0; /* a cell whose counts all cancelled out */
    for (size_t i = 0; i < k->r->n; i++) {
        struct rcell *x = &k->r->v[i];
        if (x->day == c->day && !strcmp(x->leaf, c->leaf) && !strcmp(x->unit, c->unit) &&
            !strcmp(x->item, c->item) && !strcmp(x->channel, c->channel)) {
            if (memcmp(x->c, c->c, sizeof x->c)) {
                if (k->bad++ < 5)
                    fprintf(stderr, "cell %d %s %s %s %s differs from the recount\n", c->day,
                            c->leaf, c->unit, c->item, c->channel);
            }
            k->matched++;
            return 0;
        }
    }
    if (k->bad++ < 5)
        fprintf(stderr, "cell %d %s %s %s %s is not in the recount\n", c->day, c->leaf, c->unit,
                c->item, c->channel);
    return 0;
}

static inline size_t nonzero(const struct recount *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        int any = 0;
        for (int c = 0; c < WG_SC_COUNT; c++)
            any |= r->v[i].c[c] != 0;
        n += any;
    }
    return n;
}

/* The recount's sums for a filter and period, grouped as the engine groups. */
static inline void rsum(const struct recount *r, const struct wg_stat_filter *f, int from, int to,
                        enum wg_stats_by by, int child_len, struct wg_stats_groups *g)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct rcell *x = &r->v[i];
        char key[64] = "";
        if (strncmp(x->leaf, f->leaf, strlen(f->leaf)) || x->day < from || x->day > to ||
            (*f->unit && strcmp(x->unit, f->unit)) || strncmp(x->item, f->item, strlen(f->item)) ||
            (*f->channel && strcmp(x->channel, f->channel)))
            continue;
        if (by == WG_BY_CHILD) {
            if (strlen(x->leaf) < (size_t)child_len)
                continue;
            snprintf(key, sizeof key, "%.*s", child_len, x->leaf);
        } else if (by == WG_BY_ITEM) {
            snprintf(key, sizeof key, "%s", x->item);
        } else if (by == WG_BY_UNIT) {
            snprintf(key, sizeof key, "%s", x->unit);
        } else if (by == WG_BY_CHANNEL) {
            snprintf(key, sizeof key, "%s", x->channel);
        }
        struct wg_stats_group *have = NULL;
        for (size_t j = 0; j < g->n && !have; j++)
            if (!strcmp(g->v[j].key, key))
                have = &g->v[j];
        if (!have) {
            if (g->n == g->cap) {
                g->cap = g->cap ? g->cap * 2 : 64;
                g->v = realloc(g->v, g->cap * sizeof *g->v);
            }
            have = &g->v[g->n++];
            memset(have, 0, sizeof *have);
            snprintf(have->key, sizeof have->key, "%s", key);
        }
        for (int c = 0; c < WG_SC_COUNT; c++)
            have->c[c] += x->c[c];
    }
}

/* Exact agreement of two groupings, ignoring groups whose sums are all zero. */
static inline int same(const struct wg_stats_groups *a, const struct wg_stats_groups *b)
{
    for (int k = 0; k < 2; k++) {
        const struct wg_stats_groups *x = k ? b : a, *y = k ? a : b;
        for (size_t i = 0; i < x->n; i++) {
            const struct wg_stats_group *o = NULL;
            int any = 0;
            for (size_t j = 0; j < y->n && !o; j++)
                if (y->v[j].bucket == x->v[i].bucket && !strcmp(y->v[j].key, x->v[i].key))
                    o = &y->v[j];
            for (int c = 0; c < WG_SC_COUNT; c++)
                any |= x->v[i].c[c] != 0;
            if (!o ? any : memcmp(o->c, x->v[i].c, sizeof o->c) != 0) {
                fprintf(stderr, "group '%s' (bucket %d) differs\n", x->v[i].key, x->v[i].bucket);
                return 0;
            }
        }
    }
    return 1;
}

#endif
