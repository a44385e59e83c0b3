/* The special report (pdf/report.h) and its two forms: a PDF whose Chinese text reads back
 * through pdftotext (head, fields, figures, the table's cells, the date and unit at the
 * end), and an XLSX workbook (pdf/sheet.h) that is a real zip whose shared strings and sheet
 * hold the same texts and whose table numbers are numbers; caps kept as errors that render
 * nothing. */
#include "t.h"

#include <unistd.h>

#include "pdf/report.h"
#include "pdf/sheet.h"

/* What cmd (with %s the file holding bytes) prints, malloc'd; NULL when it fails. */
static char *run_on(const char *bytes, size_t len, const char *fmt)
{
    char path[] = "/tmp/wg-test-report-XXXXXX", cmd[256];
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    int ok = write(fd, bytes, len) == (ssize_t)len;
    close(fd);
    snprintf(cmd, sizeof cmd, fmt, path);
    FILE *f = ok ? popen(cmd, "r") : NULL;
    char *out = calloc(1, 1);
    size_t n = 0, cap = 1;
    for (int c; f && (c = fgetc(f)) != EOF;) {
        if (n + 2 > cap)
            out = realloc(out, cap = cap * 2 + 4096);
        out[n++] = (char)c;
        out[n] = '\0';
    }
    if (!f || pclose(f) != 0) {
        free(out);
        out = NULL;
    }
    unlink(path);
    return out;
}

static void sample(struct wg_report *r)
{
    wg_report_init(r, "未诉先办工作专报", "兰山区12345热线办公室", "2026-12-07",
                   "未诉先办专报〔2026〕第7号");
    wg_report_heading(r, "一、任务概况");
    wg_report_field(r, "任务主题", "整治金雀山路占道经营");
    wg_report_paragraph(r, "1. 城管中队每日早晚高峰巡查，劝离流动摊贩。");
    wg_report_figure(r, "启动后诉求量", "12", "2026-11-01 至 2026-11-30");
    wg_report_figure(r, "环比变化", "-40.0%", "启动后对比启动前");
    static const char *const cells[] = {"月份", "诉求量合计", "占道经营", "2026-10", "20",
                                        "20",   "2026-11",    "12",       "12"};
    wg_report_table(r, "近十二个月诉求量（件）", 3, cells, 3);
}

static void pdf_reads_back(void)
{
    struct wg_err err = {0};
    struct wg_report r;
    char *pdf = NULL;
    size_t len = 0;
    sample(&r);
    T_EQ_INT(wg_report_pdf(&r, &pdf, &len, &err), WG_OK);
    T_CHECK(len > 1000 && !memcmp(pdf, "%PDF", 4));
    char *text = run_on(pdf, len, "pdftotext -enc UTF-8 '%s' - 2>/dev/null");
    T_CHECK(text != NULL);
    static const char *const want[] = {"未诉先办工作专报",
                                       "兰山区12345热线办公室",
                                       "第7号",
                                       "整治金雀山路占道经营",
                                       "劝离流动摊贩",
                                       "启动后诉求量",
                                       "-40.0%",
                                       "2026-11",
                                       "2026-12-07",
                                       NULL};
    for (int i = 0; text && want[i]; i++)
        if (!strstr(text, want[i])) {
            fprintf(stderr, "missing '%s' in the PDF's text\n", want[i]);
            T_CHECK(0);
        }
    free(text);
    free(pdf);
    wg_report_release(&r);
}

static void xlsx_reads_back(void)
{
    struct wg_err err = {0};
    struct wg_report r;
    char *x = NULL;
    size_t len = 0;
    sample(&r);
    T_EQ_INT(wg_sheet_report(&r, &x, &len, &err), WG_OK);
    T_CHECK(len > 1000 && !memcmp(x, "PK", 2));
    char *strings = run_on(x, len, "unzip -p '%s' xl/sharedStrings.xml 2>/dev/null");
    char *sheet = run_on(x, len, "unzip -p '%s' xl/worksheets/sheet1.xml 2>/dev/null");
    char *book = run_on(x, len, "unzip -p '%s' xl/workbook.xml 2>/dev/null");
    T_CHECK(strings && sheet && book);
    static const char *const want[] = {"未诉先办工作专报", "整治金雀山路占道经营",
                                       "启动后诉求量",     "近十二个月诉求量（件）",
                                       "2026-10",          NULL};
    for (int i = 0; strings && want[i]; i++)
        if (!strstr(strings, want[i])) {
            fprintf(stderr, "missing '%s' in the workbook's strings\n", want[i]);
            T_CHECK(0);
        }
    T_CHECK(book && strstr(book, "专报") != NULL);
    /* the table's counts and the figure 12 are numbers, not strings */
    T_CHECK(sheet && strstr(sheet, "<v>20</v>") != NULL);
    T_CHECK(sheet && strstr(sheet, "<v>12</v>") != NULL);
    free(strings);
    free(sheet);
    free(book);
    free(x);
    wg_report_release(&r);
}

static void caps(void)
{
    struct wg_err err = {0};
    struct wg_report r;
    char *out = NULL;
    size_t len = 0;
    static const char *const one[] = {"a"};
    wg_report_init(&r, "t", "", "", "");
    wg_report_table(&r, "", WG_REPORT_COLS_MAX + 1, one, 1);
    wg_report_heading(&r, "after the error");
    T_EQ_INT(r.n, 0);
    T_EQ_INT(wg_report_pdf(&r, &out, &len, &err), WG_ETOOBIG);
    T_CHECK(out == NULL && strstr(err.msg, "columns") != NULL);
    T_EQ_INT(wg_sheet_report(&r, &out, &len, &err), WG_ETOOBIG);
    T_CHECK(out == NULL);
    wg_report_release(&r);
    wg_report_init(&r, "t", "", "", "");
    for (int i = 0; i <= WG_REPORT_BLOCKS_MAX; i++)
        wg_report_paragraph(&r, "段");
    T_EQ_INT(r.n, WG_REPORT_BLOCKS_MAX);
    T_EQ_INT(wg_report_pdf(&r, &out, &len, &err), WG_ETOOBIG);
    wg_report_release(&r);
}

int main(void)
{
    pdf_reads_back();
    xlsx_reads_back();
    caps();
    return T_DONE("report");
}
