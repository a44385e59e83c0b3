/* The outgoing HTTP client: URL checks and status lines (table-driven), then POSTs to a
 * scripted listener on 127.0.0.1 that answers with raw bytes: statuses, redirects not
 * followed, bodies that never end, silence, garbage, a stop from another thread, TLS. */
#include "t.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "http/client.h"

static void test_url_parse(void)
{
    static const struct {
        const char *url, *scheme, *host, *port, *path, *authority;
    } good[] = {
        {"http://127.0.0.1:8081/hook", "http", "127.0.0.1", "8081", "/hook", "127.0.0.1:8081"},
        {"http://relay", "http", "relay", "80", "/", "relay"},
        {"http://relay.local/a/b?x=1&y=2", "http", "relay.local", "80", "/a/b?x=1&y=2",
         "relay.local"},
        {"http://[::1]:9000/h", "http", "::1", "9000", "/h", "[::1]:9000"},
        {"http://[::1]/", "http", "::1", "80", "/", "[::1]"},
        {"HTTP://Relay:80/", "http", "Relay", "80", "/", "Relay"},
        {"http://h?x=1", "http", "h", "80", "/?x=1", "h"},
        {"http://notify_relay-1.internal:65535/p%20q", "http", "notify_relay-1.internal", "65535",
         "/p%20q", "notify_relay-1.internal:65535"},
        {"http://h:00080/", "http", "h", "80", "/", "h"},
        /* https: refused while the client spoke plain TCP only, accepted with libcurl */
        {"https://hooks.example.com/x", "https", "hooks.example.com", "443", "/x",
         "hooks.example.com"},
        {"HTTPS://h:8443", "https", "h", "8443", "/", "h:8443"},
        {"https://h:80/?t=1", "https", "h", "80", "/?t=1", "h:80"},
        {"http://h:443/", "http", "h", "443", "/", "h:443"},
        {"https://[::1]:443/a", "https", "::1", "443", "/a", "[::1]"},
    };
    static const struct {
        const char *url, *word;
    } bad[] = {
        {"", "empty"},
        {"ftp://h/", "http://"},
        {"ftps://h/", "https://"},
        {"httpss://h/", "http://"},
        {"h:80/x", "http://"},
        {"http://", "no host"},
        {"https://", "no host"},
        {"http://:80/", "no host"},
        {"http://h:0/", "port"},
        {"http://h:65536/", "port"},
        {"http://h:/", "port"},
        {"http://h:8a/", "port"},
        {"http://h:123456/", "port"},
        {"http://u:p@h/", "credentials"},
        {"https://token@h/", "credentials"},
        {"http://h/a b", "space"},
        {"http://h/\r\nX-Injected: 1", "control"},
        {"http://h/#frag", "fragment"},
        {"http://[::1/", "unclosed"},
        {"http://[zz]/", "IPv6"},
        {"http://[::1]x/", "after ']'"},
        {"http://h!st/", "host name"},
        {"http://h/\xc3\xa9", "non-ASCII"},
    };
    char longurl[WG_HTTP_URL_MAX + 10], label[64];
    struct wg_http_url u;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct wg_err err = {0};
        T_EQ_INT(wg_http_url_parse(good[i].url, &u, &err), WG_OK);
        T_EQ_STR(u.scheme, good[i].scheme);
        T_EQ_STR(u.host, good[i].host);
        T_EQ_STR(u.port, good[i].port);
        T_EQ_STR(u.path, good[i].path);
        T_EQ_STR(u.authority, good[i].authority);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_err err = {0};
        T_EQ_INT(wg_http_url_parse(bad[i].url, &u, &err), WG_EINVAL);
        if (!strstr(err.msg, bad[i].word))
            fprintf(stderr, "url '%s': message '%s' lacks '%s'\n", bad[i].url, err.msg,
                    bad[i].word);
        T_CHECK(strstr(err.msg, bad[i].word) != NULL);
    }
    memset(longurl, 'a', sizeof longurl - 1);
    memcpy(longurl, "http://h/", 9);
    longurl[sizeof longurl - 1] = '\0';
    T_EQ_INT(wg_http_url_parse(longurl, &u, NULL), WG_EINVAL);
    T_EQ_INT(wg_http_url_parse(NULL, &u, NULL), WG_EINVAL);
    /* a label leaves the query, which may hold a token, out */
    T_EQ_INT(wg_http_url_parse("HTTPS://h:8443/hook?token=secret", &u, NULL), WG_OK);
    wg_http_url_label(&u, label, sizeof label);
    T_EQ_STR(label, "https://h:8443/hook");
}

