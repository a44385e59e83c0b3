/* The intake benchmark: the real `wangge serve` on a free loopback port over a fresh data
 * directory (test divisions, a generated 10x10 grid map, one agent), driven by a load
 * generator of its own (one thread, epoll, N keep-alive connections, bounded in requests
 * and seconds) with authenticated POST /api/v1/orders — located, numbered, sealed, audited,
 * durably committed — then `note` transitions with If-Match on the orders it created. Then
 * every order answered 201 is looked up in the store: present, with its number and
 * timeline, and no order the clients were not told about. The reference, in the same run by
 * the same generator: nginx (Debian's) started here unprivileged on its own loopback port
 * with a temporary config, answering a fixed ~100-byte JSON body. Everything talks to
 * 127.0.0.1 only. Exits non-zero when an answered order is missing or wrong. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "store/store.h"
#include "store/orders/orders_q.h"

#define PASSWORD "Bench-pass-2026"
#define NBODIES  512
#define NGINX_BODY                                                                                 \
    "{\"status\":\"ok\",\"service\":\"reference\",\"message\":\"a fixed answer of about one "      \
    "hundred bytes\"}"

struct opts {
    const char *bin, *nginx, *divisions;
    int conns, threads, keep;
    double seconds;
    long max_requests;
    int postgresql, servers; /* a private PostgreSQL as the store; how many servers on it */
    char store[512];         /* its URL ("": SQLite's in the data directory) */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char pgdir[] = "/tmp/wgpg-bench-XXXXXX";
static int pg_started;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "intake: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    if (pg_started) { /* the private cluster goes with the run */
        char cmd[128];
        snprintf(cmd, sizeof cmd, "scripts/pg.sh stop %s >/dev/null 2>&1", pgdir);
        if (system(cmd))
            fprintf(stderr, "intake: could not stop the cluster in %s\n", pgdir);
    }
    exit(2);
}

/* ---- child processes ---- */

