/* The indicators' in-memory roll-ups (stats_cube.h): region nodes and keys (view, node,
 * value) in open-addressing hash tables, each key's day entries through an array by day, its
 * month and year sums in contiguous rows; built from the store's roll-up rows and kept current
 * from its change log. */
#include "domain/stats/stats_cube.h"
#include "core/alloc.h"
#include "core/civil.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/log.h"
#include "store/stats/stats_q.h"
#include "domain/map/region.h"

#define NC (WG_SC_COUNT - 1) /* the counts; handling_minutes is kept apart, 64 bits wide */
#define HM WG_SC_HANDLING_MINUTES
/* A counter's place among the counts (handling_minutes has none: it is not the last). */
#define SLOT(i) ((i) < HM ? (i) : (i)-1)

/* ---- a hash table from non-zero 64-bit keys to 32-bit values ---- */
struct map {
    uint64_t *k;
    uint32_t *v;
    size_t cap, n;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static uint32_t *map_get(const struct map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = mix(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->k[i] == key)
            return &m->v[i];
        if (!m->k[i])
            return NULL;
    }
}

static void map_put(struct map *m, uint64_t key, uint32_t val);

/* Grows m when one more key would fill it past 70%: fourfold while small, so a map built to
 * millions of keys moves each key about a third as often as doubling would. */
static void map_reserve(struct map *m)
{
    if ((m->n + 1) * 10 > m->cap * 7) {
        struct map g = {0};
        g.cap = !m->cap ? 1024 : m->cap < (1u << 22) ? m->cap * 4 : m->cap * 2;
        g.k = wg_calloc(g.cap, sizeof *g.k);
        g.v = wg_calloc(g.cap, sizeof *g.v);
        for (size_t i = 0; i < m->cap; i++)
            if (m->k[i])
                map_put(&g, m->k[i], m->v[i]);
        free(m->k);
        free(m->v);
        *m = g;
    }
}

static void map_put(struct map *m, uint64_t key, uint32_t val)
{
    map_reserve(m);
    size_t i = mix(key) & (m->cap - 1);
    while (m->k[i] && m->k[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->k[i])
        m->n++;
    m->k[i] = key;
    m->v[i] = val;
}

static void map_free(struct map *m)
{
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof *m);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = wg_realloc(p, c * size);
    *cap = c;
    return q;
}

/* ---- the cube's data ---- */
struct node {
    char code[10];
    int first_child, next_sibling;
    int rkey;                         /* its key in R */
    struct dense *dv[WG_CUBE_NVIEWS]; /* a county's keys in RI, RU, RC; NULL until one */
};

struct entry {
    int64_t minutes;
    int32_t c[NC];
};

static void counts_add(struct entry *e, const long long *c)
{
    for (int i = 0; i < WG_SC_COUNT; i++)
        if (i != HM)
            e->c[SLOT(i)] += (int32_t)c[i];
    e->minutes += c[HM];
}

static void counts_out(const struct entry *e, long long out[WG_SC_COUNT])
{
    for (int i = 0; i < WG_SC_COUNT; i++)
        if (i != HM)
            out[i] += e->c[SLOT(i)];
    out[HM] += e->minutes;
}

/* Sums by month (year * 12 + month - 1) or by year, contiguous: rows base .. base + n - 1 of
 * `stride` entries each, one column per key sharing them. A quarter of one key is 3 entries
 * and a year 1, not 90 or 365 probes of the hash table. */
struct run {
    int base, n, stride;
    struct entry *v;
};

/* A county's keys of one view (its items, units or channels) with their month and year sums
 * side by side: a county's year by item is one row of neighbouring entries. */
struct dense {
    int *kid; /* key ids in the order they came; a key's column is its index */
    int nk;
    struct run months, years; /* stride: the capacity of kid */
};

