/* The registry's import framework (import.h): a table's header matched to an entity's
 * columns, each row made into the body its single-record route takes, the entity's handler
 * run on it in one transaction, and the per-row report. */
#include "domain/registry/import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"

struct run {
    const struct wg_import_entity *e;
    struct wg_import_ctx *c;
    struct wg_import_result *res;
    int map[64];  /* a file column → the entity's column, -1: none */
    size_t ncols; /* the header's */
    int have_header, header_bad;
    int checking;        /* a row was bad: the rest run in savepoints, rolled back */
    enum wg_rc rc;       /* a failure of the store, which stops the import */
    atomic_int last_new; /* the last row stored was a new record (read by the reader) */
};

enum wg_rc wg_import_claim_row(const struct wg_import_ctx *c, size_t row, const char *key,
                               const char *field, struct wg_err *err)
{
    json_t *prev = json_object_get(c->seen, key);
    if (prev)
        return wg_err_set(err, WG_EINVAL,
                          "'%s': the same as row %lld's: a file names a record once", field,
                          (long long)json_integer_value(prev));
    json_object_set_new(c->seen, key, json_integer((json_int_t)row));
    return WG_OK;
}

enum wg_rc wg_import_claim(struct wg_import_ctx *c, const char *key, const char *field,
                           struct wg_err *err)
{
    return wg_import_claim_row(c, c->row, key, field, err);
}

static void report(struct run *r, size_t row, const char *field, const char *msg)
{
    if (json_array_size(r->res->errors) >= WG_IMPORT_ERRORS_MAX)
        return;
    json_array_append_new(r->res->errors, json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row,
                                                    "field", field ? field : "", "message", msg));
}

/* The field an error is about: the quoted name its message opens with. */
static void field_of(const char *msg, char *out, size_t n)
{
    const char *end;
    out[0] = '\0';
    if (msg[0] == '\'' && (end = strchr(msg + 1, '\'')) && (size_t)(end - msg) < n)
        snprintf(out, n, "%.*s", (int)(end - msg - 1), msg + 1);
}

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return !*a && !*b;
}

/* A cell without the spaces around it (ASCII and the ideographic space U+3000). */
static void trim(const char *s, char *out, size_t n)
{
    while (*s == ' ' || *s == '\t' || !strncmp(s, "\xE3\x80\x80", 3))
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t len = strlen(s);
    for (;;) {
        if (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        else if (len >= 3 && !memcmp(s + len - 3, "\xE3\x80\x80", 3))
            len -= 3;
        else
            break;
    }
    snprintf(out, n, "%.*s", (int)len, s);
}

static enum wg_rc header(struct run *r, const struct wg_table_row *row, struct wg_err *err)
{
    const struct wg_import_column *cols = r->e->columns;
    int have[64] = {0};
    char name[256];
    if (row->ncells > 64)
        return wg_err_set(err, WG_EINVAL, "row 1 has %zu columns; a header has at most 64",
                          row->ncells);
    r->ncols = row->ncells;
    for (size_t i = 0; i < row->ncells; i++) {
        trim(row->cell[i], name, sizeof name);
        r->map[i] = -1;
        if (!*name)
            continue;
        for (int k = 0; cols[k].key; k++)
            if (same_name(name, cols[k].key) || !strcmp(name, cols[k].zh)) {
                if (have[k])
                    return wg_err_set(err, WG_EINVAL, "row 1: column '%s' is given twice",
                                      cols[k].key);
                have[k] = 1;
                r->map[i] = k;
            }
        if (r->map[i] < 0)
            return wg_err_set(err, WG_EINVAL,
                              "row 1, column %zu: '%.60s' is not a column of a %s import (see "
                              "docs/API.md)",
                              i + 1, name, r->e->what);
    }
    for (int k = 0; cols[k].key; k++)
        if ((cols[k].flags & WG_IMPORT_REQUIRED) && !have[k])
            return wg_err_set(err, WG_EINVAL, "row 1: the header has no column '%s' (%s)",
                              cols[k].key, cols[k].zh);
    return WG_OK;
}

static const char *value_of(const struct wg_import_column *col, const char *v)
{
    for (int i = 0; col->values && col->values[i]; i += 2)
        if (!strcmp(v, col->values[i]))
            return col->values[i + 1];
    return v;
}

/* "1980/1/2", "1980.01.02", "1980-1-2" → "1980-01-02"; else as given, for the domain to
 * refuse with its own message. */
static void date_text(const char *v, char *out, size_t n)
{
    int y, m, d;
    char s1, s2, tail;
    if (sscanf(v, "%4d%c%2d%c%2d%c", &y, &s1, &m, &s2, &d, &tail) == 5 && s1 == s2 &&
        strchr("-/.", s1) && y >= 1000 && m >= 1 && m <= 12 && d >= 1 &&
        d <= wg_civil_month_days(y, m))
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, n, "%s", v);
}

