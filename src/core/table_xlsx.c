/* The table reader's XLSX (table.h): the workbook's first sheet, found through
 * xl/workbook.xml and its relationships, with its shared strings. Each part is inflated in
 * chunks straight into expat, counted against the limits as it goes; a part declaring a
 * DOCTYPE is refused (no entity of any kind is expanded). */
#include "core/table.h"

#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"

struct xlsx {
    const struct wg_table_limits *lim;
    zip_t *zip;
    struct wg_err *err;
    enum wg_rc rc;
    XML_Parser xp;
    /* shared strings */
    char **sst;
    size_t nsst, capsst;
    /* the element being read */
    int depth, in_text, in_phonetic;
    struct wg_buf text;
    /* the workbook: the first sheet's relationship id, then its part */
    char rid[64], sheet[256];
    /* the sheet */
    wg_table_cb cb;
    void *ctx;
    size_t row, col, ncells;
    char **cell;
    unsigned char *num;
    char type[16];
    int in_v, in_is;
};

static void stop(struct xlsx *x, enum wg_rc rc, const char *fmt, const char *a, size_t b)
{
    if (!x->rc)
        x->rc = wg_err_set(x->err, rc, fmt, a, b);
    XML_StopParser(x->xp, 0);
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name))
            return atts[i + 1];
    return NULL;
}

/* The local part of a possibly prefixed name ("x:row" → "row"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    stop(ud, WG_EINVAL, "%s: a part of the workbook declares a DOCTYPE, which a workbook never has",
         "XLSX", 0);
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;
    if ((x->in_text || x->in_v) && !x->in_phonetic) {
        if (x->text.len + (size_t)len > x->lim->max_cell)
            stop(x, WG_ETOOBIG, "%s row %zu: a cell longer than the limit", "XLSX", x->row);
        else
            wg_buf_add(&x->text, s, (size_t)len);
    }
}

/* ---- workbook and relationships ---- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    if (!x->rid[0] && !strcmp(n, "sheet")) {
        const char *id = attr(atts, "r:id");
        for (int i = 0; !id && atts[i]; i += 2)
            if (!strcmp(local(atts[i]), "id"))
                id = atts[i + 1];
        if (id)
            snprintf(x->rid, sizeof x->rid, "%s", id);
    } else if (!x->sheet[0] && !strcmp(n, "Relationship")) {
        const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
        if (id && target && !strcmp(id, x->rid)) {
            if (target[0] == '/')
                snprintf(x->sheet, sizeof x->sheet, "%s", target + 1);
            else
                snprintf(x->sheet, sizeof x->sheet, "xl/%s", target);
        }
    }
}

static void wb_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* ---- shared strings ---- */

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    (void)atts;
    if (!strcmp(n, "si")) {
        wg_buf_reset(&x->text);
        wg_buf_add(&x->text, "", 0);
    } else if (!strcmp(n, "t")) {
        x->in_text = 1;
    } else if (!strcmp(n, "rPh")) {
        x->in_phonetic = 1;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    if (!strcmp(n, "t")) {
        x->in_text = 0;
    } else if (!strcmp(n, "rPh")) {
        x->in_phonetic = 0;
    } else if (!strcmp(n, "si")) {
        if (x->nsst >= 4000000) {
            stop(x, WG_ETOOBIG, "%s: the workbook has more than %zu shared strings", "XLSX",
                 (size_t)4000000);
            return;
        }
        if (x->nsst == x->capsst) {
            x->capsst = x->capsst ? x->capsst * 2 : 256;
            x->sst = wg_realloc(x->sst, x->capsst * sizeof *x->sst);
        }
        x->sst[x->nsst++] = wg_strdup(x->text.ptr ? x->text.ptr : "");
    }
}

/* ---- the sheet ---- */

