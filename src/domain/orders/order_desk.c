/* The desks at a province's scale: a list of orders read as streams, each one index range in
 * the list's own order from a keyset cursor (store/orders/orders_q.h), merged here into one
 * page; its totals counted up to a cap; each row with its deadline and the working time left.
 * A page costs the same at the ten-millionth order as at the first (bench/desks). */
#include "domain/orders/order_ctx.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/param.h"
#include "domain/map/region.h"
#include "store/orders/orders_q.h"

/* Totals are counted up to this many rows; past it they say so (total_exact false). */
#define TOTAL_CAP   1000
#define MAX_STREAMS (2 * WG_STATE_COUNT * 3)

enum sort { SORT_DEADLINE, SORT_URGENCY, SORT_NEWEST, SORT_AGE };
static const char *const sort_names[] = {"deadline", "urgency", "newest", "age", NULL};
static const char sort_letters[] = "duna";
/* urgencies in their rank: the most urgent first */
static const char *const ranked[] = {"critical", "urgent", "normal"};

/* ---- remaining working time ---- */
void wg_order_remaining(const struct wg_calendar *cal, const char *urgency, long long deadline,
                        long long now, struct wg_remaining *out)
{
    long long a = now < deadline ? now : deadline, b = now < deadline ? deadline : now;
    long long m = -1, day;
    memset(out, 0, sizeof *out);
    out->overdue = now > deadline;
    out->natural = !cal || !strcmp(urgency, "urgent") || !strcmp(urgency, "critical");
    if (!out->natural && (m = wg_calendar_working_minutes_between(cal, a, b)) < 0)
        out->natural = 1; /* a year with no table: natural time, as the light does */
    if (out->natural)
        m = (b - a) / 60;
    day = out->natural ? 1440 : wg_calendar_day_minutes(cal);
    out->minutes = m;
    out->days = (int)(m / day);
    out->hours = (int)(m % day / 60);
}

void wg_order_remaining_json(const struct wg_calendar *cal, const char *urgency, long long deadline,
                             long long now, json_t *j)
{
    struct wg_remaining r;
    char iso[32];
    wg_clock_iso(deadline, iso);
    wg_order_remaining(cal, urgency, deadline, now, &r);
    json_object_set_new(j, "deadline", json_string(iso));
    json_object_set_new(j, "remaining",
                        json_pack("{s:I,s:i,s:i,s:b,s:b}", "minutes", (json_int_t)r.minutes, "days",
                                  r.days, "hours", r.hours, "overdue", r.overdue, "working",
                                  !r.natural));
}