static json_t *list_value(const struct wg_import_column *col, const char *v)
{
    json_t *arr = json_array();
    char item[256];
    const char *p = v;
    while (*p) {
        size_t n = strcspn(p, ";|,");
        const char *cut = NULL;
        /* the full-width separators ； 、 ， */
        for (const char *q = p; q < p + n && !cut; q++)
            if (!strncmp(q, "；", 3) || !strncmp(q, "、", 3) || !strncmp(q, "，", 3))
                cut = q;
        size_t len = cut ? (size_t)(cut - p) : n;
        snprintf(item, sizeof item, "%.*s", (int)(len < 255 ? len : 255), p);
        char t[256];
        trim(item, t, sizeof t);
        if (*t)
            json_array_append_new(arr, json_string(value_of(col, t)));
        p += cut ? len + 3 : n + (p[n] != '\0');
    }
    return arr;
}

/* One cell into the body; a cell that is not its column's kind is WG_EINVAL naming it. */
static enum wg_rc cell(const struct wg_import_column *col, const char *raw, int number,
                       json_t *body, struct wg_err *err)
{
    char v[4100];
    trim(raw, v, sizeof v);
    if (!*v) {
        if (!(col->flags & WG_IMPORT_EMPTY_KEEPS))
            json_object_set_new(body, col->key,
                                col->kind == WG_IMPORT_LIST ? json_array() : json_null());
        return WG_OK;
    }
    switch (col->kind) {
    case WG_IMPORT_INT: {
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || *end || end == v)
            return wg_err_set(err, WG_EINVAL, "'%s' must be a whole number, not '%.40s'", col->key,
                              v);
        json_object_set_new(body, col->key, json_integer(n));
        return WG_OK;
    }
    case WG_IMPORT_NUMBER: {
        char *end;
        double d = strtod(v, &end);
        if (*end || end == v || !isfinite(d))
            return wg_err_set(err, WG_EINVAL, "'%s' must be a number, not '%.40s'", col->key, v);
        json_object_set_new(body, col->key, json_real(d));
        return WG_OK;
    }
    case WG_IMPORT_LIST:
        json_object_set_new(body, col->key, list_value(col, v));
        return WG_OK;
    case WG_IMPORT_DATE: {
        char d[64];
        if (number) {
            if (wg_table_serial_date(strtod(v, NULL), d))
                return wg_err_set(err, WG_EINVAL, "'%s': the number %.20s is not a date", col->key,
                                  v);
        } else {
            date_text(v, d, sizeof d);
        }
        json_object_set_new(body, col->key, json_string(d));
        return WG_OK;
    }
    case WG_IMPORT_TEXT:
        break;
    }
    json_object_set_new(body, col->key, json_string(value_of(col, v)));
    return WG_OK;
}

static int row_error(enum wg_rc rc)
{
    return rc == WG_EINVAL || rc == WG_ECONFLICT || rc == WG_EFORBIDDEN || rc == WG_ENOTFOUND ||
           rc == WG_EPRECOND || rc == WG_ETOOBIG;
}

