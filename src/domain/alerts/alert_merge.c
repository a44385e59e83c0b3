/* The merge of alerts (alert.h): the writer's index of the window's alerts — a hash by device
 * and type, and a spatial hash of cells the radius wide by type — so each line finds the
 * alert it repeats in O(1); the rules applied to what changed; the batch's new and changed
 * alerts written in one statement. The index is trusted only while the store's mark
 * (alert_head.seq) is the one it left: any other write of alerts or rules (a review, another
 * server's batch, a batch of this one rolled back) moves the mark or takes it back, and the
 * next batch reloads the index from the store inside its own transaction. */
#include "domain/alerts/alert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "domain/notify/notify.h"

#define HELD_MAX (1 << 20) /* alerts held before the index is reloaded with the window alone */

struct ent {
    struct wg_alert_row row;
    int dirty, type;
    int cell_next; /* the next alert of its cell, -1 none */
};

struct cell {
    int type; /* -1: empty slot */
    long long cx, cy;
    int head;
};

struct wg_alert_merger {
    pthread_mutex_t mu;
    struct wg_alert_config cfg;
    int valid;
    long long seq, loaded_from, next_id, reloads;
    struct ent *e;
    size_t n, cap;
    int *dt; /* device and type → the newest alert's index; -1 empty */
    size_t dtcap, dtn;
    struct cell *cells;
    size_t ccap, cn;
    struct wg_alert_rules rules;
};

