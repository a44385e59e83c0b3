/* Typed queries over the append-only audit table: read the last record, insert one, walk
 * them all, find some. Nothing here updates or deletes a record (see store.h). The hash
 * chain itself is computed and checked in domain/accounts/audit.c. */
#include "store/store.h"

#include "store/backend.h"
#include "store/accounts/accounts_q.h"
#include "store/gather.h"

int wg_db_in_tx(const struct wg_db *db)
{
    return db->in_tx;
}

struct last {
    long long seq;
    char *hash;
};

static int take_last(struct wg_row *row, void *ctx)
{
    struct last *l = ctx;
    l->seq = wg_row_int(row, 0);
    /* a hash too long to be one leaves "", and the next record cannot chain to it: verify
     * then names the tampered record */
    wg_row_copy(row, 1, l->hash, 65);
    return 1;
}

enum wg_rc wg_store_audit_last(struct wg_db *db, long long *seq, char hash[65], struct wg_err *err)
{
    struct last l = {0, hash};
    enum wg_rc rc;
    hash[0] = '\0';
    if (wg_gather_audit_last(db, seq, hash))
        return WG_OK;
    rc = wg_db_query(db, WG_Q_AUDIT_LAST, NULL, 0, take_last, &l, err);
    *seq = l.seq;
    if (!rc)
        wg_gather_audit_seen(db, l.seq, hash);
    return rc;
}

enum wg_rc wg_store_audit_insert(struct wg_db *db, const struct wg_audit_row *r, struct wg_err *err)
{
    if (wg_gather_audit_insert(db, r))
        return WG_OK;
    struct wg_val p[] = {
        WG_VINT(r->seq),     WG_VTEXT(r->at),     WG_VTEXT(r->actor),       WG_VTEXT(r->role),
        WG_VTEXT(r->source), WG_VTEXT(r->action), WG_VTEXT(r->object_type), WG_VTEXT(r->object_id),
        WG_VTEXT(r->result), WG_VTEXT(r->detail), WG_VTEXT(r->prev_hash),   WG_VTEXT(r->hash),
    };
    return wg_db_exec(db, WG_Q_AUDIT_INSERT, p, WG_NVALS(p), NULL, err);
}

struct each {
    int (*cb)(const struct wg_audit_row *, void *);
    void *ctx;
};

static int each_row(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_audit_row r = {
        .seq = wg_row_int(row, 0),
        .at = wg_row_text(row, 1),
        .actor = wg_row_text(row, 2),
        .role = wg_row_text(row, 3),
        .source = wg_row_text(row, 4),
        .action = wg_row_text(row, 5),
        .object_type = wg_row_text(row, 6),
        .object_id = wg_row_text(row, 7),
        .result = wg_row_text(row, 8),
        .detail = wg_row_text(row, 9),
        .prev_hash = wg_row_text(row, 10),
        .hash = wg_row_text(row, 11),
    };
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_audit_each(struct wg_db *db, int (*cb)(const struct wg_audit_row *, void *),
                               void *ctx, struct wg_err *err)
{
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_AUDIT_ALL, NULL, 0, each_row, &e, err);
}

enum wg_rc wg_store_audit_find(struct wg_db *db, const struct wg_audit_filter *f,
                               int (*cb)(const struct wg_audit_row *, void *), void *ctx,
                               struct wg_err *err)
{
#define ANY(s) ((s) ? (s) : "")
    struct wg_val p[] = {
        WG_VTEXT(ANY(f->actor)),     WG_VTEXT(ANY(f->action)), WG_VTEXT(ANY(f->object_type)),
        WG_VTEXT(ANY(f->object_id)), WG_VTEXT(ANY(f->since)),  WG_VTEXT(ANY(f->until)),
        WG_VINT(f->limit),           WG_VINT(f->offset),
    };
#undef ANY
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_AUDIT_FIND, p, WG_NVALS(p), each_row, &e, err);
}
