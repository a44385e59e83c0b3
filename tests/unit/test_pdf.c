/* The document writer (pdf/pdf.h), and the mediation agreement set with it
 * (domain/disputes/agreement.h): a PDF of A4 pages whose Chinese text reads back (through
 * pdftotext, of poppler-utils, in the tests' packages), long text breaking over the pages it
 * needs with 第 N 页 共 M 页 on each, tables repeating their head, groups kept on a page, every
 * bad input an error that writes nothing, and several threads rendering at once. */
#include "t.h"

#include <pthread.h>
#include <unistd.h>

#include "core/alloc.h"
#include "domain/disputes/agreement.h"
#include "pdf/pdf.h"

/* The text pdftotext reads from a PDF (malloc'd), or NULL. */
static char *pdf_text(const char *pdf, size_t len)
{
    char path[] = "/tmp/wg-test-pdf-XXXXXX", cmd[128];
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    int ok = write(fd, pdf, len) == (ssize_t)len;
    close(fd);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
    FILE *f = ok ? popen(cmd, "r") : NULL;
    char *out = NULL;
    size_t n = 0, cap = 0;
    for (int c; f && (c = fgetc(f)) != EOF;) {
        if (n + 2 > cap)
            out = realloc(out, cap = cap ? cap * 2 : 4096);
        out[n++] = (char)c;
        out[n] = '\0';
    }
    if (f && pclose(f) != 0) {
        free(out);
        out = NULL;
    }
    unlink(path);
    return out;
}

static int count(const char *hay, size_t len, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        n += !memcmp(hay + i, needle, k);
    return n;
}

/* The page objects of a PDF ("/Type /Page", not "/Pages"). */
static int page_objects(const char *pdf, size_t len)
{
    return count(pdf, len, "/Type /Page\n") + count(pdf, len, "/Type /Page ") +
           count(pdf, len, "/Type /Page/") + count(pdf, len, "/Type /Page>");
}

static struct wg_pdf *sample(void)
{
    static const char *const cells[] = {
        "身份",        "姓名",     "证件号码", "电话", "申请人",     "王秀英", "11010519491231002X",
        "13800138000", "被申请人", "李建国",   NULL,   "13912345678"};
    static const double widths[] = {1, 1.2, 2, 1.5};
    struct wg_pdf *d = wg_pdf_new("人民调解协议书");
    wg_pdf_title(d, "人民调解协议书");
    wg_pdf_line(d, "编号：371302-20261207-J0001", WG_PDF_RIGHT);
    wg_pdf_field(d, "调解组织", "");
    wg_pdf_field(d, "调解员", NULL);
    wg_pdf_table(d, 4, widths, cells, 3);
    wg_pdf_heading(d, "一、纠纷事实及各方责任");
    wg_pdf_paragraph(d, "楼上卫生间防水层老化，渗漏至楼下卧室。\n双方\x01各负其责。");
    wg_pdf_heading(d, "二、协议内容");
    wg_pdf_paragraph(d, "楼上承担维修费2400元。");
    wg_pdf_space(d, 12);
    wg_pdf_signature(d, "当事人签名");
    wg_pdf_signature(d, "人民调解委员会（印章）");
    wg_pdf_line(d, "2026年12月7日", WG_PDF_RIGHT);
    return d;
}

