/* The alert ingest benchmark (issue 21 item 7): NDJSON batches of camera and sensor alerts
 * through the real path — parsed once (wg_alert_parse_batch), devices resolved on a reading
 * connection (wg_alert_resolve), merged by device and type and by place and written by the
 * group committer (wg_alert_ingest in wg_committer_run), durable when answered — into a
 * fresh SQLite store; against, in the same run, a plain SQLite insert of every line as a
 * row of the same columns, one transaction per batch, WAL at synchronous=FULL (each COMMIT
 * synced, as the committer's batches are). Prints alerts/s of both, the ratio and the goal.
 * Usage: bench-alerts [batches] [lines per batch] [clients posting at once, 2] */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "domain/alerts/alert.h"
#include "store/alerts/device_q.h"
#include "store/store.h"

#define NDEV 2000
#define GOAL 200000.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *make_batch(int b, int n, size_t *len)
{
    struct wg_buf buf;
    wg_buf_init(&buf, 0);
    unsigned s = 12345u + (unsigned)b * 7919u;
    for (int i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        int dev = (int)((s >> 8) % NDEV);
        int type = (int)((s >> 20) % wg_alert_ntypes);
        long long t = 1796601600LL + (long long)b * 60 + i % 60;
        char when[40];
        struct tm tm;
        time_t tt = (time_t)t;
        gmtime_r(&tt, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        wg_buf_addf(&buf,
                    "{\"device\":\"34130200001310%06d\",\"type\":\"%s\",\"confidence\":0.%02u,"
                    "\"time\":\"%s\",\"snapshot\":\"oss://video/%d/%d.jpg\"}\n",
                    dev, wg_alert_types[type].code, 50 + (s >> 4) % 50, when, dev, b * n + i);
    }
    return wg_buf_detach(&buf, len);
}

struct job {
    struct wg_alert_merger *m;
    struct wg_alert_line *lines;
    size_t n;
};

static enum wg_rc job_fn(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct job *j = ctx;
    return wg_alert_ingest(db, j->m, NULL, j->lines, j->n, (long long)time(NULL), NULL, err);
}

#define MAX_CLIENTS 8

struct shared {
    struct wg_store *st;
    struct wg_alert_merger *m;
    struct wg_alert_devices *devs;
    struct wg_committer *c;
    char **batches;
    size_t *lens;
    int nb, next;
    pthread_mutex_t mu;
};

struct client {
    struct shared *sh;
    double tp, tr, tw;
    int failed;
};

static void *client_run(void *arg)
{
    struct client *cl = arg;
    struct shared *sh = cl->sh;
    struct wg_db *db = NULL;
    struct wg_err e = {0};
    if (wg_store_get(sh->st, &db, &e)) {
        cl->failed = 1;
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        int b = sh->next < sh->nb ? sh->next++ : -1;
        pthread_mutex_unlock(&sh->mu);
        if (b < 0)
            break;
        struct job j = {sh->m, NULL, 0};
        double a = now_s();
        if (wg_alert_parse_batch(sh->batches[b], sh->lens[b], &j.lines, &j.n, &e)) {
            cl->failed = 1;
            break;
        }
        double r = now_s();
        if (wg_alert_resolve(db, sh->devs, NULL, j.lines, j.n, &e)) {
            free(j.lines);
            cl->failed = 1;
            break;
        }
        double w = now_s();
        if (wg_committer_run(sh->c, job_fn, &j, &e)) {
            fprintf(stderr, "bench-alerts: %s\n", e.msg);
            cl->failed = 1;
        }
        cl->tp += r - a, cl->tr += w - r, cl->tw += now_s() - w;
        free(j.lines);
    }
    wg_store_put(db);
    return NULL;
}

static int die(const char *what, const struct wg_err *e)
{
    fprintf(stderr, "bench-alerts: %s: %s\n", what, e ? e->msg : "");
    return 1;
}

static double reference(const char *dir, char **batches, size_t *lens, int nb, int n)
{
    char path[512];
    sqlite3 *db;
    sqlite3_stmt *st;
    snprintf(path, sizeof path, "%s/reference.db", dir);
    sqlite3_open(path, &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE alert (id "
                 "INTEGER PRIMARY KEY, device TEXT NOT NULL, type TEXT NOT NULL, grid TEXT NOT "
                 "NULL, unit TEXT NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL, confidence REAL "
                 "NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER "
                 "NOT NULL, snapshot TEXT NOT NULL, state TEXT NOT NULL, order_id INTEGER, note "
                 "TEXT NOT NULL, reviewed_by TEXT NOT NULL, reviewed_at INTEGER NOT NULL, version "
                 "INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
                 "CREATE INDEX alert_last ON alert(last_seen); CREATE INDEX alert_state ON "
                 "alert(state, id); CREATE INDEX alert_grid ON alert(grid, id);",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO alert(device, type, grid, unit, lon, lat, confidence, "
                       "first_seen, last_seen, count, snapshot, state, order_id, note, "
                       "reviewed_by, reviewed_at, version, created_at, updated_at) VALUES (?, ?, "
                       "'371302001001001', 'unit', 118.3, 35.0, ?, ?, ?, 1, ?, 'pending', NULL, "
                       "'', '', 0, 1, ?, ?)",
                       -1, &st, NULL);
    double t0 = now_s();
    long long total = 0;
    for (int b = 0; b < nb; b++) {
        struct wg_alert_line *lines;
        size_t k;
        struct wg_err e = {0};
        wg_alert_parse_batch(batches[b], lens[b], &lines, &k, &e); /* the same parse */
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (size_t i = 0; i < k; i++) {
            sqlite3_bind_text(st, 1, lines[i].device, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, wg_alert_types[lines[i].type].code, -1, SQLITE_STATIC);
            sqlite3_bind_double(st, 3, lines[i].confidence);
            sqlite3_bind_int64(st, 4, lines[i].at);
            sqlite3_bind_int64(st, 5, lines[i].at);
            sqlite3_bind_text(st, 6, lines[i].snapshot, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 7, lines[i].at);
            sqlite3_bind_int64(st, 8, lines[i].at);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        total += (long long)k;
        free(lines);
    }
    double dt = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    (void)n;
    return total / dt;
}

int main(int argc, char **argv)
{
    int nb = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100;
    int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 10000;
    int clients = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 2;
    char dir[] = "/tmp/bench-alerts-XXXXXX";
    struct wg_store *st;
    struct wg_db *db;
    struct wg_committer *c;
    struct wg_err e = {0};
    if (nb < 1 || n < 1 || n > WG_ALERT_BATCH_MAX || clients < 1 || clients > MAX_CLIENTS ||
        !mkdtemp(dir))
        return die("usage: bench-alerts [batches] [lines per batch ≤ 10000] [clients ≤ 8]", NULL);
    if (wg_store_open(dir, 1, &st, &e) || wg_store_get(st, &db, &e))
        return die("store", &e);
    wg_db_begin(db, &e);
    for (int i = 0; i < NDEV; i++) {
        struct wg_device_row d = {0};
        snprintf(d.id, sizeof d.id, "34130200001310%06d", i);
        snprintf(d.kind, sizeof d.kind, "%s", i % 10 ? "camera" : "sensor");
        snprintf(d.name, sizeof d.name, "路口%d", i);
        d.lon = 118.30 + (i % 50) * 0.0002; /* 50 cameras a row, 18 m apart: places merge */
        d.lat = 35.00 + (i / 50) * 0.0002;
        snprintf(d.grid, sizeof d.grid, "371302001001001");
        snprintf(d.unit, sizeof d.unit, "unit");
        if (wg_store_device_insert(db, &d, 0, &e))
            return die("devices", &e);
    }
    if (wg_db_commit(db, &e))
        return die("devices", &e);
    char **batches = calloc((size_t)nb, sizeof *batches);
    size_t *lens = calloc((size_t)nb, sizeof *lens);
    for (int b = 0; b < nb; b++)
        batches[b] = make_batch(b, n, &lens[b]);
    struct wg_alert_config cfg = {WG_ALERT_WINDOW, WG_ALERT_RADIUS};
    struct wg_alert_merger *m = wg_alert_merger_new(&cfg);
    struct wg_alert_devices *devs = wg_alert_devices_new();
    if (wg_committer_start(st, 0, &c, &e))
        return die("committer", &e);
    /* the clients: threads posting batches at once, as cameras' gateways do; each batch one
     * job of the committer, so batches that arrive during a sync share the next */
    struct client cl[MAX_CLIENTS];
    pthread_t th[MAX_CLIENTS];
    struct shared sh = {st, m, devs, c, batches, lens, nb, 0, PTHREAD_MUTEX_INITIALIZER};
    double t0 = now_s(), tp = 0, tr = 0, tw = 0;
    for (int i = 0; i < clients; i++) {
        cl[i] = (struct client){&sh, 0, 0, 0, 0};
        pthread_create(&th[i], NULL, client_run, &cl[i]);
    }
    for (int i = 0; i < clients; i++) {
        pthread_join(th[i], NULL);
        if (cl[i].failed)
            return die("ingest", NULL);
        tp += cl[i].tp, tr += cl[i].tr, tw += cl[i].tw;
    }
    double dt = now_s() - t0;
    long long reloads, held;
    wg_alert_merger_stats(m, &reloads, &held);
    wg_committer_stop(c);
    double ours = (double)nb * n / dt;
    double ref = reference(dir, batches, lens, nb, n);
    printf("alerts: %d batches of %d lines from %d clients, %d devices; %lld alerts after "
           "merging, %lld index reloads\n",
           nb, n, clients, NDEV, held, reloads);
    printf("ingest with dedupe (durable, group commit): %.0f alerts/s (clients' time: parse "
           "%.2f s, devices %.2f s, waiting for merge, write and sync %.2f s)\n",
           ours, tp, tr, tw);
    printf("plain SQLite insert of the same rows (WAL, synchronous=FULL, a transaction a "
           "batch): %.0f alerts/s\n",
           ref);
    printf("ratio: %.2f; goal %.0f alerts/s: %s\n", ours / ref, GOAL,
           ours >= GOAL ? "met" : "not met");
    for (int b = 0; b < nb; b++)
        free(batches[b]);
    free(batches);
    free(lens);
    wg_alert_merger_free(m);
    wg_alert_devices_free(devs);
    wg_store_put(db);
    wg_store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) /* NOLINT: its own temporary directory */
        return 1;
    return 0;
}
