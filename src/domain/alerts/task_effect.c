/* What a 未诉先办 task achieved and what to open one on (task.h), counted from the indicator
 * counters (stat_cell: received per CST day, leaf and item), never by scanning orders: the
 * items' orders in scope in equal windows after and before the start and a year earlier, by
 * month for the report, and the month's top items and item × town problems. */
#include "domain/alerts/task.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/param.h"
#include "domain/stats/stats.h"
#include "pdf/report.h"
#include "store/alerts/task_q.h"
#include "store/map/map_q.h"
#include "store/stats/stats_q.h"

struct days {
    int from, to;
    long long *per_day;
};

static int on_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct days *d = ctx;
    if (c->day >= d->from && c->day <= d->to)
        d->per_day[c->day - d->from] += c->c[WG_SC_RECEIVED];
    return 0;
}

enum wg_rc wg_task_count_days(struct wg_db *db, const char *scope, const char *const *items,
                              size_t nitems, int from, int to, long long *per_day,
                              struct wg_err *err)
{
    struct days d = {from, to, per_day};
    enum wg_rc rc = WG_OK;
    memset(per_day, 0, sizeof *per_day * (size_t)(to - from + 1));
    for (size_t i = 0; !rc && i < nitems; i++) {
        struct wg_stat_filter f = {scope, from, to, "", items[i], ""};
        rc = wg_store_stat_cells(db, &f, on_cell, &d, err);
    }
    return rc;
}

/* The task's items as a list of borrowed strings of arr. */
static size_t item_list(const json_t *arr, const char **list)
{
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(arr, i, v) if (n < WG_TASK_ITEMS_MAX && json_is_string(v)) list[n++] =
        json_string_value(v);
    return n;
}

/* The same date a year before (29 February: the 28th). */
static int year_before(int day)
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return wg_civil_days(y - 1, m, d);
}

static json_t *window_json(int from, int to, long long orders)
{
    char a[11], b[11];
    wg_civil_format_date(from, a);
    wg_civil_format_date(to, b);
    return json_pack("{s:s,s:s,s:I}", "from", a, "to", b, "orders", (json_int_t)orders);
}

static json_t *ratio(long long now, long long then)
{
    return then ? json_real((double)(now - then) / (double)then) : json_null();
}

static long long sum(const long long *v, int n)
{
    long long s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* The effect of a loaded task over a window of w days (task.h). */
static enum wg_rc effect_of(struct wg_db *db, const struct wg_task_row *t, const json_t *items,
                            int w, json_t **out, struct wg_err *err)
{
    const char *list[WG_TASK_ITEMS_MAX];
    size_t n = item_list(items, list);
    int start = wg_cst_day(t->created_at), ly = year_before(start);
    long long *after = wg_calloc((size_t)w, sizeof *after),
              *before = wg_calloc((size_t)w, sizeof *before),
              *last = wg_calloc((size_t)w, sizeof *last);
    enum wg_rc rc = wg_task_count_days(db, t->scope, list, n, start, start + w - 1, after, err);
    if (!rc)
        rc = wg_task_count_days(db, t->scope, list, n, start - w, start - 1, before, err);
    if (!rc)
        rc = wg_task_count_days(db, t->scope, list, n, ly, ly + w - 1, last, err);
    if (!rc) {
        long long a = sum(after, w), b = sum(before, w), l = sum(last, w);
        json_t *daily = json_array();
        for (int i = 0; i < w; i++) {
            char date[11];
            wg_civil_format_date(start + i, date);
            json_array_append_new(daily,
                                  json_pack("{s:s,s:I,s:I,s:I}", "date", date, "orders",
                                            (json_int_t)after[i], "before", (json_int_t)before[i],
                                            "last_year", (json_int_t)last[i]));
        }
        *out = json_pack("{s:I,s:s,s:O,s:i,s:o,s:o,s:o,s:o,s:o,s:o}", "task", (json_int_t)t->id,
                         "scope", t->scope, "items", items, "window_days", w, "after",
                         window_json(start, start + w - 1, a), "before",
                         window_json(start - w, start - 1, b), "last_year",
                         window_json(ly, ly + w - 1, l), "change", ratio(a, b), "yoy_change",
                         ratio(a, l), "daily", daily);
    }
    free(after);
    free(before);
    free(last);
    return rc;
}

static enum wg_rc window_days(const struct wg_task_row *t, const char *days, long long now, int *w,
                              struct wg_err *err)
{
    long long d = wg_cst_day(now) - wg_cst_day(t->created_at);
    if (days && *days) {
        enum wg_rc rc = wg_param_count(days, "days", 1, WG_TASK_WINDOW_MAX, &d, err);
        if (rc)
            return rc;
    }
    *w = (int)(d < 1 ? 1 : d > WG_TASK_WINDOW_MAX ? WG_TASK_WINDOW_MAX : d);
    return WG_OK;
}

enum wg_rc wg_task_effect(struct wg_db *db, const struct wg_actor *actor, long long id,
                          const char *days, long long now, json_t **out, struct wg_err *err)
{
    struct wg_task_row t;
    char *items = NULL;
    int w = 1;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_task_load_row(db, actor, id, &t, &items, err)))
        return rc;
    json_t *list = json_loads(items, 0, NULL);
    rc = window_days(&t, days, now, &w, err);
    if (!rc)
        rc = effect_of(db, &t, list, w, out, err);
    json_decref(list);
    free(items);
    return rc;
}