static void test_a_document_of_one_page(void)
{
    struct wg_err err = {0};
    struct wg_pdf *d = sample();
    char *pdf = NULL;
    size_t len = 0;
    int pages = 0;
    T_EQ_INT(wg_pdf_render(d, &pdf, &len, &pages, &err), WG_OK);
    T_EQ_INT(pages, 1);
    T_CHECK(len > 1000 && !memcmp(pdf, "%PDF-", 5));
    T_CHECK(count(pdf, len, "%%EOF") == 1);
    /* A4: 210 × 297 mm, 595.276 × 841.89 points */
    const char *box = memmem(pdf, len, "/MediaBox [", 11);
    double x0 = -1, y0 = -1, w = 0, h = 0;
    T_CHECK(box && sscanf(box, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, &w, &h) == 4);
    T_NEAR(w, 595.276, 0.01);
    T_NEAR(h, 841.89, 0.01);
    T_EQ_INT(page_objects(pdf, len), 1);
    T_CHECK(count(pdf, len, "/FontFile") >= 1); /* the font embedded (its subset) */
    char *text = pdf_text(pdf, len);
    T_CHECK(text != NULL);
    if (text) {
        T_CHECK(strstr(text, "人民调解协议书") != NULL);
        T_CHECK(strstr(text, "王秀英") && strstr(text, "11010519491231002X"));
        T_CHECK(strstr(text, "楼上承担维修费2400元") != NULL);
        T_CHECK(strstr(text, "人民调解委员会（印章）") != NULL);
        T_CHECK(strstr(text, "第 1 页 共 1 页") != NULL);
        T_CHECK(strstr(text, "\x01") == NULL);
    }
    free(text);
    free(pdf);
    wg_pdf_free(d);
}

static void test_long_text_breaks_over_pages(void)
{
    struct wg_err err = {0};
    struct wg_pdf *d = wg_pdf_new("长文");
    char para[4096] = "";
    for (int i = 0; i < 40; i++) /* 40 × 13 characters, 15 lines */
        strncat(para, "调解员组织双方当事人协商。", sizeof para - strlen(para) - 1);
    wg_pdf_title(d, "长文");
    for (int i = 0; i < 20; i++) {
        char head[32];
        snprintf(head, sizeof head, "第%d节", i + 1);
        wg_pdf_heading(d, head);
        wg_pdf_paragraph(d, para);
    }
    char *pdf = NULL;
    size_t len = 0;
    int pages = 0;
    T_EQ_INT(wg_pdf_render(d, &pdf, &len, &pages, &err), WG_OK);
    /* 20 × (a heading and 15 lines of 19 points): about 6,300 points, 700 to a page */
    T_CHECK(pages >= 8 && pages <= 12);
    T_EQ_INT(page_objects(pdf, len), pages);
    char *text = pdf_text(pdf, len), want[64];
    T_CHECK(text != NULL);
    for (int p = 1; text && p <= pages; p++) {
        snprintf(want, sizeof want, "第 %d 页 共 %d 页", p, pages);
        T_CHECK(strstr(text, want) != NULL);
    }
    T_CHECK(text && strstr(text, "第20节") != NULL);
    free(text);
    free(pdf);
    wg_pdf_free(d);
}

static void test_a_long_table_repeats_its_head(void)
{
    struct wg_err err = {0};
    enum { ROWS = 120 };
    const char *cells[ROWS * 2];
    char buf[ROWS][16];
    for (int r = 0; r < ROWS; r++) {
        snprintf(buf[r], sizeof buf[r], "行%d", r);
        cells[r * 2] = buf[r];
        cells[r * 2 + 1] = r ? "内容" : "说明";
    }
    cells[0] = "序号";
    struct wg_pdf *d = wg_pdf_new("表");
    wg_pdf_table(d, 2, NULL, cells, ROWS);
    char *pdf = NULL;
    size_t len = 0;
    int pages = 0;
    T_EQ_INT(wg_pdf_render(d, &pdf, &len, &pages, &err), WG_OK);
    T_CHECK(pages >= 3);
    char *text = pdf_text(pdf, len);
    T_CHECK(text && count(text, strlen(text), "序号") == pages);
    T_CHECK(text && strstr(text, "行119") != NULL);
    free(text);
    free(pdf);
    wg_pdf_free(d);
}