static void test_status_line(void)
{
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\n", 200},
        {"HTTP/1.0 500 Internal Server Error\r\nServer: x\r\n", 500},
        {"HTTP/1.1 204\r\n", 204},
        {"HTTP/1.1 404 Not Found\n", 404},
        {"HTTP/1.1 302 Found\r\n", 302},
        {"HTTP/1.1 20", 0},
        {"HTTP/1.", 0},
        {"HTT", 0},
        {"", 0},
        {"SSH-2.0-OpenSSH_9.2\r\n", -1},
        {"<html>", -1},
        {"HTTP/1.1 2000 X\r\n", -1},
        {"HTTP/1.1 099 X\r\n", -1},
        {"HTTP/1.1 600 X\r\n", -1},
        {"HTTP/2 200\r\n", -1},
        {"HTTP/1.1 2x0 OK\r\n", -1},
        {"HTTP/1.1  200 OK\r\n", -1},
        {"HTTP/1.1 200\r", 0},
        {"Content-Length: 2\r\n", -1}, /* the header lines libcurl hands over beside it */
    };
    char junk[400];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = wg_http_status_parse(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fprintf(stderr, "status line '%s'\n", cases[i].text);
        T_EQ_INT(got, cases[i].want);
    }
    memset(junk, 'x', sizeof junk);
    memcpy(junk, "HTTP/1.1 200 ", 13);
    T_EQ_INT(wg_http_status_parse(junk, sizeof junk), -1); /* no end of line in sight */
}

/* ---- a listener on 127.0.0.1 answering one connection with raw bytes ---- */

struct listener {
    int fd, port;
    const char *answer; /* sent once the request is in; NULL: nothing */
    size_t answer_len;  /* 0: strlen(answer) */
    int keep_open;      /* 1: after answering, read until the client hangs up */
    char got[8192];     /* the request as it came */
    size_t ngot;
    atomic_int served;
    pthread_t thread;
};

/* Whether buf holds a whole request: a head, then Content-Length bytes. */
static int complete(const char *buf, size_t n)
{
    const char *end = memmem(buf, n, "\r\n\r\n", 4), *cl;
    if (!end)
        return 0;
    cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
    return !cl || n >= (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10);
}

static void *listen_once(void *arg)
{
    struct listener *l = arg;
    int c = accept(l->fd, NULL, NULL);
    char sink[4096];
    if (c < 0)
        return NULL;
    /* what arrives within a short while, or a whole request: a TLS hello has no end */
    for (;;) {
        struct pollfd p = {c, POLLIN, 0};
        ssize_t r;
        if (poll(&p, 1, 300) <= 0)
            break;
        r = recv(c, l->got + l->ngot, sizeof l->got - 1 - l->ngot, 0);
        if (r <= 0)
            break;
        l->ngot += (size_t)r;
        if (complete(l->got, l->ngot) || l->ngot == sizeof l->got - 1)
            break;
    }
    l->got[l->ngot] = '\0';
    atomic_store(&l->served, 1);
    if (l->answer &&
        send(c, l->answer, l->answer_len ? l->answer_len : strlen(l->answer), MSG_NOSIGNAL) < 0)
        perror("send");
    while (l->keep_open && recv(c, sink, sizeof sink, 0) > 0)
        ;
    close(c);
    return NULL;
}

static void listener_start(struct listener *l)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&a, sizeof a) || listen(l->fd, 8) ||
        getsockname(l->fd, (struct sockaddr *)&a, &len)) {
        perror("listener");
        exit(1);
    }
    l->port = ntohs(a.sin_port);
    pthread_create(&l->thread, NULL, listen_once, l);
}

static void listener_stop(struct listener *l)
{
    pthread_join(l->thread, NULL);
    close(l->fd);
}

