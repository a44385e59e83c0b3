/* Typed queries over the delivery outbox: enqueue, the worker's atomic claim and its
 * outcome, and a recipient's own list. The rules (backoff, dead letters) are in
 * domain/notify/notify.c; this file only moves rows. */
#include "store/store.h"

#include "store/backend.h"
#include "store/notify/notify_q.h"
#include "store/gather.h"

enum wg_rc wg_store_outbox_insert(struct wg_db *db, const struct wg_outbox_row *r, long long *id,
                                  struct wg_err *err)
{
    struct wg_val p[] = {
        WG_VTEXT(r->recipient),  WG_VTEXT(r->channel),
        WG_VTEXT(r->kind),       r->order_id ? WG_VINT(r->order_id) : WG_VNULL,
        WG_VTEXT(r->payload),    WG_VINT(r->next_attempt_at),
        WG_VTEXT(r->created_at),
    };
    enum wg_rc rc;
    *id = 0;
    if (wg_gather_outbox(db, r))
        return WG_OK;
    rc = wg_db_query_int(db, WG_Q_OUTBOX_INSERT, p, WG_NVALS(p), id, NULL, err);
    if (!rc && !*id)
        return wg_err_set(err, WG_EDB, "outbox insert returned no id");
    return rc;
}

struct each {
    int (*cb)(const struct wg_outbox_row *, void *);
    void *ctx;
    int n;
    int with_read; /* the row has a 13th column: read by the reader */
};

static int each_row(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_outbox_row r = {
        .id = wg_row_int(row, 0),
        .recipient = wg_row_text(row, 1),
        .channel = wg_row_text(row, 2),
        .kind = wg_row_text(row, 3),
        .order_id = wg_row_int(row, 4),
        .payload = wg_row_text(row, 5),
        .state = wg_row_text(row, 6),
        .attempts = (int)wg_row_int(row, 7),
        .next_attempt_at = wg_row_int(row, 8),
        .last_error = wg_row_text(row, 9),
        .created_at = wg_row_text(row, 10),
        .delivered_at = wg_row_text(row, 11),
        .read = e->with_read ? (int)wg_row_int(row, 12) : 0,
    };
    e->n++;
    return e->cb ? e->cb(&r, e->ctx) : 0;
}

enum wg_rc wg_store_outbox_claim(struct wg_db *db, long long now, long long lease_until,
                                 int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                                 int *claimed, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(lease_until), WG_VINT(now)};
    struct each e = {cb, ctx, 0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_OUTBOX_CLAIM, p, WG_NVALS(p), each_row, &e, err);
    *claimed = !rc && e.n > 0;
    return rc;
}

enum wg_rc wg_store_outbox_delivered(struct wg_db *db, long long id, const char *at, int *changed,
                                     struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(at), WG_VINT(id)};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_OUTBOX_DELIVERED, p, WG_NVALS(p), &n, err);
    *changed = n > 0;
    return rc;
}

enum wg_rc wg_store_outbox_failed(struct wg_db *db, long long id, const char *state,
                                  long long next_attempt_at, const char *error, int *changed,
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(state), WG_VINT(next_attempt_at), WG_VTEXT0(error), WG_VINT(id)};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_OUTBOX_FAILED, p, WG_NVALS(p), &n, err);
    *changed = n > 0;
    return rc;
}

enum wg_rc wg_store_outbox_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_OUTBOX_GET, p, 1, each_row, &e, err);
    if (!rc && !e.n)
        return wg_err_set(err, WG_ENOTFOUND, "notification %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_outbox_list(struct wg_db *db, const struct wg_outbox_reader *who, int unread,
                                long long limit, long long offset,
                                int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(who->a), WG_VTEXT(who->b ? who->b : ""),
                         WG_VTEXT(who->a), WG_VINT(unread ? 1 : 0),
                         WG_VINT(limit),   WG_VINT(offset)};
    struct each e = {cb, ctx, 0, 1};
    return wg_db_query(db, WG_Q_OUTBOX_LIST, p, WG_NVALS(p), each_row, &e, err);
}

