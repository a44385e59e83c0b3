/* Work orders: rows, timeline events, facts, lists, the text index, photos, co-handling, lines,
 * duplicates and ratings (domain/orders/). Typed functions of the store (store/store.h) for this
 * context; only src/store/ speaks SQL. */
#ifndef WG_STORE_ORDERS_Q_H
#define WG_STORE_ORDERS_Q_H

#include <stddef.h>

#include "store/store.h"

/* ---- work orders ---- */
struct wg_order_row {
    long long id;
    char number[32];
    char county[8];
    char channel[16], type[16], item[16];
    char *title, *content, *address; /* borrowed in callbacks; owned (free) from _get */
    double lon, lat;
    int has_point;
    char crs[12];
    char grid[24];
    int grid_version;
    char urgency[12];
    char *reporter_name, *reporter_phone; /* sealed values */
    const char *reporter_phone_blind;     /* insert only */
    int anonymous, confidential;
    char state[16];
    int version;
    char unit[64];
    char created_by[64];
    char created_at[32], updated_at[32];
    long long dispatched_at, reply_deadline; /* read only: unix seconds, 0 when none */
    /* read only: supervised 1 when ever supervised (督办), with the latest level ("" when it
     * gave none); callback_since, while the order waits for its callback, when it got
     * there (ISO; "" otherwise) */
    int supervised;
    char supervision[72]; /* at most 16 characters */
    char callback_since[32];
    long long due_at; /* read only, desks' lists: the reply deadline while a unit holds the
                         order, WG_DUE_NONE otherwise (migration 29) */
};
/* due_at of an order no unit holds: after every deadline (9999-12-31T23:59:59Z) */
#define WG_DUE_NONE 253402300799LL
/* The next number of a county's day ("20261123"), from 1; inside the caller's transaction. */
enum wg_rc wg_store_order_next_number(struct wg_db *db, const char *county, const char *day,
                                      long long *out, struct wg_err *err);
enum wg_rc wg_store_order_insert(struct wg_db *db, const struct wg_order_row *o, long long *id,
                                 struct wg_err *err);
/* count order ids for rows inserted with their own (ORDER_INSERT_ROWS), ascending, into ids
 * (room for count); *n how many. Inside the writers' transaction. */
enum wg_rc wg_store_order_ids(struct wg_db *db, int count, long long *ids, int *n,
                              struct wg_err *err);
/* Fills out with owned strings; release with wg_store_order_release. */
enum wg_rc wg_store_order_get(struct wg_db *db, long long id, struct wg_order_row *out,
                              struct wg_err *err);
void wg_store_order_release(struct wg_order_row *o);

struct wg_order_event_row {
    int seq;
    const char *at, *actor, *role, *action, *from_state, *to_state, *detail;
};
enum wg_rc wg_store_order_event(struct wg_db *db, long long order_id,
                                const struct wg_order_event_row *e, struct wg_err *err);
/* A new order's first event (seq 1), which no other event can precede. */
enum wg_rc wg_store_order_event_first(struct wg_db *db, long long order_id,
                                      const struct wg_order_event_row *e, struct wg_err *err);
enum wg_rc wg_store_order_events(struct wg_db *db, long long order_id,
                                 int (*cb)(const struct wg_order_event_row *, void *), void *ctx,
                                 struct wg_err *err);

struct wg_order_filter {
    const char *scope;                  /* region or grid code prefix; "" for all */
    const char *state, *channel, *item; /* "" or NULL: any */
    const char *grid;                   /* a grid or region code prefix */
    const char *phone_blind;            /* a reporter's blind index (SQLite: through the
                                           text index's phone lookup, see catch-up) */
    const char *since, *until;          /* created_at ISO prefixes */
    const char *text;                   /* words in title or content */
    long long limit, offset;
    const char *unit; /* the lead or an assisting unit */
    const char *line; /* a special line the order went to */
    int clocked;      /* only orders whose reply clock runs (dispatched, signed, returning) */
    long long deadline_before, deadline_after; /* reply_deadline < / >= (0: any) */
    int supervised;                            /* only orders ever supervised (督办) */
    /* the desks' only (wg_store_order_desk): */
    const char *states; /* states as ",a,b," ("" or NULL: any) */
};
/* Orders matching f, newest first; text fields of the row are borrowed in cb. */
enum wg_rc wg_store_order_list(struct wg_db *db, const struct wg_order_filter *f,
                               int (*cb)(const struct wg_order_row *, void *), void *ctx,
                               struct wg_err *err);
