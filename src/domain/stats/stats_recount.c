/* The recount of the counter cells (stats_recount.h): timelines replayed through
 * wg_stats_deltas into a table of cells, compared with the store's, differences written as
 * changes. */
#include "domain/stats/stats_recount.h"

#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/map/region.h"
#include "domain/orders/order_replay.h"
#include "store/orders/orders_q.h"

#define PAGE      500 /* orders read at a time */
#define BATCH     500 /* cells corrected per transaction, by default */
#define FOLD_ROWS 2000

/* ---- the recount's cells: open addressing over (day, leaf, unit, item, channel) ---- */

struct rcell {
    int day, used, seen;
    char leaf[24], unit[64], item[16], channel[16];
    long long c[WG_SC_COUNT];
};

struct cells {
    struct rcell *v;
    size_t cap, n;
};

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return (h ^ '\t') * 0x100000001b3ull;
}

static uint64_t cell_hash(int day, const char *leaf, const char *unit, const char *item,
                          const char *channel)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(unsigned)day * 0x9e3779b97f4a7c15ull;
    h = hash_str(hash_str(hash_str(hash_str(h, leaf), unit), item), channel);
    return h ^ h >> 29;
}

static struct rcell *find(struct cells *t, int day, const char *leaf, const char *unit,
                          const char *item, const char *channel, int make)
{
    if (make && (t->n + 1) * 2 > t->cap) {
        struct cells g = {wg_calloc(t->cap ? t->cap * 2 : 4096, sizeof *g.v),
                          t->cap ? t->cap * 2 : 4096, 0};
        for (size_t i = 0; i < t->cap; i++) {
            struct rcell *x = &t->v[i];
            if (!x->used)
                continue;
            size_t j = cell_hash(x->day, x->leaf, x->unit, x->item, x->channel) & (g.cap - 1);
            while (g.v[j].used)
                j = (j + 1) & (g.cap - 1);
            g.v[j] = *x;
            g.n++;
        }
        free(t->v);
        *t = g;
    }
    if (!t->cap)
        return NULL;
    for (size_t i = cell_hash(day, leaf, unit, item, channel) & (t->cap - 1);;
         i = (i + 1) & (t->cap - 1)) {
        struct rcell *x = &t->v[i];
        if (!x->used) {
            if (!make)
                return NULL;
            x->used = 1;
            x->day = day;
            snprintf(x->leaf, sizeof x->leaf, "%s", leaf);
            snprintf(x->unit, sizeof x->unit, "%s", unit);
            snprintf(x->item, sizeof x->item, "%s", item);
            snprintf(x->channel, sizeof x->channel, "%s", channel);
            t->n++;
            return x;
        }
        if (x->day == day && !strcmp(x->leaf, leaf) && !strcmp(x->unit, unit) &&
            !strcmp(x->item, item) && !strcmp(x->channel, channel))
            return x;
    }
}

static int any_count(const long long *c)
{
    for (int i = 0; i < WG_SC_COUNT; i++)
        if (c[i])
            return 1;
    return 0;
}

/* ---- one order's timeline, replayed ---- */

struct replay {
    const struct wg_order_env *env;
    const struct wg_recount_opts *o;
    const struct wg_order_row *row;
    struct cells *cells;
    enum wg_order_state state;
    char unit[64], sat[24];
    struct wg_order_facts f;
    struct wg_order_past past;
    long long events;
    int created_day, bad;
};

/* The change's deltas added to the recount's cells of the days recounted. */
static void count(struct replay *r, const struct wg_stats_change *ch)
{
    struct wg_stats_delta d[WG_STATS_MAX_DELTAS];
    int n = wg_stats_deltas(ch, d);
    for (int i = 0; i < n; i++) {
        if (d[i].day < r->o->from || d[i].day > r->o->to)
            continue;
        struct rcell *x = find(r->cells, d[i].day, ch->leaf, d[i].unit, ch->item, ch->channel, 1);
        for (int c = 0; c < WG_SC_COUNT; c++)
            x->c[c] += d[i].c[c];
    }
}

/* What an action changed of the facts the counters read, as order_actions.c and
 * apply_effects (order_act.c) change them; the state machine's effects as its step gave
 * them, read back from the states the event records. */
