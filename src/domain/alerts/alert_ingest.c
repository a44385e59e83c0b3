/* Alert ingest (alert.h): an NDJSON batch parsed once, line by line, every bad field named
 * with its line; its devices and points resolved on a reading connection; the answer. The
 * merge and the rules run in the writer's transaction (alert_merge.c). */
#include "domain/alerts/alert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jfield.h"

static const char *const line_fields[] = {"device",    "type",      "confidence", "time", "point",
                                          "point.lon", "point.lat", "snapshot",   NULL};

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long long wg_alert_parse_time(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    if (!s || strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
        digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &se))
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z' && !p[1])
        sign = 0;
    else if ((*p == '+' || *p == '-') && strlen(p) == 6 && !digits(p + 1, 2, &oh) && p[3] == ':' &&
             !digits(p + 4, 2, &om) && oh <= 14 && om < 60)
        sign = *p == '+' ? 1 : -1;
    else
        return -1;
    if (y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
        mi > 59 || se > 60 || (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0)))
        return -1;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
}

static enum wg_rc point(const json_t *o, struct wg_alert_line *l, struct wg_err *err)
{
    const json_t *p = json_object_get(o, "point"), *lon, *lat;
    if (!p || json_is_null(p))
        return WG_OK;
    if (json_is_array(p) && json_array_size(p) == 2)
        lon = json_array_get(p, 0), lat = json_array_get(p, 1);
    else if (json_is_object(p))
        lon = json_object_get(p, "lon"), lat = json_object_get(p, "lat");
    else
        lon = lat = NULL;
    if (!json_is_number(lon) || !json_is_number(lat) || fabs(json_number_value(lon)) > 180 ||
        fabs(json_number_value(lat)) > 90)
        return wg_err_set(err, WG_EINVAL,
                          "'point' is {\"lon\": …, \"lat\": …} in degrees (WGS84), or left out "
                          "for the device's");
    l->has_point = 1;
    l->lon = json_number_value(lon);
    l->lat = json_number_value(lat);
    return WG_OK;
}

enum wg_rc wg_alert_parse_full(const char *text, size_t len, struct wg_alert_line *l,
                               struct wg_err *err)
{
    json_error_t je;
    const char *device, *type, *time, *snapshot;
    enum wg_rc rc;
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    memset(l, 0, sizeof *l);
    if (!o)
        return wg_err_set(err, WG_EINVAL, "not JSON: %s", je.text);
    if (!json_is_object(o)) {
        rc = wg_err_set(err, WG_EINVAL,
                        "an alert is a JSON object {device, type, confidence, "
                        "time, point, snapshot}");
        goto out;
    }
    if ((rc = wg_jf_known(o, line_fields, "an alert", err)) ||
        (rc = wg_jf_text(o, "device", 1, 63, &device, err)) ||
        (rc = wg_jf_text(o, "type", 1, 23, &type, err)) ||
        (rc = wg_jf_text(o, "time", 1, 40, &time, err)) ||
        (rc = wg_jf_text(o, "snapshot", 0, WG_ALERT_SNAPSHOT_MAX, &snapshot, err)))
        goto out;
    if ((l->type = wg_alert_type_index(type)) < 0) {
        rc = wg_err_set(err, WG_EINVAL,
                        "'type': '%s' is not a type of alert (the types: illegal_parking, "
                        "smoke_fire, standing_water, street_vending, illegal_building, "
                        "straw_burning, garbage_overflow, crowd_gathering)",
                        type);
        goto out;
    }
    json_t *c = json_object_get(o, "confidence");
    if (!json_is_number(c) || json_number_value(c) < 0 || json_number_value(c) > 1) {
        rc = wg_err_set(err, WG_EINVAL, "'confidence' is a number from 0 to 1");
        goto out;
    }
    l->confidence = json_number_value(c);
    if ((l->at = wg_alert_parse_time(time)) < 0) {
        rc = wg_err_set(err, WG_EINVAL,
                        "'time': '%s' is not an ISO 8601 time with its offset "
                        "(2026-12-07T16:05:41+08:00)",
                        time);
        goto out;
    }
    if (snapshot && strlen(snapshot) > WG_ALERT_SNAPSHOT_MAX) {
        rc = wg_err_set(err, WG_EINVAL, "'snapshot' is a reference of at most %d bytes",
                        WG_ALERT_SNAPSHOT_MAX);
        goto out;
    }
    if ((rc = point(o, l, err)))
        goto out;
    snprintf(l->device, sizeof l->device, "%s", device);
    snprintf(l->snapshot, sizeof l->snapshot, "%s", snapshot ? snapshot : "");
out:
    json_decref(o);
    return rc;
}

