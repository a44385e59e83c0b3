/* The table reader's common half and its CSV (table.h): libcsv in strict mode splits the
 * records; this file counts rows, keeps the limits, and makes the text UTF-8 first. */
#include "core/table.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <string.h>

#include <csv.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/utf8.h"

const struct wg_table_limits wg_table_limits_default = {
    16u << 20, 200000, 64, 4096, 128u << 20, 200,
};

enum wg_table_format wg_table_sniff(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\3\4", 4) ? WG_TABLE_XLSX : WG_TABLE_CSV;
}

int wg_table_serial_date(double serial, char out[11])
{
    /* serial 1 is 1900-01-01 and 60 the 1900-02-29 Lotus had; 25569 is 1970-01-01 */
    if (!isfinite(serial) || serial < 1 || serial >= 2958466)
        return -1;
    long s = (long)floor(serial);
    if (s == 60)
        return -1;
    long day = s < 60 ? s - 25568 : s - 25569;
    wg_civil_format_date((int)day, out);
    return 0;
}

/* ---- CSV ---- */

struct csv_state {
    const struct wg_table_limits *lim;
    wg_table_cb cb;
    void *ctx;
    struct wg_err *err;
    enum wg_rc rc;
    size_t row, ncells, cap;
    char **cell;
};

static void csv_field(void *s, size_t len, void *data)
{
    struct csv_state *st = data;
    if (st->rc)
        return;
    if (st->ncells >= st->lim->max_cols) {
        st->rc = wg_err_set(st->err, WG_ETOOBIG, "row %zu has more than %zu columns", st->row + 1,
                            st->lim->max_cols);
        return;
    }
    if (len > st->lim->max_cell) {
        st->rc =
            wg_err_set(st->err, WG_ETOOBIG, "row %zu, column %zu: a cell longer than %zu bytes",
                       st->row + 1, st->ncells + 1, st->lim->max_cell);
        return;
    }
    if (st->ncells == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 16;
        st->cell = wg_realloc(st->cell, st->cap * sizeof *st->cell);
    }
    char *c = wg_malloc(len + 1);
    if (len)
        memcpy(c, s, len);
    c[len] = '\0';
    st->cell[st->ncells++] = c;
}

static void csv_record(int term, void *data)
{
    struct csv_state *st = data;
    (void)term;
    if (!st->rc) {
        st->row++;
        if (st->row > st->lim->max_rows)
            st->rc = wg_err_set(st->err, WG_ETOOBIG, "the table has more than %zu rows",
                                st->lim->max_rows);
    }
    size_t n = st->ncells;
    while (n && !*st->cell[n - 1])
        n--;
    if (!st->rc && n) {
        struct wg_table_row r = {st->row, n, (const char *const *)st->cell, NULL};
        st->rc = st->cb(&r, st->ctx, st->err);
    }
    for (size_t i = 0; i < st->ncells; i++)
        free(st->cell[i]);
    st->ncells = 0;
}

/* The 1-based line of byte off. */
static size_t line_of(const char *data, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* The offset of the first byte that is not UTF-8, or len. */
static size_t utf8_bad(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        if ((unsigned char)data[i] < 0x80) {
            if (!data[i])
                return i;
            i++;
            continue;
        }
        size_t n = wg_utf8_seq((const unsigned char *)data + i, len - i, &cp);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

/* GB18030 (a superset of GBK and GB2312) to UTF-8; NULL when data is not GB18030 text. */
static char *from_gb18030(const char *data, size_t len, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16, left = cap, inleft = len;
    char *out = wg_malloc(cap), *o = out;
    char *in = (char *)data;
    size_t r = iconv(cd, &in, &inleft, &o, &left);
    iconv_close(cd);
    if (r == (size_t)-1 || inleft) {
        free(out);
        return NULL;
    }
    *outlen = cap - left;
    if (utf8_bad(out, *outlen) != *outlen) {
        free(out);
        return NULL;
    }
    return out;
}

static enum wg_rc read_csv(const char *data, size_t len, const struct wg_table_limits *lim,
                           wg_table_cb cb, void *ctx, struct wg_err *err)
{
    struct csv_state st = {lim, cb, ctx, err, WG_OK, 0, 0, 0, NULL};
    struct csv_parser p;
    char *conv = NULL;
    size_t bad;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    if ((bad = utf8_bad(data, len)) != len) {
        size_t clen = 0;
        if (memchr(data, '\0', len) || !(conv = from_gb18030(data, len, &clen)))
            return wg_err_set(err, WG_EINVAL,
                              "line %zu is not UTF-8 text (byte %zu): save the file as \"CSV "
                              "UTF-8\", or as GB18030/GBK throughout",
                              line_of(data, bad), bad + 1);
        data = conv;
        len = clen;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        free(conv);
        return wg_err_set(err, WG_EINVAL, "the CSV reader could not start");
    }
    csv_set_realloc_func(&p, wg_realloc);
    size_t used = csv_parse(&p, data, len, csv_field, csv_record, &st);
    if (!st.rc && used != len)
        st.rc = wg_err_set(err, WG_EINVAL,
                           "line %zu: a quote is misplaced (a field in quotes must end at a "
                           "comma or the line's end, and a quote inside one is written \"\")",
                           line_of(data, used));
    if (!st.rc && csv_fini(&p, csv_field, csv_record, &st) && !st.rc)
        st.rc = wg_err_set(err, WG_EINVAL, "line %zu: a quoted field is never closed",
                           line_of(data, len));
    csv_free(&p);
    for (size_t i = 0; i < st.ncells; i++)
        free(st.cell[i]);
    free(st.cell);
    free(conv);
    return st.rc;
}

enum wg_rc wg_table_read(const char *data, size_t len, enum wg_table_format fmt,
                         const struct wg_table_limits *lim, wg_table_cb cb, void *ctx,
                         struct wg_err *err)
{
    if (!lim)
        lim = &wg_table_limits_default;
    if (len > lim->max_bytes)
        return wg_err_set(err, WG_ETOOBIG, "the file is over %zu bytes", lim->max_bytes);
    if (!len)
        return wg_err_set(err, WG_EINVAL, "the file is empty");
    return fmt == WG_TABLE_XLSX ? wg_table_read_xlsx(data, len, lim, cb, ctx, err)
                                : read_csv(data, len, lim, cb, ctx, err);
}
