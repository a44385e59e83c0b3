/* Leaders' 帮包 (sponsor.h): the month's ranking of grids by hotline orders from the
 * indicator counters, a leader assigned to a grid for some months, the list with each
 * place's trend, and the leader's progress notes. */
#include "domain/alerts/sponsor.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/accounts/pii.h"
#include "domain/notify/notify.h"
#include "domain/alerts/task.h"
#include "domain/stats/stats.h"
#include "store/accounts/accounts_q.h"
#include "store/alerts/sponsor_q.h"
#include "store/map/map_q.h"
#include "store/stats/stats_q.h"

const char *const wg_sponsor_fields[] = {"place", "leader", "month", "from", "to", "note", NULL};
const char *const wg_sponsor_note_fields[] = {"note", NULL};

static const char *const COMPOUND_NOTE =
    "the registry has no compound (小区) entity: grids are ranked instead";

/* A month "YYYY-MM" into its index (year * 12 + month - 1); -1 for anything else. */
static int month_index(const char *s)
{
    int day = s && strlen(s) == 7 ? wg_civil_parse_month(s) : -1, y, m, d;
    if (day < 0)
        return -1;
    wg_civil_date(day, &y, &m, &d);
    return y * 12 + m - 1;
}

static void month_text(int k, char out[8])
{
    snprintf(out, 8, "%04d-%02d", k / 12, k % 12 + 1);
}

static int month_first(int k)
{
    return wg_civil_days(k / 12, k % 12 + 1, 1);
}

/* Orders per grid and month over months [k0, k0 + n), into counts: an object
 * {grid: [n0, n1, …]} for the grids in want (NULL: every grid, 15 or 18 digits). */
struct per_place {
    int k0, n;
    int first[WG_SPONSOR_MONTHS_MAX + 1];
    json_t *counts, *want;
};

static int on_place_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct per_place *p = ctx;
    size_t len = strlen(c->leaf);
    if ((len != 15 && len != 18) || (p->want && !json_object_get(p->want, c->leaf)))
        return 0;
    for (int i = 0; i < p->n; i++)
        if (c->day >= p->first[i] && c->day < p->first[i + 1]) {
            json_t *a = json_object_get(p->counts, c->leaf);
            if (!a) {
                a = json_array();
                for (int k = 0; k < p->n; k++)
                    json_array_append_new(a, json_integer(0));
                json_object_set_new(p->counts, c->leaf, a);
            }
            json_t *v = json_array_get(a, (size_t)i);
            json_integer_set(v, json_integer_value(v) + c->c[WG_SC_RECEIVED]);
        }
    return 0;
}

static enum wg_rc count_places(struct wg_db *db, const char *prefix, int k0, int n, json_t *want,
                               json_t **counts, struct wg_err *err)
{
    struct per_place p = {k0, n, {0}, json_object(), want};
    for (int i = 0; i <= n; i++)
        p.first[i] = month_first(k0 + i);
    struct wg_stat_filter f = {prefix, p.first[0], p.first[n] - 1, "", "", ""};
    enum wg_rc rc = wg_store_stat_cells(db, &f, on_place_cell, &p, err);
    if (rc) {
        json_decref(p.counts);
        return rc;
    }
    *counts = p.counts;
    return WG_OK;
}

struct ranked {
    const char *place;
    long long n, before;
};

static int by_orders(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->place, y->place);
}

static int on_running(const struct wg_sponsor_row *r, void *ctx)
{
    if (!json_object_get(ctx, r->place))
        json_object_set_new(ctx, r->place,
                            json_pack("{s:I,s:s}", "id", (json_int_t)r->id, "leader", r->leader));
    return 0;
}