static void row_flush(struct xlsx *x)
{
    size_t n = x->ncells;
    while (n && !*x->cell[n - 1])
        n--;
    if (n && x->row > x->lim->max_rows)
        stop(x, WG_ETOOBIG, "%s: the sheet has more than %zu rows", "XLSX", x->lim->max_rows);
    if (n && !x->rc) {
        struct wg_table_row r = {x->row, n, (const char *const *)x->cell, x->num};
        enum wg_rc rc = x->cb(&r, x->ctx, x->err);
        if (rc) {
            x->rc = rc;
            XML_StopParser(x->xp, 0);
        }
    }
    for (size_t i = 0; i < x->ncells; i++) {
        free(x->cell[i]);
        x->cell[i] = NULL;
    }
    x->ncells = 0;
}

/* "BC12" → column 55 (1-based); 0 when the reference has no letters. */
static size_t column_of(const char *ref)
{
    size_t c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        c = c * 26 + (size_t)(*ref - 'A' + 1);
        if (c > 100000)
            return 100000;
    }
    return c;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    if (!strcmp(n, "row")) {
        const char *r = attr(atts, "r");
        long v = r ? strtol(r, NULL, 10) : 0;
        x->row = v > (long)x->row ? (size_t)v : x->row + 1;
        x->col = 0;
    } else if (!strcmp(n, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        size_t c = r ? column_of(r) : 0;
        x->col = c > x->col ? c : x->col + 1;
        snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
        wg_buf_reset(&x->text);
        wg_buf_add(&x->text, "", 0);
    } else if (!strcmp(n, "v")) {
        x->in_v = 1;
    } else if (!strcmp(n, "is")) {
        x->in_is = 1;
    } else if (x->in_is && !strcmp(n, "t")) {
        x->in_text = 1;
    } else if (x->in_is && !strcmp(n, "rPh")) {
        x->in_phonetic = 1;
    }
}

static void cell_store(struct xlsx *x)
{
    const char *v = x->text.ptr ? x->text.ptr : "";
    char *val;
    int number = 0;
    if (!strcmp(x->type, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (!*v || *end || i >= x->nsst) {
            stop(x, WG_EINVAL, "%s row %zu names a shared string the workbook does not have",
                 "XLSX", x->row);
            return;
        }
        val = wg_strdup(x->sst[i]);
    } else if (!strcmp(x->type, "n")) {
        char *end;
        double d = strtod(v, &end);
        number = *v != '\0';
        if (number && !*end && d > -1e15 && d < 1e15 && d == (double)(long long)d) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%lld", (long long)d);
            val = wg_strdup(tmp);
        } else {
            val = wg_strdup(v);
        }
    } else {
        val = wg_strdup(v); /* str, inlineStr, b, e */
    }
    size_t i = x->col - 1;
    while (x->ncells <= i) {
        x->cell[x->ncells] = wg_strdup("");
        x->num[x->ncells++] = 0;
    }
    free(x->cell[i]);
    x->cell[i] = val;
    x->num[i] = (unsigned char)number;
}

static void sheet_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    if (x->rc)
        return;
    if (!strcmp(n, "v")) {
        x->in_v = 0;
    } else if (!strcmp(n, "t")) {
        x->in_text = 0;
    } else if (!strcmp(n, "rPh")) {
        x->in_phonetic = 0;
    } else if (!strcmp(n, "is")) {
        x->in_is = 0;
    } else if (!strcmp(n, "c")) {
        /* Excel writes formatted empty cells and rows far out: only a value counts */
        if (x->col >= 1 && x->col <= x->lim->max_cols)
            cell_store(x);
        else if (x->text.ptr && *x->text.ptr)
            stop(x, WG_ETOOBIG, "%s row %zu has a value beyond the column limit", "XLSX", x->row);
    } else if (!strcmp(n, "row")) {
        row_flush(x);
    }
}

/* Inflates part name into expat in chunks, counting against the limits. Returns WG_OK, or
 * x->rc. A missing part is WG_ENOTFOUND when optional, else WG_EINVAL. */
