/* Notifications: backoff arithmetic, payloads and envelopes; the outbox in a fresh store
 * (enqueue inside a transaction, claims and leases); delivery through the HTTP client to a
 * scripted server on 127.0.0.1; a worker stopped mid-send. URL checks and status lines are
 * the client's: test_http_client.c. */
#include "t.h"
#include "t_store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "domain/notify/notify.h"
#include "domain/accounts/account.h"
#include "domain/notify/notify_worker.h"
#include "domain/orders/order_ctx.h"
#include "store/store.h"
#include "store/notify/notify_q.h"

static void test_backoff(void)
{
    static const struct {
        int attempt, base;
        long long want;
    } cases[] = {
        {1, 10, 10},   {2, 10, 20},     {3, 10, 40},     {4, 10, 80},     {7, 10, 640},
        {8, 10, 1280}, {9, 10, 2560},   {10, 10, 3600},  {11, 10, 3600},  {1000, 10, 3600},
        {0, 10, 10},   {1, 1, 1},       {2, 1, 2},       {12, 1, 2048},   {13, 1, 3600},
        {63, 1, 3600}, {1, 3600, 3600}, {1, 5000, 3600}, {2, 2000, 3600}, {1, 0, 1},
        {3, -5, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        T_EQ_INT(wg_notify_backoff(cases[i].attempt, cases[i].base), cases[i].want);
}

static void test_payload(void)
{
    struct wg_notify_order o = {.id = 42,
                                .number = "371302-20261123-000042",
                                .title = "噪声扰民",
                                .item = "06028",
                                .urgency = "normal",
                                .grid = "371302001001001",
                                .unit = "cgzf",
                                .state = "dispatched",
                                .sign_deadline = 1795424400,
                                .reply_deadline = 1795939200};
    json_t *body =
        json_pack("{s:s,s:s,s:i,s:s}", "note", "请尽快", "level", "red", "days", 3, "secret", "x");
    char *p = wg_notify_order_payload("urge", &o, "ag", 1795420800, body);
    T_EQ_STR(p, "{\"at\":\"2026-11-23T08:00:00Z\",\"by\":\"ag\",\"deadlines\":{\"reply\":"
                "\"2026-11-29T08:00:00Z\",\"sign\":\"2026-11-23T09:00:00Z\"},\"kind\":\"urge\","
                "\"level\":\"red\",\"note\":\"请尽快\",\"order\":{\"grid\":\"371302001001001\","
                "\"id\":42,\"item\":\"06028\",\"number\":\"371302-20261123-000042\",\"state\":"
                "\"dispatched\",\"title\":\"噪声扰民\",\"unit\":\"cgzf\",\"urgency\":\"normal\"}}");
    free(p);
    json_decref(body);

    /* what is missing is left out; a long note is cut on a character boundary */
    struct wg_notify_order bare = {.id = 7, .number = "N", .state = "returning"};
    char note[1300];
    size_t n = 0;
    while (n + 3 < sizeof note) {
        memcpy(note + n, "中", 3);
        n += 3;
    }
    note[n] = '\0';
    body = json_pack("{s:s,s:i}", "reason", note, "level", 2);
    p = wg_notify_order_payload("return", &bare, "h1", 0, body);
    json_t *j = json_loads(p, 0, NULL);
    T_CHECK(j != NULL);
    T_EQ_STR(json_string_value(json_object_get(j, "at")), "1970-01-01T00:00:00Z");
    T_CHECK(json_object_get(j, "deadlines") == NULL);
    T_CHECK(json_object_get(j, "level") == NULL); /* not a string */
    T_CHECK(json_object_get(json_object_get(j, "order"), "unit") == NULL);
    T_EQ_INT(json_object_size(json_object_get(j, "order")), 3);
    T_EQ_INT(strlen(json_string_value(json_object_get(j, "reason"))), 999);
    json_decref(j);
    json_decref(body);
    free(p);

    struct wg_outbox_row r = {.id = 5,
                              .recipient = "unit:cgzf",
                              .channel = "webhook",
                              .kind = "dispatch",
                              .payload = "{\"kind\":\"dispatch\"}",
                              .created_at = "2026-11-23T08:00:00Z",
                              .order_id = 42,
                              .attempts = 3};
    p = wg_notify_envelope(&r);
    T_EQ_STR(p, "{\"attempt\":3,\"channel\":\"webhook\",\"created_at\":\"2026-11-23T08:00:00Z\","
                "\"id\":5,\"kind\":\"dispatch\",\"order_id\":42,\"payload\":{\"kind\":"
                "\"dispatch\"},\"recipient\":\"unit:cgzf\"}");
    free(p);
    r.order_id = 0;
    r.payload = "not json";
    p = wg_notify_envelope(&r);
    T_CHECK(p && !strstr(p, "order_id") && strstr(p, "\"payload\":\"not json\""));
    free(p);
}

struct seen {
    int n;
    long long id, next;
    int attempts;
    char state[16], error[600], recipient[64], kind[32];
};

static int see(const struct wg_outbox_row *r, void *ctx)
{
    struct seen *s = ctx;
    s->n++;
    s->id = r->id;
    s->next = r->next_attempt_at;
    s->attempts = r->attempts;
    snprintf(s->state, sizeof s->state, "%s", r->state);
    snprintf(s->error, sizeof s->error, "%s", r->last_error);
    snprintf(s->recipient, sizeof s->recipient, "%s", r->recipient);
    snprintf(s->kind, sizeof s->kind, "%s", r->kind);
    return 0;
}

static struct seen row(struct wg_db *db, long long id)
{
    struct seen s = {0};
    T_EQ_INT(wg_store_outbox_get(db, id, see, &s, NULL), WG_OK);
    return s;
}

static int count(struct wg_db *db, const char *a, const char *b)
{
    struct seen s = {0};
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){a, b}, 0, 100, 0, see, &s, NULL),
             WG_OK);
    return s.n;
}