/* ---- cursors: "1|sort|rank|due|id|created_at|fingerprint" in base64url ---- */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void wg_desk_cursor_encode(const struct wg_desk_cursor *c, char *out, size_t n)
{
    char raw[128];
    int len = snprintf(raw, sizeof raw, "1|%c|%d|%lld|%lld|%s|%08x", c->sort, c->rank, c->due,
                       c->id, c->created_at, c->fingerprint);
    size_t o = 0;
    for (int i = 0; i < len && o + 4 < n; i += 3) {
        unsigned v = (unsigned char)raw[i] << 16;
        int k = len - i;
        if (k > 1)
            v |= (unsigned char)raw[i + 1] << 8;
        if (k > 2)
            v |= (unsigned char)raw[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        if (k > 1)
            out[o++] = b64[v >> 6 & 63];
        if (k > 2)
            out[o++] = b64[v & 63];
    }
    out[o] = '\0';
}

static int b64_value(char ch)
{
    const char *p = ch ? strchr(b64, ch) : NULL;
    return p ? (int)(p - b64) : -1;
}

static enum wg_rc bad_cursor(struct wg_err *err, const char *why)
{
    return wg_err_set(err, WG_EINVAL, "'cursor' %s; pass the next_cursor of the page before", why);
}

enum wg_rc wg_desk_cursor_decode(const char *text, struct wg_desk_cursor *c, struct wg_err *err)
{
    char raw[128], sort, created[40];
    size_t len = strlen(text), o = 0;
    int rank, used = 0;
    long long due, id;
    unsigned fp;
    memset(c, 0, sizeof *c);
    if (len == 0 || len > 160 || len % 4 == 1)
        return bad_cursor(err, "is not a cursor of this list");
    for (size_t i = 0; i < len; i += 4) {
        unsigned v = 0;
        size_t k = len - i < 4 ? len - i : 4;
        for (size_t j = 0; j < 4; j++) {
            int x = j < k ? b64_value(text[i + j]) : 0;
            if (x < 0)
                return bad_cursor(err, "holds a character a cursor never has");
            v = v << 6 | (unsigned)x;
        }
        raw[o++] = (char)(v >> 16);
        if (k > 2)
            raw[o++] = (char)(v >> 8 & 255);
        if (k > 3)
            raw[o++] = (char)(v & 255);
    }
    raw[o] = '\0';
    if (strlen(raw) != o ||
        sscanf(raw, "1|%c|%d|%lld|%lld|%39[0-9T:.Z+-]|%8x%n", &sort, &rank, &due, &id, created, &fp,
               &used) != 6 ||
        (size_t)used != o || !strchr(sort_letters, sort) || rank < 0 || rank > 2 || id < 0 ||
        strlen(created) >= sizeof c->created_at)
        return bad_cursor(err, "is not a cursor of this list");
    c->sort = sort;
    c->rank = rank;
    c->due = due;
    c->id = id;
    snprintf(c->created_at, sizeof c->created_at, "%s", created);
    c->fingerprint = fp;
    return WG_OK;
}

/* FNV-1a over the list's filters, so that a cursor from another list is refused. */
static unsigned fingerprint(const struct wg_order_query *q, const struct wg_order_filter *f)
{
    const char *parts[] = {q->state, q->channel, q->item,      q->grid, q->phone,
                           q->since, q->until,   q->q,         f->unit, q->line,
                           q->light, f->scope,   q->supervised};
    unsigned h = 2166136261u;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        for (const char *s = parts[i] ? parts[i] : ""; *s; s++)
            h = (h ^ (unsigned char)*s) * 16777619u;
        h = (h ^ '|') * 16777619u;
    }
    return h;
}

/* ---- the page ---- */
struct drow {
    int rank;
    long long due, id;
    char created[32];
    json_t *j;
};

struct desk {
    const struct wg_order_env *env;
    long long now;
    int light; /* -1: any */
    enum sort sort;
    int rank; /* the stream's urgency rank */
    struct drow *rows;
    size_t n, cap;
    long long want, got, raw; /* per stream: rows wanted, kept, read in this batch */
    struct wg_desk_at last;   /* the last row read, to read on after it */
    char last_created[32];
};

static int rank_of(const char *urgency)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(ranked[i], urgency))
            return i;
    return 2;
}

static json_t *summary(const struct wg_order_env *env, const struct wg_order_row *o, int light,
                       long long now)
{
    json_t *j = wg_order_summary_json(env, o, light);
    if (o->due_at != WG_DUE_NONE)
        wg_order_remaining_json(env->calendar, o->urgency, o->due_at, now, j);
    return j;
}

static int take(const struct wg_order_row *o, void *ctx)
{
    struct desk *d = ctx;
    enum wg_order_state st;
    int light = -1;
    d->raw++;
    d->last.due = o->due_at;
    d->last.id = o->id;
    snprintf(d->last_created, sizeof d->last_created, "%s", o->created_at);
    if (!wg_fsm_state_parse(o->state, &st, NULL))
        light = wg_order_light(d->env, st, o->urgency, o->dispatched_at, o->reply_deadline, d->now);
    if (d->light >= 0 && light != d->light)
        return 0;
    wg_grow(&d->rows, &d->cap, d->n, sizeof *d->rows, 64);
    struct drow *r = &d->rows[d->n++];
    r->rank = d->sort == SORT_URGENCY ? d->rank : rank_of(o->urgency);
    r->due = o->due_at;
    r->id = o->id;
    snprintf(r->created, sizeof r->created, "%s", o->created_at);
    r->j = summary(d->env, o, light, d->now);
    return ++d->got >= d->want;
}

/* A stream's key (keys mode): the row is read once it is on the page. */
static int take_key(long long id, long long due, const char *created_at, void *ctx)
{
    struct desk *d = ctx;
    wg_grow(&d->rows, &d->cap, d->n, sizeof *d->rows, 64);
    struct drow *r = &d->rows[d->n++];
    r->rank = d->rank;
    r->due = due;
    r->id = id;
    snprintf(r->created, sizeof r->created, "%s", created_at);
    r->j = NULL;
    return ++d->got >= d->want;
}

