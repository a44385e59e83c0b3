/* Alerts (domain/alerts/alert.h) on a real store on every backend: ISO times with offsets,
 * every bad line of a batch named by line and field, the batch cap; merging by device and
 * type within the window and by place within the radius; two writers' indexes (two servers)
 * on one store taking turns, a batch rolled back, and threads of both at once, with counts
 * exact and one alert a problem; the rules (ignored, dwell, review) and the outbox; a review
 * under a stale version. */
#include "t.h"

#include <pthread.h>

#include "domain/alerts/alert.h"
#include "store/alerts/alert_q.h"
#include "store/alerts/device_q.h"
#include "store/catalog/catalog_q.h"
#include "t_store.h"

#define GRID "371302001001001"
#define T0   1796601600LL /* 2026-12-07T00:00:00Z */

static void times(void)
{
    static const struct {
        const char *s;
        long long want;
    } cases[] = {
        {"2026-12-07T00:00:00Z", T0},
        {"2026-12-07T08:00:00+08:00", T0},
        {"2026-12-06T23:30:00-00:30", T0},
        {"2026-12-07T00:00:00.123Z", T0},
        {"2026-12-07 08:00:00+08:00", T0},
        {"2026-12-07T00:00:00", -1}, /* no offset */
        {"2026-02-29T00:00:00Z", -1},
        {"2026-13-01T00:00:00Z", -1},
        {"2026-12-07T24:00:00Z", -1},
        {"2026-12-07T00:00:00+8:00", -1},
        {"yesterday", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        T_EQ_INT(wg_alert_parse_time(cases[i].s), cases[i].want);
}

#define OK_LINE                                                                                    \
    "{\"device\":\"A\",\"type\":\"illegal_parking\",\"confidence\":0.9,\"time\":"                  \
    "\"2026-12-07T08:00:00+08:00\"}"

static void parsing(void)
{
    static const struct {
        const char *body;
        enum wg_rc rc;
        const char *msg; /* the message's start */
    } cases[] = {
        {OK_LINE "\n\n" OK_LINE "\n", WG_OK, ""},
        {OK_LINE "\r\n" OK_LINE, WG_OK, ""},
        {"", WG_EINVAL, "the body holds no alert"},
        {OK_LINE "\n{\"device\":\"A\"", WG_EINVAL, "line 2: not JSON"},
        {OK_LINE "\n[1]", WG_EINVAL, "line 2: an alert is a JSON object"},
        {"{\"device\":\"A\",\"type\":\"ufo\",\"confidence\":0.9,\"time\":\"2026-12-07T08:00:00Z\"}",
         WG_EINVAL, "line 1: 'type': 'ufo' is not a type"},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":2,\"time\":"
         "\"2026-12-07T08:00:00Z\"}",
         WG_EINVAL, "line 1: 'confidence' is a number from 0 to 1"},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":\"high\",\"time\":"
         "\"2026-12-07T08:00:00Z\"}",
         WG_EINVAL, "line 1: 'confidence'"},
        {"\n\n{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07\"}",
         WG_EINVAL, "line 3: 'time'"},
        {"{\"device\":\"\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\"}",
         WG_EINVAL, "line 1: 'device'"},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\",\"point\":{\"lon\":500,\"lat\":1}}",
         WG_EINVAL, "line 1: 'point'"},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\",\"colour\":\"red\"}",
         WG_EINVAL, "line 1: 'colour' is not a field"},
        {"{\"device\":\"A\",\"device\":\"B\",\"type\":\"smoke_fire\",\"confidence\":0.5,"
         "\"time\":\"2026-12-07T08:00:00Z\"}",
         WG_EINVAL, "line 1: not JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_alert_line *lines = NULL;
        size_t n = 0;
        struct wg_err err = {0};
        enum wg_rc rc =
            wg_alert_parse_batch(cases[i].body, strlen(cases[i].body), &lines, &n, &err);
        T_EQ_INT(rc, cases[i].rc);
        if (rc)
            T_CHECK(!strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)));
        else
            T_EQ_INT((long long)n, 2);
        free(lines);
    }
    /* a snapshot reference past its cap, and a batch past its cap */
    char big[700], *body = malloc((WG_ALERT_BATCH_MAX + 1) * (sizeof OK_LINE));
    struct wg_alert_line *lines = NULL;
    size_t n = 0, len = 0;
    struct wg_err err = {0};
    snprintf(big, sizeof big,
             "{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
             "\"2026-12-07T08:00:00Z\",\"snapshot\":\"%0600d\"}",
             0);
    T_EQ_INT(wg_alert_parse_batch(big, strlen(big), &lines, &n, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'snapshot'") != NULL);
    for (int i = 0; i <= WG_ALERT_BATCH_MAX; i++) {
        memcpy(body + len, OK_LINE "\n", sizeof OK_LINE);
        len += sizeof OK_LINE;
    }
    T_EQ_INT(wg_alert_parse_batch(body, len, &lines, &n, &err), WG_ETOOBIG);
    T_EQ_INT(wg_alert_parse_batch(body, len - sizeof OK_LINE, &lines, &n, &err), WG_OK);
    T_EQ_INT((long long)n, WG_ALERT_BATCH_MAX);
    free(lines);
    free(body);
}

/* The fast path takes plain lines and reads them as the full parse does; anything else it
 * leaves to the full parse, which takes what is valid. */
static void fast_path(void)
{
    static const struct {
        const char *line;
        int fast;
    } cases[] = {
        {OK_LINE, 1},
        {"{ \"time\" : \"2026-12-07T00:00:00Z\", \"confidence\": 1, \"type\": \"smoke_fire\","
         " \"device\": \"CAM-1\", \"point\": {\"lat\": 35.0, \"lon\": 118.3e0},"
         " \"snapshot\": \"\" }",
         1},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\",\"snapshot\":\"oss://视频/1.jpg\"}",
         0},
        {"{\"device\":\"A\\u0042\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\"}",
         0},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\",\"point\":[118.3,35.0]}",
         0},
        {"{\"device\":\"A\",\"type\":\"smoke_fire\",\"confidence\":0.5,\"time\":"
         "\"2026-12-07T08:00:00Z\",\"point\":null}",
         0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_alert_line fast, full;
        struct wg_err err = {0};
        size_t n = strlen(cases[i].line);
        T_EQ_INT(wg_alert_parse_fast(cases[i].line, n, &fast), cases[i].fast);
        T_EQ_INT(wg_alert_parse_full(cases[i].line, n, &full, &err), WG_OK);
        if (cases[i].fast) {
            T_EQ_STR(fast.device, full.device);
            T_EQ_INT(fast.type, full.type);
            T_EQ_INT(fast.at, full.at);
            T_NEAR(fast.confidence, full.confidence, 0);
            T_EQ_INT(fast.has_point, full.has_point);
            T_NEAR(fast.lon, full.lon, 0);
            T_EQ_STR(fast.snapshot, full.snapshot);
        }
    }
}