enum wg_rc wg_sponsor_ranking(struct wg_db *db, const struct wg_actor *actor, const char *month,
                              const char *by, const char *scope, const char *limit, json_t **out,
                              struct wg_err *err)
{
    int k = month_index(month);
    long long lim = 65;
    char prefix[32], hi[34];
    json_t *counts = NULL, *running = json_object();
    enum wg_rc rc;
    *out = NULL;
    if (k < 0)
        rc = wg_err_set(err, WG_EINVAL, "'month' is required: a month YYYY-MM");
    else if (by && *by && strcmp(by, "grid") && strcmp(by, "compound"))
        rc = wg_err_set(err, WG_EINVAL, "'by' must be grid or compound");
    else if (!(rc = wg_param_count(limit, "limit", 1, 500, &lim, err)) &&
             !(rc = wg_task_scope_prefix(actor, "scope", scope, prefix, err)))
        rc = count_places(db, prefix, k - 1, 2, NULL, &counts, err);
    snprintf(hi, sizeof hi, "%s~", rc ? "" : prefix);
    struct wg_sponsor_range q = {prefix, hi, month, "", "", 100000};
    if (!rc)
        rc = wg_store_sponsor_list(db, &q, on_running, running, err);
    if (rc) {
        json_decref(counts);
        json_decref(running);
        return rc;
    }
    size_t n = 0;
    const char *key;
    json_t *v;
    struct ranked *r = wg_calloc(json_object_size(counts) + 1, sizeof *r);
    json_object_foreach(counts, key, v)
    {
        r[n].place = key;
        r[n].before = json_integer_value(json_array_get(v, 0));
        r[n].n = json_integer_value(json_array_get(v, 1));
        if (r[n].n)
            n++;
    }
    qsort(r, n, sizeof *r, by_orders);
    json_t *places = json_array();
    for (size_t i = 0; i < n && (long long)i < lim; i++) {
        char name[192];
        json_t *s = json_object_get(running, r[i].place);
        wg_task_place_name(db, r[i].place, name, sizeof name);
        json_array_append_new(
            places, json_pack("{s:I,s:s,s:s,s:I,s:I,s:O}", "rank", (json_int_t)i + 1, "place",
                              r[i].place, "name", name, "orders", (json_int_t)r[i].n, "last_month",
                              (json_int_t)r[i].before, "sponsorship", s ? s : json_null()));
    }
    free(r);
    int compound = by && !strcmp(by, "compound");
    *out = json_pack("{s:s,s:s,s:s,s:o,s:o}", "month", month, "by", "grid", "scope", prefix, "note",
                     compound ? json_string(COMPOUND_NOTE) : json_null(), "places", places);
    json_decref(counts);
    json_decref(running);
    return WG_OK;
}

/* ---- assigning ---- */

static enum wg_rc months_of(const json_t *body, char from[8], char to[8], struct wg_err *err)
{
    const char *m = NULL, *f = NULL, *t = NULL;
    enum wg_rc rc;
    if ((rc = wg_jf_text(body, "month", 0, 7, &m, err)) ||
        (rc = wg_jf_text(body, "from", 0, 7, &f, err)) ||
        (rc = wg_jf_text(body, "to", 0, 7, &t, err)))
        return rc;
    if (m && (f || t))
        return wg_err_set(err, WG_EINVAL, "'month' or 'from' and 'to': give one, not both");
    if (m)
        f = t = m;
    if (!f || !t)
        return wg_err_set(err, WG_EINVAL,
                          "'month' (YYYY-MM) is required, or 'from' and 'to' for a period");
    int a = month_index(f), b = month_index(t);
    if (a < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' is a month YYYY-MM, not '%.10s'",
                          m ? "month" : "from", f);
    if (b < 0)
        return wg_err_set(err, WG_EINVAL, "'to' is a month YYYY-MM, not '%.10s'", t);
    if (b < a)
        return wg_err_set(err, WG_EINVAL, "'to' (%s) is before 'from' (%s)", t, f);
    if (b - a + 1 > WG_SPONSOR_MONTHS_MAX)
        return wg_err_set(err, WG_EINVAL, "a sponsorship runs at most %d months, not %d",
                          WG_SPONSOR_MONTHS_MAX, b - a + 1);
    month_text(a, from);
    month_text(b, to);
    return WG_OK;
}