static enum wg_rc parse_part(struct xlsx *x, const char *name, int optional,
                             XML_StartElementHandler start, XML_EndElementHandler end)
{
    zip_stat_t zs;
    zip_file_t *f = NULL;
    char buf[16384];
    zip_uint64_t total = 0;
    x->xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, start, end);
    XML_SetCharacterDataHandler(x->xp, on_text);
    XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
    zip_stat_init(&zs);
    if (zip_stat(x->zip, name, 0, &zs) || !(f = zip_fopen(x->zip, name, 0))) {
        if (optional)
            x->rc = WG_ENOTFOUND;
        else
            x->rc = wg_err_set(x->err, WG_EINVAL, "XLSX: the workbook has no part '%s'", name);
        goto out;
    }
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > x->lim->max_entry) {
        x->rc = wg_err_set(x->err, WG_ETOOBIG, "XLSX: part '%s' inflates to more than %zu bytes",
                           name, x->lim->max_entry);
        goto out;
    }
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, sizeof buf);
        if (n < 0) {
            x->rc = wg_err_set(x->err, WG_EINVAL, "XLSX: part '%s' is damaged: %s", name,
                               zip_file_strerror(f));
            break;
        }
        total += (zip_uint64_t)n;
        if (total > x->lim->max_entry ||
            (total > (1u << 20) && (zs.valid & ZIP_STAT_COMP_SIZE) &&
             total / (zs.comp_size ? zs.comp_size : 1) > x->lim->max_ratio)) {
            x->rc = wg_err_set(x->err, WG_ETOOBIG,
                               "XLSX: part '%s' inflates beyond the limits (%zu bytes, %u times "
                               "its compressed size): refused as a zip bomb",
                               name, x->lim->max_entry, x->lim->max_ratio);
            break;
        }
        if (XML_Parse(x->xp, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (!x->rc)
                x->rc = wg_err_set(x->err, WG_EINVAL, "XLSX: part '%s' line %lu: %s", name,
                                   (unsigned long)XML_GetCurrentLineNumber(x->xp),
                                   XML_ErrorString(XML_GetErrorCode(x->xp)));
            break;
        }
        if (n == 0)
            break;
    }
out:
    if (f)
        zip_fclose(f);
    XML_ParserFree(x->xp);
    x->xp = NULL;
    return x->rc;
}

enum wg_rc wg_table_read_xlsx(const char *data, size_t len, const struct wg_table_limits *lim,
                              wg_table_cb cb, void *ctx, struct wg_err *err)
{
    struct xlsx x;
    zip_error_t ze;
    zip_source_t *src;
    memset(&x, 0, sizeof x);
    x.lim = lim, x.err = err, x.cb = cb, x.ctx = ctx;
    wg_buf_init(&x.text, lim->max_cell + 1);
    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(data, len, 0, &ze)) ||
        !(x.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
        x.rc = wg_err_set(err, WG_EINVAL, "XLSX: the file is not a readable zip archive: %s",
                          zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        goto out;
    }
    if (parse_part(&x, "xl/workbook.xml", 0, wb_start, wb_end))
        goto out;
    if (x.rid[0] && (x.rc = parse_part(&x, "xl/_rels/workbook.xml.rels", 1, wb_start, wb_end)) &&
        x.rc != WG_ENOTFOUND)
        goto out;
    x.rc = WG_OK;
    if (!x.sheet[0])
        snprintf(x.sheet, sizeof x.sheet, "xl/worksheets/sheet1.xml");
    if ((x.rc = parse_part(&x, "xl/sharedStrings.xml", 1, sst_start, sst_end)) &&
        x.rc != WG_ENOTFOUND)
        goto out;
    x.rc = WG_OK;
    x.in_text = x.in_phonetic = 0;
    x.cell = wg_calloc(lim->max_cols + 1, sizeof *x.cell);
    x.num = wg_calloc(lim->max_cols + 1, 1);
    parse_part(&x, x.sheet, 0, sheet_start, sheet_end);
out:
    if (x.zip)
        zip_discard(x.zip);
    for (size_t i = 0; i < x.nsst; i++)
        free(x.sst[i]);
    free(x.sst);
    for (size_t i = 0; x.cell && i < x.ncells; i++)
        free(x.cell[i]);
    free(x.cell);
    free(x.num);
    wg_buf_release(&x.text);
    return x.rc;
}
