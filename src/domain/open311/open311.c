/* Open311 GeoReport v2: times, statuses, the services and their definitions, the request
 * and update records, and the checking of a submitted request against its definition. */
#include "domain/open311/open311.h"

#include <math.h>

#include "core/buf.h"
#include "core/civil.h"
#include "domain/accounts/pii.h"
#include "store/open311/open311_q.h"

/* ---- times ---- */

static int num(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

enum wg_rc wg_open311_parse_time(const char *s, long long *out, struct wg_err *err)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
    const char *p;
    if (!s || strlen(s) < 10 || !num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) ||
        s[7] != '-' || !num(s + 8, 2, &d) || y < 1900 || mo < 1 || mo > 12 || d < 1 ||
        d > wg_civil_month_days(y, mo))
        goto bad;
    p = s + 10;
    if (!*p) { /* a date alone: its midnight in China */
        *out = wg_cst_midnight(wg_civil_days(y, mo, d));
        return WG_OK;
    }
    if (*p != 'T' || !num(p + 1, 2, &h) || p[3] != ':' || !num(p + 4, 2, &mi) || h > 23 || mi > 59)
        goto bad;
    p += 6;
    if (*p == ':') {
        if (!num(p + 1, 2, &sec) || sec > 59)
            goto bad;
        p += 3;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-' || *p == ' ') {
        /* a '+' left unescaped in a query string arrives as a space */
        sign = *p == '-' ? -1 : 1;
        if (!num(p + 1, 2, &oh) || p[3] != ':' || !num(p + 4, 2, &om) || oh > 23 || om > 59)
            goto bad;
        p += 6;
    } else {
        goto bad;
    }
    if (*p)
        goto bad;
    *out = (long long)wg_civil_days(y, mo, d) * WG_DAY_SECONDS + h * 3600 + mi * 60 + sec -
           sign * (oh * 3600 + om * 60);
    return WG_OK;
bad:
    return wg_err_set(err, WG_EINVAL,
                      "'%.40s' is not a W3C date-time such as 2026-01-15T19:30:00+08:00",
                      s ? s : "");
}

static void format_at(long long t, int offset, char out[32])
{
    time_t tt = (time_t)(t + offset);
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        out[0] = '\0';
        return;
    }
    if (offset)
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset / 3600);
    else
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void wg_open311_format_time(long long t, char out[32])
{
    format_at(t, WG_CST_OFFSET, out);
}

void wg_open311_utc_time(long long t, char out[32])
{
    format_at(t, 0, out);
}

void wg_open311_local_time(const char *iso_utc, char out[32])
{
    long long t;
    out[0] = '\0';
    if (iso_utc && *iso_utc && wg_open311_parse_time(iso_utc, &t, NULL) == WG_OK)
        wg_open311_format_time(t, out);
}

/* ---- statuses ---- */

static const struct {
    const char *state, *status, *extended, *notes;
} states[] = {
    {"received", "open", "open", "已受理，等待派单"},
    {"dispatched", "open", "action_scheduled", "已派单至承办单位"},
    {"signed", "open", "in_progress", "承办单位已签收，正在办理"},
    {"returning", "open", "internal_referral", "承办单位申请退回，将重新派单"},
    {"suspended", "open", "investigating", "暂时挂起，待条件具备后继续办理"},
    {"replied", "closed", "fixed", "承办单位已办结答复"},
    {"verified", "closed", "fixed", "办理结果已核查"},
    {"closed", "closed", "closed", "已办结"},
    {"merged", "closed", "duplicate", "与同一问题的其他诉求合并办理"},
    {"invalid", "closed", "no_further_action", "经核实为无效诉求，不予办理"},
};
#define NSTATES (sizeof states / sizeof states[0])

static size_t state_index(const char *state)
{
    for (size_t i = 0; state && i < NSTATES; i++)
        if (!strcmp(states[i].state, state))
            return i;
    return 0;
}

const char *wg_open311_status(const char *state)
{
    return states[state_index(state)].status;
}

const char *wg_open311_extended_status(const char *state)
{
    return states[state_index(state)].extended;
}

const char *wg_open311_status_notes(const char *state)
{
    return states[state_index(state)].notes;
}

