/* Typed queries of the address search: buildings and houses by address, towns and villages
 * by name (queries.def says what each costs). */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/places_q.h"

struct each_hit {
    int (*cb)(const struct wg_addr_hit *, void *);
    void *ctx;
};

static int each_hit(struct wg_row *row, void *ctx)
{
    struct each_hit *e = ctx;
    char id[WG_BUILDING_CODE_MAX + 1];
    struct wg_addr_hit h;
    memset(&h, 0, sizeof h);
    wg_row_copy(row, 0, id, sizeof id); /* a code, or a house's id as text */
    h.id = id;
    h.name = wg_row_text(row, 1);
    h.address = wg_row_text(row, 2);
    h.has_point = !wg_row_isnull(row, 3) && !wg_row_isnull(row, 4);
    h.lon = h.has_point ? wg_row_real(row, 3) : 0;
    h.lat = h.has_point ? wg_row_real(row, 4) : 0;
    h.grid = wg_row_text(row, 5);
    h.grid_name = wg_row_text(row, 6);
    h.has_box = !wg_row_isnull(row, 7) && !wg_row_isnull(row, 8);
    h.box_lon = h.has_box ? wg_row_real(row, 7) : 0;
    h.box_lat = h.has_box ? wg_row_real(row, 8) : 0;
    return e->cb(&h, e->ctx);
}

static int get_count(struct wg_row *row, void *ctx)
{
    *(long long *)ctx = wg_row_int(row, 0);
    return 1;
}

/* The bigram of q that the fewest buildings hold (counted up to GRAM_PROBE each), into gram;
 * "" when q has fewer than two characters or a bigram no building holds (then none holds q).
 * At most GRAM_TRIES of its bigrams are asked, spread over it. */
#define GRAM_PROBE  2000
#define QUERY_CHARS 64 /* the domain allows 60 */
#define GRAM_TRIES  6
static enum wg_rc rarest_gram(struct wg_db *db, const char *q, char gram[16], struct wg_err *err)
{
    size_t starts[QUERY_CHARS + 2], n = 0;
    long long best = -1;
    gram[0] = '\0';
    for (size_t i = 0; q[i] && n < QUERY_CHARS + 1; i++)
        if (((unsigned char)q[i] & 0xc0) != 0x80)
            starts[n++] = i;
    starts[n] = strlen(q);
    for (size_t t = 0; n >= 2 && t < GRAM_TRIES && t < n - 1; t++) {
        size_t k = n - 1 <= GRAM_TRIES ? t : t * (n - 2) / (GRAM_TRIES - 1);
        size_t len = starts[k + 2] - starts[k];
        char g[16];
        long long count = 0;
        if (len >= sizeof g)
            continue;
        memcpy(g, q + starts[k], len);
        g[len] = '\0';
        struct wg_val p[] = {WG_VTEXT(g), WG_VINT(GRAM_PROBE)};
        enum wg_rc rc =
            wg_db_query(db, WG_Q_ADDR_GRAM_COUNT, p, WG_NVALS(p), get_count, &count, err);
        if (rc)
            return rc;
        if (count == 0) {
            gram[0] = '\0';
            return WG_OK;
        }
        if (best < 0 || count < best) {
            best = count;
            memcpy(gram, g, len + 1);
        }
    }
    return WG_OK;
}

enum wg_rc wg_store_addr_find(struct wg_db *db, enum wg_addr_source src, const char *q,
                              const char *prefix, int limit,
                              int (*cb)(const struct wg_addr_hit *, void *), void *ctx,
                              struct wg_err *err)
{
    static const enum wg_q qs[] = {WG_Q_ADDR_BUILDING_PREFIX, WG_Q_ADDR_BUILDING_SUBSTR,
                                   WG_Q_ADDR_HOUSE_PREFIX, WG_Q_ADDR_HOUSE_SUBSTR, WG_Q_ADDR_ORG};
    int by_gram = src == WG_ADDR_BUILDING_SUBSTR || src == WG_ADDR_HOUSE_SUBSTR;
    char gram[16] = "";
    struct wg_val p[] = {WG_VTEXT(q), WG_VTEXT(prefix), WG_VINT(limit), WG_VTEXT(gram)};
    struct each_hit e = {cb, ctx};
    if (by_gram) {
        enum wg_rc rc = rarest_gram(db, q, gram, err);
        if (rc || !gram[0])
            return rc;
    }
    return wg_db_query(db, qs[src], p, by_gram ? 4 : 3, each_hit, &e, err);
}

struct each_region {
    int (*cb)(const char *, const char *, const char *, void *);
    void *ctx;
};

static int each_region(struct wg_row *row, void *ctx)
{
    struct each_region *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc wg_store_addr_regions(struct wg_db *db, const char *q, const char *prefix, int limit,
                                 int (*cb)(const char *code, const char *name, const char *level,
                                           void *),
                                 void *ctx, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(q), WG_VTEXT(prefix), WG_VINT(limit)};
    struct each_region e = {cb, ctx};
    return wg_db_query(db, WG_Q_ADDR_REGIONS, p, WG_NVALS(p), each_region, &e, err);
}

struct box {
    double *b;
    long long *n;
};

static int get_box(struct wg_row *row, void *ctx)
{
    struct box *x = ctx;
    *x->n = wg_row_int(row, 4);
    for (int i = 0; i < 4 && *x->n; i++)
        x->b[i] = wg_row_real(row, i);
    return 1;
}

enum wg_rc wg_store_addr_region_box(struct wg_db *db, const char *code, double box[4], long long *n,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct box x = {box, n};
    *n = 0;
    return wg_db_query(db, WG_Q_ADDR_REGION_BOX, p, 1, get_box, &x, err);
}