/* POSTs body to scheme://127.0.0.1:port/hook?token=secret; returns the client's code. */
static enum wg_rc post(const char *scheme, int port, int timeout_ms, const atomic_int *abort,
                       int *status, struct wg_err *err)
{
    static const char *const headers[] = {"Content-Type: application/json", "X-Test: 1"};
    char text[128];
    struct wg_http_url u;
    struct wg_http_post req = {.url = &u,
                               .body = "{\"a\":1}",
                               .len = 7,
                               .headers = headers,
                               .nheaders = 2,
                               .connect_timeout_ms = timeout_ms,
                               .timeout_ms = timeout_ms,
                               .abort = abort};
    snprintf(text, sizeof text, "%s://127.0.0.1:%d/hook?token=secret", scheme, port);
    T_EQ_INT(wg_http_url_parse(text, &u, err), WG_OK);
    return wg_http_post(&req, status, err);
}

static double elapsed(uint64_t t0)
{
    return (double)(wg_clock_us() - t0) / 1e6;
}

static void test_answers(void)
{
    static const struct {
        const char *answer;
        int keep_open, status;
        const char *word; /* in the message when there is no status */
    } cases[] = {
        {"HTTP/1.1 204 No Content\r\n\r\n", 0, 204, NULL},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 1, 200, NULL},
        {"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", 0, 503, NULL},
        /* an interim answer is not the answer */
        {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 201,
         NULL},
        /* a redirect is the answer: not followed (nothing listens on port 1) */
        {"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n", 0, 302,
         NULL},
        /* the status decides; a body that never ends holds nobody */
        {"HTTP/1.1 200 OK\r\n\r\nstill writing", 1, 200, NULL},
        {"HTTP/1.1 202 OK\r\nContent-Length: 99999\r\n\r\nsome", 1, 202, NULL},
        {"SSH-2.0-OpenSSH_9.2\r\n", 0, 0, "not HTTP"},
        {NULL, 0, 0, "without an answer"},
        {NULL, 1, 0, "timed out waiting for the answer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct listener l = {.answer = cases[i].answer, .keep_open = cases[i].keep_open};
        struct wg_err err = {0};
        int status = -1;
        uint64_t t0 = wg_clock_us();
        enum wg_rc rc;
        listener_start(&l);
        rc = post("http", l.port, 1500, NULL, &status, &err);
        listener_stop(&l);
        if (cases[i].status) {
            T_EQ_INT(rc, WG_OK);
            T_EQ_INT(status, cases[i].status);
            T_CHECK(elapsed(t0) < 1.4); /* before the timeout, whatever the body does */
        } else {
            T_EQ_INT(rc, WG_EIO);
            T_EQ_INT(status, 0);
            if (!strstr(err.msg, cases[i].word))
                fprintf(stderr, "case %zu: message '%s' lacks '%s'\n", i, err.msg, cases[i].word);
            T_CHECK(strstr(err.msg, cases[i].word) != NULL);
            T_CHECK(strstr(err.msg, "secret") == NULL);
        }
    }
}

