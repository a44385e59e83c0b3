/* Lists of orders in the caller's scope: the query parameters checked into a store filter,
 * each row's light worked out, and the list answered as JSON summaries or as CSV for Excel. */
#include "domain/orders/order_ctx.h"

#include "core/buf.h"
#include "core/param.h"
#include "domain/catalog/unit.h"
#include "domain/map/region.h"
#include "store/catalog/catalog_q.h"
#include "store/orders/orders_q.h"

static const char *const lights[] = {"green", "yellow", "red", NULL};
enum wg_rc wg_order_build_filter(const struct wg_pii_keys *keys, const struct wg_actor *actor,
                                 const struct wg_order_query *q, struct wg_order_filter *f,
                                 struct wg_order_filter_text *t, int *light, long long now,
                                 struct wg_err *err)
{
    enum wg_rc rc;
    memset(f, 0, sizeof *f);
    *light = -1;
    f->scope = !strcmp(actor->scope.kind, "region") ? actor->scope.code : "";
    enum wg_order_state st;
    if (q->state && *q->state && wg_fsm_state_parse(q->state, &st, NULL))
        return wg_err_set(err, WG_EINVAL, "'state' '%.20s' is not an order state", q->state);
    if (q->channel && *q->channel && !wg_order_value_in(wg_order_channels, q->channel))
        return wg_err_set(err, WG_EINVAL, "'channel' '%.20s' is not a channel", q->channel);
    if (q->item && *q->item &&
        (strlen(q->item) > WG_CATALOG_CODE_MAX || strspn(q->item, "0123456789") != strlen(q->item)))
        return wg_err_set(err, WG_EINVAL, "'item' '%.20s' is not a catalog code (digits)", q->item);
    if (q->unit && *q->unit && wg_unit_id_check(q->unit, err)) {
        wg_err_prefix(err, "'unit'");
        return WG_EINVAL;
    }
    if ((q->since && *q->since && (rc = wg_param_time(q->since, "since", t->since, err))) ||
        (q->until && *q->until && (rc = wg_param_time(q->until, "until", t->until, err))))
        return rc;
    if (q->grid && *q->grid && wg_region_level(q->grid, err) == WG_LEVEL_NONE) {
        wg_err_prefix(err, "'grid'");
        return WG_EINVAL;
    }
    if (q->line && *q->line && !wg_order_value_in(wg_order_lines, q->line))
        return wg_err_set(err, WG_EINVAL,
                          "'line' '%.20s' is not a special line; one of special_team, "
                          "judicial, joint_conference, assistance",
                          q->line);
    if (q->light && *q->light) {
        for (int i = 0; lights[i]; i++)
            if (!strcmp(lights[i], q->light))
                *light = i;
        if (*light < 0)
            return wg_err_set(err, WG_EINVAL, "'light' '%.20s' must be green, yellow or red",
                              q->light);
    }
    f->state = q->state;
    f->channel = q->channel;
    f->item = q->item;
    f->grid = q->grid;
    f->since = q->since && *q->since ? t->since : NULL;
    f->until = q->until && *q->until ? t->until : NULL;
    f->text = q->q;
    f->line = q->line;
    f->unit = q->unit;
    if (wg_scope_is_unit(&actor->scope)) /* a unit's account sees its unit's work */
        f->unit = q->unit && *q->unit && strcmp(q->unit, actor->scope.code) ? WG_ORDER_NO_UNIT
                                                                            : actor->scope.code;
    f->limit = 50;
    long long supervised = 0;
    if ((rc = wg_param_count(q->limit, "limit", 1, 1000, &f->limit, err)) ||
        (rc = wg_param_count(q->offset, "offset", 0, 1LL << 40, &f->offset, err)) ||
        (rc = wg_param_count(q->supervised, "supervised", 0, 1, &supervised, err)))
        return rc;
    f->supervised = (int)supervised;
    if (*light >= 0) {
        /* Red is exactly "past the reply deadline"; green and yellow are not red, and the
         * rest of the light is worked out per order on the working calendar. */
        f->clocked = 1;
        if (*light == WG_LIGHT_RED)
            f->deadline_before = now;
        else
            f->deadline_after = now;
    }
    if (q->phone && *q->phone) {
        char n[64];
        if ((rc = wg_pii_normalize(WG_PII_PHONE, q->phone, n, sizeof n, err)) ||
            (rc = wg_pii_blind(keys, WG_PII_PHONE, n, t->blind, err))) {
            wg_err_prefix(err, "'phone'");
            return rc;
        }
        f->phone_blind = t->blind;
    }
    return WG_OK;
}
enum wg_rc wg_order_check_unit(struct wg_db *db, const struct wg_order_query *q, struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc;
    if (!q->unit || !*q->unit)
        return WG_OK;
    rc = wg_store_unit_get(db, q->unit, &u, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'unit' '%.63s' is not a unit", q->unit);
    return rc;
}
/* Rows of a list pass through here: it works out each one's light, keeps those of the
 * light asked for, and pages them itself when the store could not (green and yellow). */
struct listing {
    const struct wg_order_env *env;
    long long now;
    int light;      /* the light asked for, -1: any */
    long long skip; /* rows still to skip (offset), when paging here */
    long long left; /* rows still wanted, when paging here; -1: the store pages */
    int (*emit)(const struct wg_order_env *env, const struct wg_order_row *o, int light, void *out);
    void *out;
};
static int pass(const struct wg_order_row *o, void *ctx)
{
    struct listing *l = ctx;
    enum wg_order_state st;
    int light = -1;
    /* a stored state this server does not know has no clock */
    if (!wg_fsm_state_parse(o->state, &st, NULL))
        light = wg_order_light(l->env, st, o->urgency, o->dispatched_at, o->reply_deadline, l->now);
    if (l->light >= 0 && light != l->light)
        return 0;
    if (l->left >= 0) {
        if (l->skip > 0) {
            l->skip--;
            return 0;
        }
        if (l->left == 0)
            return 1;
        l->left--;
    }
    return l->emit(l->env, o, light, l->out);
}
static enum wg_rc run_list(struct wg_db *db, struct wg_order_filter *f, struct listing *l,
                           struct wg_err *err)
{
    l->left = -1;
    if (l->light == WG_LIGHT_GREEN || l->light == WG_LIGHT_YELLOW) {
        l->skip = f->offset;
        l->left = f->limit;
        f->offset = 0;
        f->limit = (long long)1 << 40;
    }
    return wg_store_order_list(db, f, pass, l, err);
}
json_t *wg_order_summary_json(const struct wg_order_env *env, const struct wg_order_row *o,
                              int light)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)o->id,
                          "number", o->number, "channel", o->channel, "type", o->type, "title",
                          o->title, "state", o->state, "urgency", o->urgency, "version", o->version,
                          "created_at", o->created_at);
    if (o->item[0])
        json_object_set_new(j, "item", json_string(o->item));
    if (o->grid[0])
        json_object_set_new(j, "grid", json_string(o->grid));
    if (o->unit[0])
        json_object_set_new(j, "unit", json_string(o->unit));
    if (light >= 0)
        json_object_set_new(j, "light", json_string(wg_calendar_light_name((enum wg_light)light)));
    wg_order_marks_json(env, o, j); /* supervised, and the callback's wait */
    return j;
}
static int add_summary(const struct wg_order_env *env, const struct wg_order_row *o, int light,
                       void *out)
{
    json_array_append_new(out, wg_order_summary_json(env, o, light));
    return 0;
}
enum wg_rc wg_order_list(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q, json_t **out,
                         struct wg_err *err)
{
    struct wg_order_filter f;
    struct wg_order_filter_text t;
    json_t *arr;
    if (!q->offset || !*q->offset) /* the keyset desks; offset pages the old way */
        return wg_order_desk(db, env, actor, q, out, err);
    if ((q->sort && *q->sort) || (q->cursor && *q->cursor))
        return wg_err_set(err, WG_EINVAL,
                          "'offset' pages only the newest first by number; "
                          "use 'cursor' with 'sort'");
    arr = json_array();
    struct listing l = {env, (long long)time(NULL), -1, 0, -1, add_summary, arr};
    enum wg_rc rc = wg_order_build_filter(env->keys, actor, q, &f, &t, &l.light, l.now, err);
    long long limit = f.limit, offset = f.offset;
    if (!rc)
        rc = wg_order_check_unit(db, q, err);
    if (!rc)
        rc = run_list(db, &f, &l, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I}", "orders", arr, "limit", (json_int_t)limit, "offset",
                     (json_int_t)offset);
    return WG_OK;
}
static void csv_field(struct wg_buf *b, const char *s, int last)
{
    wg_buf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            wg_buf_add(b, "\"", 1);
        wg_buf_add(b, s, 1);
    }
    wg_buf_adds(b, last ? "\"\r\n" : "\",");
}
static int add_csv(const struct wg_order_env *env, const struct wg_order_row *o, int light,
                   void *out)
{
    (void)env;
    struct wg_buf *b = out;
    const char *fields[] = {
        o->number,  o->created_at, o->channel,
        o->type,    o->item,       o->title,
        o->state,   o->urgency,    o->grid,
        o->address, o->unit,       light >= 0 ? wg_calendar_light_name((enum wg_light)light) : ""};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        csv_field(b, fields[i], i + 1 == sizeof fields / sizeof fields[0]);
    return wg_buf_rc(b) != WG_OK;
}
enum wg_rc wg_order_csv(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, const struct wg_order_query *q, char **out,
                        size_t *len, struct wg_err *err)
{
    static const char *const head[] = {"工单编号", "受理时间", "渠道", "类型", "事项",     "标题",
                                       "状态",     "紧急程度", "网格", "地址", "承办单位", "亮灯"};
    struct wg_order_filter f;
    struct wg_order_filter_text t;
    struct wg_buf b;
    struct listing l = {env, (long long)time(NULL), -1, 0, -1, add_csv, &b};
    enum wg_rc rc = wg_order_build_filter(env->keys, actor, q, &f, &t, &l.light, l.now, err);
    if (!rc)
        rc = wg_order_check_unit(db, q, err);
    if (rc)
        return rc;
    if (!q->limit)
        f.limit = 1000;
    wg_buf_init(&b, (size_t)64 << 20);
    wg_buf_add(&b, "\xEF\xBB\xBF", 3); /* the BOM tells Excel the file is UTF-8 */
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_field(&b, head[i], i + 1 == sizeof head / sizeof head[0]);
    rc = run_list(db, &f, &l, err);
    if (!rc && wg_buf_rc(&b))
        rc = wg_err_set(err, WG_ETOOBIG, "the export is larger than 64 MiB; narrow the filters");
    if (rc) {
        wg_buf_release(&b);
        return rc;
    }
    *out = wg_buf_detach(&b, len);
    return WG_OK;
}
