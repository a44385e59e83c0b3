/* The window of duplicate candidates kept in memory (dup_cache.h): counties, their items'
 * lists by number, an id map, the refresh from the store and the two searches. */
#include "domain/orders/dup_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/assert.h"
#include "core/clock.h"
#include "domain/orders/duplicates.h"
#include "store/orders/orders_q.h"

#define NEW_BATCH 1000 /* orders read a refresh statement */

struct ent {
    long long id;
    char number[32], created[24];
    double lon, lat;
    unsigned char has_point, dead;
    unsigned bucket; /* its item's list in the county, or UINT32_MAX */
    uint64_t *grams;
    size_t ngrams;
};

/* a list of orders sorted by number, the oldest from `start` */
struct list {
    struct ent **v;
    size_t start, n, cap;
};

struct bucket {
    char item[16];
    struct list l;
};

struct county {
    char code[8];
    int filled;
    struct list all;
    struct bucket *b;
    size_t nb, capb;
};

struct wg_dup_cache {
    pthread_mutex_t mu;
    int started;
    long long upto;     /* every id up to it is held (or was waited for long enough) */
    uint64_t gap_since; /* when a hole after upto was first seen */
    struct county *c;
    size_t nc, capc;
    struct ent **map; /* open addressing by id, linear probing */
    size_t slots, used, orders;
};

struct wg_dup_cache *wg_dup_cache_new(void)
{
    struct wg_dup_cache *c = wg_calloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void list_release(struct list *l)
{
    free(l->v);
}

void wg_dup_cache_free(struct wg_dup_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nc; i++) {
        struct county *k = &c->c[i];
        for (size_t j = k->all.start; j < k->all.n; j++) {
            free(k->all.v[j]->grams);
            free(k->all.v[j]);
        }
        list_release(&k->all);
        for (size_t j = 0; j < k->nb; j++)
            list_release(&k->b[j].l);
        free(k->b);
    }
    free(c->c);
    free(c->map);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* ---- the id map ---- */

static size_t slot_of(const struct wg_dup_cache *c, long long id)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 20) & (c->slots - 1);
}

static struct ent *map_get(const struct wg_dup_cache *c, long long id)
{
    if (!c->slots)
        return NULL;
    for (size_t h = slot_of(c, id);; h = (h + 1) & (c->slots - 1)) {
        if (!c->map[h])
            return NULL;
        if (c->map[h]->id == id)
            return c->map[h];
    }
}

static void map_put(struct wg_dup_cache *c, struct ent *e);

static void map_grow(struct wg_dup_cache *c)
{
    struct ent **old = c->map;
    size_t n = c->slots;
    c->slots = n ? 2 * n : 1024;
    c->map = wg_calloc(c->slots, sizeof *c->map);
    c->used = 0;
    for (size_t i = 0; i < n; i++)
        if (old[i])
            map_put(c, old[i]);
    free(old);
}

static void map_put(struct wg_dup_cache *c, struct ent *e)
{
    if (2 * (c->used + 1) > c->slots)
        map_grow(c);
    size_t h = slot_of(c, e->id);
    while (c->map[h])
        h = (h + 1) & (c->slots - 1);
    c->map[h] = e;
    c->used++;
}

/* Removes e, shifting back the entries after it that belong before the hole. */
static void map_del(struct wg_dup_cache *c, const struct ent *e)
{
    size_t h = slot_of(c, e->id), m = c->slots - 1;
    while (c->map[h] != e)
        h = (h + 1) & m;
    for (size_t j = (h + 1) & m; c->map[j]; j = (j + 1) & m) {
        size_t home = slot_of(c, c->map[j]->id);
        /* j's entry may move to h when h lies cyclically in [home, j) */
        if (((j - home) & m) >= ((j - h) & m)) {
            c->map[h] = c->map[j];
            h = j;
        }
    }
    c->map[h] = NULL;
    c->used--;
}

/* ---- lists by number ---- */

/* Puts e in its place by number (nearly always last); returns its index. */
static size_t list_insert(struct list *l, struct ent *e)
{
    if (l->start && l->start * 2 >= l->n) { /* give back the evicted front */
        memmove(l->v, l->v + l->start, (l->n - l->start) * sizeof *l->v);
        l->n -= l->start;
        l->start = 0;
    }
    wg_grow(&l->v, &l->cap, l->n, sizeof *l->v, 64);
    size_t i = l->n;
    while (i > l->start && strcmp(l->v[i - 1]->number, e->number) > 0)
        i--;
    memmove(l->v + i + 1, l->v + i, (l->n - i) * sizeof *l->v);
    l->v[i] = e;
    l->n++;
    return i;
}

