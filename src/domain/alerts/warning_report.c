/* A warning's special report (专报, warning.h): the warning as read (warning_view), in the
 * words a leader reads — what was found, where and how strongly, the facts that raised it,
 * the judgement and handling on its timeline, and the table of the orders behind it — laid
 * out as one report description that pdf/report.c and pdf/sheet.c render. */
#include "domain/alerts/warning.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/alerts/task.h"
#include "domain/catalog/catalog.h"
#include "pdf/report.h"

static const char *kind_zh(const char *k)
{
    return !strcmp(k, "cluster")      ? "群发"
           : !strcmp(k, "recurrence") ? "多发"
           : !strcmp(k, "surge")      ? "突发"
           : !strcmp(k, "caller")     ? "重复来电"
                                      : "维稳关键词";
}

static const char *level_zh(const char *l)
{
    return !strcmp(l, "red") ? "红色" : !strcmp(l, "yellow") ? "黄色" : "蓝色";
}

static const char *state_zh(const char *s)
{
    return !strcmp(s, "new")       ? "待研判"
           : !strcmp(s, "judged")  ? "已研判"
           : !strcmp(s, "handled") ? "处置中"
           : !strcmp(s, "closed")  ? "已办结"
                                   : "误报";
}

static const char *action_zh(const char *a)
{
    return !strcmp(a, "raised")        ? "发出预警"
           : !strcmp(a, "escalated")   ? "等级上升"
           : !strcmp(a, "judge")       ? "研判"
           : !strcmp(a, "handle")      ? "处置"
           : !strcmp(a, "close")       ? "办结"
           : !strcmp(a, "false_alarm") ? "标记误报"
                                       : a;
}

/* China time of unix seconds t, "YYYY-MM-DD HH:MM". */
static void when(long long t, char out[17])
{
    char day[11];
    long long s = t - wg_cst_midnight(wg_cst_day(t));
    wg_civil_format_date(wg_cst_day(t), day);
    snprintf(out, 17, "%s %02lld:%02lld", day, s / 3600 % 24, s / 60 % 60);
}

static long long num(const json_t *o, const char *k)
{
    return (long long)json_number_value(json_object_get(o, k));
}

/* What raised it, from its detail (warning.h names the facts of each kind). */
static void basis(const char *kind, const json_t *d, long long count, char *out, size_t n)
{
    if (!strcmp(kind, "cluster"))
        snprintf(out, n, "%lld 小时内、半径 %lld 米范围内同一事项诉求 %lld 件，达到群发预警条件。",
                 num(d, "hours"), num(d, "radius_m"), count);
    else if (!strcmp(kind, "recurrence"))
        snprintf(out, n,
                 "同一网格同一事项近 %lld 周中有 %lld 周诉求量达到每周 %lld 件以上，"
                 "问题反复出现，达到多发预警条件。",
                 num(d, "weeks"), num(d, "weeks_hit"), num(d, "per_week"));
    else if (!strcmp(kind, "surge")) {
        const char *day = json_string_value(json_object_get(d, "day"));
        snprintf(
            out, n,
            "%s 当日诉求 %lld 件，此前 28 天日均 %.2f 件；按泊松分布，出现这样多诉求的概率约为 "
            "%.2g，达到突发预警条件。",
            day ? day : "", num(d, "orders") ? num(d, "orders") : count,
            json_number_value(json_object_get(d, "baseline")),
            json_number_value(json_object_get(d, "p")));
    } else if (!strcmp(kind, "caller"))
        snprintf(out, n, "同一来电号码 %lld 天内反映诉求 %lld 件，达到重复来电预警条件。",
                 num(d, "days"), count);
    else
        snprintf(out, n, "诉求内容含维稳关键词「%s」，按规定直接列为红色预警并即时报告属地领导。",
                 json_string_value(json_object_get(d, "word"))
                     ? json_string_value(json_object_get(d, "word"))
                     : "");
}

