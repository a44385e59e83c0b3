/* The residents' portal: appeals by tracking code and throttle counters (domain/portal/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_PORTAL_Q_H
#define WG_STORE_PORTAL_Q_H

#include "store/store.h"

/* ---- the residents' portal (domain/portal/portal.h) ---- */
/* An appeal filed through the portal: its tracking code's SHA-256 (hex) and its order. */
enum wg_rc wg_store_portal_appeal_insert(struct wg_db *db, const char *code_hash,
                                         long long order_id, const char *portal_type,
                                         const char *source, const char *at, struct wg_err *err);
/* WG_ENOTFOUND when no appeal has the code. portal_type receives at most 16 bytes. */
enum wg_rc wg_store_portal_appeal_find(struct wg_db *db, const char *code_hash, long long *order_id,
                                       char portal_type[16], struct wg_err *err);
/* Throttle counters: hits of key in fixed window win (a number the caller derives from the
 * time), kept until expires (unix seconds). _take adds one and answers the new count. */
enum wg_rc wg_store_throttle_hits(struct wg_db *db, const char *key, long long win, long *hits,
                                  struct wg_err *err);
enum wg_rc wg_store_throttle_take(struct wg_db *db, const char *key, long long win,
                                  long long expires, long *hits, struct wg_err *err);
enum wg_rc wg_store_throttle_prune(struct wg_db *db, long long now, struct wg_err *err);

#endif
