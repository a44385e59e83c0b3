/* The indicators: each formula against hand-computed cases; the deltas of single changes;
 * and, on random histories driven through the real order loop (the demo generator and a
 * random walk over every action the state machine allows), the store's counter cells, the
 * roll-ups kept from the change log, the roll-ups built afresh and the cells' own sums all
 * agree exactly with a brute-force recount from the orders and their timelines. */
#include "t.h"
#include "core/civil.h"

#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/orders/history.h"
#include "domain/stats/stats_query.h"
#include "domain/catalog/unit.h"
#include "store/backend.h"
#include "store/migrations.h"
#include "store/orders/orders_q.h"
#include "store/stats/stats_q.h"
#include "t_county.h"
#include "t_order.h"
#include "t_recount.h"
#include "t_store.h"

#define DAY 86400LL

/* ---- formulas ---- */

static double num(json_t *ind, const char *name, const char *field)
{
    json_t *v = json_object_get(json_object_get(ind, name), field);
    return json_is_null(v) ? -1 : json_number_value(v);
}

static void test_formulas(void)
{
    struct wg_stats_sums s;
    memset(&s, 0, sizeof s);
    s.c[WG_SC_RECEIVED] = 200;
    s.c[WG_SC_DISPATCHED] = 120;
    s.c[WG_SC_DIRECT] = 50;
    s.c[WG_SC_SIGNED_ON_TIME] = 108;
    s.c[WG_SC_CONTACT_DUE] = 110; /* 10 anonymous: nobody to contact */
    s.c[WG_SC_CONTACTED_ON_TIME] = 99;
    s.c[WG_SC_FINISHED] = 150;
    s.c[WG_SC_FINISHED_ON_TIME] = 140;
    s.c[WG_SC_PENDING_DUE] = 10;
    s.c[WG_SC_CALLED_BACK] = 120;
    s.c[WG_SC_RATED] = 100;
    s.c[WG_SC_SATISFIED] = 97;
    s.c[WG_SC_RESOLVED] = 90;
    s.c[WG_SC_REOPENED] = 3;
    s.c[WG_SC_RETURNED] = 6;
    s.c[WG_SC_REWORK] = 4;
    s.c[WG_SC_REPEAT] = 8;
    s.c[WG_SC_HANDLED] = 100;
    s.c[WG_SC_HANDLING_MINUTES] = 100 * 600; /* 10 working hours each */
    s.pending_past = 4;
    s.open = 33;
    json_t *j = wg_stats_indicators_json(&s, (1ul << WG_INDICATOR_COUNT) - 1);
    T_EQ_INT(json_object_size(j), WG_INDICATOR_COUNT);
    T_NEAR(num(j, "received", "value"), 200, 0);
    T_NEAR(num(j, "direct_answered", "value"), 50, 0);
    T_NEAR(num(j, "direct_rate", "value"), 0.25, 1e-12);
    T_NEAR(num(j, "direct_rate", "numerator"), 50, 0);
    T_NEAR(num(j, "direct_rate", "denominator"), 200, 0);
    T_NEAR(num(j, "signed_on_time_rate", "value"), 0.9, 1e-12);
    T_NEAR(num(j, "due", "value"), 160, 0); /* 150 finished + 10 pending deadlines */
    T_NEAR(num(j, "finish_rate", "value"), 150.0 / 160, 1e-12);
    T_NEAR(num(j, "finished_on_time_rate", "value"), 140.0 / 160, 1e-12);
    T_NEAR(num(j, "called_back_rate", "value"), 0.8, 1e-12);
    T_NEAR(num(j, "satisfaction_rate", "value"), 0.97, 1e-12);
    T_NEAR(num(j, "resolution_rate", "value"), 0.9, 1e-12);
    T_NEAR(num(j, "reopen_rate", "value"), 0.02, 1e-12);
    T_NEAR(num(j, "return_rate", "value"), 0.05, 1e-12);
    T_NEAR(num(j, "rework_rate", "value"), 4.0 / 150, 1e-12);
    T_NEAR(num(j, "repeat_rate", "value"), 0.04, 1e-12);
    T_NEAR(num(j, "overdue", "value"), 14, 0); /* 10 finished late + 4 missed deadlines */
    T_NEAR(num(j, "avg_handling_hours", "value"), 10, 1e-12);
    T_NEAR(num(j, "response_rate", "value"), 0.9, 1e-12);
    /* 30·90 + 35·90 + 35·97 = 9245 → 92.45 */
    T_NEAR(num(j, "composite", "value"), 92.45, 1e-9);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(j, "grade"), "value")), "A");
    T_NEAR(num(j, "open", "value"), 33, 0);
    json_decref(j);

    /* a rate without a denominator is null, and the composite drops its weight */
    memset(&s, 0, sizeof s);
    s.c[WG_SC_DISPATCHED] = 10;
    s.c[WG_SC_SIGNED_ON_TIME] = 6; /* the response is the contact's, not the signature's */
    s.c[WG_SC_CONTACT_DUE] = 10;
    s.c[WG_SC_CONTACTED_ON_TIME] = 7;
    j = wg_stats_indicators_json(&s, (1ul << WG_INDICATOR_COUNT) - 1);
    T_NEAR(num(j, "satisfaction_rate", "value"), -1, 0);
    T_NEAR(num(j, "satisfaction_rate", "denominator"), 0, 0);
    T_NEAR(num(j, "composite", "value"), 70, 1e-9);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(j, "grade"), "value")), "C");
    T_NEAR(num(j, "avg_handling_hours", "value"), -1, 0);
    json_decref(j);
    memset(&s, 0, sizeof s);
    j = wg_stats_indicators_json(&s, (1ul << WG_INDICATOR_COUNT) - 1);
    T_CHECK(json_is_null(json_object_get(json_object_get(j, "composite"), "value")));
    T_CHECK(json_is_null(json_object_get(json_object_get(j, "grade"), "value")));
    json_decref(j);

    /* grades at their edges */
    T_EQ_STR(wg_stats_grade(90), "A");
    T_EQ_STR(wg_stats_grade(89.99), "B");
    T_EQ_STR(wg_stats_grade(75), "B");
    T_EQ_STR(wg_stats_grade(60), "C");
    T_EQ_STR(wg_stats_grade(40), "D");
    T_EQ_STR(wg_stats_grade(39.9), "E");

    /* indicator lists */
    unsigned long mask = 0;
    struct wg_err err = {0};
    T_EQ_INT(wg_stats_indicator_mask("open,overdue,satisfaction_rate", &mask, &err), WG_OK);
    j = wg_stats_indicators_json(&s, mask);
    T_EQ_INT(json_object_size(j), 3);
    json_decref(j);
    T_EQ_INT(wg_stats_indicator_mask("open,nonsense", &mask, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "nonsense") != NULL);
}

