/* Printable documents (the mediation agreement 调解协议书, later the special reports 专报): A4
 * pages in Chinese, written as PDF in memory. A document is a list of blocks — a centred
 * title, headings, wrapped paragraphs, lines, "label：value" rows, bordered tables, lines to
 * sign on — laid out by Pango onto cairo's PDF surface, which embeds the subset of the font's
 * glyphs the text uses. Pages break by themselves and each carries 第 N 页 共 M 页. pdf.c is
 * the only includer of cairo's and Pango's headers.
 *
 * A block is added as text (UTF-8; control characters but newline and tab become spaces). An
 * add never fails by itself: the first error (text that is not UTF-8, a document over its
 * caps) is kept, later adds do nothing, and wg_pdf_render returns it (as wg_buf does). */
#ifndef WG_PDF_PDF_H
#define WG_PDF_PDF_H

#include <stddef.h>

#include "core/err.h"

#define WG_PDF_TEXT_MAX  (1024 * 1024)      /* bytes of text in one document */
#define WG_PDF_PAGES_MAX 500                /* pages of one document */
#define WG_PDF_BYTES_MAX (64 * 1024 * 1024) /* the PDF itself */
#define WG_PDF_COLS_MAX  16                 /* columns of a table */

enum wg_pdf_align { WG_PDF_LEFT, WG_PDF_CENTRE, WG_PDF_RIGHT };

struct wg_pdf;

/* A new, empty document; title is the PDF's own title (its metadata, what a viewer's
 * window shows), not a block. */
struct wg_pdf *wg_pdf_new(const char *title);
void wg_pdf_free(struct wg_pdf *d);

/* The document's title: centred, large. */
void wg_pdf_title(struct wg_pdf *d, const char *text);
/* A heading, kept on one page with the start of what follows it. */
void wg_pdf_heading(struct wg_pdf *d, const char *text);
/* A paragraph, wrapped to the page, each of its lines ("\n") starting two characters in. */
void wg_pdf_paragraph(struct wg_pdf *d, const char *text);
/* Text set flush to one side or centred (a number under the title, the date at the end);
 * wrapped when longer than a line. */
void wg_pdf_line(struct wg_pdf *d, const char *text, enum wg_pdf_align align);
/* "label：value", the value's further lines under its first; an empty or NULL value is a
 * line to fill in by hand. */
void wg_pdf_field(struct wg_pdf *d, const char *label, const char *value);
/* A bordered table of nrows rows of ncols cells (cells[row * ncols + col], NULL as empty),
 * the first row its head, repeated at the top of each page the table goes on to. widths:
 * each column's share of the page's width (NULL: equal); a row is kept on one page. */
void wg_pdf_table(struct wg_pdf *d, size_t ncols, const double *widths, const char *const *cells,
                  size_t nrows);
/* "label：" and a line to sign on, with room above it for the signature (or a seal). */
void wg_pdf_signature(struct wg_pdf *d, const char *label);
/* The blocks added between the two kept on one page (the end of an agreement with the lines
 * to sign it), unless together they are longer than a page. A begin ends the group open. */
void wg_pdf_keep_begin(struct wg_pdf *d);
void wg_pdf_keep_end(struct wg_pdf *d);
/* Empty space, in points (1/72 inch). */
void wg_pdf_space(struct wg_pdf *d, double points);

/* Lays the document out and writes it: *pdf (returns owned, *len bytes) and *pages. Errors:
 * the first error of an add (WG_EINVAL, WG_ETOOBIG), over WG_PDF_PAGES_MAX pages or
 * WG_PDF_BYTES_MAX bytes (WG_ETOOBIG), a table row taller than a page (WG_ETOOBIG), no
 * Chinese font installed (WG_EUNAVAIL), cairo's own failures (WG_EINTERNAL). Safe to call
 * from several threads at once, each with its own document. */
enum wg_rc wg_pdf_render(struct wg_pdf *d, char **pdf, size_t *len, int *pages, struct wg_err *err);

#endif
