/* Typed queries over dispute cases (dispute_q.h): numbered per county and day, stored with
 * their parties sealed and their timelines. */
#include "store/store.h"

#include "store/backend.h"
#include "store/disputes/dispute_q.h"

enum wg_rc wg_store_dispute_number_next(struct wg_db *db, const char *county, const char *day,
                                        long long *seq, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(county), WG_VTEXT(day)};
    return wg_db_query_int(db, WG_Q_DISPUTE_NUMBER_NEXT, v, WG_NVALS(v), seq, NULL, err);
}

enum wg_rc wg_store_dispute_insert(struct wg_db *db, const struct wg_dispute_row *r, long long now,
                                   long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(r->number),
                         WG_VTEXT(r->county),
                         WG_VTEXT(r->source),
                         WG_VTEXT(r->type),
                         WG_VTEXT(r->risk),
                         WG_VTEXT(r->description),
                         WG_VINT(r->amount_fen),
                         WG_VINT(r->people),
                         WG_VTEXT(r->grid),
                         r->has_point ? WG_VREAL(r->lon) : WG_VNULL,
                         r->has_point ? WG_VREAL(r->lat) : WG_VNULL,
                         WG_VINT(r->order_id),
                         WG_VTEXT(r->state),
                         WG_VTEXT(r->level),
                         WG_VTEXT(r->end_level),
                         WG_VTEXT(r->taken_by),
                         WG_VINT(r->agreed_at),
                         WG_VTEXT(r->created_by),
                         WG_VINT(now),
                         WG_VINT(r->clock_at),
                         WG_VINT(r->due_at)};
    return wg_db_query_int(db, WG_Q_DISPUTE_INSERT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_dispute_party_insert(struct wg_db *db, long long dispute,
                                         const struct wg_dispute_party_row *p, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(dispute),     WG_VINT(p->pos),        WG_VTEXT(p->role),
                         WG_VTEXT(p->id_type), WG_VTEXT(p->id_number), WG_VTEXT(p->id_blind),
                         WG_VTEXT(p->name),    WG_VTEXT(p->phone),     WG_VTEXT(p->phone_blind)};
    return wg_db_exec(db, WG_Q_DISPUTE_PARTY_INSERT, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_dispute_event_insert(struct wg_db *db, long long dispute,
                                         const struct wg_dispute_event_row *e, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(dispute),        WG_VINT(e->seq),       WG_VINT(e->at),
                         WG_VTEXT(e->actor),      WG_VTEXT(e->role),     WG_VTEXT(e->action),
                         WG_VTEXT(e->from_state), WG_VTEXT(e->to_state), WG_VTEXT(e->level),
                         WG_VTEXT(e->detail)};
    return wg_db_exec(db, WG_Q_DISPUTE_EVENT_INSERT, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_dispute_step(struct wg_db *db, const struct wg_dispute_row *r,
                                 const struct wg_dispute_event_row *e, long long now,
                                 struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(r->id),          WG_VTEXT(r->state),
                         WG_VTEXT(r->level),      WG_VTEXT(r->end_level),
                         WG_VTEXT(r->taken_by),   WG_VINT(r->agreed_at),
                         WG_VINT(r->version),     WG_VINT(now),
                         WG_VINT(r->clock_at),    WG_VINT(r->due_at),
                         WG_VINT(r->accepted_at), WG_VINT(r->supervised),
                         WG_VINT(r->body),        WG_VTEXT(r->mediator)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_DISPUTE_STEP, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "dispute case %lld changed since version %lld was read: read it again",
                          r->id, r->version);
    struct wg_val w[] = {WG_VINT(r->id),        WG_VINT(e->at),      WG_VTEXT(e->actor),
                         WG_VTEXT(e->role),     WG_VTEXT(e->action), WG_VTEXT(e->from_state),
                         WG_VTEXT(e->to_state), WG_VTEXT(e->level),  WG_VTEXT(e->detail)};
    return rc ? rc : wg_db_exec(db, WG_Q_DISPUTE_EVENT_NEXT, w, WG_NVALS(w), NULL, err);
}

struct each {
    int (*cb)(const struct wg_dispute_row *, void *);
    void *ctx;
    int rows;
};

struct each_party {
    int (*cb)(const struct wg_dispute_party_row *, void *);
    void *ctx;
};

struct each_event {
    int (*cb)(const struct wg_dispute_event_row *, void *);
    void *ctx;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_dispute_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.number, sizeof r.number);
    wg_row_copy(row, 2, r.county, sizeof r.county);
    wg_row_copy(row, 3, r.source, sizeof r.source);
    wg_row_copy(row, 4, r.type, sizeof r.type);
    wg_row_copy(row, 5, r.risk, sizeof r.risk);
    r.description = wg_row_text(row, 6);
    r.amount_fen = wg_row_int(row, 7);
    r.people = (int)wg_row_int(row, 8);
    wg_row_copy(row, 9, r.grid, sizeof r.grid);
    r.has_point = !wg_row_isnull(row, 10) && !wg_row_isnull(row, 11);
    r.lon = r.has_point ? wg_row_real(row, 10) : 0;
    r.lat = r.has_point ? wg_row_real(row, 11) : 0;
    r.order_id = wg_row_int(row, 12);
    wg_row_copy(row, 13, r.state, sizeof r.state);
    wg_row_copy(row, 14, r.level, sizeof r.level);
    wg_row_copy(row, 15, r.end_level, sizeof r.end_level);
    wg_row_copy(row, 16, r.taken_by, sizeof r.taken_by);
    r.agreed_at = wg_row_int(row, 17);
    r.version = wg_row_int(row, 18);
    wg_row_copy(row, 19, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 20);
    r.updated_at = wg_row_int(row, 21);
    r.clock_at = wg_row_int(row, 22);
    r.due_at = wg_row_int(row, 23);
    r.accepted_at = wg_row_int(row, 24);
    r.supervised = (int)wg_row_int(row, 25);
    r.body = wg_row_int(row, 26);
    wg_row_copy(row, 27, r.body_name, sizeof r.body_name);
    wg_row_copy(row, 28, r.mediator, sizeof r.mediator);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_dispute_get(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_DISPUTE_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_dispute_list(struct wg_db *db, const struct wg_dispute_filter *f, int by_due,
                                 long long at, long long id, int limit,
                                 int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(f->lo),        WG_VTEXT(f->hi),    WG_VTEXT(f->state),
                         WG_VTEXT(f->risk),      WG_VTEXT(f->level), WG_VTEXT(f->mediator),
                         WG_VINT(f->overdue_at), WG_VINT(at),        WG_VINT(id),
                         WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, by_due ? WG_Q_DISPUTE_LIST_DUE : WG_Q_DISPUTE_LIST, v, WG_NVALS(v), take,
                       &e, err);
}

enum wg_rc wg_store_dispute_code_set(struct wg_db *db, long long id, const char *hash,
                                     struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(hash)};
    return wg_db_exec(db, WG_Q_DISPUTE_CODE_SET, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_dispute_by_code(struct wg_db *db, const char *hash,
                                    int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(hash)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_DISPUTE_BY_CODE, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "no dispute case has this code");
    return rc;
}

struct each_due {
    int (*cb)(long long id, long long version, void *);
    void *ctx;
};

static int take_due(struct wg_row *row, void *ctx)
{
    struct each_due *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_int(row, 1), e->ctx);
}

enum wg_rc wg_store_dispute_overdue(struct wg_db *db, long long now, int limit,
                                    int (*cb)(long long id, long long version, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(now), WG_VINT(limit)};
    struct each_due e = {cb, ctx};
    return wg_db_query(db, WG_Q_DISPUTE_OVERDUE, v, WG_NVALS(v), take_due, &e, err);
}

static int take_party(struct wg_row *row, void *ctx)
{
    struct each_party *e = ctx;
    struct wg_dispute_party_row p;
    memset(&p, 0, sizeof p);
    p.pos = (int)wg_row_int(row, 0);
    wg_row_copy(row, 1, p.role, sizeof p.role);
    wg_row_copy(row, 2, p.id_type, sizeof p.id_type);
    p.id_number = wg_row_text(row, 3);
    p.name = wg_row_text(row, 4);
    p.phone = wg_row_text(row, 5);
    p.id_blind = p.phone_blind = "";
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_dispute_party_count(struct wg_db *db, long long id, int *n, struct wg_err *err)
{
    long long c = 0;
    struct wg_val v[] = {WG_VINT(id)};
    enum wg_rc rc = wg_db_query_int(db, WG_Q_DISPUTE_PARTY_COUNT, v, 1, &c, NULL, err);
    *n = (int)c;
    return rc;
}

enum wg_rc wg_store_dispute_parties(struct wg_db *db, long long id,
                                    int (*cb)(const struct wg_dispute_party_row *, void *),
                                    void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_party e = {cb, ctx};
    return wg_db_query(db, WG_Q_DISPUTE_PARTIES, v, 1, take_party, &e, err);
}

static int take_event(struct wg_row *row, void *ctx)
{
    struct each_event *e = ctx;
    struct wg_dispute_event_row ev;
    memset(&ev, 0, sizeof ev);
    ev.seq = (int)wg_row_int(row, 0);
    ev.at = wg_row_int(row, 1);
    wg_row_copy(row, 2, ev.actor, sizeof ev.actor);
    wg_row_copy(row, 3, ev.role, sizeof ev.role);
    wg_row_copy(row, 4, ev.action, sizeof ev.action);
    wg_row_copy(row, 5, ev.from_state, sizeof ev.from_state);
    wg_row_copy(row, 6, ev.to_state, sizeof ev.to_state);
    wg_row_copy(row, 7, ev.level, sizeof ev.level);
    ev.detail = wg_row_text(row, 8);
    return e->cb(&ev, e->ctx);
}

enum wg_rc wg_store_dispute_events(struct wg_db *db, long long id,
                                   int (*cb)(const struct wg_dispute_event_row *, void *),
                                   void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each_event e = {cb, ctx};
    return wg_db_query(db, WG_Q_DISPUTE_EVENTS, v, 1, take_event, &e, err);
}

struct each_linked {
    int (*cb)(long long id, const char *number, const char *state, const char *end_level, void *);
    void *ctx;
};

static int take_linked(struct wg_row *row, void *ctx)
{
    struct each_linked *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_text(row, 3),
                 e->ctx);
}

enum wg_rc wg_store_dispute_of_order(struct wg_db *db, long long order_id,
                                     int (*cb)(long long id, const char *number, const char *state,
                                               const char *end_level, void *),
                                     void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order_id)};
    struct each_linked e = {cb, ctx};
    return wg_db_query(db, WG_Q_DISPUTE_OF_ORDER, v, 1, take_linked, &e, err);
}
