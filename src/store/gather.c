/* Gathered writes (gather.h): what is held, how it is summed, and the few statements that
 * write it. Rows of the timeline, the change log and the audit go out as one JSON array each,
 * unpacked by the store itself (PostgreSQL's json_array_elements, SQLite's json_each). */
#include "store/gather.h"

#include <jansson.h>
#include <string.h>

#include "core/alloc.h"

#define NAME_MAX_LEN 40 /* a meta counter's name */

struct cell {
    char key[160]; /* leaf, day, unit, item, channel: one string, for the lookup */
    struct wg_stat_cell c;
    char leaf[32], unit[32], item[16], channel[24];
};

struct number {
    char county[8], day[12];
    long long last;   /* the head: the last number given */
    long long stored; /* what the store holds */
};

struct meta {
    char name[NAME_MAX_LEN];
    long long add;
};

#define ID_BLOCK 32 /* order ids taken at once */

struct wg_gather {
    json_t *orders, *events, *logs, *audits, *outbox; /* arrays of rows, or NULL */
    json_t *dups;                                     /* duplicate candidates kept (migration 28) */
    long long ids[ID_BLOCK];                          /* order ids taken and not yet given */
    int nids, next_id;
    long long last_id; /* the last given to a row held */
    struct cell *cells;
    size_t ncells, cells_cap;
    struct meta metas[4];
    int nmetas;
    struct number numbers[8];
    int nnumbers;
    long long audit_seq; /* the chain's head, when audit_known */
    char audit_hash[65];
    int audit_known;
};

static struct wg_gather *on(struct wg_db *db)
{
    if (!db->gathering || !db->in_tx)
        return NULL;
    if (!db->gather)
        db->gather = wg_calloc(1, sizeof *db->gather);
    return db->gather;
}

void wg_gather_free(struct wg_gather *g)
{
    if (!g)
        return;
    wg_gather_drop(g);
    free(g->cells);
    free(g);
}

static void drop_rows(struct wg_gather *g)
{
    json_decref(g->orders);
    json_decref(g->events);
    json_decref(g->logs);
    json_decref(g->audits);
    json_decref(g->outbox);
    json_decref(g->dups);
    g->orders = g->events = g->logs = g->audits = g->outbox = g->dups = NULL;
    g->ncells = 0;
    g->nmetas = 0;
}

void wg_gather_drop(struct wg_gather *g)
{
    if (!g)
        return;
    drop_rows(g);
    g->nnumbers = 0;
    g->audit_known = 0;
    g->nids = g->next_id = 0;
}

static int held(const struct wg_gather *g)
{
    int numbers = 0;
    for (int i = 0; i < g->nnumbers; i++)
        numbers |= g->numbers[i].last != g->numbers[i].stored;
    return g->orders || g->events || g->outbox || g->logs || g->audits || g->dups || g->ncells ||
           g->nmetas || numbers;
}

int wg_gather_must_flush(const struct wg_db *db, enum wg_q q)
{
    /* the heads are read only while not known, when nothing of theirs is held; who works a
     * new order's place (domain/notify/notify.h) is read from the accounts, which nothing
     * held touches */
    return db->gather && q != WG_Q_AUDIT_LAST && q != WG_Q_ORDER_NUMBER_NEXT &&
           q != WG_Q_ACCOUNT_FOR_PLACE && held(db->gather);
}

/* Appends row (taken) to *list; 0 when row could not be made (text that is not UTF-8). */
static int append(json_t **list, json_t *row)
{
    if (!row)
        return 0;
    if (!*list)
        *list = json_array();
    json_array_append_new(*list, row);
    return 1;
}

/* "" is stored as NULL, as the single-row statements store it (WG_VTEXT0). */
static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* The next order id taken in this transaction; a block is taken when none is left. */
static enum wg_rc next_id(struct wg_db *db, struct wg_gather *g, long long *id, struct wg_err *err)
{
    if (g->next_id == g->nids) {
        enum wg_rc rc = wg_store_order_ids(db, ID_BLOCK, g->ids, &g->nids, err);
        g->next_id = 0;
        if (rc)
            return rc;
        if (g->nids < 1)
            return wg_err_set(err, WG_EDB, "the store gave no order ids");
    }
    *id = g->last_id = g->ids[g->next_id++];
    return WG_OK;
}

static json_t *real_or_null(int has, double v)
{
    return has ? json_real(v) : json_null();
}