static void test_outbox(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct seen s = {0};
    long long now = (long long)time(NULL);
    int claimed = 0, changed = 0;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    /* a notification exists exactly when its transaction commits */
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_notify(db, "unit:cgzf", "dispatch", 1, "{\"a\":1}", &err), WG_OK);
    wg_db_rollback(db);
    T_EQ_INT(count(db, "unit:cgzf", ""), 0);
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_notify(db, "unit:cgzf", "dispatch", 1, "{\"a\":1}", &err), WG_OK);
    T_EQ_INT(wg_notify(db, "ag", "return", 1, "{\"b\":2}", &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(count(db, "unit:cgzf", ""), 1);
    T_EQ_INT(count(db, "ag", "unit:cgzf"), 2);
    T_EQ_INT(count(db, "ag", ""), 1);
    T_EQ_INT(count(db, "nobody", ""), 0);
    /* what wg_notify refuses */
    T_EQ_INT(wg_notify(db, "", "dispatch", 0, "{}", &err), WG_EINVAL);
    T_EQ_INT(wg_notify(db, "ag", "Bad Kind", 0, "{}", &err), WG_EINVAL);
    T_EQ_INT(wg_notify(db, "ag", "", 0, "{}", &err), WG_EINVAL);
    T_EQ_INT(wg_notify(db, "ag", "urge", 0, "[1]", &err), WG_EINVAL);
    T_EQ_INT(wg_notify(db, "ag", "urge", 0, "not json", &err), WG_EINVAL);
    T_EQ_INT(wg_notify(db, "ag", "urge", 0, NULL, &err), WG_EINVAL);
    T_EQ_INT(count(db, "ag", "unit:cgzf"), 2);

    /* claims: the oldest due row first, one at a time, leased */
    T_EQ_INT(wg_store_outbox_claim(db, now, now + 60, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 1);
    T_EQ_STR(s.state, "sending");
    T_EQ_STR(s.recipient, "unit:cgzf");
    T_EQ_INT(s.attempts, 1);
    T_EQ_INT(s.next, now + 60);
    long long first = s.id;
    T_EQ_INT(wg_store_outbox_claim(db, now, now + 60, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 1);
    T_EQ_STR(s.recipient, "ag");
    long long second = s.id;
    T_EQ_INT(wg_store_outbox_claim(db, now, now + 60, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 0); /* both are held */
    /* a worker that died mid-send: its lease runs out and the row is taken again */
    T_EQ_INT(wg_store_outbox_claim(db, now + 61, now + 120, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 1);
    T_EQ_INT(s.id, first);
    T_EQ_INT(s.attempts, 2);
    /* outcomes */
    T_EQ_INT(wg_store_outbox_delivered(db, first, "2026-11-23T08:00:00Z", &changed, &err), WG_OK);
    T_EQ_INT(changed, 1);
    T_EQ_INT(wg_store_outbox_delivered(db, first, "2026-11-23T08:00:01Z", &changed, &err), WG_OK);
    T_EQ_INT(changed, 0); /* no longer sending */
    T_EQ_INT(wg_store_outbox_failed(db, second, "pending", now + 10, "HTTP 500", &changed, &err),
             WG_OK);
    T_EQ_INT(changed, 1);
    s = row(db, second);
    T_EQ_STR(s.state, "pending");
    T_EQ_STR(s.error, "HTTP 500");
    T_EQ_INT(s.next, now + 10);
    T_EQ_INT(wg_store_outbox_claim(db, now + 9, now + 100, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 0);
    T_EQ_INT(wg_store_outbox_claim(db, now + 10, now + 100, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 1);
    T_EQ_INT(wg_store_outbox_failed(db, second, "dead", now + 10, "HTTP 502", &changed, &err),
             WG_OK);
    s = row(db, second);
    T_EQ_STR(s.state, "dead");
    T_EQ_INT(s.attempts, 2);
    T_EQ_INT(wg_store_outbox_claim(db, now + 100000, now + 100060, see, &s, &claimed, &err), WG_OK);
    T_EQ_INT(claimed, 0); /* delivered and dead rows are done */
    T_EQ_INT(wg_store_outbox_get(db, 999, see, &s, &err), WG_ENOTFOUND);
    wg_store_put(db);
}

/* ---- a scripted webhook on 127.0.0.1 ---- */

struct hook {
    int fd, port;
    int statuses[8], n; /* answers in turn; 0: never answer; < 0: answer -status, keep open */
    atomic_int served;
    char last[4096];
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct hook *h = arg;
    for (int i = 0; i < h->n; i++) {
        int c = accept(h->fd, NULL, NULL);
        char buf[4096], out[128];
        size_t got = 0;
        ssize_t r;
        if (c < 0)
            break;
        /* the request: headers, then Content-Length bytes */
        while (got < sizeof buf - 1 && (r = recv(c, buf + got, sizeof buf - 1 - got, 0)) > 0) {
            char *end, *cl;
            got += (size_t)r;
            buf[got] = '\0';
            if ((end = strstr(buf, "\r\n\r\n")) && (cl = strstr(buf, "Content-Length: ")) &&
                got >= (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10))
                break;
        }
        buf[got] = '\0';
        memcpy(h->last, buf, got + 1);
        h->served++;
        if (h->statuses[i]) {
            int len =
                snprintf(out, sizeof out, "HTTP/1.1 %d Scripted\r\nContent-Length: 2\r\n\r\n{}",
                         abs(h->statuses[i]));
            if (send(c, out, (size_t)len, MSG_NOSIGNAL) < 0)
                perror("send");
        }
        if (h->statuses[i] <= 0) {
            while (recv(c, buf, sizeof buf, 0) > 0) /* until the client gives up */
                ;
        }
        close(c);
    }
    return NULL;
}

static void hook_start(struct hook *h)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    h->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&a, sizeof a) || listen(h->fd, 8) ||
        getsockname(h->fd, (struct sockaddr *)&a, &len)) {
        perror("hook");
        exit(1);
    }
    h->port = ntohs(a.sin_port);
    pthread_create(&h->thread, NULL, serve, h);
}

static void hook_stop(struct hook *h)
{
    pthread_join(h->thread, NULL);
    close(h->fd);
}

static void test_delivery(struct wg_store *st)
{
    struct hook h = {.statuses = {500, 200, 503, 0, -200}, .n = 5};
    struct wg_notify_config cfg;
    struct wg_db *db;
    struct wg_err err = {0};
    struct seen s;
    char url[64];
    int handled = 0;
    long long now = (long long)time(NULL), a, b, c;
    hook_start(&h);
    wg_notify_config_init(&cfg);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook?token=secret", h.port);
    T_EQ_INT(wg_notify_config_add_url(&cfg, url, &err), WG_OK);
    cfg.attempts = 2;
    cfg.backoff_seconds = 30;
    cfg.timeout_ms = 500;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_notify(db, "u1", "urge", 3, "{\"note\":\"请尽快\"}", &err), WG_OK);
    s = (struct seen){0};
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){"u1", ""}, 0, 1, 0, see, &s, &err),
             WG_OK);
    a = s.id;
    /* first attempt: 500, back to pending for 30 s */
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now, NULL, &handled, &err), WG_OK);
    T_EQ_INT(handled, 1);
    s = row(db, a);
    T_EQ_STR(s.state, "pending");
    T_EQ_INT(s.attempts, 1);
    T_CHECK(s.next >= now + 30 && s.next <= now + 32);
    T_CHECK(strstr(s.error, "HTTP 500") != NULL);
    T_CHECK(strstr(s.error, "secret") == NULL); /* the query may hold a token */
    T_CHECK(strstr(h.last, "POST /hook?token=secret HTTP/1.1\r\n") != NULL);
    T_CHECK(strstr(h.last, "Content-Type: application/json") != NULL);
    T_CHECK(strstr(h.last, "\"note\":\"请尽快\"") != NULL);
    char want[64];
    snprintf(want, sizeof want, "X-Wangge-Delivery: %lld\r\n", a);
    T_CHECK(strstr(h.last, want) != NULL);
    snprintf(want, sizeof want, "Host: 127.0.0.1:%d\r\n", h.port);
    T_CHECK(strstr(h.last, want) != NULL);
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now, NULL, &handled, &err), WG_OK);
    T_EQ_INT(handled, 0); /* not due yet */
    /* second attempt: 200 */
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 40, NULL, &handled, &err), WG_OK);
    T_EQ_INT(handled, 1);
    s = row(db, a);
    T_EQ_STR(s.state, "delivered");
    T_EQ_INT(s.attempts, 2);
    T_CHECK(strstr(h.last, "\"attempt\":2") != NULL);
    /* a row that fails its last allowed attempt is dead: 503, then no answer (timeout) */
    T_EQ_INT(wg_notify(db, "u2", "dispatch", 0, "{}", &err), WG_OK);
    s = (struct seen){0};
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){"u2", ""}, 0, 1, 0, see, &s, &err),
             WG_OK);
    b = s.id;
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 40, NULL, &handled, &err), WG_OK);
    s = row(db, b);
    T_EQ_STR(s.state, "pending");
    T_CHECK(strstr(s.error, "HTTP 503") != NULL);
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 100, NULL, &handled, &err), WG_OK);
    s = row(db, b);
    T_EQ_STR(s.state, "dead");
    T_EQ_INT(s.attempts, 2);
    T_CHECK(strstr(s.error, "timed out") != NULL);
    /* a receiver that answers but keeps the connection open does not hold the worker */
    T_EQ_INT(wg_notify(db, "u4", "dispatch", 0, "{}", &err), WG_OK);
    cfg.timeout_ms = 5000;
    time_t t0 = time(NULL);
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 100, NULL, &handled, &err), WG_OK);
    T_EQ_INT(handled, 1);
    T_CHECK(time(NULL) - t0 <= 2);
    s = (struct seen){0};
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){"u4", ""}, 0, 1, 0, see, &s, &err),
             WG_OK);
    T_EQ_STR(s.state, "delivered");
    hook_stop(&h);
    /* nobody listening: refused */
    T_EQ_INT(wg_notify(db, "u3", "dispatch", 0, "{}", &err), WG_OK);
    s = (struct seen){0};
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){"u3", ""}, 0, 1, 0, see, &s, &err),
             WG_OK);
    c = s.id;
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 100, NULL, &handled, &err), WG_OK);
    s = row(db, c);
    T_EQ_STR(s.state, "pending");
    T_CHECK(strstr(s.error, "cannot connect") != NULL);
    /* without URLs nothing is claimed */
    wg_notify_config_init(&cfg);
    T_EQ_INT(wg_notify_deliver_due(st, &cfg, now + 100000, NULL, &handled, &err), WG_OK);
    T_EQ_INT(handled, 0);
    s = row(db, c);
    T_EQ_STR(s.state, "pending");
    T_EQ_INT(s.attempts, 1);
    /* config: at most WG_NOTIFY_MAX_URLS, each checked */
    for (int i = 0; i < WG_NOTIFY_MAX_URLS; i++)
        T_EQ_INT(wg_notify_config_add_url(&cfg, "http://relay/", &err), WG_OK);
    T_EQ_INT(wg_notify_config_add_url(&cfg, "http://relay/", &err), WG_EINVAL);
    /* https is a webhook like any other since the client is libcurl; other schemes are not */
    wg_notify_config_init(&cfg);
    T_EQ_INT(wg_notify_config_add_url(&cfg, "https://relay/", &err), WG_OK);
    T_EQ_INT(wg_notify_config_add_url(&cfg, "ftp://relay/", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "webhook_url: URL 'ftp://relay/'") != NULL);
    T_EQ_INT(cfg.nurls, 1);
    wg_store_put(db);
}

