/* Duplicate candidates at intake (duplicates.h): the three bounded searches, the text's
 * bigram similarity, the distance, and the candidates as a reader may see them. */
#include "domain/orders/duplicates.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/civil.h"
#include "core/utf8.h"
#include "domain/orders/dup_cache.h"
#include "store/orders/orders_q.h"

#define EARTH_M 6371008.8 /* mean earth radius */
#define DEG_M   111320.0  /* metres of a degree of latitude, near enough for a search box */

double wg_dup_metres(double lon1, double lat1, double lon2, double lat2)
{
    double r = M_PI / 180, p1 = lat1 * r, p2 = lat2 * r;
    double a = sin((p2 - p1) / 2), b = sin((lon2 - lon1) * r / 2);
    double h = a * a + cos(p1) * cos(p2) * b * b;
    return 2 * EARTH_M * asin(sqrt(h < 1 ? h : 1));
}

/* The character a text is compared by, or 0 when it is left out (space, punctuation). */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E) /* full-width forms of ASCII */
        c -= 0xFEE0;
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            return c + 32;
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : 0;
    }
    if ((c >= 0x80 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF5F && c <= 0xFF65))
        return 0;
    return c;
}

/* A set of bigrams: open addressing over a power-of-two table, each slot stamped with the
 * set's generation, so that emptying it for the next text is one increment (the text
 * search compares with up to WG_DUP_TEXT_SCAN texts an intake; sorting each text's bigrams was
 * most of an intake's time). Texts are cut at WG_DUP_TEXT_MAX characters, so a table of
 * four times that many slots is never more than a quarter full. */
#define SET_SLOTS (4 * WG_DUP_TEXT_MAX)
struct gset {
    uint64_t key[SET_SLOTS];
    uint32_t gen[SET_SLOTS];
    uint32_t now;
    size_t n;
};

static void gset_clear(struct gset *s)
{
    s->now++;
    s->n = 0;
}

/* 1 when k was not in the set (and is now), 0 when it was. */
static int gset_add(struct gset *s, uint64_t k)
{
    size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 40) % SET_SLOTS;
    for (;; h = (h + 1) % SET_SLOTS) {
        if (s->gen[h] != s->now) {
            s->gen[h] = s->now;
            s->key[h] = k;
            s->n++;
            return 1;
        }
        if (s->key[h] == k)
            return 0;
    }
}

static int gset_has(const struct gset *s, uint64_t k)
{
    size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 40) % SET_SLOTS;
    for (;; h = (h + 1) % SET_SLOTS) {
        if (s->gen[h] != s->now)
            return 0;
        if (s->key[h] == k)
            return 1;
    }
}

/* Calls each(bigram, ctx) for the bigrams of the first WG_DUP_TEXT_MAX characters kept from
 * t1 then t2 (title, then content: no bigram across them), each at most max characters. */
static void bigrams(const char *t1, const char *t2, size_t max, void (*each)(uint64_t, void *),
                    void *ctx)
{
    const char *texts[2] = {t1, t2};
    size_t kept = 0;
    for (int k = 0; k < 2; k++) {
        const unsigned char *s = (const unsigned char *)(texts[k] ? texts[k] : "");
        uint32_t prev = 0, c;
        size_t here = 0;
        for (size_t len; *s && here < max && kept < WG_DUP_TEXT_MAX; s += len) {
            len = wg_utf8_seq(s, SIZE_MAX, &c);
            if (!len) { /* not UTF-8: the byte alone, left out */
                len = 1;
                continue;
            }
            if (!(c = fold(c)))
                continue;
            kept++;
            here++;
            if (prev)
                each((uint64_t)prev << 32 | c, ctx);
            prev = c;
        }
    }
}

static void add_to(uint64_t g, void *ctx)
{
    gset_add(ctx, g);
}

/* Comparing a text with the set of another: its own distinct bigrams, and how many of them
 * the other has. */
struct against {
    const struct gset *other;
    struct gset *mine;
    size_t both;
};

static void count_in(uint64_t g, void *ctx)
{
    struct against *a = ctx;
    if (gset_add(a->mine, g) && gset_has(a->other, g))
        a->both++;
}

/* The Jaccard index in percent of set a and the text (t1, t2), with scratch as b's set. */
static int jaccard(const struct gset *a, const char *t1, const char *t2, size_t max,
                   struct gset *scratch)
{
    struct against x = {a, scratch, 0};
    gset_clear(scratch);
    bigrams(t1, t2, max, count_in, &x);
    if (!a->n || !scratch->n)
        return 0;
    return (int)(x.both * 100 / (a->n + scratch->n - x.both));
}