int wg_gather_order(struct wg_db *db, const struct wg_order_row *o, long long *id, enum wg_rc *rc,
                    struct wg_err *err)
{
    struct wg_gather *g = on(db);
    json_t *row;
    if (!g)
        return 0;
    if ((*rc = next_id(db, g, id, err)))
        return 1;
    row = json_pack(
        "[I,s,s,s,s,s?,s,s,s?,o,o,s?,s?,o,s,s?,s?,s?,i,i,s,s,s,s]", *id, o->number, o->county,
        o->channel, o->type, or_null(o->item), o->title, o->content, or_null(o->address),
        real_or_null(o->has_point, o->lon), real_or_null(o->has_point, o->lat), or_null(o->crs),
        or_null(o->grid), o->grid[0] ? json_integer(o->grid_version) : json_null(), o->urgency,
        or_null(o->reporter_name), or_null(o->reporter_phone), or_null(o->reporter_phone_blind),
        o->anonymous, o->confidential, o->state, o->created_by, o->created_at, o->created_at);
    if (!append(&g->orders, row))
        *rc = wg_err_set(err, WG_EINVAL, "order %s: a text is not UTF-8", o->number);
    return 1;
}

int wg_gather_outbox(struct wg_db *db, const struct wg_outbox_row *r)
{
    struct wg_gather *g = on(db);
    return g && append(&g->outbox, json_pack("[s,s,s,o,s,I,s]", r->recipient, r->channel, r->kind,
                                             r->order_id ? json_integer(r->order_id) : json_null(),
                                             r->payload, r->next_attempt_at, r->created_at));
}

int wg_gather_event_first(struct wg_db *db, long long order_id, const struct wg_order_event_row *e)
{
    struct wg_gather *g = on(db);
    return g && append(&g->events, json_pack("[I,s,s,s,s,s?,s?,s?]", order_id, e->at, e->actor,
                                             e->role, e->action, or_null(e->from_state),
                                             or_null(e->to_state), or_null(e->detail)));
}

int wg_gather_dup(struct wg_db *db, long long order_id, const char *candidates)
{
    struct wg_gather *g = on(db);
    return g && append(&g->dups, json_pack("[I,s]", order_id, candidates));
}

int wg_gather_stat_log(struct wg_db *db, long long at, const char *deltas)
{
    struct wg_gather *g = on(db);
    return g && append(&g->logs, json_pack("[I,s]", at, deltas));
}

int wg_gather_audit_insert(struct wg_db *db, const struct wg_audit_row *r)
{
    struct wg_gather *g = on(db);
    if (!g || strlen(r->hash) > 64 ||
        !append(&g->audits, json_pack("[I,s,s,s,s,s,s,s,s,s,s,s]", r->seq, r->at, r->actor, r->role,
                                      r->source, r->action, r->object_type, r->object_id, r->result,
                                      r->detail, r->prev_hash, r->hash)))
        return 0;
    wg_gather_audit_seen(db, r->seq, r->hash);
    return 1;
}

int wg_gather_audit_last(struct wg_db *db, long long *seq, char hash[65])
{
    struct wg_gather *g = on(db);
    if (!g || !g->audit_known)
        return 0;
    *seq = g->audit_seq;
    memcpy(hash, g->audit_hash, sizeof g->audit_hash);
    return 1;
}

void wg_gather_audit_seen(struct wg_db *db, long long seq, const char *hash)
{
    struct wg_gather *g = on(db);
    if (!g || strlen(hash) > 64)
        return;
    g->audit_seq = seq;
    memcpy(g->audit_hash, hash, strlen(hash) + 1);
    g->audit_known = 1;
}

int wg_gather_meta_bump(struct wg_db *db, const char *name)
{
    struct wg_gather *g = on(db);
    int i;
    if (!g || strlen(name) >= NAME_MAX_LEN)
        return 0;
    for (i = 0; i < g->nmetas && strcmp(g->metas[i].name, name); i++)
        ;
    if (i == g->nmetas) {
        if (i == (int)(sizeof g->metas / sizeof g->metas[0]))
            return 0;
        memcpy(g->metas[i].name, name, strlen(name) + 1);
        g->metas[i].add = 0;
        g->nmetas++;
    }
    g->metas[i].add++;
    return 1;
}

static int fits(char *dst, size_t n, const char *s)
{
    size_t len = strlen(s ? s : "");
    if (len >= n)
        return 0;
    memcpy(dst, s ? s : "", len + 1);
    return 1;
}

int wg_gather_stat_add(struct wg_db *db, const struct wg_stat_cell *c)
{
    struct wg_gather *g = on(db);
    struct cell k = {0};
    size_t i;
    if (!g || !fits(k.leaf, sizeof k.leaf, c->leaf) || !fits(k.unit, sizeof k.unit, c->unit) ||
        !fits(k.item, sizeof k.item, c->item) || !fits(k.channel, sizeof k.channel, c->channel))
        return 0;
    snprintf(k.key, sizeof k.key, "%s|%d|%s|%s|%s", k.leaf, c->day, k.unit, k.item, k.channel);
    for (i = 0; i < g->ncells && strcmp(g->cells[i].key, k.key); i++)
        ;
    if (i == g->ncells) {
        wg_grow(&g->cells, &g->cells_cap, g->ncells, sizeof *g->cells, 16);
        g->cells[i] = k;
        g->cells[i].c.day = c->day;
        g->ncells++;
    }
    for (int j = 0; j < WG_STAT_NCOUNTERS; j++)
        g->cells[i].c.c[j] += c->c[j];
    return 1;
}