/* ---- deltas of single changes ---- */

static long long at(const struct wg_stats_delta *d, int n, int day, const char *unit,
                    enum wg_stat_counter c)
{
    for (int i = 0; i < n; i++)
        if (d[i].day == day && !strcmp(d[i].unit, unit))
            return d[i].c[c];
    return 0;
}

/* One order's life, change by change, and the deltas each change makes. Leaves in *out the
 * last change (a second rating), whose deltas delta_log_text writes out. */
static void deltas_of_one_life(struct wg_stats_change *out)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    long long t0 = 20454 * DAY - 8 * 3600 + 9 * 3600; /* 2026-01-01 09:00 CST */
    struct wg_stats_change ch = {.leaf = "371302001001001",
                                 .item = "06028",
                                 .channel = "hotline",
                                 .created_day = 20454,
                                 .create = 1,
                                 .after = {.state = WG_STATE_RECEIVED, .unit = ""},
                                 .at = t0};
    int n = wg_stats_deltas(&ch, d);
    T_EQ_INT(n, 1);
    T_EQ_INT(at(d, n, 20454, "", WG_SC_RECEIVED), 1);
    T_EQ_INT(at(d, n, 20454, "", WG_SC_OPEN), 1);

    /* dispatch: counted for the unit; open moves to it; the deadline day gets a pending */
    ch.create = 0;
    ch.action = WG_ACTION_DISPATCH;
    ch.before = (struct wg_stats_state){.state = WG_STATE_RECEIVED, .unit = ""};
    ch.after = (struct wg_stats_state){.state = WG_STATE_DISPATCHED,
                                       .unit = "cgzf",
                                       .sign_deadline = t0 + 7200,
                                       .reply_deadline = t0 + 5 * DAY,
                                       .dispatched_at = t0};
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_DISPATCHED), 1);
    T_EQ_INT(at(d, n, 20454, "", WG_SC_OPEN), -1);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_OPEN), 1);
    T_EQ_INT(at(d, n, 20459, "cgzf", WG_SC_PENDING_DUE), 1);

    /* a late signature is not on time */
    ch.action = WG_ACTION_SIGN;
    ch.before = ch.after;
    ch.after.state = WG_STATE_SIGNED;
    ch.at = t0 + 7201;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(n, 0);
    ch.at = t0 + 7200;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_SIGNED_ON_TIME), 1);

    /* an approved extension moves the pending deadline */
    ch.action = WG_ACTION_APPROVE_EXTENSION;
    ch.before = ch.after;
    ch.after.reply_deadline = t0 + 9 * DAY;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(n, 2);
    T_EQ_INT(at(d, n, 20459, "cgzf", WG_SC_PENDING_DUE), -1);
    T_EQ_INT(at(d, n, 20463, "cgzf", WG_SC_PENDING_DUE), 1);

    /* the first reply, late: finished, not on time, handled with its minutes */
    ch.action = WG_ACTION_REPLY;
    ch.before = ch.after;
    ch.after.state = WG_STATE_REPLIED;
    ch.at = t0 + 10 * DAY;
    ch.handling_minutes = 3000;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20463, "cgzf", WG_SC_PENDING_DUE), -1);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_FINISHED), 1);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_FINISHED_ON_TIME), 0);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_HANDLED), 1);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_HANDLING_MINUTES), 3000);

    /* failed verification: rework, in the first reply's cohort (day and unit); the order
     * stays finished (no second finish later) */
    ch.past.finished_at = t0 + 10 * DAY;
    ch.past.finished_unit = "cgzf";
    ch.action = WG_ACTION_VERIFY;
    ch.before = ch.after;
    ch.after.state = WG_STATE_DISPATCHED;
    ch.after.rework_count = 1;
    ch.effects = WG_FSM_REWORK;
    ch.at += DAY;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_REWORK), 1);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_REWORK), 0);
    T_EQ_INT(at(d, n, 20463, "cgzf", WG_SC_PENDING_DUE), 0);
    ch.effects = 0;
    ch.action = WG_ACTION_REPLY;
    ch.before = ch.after;
    ch.before.state = WG_STATE_SIGNED;
    ch.after.state = WG_STATE_REPLIED;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(n, 0);

    /* a callback: reached, basically satisfied, the body says not resolved */
    ch.action = WG_ACTION_CALLBACK;
    ch.before = ch.after;
    ch.before.state = WG_STATE_VERIFIED;
    ch.after.state = WG_STATE_CLOSED;
    ch.after.satisfaction = "basically_satisfied";
    ch.reached = 1;
    ch.satisfaction = WG_SAT_BASICALLY_SATISFIED;
    ch.resolved = 0;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_CALLED_BACK), 1); /* the first reply's cohort */
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_CALLED_BACK), 0);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_RATED), 1);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_SATISFIED), 1);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_RESOLVED), 0);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_OPEN), -1); /* closed: open no more */
    /* a second rating of the same order is rated again, but not called back again */
    ch.before.satisfaction = "basically_satisfied";
    ch.resolved = -1;
    ch.satisfaction = WG_SAT_UNSATISFIED;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20464, "cgzf", WG_SC_CALLED_BACK), 0);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_RATED), 1);
    T_EQ_INT(at(d, n, 20465, "cgzf", WG_SC_RESOLVED), 0);
    *out = ch;
}