/* A key's days: ix[day - base] is the index of its day entry + 1 (0: none), for days base ..
 * base + cap - 1. Days come mostly in order (the roll-up rows are read day by day; live
 * changes count today and the next few days), so this grows at the end and a day is found in
 * one step, where a hash table of every (key, day) was a cache miss per row. */
struct days {
    int base, cap;
    uint32_t *ix;
};

struct key {
    int node, view, dim;      /* dim: index into dims */
    int col;                  /* its column in the county's dense sums (RI, RU, RC) */
    struct run months, years; /* R keys' own sums (stride 1) */
    struct days days;
};

struct data {
    struct node *nodes;
    size_t nnodes, capnodes;
    struct map node_ix; /* (length << 40 | value) + 1 → node */
    char (*dims)[64];
    size_t ndims, capdims;
    struct map dim_ix; /* string hash → dim (equality checked) */
    struct key *keys;
    size_t nkeys, capkeys;
    struct map key_ix; /* view, node, dim → key */
    struct entry *entries;
    size_t nentries, capentries;

    int min_day, max_day; /* of every cell added; min > max while empty */
};

struct wg_stats_cube {
    pthread_rwlock_t rw;
    pthread_mutex_t mu; /* one refresher at a time */
    struct data *d;
    long long seq;
    int built;
};

static uint64_t code_key(const char *code, size_t len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (uint64_t)(code[i] - '0');
    return ((uint64_t)len << 40 | v) + 1;
}

static int node_find(const struct data *d, const char *code, size_t len)
{
    uint32_t *v = map_get(&d->node_ix, code_key(code, len));
    return v ? (int)*v : -1;
}

static int node_get(struct data *d, const char *code, size_t len, int parent)
{
    int id = node_find(d, code, len);
    if (id >= 0)
        return id;
    d->nodes = grow(d->nodes, &d->capnodes, d->nnodes + 1, sizeof *d->nodes);
    id = (int)d->nnodes++;
    struct node *n = &d->nodes[id];
    memset(n, 0, sizeof *n);
    memcpy(n->code, code, len);
    n->first_child = n->next_sibling = n->rkey = -1;
    map_put(&d->node_ix, code_key(code, len), (uint32_t)id);
    if (parent >= 0) { /* children kept in code order */
        int *link = &d->nodes[parent].first_child;
        while (*link >= 0 && strcmp(d->nodes[*link].code, n->code) < 0)
            link = &d->nodes[*link].next_sibling;
        n->next_sibling = *link;
        *link = id;
    }
    return id;
}

static uint64_t str_hash(int view, const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)view;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h | 1;
}

static int dim_get(struct data *d, int view, const char *s)
{
    uint64_t h = str_hash(view, s);
    for (;;) {
        uint32_t *v = map_get(&d->dim_ix, h);
        if (!v)
            break;
        if (!strcmp(d->dims[*v], s))
            return (int)*v;
        h = mix(h) | 1; /* a different string with the same hash: probe on */
    }
    d->dims = grow(d->dims, &d->capdims, d->ndims + 1, sizeof *d->dims);
    snprintf(d->dims[d->ndims], sizeof d->dims[0], "%s", s);
    map_put(&d->dim_ix, h, (uint32_t)d->ndims);
    return (int)d->ndims++;
}

static void run_widen(struct run *r, int stride);

