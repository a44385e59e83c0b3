/* A special report (report.h): its description kept as owned copies, and laid out as a PDF
 * with pdf.h's blocks — the issuing unit and number over the title, the date, then each
 * block in order; consecutive key figures as one table. */
#include "pdf/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "pdf/pdf.h"

static char *dup(const char *s)
{
    return wg_strdup(s ? s : "");
}

void wg_report_init(struct wg_report *r, const char *title, const char *unit, const char *date,
                    const char *number)
{
    memset(r, 0, sizeof *r);
    r->title = dup(title);
    r->unit = dup(unit);
    r->date = dup(date);
    r->number = dup(number);
}

void wg_report_release(struct wg_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct wg_report_block *b = &r->blocks[i];
        free(b->label);
        free(b->value);
        free(b->note);
        for (size_t k = 0; b->cells && k < b->ncols * b->nrows; k++)
            free(b->cells[k]);
        free(b->cells);
    }
    free(r->blocks);
    free(r->title);
    free(r->unit);
    free(r->date);
    free(r->number);
    memset(r, 0, sizeof *r);
}

static struct wg_report_block *add(struct wg_report *r, enum wg_report_kind kind)
{
    if (r->err.rc)
        return NULL;
    if (r->n >= WG_REPORT_BLOCKS_MAX) {
        wg_err_set(&r->err, WG_ETOOBIG, "a report holds at most %d blocks", WG_REPORT_BLOCKS_MAX);
        return NULL;
    }
    wg_grow(&r->blocks, &r->cap, r->n, sizeof r->blocks[0], 32);
    struct wg_report_block *b = &r->blocks[r->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void wg_report_heading(struct wg_report *r, const char *text)
{
    struct wg_report_block *b = add(r, WG_REPORT_HEADING);
    if (b)
        b->label = dup(text);
}

void wg_report_paragraph(struct wg_report *r, const char *text)
{
    struct wg_report_block *b = add(r, WG_REPORT_PARAGRAPH);
    if (b)
        b->value = dup(text);
}

void wg_report_field(struct wg_report *r, const char *label, const char *value)
{
    struct wg_report_block *b = add(r, WG_REPORT_FIELD);
    if (b)
        b->label = dup(label), b->value = dup(value);
}

void wg_report_figure(struct wg_report *r, const char *label, const char *value, const char *note)
{
    struct wg_report_block *b = add(r, WG_REPORT_FIGURE);
    if (b)
        b->label = dup(label), b->value = dup(value), b->note = dup(note);
}

void wg_report_table(struct wg_report *r, const char *caption, size_t ncols,
                     const char *const *cells, size_t nrows)
{
    if (!r->err.rc && (ncols < 1 || ncols > WG_REPORT_COLS_MAX || nrows < 1 ||
                       ncols * nrows > WG_REPORT_CELLS_MAX)) {
        wg_err_set(&r->err, WG_ETOOBIG,
                   "a report's table has 1 to %d columns and at most %d cells, not %zu × %zu",
                   WG_REPORT_COLS_MAX, WG_REPORT_CELLS_MAX, ncols, nrows);
        return;
    }
    struct wg_report_block *b = add(r, WG_REPORT_TABLE);
    if (!b)
        return;
    b->label = dup(caption);
    b->ncols = ncols, b->nrows = nrows;
    b->cells = wg_calloc(ncols * nrows, sizeof *b->cells);
    for (size_t k = 0; k < ncols * nrows; k++)
        b->cells[k] = dup(cells[k]);
}

/* Figures i.. as one table of 指标, 数值, 说明; returns the index after them. */
static size_t figures(struct wg_pdf *d, const struct wg_report *r, size_t i)
{
    size_t j = i;
    while (j < r->n && r->blocks[j].kind == WG_REPORT_FIGURE)
        j++;
    const char **cells = wg_calloc(3 * (j - i + 1), sizeof *cells);
    cells[0] = "指标", cells[1] = "数值", cells[2] = "说明";
    for (size_t k = i; k < j; k++) {
        const struct wg_report_block *b = &r->blocks[k];
        cells[3 * (k - i + 1)] = b->label;
        cells[3 * (k - i + 1) + 1] = b->value;
        cells[3 * (k - i + 1) + 2] = b->note;
    }
    static const double widths[] = {0.3, 0.2, 0.5};
    wg_pdf_table(d, 3, widths, cells, j - i + 1);
    free(cells);
    return j;
}

enum wg_rc wg_report_pdf(const struct wg_report *r, char **pdf, size_t *len, struct wg_err *err)
{
    int pages = 0;
    *pdf = NULL, *len = 0;
    if (r->err.rc)
        return wg_err_set(err, r->err.rc, "%s", r->err.msg);
    struct wg_pdf *d = wg_pdf_new(r->title);
    if (!d)
        return wg_err_set(err, WG_EINTERNAL, "out of memory starting a report");
    if (*r->unit)
        wg_pdf_line(d, r->unit, WG_PDF_CENTRE);
    wg_pdf_title(d, r->title);
    if (*r->number)
        wg_pdf_line(d, r->number, WG_PDF_CENTRE);
    wg_pdf_space(d, 8);
    for (size_t i = 0; i < r->n;) {
        const struct wg_report_block *b = &r->blocks[i];
        switch (b->kind) {
        case WG_REPORT_HEADING:
            wg_pdf_heading(d, b->label);
            break;
        case WG_REPORT_PARAGRAPH:
            wg_pdf_paragraph(d, b->value);
            break;
        case WG_REPORT_FIELD:
            wg_pdf_field(d, b->label, b->value);
            break;
        case WG_REPORT_FIGURE:
            i = figures(d, r, i);
            continue;
        case WG_REPORT_TABLE:
            if (*b->label)
                wg_pdf_line(d, b->label, WG_PDF_CENTRE);
            wg_pdf_table(d, b->ncols, NULL, (const char *const *)b->cells, b->nrows);
            break;
        }
        i++;
    }
    wg_pdf_space(d, 16);
    if (*r->unit)
        wg_pdf_line(d, r->unit, WG_PDF_RIGHT);
    if (*r->date)
        wg_pdf_line(d, r->date, WG_PDF_RIGHT);
    enum wg_rc rc = wg_pdf_render(d, pdf, len, &pages, err);
    wg_pdf_free(d);
    return rc;
}