/* Runs argv to completion, output to log (appended); returns the exit status. */
static int run(char *const argv[], const char *log)
{
    pid_t pid = fork();
    int status = 0;
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Starts argv with stdout on a pipe and stderr to log; returns the pid and the read end. */
static pid_t spawn(char *const argv[], const char *log, int *out_fd)
{
    int p[2];
    pid_t pid;
    if (pipe(p))
        die("pipe: %s", strerror(errno));
    if ((pid = fork()) < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(p[1], 1);
        if (fd >= 0)
            dup2(fd, 2);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    *out_fd = p[0];
    return pid;
}

static int stop(pid_t pid)
{
    int status = 0;
    kill(pid, SIGTERM);
    for (int i = 0; i < 2000; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
}

static unsigned free_port(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
        getsockname(fd, (struct sockaddr *)&sa, &len))
        die("no free loopback port: %s", strerror(errno));
    close(fd);
    return ntohs(sa.sin_port);
}

static int connect_to(unsigned port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* ---- a blocking HTTP call, for the setup ---- */

static int http_call(unsigned port, const char *method, const char *path, const char *token,
                     const char *body, char *resp, size_t cap)
{
    char req[4096];
    size_t got = 0;
    ssize_t n;
    int fd = connect_to(port), status = 0;
    if (fd < 0)
        return -1;
    int len = snprintf(req, sizeof req,
                       "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       "%s%s%sContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       method, path, token ? "Authorization: Bearer " : "", token ? token : "",
                       token ? "\r\n" : "", body ? strlen(body) : 0, body ? body : "");
    if (write(fd, req, (size_t)len) != len) {
        close(fd);
        return -1;
    }
    while (got + 1 < cap && (n = read(fd, resp + got, cap - 1 - got)) > 0)
        got += (size_t)n;
    resp[got] = '\0';
    close(fd);
    if (strncmp(resp, "HTTP/1.1 ", 9) == 0)
        status = (int)strtol(resp + 9, NULL, 10);
    char *b = strstr(resp, "\r\n\r\n");
    if (b)
        memmove(resp, b + 4, strlen(b + 4) + 1);
    return status;
}

/* ---- the load generator ---- */

enum phase { CREATE, NOTE, NGINX };

struct conn {
    int fd;
    char out[8192];
    size_t out_len, out_off;
    char in[65536];
    size_t in_len;
    double t0;
    long long order; /* the order a note is for */
};

struct answered {
    long long id;
    char number[32];
};

struct load {
    enum phase phase;
    unsigned port, ports[4]; /* the servers', connections spread over them (0: port) */
    int nconn;
    double seconds;
    long max;
    const char *token;
    /* results */
    long started, done, ok, bad, io_errors;
    uint32_t *lat_us;
    double elapsed;
    /* create: the bodies to send and the answers */
    char *bodies[NBODIES];
    struct answered *orders;
    long norders;
    /* note: which created order comes next */
    long next_note;
    char first_bad[256];
};

static void make_request(struct load *L, struct conn *c)
{
    char *buf = c->out;
    size_t cap = sizeof c->out;
    const char *body;
    int n;
    if (L->phase == NGINX) {
        n = snprintf(buf, cap, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    } else if (L->phase == CREATE) {
        body = L->bodies[L->started % NBODIES];
        n = snprintf(buf, cap,
                     "POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     L->token, strlen(body), body);
    } else {
        body = "{\"note\":\"已电话联系反映人，正在核实\"}";
        c->order = L->orders[L->next_note++ % L->norders].id;
        n = snprintf(buf, cap,
                     "POST /api/v1/orders/%lld/actions/note HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                     "If-Match: \"1\"\r\nContent-Length: %zu\r\n\r\n%s",
                     c->order, L->token, strlen(body), body);
    }
    c->out_len = (size_t)n;
    c->out_off = 0;
    c->in_len = 0;
    c->t0 = now();
    L->started++;
}

/* Writes what it can; 0 when all sent, 1 when the socket is full, -1 on error. */
static int flush(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0 && errno == EAGAIN)
            return 1;
        if (n <= 0)
            return -1;
        c->out_off += (size_t)n;
    }
    return 0;
}

/* A complete answer in c->in: its status and body; 0 when more is needed. */
static int parse(struct conn *c, int *status, const char **body, size_t *blen, size_t *total)
{
    char *end;
    const char *p;
    size_t head, clen = 0;
    c->in[c->in_len] = '\0';
    if (!(end = strstr(c->in, "\r\n\r\n")))
        return 0;
    head = (size_t)(end - c->in) + 4;
    for (p = strstr(c->in, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n"))
        if (!strncasecmp(p + 2, "Content-Length:", 15))
            clen = (size_t)strtoul(p + 17, NULL, 10);
    if (c->in_len < head + clen)
        return 0;
    *status = (int)strtol(c->in + 9, NULL, 10);
    *body = c->in + head;
    *blen = clen;
    *total = head + clen;
    return 1;
}

static void on_answer(struct load *L, struct conn *c, int status, const char *body)
{
    int good = L->phase == CREATE ? status == 201 : status == 200;
    if (good && L->phase == CREATE) {
        const char *id = strstr(body, "\"id\":"), *num = strstr(body, "\"number\":\"");
        struct answered *a = &L->orders[L->norders];
        if (id && num) {
            a->id = strtoll(id + 5, NULL, 10);
            snprintf(a->number, sizeof a->number, "%.*s", (int)strcspn(num + 10, "\""), num + 10);
            L->norders++;
        } else {
            good = 0;
        }
    }
    if (good) {
        L->ok++;
    } else {
        if (!L->bad)
            snprintf(L->first_bad, sizeof L->first_bad, "%d %.200s", status, body);
        L->bad++;
    }
    (void)c;
}

static void drive(struct load *L)
{
    struct conn *conns = calloc((size_t)L->nconn, sizeof *conns);
    struct epoll_event ev, evs[256];
    int ep = epoll_create1(0), open_conns = 0;
    double start = now(), deadline = start + L->seconds, hard = deadline + 30;
    L->started = L->done = L->ok = L->bad = L->io_errors = 0;
    for (int i = 0; i < L->nconn; i++) {
        struct conn *c = &conns[i];
        unsigned port = L->phase != NGINX && L->ports[i % 4] ? L->ports[i % 4] : L->port;
        if ((c->fd = connect_to(port)) < 0) {
            char why[128];
            snprintf(why, sizeof why, "127.0.0.1:%u: %s", port, strerror(errno));
            die("cannot connect to %s", why);
        }
        fcntl(c->fd, F_SETFL, O_NONBLOCK);
        ev.events = EPOLLIN;
        ev.data.ptr = c;
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
        open_conns++;
        if (L->started < L->max) {
            make_request(L, c);
            if (flush(c) == 1) {
                ev.events = EPOLLIN | EPOLLOUT;
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
            }
        }
    }
    while (L->done < L->started && now() < hard) {
        int n = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (evs[i].events & EPOLLOUT) {
                int r = flush(c);
                if (r == 0) {
                    ev.events = EPOLLIN;
                    ev.data.ptr = c;
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            ssize_t got = read(c->fd, c->in + c->in_len, sizeof c->in - 1 - c->in_len);
            if (got < 0 && errno == EAGAIN)
                continue;
            if (got <= 0) { /* the server closed: the answer in flight is lost */
                L->io_errors++;
                L->done++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                open_conns--;
                continue;
            }
            c->in_len += (size_t)got;
            int status;
            const char *body;
            size_t blen, total;
            if (!parse(c, &status, &body, &blen, &total)) {
                if (c->in_len >= sizeof c->in - 1)
                    die("an answer larger than %s", "64 KiB");
                continue;
            }
            double t = now();
            uint32_t us = (uint32_t)((t - c->t0) * 1e6);
            L->lat_us[L->done++] = us;
            on_answer(L, c, status, body);
            if (L->started < L->max && t < deadline) {
                make_request(L, c);
                if (flush(c) == 1) {
                    ev.events = EPOLLIN | EPOLLOUT;
                    ev.data.ptr = c;
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
        }
    }
    L->elapsed = now() - start;
    for (int i = 0; i < L->nconn; i++)
        if (conns[i].fd >= 0)
            close(conns[i].fd);
    (void)open_conns;
    close(ep);
    free(conns);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

struct figures {
    double rate, p50, p99, max;
};

static struct figures report(const char *what, struct load *L)
{
    struct figures f = {0};
    if (L->done) {
        qsort(L->lat_us, (size_t)L->done, sizeof *L->lat_us, cmp_u32);
        f.p50 = L->lat_us[L->done / 2] / 1000.0;
        f.p99 = L->lat_us[(size_t)((double)L->done * 0.99)] / 1000.0;
        f.max = L->lat_us[L->done - 1] / 1000.0;
    }
    f.rate = L->ok / L->elapsed;
    printf("%-11s %8.0f/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%ld ok, %ld other, %ld "
           "lost connections, %d connections, %.1f s)\n",
           what, f.rate, f.p50, f.p99, f.max, L->ok, L->bad, L->io_errors, L->nconn, L->elapsed);
    if (L->bad)
        printf("            first other answer: %s\n", L->first_bad);
    return f;
}

/* CPU time a process has used so far (user and system, all its threads), in µs, from
 * /proc; 0 where that cannot be read. */
static double cpu_us(pid_t pid)
{
    char path[64], line[1024];
    unsigned long long ut = 0, stime = 0;
    FILE *f;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    char *p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
    fclose(f);
    /* after the command's ")": state is field 3, utime 14 and stime 15 */
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &stime) != 2)
        return 0;
    return (double)(ut + stime) * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

/* The same for one of the server's named threads: the group commit's writer and flusher,
 * the text indexer; -1 when the server has no thread of that name. */
static const char *const named[] = {"wg-writer", "wg-flusher", "wg-indexer"};
#define NNAMED (sizeof named / sizeof named[0])

static double thread_cpu_us(pid_t pid, const char *want)
{
    char path[96], name[32];
    for (int tid = pid; tid < pid + 4096; tid++) {
        snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)pid, tid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        int is = fgets(name, sizeof name, f) && !strncmp(name, want, strlen(want));
        fclose(f);
        if (is) {
            char stat[96], line[1024];
            unsigned long long ut = 0, st = 0;
            snprintf(stat, sizeof stat, "/proc/%d/task/%d/stat", (int)pid, tid);
            if (!(f = fopen(stat, "r")))
                return 0;
            char *p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
            fclose(f);
            if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
                             &st) != 2)
                return 0;
            return (double)(ut + st) * 1e6 / (double)sysconf(_SC_CLK_TCK);
        }
    }
    return -1;
}

/* CPU time of every PostgreSQL process on the machine (the bench's private cluster is the
 * only one running), in µs. */
static double postgres_cpu_us(void)
{
    char path[300], name[32];
    double sum = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (fgets(name, sizeof name, f) && !strncmp(name, "postgres", 8))
            sum += cpu_us((pid_t)strtol(e->d_name, NULL, 10));
        fclose(f);
    }
    if (d)
        closedir(d);
    return sum;
}

struct cpu {
    double server, self, thread[NNAMED], database;
};

static pid_t servers[4];
static int nservers = 1, measure_db;

static struct cpu cpu_now(pid_t srv)
{
    struct cpu c = {cpu_us(srv), cpu_us(getpid()), {0}, measure_db ? postgres_cpu_us() : 0};
    for (int s = 1; s < nservers; s++)
        c.server += cpu_us(servers[s]);
    for (size_t i = 0; i < NNAMED; i++)
        c.thread[i] = thread_cpu_us(srv, named[i]);
    return c;
}

static void report_cpu(const char *what, struct cpu a, struct cpu b, long n)
{
    if (n <= 0)
        return;
    printf("            CPU per %s: server %.0f µs", what, (b.server - a.server) / (double)n);
    for (size_t i = 0; i < NNAMED; i++)
        if (a.thread[i] >= 0 && b.thread[i] >= 0)
            printf("%s%s %.0f", i ? ", " : " (", named[i] + 3,
                   (b.thread[i] - a.thread[i]) / (double)n);
    printf("%s, load generator %.0f µs", a.thread[0] >= 0 ? ")" : "",
           (b.self - a.self) / (double)n);
    if (measure_db)
        printf(", PostgreSQL %.0f µs", (b.database - a.database) / (double)n);
    printf("\n");
}

/* ---- the data directory ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        die("cannot write %s", path);
}

/* 10 x 10 squares of 0.002 degrees near Linyi: rows 0-4 in village 371302001001, rows 5-9
 * in village 371302001002. */
static void write_grids(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
    for (int r = 0; r < 10; r++)
        for (int k = 0; k < 10; k++) {
            double x = 118.30 + k * 0.002, y = 35.00 + r * 0.002;
            fprintf(f,
                    "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"37130200100%d%03d\","
                    "\"name\":\"第%d网格\",\"kind\":\"base\"},\"geometry\":{\"type\":\"Polygon\","
                    "\"coordinates\":[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,"
                    "%.3f]]]}}",
                    r || k ? "," : "", r < 5 ? 1 : 2, (r % 5) * 10 + k + 1, r * 10 + k + 1, x, y,
                    x + 0.002, y, x + 0.002, y + 0.002, x, y + 0.002, x, y);
        }
    fputs("]}\n", f);
    fclose(f);
}

static const char *const titles[] = {"噪声扰民", "路灯不亮", "占道经营", "垃圾清运不及时",
                                     "井盖缺失", "违章停车", "供暖不热", "小区漏水"};
static const char *const contents[] = {
    "楼下烧烤店每天半夜很吵，油烟也大，希望有关部门尽快处理。",
    "小区门口的路灯已经坏了一个星期，晚上出行很不方便，老人孩子容易摔倒。",
    "菜市场东侧人行道被摊贩占用，行人只能走机动车道，存在安全隐患。",
    "垃圾桶已经满了三天没人清运，气味很大，夏天蚊蝇很多，请尽快安排。",
};
static const char *const items[] = {"06028", "2108", "09006", ""};

static void make_bodies(char *bodies[NBODIES])
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < NBODIES; i++) {
        char buf[2048];
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        int cell = (int)(s % 100);
        double lon = 118.30 + (cell % 10) * 0.002 + 0.0002 + (double)((s >> 20) % 1600) * 1e-6,
               lat = 35.00 + (cell / 10) * 0.002 + 0.0002 + (double)((s >> 40) % 1600) * 1e-6;
        const char *item = items[i % 4];
        int n = snprintf(buf, sizeof buf,
                         "{\"channel\":\"hotline\",\"type\":\"complaint\",%s%s%s\"title\":\"%s\","
                         "\"content\":\"%s（第%d次反映）\",\"address\":\"兰山区东关社区%d号楼\","
                         "\"lon\":%.6f,\"lat\":%.6f,\"urgency\":\"normal\","
                         "\"reporter\":{\"name\":\"张%s\",\"phone\":\"138%08d\"}}",
                         *item ? "\"item\":\"" : "", item, *item ? "\"," : "", titles[i % 8],
                         contents[i % 4], i + 1, i % 40 + 1, lon, lat, i % 2 ? "三" : "丽",
                         (int)(s % 100000000));
        bodies[i] = malloc((size_t)n + 1);
        memcpy(bodies[i], buf, (size_t)n + 1);
    }
}

/* The store's option for a command, after its own words ("--store" "URL", or nothing). */
#define STORE_ARGS(o) *(o)->store ? "--store" : NULL, (char *)(o)->store, NULL

static void prepare_data(const struct opts *o, const char *dir, const char *log)
{
    char path[4200], pw[4200];
    snprintf(pw, sizeof pw, "%s/bench.pw", dir);
    write_file(pw, "Initial-pass-1\n");
    char *init[] = {(char *)o->bin, "init", "--data", (char *)dir, STORE_ARGS(o)};
    char *divs[] = {(char *)o->bin,       "import",     "divisions", "--data",
                    (char *)dir,          "--county",   "371302",    "--source",
                    (char *)o->divisions, STORE_ARGS(o)};
    snprintf(path, sizeof path, "%s/grids.geojson", dir);
    write_grids(path);
    char *grids[] = {(char *)o->bin, "import", "grids", "--data", (char *)dir, path, STORE_ARGS(o)};
    char *user[] = {(char *)o->bin,
                    "user",
                    "add",
                    "--data",
                    (char *)dir,
                    "--username",
                    "bench",
                    "--role",
                    "agent",
                    "--scope",
                    "371302",
                    "--password-file",
                    pw,
                    STORE_ARGS(o)};
    if (run(init, log) || run(divs, log) || run(grids, log) || run(user, log))
        die("preparing the data directory failed; see %s", log);
}

/* Logs in as the bench agent and sets its own password; returns the token (owned). */
static char *login(unsigned port)
{
    char resp[65536], *token;
    json_t *j;
    int st =
        http_call(port, "POST", "/api/v1/session", NULL,
                  "{\"username\":\"bench\",\"password\":\"Initial-pass-1\"}", resp, sizeof resp);
    if (st != 201 || !(j = json_loads(resp, 0, NULL)))
        die("login failed: %s", resp);
    token = strdup(json_string_value(json_object_get(j, "token")));
    json_decref(j);
    st = http_call(port, "PUT", "/api/v1/me/password", token,
                   "{\"old_password\":\"Initial-pass-1\",\"new_password\":\"" PASSWORD "\"}", resp,
                   sizeof resp);
    if (st != 200)
        die("password change failed: %s", resp);
    return token;
}

/* ---- checking the store ---- */

static int check_store(const char *dir, const struct answered *a, long n, long *extra)
{
    /* dir: the data directory, or the store's URL */
    struct wg_store *st;
    struct wg_db *db;
    struct wg_err err = {0};
    long long max_id = 0;
    int bad = 0;
    if (wg_store_open(dir, 0, &st, &err) || wg_store_get(st, &db, &err))
        die("cannot open the store: %s", err.msg);
    for (long i = 0; i < n; i++) {
        struct wg_order_row o;
        if (wg_store_order_get(db, a[i].id, &o, &err)) {
            if (bad++ < 5)
                fprintf(stderr, "intake: order %lld answered 201 is missing: %s\n", a[i].id,
                        err.msg);
            continue;
        }
        if (strcmp(o.number, a[i].number) && bad++ < 5)
            fprintf(stderr, "intake: order %lld is %s in the store, answered as %s\n", a[i].id,
                    o.number, a[i].number);
        wg_store_order_release(&o);
        if (a[i].id > max_id)
            max_id = a[i].id;
    }
    /* nothing was created that no client heard of */
    *extra = 0;
    for (long long id = max_id + 1;; id++) {
        struct wg_order_row o;
        if (wg_store_order_get(db, id, &o, &err))
            break;
        wg_store_order_release(&o);
        ++*extra;
    }
    wg_store_put(db);
    wg_store_close(st);
    return bad;
}

/* ---- nginx ---- */

static pid_t start_nginx(const struct opts *o, const char *dir, unsigned port)
{
    char conf[4200], text[4096], log[4200];
    int fd;
    snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
    snprintf(log, sizeof log, "%s/nginx.log", dir);
    snprintf(text, sizeof text,
             "daemon off;\nmaster_process on;\nworker_processes 2;\npid %s/nginx.pid;\n"
             "error_log %s/nginx-error.log;\n%s"
             "events { worker_connections 1024; }\n"
             "http {\n  access_log off;\n  keepalive_requests 1000000;\n"
             "  client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s;\n"
             "  uwsgi_temp_path %s; scgi_temp_path %s;\n"
             "  server {\n    listen 127.0.0.1:%u;\n    location / {\n"
             "      default_type application/json;\n      return 200 '%s';\n    }\n  }\n}\n",
             dir, dir, geteuid() == 0 ? "user nobody nogroup;\n" : "", dir, dir, dir, dir, dir,
             port, NGINX_BODY);
    write_file(conf, text);
    char *argv[] = {(char *)o->nginx, "-p", (char *)dir, "-c", conf, "-e", log, NULL};
    pid_t pid = spawn(argv, log, &fd);
    close(fd);
    for (int i = 0; i < 500; i++) { /* until it answers */
        char resp[1024];
        if (http_call(port, "GET", "/", NULL, NULL, resp, sizeof resp) == 200)
            return pid;
        usleep(10000);
    }
    stop(pid);
    return -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: intake [--connections N] [--seconds S] [--max-requests N] "
                    "[--threads N] [--bin PATH] [--nginx PATH] [--keep] "
                    "[--postgresql [--servers N]]\n");
    exit(2);
}

/* The options, over the defaults in o; a bad one prints the usage and exits. */
static void parse_args(int argc, char **argv, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--keep"))
            o->keep = 1;
        else if (!strcmp(a, "--postgresql"))
            o->postgresql = 1;
        else if (!v)
            usage();
        else if (!strcmp(a, "--connections") && ++i)
            o->conns = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--seconds") && ++i)
            o->seconds = strtod(v, NULL);
        else if (!strcmp(a, "--max-requests") && ++i)
            o->max_requests = strtol(v, NULL, 10);
        else if (!strcmp(a, "--threads") && ++i)
            o->threads = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--bin") && ++i)
            o->bin = v;
        else if (!strcmp(a, "--nginx") && ++i)
            o->nginx = v;
        else if (!strcmp(a, "--servers") && ++i)
            o->servers = (int)strtol(v, NULL, 10);
        else
            usage();
    }
    if (o->conns < 1 || o->conns > 1000 || o->seconds <= 0 || o->seconds > 120 ||
        o->max_requests < 1 || o->max_requests > 10000000 || o->servers < 1 || o->servers > 4 ||
        (o->servers > 1 && !o->postgresql))
        usage();
}

