/* The log (log.h): lines as text or JSON, one write(2) each to stderr's descriptor, which
 * wg_log_open and wg_log_reopen point at the log file. */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/utf8.h"

#define LINE_MAX_BYTES 8192

static atomic_int format = WG_LOG_TEXT;
static char log_path[4096]; /* set once, before the server's threads start */

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void wg_log_set_format(enum wg_log_format f)
{
    atomic_store(&format, (int)f);
}

const char *wg_log_path(void)
{
    return log_path;
}

/* A line being built in a fixed buffer (a log line is never worth an allocation). Escaped
 * text stops ESCAPED_ROOM bytes before the end, so the JSON around it always fits whole. */
#define ESCAPED_ROOM 256
struct line {
    char s[LINE_MAX_BYTES];
    size_t n;
};

/* n bytes, or none when they do not fit (with the newline after them). */
static void put(struct line *l, const char *p, size_t n)
{
    if (l->n + n + 2 > sizeof l->s)
        return;
    memcpy(l->s + l->n, p, n);
    l->n += n;
}

static void puts_(struct line *l, const char *p)
{
    put(l, p, strlen(p));
}

/* s as the inside of a JSON string: quotes, backslashes and control characters escaped, a
 * byte that starts no UTF-8 sequence (a path may hold any) written as U+FFFD. */
static void put_escaped(struct line *l, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && l->n + ESCAPED_ROOM < sizeof l->s) {
        char u[8];
        size_t k = wg_utf8_seq(p, SIZE_MAX, NULL);
        if (*p == '"' || *p == '\\') {
            u[0] = '\\';
            u[1] = (char)*p;
            put(l, u, 2);
        } else if (*p < 0x20) {
            snprintf(u, sizeof u, "\\u%04x", *p);
            put(l, u, 6);
        } else if (!k) {
            puts_(l, "\\ufffd");
            k = 1;
        } else {
            put(l, (const char *)p, k);
        }
        p += k ? k : 1;
    }
}

static void put_time(struct line *l)
{
    struct timeval tv;
    struct tm tm;
    char t[40];
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    snprintf(t, sizeof t, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
    puts_(l, t);
}

/* The line's head: the time, the level and the message. */
static void begin(struct line *l, enum wg_log_level lvl, const char *msg, int json)
{
    l->n = 0;
    if (!json) {
        put_time(l);
        puts_(l, " ");
        puts_(l, level_names[lvl]);
        puts_(l, " ");
        puts_(l, msg);
        return;
    }
    puts_(l, "{\"time\":\"");
    put_time(l);
    puts_(l, "\",\"level\":\"");
    puts_(l, level_names[lvl]);
    puts_(l, "\",\"msg\":\"");
    put_escaped(l, msg);
    puts_(l, "\"");
}

static void finish(struct line *l, int json)
{
    if (json)
        l->s[l->n++] = '}';
    l->s[l->n++] = '\n';
    for (size_t off = 0; off < l->n;) {
        ssize_t w = write(STDERR_FILENO, l->s + off, l->n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere to say it */
        off += (size_t)w;
    }
}

void wg_log(enum wg_log_level lvl, const char *fmt, ...)
{
    char msg[2048];
    struct line l;
    va_list ap;
    int json = atomic_load(&format) == WG_LOG_JSON;
    if (lvl < WG_LOG_INFO) /* debug lines are for a developer's build */
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    begin(&l, lvl, msg, json);
    finish(&l, json);
}

void wg_log_request(const char *method, const char *path, int status, unsigned long long us,
                    int aborted)
{
    char msg[2048], f[96];
    struct line l;
    int json = atomic_load(&format) == WG_LOG_JSON;
    snprintf(msg, sizeof msg, "%s %s %d %lluus%s", method, path, status, us,
             aborted ? " (aborted)" : "");
    begin(&l, WG_LOG_INFO, msg, json);
    if (json) {
        puts_(&l, ",\"method\":\"");
        put_escaped(&l, method);
        puts_(&l, "\",\"path\":\"");
        put_escaped(&l, path);
        snprintf(f, sizeof f, "\",\"status\":%d,\"duration_us\":%llu%s", status, us,
                 aborted ? ",\"aborted\":true" : "");
        puts_(&l, f);
    }
    finish(&l, json);
}

/* Points stderr at the end of the file at path. */
static enum wg_rc point_at(const char *path, struct wg_err *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return wg_err_set(err, WG_EIO, "cannot open the log file '%s': %s", path, strerror(errno));
    /* atomic: a line written meanwhile lands whole in the old file or the new */
    if (dup2(fd, STDERR_FILENO) < 0) {
        enum wg_rc rc = wg_err_set(err, WG_EIO, "cannot log to '%s': %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    close(fd);
    return WG_OK;
}

enum wg_rc wg_log_open(const char *path, struct wg_err *err)
{
    enum wg_rc rc;
    if (!path || !*path)
        return wg_err_set(err, WG_EINVAL, "log_file: no file named");
    if (strlen(path) >= sizeof log_path)
        return wg_err_set(err, WG_EINVAL, "log_file: the path is too long");
    if ((rc = point_at(path, err)))
        return rc;
    snprintf(log_path, sizeof log_path, "%s", path);
    return WG_OK;
}

enum wg_rc wg_log_reopen(struct wg_err *err)
{
    return log_path[0] ? point_at(log_path, err) : WG_OK;
}