enum wg_rc wg_open311_states(const char *status, char **out, struct wg_err *err)
{
    int want_open = 0, want_closed = 0;
    const char *p = status;
    json_t *arr;
    *out = NULL;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (n == 4 && !strncmp(p, "open", 4))
            want_open = 1;
        else if (n == 6 && !strncmp(p, "closed", 6))
            want_closed = 1;
        else
            return wg_err_set(err, WG_EINVAL, "status '%.*s' is not open or closed",
                              (int)(n > 40 ? 40 : n), p);
        p += n + (p[n] == ',');
    }
    arr = json_array();
    for (size_t i = 0; i < NSTATES; i++) {
        int open = !strcmp(states[i].status, "open");
        if ((open && want_open) || (!open && want_closed))
            json_array_append_new(arr, json_string(states[i].state));
    }
    *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return WG_OK;
}

/* ---- services ---- */

int wg_open311_is_service(const struct wg_catalog_item *it)
{
    return it && it->public_intake && it->name[0];
}

char *wg_open311_service_codes(const struct wg_catalog *cat)
{
    json_t *arr = json_array();
    char *s;
    for (size_t i = 0; i < cat->n; i++)
        if (wg_open311_is_service(&cat->items[i]))
            json_array_append_new(arr, json_string(cat->items[i].code));
    s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

static const struct wg_catalog_item *top_of(const struct wg_catalog *cat,
                                            const struct wg_catalog_item *it)
{
    for (int depth = 0; it && it->parent[0] && depth < WG_CATALOG_MAX_DEPTH; depth++) {
        const struct wg_catalog_item *up = wg_catalog_find(cat, it->parent);
        if (!up)
            break;
        it = up;
    }
    return it;
}

json_t *wg_open311_services_json(const struct wg_catalog *cat)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i], *top;
        struct wg_buf kw, desc;
        if (!wg_open311_is_service(it))
            continue;
        top = top_of(cat, it);
        wg_buf_init(&kw, 8192);
        wg_buf_init(&desc, 1024);
        for (size_t k = 0; k < it->nkeywords; k++)
            wg_buf_addf(&kw, "%s%s", k ? "," : "", it->keywords[k]);
        if (top && top != it)
            wg_buf_addf(&desc, "%s / %s", top->name, it->name);
        else
            wg_buf_adds(&desc, it->name);
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:b,s:s,s:s?,s:s?}", "service_code", it->code, "service_name",
                      it->name, "description", wg_buf_str(&desc), "metadata", it->nattrs > 0,
                      "type", "realtime", "keywords", it->nkeywords ? wg_buf_str(&kw) : NULL,
                      "group", top && top != it ? top->name : NULL);
        wg_buf_release(&kw);
        wg_buf_release(&desc);
        if (!o || json_array_append_new(arr, o) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static int by_order(const void *a, const void *b)
{
    const struct wg_catalog_attr *const *x = a, *const *y = b;
    return (*x)->order - (*y)->order;
}

json_t *wg_open311_definition_json(const struct wg_catalog_item *it)
{
    const struct wg_catalog_attr *sorted[WG_CATALOG_ATTRS_MAX];
    json_t *attrs = json_array(), *out;
    size_t n = it->nattrs < WG_CATALOG_ATTRS_MAX ? it->nattrs : WG_CATALOG_ATTRS_MAX;
    for (size_t i = 0; i < n; i++)
        sorted[i] = &it->attrs[i];
    qsort(sorted, n, sizeof *sorted, by_order);
    for (size_t i = 0; attrs && i < n; i++) {
        const struct wg_catalog_attr *a = sorted[i];
        json_t *o = json_pack("{s:b,s:s,s:s,s:b,s:s?,s:i,s:s}", "variable", a->variable, "code",
                              a->code, "datatype", wg_catalog_attr_type_name(a->type), "required",
                              a->required, "datatype_description",
                              a->datatype_description[0] ? a->datatype_description : NULL, "order",
                              a->order, "description", a->description);
        if (o && a->nvalues) {
            json_t *vals = json_array();
            for (size_t v = 0; vals && v < a->nvalues; v++)
                json_array_append_new(vals, json_pack("{s:s,s:s}", "key", a->values[v].key, "name",
                                                      a->values[v].name));
            json_object_set_new(o, "values", vals);
        }
        json_array_append_new(attrs, o);
    }
    out = json_pack("{s:s,s:o}", "service_code", it->code, "attributes", attrs);
    return out;
}

void wg_open311_service_notice(const struct wg_catalog *cat, const struct wg_catalog_item *it,
                               char *out, size_t size)
{
    struct wg_catalog_limits l;
    out[0] = '\0';
    if (!it)
        return;
    if (it->urgency == WG_URGENCY_CRITICAL)
        snprintf(out, size, "特急件：派单后 2 小时内办结答复");
    else if (it->urgency == WG_URGENCY_URGENT)
        snprintf(out, size, "紧急件：派单后 24 小时内办结答复");
    else if (wg_catalog_limits(cat, it->code, &l, NULL) == WG_OK) {
        if (l.reply % WG_CATALOG_DAY_MINUTES == 0)
            snprintf(out, size, "派单后 %d 个工作日内办结答复", l.reply / WG_CATALOG_DAY_MINUTES);
        else
            snprintf(out, size, "派单后 %d 个工作小时内办结答复", (l.reply + 59) / 60);
    }
}

/* ---- records ---- */

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *wg_open311_request_json(const struct wg_catalog *cat, const struct wg_open311_req_row *r,
                                const char *media_base)
{
    const struct wg_catalog_item *it = wg_catalog_find(cat, r->item);
    char requested[32], updated[32], expected[32] = "", notice[128], media[512] = "";
    json_t *o = json_object();
    if (!o)
        return NULL;
    wg_open311_local_time(r->created_at, requested);
    wg_open311_local_time(r->updated_at, updated);
    if (r->reply_deadline)
        wg_open311_format_time(r->reply_deadline, expected);
    wg_open311_service_notice(cat, it, notice, sizeof notice);
    json_object_set_new(o, "service_request_id", json_string(r->number));
    json_object_set_new(o, "status", json_string(wg_open311_status(r->state)));
    json_object_set_new(o, "status_notes", json_string(wg_open311_status_notes(r->state)));
    json_object_set_new(o, "service_name", json_string(it ? it->name : r->title));
    json_object_set_new(o, "service_code", json_string(r->item));
    /* the text is shown only where the reporter wrote it for the public: an agent's record
     * of a call may name the caller */
    json_object_set_new(o, "description",
                        text_or_null(!strcmp(r->channel, "open311") ? r->content : NULL));
    json_object_set_new(o, "agency_responsible", text_or_null(r->unit_name));
    json_object_set_new(o, "service_notice", text_or_null(notice));
    json_object_set_new(o, "requested_datetime", text_or_null(requested));
    json_object_set_new(o, "updated_datetime", text_or_null(updated));
    json_object_set_new(o, "expected_datetime", text_or_null(expected));
    json_object_set_new(o, "address", text_or_null(r->address));
    json_object_set_new(o, "address_id", text_or_null(r->address_id));
    json_object_set_new(o, "zipcode", json_null());
    json_object_set_new(o, "lat", r->has_point ? json_real(r->lat) : json_null());
    json_object_set_new(o, "long", r->has_point ? json_real(r->lon) : json_null());
    if (r->media && *r->media && media_base)
        snprintf(media, sizeof media, "%s%s", media_base, r->media);
    json_object_set_new(o, "media_url", text_or_null(media[0] ? media : r->media_url));
    return o;
}

json_t *wg_open311_update_json(const struct wg_open311_update_row *u)
{
    char at[32], id[48];
    wg_open311_local_time(u->at, at);
    snprintf(id, sizeof id, "%s-%d", u->number, u->seq);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:n,s:s}", "update_id", id, "service_request_id",
                     u->number, "status", wg_open311_extended_status(u->state), "updated_datetime",
                     at, "description", wg_open311_status_notes(u->state), "media_url",
                     "external_status_code", u->state);
}