static void overview(struct wg_db *db, const struct wg_catalog *cat, const json_t *w,
                     struct wg_report *r)
{
    char buf[512], a[17], b[17];
    const char *kind = json_string_value(json_object_get(w, "kind"));
    const char *item = json_string_value(json_object_get(w, "item"));
    const char *scope = json_string_value(json_object_get(w, "scope"));
    const struct wg_catalog_item *it = cat && item && *item ? wg_catalog_find(cat, item) : NULL;
    wg_report_heading(r, "一、预警概况");
    wg_report_field(r, "预警类型", kind_zh(kind));
    wg_report_field(r, "预警等级", level_zh(json_string_value(json_object_get(w, "level"))));
    if (item && *item)
        snprintf(buf, sizeof buf, "%s（%s）", it ? it->name : item, item);
    else
        snprintf(buf, sizeof buf, "不限事项");
    wg_report_field(r, "诉求事项", buf);
    char name[192];
    wg_task_place_name(db, scope, name, sizeof name);
    snprintf(buf, sizeof buf, "%s（%s）", name, scope);
    wg_report_field(r, "涉及区域", buf);
    snprintf(buf, sizeof buf, "%lld 件", num(w, "count"));
    wg_report_field(r, "关联诉求", buf);
    when(num(w, "first_at"), a);
    when(num(w, "last_at"), b);
    snprintf(buf, sizeof buf, "%s 至 %s", a, b);
    wg_report_field(r, "发生时段", buf);
    const char *phone = json_string_value(json_object_get(w, "phone"));
    if (phone && *phone)
        wg_report_field(r, "来电号码", phone); /* masked */
    wg_report_field(r, "当前状态", state_zh(json_string_value(json_object_get(w, "state"))));
    const char *owner = json_string_value(json_object_get(w, "owner"));
    wg_report_field(r, "责任人", owner && *owner ? owner : "未指定");
    wg_report_heading(r, "二、预警依据");
    basis(kind, json_object_get(w, "detail"), num(w, "count"), buf, sizeof buf);
    wg_report_paragraph(r, buf);
}

static void handling(const json_t *w, struct wg_report *r)
{
    size_t i;
    json_t *e;
    wg_report_heading(r, "三、研判处置情况");
    json_array_foreach(json_object_get(w, "timeline"), i, e)
    {
        char at[17];
        const char *note = json_string_value(json_object_get(e, "note"));
        const char *detail = json_string_value(json_object_get(e, "detail"));
        size_t len = (note ? strlen(note) : 0) + (detail ? strlen(detail) : 0) + 160;
        char *line = wg_malloc(len);
        when(num(e, "at"), at);
        snprintf(line, len, "%s %s（%s）%s%s%s%s", at,
                 action_zh(json_string_value(json_object_get(e, "action"))),
                 json_string_value(json_object_get(e, "actor")), note ? "：" : "", note ? note : "",
                 detail ? "　" : "", detail ? detail : "");
        wg_report_paragraph(r, line);
        free(line);
    }
    if (!strcmp(json_string_value(json_object_get(w, "handled_kind")), "task"))
        wg_report_paragraph(r, "已转为未诉先办任务推进，成效见该任务专报。");
}

static void orders(const json_t *w, struct wg_report *r)
{
    json_t *list = json_object_get(w, "orders"), *o;
    size_t n = json_array_size(list), i;
    char **cells = wg_calloc(5 * (n + 1), sizeof *cells);
    const char *head[] = {"工单编号", "受理时间", "标题", "网格", "状态"};
    for (int c = 0; c < 5; c++)
        cells[c] = wg_strdup(head[c]);
    json_array_foreach(list, i, o)
    {
        const char *k[] = {"number", "created_at", "title", "grid", "state"};
        for (int c = 0; c < 5; c++) {
            const char *v = json_string_value(json_object_get(o, k[c]));
            cells[(i + 1) * 5 + c] = wg_strdup(v ? v : "");
        }
    }
    wg_report_heading(r, "四、关联诉求");
    wg_report_table(r, "预警所涉诉求工单（最新在前）", 5, (const char *const *)cells, n + 1);
    for (size_t k = 0; k < 5 * (n + 1); k++)
        free(cells[k]);
    free(cells);
}

enum wg_rc wg_warning_report(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_catalog *cat, const struct wg_scope *scope,
                             long long id, long long now, struct wg_report *r, struct wg_err *err)
{
    json_t *w = NULL;
    long long version = 0;
    char today[11], number[48];
    wg_civil_format_date(wg_cst_day(now), today);
    snprintf(number, sizeof number, "预警专报〔%.4s〕第%lld号", today, id);
    wg_report_init(r, "诉求预警专报", "12345政务服务便民热线办公室", today, number);
    enum wg_rc rc = wg_warning_view(db, keys, scope, id, &w, &version, err);
    if (rc)
        return rc;
    overview(db, cat, w, r);
    handling(w, r);
    orders(w, r);
    json_decref(w);
    return WG_OK;
}