static int cmp3(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

static int cmp_age(const void *pa, const void *pb)
{
    const struct drow *a = pa, *b = pb;
    int c = strcmp(a->created, b->created);
    return c ? c : cmp3(a->id, b->id);
}

static int cmp_newest(const void *pa, const void *pb)
{
    return cmp_age(pb, pa);
}

static int cmp_deadline(const void *pa, const void *pb)
{
    const struct drow *a = pa, *b = pb;
    int c = cmp3(a->due, b->due);
    return c ? c : cmp_age(pa, pb);
}

static int cmp_urgency(const void *pa, const void *pb)
{
    const struct drow *a = pa, *b = pb;
    int c = cmp3(a->rank, b->rank);
    return c ? c : cmp_deadline(pa, pb);
}

static int (*const cmps[])(const void *, const void *) = {cmp_deadline, cmp_urgency, cmp_newest,
                                                          cmp_age};

/* A page's plan: its streams, the order they are read in, where each starts. */
struct plan {
    struct wg_desk_stream s[MAX_STREAMS];
    int rank[MAX_STREAMS]; /* the urgency rank each stream reads (urgency order) */
    int n;
    int keyed; /* streams one per state: counted per state */
    enum wg_desk_order by;
    char states[WG_STATE_COUNT * 16];
    const char *state[WG_STATE_COUNT];
    int nstates;
};

/* The states asked for ("received,returning"), each once; none: *n 0. */
static enum wg_rc parse_states(const char *text, const char **out, int *n, struct wg_err *err)
{
    *n = 0;
    if (!text || !*text)
        return WG_OK;
    if (strlen(text) > 200)
        return wg_err_set(err, WG_EINVAL, "'state' is longer than 200 bytes");
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, ",");
        char one[24];
        enum wg_order_state st;
        snprintf(one, sizeof one, "%.*s", (int)(len < 23 ? len : 23), p);
        if (len > 20 || wg_fsm_state_parse(one, &st, NULL))
            return wg_err_set(err, WG_EINVAL, "'state' '%.20s' is not an order state", one);
        int seen = 0;
        for (int i = 0; i < *n; i++)
            seen |= !strcmp(out[i], wg_fsm_state_name(st));
        if (!seen)
            out[(*n)++] = wg_fsm_state_name(st);
        p += len;
        if (*p == ',' && !*++p)
            return wg_err_set(err, WG_EINVAL, "'state' ends with a comma");
    }
    return WG_OK;
}

static void add_stream(struct plan *p, enum wg_desk_kind kind, const char *state, int rank)
{
    p->s[p->n] = (struct wg_desk_stream){kind, state, rank >= 0 ? ranked[rank] : ""};
    p->rank[p->n++] = rank < 0 ? 0 : rank;
}

/* The streams of the list f asks for, in sort. */
static void make_plan(const struct wg_order_filter *f, const struct wg_order_query *q,
                      enum sort sort, struct plan *p)
{
    int split = sort == SORT_DEADLINE || sort == SORT_URGENCY;
    enum wg_desk_kind kind = WG_DESK_STATE;
    p->by = split ? WG_DESK_BY_DUE : sort == SORT_NEWEST ? WG_DESK_BY_NEW : WG_DESK_BY_OLD;
    if (f->phone_blind || (f->text && *f->text) ||
        (!p->nstates && !split && !(f->unit && *f->unit) && !f->supervised) ||
        (f->grid && *f->grid && wg_region_level(f->grid, NULL) == WG_LEVEL_GRID &&
         !(f->unit && *f->unit) && !f->supervised)) {
        /* one stream, filtering the states (and, in urgency order, one per urgency) */
        kind = f->phone_blind        ? WG_DESK_PHONE
               : f->text && *f->text ? WG_DESK_TEXT
               : f->grid && *f->grid && wg_region_level(f->grid, NULL) == WG_LEVEL_GRID
                   ? WG_DESK_GRID
                   : WG_DESK_ALL;
        if (sort == SORT_URGENCY)
            for (int r = 0; r < 3; r++)
                add_stream(p, kind, "", r);
        else
            add_stream(p, kind, "", -1);
        return;
    }
    if (!p->nstates) /* every state, for the keyed streams */
        for (int i = 0; i < WG_STATE_COUNT; i++)
            p->state[p->nstates++] = wg_fsm_state_name((enum wg_order_state)i);
    p->keyed = 1;
    kind = f->unit && *f->unit ? WG_DESK_UNIT : f->supervised ? WG_DESK_SUP : WG_DESK_STATE;
    (void)q;
    for (int r = 0; r < (split ? 3 : 1); r++)
        for (int i = 0; i < p->nstates; i++) {
            add_stream(p, kind, p->state[i], split ? r : -1);
            if (kind == WG_DESK_UNIT)
                add_stream(p, WG_DESK_ASSIST, p->state[i], split ? r : -1);
        }
}