static void device(struct wg_db *db, const char *id, double lon, double lat)
{
    struct wg_device_row d = {0};
    struct wg_err err = {0};
    snprintf(d.id, sizeof d.id, "%s", id);
    snprintf(d.kind, sizeof d.kind, "camera");
    snprintf(d.name, sizeof d.name, "路口%s", id);
    d.lon = lon, d.lat = lat;
    snprintf(d.grid, sizeof d.grid, GRID);
    snprintf(d.unit, sizeof d.unit, "cg");
    T_EQ_INT(wg_store_device_insert(db, &d, T0, &err), WG_OK);
}

/* Posts one batch of (device, type, confidence, seconds after T0) through merger m in a
 * transaction of its own; the lines' outcomes stay in *out (the caller frees). */
struct spec {
    const char *device, *type;
    double confidence;
    long long at;
};

static enum wg_rc post(struct wg_db *db, struct wg_alert_merger *m, const struct spec *s, size_t n,
                       struct wg_alert_line **out)
{
    struct wg_alert_line *l = calloc(n, sizeof *l);
    struct wg_err err = {0};
    for (size_t i = 0; i < n; i++) {
        snprintf(l[i].device, sizeof l[i].device, "%s", s[i].device);
        l[i].type = wg_alert_type_index(s[i].type);
        l[i].confidence = s[i].confidence;
        l[i].at = T0 + s[i].at;
        l[i].line = (long long)i + 1;
    }
    enum wg_rc rc = wg_alert_resolve(db, NULL, NULL, l, n, &err);
    if (!rc && !(rc = wg_db_begin(db, &err))) {
        rc = wg_alert_ingest(db, m, NULL, l, n, T0, NULL, &err);
        rc = rc ? (wg_db_rollback(db), rc) : wg_db_commit(db, &err);
    }
    if (rc)
        fprintf(stderr, "post: %s\n", err.msg);
    if (out)
        *out = l;
    else
        free(l);
    return rc;
}

static struct wg_alert_row get(struct wg_db *db, long long id)
{
    struct wg_alert_row a;
    struct wg_err err = {0};
    memset(&a, 0, sizeof a);
    T_EQ_INT(wg_store_alert_get(db, id, &a, &err), WG_OK);
    return a;
}