const char *wg_open311_xml_item(const char *list)
{
    static const char *const names[][2] = {
        {"services", "service"},     {"service_requests", "request"},
        {"attributes", "attribute"}, {"values", "value"},
        {"errors", "error"},         {"endpoints", "endpoint"},
        {"formats", "format"},       {"service_request_updates", "request_update"},
    };
    for (size_t i = 0; list && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], list))
            return names[i][1];
    return NULL;
}

/* ---- a submitted request ---- */

/* A text field: absent or empty is NULL; otherwise valid UTF-8 without NULs, at most max
 * bytes, and (one_line) without line breaks. */
static enum wg_rc field(const struct wg_form *form, const char *key, size_t max, int one_line,
                        const char **out, struct wg_err *err)
{
    const struct wg_form_field *f = wg_form_get(form, key);
    json_t *probe;
    *out = NULL;
    if (!f || !f->len)
        return WG_OK;
    if (f->filename)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a text field, not a file", key);
    if (f->len > max)
        return wg_err_set(err, WG_EINVAL, "'%s' is %zu bytes, at most %zu", key, f->len, max);
    if (strlen(f->value) != f->len || !(probe = json_stringn(f->value, f->len)))
        return wg_err_set(err, WG_EINVAL, "'%s' is not valid UTF-8 text", key);
    json_decref(probe);
    if (one_line && strpbrk(f->value, "\r\n"))
        return wg_err_set(err, WG_EINVAL, "'%s' must be one line", key);
    *out = f->value;
    return WG_OK;
}