/* A worker stopped while the receiver sits on its POST lets go at once, not at the timeout;
 * the row is pending again for the next start, with why this attempt ended. */
static void test_worker_stop(struct wg_store *st)
{
    struct hook h = {.statuses = {0}, .n = 1};
    struct wg_notify_config cfg;
    struct wg_notify_worker *w = NULL;
    struct wg_db *db;
    struct wg_err err = {0};
    struct seen s = {0};
    char url[64];
    uint64_t t0;
    hook_start(&h);
    wg_notify_config_init(&cfg);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", h.port);
    T_EQ_INT(wg_notify_config_add_url(&cfg, url, &err), WG_OK);
    cfg.timeout_ms = 20000;
    cfg.poll_ms = 20;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_notify(db, "u5", "urge", 0, "{}", &err), WG_OK);
    T_EQ_INT(wg_notify_worker_start(st, &cfg, &w, &err), WG_OK);
    for (int i = 0; i < 500 && !atomic_load(&h.served); i++)
        usleep(10000);
    T_EQ_INT(atomic_load(&h.served), 1);
    t0 = wg_clock_us();
    wg_notify_worker_stop(w);
    T_CHECK(wg_clock_us() - t0 < 1500000);
    hook_stop(&h);
    T_EQ_INT(wg_store_outbox_list(db, &(struct wg_outbox_reader){"u5", ""}, 0, 1, 0, see, &s, &err),
             WG_OK);
    T_EQ_STR(s.state, "pending");
    T_EQ_INT(s.attempts, 1);
    T_CHECK(strstr(s.error, "stopped") != NULL);
    wg_store_put(db);
}