/* Runs the handler on one row's body; in checking mode inside a savepoint undone after. */
static enum wg_rc run_row(struct run *r, json_t *body, enum wg_import_outcome *out,
                          struct wg_err *err)
{
    struct wg_err serr = {0};
    enum wg_rc rc;
    if (!r->checking)
        return r->e->row(r->c, body, out, err);
    if ((rc = wg_db_savepoint(r->c->db, err)))
        return rc;
    rc = r->e->row(r->c, body, out, err);
    enum wg_rc rb = wg_db_rollback_to(r->c->db, &serr);
    if (!rb)
        rb = wg_db_release(r->c->db, &serr);
    if (rb) {
        *err = serr;
        return rb;
    }
    return rc;
}

/* A data row as the reader made it: the body its cells give, or the error of a cell. */
struct item {
    size_t row;
    json_t *body;   /* NULL when rc */
    void *prepared; /* the entity's prepare's, or NULL */
    enum wg_rc rc;  /* a cell's error */
    struct wg_err err;
};

static void item_release(struct run *r, struct item *it)
{
    json_decref(it->body);
    if (it->prepared && r->e->prepared_free)
        r->e->prepared_free(it->prepared);
    it->body = NULL, it->prepared = NULL;
}

/* The reader's half of a row: the header's columns, or a data row's body (*data set). */
static enum wg_rc read_row(struct run *r, const struct wg_table_row *row, struct item *it,
                           int *data, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    *data = 0;
    if (!r->have_header) {
        r->have_header = 1;
        enum wg_rc hrc = header(r, row, err);
        r->header_bad = hrc != WG_OK;
        return hrc;
    }
    *data = 1;
    it->row = row->row, it->prepared = NULL;
    it->body = json_object();
    for (size_t i = 0; !rc && i < row->ncells; i++) {
        if (i >= r->ncols || r->map[i] < 0) {
            if (*row->cell[i])
                rc = wg_err_set(&it->err, WG_EINVAL, "column %zu has a value but no header", i + 1);
            continue;
        }
        rc = cell(&r->e->columns[r->map[i]], row->cell[i], row->number && row->number[i], it->body,
                  &it->err);
    }
    /* the columns this row leaves out, as empty cells */
    for (size_t i = row->ncells; !rc && i < r->ncols; i++)
        if (r->map[i] >= 0)
            rc = cell(&r->e->columns[r->map[i]], "", 0, it->body, &it->err);
    if ((it->rc = rc)) {
        json_decref(it->body);
        it->body = NULL;
    }
    return WG_OK;
}

/* The store's half: the row handler on the body, the outcome counted or the row reported.
 * The item stays its maker's to release (on_row's, or the reader's). */
static enum wg_rc take_row(struct run *r, struct item *it, struct wg_err *err)
{
    struct wg_err rerr = {0};
    enum wg_import_outcome out = WG_IMPORT_CREATED;
    char field[64];
    enum wg_rc rc = it->rc;
    r->c->row = it->row;
    r->res->rows++;
    if (rc)
        rerr = it->err;
    else {
        r->c->prepared = it->prepared;
        rc = run_row(r, it->body, &out, &rerr);
        r->c->prepared = NULL;
    }
    if (rc && !row_error(rc)) {
        *err = rerr;
        return rc;
    }
    if (rc) {
        r->res->refused++;
        field_of(rerr.msg, field, sizeof field);
        report(r, it->row, field, rerr.msg);
        if (!r->checking) {
            /* nothing is kept: undo what came before, and check the rest without keeping */
            wg_db_rollback(r->c->db);
            if ((rc = wg_db_begin(r->c->db, err)))
                return rc;
            r->checking = 1;
        }
        if (r->res->refused >= WG_IMPORT_ERRORS_MAX)
            return wg_err_set(err, WG_EINVAL, "%zu rows are refused; the report stops there",
                              r->res->refused);
        return WG_OK;
    }
    if (out == WG_IMPORT_CREATED)
        r->res->created++;
    else if (out == WG_IMPORT_UPDATED)
        r->res->updated++;
    else
        r->res->unchanged++;
    atomic_store(&r->last_new, out == WG_IMPORT_CREATED);
    return WG_OK;
}