static void merging(struct wg_db *db)
{
    struct wg_alert_config cfg = {600, 50};
    struct wg_alert_merger *m1 = wg_alert_merger_new(&cfg), *m2 = wg_alert_merger_new(&cfg);
    struct wg_alert_line *l = NULL;
    /* A's repeats within 10 minutes of the last; B 18 m off by place; C 500 m off apart;
     * another type apart; A after 11 minutes of silence apart */
    struct spec s1[] = {{"A", "illegal_parking", 0.7, 0},    {"A", "illegal_parking", 0.9, 600},
                        {"B", "illegal_parking", 0.8, 700},  {"C", "illegal_parking", 0.8, 700},
                        {"A", "smoke_fire", 0.4, 10},        {"A", "illegal_parking", 0.6, 1900},
                        {"B", "illegal_parking", 0.8, 1300}, {"A", "illegal_parking", 0.6, -500}};
    T_EQ_INT(post(db, m1, s1, 8, &l), WG_OK);
    long long a = l[0].alert;
    T_EQ_INT(l[1].alert, a);
    T_EQ_INT(l[2].alert, a);
    T_CHECK(l[3].alert != a && l[4].alert != a && l[5].alert != a);
    T_EQ_INT(l[6].alert, a); /* B's own repeat within 600 s of the alert it joined */
    T_EQ_INT(l[7].alert, a); /* late, but within the window before the first */
    T_CHECK(!l[0].merged && l[1].merged && !l[3].merged);
    struct wg_alert_row r = get(db, a);
    T_EQ_INT(r.count, 5);
    T_EQ_INT(r.first_seen, T0 - 500);
    T_EQ_INT(r.last_seen, T0 + 1300);
    T_NEAR(r.confidence, 0.9, 1e-9);
    T_EQ_STR(r.state, "review"); /* count ≥ 3, no orders environment: a person looks */
    struct wg_alert_row fire = get(db, l[4].alert);
    T_EQ_STR(fire.state, "ignored"); /* 0.4 below smoke_fire's 0.5 */
    free(l);

    /* a second writer (another server) on the same store: it reads what the first wrote */
    struct spec s2[] = {{"A", "illegal_parking", 0.95, 1250}, {"A", "smoke_fire", 0.9, 20}};
    T_EQ_INT(post(db, m2, s2, 2, &l), WG_OK);
    T_EQ_INT(l[0].alert, a);
    T_EQ_INT(l[1].alert, fire.id);
    free(l);
    T_EQ_INT(get(db, a).count, 6);
    T_EQ_STR(get(db, fire.id).state, "review"); /* 0.9 now: acted on at once */
    /* and the first sees the second's writes */
    struct spec s3[] = {{"B", "illegal_parking", 0.5, 1280}};
    T_EQ_INT(post(db, m1, s3, 1, &l), WG_OK);
    T_EQ_INT(l[0].alert, a);
    free(l);
    T_EQ_INT(get(db, a).count, 7);

    /* a batch rolled back leaves nothing, and the next batch does not trust the index */
    struct wg_err err = {0};
    long long before = 0;
    T_EQ_INT(wg_store_alert_max_id(db, &before, &err), WG_OK);
    struct spec s4[] = {{"C", "garbage_overflow", 0.9, 0}};
    struct wg_alert_line one = {0};
    snprintf(one.device, sizeof one.device, "C");
    one.type = wg_alert_type_index("garbage_overflow");
    one.confidence = 0.9;
    one.at = T0;
    T_EQ_INT(wg_alert_resolve(db, NULL, NULL, &one, 1, &err), WG_OK);
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_alert_ingest(db, m1, NULL, &one, 1, T0, NULL, &err), WG_OK);
    wg_db_rollback(db);
    T_EQ_INT(post(db, m1, s4, 1, &l), WG_OK);
    T_EQ_INT(l[0].alert, before + 1);
    T_CHECK(!l[0].merged);
    T_EQ_INT(get(db, l[0].alert).count, 1);
    free(l);
    wg_alert_merger_free(m1);
    wg_alert_merger_free(m2);
}

/* Threads on their own connections, half through one writer's index and half through
 * another's, posting the same devices at once. */
struct worker {
    struct wg_store *st;
    struct wg_alert_merger *m;
    int id, failed;
};

#define THREADS 4
#define BATCHES 25
#define LINES   20