/* ---- months ---- */

struct months {
    int first[13]; /* the first day of each month, and of the one after */
    long long n[12];
    json_t *by_item[12];
    const char *item;
};

static int on_month_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct months *m = ctx;
    for (int i = 0; i < 12; i++)
        if (c->day >= m->first[i] && c->day < m->first[i + 1]) {
            m->n[i] += c->c[WG_SC_RECEIVED];
            json_t *v = json_object_get(m->by_item[i], m->item);
            json_object_set_new(m->by_item[i], m->item,
                                json_integer(json_integer_value(v) + c->c[WG_SC_RECEIVED]));
        }
    return 0;
}

enum wg_rc wg_task_monthly(struct wg_db *db, const char *scope, const char *const *items,
                           size_t nitems, long long now, json_t **out, struct wg_err *err)
{
    struct months m;
    int y, mo, d;
    enum wg_rc rc = WG_OK;
    memset(&m, 0, sizeof m);
    wg_civil_date(wg_cst_day(now), &y, &mo, &d);
    for (int i = 0; i <= 12; i++) {
        int k = (y * 12 + mo - 1) - 11 + i;
        m.first[i] = wg_civil_days(k / 12, k % 12 + 1, 1);
        if (i < 12)
            m.by_item[i] = json_object();
    }
    for (size_t i = 0; i < nitems; i++)
        for (int k = 0; k < 12; k++)
            json_object_set_new(m.by_item[k], items[i], json_integer(0));
    for (size_t i = 0; !rc && i < nitems; i++) {
        struct wg_stat_filter f = {scope, m.first[0], m.first[12] - 1, "", items[i], ""};
        m.item = items[i];
        rc = wg_store_stat_cells(db, &f, on_month_cell, &m, err);
    }
    json_t *arr = json_array();
    for (int i = 0; i < 12; i++) {
        char date[11];
        wg_civil_format_date(m.first[i], date);
        date[7] = '\0';
        json_array_append_new(arr, json_pack("{s:s,s:I,s:o}", "month", date, "orders",
                                             (json_int_t)m.n[i], "by_item", m.by_item[i]));
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "months", arr);
    return WG_OK;
}

/* ---- suggestions ---- */

struct tally {
    int month_first, month_last;
    json_t *items, *last, *problems; /* {code: n}, {code: n}, {"item town": n} */
};

static void bump(json_t *obj, const char *key, long long n)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer(json_integer_value(v) + n));
}

