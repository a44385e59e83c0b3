/* The detectors of early warning (warning.h), pure and in memory: an engine is fed the
 * orders one at a time in id order and answers, for each, the situations it shows (hits).
 * It keeps, for the rules it was made with, only what the detectors' windows need:
 *
 *   cluster     per item, a spatial hash of the window's points in cells twice radius_m
 *               wide (a point looks at the 2 × 2 cells around the quarter of its own
 *               cell it lies in, which hold every point within the radius);
 *   recurrence  per grid × item, the counts of the last 16 weeks and the newest order ids;
 *   surge       per town × item, the counts of the last 64 days, the day's ids and the
 *               smallest count that is a surge on that day, worked out once a day;
 *   caller      per phone blind index, its newest order ids and times;
 *   keyword     nothing: each order's title and content are searched for the words.
 *
 * An order costs a few hash look-ups and, for keywords, a search of its text; nothing is
 * allocated once the tables are warm (bench/warnings measures it). Not thread-safe: one
 * engine per follower. */
#ifndef WG_DOMAIN_WARN_DETECT_H
#define WG_DOMAIN_WARN_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/alerts/warning.h"

#define WG_WARN_HIT_IDS 256 /* the orders a hit names at most: the newest */

/* One order as the detectors see it; texts "" when absent. */
struct wg_warn_order {
    long long id, at; /* at: created, UTC seconds */
    int has_point;
    double lon, lat;
    const char *item, *grid, *county, *phone_blind, *title, *content;
};

struct wg_warn_hit {
    enum wg_warn_kind kind;
    enum wg_warn_level level;
    long long trigger, at; /* the order that showed it, and its time */
    char item[32], scope[32], key[96];
    int has_point;
    double lon, lat;
    double match_m;       /* cluster: an open warning within this distance is the same situation */
    long long count;      /* the situation's size as the detector sees it */
    char detail[256];     /* a JSON object */
    const long long *ids; /* the orders behind it (the trigger too), valid until the next feed */
    int nids;
};

struct wg_warn_engine;

struct wg_warn_engine *wg_warn_engine_new(const struct wg_warn_rules *r);
void wg_warn_engine_free(struct wg_warn_engine *e); /* NULL: nothing */
/* Feeds order o; *hits (owned by the engine, valid until the next feed) receives the
 * situations it shows, at most one per kind; returns how many. */
int wg_warn_engine_feed(struct wg_warn_engine *e, const struct wg_warn_order *o,
                        const struct wg_warn_hit **hits);
/* Entries kept and bytes held (for the log and the bench). */
void wg_warn_engine_size(const struct wg_warn_engine *e, size_t *entries, size_t *bytes);
/* The days of orders before the newest the engine needs to be warm (rebuilding at start). */
int wg_warn_engine_window_days(const struct wg_warn_rules *r);

/* P(X >= n) for X Poisson with mean lambda (> 0), summed in log space from n upward. */
double wg_warn_poisson_tail(long long n, double lambda);

/* ---- inside the engine (warn_detect.c and the detectors' files) ---- */

/* An open-addressing map from a 64-bit key (never 0) to a 32-bit slot. */
struct wg_warn_slot {
    uint64_t key; /* 0: empty */
    uint32_t val;
};
struct wg_warn_map {
    struct wg_warn_slot *at; /* key and slot side by side: one cache line a probe */
    size_t cap, n;
};
/* The slot of key, or made (*fresh 1) as `next`; the caller then appends its entry. */
uint32_t wg_warn_map_get(struct wg_warn_map *m, uint64_t key, uint32_t next, int *fresh);
/* The slot of key, UINT32_MAX when it has none. */
uint32_t wg_warn_map_find(const struct wg_warn_map *m, uint64_t key);
void wg_warn_map_release(struct wg_warn_map *m);
/* Interns a string (its index from 0); strings past 64 bytes are cut. */
struct wg_warn_names {
    struct wg_warn_map map;
    size_t n;
};
uint32_t wg_warn_name(struct wg_warn_names *t, const char *s, size_t len);
uint64_t wg_warn_hash(const char *s, size_t len);

struct wg_warn_cluster;
struct wg_warn_recur;
struct wg_warn_surge;
struct wg_warn_caller;

struct wg_warn_cluster *wg_warn_cluster_new(const struct wg_warn_rules *r);
void wg_warn_cluster_free(struct wg_warn_cluster *c);
int wg_warn_cluster_feed(struct wg_warn_cluster *c, uint32_t item, const struct wg_warn_order *o,
                         struct wg_warn_hit *h);
size_t wg_warn_cluster_bytes(const struct wg_warn_cluster *c, size_t *entries);

struct wg_warn_recur *wg_warn_recur_new(const struct wg_warn_rules *r);
void wg_warn_recur_free(struct wg_warn_recur *c);
int wg_warn_recur_feed(struct wg_warn_recur *c, uint32_t item, uint32_t grid,
                       const struct wg_warn_order *o, struct wg_warn_hit *h);
size_t wg_warn_recur_bytes(const struct wg_warn_recur *c, size_t *entries);

struct wg_warn_surge *wg_warn_surge_new(const struct wg_warn_rules *r);
void wg_warn_surge_free(struct wg_warn_surge *c);
int wg_warn_surge_feed(struct wg_warn_surge *c, uint32_t item, uint32_t town,
                       const struct wg_warn_order *o, struct wg_warn_hit *h);
size_t wg_warn_surge_bytes(const struct wg_warn_surge *c, size_t *entries);

struct wg_warn_caller *wg_warn_caller_new(const struct wg_warn_rules *r);
void wg_warn_caller_free(struct wg_warn_caller *c);
int wg_warn_caller_feed(struct wg_warn_caller *c, const struct wg_warn_order *o,
                        struct wg_warn_hit *h);
size_t wg_warn_caller_bytes(const struct wg_warn_caller *c, size_t *entries);

int wg_warn_words_feed(const struct wg_warn_rules *r, const struct wg_warn_order *o,
                       struct wg_warn_hit *h);

/* The level of size against threshold: 1× blue, 2× yellow, 3× red. */
enum wg_warn_level wg_warn_level_by_size(long long size, long long threshold);
/* The scope of an order: its grid, else its county. */
void wg_warn_scope_of(const struct wg_warn_order *o, char out[32]);

#endif
