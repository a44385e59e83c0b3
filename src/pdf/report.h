/* A special report (专报) as data: a title, the issuing unit, its date and number, then blocks
 * in order — headings, paragraphs, "label：value" fields, key figures (label, value, what it
 * means) and tables with a head row. One description, two renderings: report.c lays it out
 * as a PDF with pdf.h, sheet.c writes it as an XLSX workbook. A task's report
 * (domain/alerts/task.h) and a warning's are built this way.
 *
 * Every text is copied in when added (UTF-8); the report owns its copies. An add never fails
 * by itself: running out of the caps below keeps the first error, later adds do nothing, and
 * rendering returns it. */
#ifndef WG_PDF_REPORT_H
#define WG_PDF_REPORT_H

#include <stddef.h>

#include "core/err.h"

#define WG_REPORT_BLOCKS_MAX 2000
#define WG_REPORT_CELLS_MAX  20000 /* cells of one table */
#define WG_REPORT_COLS_MAX   16

enum wg_report_kind {
    WG_REPORT_HEADING,
    WG_REPORT_PARAGRAPH,
    WG_REPORT_FIELD,  /* label, value */
    WG_REPORT_FIGURE, /* label, value, note: consecutive figures make one table */
    WG_REPORT_TABLE,  /* label: the caption; cells, ncols × nrows, the first row its head */
};

struct wg_report_block {
    enum wg_report_kind kind;
    char *label, *value, *note;
    char **cells;
    size_t ncols, nrows;
};

struct wg_report {
    char *title, *unit, *date, *number;
    struct wg_report_block *blocks;
    size_t n, cap;
    struct wg_err err; /* the first failure of an add */
};

void wg_report_init(struct wg_report *r, const char *title, const char *unit, const char *date,
                    const char *number);
void wg_report_release(struct wg_report *r);
void wg_report_heading(struct wg_report *r, const char *text);
void wg_report_paragraph(struct wg_report *r, const char *text);
void wg_report_field(struct wg_report *r, const char *label, const char *value);
void wg_report_figure(struct wg_report *r, const char *label, const char *value, const char *note);
/* cells[row * ncols + col], NULL as empty. */
void wg_report_table(struct wg_report *r, const char *caption, size_t ncols,
                     const char *const *cells, size_t nrows);

/* The report as a PDF (pdf.h's errors): *pdf owned, *len bytes. */
enum wg_rc wg_report_pdf(const struct wg_report *r, char **pdf, size_t *len, struct wg_err *err);

#endif