/* Reads are each reader's own: two accounts of one unit read its rows apart; marking is
 * idempotent; "all" takes what the reader has, and nobody else's. */
static void test_reads(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_outbox_reader h1 = {"h1", "unit:gas"}, h2 = {"h2", "unit:gas"}, ag = {"ag2", ""};
    long long unread = -1, marked = -1, first = 0, id = 0;
    struct seen s = {0};
    int owned = -1;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (int i = 0; i < 3; i++)
        T_EQ_INT(wg_notify(db, "unit:gas", "dispatch", 7, "{}", &err), WG_OK);
    T_EQ_INT(wg_notify(db, "h1", "return", 7, "{}", &err), WG_OK);
    T_EQ_INT(wg_notify(db, "ag2", "extend", 7, "{}", &err), WG_OK);
    T_EQ_INT(wg_store_outbox_list(db, &h1, 0, 100, 0, see, &s, &err), WG_OK);
    T_EQ_INT(s.n, 4);
    id = s.id; /* the oldest of h1's: a unit row */
    T_EQ_INT(wg_store_outbox_unread(db, &h1, &unread, &err), WG_OK);
    T_EQ_INT(unread, 4);
    T_EQ_INT(wg_store_outbox_owned(db, &h1, id, &owned, &err), WG_OK);
    T_EQ_INT(owned, 1);
    T_EQ_INT(wg_store_outbox_owned(db, &ag, id, &owned, &err), WG_OK);
    T_EQ_INT(owned, 0);
    T_EQ_INT(wg_store_outbox_mark_read(db, &h1, id, "2026-11-23T08:00:00Z", &marked, &err), WG_OK);
    T_EQ_INT(marked, 1);
    T_EQ_INT(wg_store_outbox_mark_read(db, &h1, id, "2026-11-23T08:00:01Z", &marked, &err), WG_OK);
    T_EQ_INT(marked, 0); /* read already */
    T_EQ_INT(wg_store_outbox_unread(db, &h1, &unread, &err), WG_OK);
    T_EQ_INT(unread, 3);
    T_EQ_INT(wg_store_outbox_unread(db, &h2, &unread, &err), WG_OK);
    T_EQ_INT(unread, 3); /* the unit's three; h1's reading is h1's */
    memset(&s, 0, sizeof s);
    T_EQ_INT(wg_store_outbox_list(db, &h1, 1, 100, 0, see, &s, &err), WG_OK);
    T_EQ_INT(s.n, 3);
    T_CHECK(s.id != id);
    first = s.id;
    T_CHECK(first > 0);
    T_EQ_INT(wg_store_outbox_mark_read(db, &h1, 0, "2026-11-23T08:00:02Z", &marked, &err), WG_OK);
    T_EQ_INT(marked, 3);
    T_EQ_INT(wg_store_outbox_unread(db, &h1, &unread, &err), WG_OK);
    T_EQ_INT(unread, 0);
    T_EQ_INT(wg_store_outbox_unread(db, &ag, &unread, &err), WG_OK);
    T_EQ_INT(unread, 1); /* not h1's to mark */
    T_EQ_INT(wg_store_outbox_unread(db, &h2, &unread, &err), WG_OK);
    T_EQ_INT(unread, 3);
    wg_store_put(db);
}