/* A group kept together starts a page rather than run over one; one longer than a page flows. */
static void test_a_kept_group_starts_a_page(void)
{
    struct wg_err err = {0};
    for (int long_group = 0; long_group < 2; long_group++) {
        struct wg_pdf *d = wg_pdf_new("签名");
        for (int i = 0; i < 28; i++) /* most of the first page */
            wg_pdf_line(d, "协议条款", WG_PDF_LEFT);
        wg_pdf_keep_begin(d);
        wg_pdf_paragraph(d, "本协议书自各方当事人签名之日起生效。");
        for (int i = 0; i < (long_group ? 20 : 3); i++)
            wg_pdf_signature(d, "当事人签名");
        wg_pdf_line(d, "2026年12月7日", WG_PDF_RIGHT);
        wg_pdf_keep_end(d);
        wg_pdf_line(d, "之后", WG_PDF_LEFT);
        char *pdf = NULL, *text;
        size_t len = 0;
        int pages = 0;
        T_EQ_INT(wg_pdf_render(d, &pdf, &len, &pages, &err), WG_OK);
        T_EQ_INT(pages, long_group ? 3 : 2);
        text = pdf_text(pdf, len);
        const char *brk = text ? strchr(text, '\f') : NULL,
                   *at = text ? strstr(text, "本协议书") : NULL;
        /* the group's first line: after the first page break when kept, before it when too long */
        T_CHECK(brk && at && (long_group ? at < brk : at > brk));
        free(text);
        free(pdf);
        wg_pdf_free(d);
    }
}

