/* Copying a store into another (store.h, wg_store_copy): every table of copy.def read in
 * keyset pages from one snapshot of the source and written into the empty destination,
 * then both read back and compared, table by table. */
#include "store/store.h"

#include <sodium.h>

#include "core/alloc.h"
#include "store/backend.h"
#include "store/stats/stats_q.h"

#define PAGE 2000

struct table {
    const char *name, *types;
    enum wg_q first, next, write;
};

static const struct table tables[] = {
#define WG_COPY(t, types, cols, keys, kmarks, marks)                                               \
    {#t, types, WG_Q_COPY_FIRST_##t, WG_Q_COPY_NEXT_##t, WG_Q_COPY_WRITE_##t},
#include "store/copy.def"
#undef WG_COPY
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* One page of a table's rows, each value owned (text copied). */
struct page {
    const struct table *t;
    size_t ncols, nrows;
    struct wg_val *v;               /* nrows * ncols */
    crypto_generichash_state *hash; /* the rows read, in order, when not NULL */
};

static void page_clear(struct page *p)
{
    for (size_t i = 0; i < p->nrows * p->ncols; i++)
        if (p->v[i].t == WG_V_TEXT)
            free((char *)p->v[i].s);
    p->nrows = 0;
}

/* A value's canonical form in the digest: its type and its value, the same on every backend
 * (whole numbers and reals as numbers, text as its bytes). */
static void hash_val(crypto_generichash_state *h, const struct wg_val *v)
{
    char buf[48];
    int n = 0;
    switch (v->t) {
    case WG_V_NULL:
        n = snprintf(buf, sizeof buf, "N");
        break;
    case WG_V_INT:
        n = snprintf(buf, sizeof buf, "I%lld", v->i);
        break;
    case WG_V_REAL:
        n = snprintf(buf, sizeof buf, "R%.17g", v->d);
        break;
    default:
        n = snprintf(buf, sizeof buf, "T%zu:", strlen(v->s));
        break;
    }
    crypto_generichash_update(h, (const unsigned char *)buf, (unsigned long long)n);
    if (v->t == WG_V_TEXT)
        crypto_generichash_update(h, (const unsigned char *)v->s, strlen(v->s));
}

static int take_row(struct wg_row *row, void *ctx)
{
    struct page *p = ctx;
    struct wg_val *v = p->v + p->nrows * p->ncols;
    for (size_t c = 0; c < p->ncols; c++) {
        int col = (int)c;
        if (wg_row_isnull(row, col))
            v[c] = WG_VNULL;
        else if (p->t->types[c] == 'I')
            v[c] = WG_VINT(wg_row_int(row, col));
        else if (p->t->types[c] == 'R')
            v[c] = WG_VREAL(wg_row_real(row, col));
        else
            v[c] = WG_VTEXT(wg_strdup(wg_row_text(row, col)));
        if (p->hash)
            hash_val(p->hash, &v[c]);
    }
    p->nrows++;
    return 0;
}

/* The next page of p's table after the last row of the page before (none: from the start). */
static enum wg_rc read_page(struct wg_db *db, struct page *p, struct wg_err *err)
{
    struct wg_val keys[8];
    size_t nkeys = 0;
    if (p->nrows) {
        nkeys = (size_t)wg_query_nparams(p->t->next, db->be->dialect) - 1;
        memcpy(keys, p->v + (p->nrows - 1) * p->ncols, nkeys * sizeof *keys);
        for (size_t k = 0; k < nkeys; k++) /* the page's texts are freed below */
            if (keys[k].t == WG_V_TEXT)
                keys[k].s = wg_strdup(keys[k].s);
    }
    page_clear(p);
    keys[nkeys] = WG_VINT(PAGE);
    enum wg_rc rc =
        wg_db_query(db, nkeys ? p->t->next : p->t->first, keys, nkeys + 1, take_row, p, err);
    for (size_t k = 0; k < nkeys; k++)
        if (keys[k].t == WG_V_TEXT)
            free((char *)keys[k].s);
    return rc;
}

/* Reads every row of t from db (in the transaction open there), calling write for each page
 * when it is not NULL; *rows counts them and digest takes their canonical form. */
static enum wg_rc walk(struct wg_db *db, const struct table *t,
                       enum wg_rc (*write)(struct page *, void *, struct wg_err *), void *wctx,
                       long long *rows, unsigned char digest[32], struct wg_err *err)
{
    crypto_generichash_state h;
    struct page p = {t, strlen(t->types), 0, NULL, &h};
    enum wg_rc rc;
    p.v = wg_calloc(PAGE * p.ncols, sizeof *p.v);
    crypto_generichash_init(&h, NULL, 0, 32);
    *rows = 0;
    do {
        if ((rc = read_page(db, &p, err)) || (write && p.nrows && (rc = write(&p, wctx, err))))
            break;
        *rows += (long long)p.nrows;
    } while (p.nrows == PAGE);
    crypto_generichash_final(&h, digest, 32);
    page_clear(&p);
    free(p.v);
    if (rc)
        wg_err_prefix(err, "table %s", t->name);
    return rc;
}

/* Writes a page into the destination, in a transaction of its own. */
static enum wg_rc write_page(struct page *p, void *ctx, struct wg_err *err)
{
    struct wg_db *to = ctx;
    enum wg_rc rc = wg_db_begin(to, err);
    for (size_t r = 0; !rc && r < p->nrows; r++)
        rc = wg_db_exec(to, p->t->write, p->v + r * p->ncols, p->ncols, NULL, err);
    if (!rc)
        rc = wg_db_commit(to, err);
    if (rc)
        wg_db_rollback(to);
    return rc;
}

static int any_row(struct wg_row *row, void *ctx)
{
    (void)row;
    *(int *)ctx = 1;
    return 1;
}

/* The destination must hold nothing yet (but the fold position every store is made with). */
static enum wg_rc check_empty(struct wg_db *to, struct wg_err *err)
{
    struct wg_val one[] = {WG_VINT(1)};
    for (size_t i = 0; i < NTABLES; i++) {
        int any = 0;
        enum wg_rc rc = wg_db_query(to, tables[i].first, one, 1, any_row, &any, err);
        if (rc)
            return rc;
        if (any)
            return wg_err_set(err, WG_ECONFLICT,
                              "the destination already holds %s rows: copy into an empty "
                              "database or a new directory (not one 'wangge init' made)",
                              tables[i].name);
    }
    return WG_OK;
}

/* Reads every table of db back and compares it with what was read from the source. */
static enum wg_rc read_back(struct wg_db *db, const unsigned char (*digests)[32],
                            const long long *counts, struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin_read(db, err);
    for (size_t i = 0; !rc && i < NTABLES; i++) {
        unsigned char d[32];
        long long n = 0;
        if ((rc = walk(db, &tables[i], NULL, NULL, &n, d, err)))
            break;
        if (n != counts[i] || memcmp(d, digests[i], 32))
            rc = wg_err_set(err, WG_EDB,
                            "the copy of table %s does not read back the same (%lld rows "
                            "copied, %lld read)",
                            tables[i].name, counts[i], n);
    }
    if (db->in_tx)
        wg_db_rollback(db);
    return rc;
}

static enum wg_rc copy_all(struct wg_db *from, struct wg_db *to,
                           void (*progress)(const char *table, long long rows, void *), void *ctx,
                           struct wg_copy_report *rep, struct wg_err *err)
{
    unsigned char(*digests)[32] = wg_calloc(NTABLES, sizeof *digests);
    long long *counts = wg_calloc(NTABLES, sizeof *counts), pos = 0;
    enum wg_rc rc;
    if (!(rc = check_empty(to, err)) && !(rc = wg_db_begin_read(from, err)) &&
        !(rc = wg_db_set_durable(to, 0, err))) {
        for (size_t i = 0; !rc && i < NTABLES; i++) {
            rc = walk(from, &tables[i], write_page, to, &counts[i], digests[i], err);
            if (!rc) {
                rep->tables++;
                rep->rows += counts[i];
                if (progress)
                    progress(tables[i].name, counts[i], ctx);
            }
        }
        if (!rc && !(rc = wg_db_query_int(from, WG_Q_COPY_ROLL_POS, NULL, 0, &pos, NULL, err)) &&
            !(rc = wg_db_begin(to, err))) {
            if ((rc = wg_store_stat_roll_pos_set(to, pos, err)) ||
                (wg_query_sql(WG_Q_COPY_FINISH, to->be->dialect) &&
                 (rc = wg_db_script(to, WG_Q_COPY_FINISH, err))) ||
                (rc = wg_db_commit(to, err)))
                wg_db_rollback(to);
        }
        struct wg_err e2 = {0};
        enum wg_rc rc2 = wg_db_set_durable(to, 1, &e2);
        if (!rc && rc2)
            rc = (*err = e2).rc;
    }
    if (from->in_tx)
        wg_db_rollback(from);
    if (!rc)
        rc = read_back(to, (const unsigned char(*)[32])digests, counts, err);
    free(digests);
    free(counts);
    return rc;
}

enum wg_rc wg_store_copy(struct wg_store *from, struct wg_store *to,
                         void (*progress)(const char *table, long long rows, void *), void *ctx,
                         struct wg_copy_report *rep, struct wg_err *err)
{
    struct wg_db *a = NULL, *b = NULL;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    if (wg_store_schema_version(from) != wg_store_schema_version(to))
        return wg_err_set(err, WG_EINVAL, "the stores' schemas differ (%d and %d)",
                          wg_store_schema_version(from), wg_store_schema_version(to));
    if (!(rc = wg_store_get(from, &a, err)) && !(rc = wg_store_get(to, &b, err)))
        rc = copy_all(a, b, progress, ctx, rep, err);
    wg_store_put(a);
    wg_store_put(b);
    return rc;
}