/* A parse of the change log's text, checked cell by cell against the deltas it was written
 * from. */
struct log_check {
    struct wg_stats_delta *d;
    int n, i, ok;
};

/* Numerators in their denominators' cells: a signature in its dispatch's, a return request
 * once a dispatch, a direct answer and a merge in the received's, a second rework nowhere. */
static void deltas_in_cohorts(void)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    long long t0 = 20454 * DAY - 8 * 3600 + 9 * 3600; /* 2026-01-01 09:00 CST */
    struct wg_stats_change ch = {.leaf = "371302001001001",
                                 .item = "06028",
                                 .channel = "hotline",
                                 .created_day = 20450,
                                 .action = WG_ACTION_SIGN,
                                 .before = {.state = WG_STATE_DISPATCHED,
                                            .unit = "cgzf",
                                            .sign_deadline = t0 + 2 * DAY,
                                            .dispatched_at = t0},
                                 .at = t0 + DAY};
    ch.after = ch.before;
    ch.after.state = WG_STATE_SIGNED;
    int n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_SIGNED_ON_TIME), 1);
    T_EQ_INT(at(d, n, 20455, "cgzf", WG_SC_SIGNED_ON_TIME), 0);
    ch.past.signed_since = 1; /* signed already after this dispatch (back from rework) */
    T_EQ_INT(wg_stats_deltas(&ch, d), 0);

    ch.action = WG_ACTION_RETURN;
    ch.before.state = WG_STATE_SIGNED;
    ch.after.state = WG_STATE_RETURNING;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_RETURNED), 1);
    ch.past.returned_since = 1; /* asked before, and the centre said no */
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_RETURNED), 0);

    ch.action = WG_ACTION_MERGE;
    ch.after.state = WG_STATE_MERGED;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20450, "", WG_SC_REPEAT), 1);
    ch.action = WG_ACTION_ANSWER;
    ch.before = (struct wg_stats_state){.state = WG_STATE_RECEIVED, .unit = ""};
    ch.after = ch.before;
    ch.after.state = WG_STATE_REPLIED;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20450, "", WG_SC_DIRECT), 1);
    ch.past.answered = 1; /* answered before its reopening */
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20450, "", WG_SC_DIRECT), 0);

    ch.action = WG_ACTION_VERIFY;
    ch.effects = WG_FSM_REWORK;
    ch.past.finished_at = t0;
    ch.past.finished_unit = "cgzf";
    ch.before =
        (struct wg_stats_state){.state = WG_STATE_REPLIED, .unit = "cgzf", .rework_count = 1};
    ch.after = ch.before;
    ch.after.state = WG_STATE_DISPATCHED;
    ch.after.rework_count = 2;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_REWORK), 0);
    ch.before.rework_count = 0;
    ch.after.rework_count = 1;
    n = wg_stats_deltas(&ch, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_REWORK), 1);
}

