/* The document writer (pdf.h): blocks kept as text, then laid out twice by Pango on cairo's PDF
 * surface — once to count the pages, once to draw them with 第 N 页 共 M 页 — into a wg_buf.
 * Each render has a font map of its own (Pango's font maps are not thread-safe; fontconfig and
 * cairo's font caches under them are), so request threads render at once without a lock. */
#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"

/* A4 in points, and the page's margins: 25 mm at each side, the page number 15 mm above the
 * bottom edge. */
#define PAGE_W   595.276
#define PAGE_H   841.890
#define MARGIN   70.866
#define LEFT     MARGIN
#define RIGHT    (PAGE_W - MARGIN)
#define TOP      MARGIN
#define BOTTOM   (PAGE_H - MARGIN)
#define FOOTER_Y (PAGE_H - 42.52)
#define WIDTH    (RIGHT - LEFT)
#define CELL_PAD 4.0

/* A serif (Song, Ming) face first, as formal documents are set; then any Chinese face. */
#define FAMILIES "AR PL UMing CN,Noto Serif CJK SC,Source Han Serif SC,WenQuanYi Micro Hei,serif"
#define PROBE    "人民调解协议书"

/* The faces of the blocks: size in points (Chinese type sizes: 二号 22, 四号 14, 小四 12,
 * 五号 10.5), bold, line spacing (a factor of the font's height). */
enum style { S_TITLE, S_HEADING, S_BODY, S_SMALL, S_COUNT };
static const struct {
    double size;
    int bold;
    double spacing;
} styles[S_COUNT] = {
    [S_TITLE] = {22, 1, 1.2},
    [S_HEADING] = {14, 1, 1.4},
    [S_BODY] = {12, 0, 1.5},
    [S_SMALL] = {10.5, 0, 1.3},
};

enum kind { K_TITLE, K_HEADING, K_PARA, K_LINE, K_FIELD, K_TABLE, K_SIGN, K_SPACE, K_KEEP };

struct block {
    enum kind kind;
    enum wg_pdf_align align;
    char *text;  /* the text; a field's or a signature's label */
    char *value; /* a field's value */
    char **cells;
    size_t ncols, nrows;
    double widths[WG_PDF_COLS_MAX];
    double space;
    size_t keep; /* K_KEEP: the blocks after it kept on one page */
};

struct wg_pdf {
    char *title;
    struct block *blocks;
    size_t n, cap, text_bytes;
    size_t keeping; /* 1 + the index of the open K_KEEP block, 0 when none is open */
    enum wg_rc rc;
    struct wg_err err;
};

/* ---- building ---- */

struct wg_pdf *wg_pdf_new(const char *title)
{
    struct wg_pdf *d = wg_calloc(1, sizeof *d);
    d->title = wg_strdup(title && wg_utf8_valid(title) ? title : "");
    return d;
}

static void block_release(struct block *b)
{
    free(b->text);
    free(b->value);
    for (size_t i = 0; b->cells && i < b->ncols * b->nrows; i++)
        free(b->cells[i]);
    free(b->cells);
}

void wg_pdf_free(struct wg_pdf *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        block_release(&d->blocks[i]);
    free(d->blocks);
    free(d->title);
    free(d);
}

static int failed(struct wg_pdf *d, enum wg_rc rc, const char *fmt, const char *what)
{
    if (!d->rc)
        d->rc = wg_err_set(&d->err, rc, fmt, what);
    return 1;
}

/* A copy of s for the layout: UTF-8 checked, control characters but newline and tab turned
 * into spaces (Pango would draw them as boxes); NULL when the document refuses it. */