static int on_tally(const struct wg_stat_cell *c, void *ctx)
{
    struct tally *t = ctx;
    long long n = c->c[WG_SC_RECEIVED];
    if (!n || !*c->item)
        return 0;
    if (c->day < t->month_first) {
        bump(t->last, c->item, n);
        return 0;
    }
    bump(t->items, c->item, n);
    if (strlen(c->leaf) >= 9) {
        char key[48];
        snprintf(key, sizeof key, "%.16s %.9s", c->item, c->leaf);
        bump(t->problems, key, n);
    }
    return 0;
}

struct ranked {
    const char *key;
    long long n;
};

static int by_count(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

/* The keys of obj by count, most first; *n how many (owned array). */
static struct ranked *rank(json_t *obj, size_t *n)
{
    const char *k;
    json_t *v;
    struct ranked *r = wg_calloc(json_object_size(obj) + 1, sizeof *r);
    *n = 0;
    json_object_foreach(obj, k, v)
    {
        r[*n].key = k;
        r[(*n)++].n = json_integer_value(v);
    }
    qsort(r, *n, sizeof *r, by_count);
    return r;
}

enum wg_rc wg_task_suggest(struct wg_db *db, const struct wg_task_env *env,
                           const struct wg_actor *actor, const char *month, const char *scope,
                           json_t **out, struct wg_err *err)
{
    char prefix[32];
    int first = month ? wg_civil_parse_month(month) : -1;
    enum wg_rc rc;
    *out = NULL;
    if (first < 0 || strlen(month) != 7)
        return wg_err_set(err, WG_EINVAL, "'month' is required: a month YYYY-MM");
    if ((rc = wg_task_scope_prefix(actor, "scope", scope, prefix, err)))
        return rc;
    struct tally t = {first, wg_civil_month_end(first), json_object(), json_object(),
                      json_object()};
    int y, m, d, last_first; /* the month before's first day */
    wg_civil_date(first - 1, &y, &m, &d);
    last_first = wg_civil_days(y, m, 1);
    struct wg_stat_filter f = {prefix, last_first, t.month_last, "", "", ""};
    rc = wg_store_stat_cells(db, &f, on_tally, &t, err);
    json_t *top_items = json_array(), *top_problems = json_array();
    if (!rc) {
        size_t n = 0, k = 0;
        struct ranked *r = rank(t.items, &n);
        for (size_t i = 0; i < n && i < 10; i++) {
            const struct wg_catalog_item *it =
                env->cat ? wg_catalog_find(env->cat, r[i].key) : NULL;
            json_array_append_new(top_items,
                                  json_pack("{s:s,s:s,s:I,s:I}", "item", r[i].key, "name",
                                            it ? it->name : r[i].key, "orders", (json_int_t)r[i].n,
                                            "last_month",
                                            json_integer_value(json_object_get(t.last, r[i].key))));
        }
        free(r);
        r = rank(t.problems, &k);
        for (size_t i = 0; i < k && i < 10; i++) {
            char item[17], town[10], name[192];
            snprintf(item, sizeof item, "%.*s", (int)strcspn(r[i].key, " "), r[i].key);
            snprintf(town, sizeof town, "%s", strchr(r[i].key, ' ') + 1);
            const struct wg_catalog_item *it = env->cat ? wg_catalog_find(env->cat, item) : NULL;
            wg_task_place_name(db, town, name, sizeof name);
            json_array_append_new(top_problems,
                                  json_pack("{s:s,s:s,s:s,s:s,s:I}", "item", item, "name",
                                            it ? it->name : item, "town", town, "town_name", name,
                                            "orders", (json_int_t)r[i].n));
        }
        free(r);
    }
    json_decref(t.items);
    json_decref(t.last);
    json_decref(t.problems);
    if (rc) {
        json_decref(top_items);
        json_decref(top_problems);
        return rc;
    }
    *out = json_pack("{s:s,s:s,s:o,s:o}", "month", month, "scope", prefix, "top_items", top_items,
                     "top_problems", top_problems);
    return WG_OK;
}

/* ---- the special report ---- */

static const char *state_zh(const char *s)
{
    return !strcmp(s, "open")     ? "推进中"
           : !strcmp(s, "done")   ? "已完成"
           : !strcmp(s, "closed") ? "已办结"
                                  : "已撤销";
}

static const char *action_zh(const char *s)
{
    return !strcmp(s, "create")     ? "立项"
           : !strcmp(s, "progress") ? "进展"
           : !strcmp(s, "complete") ? "完成"
           : !strcmp(s, "close")    ? "办结"
                                    : "撤销";
}

static void percent(json_t *v, char *out, size_t n)
{
    if (!json_is_real(v))
        snprintf(out, n, "—");
    else
        snprintf(out, n, "%+.1f%%", json_real_value(v) * 100.0);
}

static void date_of(long long t, char out[11])
{
    wg_civil_format_date(wg_cst_day(t), out);
}

static void report_body(struct wg_db *db, const json_t *task, const json_t *effect,
                        const json_t *monthly, struct wg_report *r)
{
    char buf[256], a[32], b[32];
    size_t i;
    json_t *v;
    wg_report_heading(r, "一、任务概况");
    wg_report_field(r, "任务主题", json_string_value(json_object_get(task, "topic")));
    snprintf(buf, sizeof buf, "%s（%s）", json_string_value(json_object_get(task, "scope_name")),
             json_string_value(json_object_get(task, "scope")));
    wg_report_field(r, "治理范围", buf);
    char items[512] = "";
    json_array_foreach(json_object_get(task, "items"), i, v)
    {
        size_t used = strlen(items);
        snprintf(items + used, sizeof items - used, "%s%s（%s）", i ? "、" : "",
                 json_string_value(json_object_get(v, "name")),
                 json_string_value(json_object_get(v, "code")));
    }
    wg_report_field(r, "诉求事项", items);
    wg_report_field(r, "牵头单位",
                    json_string_value(json_object_get(json_object_get(task, "lead_unit"), "name")));
    char helpers[1024] = "";
    json_array_foreach(json_object_get(task, "helpers"), i, v)
    {
        size_t used = strlen(helpers);
        snprintf(helpers + used, sizeof helpers - used, "%s%s", i ? "、" : "",
                 json_string_value(json_object_get(v, "name")));
    }
    wg_report_field(r, "配合单位", *helpers ? helpers : "无");
    wg_report_field(r, "办理时限", json_string_value(json_object_get(task, "deadline")));
    wg_report_field(r, "责任人", json_string_value(json_object_get(task, "owner")));
    wg_report_field(r, "当前状态", state_zh(json_string_value(json_object_get(task, "state"))));
    wg_report_heading(r, "二、工作措施");
    json_array_foreach(json_object_get(task, "measures"), i, v)
    {
        snprintf(buf, sizeof buf, "%zu. ", i + 1);
        char *line = NULL;
        size_t len = strlen(buf) + strlen(json_string_value(v)) + 1;
        line = wg_malloc(len);
        snprintf(line, len, "%s%s", buf, json_string_value(v));
        wg_report_paragraph(r, line);
        free(line);
    }
    wg_report_heading(r, "三、推进情况");
    json_array_foreach(json_object_get(task, "timeline"), i, v)
    {
        char day[11];
        date_of(json_integer_value(json_object_get(v, "at")), day);
        const char *note = json_string_value(json_object_get(v, "note"));
        size_t len = strlen(note) + 128;
        char *line = wg_malloc(len);
        snprintf(line, len, "%s %s（%s）：%s", day,
                 action_zh(json_string_value(json_object_get(v, "action"))),
                 json_string_value(json_object_get(v, "actor")), note);
        wg_report_paragraph(r, line);
        free(line);
    }
    wg_report_heading(r, "四、成效评估");
    json_t *af = json_object_get(effect, "after"), *bf = json_object_get(effect, "before"),
           *ly = json_object_get(effect, "last_year");
    snprintf(buf, sizeof buf,
             "以任务启动后%d天为观察期，与启动前同样天数及上年同期对比，"
             "数据取自指标计数（受理量）。",
             (int)json_integer_value(json_object_get(effect, "window_days")));
    wg_report_paragraph(r, buf);
    snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(af, "orders")));
    snprintf(buf, sizeof buf, "%s 至 %s", json_string_value(json_object_get(af, "from")),
             json_string_value(json_object_get(af, "to")));
    wg_report_figure(r, "启动后诉求量", a, buf);
    snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(bf, "orders")));
    snprintf(buf, sizeof buf, "%s 至 %s", json_string_value(json_object_get(bf, "from")),
             json_string_value(json_object_get(bf, "to")));
    wg_report_figure(r, "启动前诉求量", a, buf);
    snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(ly, "orders")));
    snprintf(buf, sizeof buf, "%s 至 %s", json_string_value(json_object_get(ly, "from")),
             json_string_value(json_object_get(ly, "to")));
    wg_report_figure(r, "上年同期诉求量", a, buf);
    percent(json_object_get(effect, "change"), b, sizeof b);
    wg_report_figure(r, "环比变化", b, "启动后对比启动前");
    percent(json_object_get(effect, "yoy_change"), b, sizeof b);
    wg_report_figure(r, "同比变化", b, "启动后对比上年同期");
    /* the monthly table: month, total, then each item */
    json_t *months = json_object_get(monthly, "months");
    json_t *its = json_object_get(task, "items");
    size_t ncols = 2 + json_array_size(its), nrows = 1 + json_array_size(months);
    if (ncols > WG_REPORT_COLS_MAX)
        ncols = WG_REPORT_COLS_MAX;
    char **cells = wg_calloc(ncols * nrows, sizeof *cells);
    cells[0] = wg_strdup("月份");
    cells[1] = wg_strdup("诉求量合计");
    for (size_t c = 2; c < ncols; c++)
        cells[c] =
            wg_strdup(json_string_value(json_object_get(json_array_get(its, c - 2), "name")));
    json_array_foreach(months, i, v)
    {
        char n[24];
        cells[(i + 1) * ncols] = wg_strdup(json_string_value(json_object_get(v, "month")));
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(json_object_get(v, "orders")));
        cells[(i + 1) * ncols + 1] = wg_strdup(n);
        for (size_t c = 2; c < ncols; c++) {
            const char *code =
                json_string_value(json_object_get(json_array_get(its, c - 2), "code"));
            snprintf(n, sizeof n, "%lld",
                     (long long)json_integer_value(
                         json_object_get(json_object_get(v, "by_item"), code)));
            cells[(i + 1) * ncols + c] = wg_strdup(n);
        }
    }
    wg_report_heading(r, "五、诉求量逐月情况");
    wg_report_table(r, "近十二个月治理范围内相关事项诉求量（件）", ncols,
                    (const char *const *)cells, nrows);
    for (size_t k = 0; k < ncols * nrows; k++)
        free(cells[k]);
    free(cells);
    (void)db;
}

