/* Typed queries over leaders' 帮包 (sponsor_q.h): stored, checked against the place's other
 * months, listed a leader's own first, their notes appended and read newest first. */
#include "store/store.h"

#include "store/alerts/sponsor_q.h"
#include "store/backend.h"

enum wg_rc wg_store_sponsor_insert(struct wg_db *db, const struct wg_sponsor_row *s, long long *id,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(s->place),    WG_VTEXT(s->leader), WG_VTEXT(s->month_from),
                         WG_VTEXT(s->month_to), WG_VTEXT(s->note),   WG_VTEXT(s->created_by),
                         WG_VINT(s->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_SPONSOR_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a sponsorship gave no id");
    return rc;
}

enum wg_rc wg_store_sponsor_overlap(struct wg_db *db, const char *place, const char *from,
                                    const char *to, long long *other, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(place), WG_VTEXT(from), WG_VTEXT(to)};
    *other = 0;
    return wg_db_query_int(db, WG_Q_SPONSOR_OVERLAP, v, WG_NVALS(v), other, NULL, err);
}

struct each {
    int (*cb)(const struct wg_sponsor_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_sponsor_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.place, sizeof r.place);
    wg_row_copy(row, 2, r.leader, sizeof r.leader);
    wg_row_copy(row, 3, r.month_from, sizeof r.month_from);
    wg_row_copy(row, 4, r.month_to, sizeof r.month_to);
    r.note = wg_row_text(row, 5);
    wg_row_copy(row, 6, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 7);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_sponsor_get(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_sponsor_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_SPONSOR_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "sponsorship %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_sponsor_list(struct wg_db *db, const struct wg_sponsor_range *q,
                                 int (*cb)(const struct wg_sponsor_row *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),     WG_VTEXT(q->hi), WG_VTEXT(q->month),
                         WG_VTEXT(q->leader), WG_VTEXT(q->me), WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_SPONSOR_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_sponsor_note(struct wg_db *db, long long sponsorship, long long at,
                                 const char *author, const char *note, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(sponsorship), WG_VINT(at), WG_VTEXT(author), WG_VTEXT(note)};
    return wg_db_exec(db, WG_Q_SPONSOR_NOTE_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each_note {
    int (*cb)(long long, const char *, const char *, void *);
    void *ctx;
};

static int take_note(struct wg_row *row, void *ctx)
{
    struct each_note *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc wg_store_sponsor_notes(struct wg_db *db, long long sponsorship, int limit,
                                  int (*cb)(long long at, const char *author, const char *note,
                                            void *ctx),
                                  void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(sponsorship), WG_VINT(limit)};
    struct each_note e = {cb, ctx};
    return wg_db_query(db, WG_Q_SPONSOR_NOTES, v, WG_NVALS(v), take_note, &e, err);
}