static enum wg_rc coord(const char *s, const char *name, double lim, double *out,
                        struct wg_err *err)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || fabs(v) > lim)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a decimal number within ±%g", name, lim);
    *out = v;
    return WG_OK;
}

/* "attribute[code]" or "attribute[code][]": the code, or 0 when key is no attribute. */
static int attr_key(const char *key, char code[WG_CATALOG_CODE_MAX + 1], int *brackets)
{
    const char *p, *end;
    size_t n;
    if (strncmp(key, "attribute[", 10))
        return 0;
    p = key + 10;
    end = strchr(p, ']');
    if (!end)
        return -1;
    n = (size_t)(end - p);
    *brackets = !strcmp(end, "][]");
    if (!n || n > WG_CATALOG_CODE_MAX || (strcmp(end, "]") && !*brackets))
        return -1;
    memcpy(code, p, n);
    code[n] = '\0';
    return 1;
}

static enum wg_rc attr_value(const struct wg_catalog_item *it, const struct wg_catalog_attr *a,
                             const struct wg_form_field *f, struct wg_err *err)
{
    json_t *probe;
    const char *v = f->value;
    if (f->filename)
        return wg_err_set(err, WG_EINVAL, "attribute '%s' must be text, not a file", a->code);
    if (strlen(v) != f->len || !(probe = json_stringn(v, f->len)))
        return wg_err_set(err, WG_EINVAL, "attribute '%s' is not valid UTF-8 text", a->code);
    json_decref(probe);
    switch (a->type) {
    case WG_ATTR_STRING:
        if (f->len > 200 || strpbrk(v, "\r\n"))
            return wg_err_set(err, WG_EINVAL,
                              "attribute '%s' must be one line of at most 200 bytes", a->code);
        break;
    case WG_ATTR_TEXT:
        if (f->len > WG_OPEN311_DESCRIPTION_MAX)
            return wg_err_set(err, WG_EINVAL, "attribute '%s' is %zu bytes, at most %d", a->code,
                              f->len, WG_OPEN311_DESCRIPTION_MAX);
        break;
    case WG_ATTR_NUMBER: {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !isfinite(d) || f->len > 40)
            return wg_err_set(err, WG_EINVAL, "attribute '%s' must be a number, not '%.40s'",
                              a->code, v);
        break;
    }
    case WG_ATTR_DATETIME: {
        long long t;
        if (wg_open311_parse_time(v, &t, err)) {
            wg_err_prefix(err, "attribute '%s'", a->code);
            return WG_EINVAL;
        }
        break;
    }
    case WG_ATTR_SINGLEVALUELIST:
    case WG_ATTR_MULTIVALUELIST:
        if (!wg_catalog_value_find(a, v)) {
            struct wg_buf keys;
            wg_buf_init(&keys, 4096);
            for (size_t k = 0; k < a->nvalues; k++)
                wg_buf_addf(&keys, "%s%s", k ? ", " : "", a->values[k].key);
            wg_err_set(err, WG_EINVAL, "attribute '%s' of service '%s': '%.40s' is not one of %s",
                       a->code, it->code, v, wg_buf_str(&keys));
            wg_buf_release(&keys);
            return WG_EINVAL;
        }
        break;
    }
    return WG_OK;
}