static int key_get(struct data *d, int view, int node, int dim)
{
    uint64_t k = ((uint64_t)view << 60 | (uint64_t)node << 30 | (uint64_t)(dim + 1)) + 1;
    uint32_t *v = map_get(&d->key_ix, k);
    if (v)
        return (int)*v;
    d->keys = grow(d->keys, &d->capkeys, d->nkeys + 1, sizeof *d->keys);
    int id = (int)d->nkeys++;
    memset(&d->keys[id], 0, sizeof d->keys[id]);
    d->keys[id].node = node;
    d->keys[id].view = view;
    d->keys[id].dim = dim;
    d->keys[id].months.stride = d->keys[id].years.stride = 1;
    if (view == WG_CUBE_R) {
        d->nodes[node].rkey = id;
    } else {
        struct dense *dv = d->nodes[node].dv[view];
        if (!dv)
            dv = d->nodes[node].dv[view] = wg_calloc(1, sizeof *dv);
        if (dv->nk == dv->months.stride) { /* widen: every row gets room for more keys */
            int cap = dv->nk ? dv->nk * 2 : 8;
            dv->kid = wg_realloc(dv->kid, (size_t)cap * sizeof *dv->kid);
            run_widen(&dv->months, cap);
            run_widen(&dv->years, cap);
        }
        d->keys[id].col = dv->nk;
        dv->kid[dv->nk++] = id;
    }
    map_put(&d->key_ix, k, (uint32_t)id);
    return id;
}

/* The slot of day in k's days, made when missing. */
static uint32_t *day_slot(struct days *k, int day)
{
    if (!k->cap || day < k->base || day >= k->base + k->cap) {
        int lo = !k->cap ? day : day < k->base ? day - 31 : k->base;
        int hi = !k->cap ? day + 32
                 : day >= k->base + k->cap
                     ? (day + 1 > k->base + 2 * k->cap ? day + 32 : k->base + 2 * k->cap)
                     : k->base + k->cap;
        uint32_t *ix = wg_calloc((size_t)(hi - lo), sizeof *ix);
        if (k->cap)
            memcpy(ix + (k->base - lo), k->ix, (size_t)k->cap * sizeof *ix);
        free(k->ix);
        k->ix = ix;
        k->base = lo;
        k->cap = hi - lo;
    }
    return &k->ix[day - k->base];
}

static void entry_add(struct data *d, int key, int slot, const long long *c)
{
    uint32_t *v = day_slot(&d->keys[key].days, slot);
    struct entry *e;
    if (!*v) {
        d->entries = grow(d->entries, &d->capentries, d->nentries + 1, sizeof *d->entries);
        e = &d->entries[d->nentries++];
        memset(e, 0, sizeof *e);
        *v = (uint32_t)d->nentries;
    } else {
        e = &d->entries[*v - 1];
    }
    counts_add(e, c);
}

static int month_of(int day)
{
    int y, m, dd;
    wg_civil_date(day, &y, &m, &dd);
    return y * 12 + m - 1;
}

/* Adds c to column col of row x of a run, growing it to cover x. */
static void run_add(struct run *r, int x, int col, const long long *c)
{
    if (!r->n || x < r->base || x >= r->base + r->n) {
        int lo = r->n ? (x < r->base ? x : r->base) : x;
        int hi = r->n ? (x >= r->base + r->n ? x + 1 : r->base + r->n) : x + 1;
        struct entry *m = wg_calloc((size_t)(hi - lo) * (size_t)r->stride, sizeof *m);
        if (r->n)
            memcpy(m + (size_t)(r->base - lo) * (size_t)r->stride, r->v,
                   (size_t)r->n * (size_t)r->stride * sizeof *m);
        free(r->v);
        r->v = m;
        r->base = lo;
        r->n = hi - lo;
    }
    struct entry *e = &r->v[(size_t)(x - r->base) * (size_t)r->stride + (size_t)col];
    counts_add(e, c);
}

/* The entry of row x, column col, or NULL when the run has no row x. */
static const struct entry *run_at(const struct run *r, int x, int col)
{
    if (x < r->base || x >= r->base + r->n)
        return NULL;
    return &r->v[(size_t)(x - r->base) * (size_t)r->stride + (size_t)col];
}

/* Widens every row to `stride` columns. */
static void run_widen(struct run *r, int stride)
{
    if (r->n) {
        struct entry *m = wg_calloc((size_t)r->n * (size_t)stride, sizeof *m);
        for (int i = 0; i < r->n; i++)
            memcpy(m + (size_t)i * (size_t)stride, r->v + (size_t)i * (size_t)r->stride,
                   (size_t)r->stride * sizeof *m);
        free(r->v);
        r->v = m;
    }
    r->stride = stride;
}