static unsigned step_facts(struct replay *r, enum wg_order_action act, const json_t *body,
                           enum wg_order_state to, long long t, struct wg_stats_change *ch)
{
    struct wg_order_facts *f = &r->f;
    unsigned effects = 0;
    int back = to == WG_STATE_RECEIVED || to == WG_STATE_DISPATCHED;
    const char *sat = json_string_value(json_object_get(body, "satisfaction"));
    json_t *reached = json_object_get(body, "reached");
    enum wg_satisfaction s = WG_SAT_NONE;
    if (sat && wg_fsm_satisfaction_parse(sat, &s, NULL))
        s = WG_SAT_NONE;
    switch (act) {
    case WG_ACTION_DISPATCH: {
        const char *u = json_string_value(json_object_get(body, "unit"));
        struct wg_err e = {0};
        snprintf(r->unit, sizeof r->unit, "%s", u ? u : "");
        f->dispatched_at = t;
        f->contacted_at = 0;
        if (wg_order_deadlines(r->env, r->row, t, &f->sign_deadline, &f->reply_deadline,
                               &f->contact_deadline, &e))
            r->bad = 1;
        break;
    }
    case WG_ACTION_APPROVE_RETURN:
        r->unit[0] = '\0';
        f->dispatched_at = f->sign_deadline = f->reply_deadline = 0;
        f->contact_deadline = f->contacted_at = 0;
        break;
    case WG_ACTION_APPROVE_EXTENSION: {
        int64_t d = 0;
        json_t *days = json_object_get(body, "days");
        if (f->reply_deadline && r->env->calendar && json_is_integer(days))
            wg_calendar_extend(r->env->calendar, f->reply_deadline, (int)json_integer_value(days),
                               &d, NULL);
        if (d)
            f->reply_deadline = d;
        break;
    }
    case WG_ACTION_CONTACT: {
        json_t *at = json_object_get(body, "at");
        long long when = at ? wg_order_contact_time(json_string_value(at)) : t;
        if (!f->contacted_at && when >= 0)
            f->contacted_at = when;
        break;
    }
    case WG_ACTION_VERIFY:
        if (!json_is_true(json_object_get(body, "passed")))
            effects |= WG_FSM_REWORK;
        break;
    case WG_ACTION_CALLBACK:
        ch->reached = !reached || json_is_true(reached);
        if (ch->reached && back)
            effects |= WG_FSM_REOPENED;
        break;
    case WG_ACTION_RATE: /* where it stood as the callback, it moved the order */
        ch->reached = to != r->state;
        if (ch->reached)
            effects |= WG_FSM_CALLED_BACK | (back ? WG_FSM_REOPENED : 0);
        break;
    case WG_ACTION_REOPEN:
        effects |= WG_FSM_REOPENED;
        break;
    default:
        break;
    }
    ch->satisfaction = ch->reached ? s : WG_SAT_NONE;
    if (ch->reached && s != WG_SAT_NONE)
        snprintf(f->satisfaction, sizeof f->satisfaction, "%s", wg_fsm_satisfaction_name(s));
    if (effects & WG_FSM_REWORK)
        f->rework_count++;
    if (effects & WG_FSM_REOPENED)
        f->reopened = 1;
    return effects;
}

static void state_of(enum wg_order_state st, const char *unit, const struct wg_order_facts *f,
                     const char *sat, struct wg_stats_state *out)
{
    *out = (struct wg_stats_state){st,
                                   unit,
                                   f->sign_deadline,
                                   f->reply_deadline,
                                   f->dispatched_at,
                                   f->rework_count,
                                   f->reopened,
                                   sat,
                                   f->contact_deadline,
                                   f->contacted_at};
}