/* Each bad input: the error, nothing written, and later adds do nothing. */
static void test_bad_input_is_an_error(void)
{
    static const char *const one[] = {"x"};
    struct {
        enum wg_rc rc;
        const char *word;
    } want[] = {{WG_EINVAL, "UTF-8"},
                {WG_EINVAL, "columns"},
                {WG_ETOOBIG, "1 MiB"},
                {WG_ETOOBIG, "pages"},
                {WG_ETOOBIG, "taller than a page"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct wg_err err = {0};
        struct wg_pdf *d = wg_pdf_new("x");
        char *big = NULL;
        wg_pdf_title(d, "标题");
        if (i == 0) {
            wg_pdf_paragraph(d, "\xe4\xb8");
        } else if (i == 1) {
            wg_pdf_table(d, 0, NULL, one, 1);
        } else if (i == 2) {
            big = malloc(WG_PDF_TEXT_MAX + 2);
            memset(big, 'a', WG_PDF_TEXT_MAX + 1);
            big[WG_PDF_TEXT_MAX + 1] = '\0';
            wg_pdf_paragraph(d, big);
        } else if (i == 3) { /* 30,000 short lines: over 500 pages */
            big = malloc(60001);
            for (int k = 0; k < 30000; k++)
                big[2 * k] = 'a', big[2 * k + 1] = '\n';
            big[60000] = '\0';
            wg_pdf_paragraph(d, big);
        } else {
            big = malloc(4001);
            for (int k = 0; k < 2000; k++)
                big[2 * k] = 'a', big[2 * k + 1] = '\n';
            big[4000] = '\0';
            const char *cells[] = {"头", big};
            wg_pdf_table(d, 1, NULL, cells, 2);
        }
        wg_pdf_paragraph(d, "之后的段落");
        char *pdf = (char *)1;
        size_t len = 1;
        int pages = 1;
        T_EQ_INT(wg_pdf_render(d, &pdf, &len, &pages, &err), want[i].rc);
        T_CHECK(pdf == NULL && len == 0 && pages == 0);
        T_CHECK(strstr(err.msg, want[i].word) != NULL);
        if (!strstr(err.msg, want[i].word))
            fprintf(stderr, "case %zu: %s\n", i, err.msg);
        free(big);
        wg_pdf_free(d);
    }
    wg_pdf_free(NULL);
}

/* The agreement (domain/disputes/agreement.h) set from its fields: the form's title, the day in
 * China's time (16:30 UTC on the 6th is the 7th in Beijing), the parties, a blank line for the
 * body while none is named, the confirmation noted. */
static void test_an_agreement_as_its_parties_sign_it(void)
{
    static const char *const forms[] = {"written", "oral"};
    for (int f = 0; f < 2; f++) {
        struct wg_err err = {0};
        struct wg_case_agreement a;
        memset(&a, 0, sizeof a);
        snprintf(a.number, sizeof a.number, "371302-20261207-J0003");
        snprintf(a.type, sizeof a.type, "debt");
        snprintf(a.form, sizeof a.form, "%s", forms[f]);
        snprintf(a.mediator, sizeof a.mediator, "张明华");
        snprintf(a.confirm, sizeof a.confirm, "confirmed");
        a.facts = wg_strdup("借款到期未还。");
        a.terms = wg_strdup("分三期归还借款三万元。");
        a.performance = wg_strdup("每月末转账一期。");
        a.court = wg_strdup("兰山区人民法院");
        a.agreed_at = 1796574600; /* 2026-12-06 16:30 UTC */
        const char *names[] = {"赵一", "钱二"}, *roles[] = {"applicant", "respondent"};
        for (int i = 0; i < 2; i++) {
            snprintf(a.parties[i].role, sizeof a.parties[i].role, "%s", roles[i]);
            snprintf(a.parties[i].id_type, sizeof a.parties[i].id_type, "passport");
            a.parties[i].name = wg_strdup(names[i]);
            a.parties[i].id_number = wg_strdup(i ? "" : "E12345678");
            a.parties[i].phone = wg_strdup("");
        }
        a.nparties = 2;
        char *pdf = NULL, *text = NULL;
        size_t len = 0;
        T_EQ_INT(wg_case_agreement_pdf(&a, &pdf, &len, &err), WG_OK);
        text = pdf ? pdf_text(pdf, len) : NULL;
        T_CHECK(text != NULL);
        if (text) {
            T_CHECK(strstr(text, f ? "口头调解协议登记表" : "人民调解协议书") != NULL);
            T_CHECK(strstr(text, "2026年12月7日") != NULL);
            T_CHECK(strstr(text, "调解组织：\n") && strstr(text, "调解员：张明华"));
            T_CHECK(strstr(text, "护照") && strstr(text, "E12345678"));
            T_CHECK(strstr(text, "债务纠纷") && strstr(text, "分三期归还借款三万元"));
            T_CHECK(strstr(text, "已经人民法院司法确认") && strstr(text, "兰山区人民法院"));
            T_CHECK(strstr(text, "当事人签名（被申请人 钱二）") != NULL);
        }
        free(text);
        free(pdf);
        wg_case_agreement_release(&a);
        T_CHECK(a.facts == NULL && a.nparties == 0);
    }
}

struct job {
    int pages;
    size_t len;
    int ok;
};

static void *render_one(void *arg)
{
    struct job *j = arg;
    for (int k = 0; k < 5; k++) {
        struct wg_err err = {0};
        struct wg_pdf *d = sample();
        char *pdf = NULL, *text = NULL;
        if (wg_pdf_render(d, &pdf, &j->len, &j->pages, &err) == WG_OK)
            text = pdf_text(pdf, j->len);
        j->ok += text && strstr(text, "王秀英");
        free(text);
        free(pdf);
        wg_pdf_free(d);
    }
    return NULL;
}

static void test_threads_render_at_once(void)
{
    enum { N = 4 };
    pthread_t th[N];
    struct job jobs[N] = {{0}};
    for (int i = 0; i < N; i++)
        T_EQ_INT(pthread_create(&th[i], NULL, render_one, &jobs[i]), 0);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        T_EQ_INT(jobs[i].ok, 5);
        T_EQ_INT(jobs[i].pages, 1);
    }
}

int main(void)
{
    test_a_document_of_one_page();
    test_long_text_breaks_over_pages();
    test_a_long_table_repeats_its_head();
    test_a_kept_group_starts_a_page();
    test_bad_input_is_an_error();
    test_an_agreement_as_its_parties_sign_it();
    test_threads_render_at_once();
    return T_DONE("pdf");
}