static int log_check_cell(const struct wg_stat_cell *c, void *p)
{
    struct log_check *chk = p;
    const struct wg_stats_delta *d = &chk->d[chk->i++];
    chk->ok &= c->day == d->day && !strcmp(c->unit, d->unit) &&
               !strcmp(c->leaf, "371302001001001") && !strcmp(c->item, "06028") &&
               !memcmp(c->c, d->c, sizeof c->c);
    return 0;
}

/* The contact with the reporter: owed by a dispatch, counted in time on the dispatch's day
 * and unit whenever it is recorded, once. */
static void test_contact_deltas(void)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    long long t0 = 20454 * DAY - 8 * 3600 + 9 * 3600; /* 2026-01-01 09:00 CST */
    struct wg_stats_change c2 = {.leaf = "371302001001001",
                                 .item = "06028",
                                 .channel = "hotline",
                                 .created_day = 20454,
                                 .action = WG_ACTION_DISPATCH,
                                 .at = t0};
    int n;
    c2.action = WG_ACTION_DISPATCH;
    c2.before = (struct wg_stats_state){.state = WG_STATE_RECEIVED, .unit = ""};
    c2.after = (struct wg_stats_state){.state = WG_STATE_DISPATCHED,
                                       .unit = "cgzf",
                                       .dispatched_at = t0,
                                       .contact_deadline = t0 + DAY};
    c2.at = t0;
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_CONTACT_DUE), 1);
    c2.after.contact_deadline = 0; /* anonymous: nobody to contact, nothing owed */
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_CONTACT_DUE), 0);
    c2.after.contact_deadline = t0 + DAY;
    c2.action = WG_ACTION_CONTACT;
    c2.before = c2.after;
    c2.after.contacted_at = c2.at = t0 + DAY; /* at the deadline: in time */
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(n, 1);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_CONTACTED_ON_TIME), 1);
    c2.at = t0 + 3 * DAY; /* recorded on day 3, made in time: still day 0's */
    c2.after.contacted_at = t0 + DAY - 60;
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(at(d, n, 20454, "cgzf", WG_SC_CONTACTED_ON_TIME), 1);
    T_EQ_INT(at(d, n, 20457, "cgzf", WG_SC_CONTACTED_ON_TIME), 0);
    c2.after.contacted_at = c2.at = t0 + DAY + 1; /* late */
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(n, 0);
    c2.before.contacted_at = t0 + 60; /* a second contact: the first one counted */
    c2.after.contacted_at = t0 + 60;
    c2.at = t0 + 120;
    n = wg_stats_deltas(&c2, d);
    T_EQ_INT(n, 0);
}

static int take_cell(const struct wg_stat_cell *c, void *ctx)
{
    *(struct wg_stat_cell *)ctx = *c;
    return 0;
}

/* A change log line written before the contact counters (18 counts) reads with them at 0. */
static void test_log_before_contact(void)
{
    struct wg_stat_cell c;
    memset(&c, 0xff, sizeof c);
    T_EQ_INT(wg_stats_log_parse("20454\t371302001001001\tcgzf\t06028\thotline\t"
                                "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18\n",
                                take_cell, &c),
             0);
    T_EQ_INT(c.c[WG_SC_RECEIVED], 1);
    T_EQ_INT(c.c[WG_SC_HANDLING_MINUTES], 18);
    T_EQ_INT(c.c[WG_SC_CONTACT_DUE], 0);
    T_EQ_INT(c.c[WG_SC_CONTACTED_ON_TIME], 0);
    /* one count too many is still wrong */
    T_EQ_INT(wg_stats_log_parse("20454\tl\tu\ti\tc\t1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
                                "19,20,21\n",
                                take_cell, &c),
             -1);
}

/* The change log's text for a change's deltas: read back exactly, written in the documented
 * form, and cut short safely in a buffer too small. */
