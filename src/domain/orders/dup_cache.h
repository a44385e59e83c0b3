/* The window of intake's duplicate candidates kept in memory (duplicates.h): per county, the
 * orders of the last WG_DUP_NEAR_DAYS days as the nearby item's and the text's searches need
 * them — id, number, created_at, point, merged-or-invalid, by item, and the bigrams of the
 * county's newest WG_DUP_CACHE_GRAMS texts — so that a create reads from the store only the
 * rows of its candidates instead of the item's index walk and the county's newest 50 rows.
 *
 * It answers exactly as the store's searches do, because before each search it is brought
 * up to the store: the orders after the last id it holds (any server's: several servers on
 * one store each keep their own), and the ids of the county's orders of the window that are
 * merged or invalid (both final states, read in an index alone). A county is filled from the
 * store the first time it is asked for. The phone's search stays in the store (30 days, and
 * cheap by its index).
 *
 * Memory: about 160 bytes an order of the window (the entry, its places in the county's and
 * the item's lists, the id map): 32 MB for a province's week of 200,000 orders; and at most
 * WG_DUP_CACHE_GRAMS bigram sets a county, 3.2 KB at most each. One lock: a search runs
 * under it. The server keeps one on SQLite only (server/app.c; docs/BENCHMARKS.md says why). */
#ifndef WG_DOMAIN_DUP_CACHE_H
#define WG_DOMAIN_DUP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define WG_DUP_CACHE_GRAMS 64 /* a county's newest orders whose bigrams are kept */
#define WG_DUP_CACHE_GAP_US                                                                        \
    2000000 /* how long a hole in the ids is waited for (another server's transaction) */

struct wg_dup_cache;

struct wg_dup_cache *wg_dup_cache_new(void);
void wg_dup_cache_free(struct wg_dup_cache *c);

/* One create's searches. */
struct wg_dup_ask {
    const char *county;
    const char *item; /* NULL or "": no nearby item search */
    int has_point;
    double lon, lat, radius, box[4];
    const char *lo, *since; /* the window: number >= lo, created_at >= since */
    const char *day;        /* lo's day (yyyymmdd), where every county's window starts */
    const char *fill;       /* a county's first fill reads the orders created from fill */
    int text;               /* the text search runs */
    /* an order's sorted distinct bigrams (returns owned, *n set), and the similarity in
     * percent of sorted bigrams to the new order's */
    uint64_t *(*grams)(const char *title, const char *text, size_t *n);
    int (*score)(const uint64_t *g, size_t n, void *ctx);
    void *ctx;
};

/* What the window found: each order once; near with its metres (the nearby item's search),
 * text 1 when the text search reached it, with score its similarity (percent) or -1 when
 * its bigrams are no longer kept (the caller reads its text). Orders whose kept bigrams are
 * not alike are left out. */
struct wg_dup_hit {
    long long id;
    int near, text, score;
    double metres;
};

/* Brings the window up to db, then runs the searches of a. *out (owned, free) receives *n
 * hits. */
enum wg_rc wg_dup_cache_find(struct wg_dup_cache *c, struct wg_db *db, const struct wg_dup_ask *a,
                             struct wg_dup_hit **out, size_t *n, struct wg_err *err);

/* The orders held and the bytes they take (tests, the benchmark's notes). */
void wg_dup_cache_size(struct wg_dup_cache *c, size_t *orders, size_t *bytes);

#endif