/* Starts `wangge serve` over dir on a free loopback port and waits for it to listen;
 * returns its pid, with the port and the read end of its stdout. */
static pid_t start_server(const struct opts *o, char *dir, const char *log, unsigned *port,
                          int *out_fd)
{
    char port_s[64], threads[16];
    *port = free_port();
    snprintf(port_s, sizeof port_s, "127.0.0.1:%u", *port);
    snprintf(threads, sizeof threads, "%d", o->threads);
    char *serve[] = {(char *)o->bin, "serve",     "--data", dir,       "--listen",
                     port_s,         "--threads", threads,  "--quiet", STORE_ARGS(o)};
    pid_t srv = spawn(serve, log, out_fd);
    char line[256] = "";
    ssize_t got = read(*out_fd, line, sizeof line - 1);
    if (got <= 0 || !strstr(line, "listening on"))
        die("the server did not start; see %s", log);
    return srv;
}

/* The load generator's settings and room for the answers, for the server's phases. */
static void load_init(struct load *L, const struct opts *o, unsigned port, const char *token)
{
    memset(L, 0, sizeof *L);
    L->port = port;
    L->nconn = o->conns;
    L->seconds = o->seconds;
    L->max = o->max_requests;
    L->token = token;
    L->lat_us = calloc((size_t)o->max_requests, sizeof *L->lat_us);
    L->orders = calloc((size_t)o->max_requests, sizeof *L->orders);
    make_bodies(L->bodies);
}