static void delta_log_text(struct wg_stats_change *ch)
{
    /* the log text carries the deltas back exactly */
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS], copy[WG_STATS_MAX_DELTAS];
    char text[2048];
    ch->resolved = 1;
    int n = wg_stats_deltas(ch, d);
    wg_stats_log_text(ch, d, n, text, sizeof text);
    memcpy(copy, d, sizeof copy);
    struct log_check chk = {copy, n, 0, 1};
    T_EQ_INT(wg_stats_log_parse(text, log_check_cell, &chk), 0);
    T_EQ_INT(chk.i, n);
    T_EQ_INT(chk.ok, 1);
    T_EQ_INT(wg_stats_log_parse("12\tbad", log_check_cell, &chk), -1);

    /* the text is "day\tleaf\tunit\titem\tchannel\tc1,c2,...\n" a delta, numbers in decimal
     * (negative ones too); a buffer too small holds a terminated start of it */
    char want[2048];
    size_t w = 0;
    d[0].c[0] = -9223372036854775807LL - 1;
    d[0].c[1] = 9223372036854775807LL;
    for (int i = 0; i < n; i++) {
        w += (size_t)snprintf(want + w, sizeof want - w, "%d\t%s\t%s\t%s\t%s\t", d[i].day, ch->leaf,
                              d[i].unit, ch->item, ch->channel);
        for (int c = 0; c < WG_SC_COUNT; c++)
            w += (size_t)snprintf(want + w, sizeof want - w, "%lld%s", d[i].c[c],
                                  c + 1 < WG_SC_COUNT ? "," : "\n");
    }
    wg_stats_log_text(ch, d, n, text, sizeof text);
    T_EQ_STR(text, want);
    char small[40];
    memset(small, 'x', sizeof small);
    wg_stats_log_text(ch, d, n, small, 30);
    T_EQ_INT((int)strlen(small), 29);
    T_CHECK(!strncmp(small, want, 29));
    T_CHECK(small[30] == 'x');
}

static void test_deltas(void)
{
    struct wg_stats_change last;
    deltas_of_one_life(&last);
    deltas_in_cohorts();
    delta_log_text(&last);
}

/* ---- the recount ---- */

/* The roll-up rows (stat_roll) against the cells summed by wg_stats_rolls_of. */
struct rolls {
    struct rollrow {
        char key[96];
        long long c[WG_SC_COUNT];
    } * v;
    size_t n, cap;
};

static struct rollrow *roll_find(struct rolls *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].key, key))
            return &r->v[i];
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    memset(&r->v[r->n], 0, sizeof r->v[0]);
    snprintf(r->v[r->n].key, sizeof r->v[0].key, "%s", key);
    return &r->v[r->n++];
}

static void roll_put(struct rolls *r, const struct wg_stat_roll *x)
{
    char key[96];
    snprintf(key, sizeof key, "%d %d %s %s", x->day, x->view, x->node, x->dim);
    struct rollrow *row = roll_find(r, key);
    for (int i = 0; i < WG_SC_COUNT; i++)
        row->c[i] += x->c[i];
}

static int roll_of_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct wg_stat_roll r[4];
    char town[10], county[7];
    int n = wg_stats_rolls_of(c, r, town, county);
    for (int i = 0; i < n; i++)
        roll_put(ctx, &r[i]);
    return 0;
}

static int roll_row(const struct wg_stat_roll *x, void *ctx)
{
    roll_put(ctx, x);
    return 0;
}

/* Same rows (zero rows ignored) with the same counts. */
static int rolls_same(struct rolls *a, struct rolls *b)
{
    size_t nz = 0, bz = 0;
    for (size_t i = 0; i < a->n; i++) {
        int zero = 1;
        for (int k = 0; k < WG_SC_COUNT; k++)
            zero &= a->v[i].c[k] == 0;
        if (zero)
            continue;
        nz++;
        struct rollrow *o = NULL;
        for (size_t j = 0; j < b->n && !o; j++)
            if (!strcmp(b->v[j].key, a->v[i].key))
                o = &b->v[j];
        if (!o || memcmp(o->c, a->v[i].c, sizeof o->c)) {
            fprintf(stderr, "roll-up row %s differs\n", a->v[i].key);
            return 0;
        }
    }
    for (size_t j = 0; j < b->n; j++) {
        int zero = 1;
        for (int k = 0; k < WG_SC_COUNT; k++)
            zero &= b->v[j].c[k] == 0;
        bz += !zero;
    }
    return nz == bz && nz > 0;
}

static void sql(const char *dir, const char *text)
{
    char msg[512];
    if (t_store_sql(dir, text, msg, sizeof msg))
        fprintf(stderr, "(sql '%.60s': %s)\n", text, msg);
    T_CHECK(!*msg);
}

/* The roll-up rows folded from the change log, those migration 18 fills from the cells and
 * those wg_stats_roll_fill makes are the cells summed. */