static char *text_of(struct wg_pdf *d, const char *s, const char *what)
{
    if (d->rc)
        return NULL;
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (!wg_utf8_valid(s)) {
        failed(d, WG_EINVAL, "the %s of a document is not UTF-8 text", what);
        return NULL;
    }
    if (n > WG_PDF_TEXT_MAX - d->text_bytes) {
        failed(d, WG_ETOOBIG, "a document holds at most 1 MiB of text (at the %s)", what);
        return NULL;
    }
    d->text_bytes += n;
    char *t = wg_strdup(s);
    for (char *p = t; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            *p = ' ';
    return t;
}

static struct block *add(struct wg_pdf *d, enum kind kind, const char *text, const char *what)
{
    char *t = text_of(d, text, what);
    if (!t)
        return NULL;
    wg_grow(&d->blocks, &d->cap, d->n, sizeof *d->blocks, 16);
    struct block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->text = t;
    return b;
}

void wg_pdf_title(struct wg_pdf *d, const char *text)
{
    struct block *b = add(d, K_TITLE, text, "title");
    if (b)
        b->align = WG_PDF_CENTRE;
}

void wg_pdf_heading(struct wg_pdf *d, const char *text)
{
    add(d, K_HEADING, text, "heading");
}

void wg_pdf_paragraph(struct wg_pdf *d, const char *text)
{
    add(d, K_PARA, text, "paragraph");
}

void wg_pdf_line(struct wg_pdf *d, const char *text, enum wg_pdf_align align)
{
    struct block *b = add(d, K_LINE, text, "line");
    if (b)
        b->align = align;
}

void wg_pdf_field(struct wg_pdf *d, const char *label, const char *value)
{
    struct block *b = add(d, K_FIELD, label, "label of a field");
    if (b && !(b->value = text_of(d, value, "value of a field")))
        d->n--, block_release(b);
}

void wg_pdf_signature(struct wg_pdf *d, const char *label)
{
    add(d, K_SIGN, label, "label of a signature");
}

void wg_pdf_space(struct wg_pdf *d, double points)
{
    struct block *b = add(d, K_SPACE, "", "space");
    if (b)
        b->space = points > 0 && points < PAGE_H ? points : 0;
}

void wg_pdf_keep_begin(struct wg_pdf *d)
{
    wg_pdf_keep_end(d);
    if (add(d, K_KEEP, "", "group"))
        d->keeping = d->n;
}

void wg_pdf_keep_end(struct wg_pdf *d)
{
    if (d->keeping && !d->rc)
        d->blocks[d->keeping - 1].keep = d->n - d->keeping;
    d->keeping = 0;
}

void wg_pdf_table(struct wg_pdf *d, size_t ncols, const double *widths, const char *const *cells,
                  size_t nrows)
{
    if (d->rc)
        return;
    if (ncols < 1 || ncols > WG_PDF_COLS_MAX || nrows < 1 || nrows > 100000) {
        failed(d, WG_EINVAL, "a %s has 1 to 16 columns and at least one row", "table");
        return;
    }
    double total = 0;
    for (size_t c = 0; c < ncols; c++)
        total += widths ? widths[c] : 1;
    if (!(total > 0)) {
        failed(d, WG_EINVAL, "the columns of a %s have widths above 0", "table");
        return;
    }
    struct block *b = add(d, K_TABLE, "", "table");
    if (!b)
        return;
    b->ncols = ncols;
    b->nrows = nrows;
    for (size_t c = 0; c < ncols; c++)
        b->widths[c] = WIDTH * (widths ? widths[c] : 1) / total;
    b->cells = wg_calloc(ncols * nrows, sizeof *b->cells);
    for (size_t i = 0; i < ncols * nrows; i++)
        if (!(b->cells[i] = text_of(d, cells[i], "cell of a table"))) {
            d->n--;
            block_release(b);
            return;
        }
}

/* ---- laying out and drawing ---- */

/* A render's state: the context drawn on, the page and where on it the next block goes. The
 * first pass (draw 0) only counts the pages; the second draws them, knowing how many. */
struct pen {
    cairo_t *cr;
    PangoContext *pc;
    PangoFontDescription *font[S_COUNT];
    double y;
    int page, pages, draw;
    enum wg_rc rc;
    struct wg_err *err;
};

static PangoLayout *layout(struct pen *p, enum style s, const char *text, double width,
                           enum wg_pdf_align align)
{
    static const PangoAlignment al[] = {PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT};
    PangoLayout *l = pango_layout_new(p->pc);
    pango_layout_set_font_description(l, p->font[s]);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, al[align]);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void footer(struct pen *p)
{
    char text[64];
    snprintf(text, sizeof text, "第 %d 页 共 %d 页", p->page, p->pages);
    PangoLayout *l = layout(p, S_SMALL, text, WIDTH, WG_PDF_CENTRE);
    cairo_move_to(p->cr, LEFT, FOOTER_Y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(struct pen *p)
{
    if (p->draw) {
        footer(p);
        cairo_show_page(p->cr);
    }
    p->page++;
    p->y = TOP;
    if (p->page > WG_PDF_PAGES_MAX && !p->rc)
        p->rc = wg_err_set(p->err, WG_ETOOBIG, "a document has at most %d pages", WG_PDF_PAGES_MAX);
}

/* Breaks the page unless h more points fit on it (or it is still empty). */
static void need(struct pen *p, double h)
{
    if (p->y + h > BOTTOM && p->y > TOP)
        new_page(p);
}

/* Where a layout's last line ended: its text's right end, its baseline. */
struct end {
    double x, baseline;
};

/* Sets a layout's lines from p->y at x, each line spacing times its font's height apart (the
 * space shared above and below it, so that one line alone takes the room it takes in a
 * paragraph), breaking the page between lines where one does not fit. */
static void flow(struct pen *p, PangoLayout *l, double x, double spacing, struct end *end)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double h = logical.height / (double)PANGO_SCALE, advance = h * spacing;
        need(p, advance);
        double baseline = p->y + (advance - h) / 2 +
                          (pango_layout_iter_get_baseline(it) - logical.y) / (double)PANGO_SCALE;
        if (p->draw) {
            cairo_move_to(p->cr, x + logical.x / (double)PANGO_SCALE, baseline);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        if (end)
            *end = (struct end){x + (logical.x + logical.width) / (double)PANGO_SCALE, baseline};
        p->y += advance;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* A line to write on, from x0 to x1 just under the last line's baseline. */
static void rule(struct pen *p, double x0, double x1, double y)
{
    if (!p->draw || x1 <= x0)
        return;
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

static double body_line(void)
{
    return styles[S_BODY].size * styles[S_BODY].spacing;
}

static void text_block(struct pen *p, const struct block *b, enum style s, double before,
                       double after)
{
    PangoLayout *l = layout(p, s, b->text, WIDTH, b->align);
    if (b->kind == K_PARA)
        pango_layout_set_indent(l, (int)(2 * styles[s].size * PANGO_SCALE));
    p->y += p->y > TOP ? before : 0;
    if (b->kind == K_HEADING) /* with the heading, room for two lines of what follows */
        need(p, height_of(l) * styles[s].spacing + 2 * body_line());
    flow(p, l, LEFT, styles[s].spacing, NULL);
    p->y += after;
    g_object_unref(l);
}

static void field(struct pen *p, const struct block *b)
{
    char *text = wg_malloc(strlen(b->text) + strlen(b->value) + 4);
    snprintf(text, strlen(b->text) + strlen(b->value) + 4, "%s：%s", b->text, b->value);
    PangoLayout *label = layout(p, S_BODY, text, WIDTH, WG_PDF_LEFT);
    int w, h;
    pango_layout_set_text(label, text, (int)(strlen(b->text) + strlen("：")));
    pango_layout_get_size(label, &w, &h);
    PangoLayout *l = layout(p, S_BODY, text, WIDTH, WG_PDF_LEFT);
    if (w < WIDTH * PANGO_SCALE / 2) /* a hanging indent: the value's lines under its first */
        pango_layout_set_indent(l, -w);
    struct end end;
    flow(p, l, LEFT, styles[S_BODY].spacing, &end);
    if (!*b->value)
        rule(p, end.x + 4, RIGHT, end.baseline + 3);
    g_object_unref(label);
    g_object_unref(l);
    free(text);
}

static void signature(struct pen *p, const struct block *b)
{
    char *text = wg_malloc(strlen(b->text) + 4);
    snprintf(text, strlen(b->text) + 4, "%s：", b->text);
    PangoLayout *l = layout(p, S_BODY, text, WIDTH, WG_PDF_LEFT);
    double room = 1.5 * body_line(); /* to sign in, above the line */
    need(p, room + height_of(l) * styles[S_BODY].spacing);
    p->y += p->y > TOP ? room : 0;
    struct end end;
    flow(p, l, LEFT, styles[S_BODY].spacing, &end);
    double x1 = end.x + 120 > LEFT + WIDTH * 0.8 ? end.x + 120 : LEFT + WIDTH * 0.8;
    x1 = x1 < RIGHT ? x1 : RIGHT; /* the lines end together, each at least 120 points long */
    rule(p, end.x + 4, x1, end.baseline + 3);
    g_object_unref(l);
    free(text);
}

/* One row of a table at p->y: its cells' borders and text; h its height. */
static void row(struct pen *p, const struct block *b, PangoLayout **cells, double h)
{
    double x = LEFT;
    for (size_t c = 0; c < b->ncols; c++) {
        if (p->draw) {
            cairo_set_line_width(p->cr, 0.6);
            cairo_rectangle(p->cr, x, p->y, b->widths[c], h);
            cairo_stroke(p->cr);
            cairo_move_to(p->cr, x + CELL_PAD, p->y + CELL_PAD);
            pango_cairo_show_layout(p->cr, cells[c]);
        }
        x += b->widths[c];
    }
    p->y += h;
}

/* The layouts of a row's cells (head centred), and the row's height. */
static double row_layouts(struct pen *p, const struct block *b, size_t r, PangoLayout **cells)
{
    double h = 0;
    for (size_t c = 0; c < b->ncols; c++) {
        cells[c] = layout(p, S_BODY, b->cells[r * b->ncols + c], b->widths[c] - 2 * CELL_PAD,
                          r == 0 ? WG_PDF_CENTRE : WG_PDF_LEFT);
        pango_layout_set_line_spacing(cells[c], 1.3f);
        double ch = height_of(cells[c]);
        h = ch > h ? ch : h;
    }
    return h + 2 * CELL_PAD;
}

static void free_layouts(PangoLayout **cells, size_t n)
{
    for (size_t c = 0; c < n; c++)
        g_object_unref(cells[c]);
}

/* A table, its head kept with the first row and set again at the top of each page it goes on
 * to. */
static void table(struct pen *p, const struct block *b)
{
    PangoLayout *head[WG_PDF_COLS_MAX], *cells[WG_PDF_COLS_MAX];
    double head_h = row_layouts(p, b, 0, head);
    p->y += p->y > TOP ? 4 : 0;
    need(p, head_h + (b->nrows > 1 ? body_line() + 2 * CELL_PAD : 0));
    row(p, b, head, head_h);
    for (size_t r = 1; r < b->nrows && !p->rc; r++) {
        double h = row_layouts(p, b, r, cells);
        if (head_h + h > BOTTOM - TOP) {
            p->rc = wg_err_set(p->err, WG_ETOOBIG,
                               "row %zu of a table is taller than a page: shorten its cells", r);
        } else {
            if (p->y + h > BOTTOM) {
                new_page(p);
                row(p, b, head, head_h);
            }
            row(p, b, cells, h);
        }
        free_layouts(cells, b->ncols);
    }
    free_layouts(head, b->ncols);
    p->y += 6;
}

static void block(struct pen *p, const struct block *b)
{
    switch (b->kind) {
    case K_TITLE:
        text_block(p, b, S_TITLE, 0, 12);
        break;
    case K_HEADING:
        text_block(p, b, S_HEADING, 8, 2);
        break;
    case K_PARA:
    case K_LINE:
        text_block(p, b, S_BODY, 0, 0);
        break;
    case K_FIELD:
        field(p, b);
        break;
    case K_TABLE:
        table(p, b);
        break;
    case K_SIGN:
        signature(p, b);
        break;
    case K_SPACE:
        p->y += p->y > TOP ? b->space : 0;
        break;
    case K_KEEP: /* pass() looks ahead */
        break;
    }
}

/* The n blocks of a group tried where the pen is, without drawing: when they would run over a
 * page break but fit on a page of their own, the page breaks before them. */
static void keep(struct pen *p, const struct block *group, size_t n)
{
    struct pen q = *p;
    q.draw = 0;
    for (size_t i = 0; i < n && !q.rc; i++)
        block(&q, &group[i]);
    if (q.page == p->page || q.rc || p->y <= TOP)
        return;
    q = *p;
    q.draw = 0;
    q.y = TOP;
    for (size_t i = 0; i < n && !q.rc; i++)
        block(&q, &group[i]);
    if (q.page == p->page && !q.rc)
        new_page(p);
}

/* One pass over the document; returns the pages it took. */
static int pass(struct pen *p, const struct wg_pdf *d)
{
    p->page = 1;
    p->y = TOP;
    for (size_t i = 0; i < d->n && !p->rc; i++) {
        if (d->blocks[i].kind == K_KEEP)
            keep(p, &d->blocks[i + 1], d->blocks[i].keep);
        block(p, &d->blocks[i]);
    }
    if (p->draw && !p->rc) {
        footer(p);
        cairo_show_page(p->cr);
    }
    return p->page;
}

/* ---- the process's fonts, and the render ---- */

/* fontconfig's configuration is loaded once and kept for the life of the process. Releasing it
 * at exit was tried and cannot be done safely: FcFini aborts at random (its cache asserts that
 * no font is referenced any more, and cairo's and Pango's caches keep some beyond any release
 * a caller can make), and cairo_debug_reset_static_data changes nothing a leak checker sees.
 * What LeakSanitizer does see is fontconfig's own: 288 bytes lost while FcInit parses the
 * configuration, once per process, with no pointer left to them; the sanitizer build leaves
 * that library's leaks out (below), and only them. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int fonts_ok;

static void load_fonts(void)
{
    fonts_ok = FcInit();
}

#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

static cairo_status_t on_write(void *ctx, const unsigned char *data, unsigned int len)
{
    return wg_buf_add(ctx, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The context's fonts: the families in FAMILIES at each style's size, in points (72 per
 * inch, the PDF's unit), outlines unhinted and placed unrounded, as print wants them. */
static void pen_fonts(struct pen *p, PangoFontMap *map)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(map), 72.0);
    p->pc = pango_font_map_create_context(map);
    pango_cairo_context_set_font_options(p->pc, fo);
    pango_context_set_round_glyph_positions(p->pc, FALSE);
    pango_context_set_language(p->pc, pango_language_from_string("zh-cn"));
    pango_cairo_update_context(p->cr, p->pc);
    cairo_font_options_destroy(fo);
    for (int s = 0; s < S_COUNT; s++) {
        p->font[s] = pango_font_description_new();
        pango_font_description_set_family(p->font[s], FAMILIES);
        pango_font_description_set_size(p->font[s], (int)(styles[s].size * PANGO_SCALE));
        pango_font_description_set_weight(p->font[s],
                                          styles[s].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }
}

/* Chinese text comes out as glyphs, not boxes: some installed face covers it. */
static enum wg_rc probe(struct pen *p)
{
    PangoLayout *l = layout(p, S_BODY, PROBE, WIDTH, WG_PDF_LEFT);
    int unknown = pango_layout_get_unknown_glyphs_count(l);
    g_object_unref(l);
    if (unknown)
        return wg_err_set(p->err, WG_EUNAVAIL,
                          "no Chinese font is installed (the packages fonts-arphic-uming or "
                          "fonts-wqy-microhei have one): a document would show boxes");
    return WG_OK;
}

static enum wg_rc draw(const struct wg_pdf *d, struct wg_buf *out, int *pages, struct wg_err *err)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(on_write, out, PAGE_W, PAGE_H);
    struct pen p = {.cr = cairo_create(s), .err = err};
    PangoFontMap *map = pango_cairo_font_map_new();
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "wangge");
    pen_fonts(&p, map);
    p.rc = probe(&p);
    if (!p.rc)
        p.pages = pass(&p, d);
    p.draw = 1;
    if (!p.rc)
        pass(&p, d);
    cairo_status_t st = cairo_status(p.cr);
    for (int i = 0; i < S_COUNT; i++)
        pango_font_description_free(p.font[i]);
    g_object_unref(p.pc);
    cairo_destroy(p.cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(map)); /* its fonts go now, not at exit */
    g_object_unref(map);
    if (!p.rc && wg_buf_rc(out) == WG_ETOOBIG)
        p.rc = wg_err_set(err, WG_ETOOBIG, "a document's PDF is at most %d MiB",
                          WG_PDF_BYTES_MAX >> 20);
    if (!p.rc && st != CAIRO_STATUS_SUCCESS)
        p.rc =
            wg_err_set(err, WG_EINTERNAL, "cannot write the PDF: %s", cairo_status_to_string(st));
    *pages = p.pages;
    return p.rc;
}

enum wg_rc wg_pdf_render(struct wg_pdf *d, char **pdf, size_t *len, int *pages, struct wg_err *err)
{
    struct wg_buf out;
    enum wg_rc rc;
    *pdf = NULL, *len = 0, *pages = 0;
    if (d->rc) {
        if (err)
            *err = d->err;
        return d->rc;
    }
    pthread_once(&once, load_fonts);
    if (!fonts_ok)
        return wg_err_set(err, WG_EUNAVAIL,
                          "cannot load the font configuration (fontconfig): "
                          "no document can be written");
    wg_buf_init(&out, WG_PDF_BYTES_MAX);
    rc = draw(d, &out, pages, err);
    if (rc) {
        wg_buf_release(&out);
        *pages = 0;
        return rc;
    }
    *pdf = wg_buf_detach(&out, len);
    return WG_OK;
}