enum wg_rc wg_store_outbox_unread(struct wg_db *db, const struct wg_outbox_reader *who,
                                  long long *n, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(who->a), WG_VTEXT(who->b ? who->b : ""), WG_VTEXT(who->a)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_OUTBOX_UNREAD, p, WG_NVALS(p), n, NULL, err);
}

enum wg_rc wg_store_outbox_owned(struct wg_db *db, const struct wg_outbox_reader *who, long long id,
                                 int *owned, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(who->a), WG_VTEXT(who->b ? who->b : ""), WG_VINT(id)};
    long long n = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_OUTBOX_OWNED, p, WG_NVALS(p), &n, NULL, err);
    *owned = !rc && n > 0;
    return rc;
}

enum wg_rc wg_store_outbox_mark_read(struct wg_db *db, const struct wg_outbox_reader *who,
                                     long long id, const char *at, long long *marked,
                                     struct wg_err *err)
{
    struct wg_val one[] = {WG_VTEXT(who->a), WG_VINT(id), WG_VTEXT(at)};
    struct wg_val all[] = {WG_VTEXT(who->a), WG_VTEXT(who->b ? who->b : ""), WG_VTEXT(who->a),
                           WG_VTEXT(at)};
    long n = 0;
    enum wg_rc rc = id > 0 ? wg_db_exec(db, WG_Q_OUTBOX_MARK_READ, one, WG_NVALS(one), &n, err)
                           : wg_db_exec(db, WG_Q_OUTBOX_MARK_ALL, all, WG_NVALS(all), &n, err);
    if (marked)
        *marked = rc ? 0 : n;
    return rc;
}

struct names {
    int (*cb)(const char *, void *);
    void *ctx;
};

static int each_name(struct wg_row *row, void *ctx)
{
    struct names *n = ctx;
    return n->cb(wg_row_text(row, 0), n->ctx);
}

enum wg_rc wg_store_accounts_for_place(struct wg_db *db, const char *role, const char *place,
                                       long long max, int (*cb)(const char *username, void *),
                                       void *ctx, struct wg_err *err)
{
    /* the place and each ancestor: region codes are prefixes of their descendants' at
     * these lengths (domain/map/region.h); "" is the whole deployment */
    static const size_t lens[] = {2, 4, 6, 9, 12, 15, 18};
    char codes[7][20];
    struct wg_val p[10];
    struct names n = {cb, ctx};
    size_t len = strlen(place), k = 0;
    p[k++] = WG_VTEXT(role);
    p[k++] = WG_VTEXT("");
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        /* a length the place does not reach repeats "" */
        if (lens[i] <= len && lens[i] < sizeof codes[i])
            snprintf(codes[i], sizeof codes[i], "%.*s", (int)lens[i], place);
        else
            codes[i][0] = '\0';
        p[k++] = WG_VTEXT(codes[i]);
    }
    p[k++] = WG_VINT(max);
    return wg_db_query(db, WG_Q_ACCOUNT_FOR_PLACE, p, k, each_name, &n, err);
}

struct backlog {
    long long pending, sending;
};

static int backlog_row(struct wg_row *row, void *ctx)
{
    struct backlog *b = ctx;
    char state[16];
    wg_row_copy(row, 0, state, sizeof state);
    if (!strcmp(state, "pending"))
        b->pending = wg_row_int(row, 1);
    else if (!strcmp(state, "sending"))
        b->sending = wg_row_int(row, 1);
    return 0;
}

enum wg_rc wg_store_outbox_backlog(struct wg_db *db, long long *pending, long long *sending,
                                   struct wg_err *err)
{
    struct backlog b = {0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_OUTBOX_BACKLOG, NULL, 0, backlog_row, &b, err);
    *pending = b.pending;
    *sending = b.sending;
    return rc;
}