/* The server's two phases: creates, then a note on each order created (at most as many as
 * a phase allows), with the server's CPU per request. Returns how many orders were
 * created. */
static long server_phases(const struct opts *o, pid_t srv, struct load *L, struct figures *create,
                          struct figures *note)
{
    struct cpu c0 = cpu_now(srv);
    L->phase = CREATE;
    drive(L);
    *create = report("create", L);
    long created = L->norders;
    struct cpu c1 = cpu_now(srv);
    report_cpu("create", c0, c1, L->ok);

    L->phase = NOTE;
    L->max = created < o->max_requests ? created : o->max_requests;
    L->seconds = o->seconds;
    if (L->max > 0)
        drive(L);
    *note = report("note", L);
    report_cpu("note", c1, cpu_now(srv), L->ok);
    return created;
}

/* The reference: nginx answering a fixed body, driven the same way; zero figures when
 * nginx is not there. */
static struct figures reference(const struct opts *o, const char *dir, struct load *L)
{
    struct figures ngx = {0};
    unsigned nport = free_port();
    pid_t npid = access(o->nginx, X_OK) ? -1 : start_nginx(o, dir, nport);
    if (npid > 0) {
        L->phase = NGINX;
        L->port = nport;
        L->max = o->max_requests;
        L->seconds = o->seconds;
        drive(L);
        ngx = report("nginx", L);
        stop(npid);
    } else {
        printf("nginx: not available at %s (scripts/deps.sh installs it); no ratio\n", o->nginx);
    }
    return ngx;
}