/* The desks (migration 29). A desk's list is read as streams, each one index range in the
 * list's order after a keyset cursor; the caller merges them (domain/orders/order_desk.c).
 * Each stream takes the filter f (its limit and offset unused) and the stream's own terms. */
enum wg_desk_kind {
    WG_DESK_STATE,  /* orders in `state` of `urgency` */
    WG_DESK_UNIT,   /* those of f->unit as the lead, in `state` of `urgency` */
    WG_DESK_ASSIST, /* those f->unit assists and does not lead, in `state` of `urgency` */
    WG_DESK_SUP,    /* those ever supervised (督办), in `state` of `urgency` */
    WG_DESK_GRID,   /* those of the grid f->grid (its whole code), in f->states */
    WG_DESK_ALL,    /* every order in f->states (all when none) */
    WG_DESK_TEXT,   /* the orders with the words f->text */
    WG_DESK_PHONE,  /* a reporter's (f->phone_blind) */
};
enum wg_desk_order {
    WG_DESK_BY_DUE, /* due_at, created_at, id ascending */
    WG_DESK_BY_NEW, /* created_at, id descending */
    WG_DESK_BY_OLD, /* created_at, id ascending */
};
/* Where a stream's page starts: the rows after this one in the stream's order. */
struct wg_desk_at {
    long long due;
    const char *created_at;
    long long id;
};
struct wg_desk_stream {
    enum wg_desk_kind kind;
    const char *state, *urgency; /* "" any (only the GRID, ALL, TEXT and PHONE kinds) */
};
/* The rows of stream s after `at` in order `by`, at most limit of them; text fields of the
 * row are borrowed in cb. */
enum wg_rc wg_store_order_desk(struct wg_db *db, const struct wg_order_filter *f,
                               const struct wg_desk_stream *s, enum wg_desk_order by,
                               const struct wg_desk_at *at, long long limit,
                               int (*cb)(const struct wg_order_row *, void *), void *ctx,
                               struct wg_err *err);
/* The same rows' keys only (due_at is 0 in the creation orders): what the stream's index
 * holds, so that only the rows of the page are read after the streams are merged. */
enum wg_rc wg_store_order_desk_keys(struct wg_db *db, const struct wg_order_filter *f,
                                    const struct wg_desk_stream *s, enum wg_desk_order by,
                                    const struct wg_desk_at *at, long long limit,
                                    int (*cb)(long long id, long long due, const char *created_at,
                                              void *),
                                    void *ctx, struct wg_err *err);
/* How many rows stream s holds, counted up to cap (*n == cap: at least that many). */
enum wg_rc wg_store_order_desk_count(struct wg_db *db, const struct wg_order_filter *f,
                                     const struct wg_desk_stream *s, long long cap, long long *n,
                                     struct wg_err *err);
/* The full-text index is made behind intake (migration 19): *pending receives how many
 * orders wait for their entries (always 0 on PostgreSQL, which searches the table itself). */
enum wg_rc wg_store_order_fts_backlog(struct wg_db *db, long long *pending, struct wg_err *err);
/* When the mark is past the store's newest order (the text index's file outlived the
 * store's last commits), drops the phone lookups above the newest order and moves the mark
 * back to it, inside the caller's transaction; *dropped receives how far the mark moved. The
 * trigram entries of those orders cannot be dropped (the index keeps no text): a search's
 * LIKE turns away the order that later takes such an id. */
enum wg_rc wg_store_order_fts_trim(struct wg_db *db, long long *dropped, struct wg_err *err);
/* Makes the entries of up to limit waiting orders, oldest first, with their reporters' phone
 * lookup (migration 22), and moves the mark past them, inside the caller's transaction; *indexed
 * (may be NULL) receives how many. The connection is the text indexer's (wg_store_search_open) on
 * SQLite. */
enum wg_rc wg_store_order_fts_catchup(struct wg_db *db, int limit, int *indexed,
                                      struct wg_err *err);