static int take_name(const char *username, void *ctx)
{
    char *names = ctx;
    size_t n = strlen(names);
    snprintf(names + n, 256 - n, "%s%s", n ? "," : "", username);
    return 0;
}

/* Who works a place: accounts of the role scoped to it, an ancestor or everything;
 * neither a sibling's, a descendant's, a unit's nor a disabled one's. */
static void test_accounts_for_place(struct wg_store *st)
{
    static const struct {
        const char *username, *role, *scope;
    } accounts[] = {
        {"gw_grid", "gridworker", "371302001001001"},
        {"gw_town", "gridworker", "371302001"},
        {"gw_other", "gridworker", "371302001001002"},
        {"gw_all", "gridworker", "all"},
        {"gw_south", "gridworker", "371302002"},
        {"ag_county", "agent", "371302"},
        {"ag_unit", "agent", "unit:cgzf"},
    };
    struct wg_db *db;
    struct wg_err err = {0};
    char names[256] = "";
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
        T_EQ_INT(wg_account_create(db, accounts[i].username, accounts[i].role, accounts[i].scope,
                                   "Place-2026!", 0, &err),
                 WG_OK);
    T_EQ_INT(wg_store_accounts_for_place(db, "gridworker", "371302001001001", 100, take_name, names,
                                         &err),
             WG_OK);
    T_EQ_STR(names, "gw_all,gw_grid,gw_town");
    names[0] = '\0';
    T_EQ_INT(wg_store_accounts_for_place(db, "gridworker", "371302", 100, take_name, names, &err),
             WG_OK);
    T_EQ_STR(names, "gw_all"); /* a county's order: only who covers the whole county */
    names[0] = '\0';
    T_EQ_INT(
        wg_store_accounts_for_place(db, "agent", "371302001001001", 100, take_name, names, &err),
        WG_OK);
    T_EQ_STR(names, "ag_county");
    names[0] = '\0';
    T_EQ_INT(
        wg_store_accounts_for_place(db, "gridworker", "371302001001001", 1, take_name, names, &err),
        WG_OK);
    T_EQ_STR(names, "gw_all"); /* at most max */
    wg_store_put(db);
}