int wg_dup_similarity(const char *a, const char *b)
{
    struct gset *sa = wg_calloc(2, sizeof *sa);
    gset_clear(&sa[0]);
    bigrams(a, NULL, SIZE_MAX, add_to, &sa[0]);
    int s = jaccard(&sa[0], b, NULL, SIZE_MAX, &sa[1]);
    free(sa);
    return s;
}

/* The window's kept bigrams (dup_cache.h): sorted, distinct, as jaccard's scratch set. */
static void add_list(uint64_t g, void *ctx)
{
    struct against *a = ctx;
    if (gset_add(a->mine, g))
        a->both++; /* here: how many */
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t *cache_grams(const char *title, const char *text, size_t *n)
{
    struct gset *s = wg_calloc(1, sizeof *s);
    struct against a = {NULL, s, 0};
    gset_clear(s);
    bigrams(title, text, WG_DUP_TEXT_CHARS, add_list, &a);
    uint64_t *g = wg_malloc((a.both ? a.both : 1) * sizeof *g);
    size_t k = 0;
    for (size_t i = 0; i < SET_SLOTS; i++)
        if (s->gen[i] == s->now)
            g[k++] = s->key[i];
    qsort(g, k, sizeof *g, cmp_u64);
    free(s);
    *n = k;
    return g;
}

/* jaccard() of the new order's set and kept bigrams */
static int cache_score(const uint64_t *g, size_t n, void *ctx)
{
    const struct gset *mine = ctx;
    size_t both = 0;
    for (size_t i = 0; i < n; i++)
        both += (size_t)gset_has(mine, g[i]);
    if (!mine->n || !n)
        return 0;
    return (int)(both * 100 / (mine->n + n - both));
}

/* ---- the searches ---- */

struct cand {
    long long id;
    char number[32], state[16], grid[24];
    char *title;
    int near, phone, score; /* score: -1 when not compared or not alike */
    long metres;
};

struct found {
    const struct wg_order_row *o;
    struct gset *mine, *theirs; /* the new order's bigrams; a candidate's */
    double radius, box[4];
    struct cand *c;
    size_t n, cap;
    int reason; /* what the running search finds: 0 near, 1 phone, 2 text */
};

static struct cand *cand_of(struct found *f, const struct wg_dup_row *r)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->c[i].id == r->id)
            return &f->c[i];
    wg_grow(&f->c, &f->cap, f->n, sizeof *f->c, 16);
    struct cand *c = &f->c[f->n++];
    memset(c, 0, sizeof *c);
    c->id = r->id;
    c->score = -1;
    snprintf(c->number, sizeof c->number, "%s", r->number);
    snprintf(c->state, sizeof c->state, "%s", r->state);
    snprintf(c->grid, sizeof c->grid, "%s", r->grid);
    c->title = wg_strdup(r->title);
    return c;
}

/* The text's similarity to the new order's, in percent, or -1 below the threshold. */
static int alike(struct found *f, const struct wg_dup_row *r)
{
    int s = jaccard(f->mine, r->title, r->text, WG_DUP_TEXT_CHARS, f->theirs);
    return s >= WG_DUP_TEXT_MIN ? s : -1;
}

static int take(const struct wg_dup_row *r, void *ctx)
{
    struct found *f = ctx;
    const struct wg_order_row *o = f->o;
    struct cand *c;
    if (f->reason == 0) { /* within the box: within the circle too? */
        double m = wg_dup_metres(o->lon, o->lat, r->lon, r->lat);
        if (!r->has_point || m > f->radius)
            return 0;
        c = cand_of(f, r);
        c->near = 1;
        c->metres = lround(m);
    } else if (f->reason == 1) {
        cand_of(f, r)->phone = 1;
        return 0;
    } else if (!strcmp(r->state, "merged") || !strcmp(r->state, "invalid")) {
        return 0; /* the text search reads every state: the newest are the newest */
    } else {
        int s = alike(f, r);
        if (s < 0)
            return 0;
        cand_of(f, r)->score = s;
        return 0;
    }
    if (c->score < 0) /* the same item nearby: alike too? */
        c->score = alike(f, r);
    return 0;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    int rx = x->near + x->phone + (x->score >= 0), ry = y->near + y->phone + (y->score >= 0);
    if (rx != ry)
        return ry - rx;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static json_t *cand_json(const struct cand *c)
{
    json_t *why = json_array();
    if (c->near)
        json_array_append_new(
            why, json_pack("{s:s,s:I}", "reason", "item_near", "metres", (json_int_t)c->metres));
    if (c->phone)
        json_array_append_new(why, json_pack("{s:s}", "reason", "same_phone"));
    if (c->score >= 0)
        json_array_append_new(why,
                              json_pack("{s:s,s:i}", "reason", "similar_text", "score", c->score));
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)c->id, "number", c->number,
                          "title", c->title, "state", c->state, "reasons", why);
    if (j && c->grid[0])
        json_object_set_new(j, "grid", json_string(c->grid));
    return j;
}