/* ---- the fast path ---- */

struct cur {
    const char *p, *end;
};

static void ws(struct cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* A string of printable ASCII without escapes into out (n bytes with its NUL): its length,
 * or -1. */
static int str(struct cur *c, char *out, size_t n)
{
    if (c->p >= c->end || *c->p != '"')
        return -1;
    const char *s = ++c->p;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 0x20 || ch >= 0x7f || ch == '\\')
            return -1;
        c->p++;
    }
    if (c->p >= c->end || (size_t)(c->p - s) >= n)
        return -1;
    size_t k = (size_t)(c->p - s);
    memcpy(out, s, k);
    out[k] = 0;
    c->p++;
    return (int)k;
}

/* A JSON number (its grammar exactly) as a double; 0 when it is not one. */
static int num(struct cur *c, double *out)
{
    const char *s = c->p, *q = s;
    char buf[64];
    if (q < c->end && *q == '-')
        q++;
    if (q >= c->end || *q < '0' || *q > '9')
        return 0;
    if (*q == '0')
        q++;
    else
        while (q < c->end && *q >= '0' && *q <= '9')
            q++;
    if (q < c->end && *q == '.') {
        q++;
        if (q >= c->end || *q < '0' || *q > '9')
            return 0;
        while (q < c->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < c->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < c->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= c->end || *q < '0' || *q > '9')
            return 0;
        while (q < c->end && *q >= '0' && *q <= '9')
            q++;
    }
    if ((size_t)(q - s) >= sizeof buf)
        return 0;
    memcpy(buf, s, (size_t)(q - s));
    buf[q - s] = 0;
    *out = strtod(buf, NULL);
    c->p = q;
    return 1;
}

static int point_fast(struct cur *c, struct wg_alert_line *l)
{
    char key[8];
    int have = 0;
    double v;
    if (c->p >= c->end || *c->p != '{')
        return 0;
    c->p++;
    for (;;) {
        ws(c);
        if (str(c, key, sizeof key) < 0)
            return 0;
        ws(c);
        if (c->p >= c->end || *c->p++ != ':')
            return 0;
        ws(c);
        if (!num(c, &v))
            return 0;
        int bit = !strcmp(key, "lon") ? 1 : !strcmp(key, "lat") ? 2 : 0;
        if (!bit || (have & bit))
            return 0;
        have |= bit;
        if (bit == 1)
            l->lon = v;
        else
            l->lat = v;
        ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '}') {
            c->p++;
            break;
        }
        return 0;
    }
    if (have != 3 || fabs(l->lon) > 180 || fabs(l->lat) > 90)
        return 0;
    l->has_point = 1;
    return 1;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f' && *s != '\v')
            return 0;
    return 1;
}

int wg_alert_parse_fast(const char *text, size_t len, struct wg_alert_line *l)
{
    enum { DEVICE = 1, TYPE = 2, CONF = 4, TIME = 8, POINT = 16, SNAP = 32 };
    struct cur c = {text, text + len};
    char key[16], type[24], time[48];
    int have = 0;
    memset(l, 0, sizeof *l);
    ws(&c);
    if (c.p >= c.end || *c.p++ != '{')
        return 0;
    ws(&c);
    if (c.p < c.end && *c.p == '}')
        return 0;
    for (;;) {
        int bit, k;
        ws(&c);
        if (str(&c, key, sizeof key) < 0)
            return 0;
        ws(&c);
        if (c.p >= c.end || *c.p++ != ':')
            return 0;
        ws(&c);
        if (!strcmp(key, "device")) {
            bit = DEVICE;
            k = str(&c, l->device, sizeof l->device);
            if (k < 1 || blank(l->device))
                return 0;
        } else if (!strcmp(key, "type")) {
            bit = TYPE;
            if (str(&c, type, sizeof type) < 1 || (l->type = wg_alert_type_index(type)) < 0)
                return 0;
        } else if (!strcmp(key, "confidence")) {
            bit = CONF;
            if (!num(&c, &l->confidence) || l->confidence < 0 || l->confidence > 1)
                return 0;
        } else if (!strcmp(key, "time")) {
            bit = TIME;
            if (str(&c, time, 41) < 1 || (l->at = wg_alert_parse_time(time)) < 0)
                return 0;
        } else if (!strcmp(key, "snapshot")) {
            bit = SNAP;
            k = str(&c, l->snapshot, sizeof l->snapshot);
            if (k < 0 || (k > 0 && blank(l->snapshot)))
                return 0;
        } else if (!strcmp(key, "point")) {
            bit = POINT;
            if (!point_fast(&c, l))
                return 0;
        } else
            return 0;
        if (have & bit)
            return 0;
        have |= bit;
        ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            continue;
        }
        if (c.p < c.end && *c.p == '}') {
            c.p++;
            break;
        }
        return 0;
    }
    ws(&c);
    return c.p == c.end && (have & (DEVICE | TYPE | CONF | TIME)) == (DEVICE | TYPE | CONF | TIME);
}