static struct county *county_of(struct wg_dup_cache *c, const char *code)
{
    for (size_t i = 0; i < c->nc; i++)
        if (!strcmp(c->c[i].code, code))
            return &c->c[i];
    wg_grow(&c->c, &c->capc, c->nc, sizeof *c->c, 16);
    struct county *k = &c->c[c->nc++];
    memset(k, 0, sizeof *k);
    snprintf(k->code, sizeof k->code, "%s", code);
    return k;
}

static struct bucket *bucket_of(struct county *k, const char *item, int make)
{
    for (size_t i = 0; i < k->nb; i++)
        if (!strcmp(k->b[i].item, item))
            return &k->b[i];
    if (!make)
        return NULL;
    wg_grow(&k->b, &k->capb, k->nb, sizeof *k->b, 16);
    struct bucket *b = &k->b[k->nb++];
    memset(b, 0, sizeof *b);
    snprintf(b->item, sizeof b->item, "%s", item);
    return b;
}

static void evict(struct wg_dup_cache *c, struct county *k, const char *lo);

/* ---- bringing the window up to the store ---- */

struct refresh {
    struct wg_dup_cache *c;
    const struct wg_dup_ask *a;
    long long last; /* the highest id read */
    long long next; /* the id expected next: ids from upto + 1 without a hole */
    size_t rows;
};

static int is_dead(const char *state)
{
    return !strcmp(state, "merged") || !strcmp(state, "invalid");
}

static int add_fact(const struct wg_dup_fact *f, void *ctx)
{
    struct refresh *r = ctx;
    struct wg_dup_cache *c = r->c;
    r->rows++;
    if (f->id > r->last)
        r->last = f->id;
    if (f->id == r->next)
        r->next++;
    if (map_get(c, f->id))
        return 0;
    struct county *k = county_of(c, f->county);
    struct ent *e = wg_calloc(1, sizeof *e);
    e->id = f->id;
    snprintf(e->number, sizeof e->number, "%s", f->number);
    snprintf(e->created, sizeof e->created, "%s", f->created_at);
    e->has_point = (unsigned char)f->has_point;
    e->lon = f->lon;
    e->lat = f->lat;
    e->dead = (unsigned char)is_dead(f->state);
    e->bucket = UINT32_MAX;
    size_t at = list_insert(&k->all, e);
    if (at + WG_DUP_CACHE_GRAMS >= k->all.n)
        e->grams = r->a->grams(f->title, f->text, &e->ngrams);
    if (k->all.n > WG_DUP_CACHE_GRAMS) { /* one older order leaves the newest */
        struct ent *old = k->all.v[k->all.n - 1 - WG_DUP_CACHE_GRAMS];
        free(old->grams);
        old->grams = NULL;
        old->ngrams = 0;
    }
    if (f->item[0]) {
        struct bucket *b = bucket_of(k, f->item, 1);
        e->bucket = (unsigned)(b - k->b);
        list_insert(&b->l, e);
    }
    map_put(c, e);
    c->orders++;
    char lo[32]; /* every county's window moves on, asked for or not */
    snprintf(lo, sizeof lo, "%s-%s", k->code, r->a->day);
    evict(c, k, lo);
    return 0;
}

/* Drops the county's orders numbered before lo (the window moved on). */
static void evict(struct wg_dup_cache *c, struct county *k, const char *lo)
{
    struct list *l = &k->all;
    while (l->start < l->n && strcmp(l->v[l->start]->number, lo) < 0) {
        struct ent *e = l->v[l->start++];
        if (e->bucket != UINT32_MAX) {
            struct list *bl = &k->b[e->bucket].l;
            WG_ASSERT(bl->start < bl->n && bl->v[bl->start] == e);
            bl->start++;
        }
        map_del(c, e);
        c->orders--;
        free(e->grams);
        free(e);
    }
}

static int mark_dead(long long id, void *ctx)
{
    struct ent *e = map_get(ctx, id);
    if (e)
        e->dead = 1;
    return 0;
}

static enum wg_rc refresh(struct wg_dup_cache *c, struct wg_db *db, const struct wg_dup_ask *a,
                          struct county **out, struct wg_err *err)
{
    enum wg_rc rc;
    if (!c->started) {
        if ((rc = wg_store_dup_top(db, &c->upto, err)))
            return rc;
        c->started = 1;
    }
    for (;;) {
        struct refresh r = {c, a, c->upto, c->upto + 1, 0};
        if ((rc = wg_store_dup_new(db, c->upto, NEW_BATCH, add_fact, &r, err)))
            return rc;
        if (r.next > r.last) { /* no hole */
            c->upto = r.last;
            c->gap_since = 0;
        } else { /* a hole: another server's order not yet committed, or never */
            uint64_t now = wg_clock_us();
            if (!c->gap_since)
                c->gap_since = now;
            if (now - c->gap_since > WG_DUP_CACHE_GAP_US) {
                c->upto = r.last;
                c->gap_since = 0;
            } else {
                c->upto = r.next - 1;
            }
        }
        if (r.rows < NEW_BATCH || c->upto != r.last)
            break;
    }
    struct county *k = county_of(c, a->county);
    if (!k->filled) {
        struct refresh r = {c, a, 0, 0, 0};
        if ((rc = wg_store_dup_fill(db, a->county, a->fill, add_fact, &r, err)))
            return rc;
        k = county_of(c, a->county); /* the counties may have moved */
        k->filled = 1;
    }
    evict(c, k, a->lo);
    *out = k;
    return wg_store_dup_dead(db, a->county, a->fill, mark_dead, c, err);
}