/* "county-yyyymmdd" of the window's first day, and its time as created_at compares */
static void window(const char *county, long long now, int days, char lo[32], char since[32])
{
    char day[9];
    long long from = now - (long long)days * 86400;
    wg_cst_yyyymmdd(from, day);
    snprintf(lo, 32, "%s-%s", county, day);
    wg_clock_iso(from, since);
}

/* The candidates of the window kept in memory, read as they are now. */
struct from_cache {
    struct found *f;
    const struct wg_dup_hit *h;
    size_t n;
};

static int take_cached(const struct wg_dup_row *r, void *ctx)
{
    struct from_cache *x = ctx;
    if (!strcmp(r->state, "merged") || !strcmp(r->state, "invalid"))
        return 0; /* since the window looked */
    for (size_t i = 0; i < x->n; i++) {
        if (x->h[i].id != r->id)
            continue;
        if (x->h[i].near) {
            x->f->reason = 0;
            take(r, x->f);
        }
        if (x->h[i].text) {
            x->f->reason = 2;
            take(r, x->f);
        }
        break;
    }
    return 0;
}

/* The nearby item's and the text's searches by the window (dup_cache.h) instead of the
 * store's: the same answers, the candidates' rows read in one statement. */
static enum wg_rc cached(struct wg_db *db, struct wg_dup_cache *cache, struct found *f,
                         const struct wg_dup_window *week, long long now, struct wg_err *err)
{
    const struct wg_order_row *o = f->o;
    char fill[32], lo[32], day[9];
    struct wg_dup_hit *h = NULL;
    size_t n = 0;
    wg_cst_yyyymmdd(now - (long long)WG_DUP_NEAR_DAYS * 86400, day);
    window(o->county, now, WG_DUP_NEAR_DAYS + 1, lo, fill);
    struct wg_dup_ask a = {.county = o->county,
                           .item = o->item,
                           .has_point = o->has_point && f->radius > 0,
                           .lon = o->lon,
                           .lat = o->lat,
                           .radius = f->radius,
                           .lo = week->lo,
                           .since = week->since,
                           .day = day,
                           .fill = fill,
                           .text = f->mine->n > 0,
                           .grams = cache_grams,
                           .score = cache_score,
                           .ctx = f->mine};
    memcpy(a.box, f->box, sizeof a.box);
    enum wg_rc rc = wg_dup_cache_find(cache, db, &a, &h, &n, err);
    if (rc || !n)
        goto out;
    json_t *ids = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ids, json_integer(h[i].id));
    char *text = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    if (!text) {
        rc = wg_err_set(err, WG_EINTERNAL, "the duplicate candidates' ids could not be written");
        goto out;
    }
    struct from_cache x = {f, h, n};
    rc = wg_store_dup_rows(db, text, week, take_cached, &x, err);
    free(text);
out:
    free(h);
    return rc;
}