/* One thread: each row read and stored in turn. */
static enum wg_rc on_row(const struct wg_table_row *row, void *ctx, struct wg_err *err)
{
    struct run *r = ctx;
    struct item it;
    int data;
    enum wg_rc rc = read_row(r, row, &it, &data, err);
    if (rc || !data)
        return rc;
    if (!it.rc && r->e->prepare)
        it.prepared = r->e->prepare(r->c, it.body, it.row, atomic_load(&r->last_new), 1);
    rc = take_row(r, &it, err);
    item_release(r, &it);
    return rc;
}

/* ---- two threads: the reader reads and prepares rows while the store writes ---- */

#define BATCH 64 /* rows handed over at once */
#define QUEUE 8  /* batches the reader may be ahead by */

struct batch {
    size_t n;
    struct batch *next; /* in the list of batches the store is done with */
    struct item it[BATCH];
};

struct pipe {
    struct run *r;
    const char *data;
    size_t len;
    enum wg_table_format fmt;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *q[QUEUE], *cur; /* a ring of full batches; the one being filled */
    size_t head, count;
    /* the batches the store is done with, handed back: their items are released by the
     * reader, which made them (memory freed by another thread than the one that took it
     * costs both), and the batches filled again */
    struct batch *spent;
    /* the reader makes and seals new records itself (1), or leaves that to the store (0):
     * chosen for each batch by how far ahead the reader is, so that the two threads share
     * the work of the slower */
    int make_here;
    int done, stop; /* the reader finished; the store stopped taking rows */
    enum wg_rc rc;  /* the reader's end, as wg_table_read answered it */
    struct wg_err err;
};

/* Releases b and the batches after it (next). */
static void batch_free(struct run *r, struct batch *b)
{
    while (b) {
        struct batch *next = b->next;
        for (size_t i = 0; i < b->n; i++)
            item_release(r, &b->it[i]);
        free(b);
        b = next;
    }
}