static const struct run *months_of(const struct data *d, const struct key *k)
{
    return k->view == WG_CUBE_R ? &k->months : &d->nodes[k->node].dv[k->view]->months;
}

static const struct run *years_of(const struct data *d, const struct key *k)
{
    return k->view == WG_CUBE_R ? &k->years : &d->nodes[k->node].dv[k->view]->years;
}

static void add_key(struct data *d, int key, int day, int month, const long long *c)
{
    struct key *k = &d->keys[key];
    entry_add(d, key, day, c);
    if (k->view == WG_CUBE_R) {
        run_add(&k->months, month, 0, c);
        run_add(&k->years, month / 12, 0, c);
    } else {
        struct dense *dv = d->nodes[k->node].dv[k->view];
        run_add(&dv->months, month, k->col, c);
        run_add(&dv->years, month / 12, k->col, c);
    }
}

_Static_assert(WG_CUBE_R == (int)WG_ROLL_REGION && WG_CUBE_RI == (int)WG_ROLL_ITEM &&
                   WG_CUBE_RU == (int)WG_ROLL_UNIT && WG_CUBE_RC == (int)WG_ROLL_CHANNEL,
               "the cube's views are the roll-up views");

/* A node code's chain of nodes from the deployment down, and their region keys: rows come
 * in key order, so one county's hundreds of rows resolve it once. */
struct path {
    char code[16];
    int n;       /* nodes in the chain */
    int node[5]; /* deployment, province, city, county, town: as deep as the code goes */
    int rkey[5]; /* their R keys; -1 until a region row needs them */
};

static const struct path *path_of(struct data *d, struct path *p, const char *code)
{
    static const size_t levels[] = {0, WG_CODE_LEN_PROVINCE, WG_CODE_LEN_CITY, WG_CODE_LEN_COUNTY,
                                    WG_CODE_LEN_TOWN};
    if (p->n && !strcmp(p->code, code))
        return p;
    size_t len = strlen(code);
    int parent = -1;
    snprintf(p->code, sizeof p->code, "%s", code);
    p->n = 0;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0] && levels[i] <= len; i++) {
        parent = node_get(d, code, levels[i], parent);
        p->node[p->n] = parent;
        p->rkey[p->n++] = -1;
    }
    return p;
}

/* Adds one roll-up row: a region row to its node and every node above it, a county row to
 * its county's key of the view. */
static void data_add_roll(struct data *d, struct path *cache, const struct wg_stat_roll *r,
                          int month)
{
    if (!d->nentries || r->day < d->min_day)
        d->min_day = r->day;
    if (!d->nentries || r->day > d->max_day)
        d->max_day = r->day;
    struct path *p = (struct path *)path_of(d, cache, r->node);
    if (r->view == WG_ROLL_REGION) {
        for (int i = 0; i < p->n; i++) {
            if (p->rkey[i] < 0)
                p->rkey[i] = key_get(d, WG_CUBE_R, p->node[i], 0);
            add_key(d, p->rkey[i], r->day, month, r->c);
        }
    } else if (p->n == 4) { /* a county */
        add_key(d, key_get(d, r->view, p->node[3], dim_get(d, r->view, r->dim)), r->day, month,
                r->c);
    }
}

/* Adds one cell: its roll-up rows (a log row's deltas are cells). */
static void data_add(struct data *d, const struct wg_stat_cell *cell)
{
    struct wg_stat_roll r[4];
    struct path cache = {"", 0, {0}, {0}};
    char town[WG_CODE_LEN_TOWN + 1], county[WG_CODE_LEN_COUNTY + 1];
    int n = wg_stats_rolls_of(cell, r, town, county), month = month_of(cell->day);
    for (int i = 0; i < n; i++)
        data_add_roll(d, &cache, &r[i], month);
}