/* Where stream i starts after cursor c (NULL: the first page); 0 when the cursor is past it. */
static int stream_start(const struct plan *p, int i, const struct wg_desk_cursor *c,
                        struct wg_desk_at *at)
{
    if (p->by == WG_DESK_BY_DUE)
        *at = (struct wg_desk_at){-1, "", 0};
    else if (p->by == WG_DESK_BY_NEW)
        *at = (struct wg_desk_at){0, "~", (long long)1 << 62};
    else
        *at = (struct wg_desk_at){0, "", 0};
    if (!c)
        return 1;
    if (c->sort == 'u') { /* urgency order: the ranks before the cursor's are read through */
        if (p->rank[i] < c->rank)
            return 0;
        if (p->rank[i] > c->rank)
            return 1;
    }
    *at = (struct wg_desk_at){c->due, c->created_at, c->id};
    return 1;
}

/* Reads stream i's rows after the cursor into d until it has d->want of them (or the stream
 * ends): a light worked out per row (green, yellow) may need more than one batch. */
static enum wg_rc read_stream(struct wg_db *db, const struct wg_order_filter *f,
                              const struct plan *p, int i, const struct wg_desk_cursor *c,
                              struct desk *d, struct wg_err *err)
{
    struct wg_desk_at at;
    enum wg_rc rc;
    if (!stream_start(p, i, c, &at))
        return WG_OK;
    d->got = 0;
    d->rank = p->rank[i];
    if (d->light != WG_LIGHT_GREEN && d->light != WG_LIGHT_YELLOW) /* the keys tell it all */
        return wg_store_order_desk_keys(db, f, &p->s[i], p->by, &at, d->want, take_key, d, err);
    for (;;) {
        d->raw = 0;
        if ((rc = wg_store_order_desk(db, f, &p->s[i], p->by, &at, d->want, take, d, err)))
            return rc;
        if (d->got >= d->want || d->raw < d->want)
            return WG_OK;
        at = (struct wg_desk_at){d->last.due, d->last_created, d->last.id};
    }
}

/* The totals: each stream counted up to what is left of the cap; per state for keyed ones. */
static enum wg_rc count_streams(struct wg_db *db, const struct wg_order_filter *f,
                                const struct plan *p, int light, json_t *out, struct wg_err *err)
{
    long long total = 0, n, per[WG_STATE_COUNT] = {0};
    /* green and yellow are worked out per order: their total counts the orders not yet red */
    int approx = light == WG_LIGHT_GREEN || light == WG_LIGHT_YELLOW, exact = 1;
    enum wg_rc rc;
    struct wg_desk_stream s;
    json_t *counts = json_object();
    int nc = p->keyed ? 3 * p->nstates * (p->s[0].kind == WG_DESK_UNIT ? 2 : 1) : 1;
    for (int i = 0; i < nc && exact; i++) {
        int st = p->keyed ? i % p->nstates : 0;
        int k = p->keyed ? i / p->nstates : 0;
        s = (struct wg_desk_stream){p->s[0].kind, p->keyed ? p->state[st] : "",
                                    p->keyed ? ranked[k % 3] : ""};
        if (p->keyed && k >= 3)
            s.kind = WG_DESK_ASSIST;
        if (total >= TOTAL_CAP) {
            exact = 0;
            break;
        }
        if ((rc = wg_store_order_desk_count(db, f, &s, TOTAL_CAP - total, &n, err))) {
            json_decref(counts);
            return rc;
        }
        total += n;
        per[st] += n;
        if (total >= TOTAL_CAP)
            exact = 0;
    }
    json_object_set_new(out, "total", json_integer(total));
    json_object_set_new(out, "total_exact", json_boolean(exact && !approx));
    if (p->keyed && exact && !approx)
        for (int i = 0; i < p->nstates; i++)
            json_object_set_new(counts, p->state[i], json_integer(per[i]));
    if (p->keyed && exact && !approx)
        json_object_set_new(out, "counts", counts);
    else
        json_decref(counts);
    return WG_OK;
}