/* ---- PostgreSQL: a private cluster, and pgbench's single-row inserts as the reference ---- */

static void pg_cluster(struct opts *o, const char *verb, const char *log)
{
    char *argv[] = {"scripts/pg.sh", (char *)verb, pgdir, NULL};
    pg_started = !strcmp(verb, "start");
    if (run(argv, log))
        die("scripts/pg.sh failed; see %s", log);
    snprintf(o->store, sizeof o->store, "postgresql:///wangge?host=%s&user=wangge", pgdir);
}

/* pgbench, same machine, same cluster, as many clients as the load has connections: each
 * transaction one INSERT of a row into a table with a bigserial key, synchronous commit on
 * (the cluster's setting). Its transactions per second; 0 when it cannot run. */
static double pgbench(const struct opts *o, const char *dir)
{
    char script[4300], cmd[9000], line[512];
    double tps = 0;
    snprintf(script, sizeof script, "%s/insert.sql", dir);
    write_file(script, "INSERT INTO bench_insert(v, note) VALUES (random(), 'reference');\n");
    snprintf(cmd, sizeof cmd,
             "psql -q '%s' -c 'CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, "
             "v double precision, note text, at timestamptz DEFAULT now())' && "
             "/usr/lib/postgresql/15/bin/pgbench -n -c %d -j 2 -T %d -f '%s' '%s' 2>&1",
             o->store, o->conns, (int)(o->seconds + 0.5), script, o->store);
    FILE *f = popen(cmd, "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "tps = ", 6))
            tps = strtod(line + 6, NULL);
    if (f)
        pclose(f);
    printf("pgbench    %8.0f/s  single-row INSERTs, %d clients, synchronous commit, same cluster\n",
           tps, o->conns);
    return tps;
}

int main(int argc, char **argv)
{
    struct opts o = {"build/release/wangge",
                     "/usr/sbin/nginx",
                     "tests/data/divisions",
                     64,
                     2,
                     0,
                     5.0,
                     400000,
                     0,
                     1,
                     ""};
    char dir[] = "/tmp/wangge-bench-intake-XXXXXX", log[256];
    struct load L;
    int failed = 0;
    parse_args(argc, argv, &o);
    signal(SIGPIPE, SIG_IGN);
    if (access(o.bin, X_OK))
        die("%s is not built; run make", o.bin);
    if (!mkdtemp(dir))
        die("mkdtemp: %s", strerror(errno));
    snprintf(log, sizeof log, "%s/bench.log", dir);
    double t0 = now();
    if (o.postgresql) {
        if (!mkdtemp(pgdir))
            die("mkdtemp: %s", strerror(errno));
        pg_cluster(&o, "start", log);
        measure_db = 1;
    }
    prepare_data(&o, dir, log);
    printf("data: %s (divisions of 371302, 100 grids, one agent) in %.1f s; store: %s\n", dir,
           now() - t0, o.postgresql ? "PostgreSQL 15, a private cluster" : "SQLite");

    /* the servers, one store */
    unsigned port;
    int out_fd[4];
    nservers = o.servers;
    memset(&L, 0, sizeof L);
    for (int i = 0; i < nservers; i++)
        servers[i] = start_server(&o, dir, log, i ? &L.ports[i] : &port, &out_fd[i]);
    char *token = login(port);
    unsigned ports[4];
    memcpy(ports, L.ports, sizeof ports);
    load_init(&L, &o, port, token);
    if (nservers > 1) {
        memcpy(L.ports, ports, sizeof ports);
        L.ports[0] = port;
    }
    printf("load: %d keep-alive connections from one epoll thread, at most %ld requests or "
           "%.0f s a phase; %d server%s with %d threads\n",
           o.conns, o.max_requests, o.seconds, nservers, nservers > 1 ? "s" : "", o.threads);
    struct figures create, note;
    long created = server_phases(&o, servers[0], &L, &create, &note);
    for (int i = 0; i < nservers; i++) {
        int st = stop(servers[i]);
        close(out_fd[i]);
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            fprintf(stderr, "intake: a server did not stop cleanly (status %d); see %s\n", st, log);
    }

    long extra = 0;
    t0 = now();
    int missing = check_store(o.postgresql ? o.store : dir, L.orders, created, &extra);
    printf("check: %ld orders answered 201, %d missing or wrong, %ld in the store no client "
           "was told of (%.1f s)\n",
           created, missing, extra, now() - t0);
    failed |= missing != 0;

    struct figures ngx = reference(&o, dir, &L);
    if (ngx.rate > 0)
        printf("ratio to nginx: create %.3f (%.1f%%), note %.3f\n", create.rate / ngx.rate,
               100 * create.rate / ngx.rate, note.rate / ngx.rate);
    if (o.postgresql) {
        double tps = pgbench(&o, dir);
        if (tps > 0)
            printf("ratio to pgbench: create %.2f\n", create.rate / tps);
        printf("goal: >= 10000 durable creates/s on PostgreSQL with %d servers: %s (%.0f/s)\n",
               nservers, create.rate >= 10000 ? "met" : "not met", create.rate);
        pg_cluster(&o, "stop", log);
    } else {
        printf("goal: >= 20000 created orders/s with p99 < 20 ms: %s (%.0f/s, p99 %.2f ms)\n",
               create.rate >= 20000 && create.p99 < 20 ? "met" : "not met", create.rate,
               create.p99);
    }
    if (!o.keep) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd))
            fprintf(stderr, "intake: could not remove %s\n", dir);
    } else {
        printf("kept: %s\n", dir);
    }
    for (int i = 0; i < NBODIES; i++)
        free(L.bodies[i]);
    free(L.lat_us);
    free(L.orders);
    free(token);
    if (failed)
        fprintf(stderr, "intake: FAILED: answered orders are missing from the store\n");
    return failed;
}