static enum wg_rc create(struct wg_db *db, const struct wg_actor *a, const json_t *body,
                         long long now, long long *id, struct wg_err *err)
{
    const char *place = NULL, *leader = NULL, *note = NULL;
    struct wg_sponsor_row s;
    struct wg_account_row acc;
    struct wg_scope ls = {"", ""};
    long long other = 0;
    enum wg_rc rc;
    memset(&s, 0, sizeof s);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a sponsorship is a JSON object");
    if ((rc = wg_jf_known(body, wg_sponsor_fields, "a sponsorship", err)) ||
        (rc = wg_jf_text(body, "place", 1, 18, &place, err)))
        return rc;
    if (strspn(place, "0123456789") != strlen(place) ||
        (strlen(place) != 15 && strlen(place) != 18) || wg_scope_is_unit(&a->scope) ||
        !wg_scope_covers(&a->scope, place))
        return wg_err_set(err, WG_EINVAL, "'place': grid '%s' does not exist", place);
    rc = wg_store_grid_live(db, place, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'place': grid '%s' does not exist", place);
    if (rc || (rc = wg_jf_text(body, "leader", 1, 63, &leader, err)))
        return rc;
    rc = wg_store_account_get(db, leader, &acc, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'leader': account '%s' does not exist", leader);
    if (rc)
        return rc;
    snprintf(ls.kind, sizeof ls.kind, "%s", acc.scope_kind);
    snprintf(ls.code, sizeof ls.code, "%s", acc.scope);
    if (strcmp(acc.role, "leader") || acc.disabled)
        return wg_err_set(err, WG_EINVAL, "'leader': account '%s' is not a working leader's",
                          leader);
    if (strcmp(ls.kind, "region") || !wg_scope_covers(&ls, place))
        return wg_err_set(err, WG_EINVAL, "'leader': %s's scope does not cover grid %s", leader,
                          place);
    if ((rc = months_of(body, s.month_from, s.month_to, err)) ||
        (rc = wg_jf_text(body, "note", 0, WG_SPONSOR_NOTE_MAX, &note, err)) ||
        (rc = wg_store_sponsor_overlap(db, place, s.month_from, s.month_to, &other, err)))
        return rc;
    if (other)
        return wg_err_set(err, WG_ECONFLICT,
                          "grid %s has a leader for some of %s to %s already (sponsorship %lld)",
                          place, s.month_from, s.month_to, other);
    snprintf(s.place, sizeof s.place, "%s", place);
    snprintf(s.leader, sizeof s.leader, "%s", leader);
    snprintf(s.created_by, sizeof s.created_by, "%s", a->username);
    s.note = note ? note : "";
    s.created_at = now;
    if ((rc = wg_store_sponsor_insert(db, &s, id, err)))
        return rc;
    /* the leader is told, in the same transaction */
    json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s}", "kind", "sponsorship_assigned", "sponsorship",
                          (json_int_t)*id, "place", place, "from", s.month_from, "to", s.month_to);
    char *payload = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    rc = wg_notify(db, leader, "sponsorship_assigned", 0, payload, err);
    free(payload);
    return rc;
}

enum wg_rc wg_sponsor_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                             long long now, long long *id, struct wg_err *err)
{
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    *id = 0;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = create(db, actor, body, now, id, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

/* ---- the list ---- */

struct page {
    const struct wg_actor *actor;
    json_t *arr;
};

static int sees(const struct wg_actor *a, const char *place, const char *leader)
{
    if (!strcmp(a->username, leader))
        return 1;
    return !wg_scope_is_unit(&a->scope) && wg_scope_covers(&a->scope, place);
}

static int on_sponsor(const struct wg_sponsor_row *r, void *ctx)
{
    struct page *p = ctx;
    if (!sees(p->actor, r->place, r->leader))
        return 0;
    json_array_append_new(p->arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b}", "id",
                                            (json_int_t)r->id, "place", r->place, "leader",
                                            r->leader, "month_from", r->month_from, "month_to",
                                            r->month_to, "note", r->note, "created_by",
                                            r->created_by, "created_at", (json_int_t)r->created_at,
                                            "mine", !strcmp(r->leader, p->actor->username)));
    return 0;
}

#define NOTE_CONTEXT "sponsorship.note"

struct opened {
    const struct wg_pii_keys *keys;
    json_t *arr;
    struct wg_err *err;
    enum wg_rc rc;
};

static int on_note(long long at, const char *author, const char *note, void *ctx)
{
    struct opened *o = ctx;
    char *open = NULL;
    if (*note && (o->rc = wg_pii_decrypt(o->keys, note, NOTE_CONTEXT, &open, o->err)))
        return 1;
    json_array_append_new(o->arr, json_pack("{s:I,s:s,s:s}", "at", (json_int_t)at, "author", author,
                                            "note", open ? open : ""));
    wg_pii_wipe(open);
    return 0;
}

