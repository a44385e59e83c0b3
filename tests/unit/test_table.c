/* The table reader (core/table.h): CSV quoting, BOM, CRLF, empty cells, GB18030 text and
 * text that is neither; XLSX shared and inline strings, numbers, dates, a zip bomb and
 * broken XML, each workbook written here with libzip. */
#include "t.h"

#include <unistd.h>
#include <zip.h>

#include "core/table.h"

/* What a read gave: the rows joined as "row:a|b|c" lines, numbers marked with '#'. */
struct got {
    char text[4096];
    size_t n;
};

static enum wg_rc collect(const struct wg_table_row *r, void *ctx, struct wg_err *err)
{
    struct got *g = ctx;
    (void)err;
    g->n += (size_t)snprintf(g->text + g->n, sizeof g->text - g->n, "%zu:", r->row);
    for (size_t i = 0; i < r->ncells; i++)
        g->n += (size_t)snprintf(g->text + g->n, sizeof g->text - g->n, "%s%s%s", i ? "|" : "",
                                 r->number && r->number[i] ? "#" : "", r->cell[i]);
    g->n += (size_t)snprintf(g->text + g->n, sizeof g->text - g->n, "\n");
    return WG_OK;
}

static enum wg_rc read_csv(const char *s, size_t len, struct got *g, struct wg_err *err)
{
    memset(g, 0, sizeof *g);
    return wg_table_read(s, len, WG_TABLE_CSV, NULL, collect, g, err);
}

static void test_csv(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n"},
        {"a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n"},
        {"\xEF\xBB\xBFname,grid\n张三,1\n", "1:name|grid\n2:张三|1\n"},
        {"a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n",
         "1:a|b|c\n2:x, y|say \"hi\"|two\nlines\n"},
        {"a,b,c\n,,3\n1,,\n", "1:a|b|c\n2:||3\n3:1\n"},
        {"a,b\n1,2", "1:a|b\n2:1|2\n"},
    };
    struct wg_err err = {0};
    struct got g;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        T_EQ_INT(read_csv(cases[i].in, strlen(cases[i].in), &g, &err), WG_OK);
        T_EQ_STR(g.text, cases[i].want);
    }
    /* GBK from Excel: 姓名,网格 / 张三,1 */
    const char gbk[] = "\xD0\xD5\xC3\xFB,\xCD\xF8\xB8\xF1\r\n\xD5\xC5\xC8\xFD,1\r\n";
    T_EQ_INT(read_csv(gbk, sizeof gbk - 1, &g, &err), WG_OK);
    T_EQ_STR(g.text, "1:姓名|网格\n2:张三|1\n");
    /* neither UTF-8 nor GB18030: refused naming the line */
    const char bad[] = "a,b\n1,2\n\xFF\xFF,3\n";
    T_EQ_INT(read_csv(bad, sizeof bad - 1, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "line 3") != NULL);
    T_EQ_INT(read_csv("a,b\n\"open,1\n", 11, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "never closed") != NULL);
    T_EQ_INT(read_csv("a,b\n\"x\"y,1\n", 10, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "line 2") != NULL);
    T_EQ_INT(read_csv("", 0, &g, &err), WG_EINVAL);
    /* the limits */
    struct wg_table_limits lim = wg_table_limits_default;
    lim.max_cols = 2;
    memset(&g, 0, sizeof g);
    T_EQ_INT(wg_table_read("a,b,c\n", 6, WG_TABLE_CSV, &lim, collect, &g, &err), WG_ETOOBIG);
    T_CHECK(strstr(err.msg, "row 1") != NULL);
    lim = wg_table_limits_default;
    lim.max_rows = 2;
    T_EQ_INT(wg_table_read("a\n1\n2\n", 6, WG_TABLE_CSV, &lim, collect, &g, &err), WG_ETOOBIG);
    lim = wg_table_limits_default;
    lim.max_cell = 3;
    T_EQ_INT(wg_table_read("abcd\n", 5, WG_TABLE_CSV, &lim, collect, &g, &err), WG_ETOOBIG);
    lim = wg_table_limits_default;
    lim.max_bytes = 4;
    T_EQ_INT(wg_table_read("abcd\n", 5, WG_TABLE_CSV, &lim, collect, &g, &err), WG_ETOOBIG);
}

/* Writes a workbook of the given parts (name, text pairs, NULL-terminated) and reads it
 * back into *data. */
static void workbook(const char *const *parts, char **data, size_t *len)
{
    char path[] = "/tmp/wg-table-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    zip_t *z = zip_open(path, ZIP_TRUNCATE, NULL);
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE);
    }
    zip_close(z);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    *data = malloc(*len);
    T_EQ_INT(fread(*data, 1, *len, f), *len);
    fclose(f);
    unlink(path);
}

#define WB                                                                                         \
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"   \
    "<sheets><sheet name=\"人员\" sheetId=\"1\" r:id=\"rId3\"/></sheets></workbook>"