/* ---- the searches ---- */

struct hits {
    struct wg_dup_hit *v;
    size_t n, cap;
};

static struct wg_dup_hit *hit_of(struct hits *h, long long id)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].id == id)
            return &h->v[i];
    wg_grow(&h->v, &h->cap, h->n, sizeof *h->v, 16);
    struct wg_dup_hit *x = &h->v[h->n++];
    memset(x, 0, sizeof *x);
    x->id = id;
    x->score = -1;
    return x;
}

/* As DUP_NEAR: the item's newest WG_DUP_SCAN * 4 in the box, of them the live ones of the
 * window, WG_DUP_SCAN at most; those within the radius. */
static void near(struct county *k, const struct wg_dup_ask *a, struct hits *h)
{
    struct bucket *b = bucket_of(k, a->item, 0);
    if (!b)
        return;
    size_t inbox = 0, live = 0;
    for (size_t i = b->l.n; i > b->l.start; i--) {
        const struct ent *e = b->l.v[i - 1];
        if (strcmp(e->number, a->lo) < 0)
            break;
        if (!e->has_point || e->lon < a->box[0] || e->lon > a->box[1] || e->lat < a->box[2] ||
            e->lat > a->box[3])
            continue;
        inbox++;
        if (strcmp(e->created, a->since) >= 0 && !e->dead) {
            double m = wg_dup_metres(a->lon, a->lat, e->lon, e->lat);
            if (m <= a->radius) {
                struct wg_dup_hit *x = hit_of(h, e->id);
                x->near = 1;
                x->metres = m;
            }
            if (++live == WG_DUP_SCAN)
                break;
        }
        if (inbox == 4 * WG_DUP_SCAN)
            break;
    }
}

/* As DUP_RECENT: the county's newest WG_DUP_TEXT_SCAN of the window, the live ones alike. */
static void text(struct county *k, const struct wg_dup_ask *a, struct hits *h)
{
    size_t seen = 0;
    for (size_t i = k->all.n; i > k->all.start && seen < WG_DUP_TEXT_SCAN; i--) {
        const struct ent *e = k->all.v[i - 1];
        if (strcmp(e->number, a->lo) < 0)
            break;
        if (strcmp(e->created, a->since) < 0)
            continue;
        seen++;
        if (e->dead)
            continue;
        int s = -1;
        if (e->grams && (s = a->score(e->grams, e->ngrams, a->ctx)) < WG_DUP_TEXT_MIN)
            continue; /* not alike: nothing to read */
        struct wg_dup_hit *x = hit_of(h, e->id);
        x->text = 1;
        x->score = s;
    }
}

enum wg_rc wg_dup_cache_find(struct wg_dup_cache *c, struct wg_db *db, const struct wg_dup_ask *a,
                             struct wg_dup_hit **out, size_t *n, struct wg_err *err)
{
    struct hits h = {0};
    struct county *k = NULL;
    pthread_mutex_lock(&c->mu);
    enum wg_rc rc = refresh(c, db, a, &k, err);
    if (!rc && a->item && a->item[0] && a->has_point)
        near(k, a, &h);
    if (!rc && a->text)
        text(k, a, &h);
    pthread_mutex_unlock(&c->mu);
    if (rc) {
        free(h.v);
        h.v = NULL;
        h.n = 0;
    }
    *out = h.v;
    *n = h.n;
    return rc;
}

void wg_dup_cache_size(struct wg_dup_cache *c, size_t *orders, size_t *bytes)
{
    pthread_mutex_lock(&c->mu);
    size_t b = sizeof *c + c->slots * sizeof *c->map + c->capc * sizeof *c->c;
    for (size_t i = 0; i < c->nc; i++) {
        const struct county *k = &c->c[i];
        b += k->all.cap * sizeof *k->all.v + k->capb * sizeof *k->b;
        for (size_t j = 0; j < k->nb; j++)
            b += k->b[j].l.cap * sizeof *k->b[j].l.v;
        for (size_t j = k->all.start; j < k->all.n; j++)
            b += sizeof(struct ent) + k->all.v[j]->ngrams * sizeof(uint64_t);
    }
    *orders = c->orders;
    *bytes = b;
    pthread_mutex_unlock(&c->mu);
}