static void check_rolls(const char *dir, struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_stat_filter all = {"", -1000000, 1000000, "", "", ""};
    struct rolls want = {0}, live = {0}, filled = {0}, migrated = {0};
    int folded = 1, batches = 0;
    long long pos = 0, lo = 0, hi = 0;
    /* the rest of the change log, folded in batches */
    while (folded > 0) {
        T_EQ_INT(wg_db_begin(db, &err), WG_OK);
        T_EQ_INT(wg_stats_roll_fold(db, 997, &folded, &err), WG_OK);
        T_EQ_INT(wg_db_commit(db, &err), WG_OK);
        batches++;
    }
    T_CHECK(batches > 2);
    T_EQ_INT(wg_store_stat_roll_pos(db, &pos, &err), WG_OK);
    T_EQ_INT(wg_store_stat_log_bounds(db, &lo, &hi, &err), WG_OK);
    T_CHECK(pos == hi && hi > 0);
    T_EQ_INT(wg_store_stat_cells(db, &all, roll_of_cell, &want, &err), WG_OK);
    T_EQ_INT(wg_store_stat_rolls(db, roll_row, &live, &err), WG_OK);
    T_CHECK(want.n > 100);
    T_CHECK(rolls_same(&want, &live));
    T_CHECK(rolls_same(&live, &want));

    /* wg_stats_roll_fill over an emptied table */
    sql(dir, "DELETE FROM stat_roll");
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_stats_roll_fill(db, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(wg_store_stat_rolls(db, roll_row, &filled, &err), WG_OK);
    T_CHECK(rolls_same(&want, &filled));
    T_CHECK(rolls_same(&filled, &want));

    /* migration 18's SQL fill over an emptied table (SQLite's history: PostgreSQL's schema
     * begins whole at migration 22) */
    const struct wg_migration *m = NULL;
    for (size_t i = 0; i < wg_nmigrations; i++)
        if (wg_migrations[i].version == 18)
            m = &wg_migrations[i];
    T_CHECK(m != NULL);
    if (m && !t_on_pg()) {
        sql(dir, "DROP TABLE stat_roll; DROP TABLE stat_roll_pos");
        sql(dir, wg_query_sql(m->q, WG_SQL_SQLITE));
        /* the counters added since (migration 26) start at 0 on a store that had none */
        sql(dir, "ALTER TABLE stat_roll ADD COLUMN contact_due INTEGER NOT NULL DEFAULT 0;"
                 "ALTER TABLE stat_roll ADD COLUMN contacted_on_time INTEGER NOT NULL DEFAULT 0");
        for (size_t i = 0; i < want.n; i++)
            for (int k = WG_SC_HANDLING_MINUTES + 1; k < WG_SC_COUNT; k++)
                want.v[i].c[k] = 0;
        T_EQ_INT(wg_store_stat_rolls(db, roll_row, &migrated, &err), WG_OK);
        T_CHECK(rolls_same(&want, &migrated));
        T_CHECK(rolls_same(&migrated, &want));
        T_EQ_INT(wg_store_stat_roll_pos(db, &pos, &err), WG_OK);
        T_CHECK(pos == hi);
        /* whole again for what follows */
        sql(dir, "DELETE FROM stat_roll");
        T_EQ_INT(wg_db_begin(db, &err), WG_OK);
        T_EQ_INT(wg_stats_roll_fill(db, &err), WG_OK);
        T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    }
    free(want.v);
    free(live.v);
    free(filled.v);
    free(migrated.v);
}

/* The recount test's store and what it is checked with: a county's demo history and
 * random walks over it, the cube kept live from the change log all along, one built afresh
 * after part of the log was folded, and the brute-force recount of the orders. */
struct recount_world {
    char dir[32];
    struct wg_store *st;
    struct wg_db *db;
    struct t_order ord;
    struct wg_locator *loc;
    struct wg_stats_cube *live, *fresh;
    long long now;
    struct recount r;
};

/* One query the engine must answer as the recount does: a filter, a grouping and a period. */
struct query_case {
    const char *leaf, *unit, *item, *channel;
    enum wg_stats_by by;
    int child_len, from, to;
};

#define NQUERY_CASES 19

/* Every way the dashboard asks, over periods around today and whole years with their edges. */
static void query_cases(int today, struct query_case out[NQUERY_CASES])
{
    const struct query_case cases[NQUERY_CASES] = {
        {"", "", "", "", WG_BY_NONE, 0, today - 400, today + 400},
        {"371302", "", "", "", WG_BY_NONE, 0, today - 30, today},
        {"37", "", "", "", WG_BY_CHILD, 4, today - 90, today + 30},
        {"371302", "", "", "", WG_BY_CHILD, 9, today - 100, today - 20},
        {"371302001", "", "", "", WG_BY_NONE, 0, today - 45, today - 3},
        {"371302001", "", "", "", WG_BY_CHILD, 12, today - 45, today},
        {"371302", "", "", "", WG_BY_ITEM, 0, today - 200, today + 20},
        {"371302", "", "06", "", WG_BY_NONE, 0, today - 200, today},
        {"371302", "", "06", "", WG_BY_ITEM, 0, today - 161, today - 1},
        {"371302", "", "", "", WG_BY_UNIT, 0, today - 200, today + 20},
        {"371302", "cgzf", "", "", WG_BY_NONE, 0, today - 400, today - 200},
        {"371302", "", "", "", WG_BY_CHANNEL, 0, today - 10, today},
        {"371302", "", "", "hotline", WG_BY_NONE, 0, today - 100, today},
        {"371302", "cgzf", "", "", WG_BY_ITEM, 0, today - 300, today},
        {"", "", "", "app", WG_BY_UNIT, 0, today - 400, today},
        /* whole years (the roll-ups' year sums) with edge days and months around them */
        {"", "", "", "", WG_BY_NONE, 0, wg_civil_days(2026, 1, 1), wg_civil_days(2027, 1, 5)},
        {"371302", "", "", "", WG_BY_ITEM, 0, wg_civil_days(2025, 12, 30),
         wg_civil_days(2026, 12, 31)},
        {"37", "", "", "", WG_BY_UNIT, 0, wg_civil_days(2026, 1, 1), wg_civil_days(2026, 12, 31)},
        {"371302", "", "", "", WG_BY_CHILD, 9, wg_civil_days(2025, 11, 17),
         wg_civil_days(2027, 1, 31)},
    };
    memcpy(out, cases, sizeof cases);
}

/* A fresh store with county 371302's divisions and generated grids, intake's keys, catalog
 * and calendar, the locator, and the live cube built while the store is still empty. */
static void recount_open(struct recount_world *w)
{
    struct wg_err err = {0};
    memset(w, 0, sizeof *w);
    w->live = wg_stats_cube_new();
    w->fresh = wg_stats_cube_new();
    t_county_open(w->dir, sizeof w->dir, "/tmp/wangge-stats-XXXXXX", &w->st, &w->db, &w->ord,
                  &w->loc);
    /* empty now, then kept from the change log */
    T_EQ_INT(wg_stats_cube_refresh(w->live, w->db, &err), WG_OK);
}

/* Three rounds of demo history and a random walk, time moving on, the live cube refreshed
 * after each. */
static void recount_drive(struct recount_world *w)
{
    struct wg_err err = {0};
    w->now = 1790000000; /* 2026-09-21 */
    int taken = 0;
    for (int round = 0; round < 3; round++) {
        struct wg_history_opts o = {"371302", 60, 400, 1000 + (uint64_t)round, w->now};
        struct wg_history_report rep;
        T_EQ_INT(wg_history_generate(w->db, &w->ord.env, w->loc, &o, &rep, &err), WG_OK);
        if (err.rc)
            fprintf(stderr, "history: %s\n", err.msg);
        walk(w->db, &w->ord.env, 77 + (uint64_t)round, 1500, &w->now, &taken);
        w->now += 3 * DAY;
        T_EQ_INT(wg_stats_cube_refresh(w->live, w->db, &err), WG_OK);
    }
    T_CHECK(taken > 800);
}

/* The store's counter cells are the recount, cell by cell, and every counter was counted. */
static void cohort_check(const struct recount *r)
{
    /* response: the contacts in time are of the dispatches owed one, cell by cell */
    int bad = 0;
    for (size_t i = 0; i < r->n; i++)
        bad += r->v[i].c[WG_SC_CONTACTED_ON_TIME] > r->v[i].c[WG_SC_CONTACT_DUE];
    T_EQ_INT(bad, 0);
}

static void recount_cells(struct recount_world *w)
{
    struct wg_err err = {0};
    struct recount *r = &w->r;
    recount(w->db, &w->ord.env, r);
    struct wg_stat_filter all = {"", -1000000, 1000000, "", "", ""};
    struct cellcheck k = {r, 0, 0};
    T_EQ_INT(wg_store_stat_cells(w->db, &all, check_cell, &k, &err), WG_OK);
    T_EQ_INT(k.bad, 0);
    cohort_check(r);
    T_EQ_INT(k.matched, nonzero(r));
    T_CHECK(k.matched > 500);

    /* every counter was exercised */
    long long tot[WG_SC_COUNT] = {0};
    for (size_t i = 0; i < r->n; i++)
        for (int c = 0; c < WG_SC_COUNT; c++)
            tot[c] += r->v[i].c[c];
    for (int c = 0; c < WG_SC_COUNT; c++) {
        if (tot[c] <= 0)
            fprintf(stderr, "counter %s never counted\n", wg_stat_counter_names[c]);
        T_CHECK(tot[c] > 0);
    }
}

/* Part of the change log folded into the roll-up rows: a cube built now starts from them
 * and applies the rest of the log. */
static void recount_fold_part(struct recount_world *w)
{
    struct wg_err err = {0};
    int folded = 0;
    T_EQ_INT(wg_db_begin(w->db, &err), WG_OK);
    T_EQ_INT(wg_stats_roll_fold(w->db, 1000, &folded, &err), WG_OK);
    T_EQ_INT(wg_db_commit(w->db, &err), WG_OK);
    T_EQ_INT(folded, 1000);
}

/* The engine's answers, every way, against the recount: from the live cube, from one built
 * afresh, and from the cells alone. */
static void recount_queries(struct recount_world *w, const struct query_case *cases, size_t n)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_stats_cube_refresh(w->fresh, w->db, &err), WG_OK);
    struct wg_stats_env e_live = {w->db, w->live, &w->ord.cat, w->now},
                        e_fresh = {w->db, w->fresh, &w->ord.cat, w->now};
    for (size_t i = 0; i < n; i++) {
        const struct query_case *q = &cases[i];
        struct wg_stat_filter f = {q->leaf, 0, 0, q->unit, q->item, q->channel};
        struct wg_stats_groups a = {0}, b = {0}, c = {0}, want = {0};
        T_EQ_INT(wg_stats_collect(&e_live, &f, q->from, q->to, q->by, q->child_len, NULL, 0, 0, &a,
                                  &err),
                 WG_OK);
        T_EQ_INT(wg_stats_collect(&e_fresh, &f, q->from, q->to, q->by, q->child_len, NULL, 0, 0, &b,
                                  &err),
                 WG_OK);
        T_EQ_INT(wg_stats_collect(&e_fresh, &f, q->from, q->to, q->by, q->child_len, NULL, 0, 1, &c,
                                  &err),
                 WG_OK);
        rsum(&w->r, &f, q->from, q->to, q->by, q->child_len, &want);
        if (!want.n)
            fprintf(stderr, "case %zu: nothing in the recount\n", i);
        T_CHECK(want.n > 0);
        if (!same(&a, &want) || !same(&b, &want) || !same(&c, &want))
            fprintf(stderr, "case %zu differs from the recount\n", i);
        T_CHECK(same(&a, &want));
        T_CHECK(same(&b, &want));
        T_CHECK(same(&c, &want));
        wg_stats_groups_release(&a);
        wg_stats_groups_release(&b);
        wg_stats_groups_release(&c);
        wg_stats_groups_release(&want);
    }
}