static unsigned long long fnv(const char *s, int type)
{
    unsigned long long h = 1469598103934665603ULL ^ (unsigned)type;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static unsigned long long cell_hash(int type, long long cx, long long cy)
{
    unsigned long long h = (unsigned long long)cx * 0x9E3779B97F4A7C15ULL;
    h ^= (unsigned long long)cy * 0xC2B2AE3D27D4EB4FULL + (unsigned)type;
    return h ^ (h >> 29);
}

static struct wg_alert_config configured = {WG_ALERT_WINDOW, WG_ALERT_RADIUS};

void wg_alert_config_set(const struct wg_alert_config *cfg)
{
    configured = *cfg;
}

void wg_alert_config_get(struct wg_alert_config *out)
{
    *out = configured;
}

struct wg_alert_merger *wg_alert_merger_new(const struct wg_alert_config *cfg)
{
    struct wg_alert_merger *m = wg_calloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    m->cfg = *cfg;
    if (m->cfg.window <= 0)
        m->cfg.window = WG_ALERT_WINDOW;
    if (m->cfg.radius <= 0)
        m->cfg.radius = WG_ALERT_RADIUS;
    return m;
}

static void clear(struct wg_alert_merger *m)
{
    free(m->e);
    free(m->dt);
    free(m->cells);
    m->e = NULL, m->dt = NULL, m->cells = NULL;
    m->n = m->cap = m->dtcap = m->dtn = m->ccap = m->cn = 0;
    m->valid = 0;
}

void wg_alert_merger_free(struct wg_alert_merger *m)
{
    if (!m)
        return;
    clear(m);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void wg_alert_merger_stats(struct wg_alert_merger *m, long long *reloads, long long *held)
{
    pthread_mutex_lock(&m->mu);
    *reloads = m->reloads;
    *held = (long long)m->n;
    pthread_mutex_unlock(&m->mu);
}

/* ---- the two hashes ---- */

static size_t dt_slot(struct wg_alert_merger *m, const char *device, int type)
{
    size_t mask = m->dtcap - 1, i = (size_t)fnv(device, type) & mask;
    for (;; i = (i + 1) & mask) {
        int k = m->dt[i];
        if (k < 0 || (m->e[k].type == type && !strcmp(m->e[k].row.device, device)))
            return i;
    }
}

static void dt_grow(struct wg_alert_merger *m);

/* device and type → alert k, the table grown first when it would be half full */
static void dt_set(struct wg_alert_merger *m, const char *device, int type, int k)
{
    if ((m->dtn + 1) * 2 > m->dtcap)
        dt_grow(m);
    size_t s = dt_slot(m, device, type);
    if (m->dt[s] < 0)
        m->dtn++;
    m->dt[s] = k;
}

static void dt_grow(struct wg_alert_merger *m)
{
    size_t old = m->dtcap;
    int *o = m->dt;
    m->dtcap = old ? old * 2 : 1024;
    m->dt = wg_malloc(m->dtcap * sizeof *m->dt);
    memset(m->dt, 0xff, m->dtcap * sizeof *m->dt);
    for (size_t i = 0; i < old; i++)
        if (o[i] >= 0) {
            m->dt[dt_slot(m, m->e[o[i]].row.device, m->e[o[i]].type)] = o[i];
        }
    free(o);
}

static size_t cell_slot(struct wg_alert_merger *m, int type, long long cx, long long cy)
{
    size_t mask = m->ccap - 1, i = (size_t)cell_hash(type, cx, cy) & mask;
    for (;; i = (i + 1) & mask) {
        struct cell *c = &m->cells[i];
        if (c->type < 0 || (c->type == type && c->cx == cx && c->cy == cy))
            return i;
    }
}

static void cells_grow(struct wg_alert_merger *m)
{
    size_t old = m->ccap;
    struct cell *o = m->cells;
    m->ccap = old ? old * 2 : 1024;
    m->cells = wg_malloc(m->ccap * sizeof *m->cells);
    for (size_t i = 0; i < m->ccap; i++)
        m->cells[i].type = -1;
    for (size_t i = 0; i < old; i++)
        if (o[i].type >= 0)
            m->cells[cell_slot(m, o[i].type, o[i].cx, o[i].cy)] = o[i];
    free(o);
}

/* Metres east and north of a point, on a plane good for the few cells around it. */
static void plane(const struct wg_alert_merger *m, double lon, double lat, long long *cx,
                  long long *cy)
{
    double x = lon * 111320.0 * cos(lat * M_PI / 180.0), y = lat * 110574.0;
    *cx = (long long)floor(x / m->cfg.radius);
    *cy = (long long)floor(y / m->cfg.radius);
}

static double metres(double lon1, double lat1, double lon2, double lat2)
{
    double k = cos((lat1 + lat2) * M_PI / 360.0);
    double dx = (lon2 - lon1) * 111320.0 * k, dy = (lat2 - lat1) * 110574.0;
    return sqrt(dx * dx + dy * dy);
}

/* Adds row to the index (and to both hashes); returns its index. */
static int hold(struct wg_alert_merger *m, const struct wg_alert_row *row)
{
    int type = wg_alert_type_index(row->type);
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->e = wg_realloc(m->e, m->cap * sizeof *m->e);
    }
    int k = (int)m->n++;
    m->e[k].row = *row;
    m->e[k].dirty = 0;
    m->e[k].type = type;
    m->e[k].cell_next = -1;
    if (type < 0)
        return k;
    dt_set(m, row->device, type, k);
    if ((m->cn + 1) * 2 > m->ccap)
        cells_grow(m);
    long long cx, cy;
    plane(m, row->lon, row->lat, &cx, &cy);
    size_t s = cell_slot(m, type, cx, cy);
    if (m->cells[s].type < 0) {
        m->cells[s] = (struct cell){type, cx, cy, -1};
        m->cn++;
    }
    m->e[k].cell_next = m->cells[s].head;
    m->cells[s].head = k;
    return k;
}

static int on_open(const struct wg_alert_row *a, void *ctx)
{
    hold(ctx, a);
    return 0;
}

static enum wg_rc reload(struct wg_db *db, struct wg_alert_merger *m, long long since,
                         struct wg_err *err)
{
    long long max = 0;
    enum wg_rc rc;
    clear(m);
    m->reloads++;
    dt_grow(m);
    cells_grow(m);
    if ((rc = wg_store_alert_max_id(db, &max, err)) ||
        (rc = wg_store_alert_open(db, since, on_open, m, err)) ||
        (rc = wg_alert_rules_load(db, &m->rules, err))) {
        clear(m);
        return rc;
    }
    m->next_id = max + 1;
    m->loaded_from = since;
    m->valid = 1;
    return WG_OK;
}

static int in_window(const struct wg_alert_merger *m, const struct wg_alert_row *r, long long at)
{
    return at >= r->first_seen - m->cfg.window && at <= r->last_seen + m->cfg.window;
}

/* The alert line repeats: its own device's of the window, else the nearest of its type
 * within the radius and the window; -1 none. */
static int find(struct wg_alert_merger *m, const struct wg_alert_line *l)
{
    int k = m->dt[dt_slot(m, l->device, l->type)];
    if (k >= 0 && in_window(m, &m->e[k].row, l->at))
        return k;
    long long cx, cy;
    int best = -1;
    double best_d = m->cfg.radius;
    plane(m, l->lon, l->lat, &cx, &cy);
    for (long long dx = -1; dx <= 1; dx++)
        for (long long dy = -1; dy <= 1; dy++) {
            size_t s = cell_slot(m, l->type, cx + dx, cy + dy);
            for (int j = m->cells[s].type < 0 ? -1 : m->cells[s].head; j >= 0;
                 j = m->e[j].cell_next) {
                const struct wg_alert_row *r = &m->e[j].row;
                if (!in_window(m, r, l->at))
                    continue;
                double d = metres(l->lon, l->lat, r->lon, r->lat);
                if (d <= best_d) {
                    best_d = d;
                    best = j;
                }
            }
        }
    return best;
}

static void merge(struct wg_alert_merger *m, int k, const struct wg_alert_line *l, long long now)
{
    struct wg_alert_row *r = &m->e[k].row;
    r->count++;
    if (l->at < r->first_seen)
        r->first_seen = l->at;
    if (l->at >= r->last_seen) {
        r->last_seen = l->at;
        if (l->snapshot[0])
            snprintf(r->snapshot, sizeof r->snapshot, "%s", l->snapshot);
    }
    if (l->confidence > r->confidence)
        r->confidence = l->confidence;
    r->updated_at = now;
    m->e[k].dirty = 1;
    /* the device's own repeats find this alert at once from now on */
    dt_set(m, l->device, l->type, k);
}

static int fresh(struct wg_alert_merger *m, const struct wg_alert_line *l, long long now)
{
    struct wg_alert_row r;
    memset(&r, 0, sizeof r);
    r.id = m->next_id++;
    snprintf(r.device, sizeof r.device, "%s", l->device);
    snprintf(r.type, sizeof r.type, "%s", wg_alert_types[l->type].code);
    snprintf(r.grid, sizeof r.grid, "%s", l->grid);
    snprintf(r.unit, sizeof r.unit, "%s", l->unit);
    r.lon = l->lon, r.lat = l->lat, r.confidence = l->confidence;
    r.first_seen = r.last_seen = l->at;
    r.count = 1;
    snprintf(r.snapshot, sizeof r.snapshot, "%s", l->snapshot);
    snprintf(r.state, sizeof r.state, "pending");
    r.version = 1;
    r.created_at = r.updated_at = now;
    int k = hold(m, &r);
    m->e[k].dirty = 1;
    return k;
}

/* ---- the rules ---- */

void wg_alert_order_text(const struct wg_alert_row *a, const char *device_name, char *title,
                         size_t tn, char *content, size_t cn)
{
    int t = wg_alert_type_index(a->type);
    const char *zh = t >= 0 ? wg_alert_types[t].zh : a->type;
    char first[32], last[32];
    wg_clock_iso(a->first_seen, first);
    wg_clock_iso(a->last_seen, last);
    snprintf(title, tn, "%s告警：%s", zh, device_name && *device_name ? device_name : a->device);
    snprintf(content, cn,
             "设备 %s（%s）报告%s，置信度 %.2f，自 %s 至 %s 共 %lld 次（告警 %lld）。%s%s",
             a->device, device_name && *device_name ? device_name : "未命名", zh, a->confidence,
             first, last, a->count, a->id, a->snapshot[0] ? "快照：" : "", a->snapshot);
}

static enum wg_rc make_order(struct wg_db *db, const struct wg_alert_act_env *env,
                             struct wg_alert_row *a, const struct wg_alert_rule_row *rule,
                             long long now, struct wg_err *err)
{
    struct wg_device_row dev;
    struct wg_order_draft d;
    struct wg_err e = {0};
    char title[160], content[1200];
    int sensor = 0;
    if (!wg_store_device_get(db, a->device, &dev, &e))
        sensor = !strcmp(dev.kind, "sensor");
    else
        dev.name[0] = 0;
    wg_alert_order_text(a, dev.name, title, sizeof title, content, sizeof content);
    struct wg_order_input in = {.channel = sensor ? "sensor" : "video",
                                .type = "report",
                                .item = rule->item,
                                .title = title,
                                .content = content,
                                .address = dev.name[0] ? dev.address : "",
                                .urgency = rule->urgency,
                                .has_point = 1,
                                .lon = a->lon,
                                .lat = a->lat,
                                .crs = WG_CRS_WGS84,
                                .anonymous = 1};
    enum wg_rc rc = wg_order_prepare(env->orders, env->loc, env->actor, &in, now, &d, &e);
    if (rc) { /* the rule cannot make its order (an item gone from the catalog): a person looks */
        snprintf(a->state, sizeof a->state, "review");
        snprintf(a->note, sizeof a->note, "no order made: %s", e.msg);
        return WG_OK;
    }
    rc = wg_order_insert(db, &d, err);
    if (!rc) {
        a->order_id = d.row.id;
        snprintf(a->state, sizeof a->state, "ordered");
    }
    wg_order_draft_release(&d);
    return rc;
}

static enum wg_rc tell(struct wg_db *db, const struct wg_alert_row *a, long long now,
                       struct wg_err *err)
{
    char at[32], unit[80];
    int t = wg_alert_type_index(a->type);
    wg_clock_iso(now, at);
    json_t *p = json_pack(
        "{s:s,s:s,s:{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:f,s:s,s:I}}", "kind", "alert", "at", at, "alert",
        "id", (json_int_t)a->id, "type", a->type, "name", t >= 0 ? wg_alert_types[t].zh : a->type,
        "device", a->device, "grid", a->grid, "state", a->state, "count", (json_int_t)a->count,
        "confidence", a->confidence, "snapshot", a->snapshot, "order_id", (json_int_t)a->order_id);
    char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    if (!text)
        return wg_err_set(err, WG_EINTERNAL, "out of memory");
    enum wg_rc rc = wg_notify_role_at(db, "gridworker", a->grid, "alert", text, NULL, err);
    snprintf(unit, sizeof unit, "unit:%s", a->unit);
    if (!rc && a->unit[0])
        rc = wg_notify(db, unit, "alert", a->order_id, text, err);
    free(text);
    return rc;
}

/* pending and ignored alerts move on by their rule; acting tells the grid and the unit. */
static enum wg_rc apply(struct wg_db *db, struct wg_alert_merger *m,
                        const struct wg_alert_act_env *env, struct wg_alert_row *a, long long now,
                        struct wg_err *err)
{
    int t = wg_alert_type_index(a->type);
    const struct wg_alert_rule_row *r = &m->rules.r[t];
    if (strcmp(a->state, "pending") && strcmp(a->state, "ignored"))
        return WG_OK;
    if (a->confidence < r->min_confidence) {
        snprintf(a->state, sizeof a->state, "ignored");
        return WG_OK;
    }
    int due = (!r->dwell_seconds && !r->dwell_count) ||
              (r->dwell_seconds && a->last_seen - a->first_seen >= r->dwell_seconds) ||
              (r->dwell_count && a->count >= r->dwell_count);
    if (!due) {
        snprintf(a->state, sizeof a->state, "pending");
        return WG_OK;
    }
    enum wg_rc rc = WG_OK;
    if (!strcmp(r->action, "order") && env && env->orders)
        rc = make_order(db, env, a, r, now, err);
    else
        snprintf(a->state, sizeof a->state, "review");
    a->version++;
    return rc ? rc : tell(db, a, now, err);
}

static void row_json(struct wg_jw *w, const struct wg_alert_row *a)
{
    wg_jw_open(w, NULL, '[');
    wg_jw_int(w, NULL, a->id);
    wg_jw_str(w, NULL, a->device);
    wg_jw_str(w, NULL, a->type);
    wg_jw_str(w, NULL, a->grid);
    wg_jw_str(w, NULL, a->unit);
    wg_jw_real(w, NULL, a->lon);
    wg_jw_real(w, NULL, a->lat);
    wg_jw_real(w, NULL, a->confidence);
    wg_jw_int(w, NULL, a->first_seen);
    wg_jw_int(w, NULL, a->last_seen);
    wg_jw_int(w, NULL, a->count);
    wg_jw_str(w, NULL, a->snapshot);
    wg_jw_str(w, NULL, a->state);
    if (a->order_id)
        wg_jw_int(w, NULL, a->order_id);
    else
        wg_jw_raw(w, NULL, "null");
    wg_jw_str(w, NULL, a->note);
    wg_jw_str(w, NULL, a->reviewed_by);
    wg_jw_int(w, NULL, a->reviewed_at);
    wg_jw_int(w, NULL, a->version);
    wg_jw_int(w, NULL, a->created_at);
    wg_jw_int(w, NULL, a->updated_at);
    wg_jw_close(w, ']');
}

static enum wg_rc ingest(struct wg_db *db, struct wg_alert_merger *m,
                         const struct wg_alert_act_env *env, struct wg_alert_line *lines, size_t n,
                         long long now, long long *made, struct wg_err *err)
{
    long long seq = 0, min_at = now, fresh_n = 0;
    enum wg_rc rc;
    for (size_t i = 0; i < n; i++)
        if (lines[i].at < min_at)
            min_at = lines[i].at;
    if ((rc = wg_store_alert_head(db, &seq, err)))
        return rc;
    if (!m->valid || m->seq != seq || min_at - m->cfg.window < m->loaded_from || m->n > HELD_MAX) {
        if ((rc = reload(db, m, min_at - m->cfg.window, err)))
            return rc;
        m->seq = seq;
    }
    m->valid = 0; /* until this batch is written: a failure half-way leaves it to be reloaded */
    size_t first_new = m->n;
    int *touched = wg_malloc((n ? n : 1) * sizeof *touched);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        struct wg_alert_line *l = &lines[i];
        int k = find(m, l);
        if (k >= 0) {
            if (!m->e[k].dirty)
                touched[nt++] = k;
            merge(m, k, l, now);
            l->merged = 1;
        } else {
            k = fresh(m, l, now);
            touched[nt++] = k;
            l->merged = 0;
            fresh_n++;
        }
        l->alert = m->e[k].row.id;
    }
    (void)first_new;
    struct wg_buf b;
    struct wg_jw w;
    wg_buf_init(&b, 0);
    wg_jw_init(&w, &b);
    wg_jw_open(&w, NULL, '[');
    for (size_t i = 0; !rc && i < nt; i++) {
        struct ent *e = &m->e[touched[i]];
        rc = apply(db, m, env, &e->row, now, err);
        row_json(&w, &e->row);
        e->dirty = 0;
    }
    wg_jw_close(&w, ']');
    free(touched);
    if (!rc && (rc = wg_buf_rc(&b)))
        wg_err_set(err, rc, "the batch's alerts do not fit in memory");
    if (!rc && nt)
        rc = wg_store_alert_upsert_rows(db, b.ptr, err);
    wg_buf_release(&b);
    if (!rc)
        rc = wg_store_alert_head_bump(db, err);
    if (!rc) {
        m->seq = seq + 1;
        m->valid = 1;
    }
    if (made)
        *made = fresh_n;
    return rc;
}

enum wg_rc wg_alert_ingest(struct wg_db *db, struct wg_alert_merger *m,
                           const struct wg_alert_act_env *env, struct wg_alert_line *lines,
                           size_t n, long long now, long long *made, struct wg_err *err)
{
    pthread_mutex_lock(&m->mu);
    enum wg_rc rc = ingest(db, m, env, lines, n, now, made, err);
    if (rc)
        m->valid = 0;
    pthread_mutex_unlock(&m->mu);
    return rc;
}