/* Hands the batch being filled to the store; WG_EINTERNAL when it stopped taking rows. */
static enum wg_rc pipe_push(struct pipe *p)
{
    int stop;
    pthread_mutex_lock(&p->mu);
    while (p->count == QUEUE && !p->stop)
        pthread_cond_wait(&p->cv, &p->mu);
    if (!(stop = p->stop)) {
        p->q[(p->head + p->count++) % QUEUE] = p->cur;
        p->cur = NULL;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return stop ? WG_EINTERNAL : WG_OK;
}

/* A batch to fill: one the store is done with, its items released here, or a new one. */
static struct batch *pipe_batch(struct pipe *p)
{
    struct batch *b;
    pthread_mutex_lock(&p->mu);
    b = p->spent;
    p->spent = NULL;
    p->make_here = p->count >= QUEUE / 2;
    pthread_mutex_unlock(&p->mu);
    if (!b)
        return wg_calloc(1, sizeof *b);
    batch_free(p->r, b->next);
    for (size_t i = 0; i < b->n; i++)
        item_release(p->r, &b->it[i]);
    b->n = 0, b->next = NULL;
    return b;
}

static enum wg_rc pipe_row(const struct wg_table_row *row, void *ctx, struct wg_err *err)
{
    struct pipe *p = ctx;
    struct run *r = p->r;
    int data;
    if (!p->cur)
        p->cur = pipe_batch(p);
    struct item *it = &p->cur->it[p->cur->n];
    enum wg_rc rc = read_row(r, row, it, &data, err);
    if (rc || !data)
        return rc;
    if (!it->rc)
        it->prepared =
            r->e->prepare(r->c, it->body, it->row, atomic_load(&r->last_new), p->make_here);
    if (++p->cur->n == BATCH)
        return pipe_push(p);
    return WG_OK;
}

static void *reader(void *arg)
{
    struct pipe *p = arg;
    enum wg_rc rc = wg_table_read(p->data, p->len, p->fmt, NULL, pipe_row, p, &p->err);
    if (p->cur && p->cur->n && pipe_push(p) != WG_OK)
        rc = rc ? rc : WG_EINTERNAL;
    batch_free(p->r, p->cur);
    p->cur = NULL;
    pthread_mutex_lock(&p->mu);
    p->rc = rc;
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Reads the table on a second thread and takes its rows here, in order; answers as
 * wg_table_read over on_row would: the store's first failure, else the reader's end. */
static enum wg_rc read_piped(struct run *r, const char *data, size_t len, enum wg_table_format fmt,
                             struct wg_err *err)
{
    struct pipe p;
    pthread_t th;
    enum wg_rc rc = WG_OK;
    memset(&p, 0, sizeof p);
    p.r = r, p.data = data, p.len = len, p.fmt = fmt;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (pthread_create(&th, NULL, reader, &p)) {
        pthread_cond_destroy(&p.cv);
        pthread_mutex_destroy(&p.mu);
        return wg_table_read(data, len, fmt, NULL, on_row, r, err);
    }
    for (;;) {
        pthread_mutex_lock(&p.mu);
        while (!rc && !p.count && !p.done)
            pthread_cond_wait(&p.cv, &p.mu);
        struct batch *b = !rc && p.count ? p.q[p.head] : NULL;
        if (b)
            p.head = (p.head + 1) % QUEUE, p.count--;
        else
            p.stop = 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if (!b)
            break;
        for (size_t i = 0; i < b->n && !rc; i++)
            rc = take_row(r, &b->it[i], err);
        pthread_mutex_lock(&p.mu);
        b->next = p.spent;
        p.spent = b;
        pthread_mutex_unlock(&p.mu);
    }
    pthread_join(th, NULL);
    for (; p.count; p.head = (p.head + 1) % QUEUE, p.count--)
        batch_free(r, p.q[p.head]);
    batch_free(r, p.spent);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    if (!rc && (rc = p.rc))
        *err = p.err;
    return rc;
}

enum wg_rc wg_import_run(const struct wg_import_entity *e, struct wg_import_ctx *c,
                         const char *data, size_t len, enum wg_table_format fmt,
                         struct wg_import_result *res, struct wg_err *err)
{
    struct run r;
    enum wg_rc rc;
    memset(res, 0, sizeof *res);
    memset(&r, 0, sizeof r);
    res->errors = json_array();
    r.e = e, r.c = c, r.res = res;
    atomic_init(&r.last_new, 1); /* nothing stored yet: a file's rows are likely new */
    c->seen = json_object();
    c->made_first = c->made_last = 0;
    if ((rc = wg_db_begin(c->db, err)))
        goto out;
    if (e->prepare && c->two_threads)
        rc = read_piped(&r, data, len, fmt, err);
    else
        rc = wg_table_read(data, len, fmt, NULL, on_row, &r, err);
    if (!rc && !r.have_header)
        rc = wg_err_set(err, WG_EINVAL, "the file has no header row");
    else if (!rc && !res->rows)
        rc = wg_err_set(err, WG_EINVAL, "the file has a header but no rows");
    if (rc && (rc == WG_EINVAL || rc == WG_ETOOBIG) && !res->refused)
        report(&r, r.header_bad ? 1 : 0, "", err->msg); /* row 0: the file as a whole */
    if (!rc && res->refused)
        rc = wg_err_set(err, WG_EINVAL, "%zu of %zu rows are refused; nothing is stored",
                        res->refused, res->rows);
    if (!rc && e->finish)
        rc = e->finish(c, err);
    if (!rc && !(rc = wg_db_commit(c->db, err)))
        res->stored = 1;
    if (rc)
        wg_db_rollback(c->db);
out:
    json_decref(c->seen);
    c->seen = NULL;
    return rc;
}

json_t *wg_import_result_json(const struct wg_import_entity *e, const struct wg_import_result *r)
{
    return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:O}", "entity", e->what, "rows",
                     (json_int_t)r->rows, "created", (json_int_t)r->created, "updated",
                     (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged, "refused",
                     (json_int_t)r->refused, "stored", r->stored, "errors", r->errors);
}

json_t *wg_import_columns_json(const struct wg_import_entity *e)
{
    json_t *arr = json_array();
    for (int k = 0; e->columns[k].key; k++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "key", e->columns[k].key, "zh",
                                             e->columns[k].zh,
                                             (e->columns[k].flags & WG_IMPORT_REQUIRED) != 0));
    return json_pack("{s:s,s:o}", "entity", e->what, "columns", arr);
}