/* The query's own parameters beside the filter: sort, supervised, view. */
static enum wg_rc desk_params(const struct wg_order_query *q, const struct wg_order_filter *f,
                              int light, int nstates, enum sort *sort, int *full,
                              struct wg_err *err)
{
    const char *sv = q->supervised ? q->supervised : "";
    const char *v = q->view ? q->view : "";
    int search = (f->text && *f->text) || f->phone_blind;
    *sort = (nstates || light >= 0 || f->supervised) && !search ? SORT_DEADLINE : SORT_NEWEST;
    if (q->sort && *q->sort) {
        int i = 0;
        while (sort_names[i] && strcmp(sort_names[i], q->sort))
            i++;
        if (!sort_names[i])
            return wg_err_set(err, WG_EINVAL,
                              "'sort' '%.20s' must be deadline, urgency, newest or age", q->sort);
        *sort = (enum sort)i;
    }
    if (*sv && strcmp(sv, "1") && strcmp(sv, "0") && strcmp(sv, "true") && strcmp(sv, "false"))
        return wg_err_set(err, WG_EINVAL, "'supervised' '%.20s' must be 1 or 0", sv);
    if (*v && strcmp(v, "summary") && strcmp(v, "full"))
        return wg_err_set(err, WG_EINVAL, "'view' '%.20s' must be summary or full", v);
    *full = !strcmp(v, "full");
    return WG_OK;
}

/* Keeps the states a light can have (the reply clock's), of those asked for. */
static void clocked_only(struct plan *p)
{
    static const char *const clocked[] = {"dispatched", "signed", "returning"};
    int n = 0;
    if (!p->nstates) {
        for (int i = 0; i < 3; i++)
            p->state[n++] = clocked[i];
    } else {
        for (int i = 0; i < p->nstates; i++)
            for (int k = 0; k < 3; k++)
                if (!strcmp(p->state[i], clocked[k]))
                    p->state[n++] = p->state[i];
        if (!n)
            p->nstates = -1; /* none can match */
    }
    if (p->nstates >= 0)
        p->nstates = n;
}

/* The page's rows read whole: each order's own answer (GET /api/v1/orders/{id}) without its
 * timeline when full, else its summary — for the rows read as keys (j NULL). */
static enum wg_rc page_rows(struct wg_db *db, const struct desk *d, const struct wg_actor *actor,
                            struct drow *rows, size_t n, int full, struct wg_err *err)
{
    enum wg_rc rc;
    for (size_t i = 0; i < n; i++) {
        json_t *j = NULL;
        if (full) {
            if ((rc = wg_order_json(db, d->env, actor, rows[i].id, 0, &j, err)) ||
                (rc = wg_order_add_duplicates(db, actor, rows[i].id, j, err))) {
                json_decref(j);
                return rc;
            }
        } else if (!rows[i].j) {
            struct wg_order_row o;
            enum wg_order_state st;
            int light = -1;
            if ((rc = wg_store_order_get(db, rows[i].id, &o, err)))
                return rc;
            o.due_at =
                o.reply_deadline && (!strcmp(o.state, "dispatched") || !strcmp(o.state, "signed") ||
                                     !strcmp(o.state, "returning"))
                    ? o.reply_deadline
                    : WG_DUE_NONE;
            if (!wg_fsm_state_parse(o.state, &st, NULL))
                light = wg_order_light(d->env, st, o.urgency, o.dispatched_at, o.reply_deadline,
                                       d->now);
            j = summary(d->env, &o, light, d->now);
            wg_store_order_release(&o);
        } else
            continue;
        json_decref(rows[i].j);
        rows[i].j = j;
    }
    return WG_OK;
}