static int replay_event(const struct wg_order_event_row *e, void *ctx)
{
    struct replay *r = ctx;
    const struct wg_order_row *o = r->row;
    enum wg_order_action act;
    enum wg_order_state to;
    long long t = wg_civil_time_of_iso(e->at);
    struct wg_stats_change ch = {.leaf = o->grid[0] ? o->grid : o->county,
                                 .item = o->item,
                                 .channel = o->channel,
                                 .created_day = r->created_day,
                                 .at = t};
    r->events++;
    if (!strcmp(e->action, "create")) {
        ch.create = 1;
        ch.at = wg_civil_time_of_iso(o->created_at);
        ch.after = (struct wg_stats_state){.state = WG_STATE_RECEIVED, .unit = ""};
        count(r, &ch);
        r->state = WG_STATE_RECEIVED;
        wg_order_past_step(&r->past, e);
        return 0;
    }
    /* only the state machine's actions count; attachments and the like do not */
    if (!e->to_state || !*e->to_state || wg_fsm_action_parse(e->action, &act, NULL) ||
        wg_fsm_state_parse(e->to_state, &to, NULL) || t < 0) {
        wg_order_past_step(&r->past, e);
        return 0;
    }
    json_t *body = e->detail && e->detail[0] ? json_loads(e->detail, 0, NULL) : NULL;
    json_t *resolved = json_object_get(body, "resolved");
    const struct wg_order_facts f0 = r->f;
    char unit0[64], sat0[24];
    enum wg_order_state from = r->state;
    if (e->from_state && *e->from_state)
        wg_fsm_state_parse(e->from_state, &from, NULL);
    snprintf(unit0, sizeof unit0, "%s", r->unit);
    snprintf(sat0, sizeof sat0, "%s", r->f.satisfaction);
    r->state = from;
    ch.action = act;
    ch.effects = step_facts(r, act, body, to, t, &ch);
    ch.resolved = json_is_boolean(resolved) ? json_is_true(resolved) : -1;
    if (to == WG_STATE_REPLIED && f0.dispatched_at)
        ch.handling_minutes = wg_order_handling_minutes(r->env, f0.dispatched_at, t);
    ch.past = r->past.p;
    state_of(from, unit0, &f0, sat0, &ch.before);
    state_of(to, r->unit, &r->f, r->f.satisfaction, &ch.after);
    count(r, &ch);
    r->state = to;
    json_decref(body);
    wg_order_past_step(&r->past, e);
    return 0;
}

/* The contributions' deltas telescope: the replay's last state is what they leave. An order
 * whose replay ends elsewhere than it stands has drifted (a catalog or calendar changed). */
static enum wg_rc replay_order(struct wg_db *db, struct replay *r, struct wg_recount_report *rep,
                               struct wg_err *err)
{
    struct wg_order_facts now;
    enum wg_rc rc;
    r->created_day = wg_cst_day_of_iso(r->row->created_at);
    wg_order_past_init(&r->past);
    if ((rc = wg_store_order_events(db, r->row->id, replay_event, r, err)) ||
        (rc = wg_store_order_facts(db, r->row->id, &now, err)))
        return rc;
    rep->orders++;
    if (r->bad || strcmp(wg_fsm_state_name(r->state), r->row->state) ||
        strcmp(r->unit, r->row->unit) || now.reply_deadline != r->f.reply_deadline ||
        now.contact_deadline != r->f.contact_deadline) {
        if (!rep->drifted++)
            rep->first_drifted = r->row->id;
    }
    return WG_OK;
}

/* ---- reading: the orders in creation order, then the store's cells ---- */

struct page {
    struct wg_order_row v[PAGE];
    int n;
};

static int take_row(const struct wg_order_row *o, void *ctx)
{
    struct page *p = ctx;
    struct wg_order_row *x = &p->v[p->n++];
    *x = *o;
    x->title = x->content = x->address = x->reporter_name = x->reporter_phone = NULL;
    x->reporter_phone_blind = NULL;
    return 0;
}

static enum wg_rc replay_all(struct wg_db *db, const struct wg_order_env *env,
                             const struct wg_recount_opts *o, struct cells *cells,
                             struct wg_recount_report *rep, struct wg_err *err)
{
    struct wg_order_filter f = {0};
    struct wg_desk_stream s = {WG_DESK_ALL, "", ""};
    struct page *p = wg_malloc(sizeof *p);
    char last[32] = "";
    long long last_id = 0;
    enum wg_rc rc = WG_OK;
    for (int more = 1; more && !rc;) {
        struct wg_desk_at at = {0, last, last_id};
        p->n = 0;
        if ((rc = wg_store_order_desk(db, &f, &s, WG_DESK_BY_OLD, &at, PAGE, take_row, p, err)))
            break;
        more = p->n == PAGE;
        for (int i = 0; i < p->n && !rc; i++) {
            if (wg_cst_day_of_iso(p->v[i].created_at) > o->to) { /* after the days recounted */
                more = 0;
                break;
            }
            struct replay r = {.env = env, .o = o, .row = &p->v[i], .cells = cells};
            rc = replay_order(db, &r, rep, err);
            rep->events += r.events;
        }
        if (p->n) {
            snprintf(last, sizeof last, "%s", p->v[p->n - 1].created_at);
            last_id = p->v[p->n - 1].id;
        }
    }
    free(p);
    return rc;
}