/* A daily series from the roll-ups equals the cells' one, point by point. */
static void recount_series(struct recount_world *w)
{
    struct wg_err err = {0};
    struct wg_stats_env e_live = {w->db, w->live, &w->ord.cat, w->now};
    int today = wg_cst_day(w->now);
    int starts[70];
    for (int d = 0; d < 70; d++)
        starts[d] = today - 69 + d;
    struct wg_stat_filter town = {"371302001", 0, 0, "", "", ""};
    struct wg_stats_groups sa = {0}, sb = {0};
    T_EQ_INT(wg_stats_collect(&e_live, &town, today - 69, today, WG_BY_NONE, 0, starts, 70, 0, &sa,
                              &err),
             WG_OK);
    T_EQ_INT(wg_stats_collect(&e_live, &town, today - 69, today, WG_BY_NONE, 0, starts, 70, 1, &sb,
                              &err),
             WG_OK);
    T_CHECK(same(&sa, &sb));
    wg_stats_groups_release(&sa);
    wg_stats_groups_release(&sb);
}

/* The whole log folded: the rows are the cells summed, and a cube built from them alone
 * answers as the cells do. */
static void recount_fold_all(struct recount_world *w, const struct query_case *cases, size_t n)
{
    struct wg_err err = {0};
    check_rolls(w->dir, w->db);
    struct wg_stats_cube *folded_cube = wg_stats_cube_new();
    struct wg_stats_env e_folded = {w->db, folded_cube, &w->ord.cat, w->now};
    T_EQ_INT(wg_stats_cube_refresh(folded_cube, w->db, &err), WG_OK);
    for (size_t i = 0; i < n; i++) {
        const struct query_case *q = &cases[i];
        struct wg_stat_filter f = {q->leaf, 0, 0, q->unit, q->item, q->channel};
        struct wg_stats_groups a = {0}, c = {0};
        T_EQ_INT(wg_stats_collect(&e_folded, &f, q->from, q->to, q->by, q->child_len, NULL, 0, 0,
                                  &a, &err),
                 WG_OK);
        T_EQ_INT(wg_stats_collect(&e_folded, &f, q->from, q->to, q->by, q->child_len, NULL, 0, 1,
                                  &c, &err),
                 WG_OK);
        T_CHECK(same(&a, &c));
        wg_stats_groups_release(&a);
        wg_stats_groups_release(&c);
    }
    wg_stats_cube_free(folded_cube);
}

static void recount_close(struct recount_world *w)
{
    free(w->r.v);
    wg_stats_cube_free(w->live);
    wg_stats_cube_free(w->fresh);
    t_county_close(w->dir, w->st, w->db, &w->ord, w->loc);
}

static void test_recount(void)
{
    struct recount_world w;
    struct query_case cases[NQUERY_CASES];
    recount_open(&w);
    recount_drive(&w);
    recount_cells(&w);
    recount_fold_part(&w);
    query_cases(wg_cst_day(w.now), cases);
    recount_queries(&w, cases, NQUERY_CASES);
    recount_series(&w);
    recount_fold_all(&w, cases, NQUERY_CASES);
    recount_close(&w);
}

int main(void)
{
    test_formulas();
    test_deltas();
    test_contact_deltas();
    test_log_before_contact();
    test_recount();
    return T_DONE("stats");
}