/* What the order state machine remembers beside the state. */
struct wg_order_facts {
    char before_suspend[16];
    int reopened, callback_attempts;
    char self_handler[64];
    int direct_answer, extension_pending, rework_count, special_team, unreached;
    char satisfaction[24];
    long long master_id;
    long long dispatched_at, sign_deadline, reply_deadline; /* unix seconds; 0: none */
    /* the latest dispatch's contact with the reporter: due by contact_deadline (0: none owed,
     * an anonymous order); its first contact at contacted_at (0: none yet), reached or not,
     * by contact_means (phone, visit, sms, other) */
    long long contact_deadline, contacted_at;
    int contact_reached;
    char contact_means[16];
};
enum wg_rc wg_store_order_facts(struct wg_db *db, long long id, struct wg_order_facts *out,
                                struct wg_err *err);
/* Writes state, unit and facts if the order is still at `version`; *changed 0 means another
 * change came first (the caller answers 412). */
enum wg_rc wg_store_order_update(struct wg_db *db, long long id, int version, const char *state,
                                 const char *unit, const struct wg_order_facts *f, const char *now,
                                 int *changed, struct wg_err *err);

/* Open orders past their reply deadline at now and not yet supervised automatically, with
 * ids after `after`, up to limit of them in id order. */
enum wg_rc wg_store_order_overdue(struct wg_db *db, long long now, long long after, int limit,
                                  int (*cb)(long long id, int version, void *), void *ctx,
                                  struct wg_err *err);
/* Records a supervision of the order at `at` (ISO) with its level (may be ""), in the
 * caller's transaction; the latest one stands. */
enum wg_rc wg_store_order_supervision(struct wg_db *db, long long id, const char *level,
                                      const char *at, struct wg_err *err);
enum wg_rc wg_store_order_mark_supervised(struct wg_db *db, long long id, struct wg_err *err);

/* ---- photos of orders ---- */
struct wg_photo_row {
    const char *sha256, *mime, *created_by, *created_at;
    long long size;
};
/* *added 0 when the order already had this photo. */
enum wg_rc wg_store_photo_insert(struct wg_db *db, long long order_id, const char *sha256,
                                 const char *mime, long long size, const char *by, const char *at,
                                 int *added, struct wg_err *err);
enum wg_rc wg_store_photo_list(struct wg_db *db, long long order_id,
                               int (*cb)(const struct wg_photo_row *, void *), void *ctx,
                               struct wg_err *err);
/* The orders a photo belongs to (a photo can be shared by duplicates), with its type. */
enum wg_rc wg_store_photo_orders(struct wg_db *db, const char *sha256,
                                 int (*cb)(long long order_id, const char *mime, void *), void *ctx,
                                 struct wg_err *err);

/* ---- co-handling, special lines, merged duplicates (migration 14) ---- */
/* Replaces the order's assisting units with units[0..n) (in that order); inside the
 * caller's transaction. n 0 clears them. */
enum wg_rc wg_store_order_assist_set(struct wg_db *db, long long order_id, const char *const *units,
                                     size_t n, struct wg_err *err);
/* The assisting units in dispatch order, with when each signed and replied ("" when not). */
enum wg_rc wg_store_order_assist_each(struct wg_db *db, long long order_id,
                                      int (*cb)(const char *unit, const char *signed_at,
                                                const char *replied_at, void *),
                                      void *ctx, struct wg_err *err);
/* An assisting unit's signature (the first is kept) or reply (the latest; signs too). */
enum wg_rc wg_store_order_assist_mark(struct wg_db *db, long long order_id, const char *unit,
                                      int replied, const char *at, struct wg_err *err);
/* Records that the order went to a special line; *added 0 when it already had. */
enum wg_rc wg_store_order_line_add(struct wg_db *db, long long order_id, const char *line,
                                   const char *at, const char *actor, int *added,
                                   struct wg_err *err);
enum wg_rc wg_store_order_lines(struct wg_db *db, long long order_id,
                                int (*cb)(const char *line, const char *at, const char *actor,
                                          void *),
                                void *ctx, struct wg_err *err);
/* The duplicates merged into master_id with their callback facts. */
struct wg_order_child {
    long long id;
    const char *number, *satisfaction; /* borrowed; satisfaction "" until reached */
    int unreached, anonymous, callback_attempts;
};
enum wg_rc wg_store_order_children_callback(struct wg_db *db, long long master_id,
                                            int (*cb)(const struct wg_order_child *, void *),
                                            void *ctx, struct wg_err *err);

