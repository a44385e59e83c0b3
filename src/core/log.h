/* Logging to stderr: one line per event, with a UTC timestamp and a level. */
#ifndef WG_CORE_LOG_H
#define WG_CORE_LOG_H

enum wg_log_level { WG_LOG_DEBUG, WG_LOG_INFO, WG_LOG_WARN, WG_LOG_ERROR };

void wg_log(enum wg_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define wg_info(...)  wg_log(WG_LOG_INFO, __VA_ARGS__)
#define wg_warn(...)  wg_log(WG_LOG_WARN, __VA_ARGS__)
#define wg_error(...) wg_log(WG_LOG_ERROR, __VA_ARGS__)
#define wg_debug(...) wg_log(WG_LOG_DEBUG, __VA_ARGS__)

#endif