static void data_free(struct data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nnodes; i++)
        for (int v = 0; v < WG_CUBE_NVIEWS; v++)
            if (d->nodes[i].dv[v]) {
                free(d->nodes[i].dv[v]->kid);
                free(d->nodes[i].dv[v]->months.v);
                free(d->nodes[i].dv[v]->years.v);
                free(d->nodes[i].dv[v]);
            }
    free(d->nodes);
    free(d->dims);
    for (size_t i = 0; i < d->nkeys; i++) {
        free(d->keys[i].months.v);
        free(d->keys[i].years.v);
        free(d->keys[i].days.ix);
    }
    free(d->keys);
    free(d->entries);
    map_free(&d->node_ix);
    map_free(&d->dim_ix);
    map_free(&d->key_ix);

    free(d);
}

/* ---- the cube ---- */

struct wg_stats_cube *wg_stats_cube_new(void)
{
    struct wg_stats_cube *c = wg_calloc(1, sizeof *c);
    c->d = wg_calloc(1, sizeof *c->d);
    pthread_rwlock_init(&c->rw, NULL);
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void wg_stats_cube_free(struct wg_stats_cube *c)
{
    if (!c)
        return;
    data_free(c->d);
    pthread_rwlock_destroy(&c->rw);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

struct building {
    struct data *d;
    int day, month; /* the month of the last row's day: rows come day by day */
    struct path path;
};

static int build_roll(const struct wg_stat_roll *r, void *ctx)
{
    struct building *b = ctx;
    if (r->day != b->day) {
        b->day = r->day;
        b->month = month_of(r->day);
    }
    data_add_roll(b->d, &b->path, r, b->month);
    return 0;
}

static enum wg_rc build(struct wg_stats_cube *c, struct wg_db *db, struct wg_err *err)
{
    struct data *d = wg_calloc(1, sizeof *d);
    struct building b = {d, INT32_MIN, 0, {"", 0, {0}, {0}}};
    long long pos = 0;
    enum wg_rc rc;
    /* the cells and the log position of one moment: no change can come between */
    if ((rc = wg_db_begin(db, err))) {
        data_free(d);
        return rc;
    }
    if ((rc = wg_store_stat_roll_pos(db, &pos, err)) ||
        (rc = wg_store_stat_rolls(db, build_roll, &b, err))) {
        wg_db_rollback(db);
        data_free(d);
        return rc;
    }
    wg_db_rollback(db); /* read only */
    pthread_rwlock_wrlock(&c->rw);
    data_free(c->d);
    c->d = d;
    c->seq = pos; /* the log after it is applied next (the refresh goes on to it) */
    c->built = 1;
    pthread_rwlock_unlock(&c->rw);
    return WG_OK;
}

struct pending {
    long long *seq;
    char **text;
    int n, cap;
};

static int take_log(long long seq, const char *text, void *ctx)
{
    struct pending *p = ctx;
    if (p->n == p->cap)
        return 1;
    p->seq[p->n] = seq;
    p->text[p->n++] = wg_strdup(text);
    return 0;
}

static int apply_cell(const struct wg_stat_cell *cell, void *ctx)
{
    data_add(ctx, cell);
    return 0;
}

#define LOG_BATCH 4096

enum wg_rc wg_stats_cube_refresh(struct wg_stats_cube *c, struct wg_db *db, struct wg_err *err)
{
    long long seqs[LOG_BATCH];
    char *texts[LOG_BATCH];
    enum wg_rc rc = WG_OK;
    pthread_mutex_lock(&c->mu);
    int fresh = !c->built;
    if (fresh && (rc = build(c, db, err)))
        goto out;
    for (;;) {
        struct pending p = {seqs, texts, 0, LOG_BATCH};
        if ((rc = wg_store_stat_log_since(db, c->seq, LOG_BATCH, take_log, &p, err)))
            goto out;
        if (!p.n)
            break;
        if (p.seq[0] > c->seq + 1) { /* pruned past us, or only a rolled-back gap? */
            long long lo = 0, hi = 0;
            if (!(rc = wg_store_stat_log_bounds(db, &lo, &hi, err)) && lo > c->seq + 1 && !fresh) {
                for (int i = 0; i < p.n; i++)
                    free(p.text[i]);
                wg_info("indicators: the change log was pruned past this server's roll-ups; "
                        "building them again");
                if ((rc = build(c, db, err)))
                    goto out;
                fresh = 1; /* the roll-up rows hold what the pruned rows held */
                continue;
            }
        }
        pthread_rwlock_wrlock(&c->rw);
        for (int i = 0; i < p.n; i++) {
            if (!p.text[i] || wg_stats_log_parse(p.text[i], apply_cell, c->d) < 0)
                wg_error("indicators: change log row %lld is unreadable; skipped", p.seq[i]);
            free(p.text[i]);
        }
        c->seq = p.seq[p.n - 1];
        pthread_rwlock_unlock(&c->rw);
        if (p.n < LOG_BATCH)
            break;
    }
out:
    pthread_mutex_unlock(&c->mu);
    return rc;
}

void wg_stats_cube_span(struct wg_stats_cube *c, int *min_day, int *max_day)
{
    *min_day = c->d->nentries ? c->d->min_day : 1;
    *max_day = c->d->nentries ? c->d->max_day : 0;
}

size_t wg_stats_cube_entries(struct wg_stats_cube *c)
{
    return c->d->nentries;
}

size_t wg_stats_cube_bytes(struct wg_stats_cube *c)
{
    const struct data *d = c->d;
    size_t maps = (d->node_ix.cap + d->dim_ix.cap + d->key_ix.cap) * 12;
    for (size_t i = 0; i < d->nkeys; i++)
        maps += (size_t)d->keys[i].days.cap * sizeof(uint32_t);
    for (size_t i = 0; i < d->nkeys; i++)
        maps += (size_t)(d->keys[i].months.n + d->keys[i].years.n) * sizeof(struct entry);
    for (size_t i = 0; i < d->nnodes; i++)
        for (int v = 0; v < WG_CUBE_NVIEWS; v++)
            if (d->nodes[i].dv[v])
                maps += (size_t)(d->nodes[i].dv[v]->months.n + d->nodes[i].dv[v]->years.n) *
                            (size_t)d->nodes[i].dv[v]->months.stride * sizeof(struct entry) +
                        (size_t)d->nodes[i].dv[v]->months.stride * sizeof(int);
    return maps + d->capnodes * sizeof *d->nodes + d->capdims * sizeof *d->dims +
           d->capkeys * sizeof *d->keys + d->capentries * sizeof *d->entries;
}

void wg_stats_cube_rdlock(struct wg_stats_cube *c)
{
    pthread_rwlock_rdlock(&c->rw);
}

void wg_stats_cube_unlock(struct wg_stats_cube *c)
{
    pthread_rwlock_unlock(&c->rw);
}

int wg_stats_cube_node(struct wg_stats_cube *c, const char *code)
{
    size_t len = strlen(code);
    if (len > WG_CODE_LEN_TOWN || (len && wg_level_of_len(len) == WG_LEVEL_NONE))
        return -1; /* the cube's nodes go down to towns */
    return node_find(c->d, code, len);
}

const char *wg_stats_cube_node_code(struct wg_stats_cube *c, int node)
{
    return c->d->nodes[node].code;
}

void wg_stats_cube_children(struct wg_stats_cube *c, int node, void (*cb)(int child, void *),
                            void *ctx)
{
    for (int k = c->d->nodes[node].first_child; k >= 0; k = c->d->nodes[k].next_sibling)
        cb(k, ctx);
}

void wg_stats_cube_dims(struct wg_stats_cube *c, enum wg_cube_view v, int county,
                        void (*cb)(int key, const char *value, void *), void *ctx)
{
    const struct dense *dv = c->d->nodes[county].dv[v];
    for (int i = 0; dv && i < dv->nk; i++)
        cb(dv->kid[i], c->d->dims[c->d->keys[dv->kid[i]].dim], ctx);
}

int wg_stats_cube_region_key(struct wg_stats_cube *c, int node)
{
    return c->d->nodes[node].rkey;
}

static void add_one(const struct entry *e, long long out[WG_SC_COUNT])
{
    counts_out(e, out);
}

static void add_entry(const struct data *d, int key, int slot, long long out[WG_SC_COUNT])
{
    const struct days *k = &d->keys[key].days;
    if (slot < k->base || slot >= k->base + k->cap || !k->ix[slot - k->base])
        return;
    const struct entry *e = &d->entries[k->ix[slot - k->base] - 1];
    counts_out(e, out);
}

/* A period as whole years, whole months (year * 12 + month - 1) and single days: the same
 * for every key of one answer, so worked out once per thread and period. Edges are at most
 * 61 days and a period at most 3660 days, so 256 slots hold any. month[i]: 0 a day, 1 a
 * month, 2 a year. */
struct plan {
    int from, to, n;
    int slot[256];
    char month[256];
};

static _Thread_local struct plan last = {1, 0, 0, {0}, {0}};

static const struct plan *plan_of(int from, int to)
{
    struct plan *p = &last;
    if (p->from == from && p->to == to)
        return p;
    p->n = 0;
    for (int day = from; day <= to && p->n < 256;) {
        int y, m, dd;
        wg_civil_date(day, &y, &m, &dd);
        if (dd == 1 && m == 1) {
            int next = wg_civil_days(y + 1, 1, 1);
            if (next - 1 <= to) { /* the whole year is in the period */
                p->slot[p->n] = y;
                p->month[p->n++] = 2;
                day = next;
                continue;
            }
        }
        if (dd == 1) {
            int next = m == 12 ? wg_civil_days(y + 1, 1, 1) : wg_civil_days(y, m + 1, 1);
            if (next - 1 <= to) { /* the whole month is in the period */
                p->slot[p->n] = y * 12 + m - 1;
                p->month[p->n++] = 1;
                day = next;
                continue;
            }
        }
        p->slot[p->n] = day++;
        p->month[p->n++] = 0;
    }
    p->from = from;
    p->to = to;
    return p;
}

void wg_stats_cube_sum(struct wg_stats_cube *c, int key, int from, int to,
                       long long out[WG_SC_COUNT])
{
    const struct data *d = c->d;
    const struct key *k = &d->keys[key];
    const struct run *months = months_of(d, k), *years = years_of(d, k);
    int col = k->view == WG_CUBE_R ? 0 : k->col;
    const struct entry *e;
    if (to - from > 4000) { /* longer than any period: day by day would not fit the plan */
        for (int i = 0; i < months->n; i++) {
            int y = (months->base + i) / 12, m = (months->base + i) % 12 + 1;
            int a = wg_civil_days(y, m, 1);
            int z = (m == 12 ? wg_civil_days(y + 1, 1, 1) : wg_civil_days(y, m + 1, 1)) - 1;
            if (a >= from && z <= to)
                add_one(run_at(months, months->base + i, col), out);
            else
                for (int day = a > from ? a : from; day <= z && day <= to; day++)
                    add_entry(d, key, day, out);
        }
        return;
    }
    const struct plan *p = plan_of(from, to);
    for (int i = 0; i < p->n; i++) {
        if (!p->month[i])
            add_entry(d, key, p->slot[i], out);
        else if ((e = run_at(p->month[i] == 2 ? years : months, p->slot[i], col)))
            add_one(e, out);
    }
}