/* ---- duplicate candidates found at intake (migration 28; domain/orders/duplicates.h) ---- */
/* An order as a candidate: strings borrowed in the callback; text is the title's
 * companion, the first 200 characters of the content. */
struct wg_dup_row {
    long long id;
    const char *number, *title, *state, *grid, *text;
    int has_point;
    double lon, lat;
};
/* The window every search is bounded by: the county's numbers from lo ("county-yyyymmdd")
 * below hi ("county-~"), and created_at from since (ISO); at most limit orders, newest
 * first. cb returns nonzero to stop. */
struct wg_dup_window {
    const char *lo, *hi, *since;
    long long limit;
};
/* Orders of item whose point lies in the box [minlon, maxlon] x [minlat, maxlat], among
 * the item's newest `scan` of the window. */
enum wg_rc wg_store_dup_near(struct wg_db *db, const char *item, const struct wg_dup_window *w,
                             const double box[4], long long scan,
                             int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                             struct wg_err *err);
/* Orders whose reporter's phone has this blind index. */
enum wg_rc wg_store_dup_phone(struct wg_db *db, const char *blind, const struct wg_dup_window *w,
                              int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                              struct wg_err *err);
/* The newest orders of the window (any state). */
enum wg_rc wg_store_dup_recent(struct wg_db *db, const struct wg_dup_window *w,
                               int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                               struct wg_err *err);
/* Keeps an order's candidates (JSON text), inside the caller's transaction. */
enum wg_rc wg_store_dup_set(struct wg_db *db, long long order_id, const char *json,
                            struct wg_err *err);
/* The order's candidates as JSON text (*out owned), or NULL when it has none. */
enum wg_rc wg_store_dup_get(struct wg_db *db, long long order_id, char **out, struct wg_err *err);
/* An order as the window of candidates kept in memory holds it (domain/orders/dup_cache.h):
 * strings borrowed in the callback; item "" when it has none. */
struct wg_dup_fact {
    long long id;
    const char *county, *number, *created_at, *item, *state, *title, *text;
    int has_point;
    double lon, lat;
};
/* The highest order id (0 when none). */
enum wg_rc wg_store_dup_top(struct wg_db *db, long long *out, struct wg_err *err);
/* The orders after id `after`, by id, at most limit; cb returns nonzero to stop. */
enum wg_rc wg_store_dup_new(struct wg_db *db, long long after, long long limit,
                            int (*cb)(const struct wg_dup_fact *, void *), void *ctx,
                            struct wg_err *err);
/* The county's orders created from since (ISO), by id. */
enum wg_rc wg_store_dup_fill(struct wg_db *db, const char *county, const char *since,
                             int (*cb)(const struct wg_dup_fact *, void *), void *ctx,
                             struct wg_err *err);
/* The ids of the county's orders created from since that are merged or invalid. */
enum wg_rc wg_store_dup_dead(struct wg_db *db, const char *county, const char *since,
                             int (*cb)(long long, void *), void *ctx, struct wg_err *err);
/* The orders of ids (a JSON array of ids) as candidates, in no order, those still in the
 * window w (its lo and since; hi and limit are not used). */
enum wg_rc wg_store_dup_rows(struct wg_db *db, const char *ids, const struct wg_dup_window *w,
                             int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                             struct wg_err *err);
/* A candidate as it is now: out->title owned (free); *found 0 when the order is gone. */
struct wg_dup_info {
    char number[32], state[16], grid[24], county[8];
    char *title;
};
enum wg_rc wg_store_dup_info(struct wg_db *db, long long id, struct wg_dup_info *out, int *found,
                             struct wg_err *err);

/* The resident's own rating of an order (one at most). */
struct wg_rating_row {
    char satisfaction[24];
    int resolved;
    char comment[1024];
    char rated_at[32];
};
/* *found 0 when the order has no rating (out is then zeroed). */
enum wg_rc wg_store_rating_get(struct wg_db *db, long long order_id, struct wg_rating_row *out,
                               int *found, struct wg_err *err);
enum wg_rc wg_store_rating_insert(struct wg_db *db, long long order_id,
                                  const struct wg_rating_row *r, struct wg_err *err);

#endif