/* What lists show of an order beside its state: the supervision's level as kept (a string's
 * first 16 characters, whole), and the callback's wait with its deadline. */
static void test_marks(void)
{
    static const struct {
        const char *body, *want;
    } levels[] = {
        {"{\"level\":\"red\"}", "red"},
        {"{\"level\":\"\"}", ""},
        {"{\"level\":5}", ""},
        {"{}", ""},
        {"{\"level\":\"abcdefghijklmnopqrstuvwxyz\"}", "abcdefghijklmnop"},
        {"{\"level\":\"红红红红红红红红红红红红红红红红红红\"}",
         "红红红红红红红红红红红红红红红红"},
    };
    char out[72];
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        json_t *body = json_loads(levels[i].body, 0, NULL);
        wg_order_supervision_level(body, out, sizeof out);
        T_EQ_STR(out, levels[i].want);
        json_decref(body);
    }
    json_t *body = json_pack("{s:s}", "level", "红红红");
    wg_order_supervision_level(body, out, 7); /* room for two characters and the NUL */
    T_EQ_STR(out, "红红");
    json_decref(body);

    struct wg_order_env env = {0}; /* no calendar: natural days */
    struct wg_order_row o = {0};
    json_t *j = json_object();
    wg_order_marks_json(&env, &o, j);
    T_EQ_INT((long long)json_object_size(j), 0); /* never supervised, not waiting */
    o.supervised = 1;
    snprintf(o.callback_since, sizeof o.callback_since, "2026-11-23T08:00:00Z");
    wg_order_marks_json(&env, &o, j);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    T_EQ_STR(text, "{\"callback\":{\"deadline\":\"2026-11-25T08:00:00Z\",\"since\":"
                   "\"2026-11-23T08:00:00Z\"},\"supervised\":{\"level\":\"\"}}");
    free(text);
    json_decref(j);
}

int main(void)
{
    struct wg_store *st;
    test_backoff();
    test_payload();
    test_marks();
    st = t_store_open("notify");
    test_outbox(st);
    test_delivery(st);
    test_worker_stop(st);
    test_reads(st); /* last: their rows stay pending */
    test_accounts_for_place(st);
    t_store_close(st);
    return T_DONE("notify");
}