static void *work(void *arg)
{
    struct worker *w = arg;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    char dev[LINES][8];
    struct spec s[LINES];
    if (wg_store_get(w->st, &db, &err)) {
        w->failed = 1;
        return NULL;
    }
    for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < LINES; i++) {
            snprintf(dev[i], sizeof dev[i], "T%d", (w->id + i) % 10);
            s[i] = (struct spec){dev[i], "street_vending", 0.8, 5000 + (b + i) % 500};
        }
        enum wg_rc rc;
        while ((rc = post(db, w->m, s, LINES, NULL)) == WG_EDB || rc == WG_EUNAVAIL)
            ; /* SQLite's busy writer: the batch is tried again, as a client would */
        w->failed |= rc != WG_OK;
    }
    wg_store_put(db);
    return NULL;
}

static void concurrent(struct wg_store *st, struct wg_db *db)
{
    struct wg_alert_config cfg = {600, 50};
    struct wg_alert_merger *m[2] = {wg_alert_merger_new(&cfg), wg_alert_merger_new(&cfg)};
    struct worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < 10; i++) {
        char id[8];
        snprintf(id, sizeof id, "T%d", i);
        device(db, id, 118.30 + i * 0.001, 35.008); /* 90 m apart */
    }
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){st, m[i % 2], i, 0};
        pthread_create(&th[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        T_CHECK(!w[i].failed);
    }
    T_EQ_INT(t_store_one(t_store_dir, "SELECT SUM(count) FROM alert WHERE type = 'street_vending'"),
             THREADS * BATCHES * LINES);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM alert WHERE type = 'street_vending'"),
             10);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(DISTINCT device) FROM alert WHERE type = "
                                      "'street_vending'"),
             10);
    wg_alert_merger_free(m[0]);
    wg_alert_merger_free(m[1]);
}

/* The server's copy of the devices: read once, then again only when a device was written. */
static void device_copy(struct wg_db *db)
{
    struct wg_alert_devices *c = wg_alert_devices_new();
    struct wg_alert_line l = {0};
    struct wg_err err = {0};
    int changed = 0;
    l.line = 7;
    snprintf(l.device, sizeof l.device, "C");
    T_EQ_INT(wg_alert_resolve(db, c, NULL, &l, 1, &err), WG_OK);
    T_EQ_STR(l.grid, GRID);
    T_EQ_STR(l.unit, "cg");
    snprintf(l.device, sizeof l.device, "D");
    T_EQ_INT(wg_alert_resolve(db, c, NULL, &l, 1, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "line 7: 'device': 'D' is not a known device");
    device(db, "D", 118.3090, 35.0050);
    T_EQ_INT(wg_alert_resolve(db, c, NULL, &l, 1, &err), WG_OK);
    T_EQ_INT(wg_store_device_retire(db, "D", T0, &changed, &err), WG_OK);
    T_CHECK(changed);
    T_EQ_INT(wg_alert_resolve(db, c, NULL, &l, 1, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "line 7: 'device': 'D' is retired");
    wg_alert_devices_free(c);
}

static void reviews(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_alert_row a;
    long long id = 0;
    T_EQ_INT(wg_store_alert_max_id(db, &id, &err), WG_OK);
    a = get(db, 1);
    long long seq0 = 0, seq1 = 0;
    T_EQ_INT(wg_store_alert_head(db, &seq0, &err), WG_OK);
    snprintf(a.state, sizeof a.state, "dismissed");
    a.version--;
    T_EQ_INT(wg_store_alert_review(db, &a, T0, &err), WG_ECONFLICT);
    a.version++;
    T_EQ_INT(wg_store_alert_review(db, &a, T0, &err), WG_OK);
    T_EQ_INT(wg_store_alert_head(db, &seq1, &err), WG_OK);
    T_EQ_INT(seq1, seq0 + 1); /* every write of alerts moves the writers' mark */
    T_EQ_STR(get(db, 1).state, "dismissed");
    T_EQ_INT(get(db, 1).version, a.version + 1);
    /* the unit heard of the alerts acted on, in their transactions */
    T_CHECK(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE recipient = "
                                     "'unit:cg' AND kind = 'alert'") >= 2);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    times();
    parsing();
    fast_path();
    struct wg_store *st = t_store_open("alerts");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    struct wg_unit_row u = {"cg", "东关城管中队", "department"};
    T_EQ_INT(wg_store_unit_insert(db, &u, &err), WG_OK);
    device(db, "A", 118.3010, 35.0050);
    device(db, "B", 118.3012, 35.0050); /* 18 m east of A */
    device(db, "C", 118.3065, 35.0050); /* 500 m east */
    merging(db);
    device_copy(db);
    reviews(db);
    concurrent(st, db);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("test_alerts");
}