static void test_request(void)
{
    struct listener l = {.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"};
    struct wg_err err = {0};
    char want[64];
    int status = 0;
    listener_start(&l);
    T_EQ_INT(post("http", l.port, 2000, NULL, &status, &err), WG_OK);
    listener_stop(&l);
    T_EQ_INT(status, 200);
    T_CHECK(!strncmp(l.got, "POST /hook?token=secret HTTP/1.1\r\n", 34));
    snprintf(want, sizeof want, "\r\nHost: 127.0.0.1:%d\r\n", l.port);
    T_CHECK(strstr(l.got, want) != NULL);
    T_CHECK(strstr(l.got, "\r\nContent-Type: application/json\r\n") != NULL);
    T_CHECK(strstr(l.got, "\r\nX-Test: 1\r\n") != NULL);
    T_CHECK(strstr(l.got, "\r\nUser-Agent: wangge\r\n") != NULL);
    T_CHECK(strstr(l.got, "\r\nContent-Length: 7\r\n") != NULL);
    T_CHECK(strstr(l.got, "\r\nConnection: close\r\n") != NULL);
    T_CHECK(strstr(l.got, "Expect") == NULL);
    T_CHECK(strstr(l.got, "\r\n\r\n{\"a\":1}") != NULL);
}

/* A GET whose answer is kept (the geocoder's): the whole body, even after the status came;
 * a body longer than the room is an error, not a cut answer. */
static void test_get_answer(void)
{
    static const char body[] = "{\"status\":\"0\",\"location\":{\"lon\":118.35,\"lat\":35.06}}";
    char answer[512], room[16], text[128], head[160];
    struct wg_err err = {0};
    struct wg_http_url u;
    int status = 0;
    snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", strlen(body),
             body);
    for (int small = 0; small < 2; small++) {
        struct listener l = {.answer = head};
        struct wg_http_answer a = {small ? room : answer,
                                   small ? sizeof room - 1 : sizeof answer - 1, 0};
        listener_start(&l);
        snprintf(text, sizeof text, "http://127.0.0.1:%d/geocoder?ds=%%7B%%7D&tk=abc", l.port);
        T_EQ_INT(wg_http_url_parse(text, &u, &err), WG_OK);
        struct wg_http_post req = {
            .get = 1, .answer = &a, .url = &u, .connect_timeout_ms = 2000, .timeout_ms = 2000};
        enum wg_rc rc = wg_http_post(&req, &status, &err);
        listener_stop(&l);
        T_CHECK(!strncmp(l.got, "GET /geocoder?ds=%7B%7D&tk=abc HTTP/1.1\r\n", 41));
        T_CHECK(strstr(l.got, "Content-Length") == NULL);
        if (small) {
            T_EQ_INT(rc, WG_EIO);
            T_CHECK(strstr(err.msg, "answered more than 15 bytes") != NULL);
        } else {
            T_EQ_INT(rc, WG_OK);
            T_EQ_INT(status, 200);
            T_EQ_STR(answer, body);
            T_EQ_INT((long long)a.len, (long long)strlen(body));
        }
    }
    char *e = wg_http_escape("{\"keyWord\":\"兰山 路\"}&x");
    T_EQ_STR(e, "%7B%22keyWord%22%3A%22%E5%85%B0%E5%B1%B1%20%E8%B7%AF%22%7D%26x");
    free(e);
}

struct stopper {
    struct listener *l;
    atomic_int flag;
};

/* Sets the flag once the listener has the request: a stop in the middle of an exchange. */
static void *stop_soon(void *arg)
{
    struct stopper *s = arg;
    while (!atomic_load(&s->l->served))
        usleep(10000);
    usleep(100000);
    atomic_store(&s->flag, 1);
    return NULL;
}

static void test_stop_and_failures(void)
{
    struct listener l = {.keep_open = 1};
    struct stopper s = {.l = &l};
    struct wg_err err = {0};
    pthread_t t;
    uint64_t t0;
    int status = 0, port;
    /* a stop ends a silent exchange within a slice or two, not at its timeout */
    listener_start(&l);
    pthread_create(&t, NULL, stop_soon, &s);
    t0 = wg_clock_us();
    T_EQ_INT(post("http", l.port, 20000, &s.flag, &status, &err), WG_EIO);
    T_CHECK(elapsed(t0) < 1.5);
    T_CHECK(strstr(err.msg, "stopped") != NULL);
    pthread_join(t, NULL);
    listener_stop(&l);
    /* already stopped: over at once */
    t0 = wg_clock_us();
    T_EQ_INT(post("http", l.port, 20000, &s.flag, &status, &err), WG_EIO);
    T_CHECK(elapsed(t0) < 1.0);
    /* https speaks TLS: the listener sees a handshake record (0x16, version 3.x), not a
     * request line, and the client reports the failed handshake */
    l = (struct listener){0};
    listener_start(&l);
    T_EQ_INT(post("https", l.port, 2000, NULL, &status, &err), WG_EIO);
    listener_stop(&l);
    T_CHECK(l.ngot > 5 && (unsigned char)l.got[0] == 0x16 && l.got[1] == 3);
    T_CHECK(strstr(l.got, "POST") == NULL);
    if (!strstr(err.msg, "TLS"))
        fprintf(stderr, "https: '%s'\n", err.msg);
    T_CHECK(strstr(err.msg, "TLS") != NULL);
    /* nobody listening: refused, in the system's words */
    port = l.port;
    T_EQ_INT(post("http", port, 2000, NULL, &status, &err), WG_EIO);
    T_CHECK(strstr(err.msg, "cannot connect") != NULL);
    T_CHECK(strstr(err.msg, "refused") != NULL);
    T_EQ_INT(wg_http_client_init(&err), WG_OK); /* again: still once */
}

int main(void)
{
    test_url_parse();
    test_status_line();
    test_answers();
    test_request();
    test_get_answer();
    test_stop_and_failures();
    return T_DONE("http_client");
}