static enum wg_rc parse_line(const char *text, size_t len, struct wg_alert_line *l,
                             struct wg_err *err)
{
    return wg_alert_parse_fast(text, len, l) ? WG_OK : wg_alert_parse_full(text, len, l, err);
}

enum wg_rc wg_alert_parse_batch(const char *body, size_t len, struct wg_alert_line **out, size_t *n,
                                struct wg_err *err)
{
    size_t cap = 0, lines = 0, no = 0;
    struct wg_alert_line *a = NULL;
    const char *p = body, *end = body + len;
    *out = NULL;
    *n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        no++;
        size_t l = (size_t)(e - p);
        if (l && p[l - 1] == '\r')
            l--;
        int blank = 1;
        for (size_t i = 0; i < l && blank; i++)
            blank = p[i] == ' ' || p[i] == '\t';
        if (!blank) {
            if (lines == WG_ALERT_BATCH_MAX) {
                free(a);
                return wg_err_set(err, WG_ETOOBIG,
                                  "a batch holds at most %d alerts: send the rest in another",
                                  WG_ALERT_BATCH_MAX);
            }
            if (lines == cap) {
                cap = cap ? cap * 2 : 64;
                a = wg_realloc(a, cap * sizeof *a);
            }
            enum wg_rc rc = parse_line(p, l, &a[lines], err);
            if (rc) {
                free(a);
                wg_err_prefix(err, "line %zu", no);
                return rc;
            }
            a[lines++].line = (long long)no;
        }
        p = nl ? nl + 1 : end;
    }
    if (!lines) {
        free(a);
        return wg_err_set(err, WG_EINVAL,
                          "the body holds no alert: one JSON object a line (NDJSON)");
    }
    *out = a;
    *n = lines;
    return WG_OK;
}

/* ---- devices and points ---- */

struct wg_alert_devices {
    pthread_mutex_t mu;
    int valid;
    long long epoch;
    struct wg_device_row *rows;
    size_t n, cap;
    int *table; /* open addressing by id: index in rows, -1 empty */
    size_t tcap;
};