static enum wg_rc read_page(struct wg_db *db, const struct wg_order_query *q,
                            struct wg_order_filter *f, struct plan *p, struct desk *d,
                            const struct wg_desk_cursor *cur, long long limit, int full,
                            const struct wg_actor *actor, json_t *out, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    json_t *arr = json_array();
    json_object_set_new(out, "orders", arr);
    if (p->nstates < 0) /* a light asked of states without one */
        return WG_OK;
    d->want = limit + 1;
    for (int i = 0; i < p->n && !rc; i++)
        rc = read_stream(db, f, p, i, cur, d, err);
    if (rc)
        return rc;
    if (d->n > 1) /* no rows may mean no array at all */
        qsort(d->rows, d->n, sizeof *d->rows, cmps[d->sort]);
    size_t page = d->n < (size_t)limit ? d->n : (size_t)limit;
    if ((rc = page_rows(db, d, actor, d->rows, page, full, err)))
        return rc;
    for (size_t i = 0; i < page; i++)
        json_array_append(arr, d->rows[i].j);
    if (d->n > (size_t)limit) {
        const struct drow *last = &d->rows[page - 1];
        struct wg_desk_cursor c = {sort_letters[d->sort], last->rank, last->due, last->id, "",
                                   fingerprint(q, f)};
        char text[200];
        snprintf(c.created_at, sizeof c.created_at, "%s", last->created);
        wg_desk_cursor_encode(&c, text, sizeof text);
        json_object_set_new(out, "next_cursor", json_string(text));
    }
    return WG_OK;
}

enum wg_rc wg_order_desk(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q, json_t **out,
                         struct wg_err *err)
{
    struct wg_order_query fq = *q;
    struct wg_order_filter f;
    struct wg_order_filter_text t;
    struct wg_desk_cursor cur;
    struct plan *p = wg_calloc(1, sizeof *p);
    struct desk d = {env, (long long)time(NULL), -1, SORT_NEWEST, 0, NULL, 0, 0, 0, 0, 0, {0}, ""};
    int full = 0, has_cursor = q->cursor && *q->cursor;
    json_t *o = json_object();
    enum wg_rc rc;
    fq.state = NULL; /* a list of states, read here */
    if ((rc = wg_order_build_filter(env->keys, actor, &fq, &f, &t, &d.light, d.now, err)) ||
        (rc = wg_order_check_unit(db, q, err)) ||
        (rc = parse_states(q->state, p->state, &p->nstates, err)))
        goto out;
    f.supervised = q->supervised && (!strcmp(q->supervised, "1") || !strcmp(q->supervised, "true"));
    if ((rc = desk_params(q, &f, d.light, p->nstates, &d.sort, &full, err)) ||
        (has_cursor && (rc = wg_desk_cursor_decode(q->cursor, &cur, err))))
        goto out;
    if (has_cursor && cur.sort != sort_letters[d.sort]) {
        rc = wg_err_set(err, WG_EINVAL, "'cursor' was made for sort=%s, not sort=%s",
                        sort_names[strchr(sort_letters, cur.sort) - sort_letters],
                        sort_names[d.sort]);
        goto out;
    }
    if (has_cursor && cur.fingerprint != fingerprint(q, &f)) {
        rc = wg_err_set(err, WG_EINVAL,
                        "'cursor' was made for another list (its filters differ); "
                        "start again without a cursor");
        goto out;
    }
    if (d.light >= 0)
        clocked_only(p);
    make_plan(&f, q, d.sort, p);
    if (!p->keyed && p->nstates > 0) { /* the single stream filters the states */
        size_t o2 = 0;
        p->states[o2++] = ',';
        for (int i = 0; i < p->nstates; i++)
            o2 += (size_t)snprintf(p->states + o2, sizeof p->states - o2, "%s,", p->state[i]);
        f.states = p->states;
    }
    json_object_set_new(o, "sort", json_string(sort_names[d.sort]));
    json_object_set_new(o, "limit", json_integer(f.limit));
    json_object_set_new(o, "next_cursor", json_null());
    if ((rc = read_page(db, q, &f, p, &d, has_cursor ? &cur : NULL, f.limit, full, actor, o, err)))
        goto out;
    if (p->nstates >= 0 && (rc = count_streams(db, &f, p, d.light, o, err)))
        goto out;
    if (p->nstates < 0) {
        json_object_set_new(o, "total", json_integer(0));
        json_object_set_new(o, "total_exact", json_true());
    }
    *out = o;
    o = NULL;
out:
    for (size_t i = 0; i < d.n; i++)
        json_decref(d.rows[i].j);
    free(d.rows);
    free(p);
    json_decref(o);
    return rc;
}