/* A correction: the cell as stored and as recounted. */
struct fix {
    int day;
    char leaf[24], unit[64], item[16], channel[16];
    long long had[WG_SC_COUNT], want[WG_SC_COUNT];
};

struct fixes {
    struct fix *v;
    size_t n, cap;
    struct cells *cells;
    struct wg_recount_report *rep;
};

static void add_fix(struct fixes *x, int day, const char *leaf, const char *unit, const char *item,
                    const char *channel, const long long *had, const long long *want)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 256;
        x->v = wg_realloc(x->v, x->cap * sizeof *x->v);
    }
    struct fix *f = &x->v[x->n++];
    f->day = day;
    snprintf(f->leaf, sizeof f->leaf, "%s", leaf);
    snprintf(f->unit, sizeof f->unit, "%s", unit);
    snprintf(f->item, sizeof f->item, "%s", item);
    snprintf(f->channel, sizeof f->channel, "%s", channel);
    memcpy(f->had, had, sizeof f->had);
    memcpy(f->want, want, sizeof f->want);
    for (int c = 0; c < WG_SC_COUNT; c++)
        x->rep->counters[c] += had[c] != want[c];
}

static int compare_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct fixes *x = ctx;
    static const long long zero[WG_SC_COUNT];
    struct rcell *r = find(x->cells, c->day, c->leaf, c->unit, c->item, c->channel, 0);
    x->rep->cells_stored++;
    if (r)
        r->seen = 1;
    if (r ? memcmp(r->c, c->c, sizeof r->c) != 0 : any_count(c->c))
        add_fix(x, c->day, c->leaf, c->unit, c->item, c->channel, c->c, r ? r->c : zero);
    return 0;
}

static int fix_order(const void *a, const void *b)
{
    const struct fix *x = a, *y = b;
    int d;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if ((d = strcmp(x->leaf, y->leaf)) || (d = strcmp(x->unit, y->unit)) ||
        (d = strcmp(x->item, y->item)))
        return d;
    return strcmp(x->channel, y->channel);
}

/* The cells that differ: the store's against the recount's, then the recount's the store
 * lacks. */
static enum wg_rc differences(struct wg_db *db, const struct wg_recount_opts *o, struct fixes *x,
                              struct wg_err *err)
{
    static const long long zero[WG_SC_COUNT];
    struct wg_stat_filter all = {"", o->from, o->to, "", "", ""};
    enum wg_rc rc = wg_store_stat_cells(db, &all, compare_cell, x, err);
    for (size_t i = 0; !rc && i < x->cells->cap; i++) {
        struct rcell *r = &x->cells->v[i];
        if (r->used && any_count(r->c))
            x->rep->cells_recounted++;
        if (r->used && !r->seen && any_count(r->c))
            add_fix(x, r->day, r->leaf, r->unit, r->item, r->channel, zero, r->c);
    }
    if (!rc && x->n)
        qsort(x->v, x->n, sizeof *x->v, fix_order);
    x->rep->cells_differing = (long long)x->n;
    return rc;
}

/* ---- writing: the differences as changes, a batch a transaction ---- */

static enum wg_rc write_batch(struct wg_db *db, const struct fix *v, size_t n, long long *expect,
                              struct wg_err *err)
{
    long long lo = 0, hi = 0;
    enum wg_rc rc = wg_store_stat_log_bounds(db, &lo, &hi, err);
    if (rc)
        return rc;
    if (hi != *expect)
        return wg_err_set(err, WG_ECONFLICT,
                          "the counters changed while they were recounted (the change log "
                          "moved from %lld to %lld): stop the servers and run the recount "
                          "again; the cells corrected so far are right",
                          *expect, hi);
    for (size_t i = 0; i < n && !rc; i++) {
        struct wg_stats_change ch = {.leaf = v[i].leaf, .item = v[i].item, .channel = v[i].channel};
        struct wg_stats_delta d = {v[i].day, v[i].unit, {0}};
        char text[512];
        for (int c = 0; c < WG_SC_COUNT; c++)
            d.c[c] = v[i].want[c] - v[i].had[c];
        struct wg_stat_cell cell = {d.day, ch.leaf, d.unit, ch.item, ch.channel, {0}};
        memcpy(cell.c, d.c, sizeof cell.c);
        wg_stats_log_text(&ch, &d, 1, text, sizeof text);
        if (!(rc = wg_store_stat_add(db, &cell, err)))
            rc = wg_store_stat_log(db, (long long)time(NULL), text, err);
    }
    /* the rows just written: the log's end the next batch expects */
    if (!rc)
        rc = wg_store_stat_log_bounds(db, &lo, expect, err);
    return rc;
}

