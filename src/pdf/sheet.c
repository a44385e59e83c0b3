/* A special report as an XLSX workbook (sheet.h), through libxlsxwriter: written to a
 * temporary file (1.1.4 has no in-memory output) and read back whole, the file removed
 * whatever happens. */
#include "pdf/sheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* Whether s is a number as a sheet should hold it (digits, a sign, one point). */
static int numeric(const char *s, double *v)
{
    char *end = NULL;
    if (!s || !*s || strlen(s) > 18 || strspn(s, "+-0123456789.") != strlen(s))
        return 0;
    errno = 0;
    *v = strtod(s, &end);
    return !errno && end && !*end;
}

struct formats {
    lxw_format *title, *head, *bold, *wrap;
};

static void write_blocks(lxw_worksheet *ws, const struct wg_report *r, const struct formats *f)
{
    lxw_row_t row = 0;
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 1, WG_REPORT_COLS_MAX - 1, 16, NULL);
    worksheet_merge_range(ws, row, 0, row, 5, r->title, f->title);
    row++;
    worksheet_write_string(ws, row, 0, "发文单位", f->bold);
    worksheet_write_string(ws, row++, 1, r->unit, NULL);
    worksheet_write_string(ws, row, 0, "编号", f->bold);
    worksheet_write_string(ws, row++, 1, r->number, NULL);
    worksheet_write_string(ws, row, 0, "日期", f->bold);
    worksheet_write_string(ws, row++, 1, r->date, NULL);
    int in_figures = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct wg_report_block *b = &r->blocks[i];
        double v;
        if (b->kind != WG_REPORT_FIGURE)
            in_figures = 0;
        switch (b->kind) {
        case WG_REPORT_HEADING:
            row++;
            worksheet_write_string(ws, row++, 0, b->label, f->head);
            break;
        case WG_REPORT_PARAGRAPH:
            worksheet_merge_range(ws, row, 0, row, 5, b->value, f->wrap);
            row++;
            break;
        case WG_REPORT_FIELD:
            worksheet_write_string(ws, row, 0, b->label, f->bold);
            worksheet_write_string(ws, row++, 1, b->value, NULL);
            break;
        case WG_REPORT_FIGURE:
            if (!in_figures) {
                worksheet_write_string(ws, row, 0, "指标", f->bold);
                worksheet_write_string(ws, row, 1, "数值", f->bold);
                worksheet_write_string(ws, row++, 2, "说明", f->bold);
                in_figures = 1;
            }
            worksheet_write_string(ws, row, 0, b->label, NULL);
            if (numeric(b->value, &v))
                worksheet_write_number(ws, row, 1, v, NULL);
            else
                worksheet_write_string(ws, row, 1, b->value, NULL);
            worksheet_write_string(ws, row++, 2, b->note, NULL);
            break;
        case WG_REPORT_TABLE:
            if (*b->label)
                worksheet_write_string(ws, row++, 0, b->label, f->bold);
            for (size_t y = 0; y < b->nrows; y++, row++)
                for (size_t x = 0; x < b->ncols; x++) {
                    const char *c = b->cells[y * b->ncols + x];
                    if (y && numeric(c, &v))
                        worksheet_write_number(ws, row, (lxw_col_t)x, v, NULL);
                    else
                        worksheet_write_string(ws, row, (lxw_col_t)x, c ? c : "",
                                               y ? NULL : f->bold);
                }
            break;
        }
    }
}

static enum wg_rc read_back(const char *path, char **out, size_t *len, struct wg_err *err)
{
    FILE *fp = fopen(path, "rb");
    long n;
    if (!fp)
        return wg_err_set(err, WG_EIO, "reading the workbook back: %s", strerror(errno));
    if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
        fclose(fp);
        return wg_err_set(err, WG_EIO, "reading the workbook back: %s", strerror(errno));
    }
    if (n > WG_SHEET_BYTES_MAX) {
        fclose(fp);
        return wg_err_set(err, WG_ETOOBIG, "the workbook is %ld bytes; at most %d are sent", n,
                          WG_SHEET_BYTES_MAX);
    }
    char *buf = wg_malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        fclose(fp);
        return wg_err_set(err, WG_EIO, "reading the workbook back: short read");
    }
    fclose(fp);
    *out = buf;
    *len = (size_t)n;
    return WG_OK;
}

enum wg_rc wg_sheet_report(const struct wg_report *r, char **xlsx, size_t *len, struct wg_err *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    enum wg_rc rc;
    *xlsx = NULL, *len = 0;
    if (r->err.rc)
        return wg_err_set(err, r->err.rc, "%s", r->err.msg);
    snprintf(path, sizeof path, "%s/wangge-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return wg_err_set(err, WG_EIO, "a temporary file for the workbook: %s", strerror(errno));
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return wg_err_set(err, WG_EINTERNAL, "libxlsxwriter could not start a workbook");
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "专报");
    struct formats f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb),
                        workbook_add_format(wb)};
    format_set_bold(f.title);
    format_set_font_size(f.title, 16);
    format_set_align(f.title, LXW_ALIGN_CENTER);
    format_set_bold(f.head);
    format_set_font_size(f.head, 12);
    format_set_bold(f.bold);
    format_set_text_wrap(f.wrap);
    format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
    workbook_set_properties(wb, &(lxw_doc_properties){.title = r->title, .company = r->unit});
    write_blocks(ws, r, &f);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        rc = wg_err_set(err, WG_EINTERNAL, "writing the workbook: %s", lxw_strerror(e));
    else
        rc = read_back(path, xlsx, len, err);
    unlink(path);
    return rc;
}