/* Collects and checks the attribute[...] fields against the item's definition. */
static enum wg_rc attributes(const struct wg_catalog_item *it, const struct wg_form *form,
                             json_t *out, struct wg_err *err)
{
    enum wg_rc rc;
    for (size_t i = 0; i < form->n; i++) {
        const struct wg_form_field *f = &form->fields[i];
        char code[WG_CATALOG_CODE_MAX + 1];
        int brackets = 0, k = attr_key(f->key, code, &brackets);
        const struct wg_catalog_attr *a;
        json_t *have;
        if (k == 0)
            continue;
        if (k < 0)
            return wg_err_set(err, WG_EINVAL,
                              "'%.60s' is not an attribute field: write attribute[code] (or "
                              "attribute[code][] for a multivaluelist)",
                              f->key);
        if (!(a = wg_catalog_attr_find(it, code)))
            return wg_err_set(err, WG_EINVAL,
                              "attribute '%s' is not in the definition of service '%s'", code,
                              it->code);
        if (!a->variable || !f->len) /* information only, or left blank */
            continue;
        if ((rc = attr_value(it, a, f, err)))
            return rc;
        have = json_object_get(out, a->code);
        if (a->type == WG_ATTR_MULTIVALUELIST) {
            size_t n;
            json_t *v;
            if (!have) {
                have = json_array();
                json_object_set_new(out, a->code, have);
            }
            json_array_foreach(have, n, v) if (
                !strcmp(json_string_value(v),
                        f->value)) return wg_err_set(err, WG_EINVAL,
                                                     "attribute '%s': '%.40s' is given twice",
                                                     a->code, f->value);
            json_array_append_new(have, json_string(f->value));
        } else {
            if (have || brackets)
                return wg_err_set(err, WG_EINVAL, "attribute '%s' takes one value (it is a %s)",
                                  a->code, wg_catalog_attr_type_name(a->type));
            json_object_set_new(out, a->code, json_string(f->value));
        }
    }
    for (size_t i = 0; i < it->nattrs; i++) {
        const struct wg_catalog_attr *a = &it->attrs[i];
        if (a->required && a->variable && !json_object_get(out, a->code))
            return wg_err_set(err, WG_EINVAL,
                              "attribute '%s' is required by service '%s': %s (send "
                              "attribute[%s]=…)",
                              a->code, it->code, a->description, a->code);
    }
    return WG_OK;
}

void wg_open311_post_release(struct wg_open311_post *p)
{
    json_decref(p->attributes);
    p->attributes = NULL;
}

enum wg_rc wg_open311_post_parse(const struct wg_catalog *cat, const struct wg_form *form,
                                 struct wg_open311_post *out, struct wg_err *err)
{
    const char *lat, *lon;
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = field(form, "api_key", 200, 1, &out->api_key, err)) ||
        (rc = field(form, "jurisdiction_id", 40, 1, &out->jurisdiction, err)) ||
        (rc = field(form, "service_code", 40, 1, &out->service_code, err)))
        return rc;
    if (!out->service_code)
        return wg_err_set(err, WG_EINVAL, "service_code is required: one of GET services");
    out->item = wg_catalog_find(cat, out->service_code);
    if (!wg_open311_is_service(out->item))
        return wg_err_set(err, WG_ENOTFOUND, "service_code '%s' is not a service here",
                          out->service_code);
    if ((rc = field(form, "lat", 40, 1, &lat, err)) ||
        (rc = field(form, "long", 40, 1, &lon, err)) ||
        (rc = field(form, "address_string", 500, 1, &out->address_string, err)) ||
        (rc = field(form, "address_id", 100, 1, &out->address_id, err)) ||
        (rc = field(form, "email", 254, 1, &out->email, err)) ||
        (rc = field(form, "device_id", 100, 1, &out->device_id, err)) ||
        (rc = field(form, "account_id", 100, 1, &out->account_id, err)) ||
        (rc = field(form, "first_name", 60, 1, &out->first_name, err)) ||
        (rc = field(form, "last_name", 60, 1, &out->last_name, err)) ||
        (rc = field(form, "phone", 40, 1, &out->phone, err)) ||
        (rc = field(form, "description", WG_OPEN311_DESCRIPTION_MAX, 0, &out->description, err)) ||
        (rc = field(form, "media_url", 1000, 1, &out->media_url, err)))
        return rc;
    if (!lat != !lon)
        return wg_err_set(err, WG_EINVAL, "lat and long go together: give both or neither");
    if (lat) {
        if ((rc = coord(lat, "lat", 90, &out->lat, err)) ||
            (rc = coord(lon, "long", 180, &out->lon, err)))
            return rc;
        out->has_point = 1;
    }
    if (!out->has_point && !out->address_string && !out->address_id)
        return wg_err_set(err, WG_EINVAL,
                          "the place is required: lat and long, address_string or address_id");
    if (out->email && (!strchr(out->email, '@') || strchr(out->email, ' ')))
        return wg_err_set(err, WG_EINVAL, "email is not an e-mail address");
    if (out->phone && (rc = wg_pii_check_phone(out->phone, err))) {
        wg_err_prefix(err, "phone");
        return rc;
    }
    if (out->media_url && strncmp(out->media_url, "http://", 7) &&
        strncmp(out->media_url, "https://", 8))
        return wg_err_set(err, WG_EINVAL, "media_url must be an http:// or https:// URL");
    out->media = wg_form_get(form, "media");
    if (out->media && !out->media->len)
        out->media = NULL;
    out->attributes = json_object();
    return attributes(out->item, form, out->attributes, err);
}