/* Each 帮包's place name, its notes and its six months' trend. */
static enum wg_rc decorate(struct wg_db *db, const struct wg_pii_keys *keys, json_t *arr,
                           long long now, struct wg_err *err)
{
    size_t i;
    json_t *v, *want = json_object(), *counts = NULL;
    int cur = month_index("1970-01"), lo = 0, hi = 0;
    {
        int y, m, d;
        wg_civil_date(wg_cst_day(now), &y, &m, &d);
        cur = y * 12 + m - 1;
    }
    enum wg_rc rc = WG_OK;
    json_array_foreach(arr, i, v)
    {
        char name[192];
        const char *place = json_string_value(json_object_get(v, "place"));
        int to = month_index(json_string_value(json_object_get(v, "month_to")));
        int last = to < cur ? to : cur;
        wg_task_place_name(db, place, name, sizeof name);
        json_object_set_new(v, "place_name", json_string(name));
        json_object_set_new(want, place, json_true());
        if (!i || last - 5 < lo)
            lo = last - 5;
        if (!i || last > hi)
            hi = last;
        json_t *notes = json_array();
        struct opened o = {keys, notes, err, WG_OK};
        if (!rc)
            rc = wg_store_sponsor_notes(db, json_integer_value(json_object_get(v, "id")),
                                        WG_SPONSOR_NOTES_SHOWN, on_note, &o, err);
        if (!rc)
            rc = o.rc;
        json_object_set_new(v, "notes", notes);
    }
    /* one pass over the counters for every place listed, at most two years of months */
    if (lo < hi - (WG_SPONSOR_MONTHS_MAX - 1))
        lo = hi - (WG_SPONSOR_MONTHS_MAX - 1);
    if (!rc && json_array_size(arr))
        rc = count_places(db, "", lo, hi - lo + 1, want, &counts, err);
    json_array_foreach(arr, i, v)
    {
        if (rc)
            break;
        const char *place = json_string_value(json_object_get(v, "place"));
        int to = month_index(json_string_value(json_object_get(v, "month_to")));
        int last = to < cur ? to : cur;
        json_t *trend = json_array(), *c = json_object_get(counts, place);
        for (int k = last - 5; k <= last; k++) {
            char mt[8];
            month_text(k, mt);
            json_array_append_new(
                trend, json_pack("{s:s,s:I}", "month", mt, "orders",
                                 (json_int_t)(k >= lo ? json_integer_value(
                                                            json_array_get(c, (size_t)(k - lo)))
                                                      : 0)));
        }
        json_object_set_new(v, "trend", trend);
    }
    json_decref(want);
    json_decref(counts);
    return rc;
}

enum wg_rc wg_sponsor_list(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const struct wg_sponsor_query *q,
                           long long now, json_t **out, struct wg_err *err)
{
    long long limit = 100;
    char prefix[32] = "", hi[34], month[8] = "";
    enum wg_rc rc;
    *out = NULL;
    if (q->month && *q->month) {
        int k = month_index(q->month);
        if (k < 0)
            return wg_err_set(err, WG_EINVAL, "'month' is a month YYYY-MM");
        month_text(k, month);
    }
    if (q->leader && strlen(q->leader) > 63)
        return wg_err_set(err, WG_EINVAL, "'leader' is an account's username");
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)))
        return rc;
    /* a leader reads their own wherever they are; the scope narrows the rest */
    if ((rc = wg_task_scope_prefix(actor, "scope", q->scope, prefix, err)))
        return rc;
    snprintf(hi, sizeof hi, "%s~", prefix);
    struct page p = {actor, json_array()};
    struct wg_sponsor_range r = {prefix,          hi,        month, q->leader ? q->leader : "",
                                 actor->username, (int)limit};
    rc = wg_store_sponsor_list(db, &r, on_sponsor, &p, err);
    if (!rc)
        rc = decorate(db, keys, p.arr, now, err);
    if (rc) {
        json_decref(p.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "sponsorships", p.arr, "limit", (json_int_t)limit);
    return WG_OK;
}

/* ---- notes ---- */

struct found {
    const struct wg_actor *actor;
    char place[20], leader[64];
    int seen;
};

static int on_found(const struct wg_sponsor_row *r, void *ctx)
{
    struct found *f = ctx;
    f->seen = sees(f->actor, r->place, r->leader);
    snprintf(f->place, sizeof f->place, "%s", r->place);
    snprintf(f->leader, sizeof f->leader, "%s", r->leader);
    return 0;
}

enum wg_rc wg_sponsor_note(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, long long id, const json_t *body,
                           long long now, struct wg_err *err)
{
    const char *note = NULL;
    struct found f = {actor, "", "", 0};
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a note is a JSON object");
    if ((rc = wg_jf_known(body, wg_sponsor_note_fields, "a sponsorship's note", err)) ||
        (rc = wg_jf_text(body, "note", 1, WG_SPONSOR_NOTE_MAX, &note, err)) ||
        (rc = wg_store_sponsor_get(db, id, on_found, &f, err)))
        return rc;
    if (!f.seen)
        return wg_err_set(err, WG_ENOTFOUND, "sponsorship %lld does not exist", id);
    if (strcmp(actor->username, f.leader) && !(actor->perms & WG_P_ALERT_REVIEW))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "notes of sponsorship %lld are written by its leader %s or a reviewer",
                          id, f.leader);
    char *sealed = NULL;
    if ((rc = wg_pii_encrypt(keys, note, NOTE_CONTEXT, &sealed, err)))
        return rc;
    rc = wg_store_sponsor_note(db, id, now, actor->username, sealed, err);
    free(sealed);
    return rc;
}