enum wg_rc wg_order_duplicates(struct wg_db *db, const struct wg_order_env *env,
                               struct wg_order_draft *d, long long now, struct wg_err *err)
{
    const struct wg_order_row *o = &d->row;
    struct found f = {.o = o};
    char lo[32], hi[32], since[32], plo[32], psince[32];
    enum wg_rc rc = WG_OK;
    json_t *arr = NULL, *kept = NULL;
    snprintf(hi, sizeof hi, "%s-~", o->county); /* after every number of the county */
    window(o->county, now, WG_DUP_NEAR_DAYS, lo, since);
    struct wg_dup_window week = {lo, hi, since, WG_DUP_SCAN};
    f.mine = wg_calloc(2, sizeof *f.mine);
    f.theirs = f.mine + 1;
    gset_clear(f.mine);
    bigrams(o->title, o->content, WG_DUP_TEXT_CHARS, add_to, f.mine);
    if (o->has_point && o->item[0]) {
        double r = wg_catalog_dup_radius(env->catalog, o->item);
        double dlat = r / DEG_M * 1.01, c = cos(o->lat * M_PI / 180);
        double dlon = r / (DEG_M * (c > 0.01 ? c : 0.01)) * 1.01;
        double box[4] = {o->lon - dlon, o->lon + dlon, o->lat - dlat, o->lat + dlat};
        memcpy(f.box, box, sizeof box);
        f.radius = r;
        f.reason = 0;
        if (!env->dups &&
            (rc = wg_store_dup_near(db, o->item, &week, box, WG_DUP_ITEM_SCAN, take, &f, err)))
            goto out;
    }
    if (env->dups && (rc = cached(db, env->dups, &f, &week, now, err)))
        goto out;
    if (o->reporter_phone_blind && o->reporter_phone_blind[0]) {
        window(o->county, now, WG_DUP_PHONE_DAYS, plo, psince);
        struct wg_dup_window month = {plo, hi, psince, WG_DUP_PHONE_SCAN};
        f.reason = 1;
        if ((rc = wg_store_dup_phone(db, o->reporter_phone_blind, &month, take, &f, err)))
            goto out;
    }
    if (f.mine->n && !env->dups) {
        /* WG_DUP_TEXT_DAYS is the item's week too: the same window */
        struct wg_dup_window newest = {lo, hi, since, WG_DUP_TEXT_SCAN};
        f.reason = 2;
        if ((rc = wg_store_dup_recent(db, &newest, take, &f, err)))
            goto out;
    }
    if (!f.n)
        goto out;
    qsort(f.c, f.n, sizeof *f.c, cmp_cand);
    arr = json_array();
    kept = json_array();
    for (size_t i = 0; i < f.n && i < WG_DUP_MAX; i++) {
        const struct cand *c = &f.c[i];
        json_array_append_new(arr, cand_json(c));
        json_array_append_new(kept, json_pack("[I,I,i,i]", (json_int_t)c->id,
                                              (json_int_t)(c->near ? c->metres : -1), c->phone,
                                              c->score));
    }
    d->dups = json_dumps(kept, JSON_COMPACT);
    if (!d->dups)
        rc = wg_err_set(err, WG_EINTERNAL, "the duplicate candidates could not be written");
    d->dups_all = arr;
    arr = NULL;
out:
    json_decref(arr);
    json_decref(kept);
    for (size_t i = 0; i < f.n; i++)
        free(f.c[i].title);
    free(f.c);
    free(f.mine);
    return rc;
}

/* ---- as a reader sees them ---- */

/* Whether actor's area holds a candidate lying in grid (or, without one, the county). */
static int in_area(const struct wg_actor *actor, const char *grid, const char *county)
{
    if (wg_scope_is_unit(&actor->scope))
        return 0;
    return wg_scope_covers(&actor->scope, grid && *grid ? grid : county);
}

json_t *wg_order_draft_duplicates(const struct wg_actor *actor, const struct wg_order_draft *d)
{
    json_t *arr = json_array(), *c;
    size_t i;
    json_array_foreach(d->dups_all, i, c)
    {
        const char *grid = json_string_value(json_object_get(c, "grid"));
        if (in_area(actor, grid, d->row.county))
            json_array_append(arr, c);
    }
    return arr;
}

enum wg_rc wg_order_duplicates_json(struct wg_db *db, const struct wg_actor *actor,
                                    const char *kept, json_t **out, struct wg_err *err)
{
    json_error_t je;
    json_t *all = json_loads(kept, 0, &je), *arr, *k;
    size_t i;
    enum wg_rc rc = WG_OK;
    *out = NULL;
    if (!json_is_array(all)) {
        json_decref(all);
        return wg_err_set(err, WG_EDB, "an order's duplicate candidates are not a JSON array");
    }
    arr = json_array();
    json_array_foreach(all, i, k)
    {
        json_int_t id = 0, metres = -1;
        int phone = 0, score = -1, found = 0;
        struct wg_dup_info info;
        if (json_unpack(k, "[I,I,i,i]", &id, &metres, &phone, &score))
            continue;
        if ((rc = wg_store_dup_info(db, id, &info, &found, err)))
            break;
        if (found && in_area(actor, info.grid, info.county)) {
            struct cand c = {.id = id,
                             .title = info.title,
                             .near = metres >= 0,
                             .metres = (long)metres,
                             .phone = phone,
                             .score = score};
            snprintf(c.number, sizeof c.number, "%s", info.number);
            snprintf(c.state, sizeof c.state, "%s", info.state);
            snprintf(c.grid, sizeof c.grid, "%s", info.grid);
            json_array_append_new(arr, cand_json(&c));
        }
        free(info.title);
    }
    json_decref(all);
    if (rc)
        json_decref(arr);
    else
        *out = arr;
    return rc;
}