enum wg_rc wg_task_report(struct wg_db *db, const struct wg_task_env *env,
                          const struct wg_actor *actor, long long id, long long now,
                          struct wg_report *r, struct wg_err *err)
{
    json_t *task = NULL, *effect = NULL, *monthly = NULL;
    long long version = 0;
    char today[11], number[48];
    date_of(now, today);
    snprintf(number, sizeof number, "未诉先办专报〔%.4s〕第%lld号", today, id);
    wg_report_init(r, "未诉先办工作专报", "12345政务服务便民热线办公室", today, number);
    enum wg_rc rc = wg_task_view(db, env, actor, id, now, &task, &version, err);
    if (!rc)
        rc = wg_task_effect(db, actor, id, NULL, now, &effect, err);
    if (!rc) {
        const char *list[WG_TASK_ITEMS_MAX];
        size_t n = 0, i;
        json_t *v;
        json_array_foreach(json_object_get(effect, "items"), i, v) if (n < WG_TASK_ITEMS_MAX)
            list[n++] = json_string_value(v);
        rc = wg_task_monthly(db, json_string_value(json_object_get(task, "scope")), list, n, now,
                             &monthly, err);
    }
    if (!rc)
        report_body(db, task, effect, monthly, r);
    json_decref(task);
    json_decref(effect);
    json_decref(monthly);
    return rc;
}
