/* Logging: one line per event, with a UTC timestamp and a level, to stderr — or to a file a
 * server opens with wg_log_open and opens again on SIGHUP (after logrotate moved it). A
 * line is plain text ("2026-11-23T08:01:02.345Z info serving ...") or, with the JSON
 * format, one JSON object ({"time":..., "level":..., "msg":...}, a request's fields beside
 * them), as log collectors take them. Every line is one write(2), so lines from threads
 * never interleave. */
#ifndef WG_CORE_LOG_H
#define WG_CORE_LOG_H

#include "core/err.h"

enum wg_log_level { WG_LOG_DEBUG, WG_LOG_INFO, WG_LOG_WARN, WG_LOG_ERROR };
enum wg_log_format { WG_LOG_TEXT, WG_LOG_JSON };

void wg_log(enum wg_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The access log's line of one request: method, path, status and duration. */
void wg_log_request(const char *method, const char *path, int status, unsigned long long us,
                    int aborted);

void wg_log_set_format(enum wg_log_format f);
/* From now on the log, and whatever else the process writes to stderr, goes to the end of
 * the file at path (made 0640 when new). */
enum wg_rc wg_log_open(const char *path, struct wg_err *err);
/* Opens wg_log_open's file again by its name, so that a file logrotate renamed is left
 * behind and a new one begins; the log stays where it was when that fails. Nothing to do
 * (WG_OK) when the log is stderr. */
enum wg_rc wg_log_reopen(struct wg_err *err);
/* The file wg_log_open was given; "" when the log is stderr. */
const char *wg_log_path(void);

#define wg_info(...)  wg_log(WG_LOG_INFO, __VA_ARGS__)
#define wg_warn(...)  wg_log(WG_LOG_WARN, __VA_ARGS__)
#define wg_error(...) wg_log(WG_LOG_ERROR, __VA_ARGS__)
#define wg_debug(...) wg_log(WG_LOG_DEBUG, __VA_ARGS__)

#endif