static unsigned long long id_hash(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct wg_alert_devices *wg_alert_devices_new(void)
{
    struct wg_alert_devices *c = wg_calloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void devices_clear(struct wg_alert_devices *c)
{
    free(c->rows);
    free(c->table);
    c->rows = NULL, c->table = NULL;
    c->n = c->cap = c->tcap = 0;
    c->valid = 0;
}

void wg_alert_devices_free(struct wg_alert_devices *c)
{
    if (!c)
        return;
    devices_clear(c);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static int on_row(const struct wg_device_row *d, void *ctx)
{
    struct wg_alert_devices *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->rows = wg_realloc(c->rows, c->cap * sizeof *c->rows);
    }
    c->rows[c->n++] = *d;
    return 0;
}

static const struct wg_device_row *cached(const struct wg_alert_devices *c, const char *id)
{
    if (!c->tcap)
        return NULL;
    size_t mask = c->tcap - 1;
    for (size_t i = (size_t)id_hash(id) & mask; c->table[i] >= 0; i = (i + 1) & mask)
        if (!strcmp(c->rows[c->table[i]].id, id))
            return &c->rows[c->table[i]];
    return NULL;
}

/* The copy read again when the epoch moved: the epoch first, so a write after it is seen
 * by the next batch at the latest. */
static enum wg_rc devices_fresh(struct wg_db *db, struct wg_alert_devices *c, struct wg_err *err)
{
    long long epoch = 0;
    enum wg_rc rc = wg_store_meta_get(db, WG_DEVICE_EPOCH, &epoch, err);
    if (rc || (c->valid && c->epoch == epoch))
        return rc;
    struct wg_device_filter all = {"", "", "", "", "", "", 1, 100000000, 0};
    devices_clear(c);
    if ((rc = wg_store_device_list(db, &all, on_row, c, err))) {
        devices_clear(c);
        return rc;
    }
    c->tcap = 64;
    while (c->tcap < c->n * 2 + 2)
        c->tcap *= 2;
    c->table = wg_malloc(c->tcap * sizeof *c->table);
    memset(c->table, 0xff, c->tcap * sizeof *c->table);
    for (size_t k = 0; k < c->n; k++) {
        size_t i = (size_t)id_hash(c->rows[k].id) & (c->tcap - 1);
        while (c->table[i] >= 0)
            i = (i + 1) & (c->tcap - 1);
        c->table[i] = (int)k;
    }
    c->epoch = epoch;
    c->valid = 1;
    return WG_OK;
}

/* One line's device and place. */
static enum wg_rc resolve_line(const struct wg_locator *loc, struct wg_alert_line *l,
                               const struct wg_device_row *d, struct wg_err *err)
{
    if (!d || d->retired)
        return wg_err_set(err, WG_EINVAL, "line %lld: 'device': '%s' is %s", l->line, l->device,
                          d ? "retired" : "not a known device");
    snprintf(l->unit, sizeof l->unit, "%s", d->unit);
    snprintf(l->kind, sizeof l->kind, "%s", d->kind);
    if (!l->has_point) {
        l->lon = d->lon, l->lat = d->lat;
        memcpy(l->grid, d->grid, sizeof l->grid);
        return WG_OK;
    }
    struct wg_locate_result where;
    struct wg_err e = {0};
    if (!loc || wg_locator_locate(loc, l->lon, l->lat, WG_CRS_WGS84, &where, &e))
        return wg_err_set(err, WG_EINVAL, "line %lld: 'point' (%.6f, %.6f) lies in no grid",
                          l->line, l->lon, l->lat);
    l->lon = where.lon, l->lat = where.lat;
    snprintf(l->grid, sizeof l->grid, "%s", where.grid->code);
    return WG_OK;
}

struct known {
    char id[64];
    int found;
    struct wg_device_row d;
};

/* Without a copy: each distinct device of the batch read once. */
static enum wg_rc resolve_each(struct wg_db *db, const struct wg_locator *loc,
                               struct wg_alert_line *lines, size_t n, struct wg_err *err)
{
    size_t cap = 64;
    while (cap < n * 2)
        cap *= 2;
    struct known *k = wg_calloc(cap, sizeof *k);
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct wg_alert_line *l = &lines[i];
        size_t s = (size_t)id_hash(l->device) & (cap - 1);
        while (k[s].id[0] && strcmp(k[s].id, l->device))
            s = (s + 1) & (cap - 1);
        if (!k[s].id[0]) {
            struct wg_err e = {0};
            snprintf(k[s].id, sizeof k[s].id, "%s", l->device);
            rc = wg_store_device_get(db, l->device, &k[s].d, &e);
            k[s].found = !rc;
            if (rc == WG_ENOTFOUND)
                rc = WG_OK;
            else if (rc)
                *err = e;
        }
        if (!rc)
            rc = resolve_line(loc, l, k[s].found ? &k[s].d : NULL, err);
    }
    free(k);
    return rc;
}

enum wg_rc wg_alert_resolve(struct wg_db *db, struct wg_alert_devices *c,
                            const struct wg_locator *loc, struct wg_alert_line *lines, size_t n,
                            struct wg_err *err)
{
    if (!c)
        return resolve_each(db, loc, lines, n, err);
    pthread_mutex_lock(&c->mu);
    enum wg_rc rc = devices_fresh(db, c, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = resolve_line(loc, &lines[i], cached(c, lines[i].device), err);
    pthread_mutex_unlock(&c->mu);
    return rc;
}

json_t *wg_alert_batch_json(const struct wg_alert_line *lines, size_t n)
{
    json_t *arr = json_array();
    size_t merged = 0;
    for (size_t i = 0; i < n; i++) {
        merged += lines[i].merged != 0;
        json_array_append_new(arr,
                              json_pack("{s:I,s:I,s:b}", "line", (json_int_t)lines[i].line, "alert",
                                        (json_int_t)lines[i].alert, "merged", lines[i].merged));
    }
    return json_pack("{s:I,s:I,s:I,s:o}", "alerts", (json_int_t)n, "new", (json_int_t)(n - merged),
                     "merged", (json_int_t)merged, "results", arr);
}