static enum wg_rc write_fixes(struct wg_db *db, const struct wg_recount_opts *o,
                              const struct fixes *x, long long expect,
                              struct wg_recount_report *rep, struct wg_err *err)
{
    size_t batch = o->batch > 0 ? (size_t)o->batch : BATCH;
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; i < x->n && !rc; i += batch) {
        size_t n = x->n - i < batch ? x->n - i : batch;
        if ((rc = wg_db_begin(db, err)))
            break;
        if ((rc = write_batch(db, x->v + i, n, &expect, err)) || (rc = wg_db_commit(db, err))) {
            wg_db_rollback(db);
            break;
        }
        rep->cells_written += (long long)n;
        rep->transactions++;
    }
    /* the roll-ups take the corrections in as a server's minute sweep does */
    for (int folded = FOLD_ROWS; !rc && folded >= FOLD_ROWS;) {
        if ((rc = wg_db_begin(db, err)))
            break;
        if ((rc = wg_stats_roll_fold(db, FOLD_ROWS, &folded, err)) || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    return rc;
}

/* ---- the roll-ups: after the log is folded, the rows of the days recounted against the
 * cells summed as wg_stats_rolls_of sums them (a cell changed by hand, not through the log,
 * left them apart) ---- */

struct rrow {
    int day, view, used, seen;
    char node[16], dim[64];
    long long c[WG_SC_COUNT];
};

struct rolls {
    struct rrow *v;
    size_t cap, n;
    const struct wg_recount_opts *o;
    struct wg_stat_roll *fix; /* the differences, with their texts in fixtext */
    char (*fixtext)[2][64];
    size_t nfix, capfix;
    struct wg_recount_report *rep;
};

static struct rrow *roll_find(struct rolls *t, int day, int view, const char *node, const char *dim,
                              int make)
{
    if (make && (t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        struct rrow *v = wg_calloc(cap, sizeof *v);
        for (size_t i = 0; i < t->cap; i++)
            if (t->v[i].used) {
                const struct rrow *x = &t->v[i];
                size_t j = cell_hash(x->day, x->node, x->dim, "", "") ^ (uint64_t)x->view;
                for (j &= cap - 1; v[j].used; j = (j + 1) & (cap - 1))
                    ;
                v[j] = *x;
            }
        free(t->v);
        t->v = v;
        t->cap = cap;
    }
    if (!t->cap)
        return NULL;
    size_t i = (cell_hash(day, node, dim, "", "") ^ (uint64_t)view) & (t->cap - 1);
    for (;; i = (i + 1) & (t->cap - 1)) {
        struct rrow *x = &t->v[i];
        if (!x->used) {
            if (!make)
                return NULL;
            *x = (struct rrow){day, view, 1, 0, "", "", {0}};
            snprintf(x->node, sizeof x->node, "%s", node);
            snprintf(x->dim, sizeof x->dim, "%s", dim);
            t->n++;
            return x;
        }
        if (x->day == day && x->view == view && !strcmp(x->node, node) && !strcmp(x->dim, dim))
            return x;
    }
}

static int sum_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct rolls *t = ctx;
    struct wg_stat_roll r[4];
    char town[WG_CODE_LEN_TOWN + 1], county[WG_CODE_LEN_COUNTY + 1];
    int n = wg_stats_rolls_of(c, r, town, county);
    for (int k = 0; k < n; k++) {
        struct rrow *x = roll_find(t, r[k].day, r[k].view, r[k].node, r[k].dim, 1);
        for (int j = 0; j < WG_SC_COUNT; j++)
            x->c[j] += r[k].c[j];
    }
    return 0;
}

static void roll_fix(struct rolls *t, int day, int view, const char *node, const char *dim,
                     const long long *had, const long long *want)
{
    if (t->nfix == t->capfix) {
        t->capfix = t->capfix ? t->capfix * 2 : 256;
        t->fix = wg_realloc(t->fix, t->capfix * sizeof *t->fix);
        t->fixtext = wg_realloc(t->fixtext, t->capfix * sizeof *t->fixtext);
    }
    struct wg_stat_roll *f = &t->fix[t->nfix];
    snprintf(t->fixtext[t->nfix][0], sizeof t->fixtext[0][0], "%s", node);
    snprintf(t->fixtext[t->nfix][1], sizeof t->fixtext[0][1], "%s", dim);
    *f = (struct wg_stat_roll){day, NULL, view, NULL, {0}};
    for (int j = 0; j < WG_SC_COUNT; j++)
        f->c[j] = want[j] - had[j];
    t->nfix++;
}

static int compare_roll(const struct wg_stat_roll *r, void *ctx)
{
    struct rolls *t = ctx;
    static const long long zero[WG_SC_COUNT];
    if (r->day < t->o->from || r->day > t->o->to)
        return 0;
    struct rrow *x = roll_find(t, r->day, r->view, r->node, r->dim, 0);
    if (x)
        x->seen = 1;
    if (x ? memcmp(x->c, r->c, sizeof x->c) != 0 : any_count(r->c))
        roll_fix(t, r->day, r->view, r->node, r->dim, r->c, x ? x->c : zero);
    return 0;
}

static enum wg_rc fix_rolls(struct wg_db *db, const struct wg_recount_opts *o,
                            struct wg_recount_report *rep, struct wg_err *err)
{
    static const long long zero[WG_SC_COUNT];
    struct wg_stat_filter all = {"", o->from, o->to, "", "", ""};
    struct rolls t = {.o = o, .rep = rep};
    size_t batch = o->batch > 0 ? (size_t)o->batch : BATCH;
    enum wg_rc rc;
    if (!(rc = wg_db_begin_read(db, err))) {
        if (!(rc = wg_store_stat_cells(db, &all, sum_cell, &t, err)))
            rc = wg_store_stat_rolls(db, compare_roll, &t, err);
        wg_db_rollback(db);
    }
    for (size_t i = 0; !rc && i < t.cap; i++)
        if (t.v[i].used && !t.v[i].seen && any_count(t.v[i].c))
            roll_fix(&t, t.v[i].day, t.v[i].view, t.v[i].node, t.v[i].dim, zero, t.v[i].c);
    rep->rolls_differing = (long long)t.nfix;
    for (size_t i = 0; !rc && i < t.nfix; i += batch) {
        if ((rc = wg_db_begin(db, err)))
            break;
        for (size_t k = i; k < t.nfix && k < i + batch && !rc; k++) {
            t.fix[k].node = t.fixtext[k][0];
            t.fix[k].dim = t.fixtext[k][1];
            rc = wg_store_stat_roll_add(db, &t.fix[k], err);
        }
        if (rc || (rc = wg_db_commit(db, err))) {
            wg_db_rollback(db);
            break;
        }
        rep->transactions++;
    }
    free(t.v);
    free(t.fix);
    free(t.fixtext);
    return rc;
}

enum wg_rc wg_stats_recount(struct wg_db *db, const struct wg_order_env *env,
                            const struct wg_recount_opts *o, struct wg_recount_report *rep,
                            struct wg_err *err)
{
    struct cells cells = {0};
    struct fixes x = {NULL, 0, 0, &cells, rep};
    long long lo = 0, hi = 0;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    if (o->from > o->to)
        return wg_err_set(err, WG_EINVAL, "the first day recounted is after the last");
    if ((rc = wg_db_begin_read(db, err)))
        return rc;
    if (!(rc = wg_store_stat_log_bounds(db, &lo, &hi, err)) &&
        !(rc = replay_all(db, env, o, &cells, rep, err)))
        rc = differences(db, o, &x, err);
    wg_db_rollback(db);
    free(cells.v);
    for (size_t i = 0; !rc && o->differs && i < x.n; i++) {
        struct wg_stat_cell a = {x.v[i].day,  x.v[i].leaf,    x.v[i].unit,
                                 x.v[i].item, x.v[i].channel, {0}};
        struct wg_stat_cell b = a;
        memcpy(a.c, x.v[i].had, sizeof a.c);
        memcpy(b.c, x.v[i].want, sizeof b.c);
        o->differs(&a, &b, o->ctx);
    }
    if (!rc && o->read)
        o->read(o->ctx);
    if (!rc && !o->dry_run)
        rc = write_fixes(db, o, &x, hi, rep, err);
    if (!rc && !o->dry_run)
        rc = fix_rolls(db, o, rep, err);
    free(x.v);
    return rc;
}