int wg_gather_number_next(struct wg_db *db, const char *county, const char *day, long long *out)
{
    struct wg_gather *g = on(db);
    if (!g)
        return 0;
    for (int i = 0; i < g->nnumbers; i++)
        if (!strcmp(g->numbers[i].county, county) && !strcmp(g->numbers[i].day, day)) {
            *out = ++g->numbers[i].last;
            return 1;
        }
    return 0;
}

void wg_gather_number_seen(struct wg_db *db, const char *county, const char *day, long long last)
{
    struct wg_gather *g = on(db);
    struct number n = {.last = last, .stored = last};
    if (!g || !fits(n.county, sizeof n.county, county) || !fits(n.day, sizeof n.day, day) ||
        g->nnumbers == (int)(sizeof g->numbers / sizeof g->numbers[0]))
        return;
    g->numbers[g->nnumbers++] = n;
}

/* ---- writing ---- */

static enum wg_rc write_rows(struct wg_db *db, enum wg_q q, json_t **rows, struct wg_err *err)
{
    char *text;
    enum wg_rc rc;
    if (!*rows)
        return WG_OK;
    text = json_dumps(*rows, JSON_COMPACT);
    struct wg_val p[] = {WG_VTEXT(text)};
    rc = wg_db_exec(db, q, p, 1, NULL, err);
    free(text);
    json_decref(*rows);
    *rows = NULL;
    return rc;
}

static enum wg_rc write_orders(struct wg_db *db, struct wg_gather *g, struct wg_err *err)
{
    enum wg_rc rc;
    if (!g->orders)
        return WG_OK;
    if ((rc = write_rows(db, WG_Q_ORDER_INSERT_ROWS, &g->orders, err)))
        return rc;
    struct wg_val p[] = {WG_VINT(g->last_id)};
    return wg_db_exec(db, WG_Q_ORDER_IDS_GIVEN, p, 1, NULL, err);
}

static enum wg_rc write_cells(struct wg_db *db, struct wg_gather *g, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; i < g->ncells && !rc; i++) {
        struct cell *c = &g->cells[i];
        c->c.leaf = c->leaf;
        c->c.unit = c->unit;
        c->c.item = c->item;
        c->c.channel = c->channel;
        rc = wg_store_stat_add(db, &c->c, err);
    }
    g->ncells = 0;
    return rc;
}

static enum wg_rc write_heads(struct wg_db *db, struct wg_gather *g, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    for (int i = 0; i < g->nmetas && !rc; i++) {
        struct wg_val p[] = {WG_VTEXT(g->metas[i].name), WG_VINT(g->metas[i].add)};
        rc = wg_db_exec(db, WG_Q_META_ADD, p, 2, NULL, err);
    }
    g->nmetas = 0;
    for (int i = 0; i < g->nnumbers && !rc; i++) {
        struct number *n = &g->numbers[i];
        if (n->last == n->stored)
            continue;
        struct wg_val p[] = {WG_VTEXT(n->county), WG_VTEXT(n->day), WG_VINT(n->last)};
        if (!(rc = wg_db_exec(db, WG_Q_ORDER_NUMBER_SET, p, 3, NULL, err)))
            n->stored = n->last;
    }
    return rc;
}

enum wg_rc wg_gather_flush(struct wg_db *db, struct wg_err *err)
{
    struct wg_gather *g = db->gather;
    enum wg_rc rc;
    if (!g || !held(g))
        return WG_OK;
    /* the writes below are statements too: they must not flush again */
    db->gathering = 0;
    if (!(rc = write_orders(db, g, err)) &&
        !(rc = write_rows(db, WG_Q_ORDER_EVENT_FIRST_ROWS, &g->events, err)) &&
        !(rc = write_rows(db, WG_Q_OUTBOX_INSERT_ROWS, &g->outbox, err)) &&
        !(rc = write_rows(db, WG_Q_DUP_INSERT_ROWS, &g->dups, err)) &&
        !(rc = write_rows(db, WG_Q_STAT_LOG_ROWS, &g->logs, err)) &&
        !(rc = write_rows(db, WG_Q_AUDIT_INSERT_ROWS, &g->audits, err)) &&
        !(rc = write_cells(db, g, err)))
        rc = write_heads(db, g, err);
    db->gathering = 1;
    if (rc) /* the transaction is done again without gathering (commit.c) */
        drop_rows(g);
    return rc;
}