#define RELS                                                                                       \
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/other.xml\"/>"                   \
    "<Relationship Id=\"rId3\" Target=\"worksheets/first.xml\"/></Relationships>"

static void test_xlsx(void)
{
    const char *sst = "<sst><si><t>姓名</t></si><si><r><t>出生</t></r><r><t>日期</t></r>"
                      "<rPh><t>chusheng</t></rPh></si><si><t>张三</t></si></sst>";
    const char *sheet =
        "<worksheet><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"B3\"><v>29221</v></c>"
        "<c r=\"D3\"><v>13800138000</v></c></row>"
        "<row r=\"4\"><c r=\"C4\"><v>1.5</v></c><c r=\"XFD4\" s=\"1\"/></row>"
        "<row r=\"1048576\" s=\"2\"><c r=\"A1048576\" s=\"1\"/></row>"
        "</sheetData></worksheet>";
    const char *parts[] = {"xl/workbook.xml",
                           WB,
                           "xl/_rels/workbook.xml.rels",
                           RELS,
                           "xl/sharedStrings.xml",
                           sst,
                           "xl/worksheets/first.xml",
                           sheet,
                           "xl/worksheets/other.xml",
                           "<worksheet/>",
                           NULL};
    struct wg_err err = {0};
    struct got g;
    char *data;
    size_t len;
    workbook(parts, &data, &len);
    T_EQ_INT(wg_table_sniff(data, len), WG_TABLE_XLSX);
    memset(&g, 0, sizeof g);
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_OK);
    T_EQ_STR(g.text, "1:姓名|出生日期|phone\n3:张三|#29221||#13800138000\n4:||#1.5\n");
    free(data);
    char date[11];
    T_EQ_INT(wg_table_serial_date(29221, date), 0);
    T_EQ_STR(date, "1980-01-01");
    T_EQ_INT(wg_table_serial_date(1, date), 0);
    T_EQ_STR(date, "1900-01-01");
    T_EQ_INT(wg_table_serial_date(61, date), 0);
    T_EQ_STR(date, "1900-03-01");
    T_EQ_INT(wg_table_serial_date(45658.75, date), 0);
    T_EQ_STR(date, "2025-01-01");
    T_EQ_INT(wg_table_serial_date(0, date), -1);
    T_EQ_INT(wg_table_serial_date(60, date), -1);

    /* broken XML names the part and line */
    const char *broken[] = {"xl/workbook.xml", "<workbook><sheets>", NULL};
    workbook(broken, &data, &len);
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "xl/workbook.xml") != NULL);
    free(data);
    /* a DOCTYPE (the way to entity bombs) is refused */
    const char *doctype[] = {"xl/workbook.xml",
                             "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><workbook>&a;</workbook>", NULL};
    workbook(doctype, &data, &len);
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "DOCTYPE") != NULL);
    free(data);
    /* a shared string index the workbook does not have */
    const char *badref[] = {"xl/workbook.xml", "<workbook/>", "xl/worksheets/sheet1.xml",
                            "<worksheet><sheetData><row r=\"2\"><c t=\"s\"><v>7</v></c></row>"
                            "</sheetData></worksheet>",
                            NULL};
    workbook(badref, &data, &len);
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "row 2") != NULL);
    free(data);
    /* a zip bomb: 64 MiB of one byte, refused long before it is inflated */
    size_t big = 64u << 20;
    char *zeros = malloc(big + 1);
    memcpy(zeros, "<worksheet>", 11);
    memset(zeros + 11, ' ', big - 11);
    zeros[big] = '\0';
    const char *bomb[] = {"xl/workbook.xml", "<workbook/>", "xl/worksheets/sheet1.xml", zeros,
                          NULL};
    workbook(bomb, &data, &len);
    free(zeros);
    T_CHECK(len < (1u << 20));
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_ETOOBIG);
    T_CHECK(strstr(err.msg, "zip bomb") != NULL);
    free(data);
    /* a value past the limits is refused, naming the row */
    const char *wide[] = {"xl/workbook.xml", "<workbook/>", "xl/worksheets/sheet1.xml",
                          "<worksheet><sheetData><row r=\"7\"><c r=\"BZ7\" t=\"inlineStr\">"
                          "<is><t>x</t></is></c></row></sheetData></worksheet>",
                          NULL};
    workbook(wide, &data, &len);
    T_EQ_INT(wg_table_read(data, len, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_ETOOBIG);
    T_CHECK(strstr(err.msg, "row 7") != NULL);
    free(data);
    /* not a zip at all */
    T_EQ_INT(wg_table_read("PK\3\4junk", 8, WG_TABLE_XLSX, NULL, collect, &g, &err), WG_EINVAL);
}

int main(void)
{
    test_csv();
    test_xlsx();
    return T_DONE("table");
}
