/* The numbered schema migrations: each is applied once, in a transaction, and recorded in
 * schema_version; their statements are in the queries table (schema.def). Never edit a
 * released migration: add the next number. */
#include "store/migrations.h"

const struct wg_migration wg_migrations[] = {
    {1, "regions and versioned grids", WG_Q_MIGRATION_1},
    {2, "named counters", WG_Q_MIGRATION_2},
    /* The append-only audit log (domain/accounts/audit.h). The triggers refuse UPDATE and DELETE
     * from any client; the hash chain is what shows tampering by someone who drops them. */
    {3, "the audit log", WG_Q_MIGRATION_3},
    {4, "accounts, sessions and API keys", WG_Q_MIGRATION_4},
    {5, "account profiles: personal fields encrypted, phone found by blind index",
     WG_Q_MIGRATION_5},
    {6, "work orders, their timelines and daily number sequences", WG_Q_MIGRATION_6},
    {7, "full-text search over order titles and content (trigram, so Chinese works)",
     WG_Q_MIGRATION_7},
    {8, "what the order state machine needs to remember", WG_Q_MIGRATION_8},
    {9, "deadlines on working time", WG_Q_MIGRATION_9},
    {11, "handling units, the regions they serve, and routing rules", WG_Q_MIGRATION_11},
    /* The delivery outbox (domain/notify/notify.h): one row per notification, written in the
     * transaction of the change that caused it, delivered by the worker. outbox_due serves
     * the worker's pick-up of due rows (only undelivered ones are in it); outbox_recipient
     * serves a person's own list, newest first. */
    {10, "the notification delivery outbox", WG_Q_MIGRATION_10},
    {12, "automatic supervision of orders past their reply deadline", WG_Q_MIGRATION_12},
    {13, "photos of orders, stored by content hash on disk", WG_Q_MIGRATION_13},
    /* Co-handling (协办): the assisting units of an order beside its lead (work_order.unit),
     * in the order given at dispatch, with when each signed and replied its part. Special
     * lines (专班, judicial, joint conference, assistance): one row per line an order went
     * to. Catalog versions: each admin change stores the whole catalog's JSON form; the
     * newest is the one in force (version 0, never stored, is the shipped defaults). */
    {14, "co-handling units, special lines and stored catalog versions", WG_Q_MIGRATION_14},
    /* What an Open311 client sent beside the order (domain/open311/open311.h): the answers to the
     * service definition's attributes (a JSON object), the token it may poll, the client
     * (API key id), and the reporter's e-mail, device and account ids, sealed like the
     * order's reporter. order_event_at serves the service request updates by time. */
    {15, "Open311 requests: attribute values, tokens, sealed contact fields", WG_Q_MIGRATION_15},
    /* Indicator counters (domain/stats/stats.h), kept in the transaction of every order change:
     * stat_cell holds the counts per CST day, leaf (grid, or county for an order without a
     * point), unit, catalog item and channel — the truth every answer comes from; stat_log
     * carries each change's deltas in commit order, so that every server sharing the store
     * can keep its in-memory roll-ups current without rereading the cells. The key starts
     * with the day: nearly every change counts today or the next few days, so a batch's
     * upserts share a few pages instead of dirtying one page per grid. */
    {16, "indicator counters per day, place, unit, item and channel, and their change log",
     WG_Q_MIGRATION_16},
    /* The residents' portal (domain/portal/portal.h): an appeal's tracking code, kept only as its
     * SHA-256, and the portal type it was filed under (a colour bag or an appeal type); the
     * resident's own rating of an order, once; and the throttle's counters, one row per key
     * and fixed window, shared by every server on the store. */
    {17, "the residents' portal: tracking codes, ratings and throttle counters", WG_Q_MIGRATION_17},
    /* The indicators' roll-ups (domain/stats/stats.h, stats_cube.h): per day, the cells summed by
     * town (or the county, for orders without a point) — view 0 — and by county and catalog
     * item (1), unit (2) or channel (3), as of the change log's row stat_roll_pos.seq. A
     * server builds its in-memory roll-ups from these few rows at start, then applies the log
     * after that position, instead of reading every cell. The servers' minute sweep folds the
     * log into them (off the orders' transactions). Filled here from the cells counted. */
    {18, "indicator roll-ups per day by town, and by county and item, unit or channel",
     WG_Q_MIGRATION_18},
    /* The full-text index is made behind intake instead of in each create's batch: every
     * order whose id is above order_fts_mark.upto is still to be indexed (ids only grow),
     * and the entries and the new mark commit together, so a crash loses nothing and
     * indexes nothing twice. Every order already in the store is indexed. */
    {19, "the full-text index made behind intake, up to a mark", WG_Q_MIGRATION_19},
    /* SQLite: the text index moves to a file of its own beside the store, written by the
     * text indexer's own connection, so indexing no longer holds the store's write lock
     * (sqlite.c makes that file, with the entries and mark of the index here, before the
     * migrations run). PostgreSQL searches the orders table itself and needs no mark. */
    {20, "the text index in a file of its own", WG_Q_MIGRATION_20},
    /* A new order has no lead unit, no master and no reply deadline yet: indexes of those
     * columns hold only the orders that have one, so intake writes three index entries
     * fewer per order. Every statement that looks them up compares them with a value, which
     * SQLite and PostgreSQL both take as implying NOT NULL. */
    {21, "the unit, master and reply-deadline indexes without the orders that have none",
     WG_Q_MIGRATION_21},
    /* No statement looks orders up by grid or by creation time: the lists walk the orders
     * newest first and filter. On SQLite the reporter's phone is looked up beside the text
     * index (order_phone in sqlite.c, filled by the text indexer). So intake writes three
     * index entries fewer per order, two of them at random places (bench/intake: the
     * writer's time per create fell by a third). PostgreSQL keeps the phone index. */
    {22, "no order indexes of grid and creation time; SQLite's phone lookup beside the text index",
     WG_Q_MIGRATION_22},
    /* The photo an Open311 client posted with its request (media, its SHA-256; the photo is
     * an order_photo of the order too): the request's media_url serves it to the public
     * while the order is public (GET /open311/v2/media/{sha256}). */
    {23, "the photo posted with an Open311 request", WG_Q_MIGRATION_23},
    /* PostgreSQL: a desk's list within a county walks that county's orders newest first
     * (ORDER_LIST names the county of a scope as long as one), instead of every order of the
     * province newest first and filtering (bench/partition, 2,000,000 orders: a town desk's
     * page of one state took 1.9 s). The index's entries of a county grow at its end, so
     * intake adds one entry at one of a few hundred places. SQLite, a district's store, walks
     * its one county's orders anyway. */
    {24, "PostgreSQL: orders by county, newest first", WG_Q_MIGRATION_24},
    /* PostgreSQL: the orders' text index and their reporters' phone lookup are made behind
     * intake, as on SQLite (migrations 19, 20 and 22), in tables of their own that the text
     * indexer fills up to a mark. In the orders' own transactions the two trigram indexes
     * took about 70 us of the 80 us an order's row cost PostgreSQL, inside the writers' turn
     * (pg_stat_statements under bench/intake; 4,000 rows inserted at once: 411 ms with
     * them, 129 ms without). A search first has the indexer catch up, as on SQLite. */
    {25, "PostgreSQL: the text index and the phone lookup behind intake", WG_Q_MIGRATION_25},
    /* The unit's contact with the reporter, due by the close of the next working day after
     * dispatch: each order keeps its latest dispatch's contact deadline and first contact,
     * and the counters count the dispatches owed a contact and those answered in time
     * (响应率, domain/stats/stats.h). */
    {26, "the unit's contact with the reporter, and the response counters", WG_Q_MIGRATION_26},
    /* Notifications in the console (domain/notify/notify.h): who read which, so each account
     * of a unit keeps its own unread count. Supervised orders (督办): the latest level and time
     * per order, for the supervised list and its badges, filled from the timelines. Accounts
     * by role and scope: who the grid workers, agents and supervisors of a place are. */
    {27, "notifications read, supervised orders, accounts by role and scope", WG_Q_MIGRATION_27},
    /* Duplicate candidates (domain/orders/duplicates.h): found at intake among the orders of
     * the same county — the same item nearby in a week (work_order_item: item, then number,
     * whose county and day prefix bound the week), the same reporter's phone in a month
     * (the phone lookup) and similar text among the county's newest of the week (the number
     * index) — and kept with the order, one row for an order that has any. */
    {28, "duplicate candidates kept with the order; orders by item and number", WG_Q_MIGRATION_28},
    /* The desks at a province's scale: every desk's list (a state or several, a unit's, the
     * supervised, the red, a grid's, all orders newest first) reads one index range per state
     * and urgency in the order it shows, from a keyset cursor, so its page costs the same
     * whatever the number of orders before it or matching it. due_at is the reply deadline
     * while a unit holds the order, so the red are a range of it. Measured in bench/desks
     * and docs/BENCHMARKS.md. work_order_state and work_order_unit are prefixes of the new
     * indexes. */
    {29, "the desks: a kept deadline column and indexes in each desk's order", WG_Q_MIGRATION_29},
    /* PostgreSQL: the duplicates' phone search (DUP_PHONE) reads the reporter's orders of
     * the county's window from an index of phone and number, instead of the lookup the text
     * indexer fills behind intake plus the newest thousand orders it may not have reached,
     * read whole (659 us of PostgreSQL's processor time per create in bench/intake, the
     * largest share; the index adds one entry per order that has a phone). SQLite, one
     * district's store, keeps its lookup. */
    {30, "PostgreSQL: orders by reporter's phone and number", WG_Q_MIGRATION_30},
    /* The registry's buildings and houses with their standard addresses (domain/registry/
     * building.h): a building's code, name, grid, address, point, floors and use; its houses
     * by unit, floor and room, with their use and tenants. Addresses are indexed for the
     * address search's prefix matches (GET /api/v1/addresses). */
    {31, "buildings and houses with their standard addresses", WG_Q_MIGRATION_31},
    /* The registry's people and households (domain/registry/person.h), their personal fields
     * sealed and blind-indexed as accounts' are, and the registry_sensitive grant. */
    {32, "registry people and households, sealed; the registry_sensitive grant", WG_Q_MIGRATION_32},
    /* The registry's organizations (their responsible person sealed) and things, with the
     * orders linked to a thing (domain/registry/org.h, thing.h); the party overlay: party
     * organizations on their places, members, central households (party.h). */
    {33, "registry organizations, things and the party overlay", WG_Q_MIGRATION_33},
    /* The grid team (domain/registry/team.h): each grid's members with their roles and dates,
     * its published duties and police station, replaced as a whole under a version. */
    {34, "the grid team, its duties and police station", WG_Q_MIGRATION_34},
    /* The grid workers' visits and patrols (domain/registry/visit.h, patrol.h): each visit's
     * subject, worker, time, place, method and its content and findings sealed; the overdue
     * visits already reminded of; patrols with their checks sealed, their GPS tracks sealed
     * in batches (purged after the retention period) and the orders their findings made. */
    {35, "visits and patrols: sealed contents and tracks, reminders, orders", WG_Q_MIGRATION_35},
    /* The address search's bigram index of the buildings' names and addresses (schema.def). */
    {37, "the address search's index of building names and addresses", WG_Q_MIGRATION_37},
    /* Each person's next visit due day, kept by the registry's writes and the sweep, so the
     * overdue list and its counts read one index range (schema.def). */
    {38, "the due day of each person's next visit", WG_Q_MIGRATION_38},
    /* The orders ever supervised marked on their rows and indexed in the desks' orders, for
     * the supervised desk (督办). */
    {39, "the supervised desk's own indexes", WG_Q_MIGRATION_39},
    /* Blind indexes of 128 bits (domain/accounts/pii.h): half the size in every index of
     * phones and ID numbers; a person's insert took 0.8 of its time in bench/import. */
    {40, "blind indexes of 128 bits", WG_Q_MIGRATION_40},
    /* Dispute cases (domain/disputes/): the case, its sealed parties, its timeline, its
     * numbers by county and day. */
    {41, "dispute cases, their parties and timelines", WG_Q_MIGRATION_41},
    {42, "dispute cases' clocks, mediation bodies and figures", WG_Q_MIGRATION_42},
    /* Dispute screening tasks (domain/disputes/screening.h): one a region per period of its
     * level's cadence, made by the servers' sweep on the working calendar (43; 42 is the
     * cases' own). */
    {43, "dispute screening tasks on the working calendar", WG_Q_MIGRATION_43},
    /* Devices (cameras, sensors, drones) and the alerts they post, merged by device and type
     * or by place, with rules per type (domain/alerts/alert.h). */
    {44, "devices, their alerts and the alerts' rules", WG_Q_MIGRATION_44},
    /* Early warning over appeals (domain/alerts/warning.h): warnings, the orders behind each,
     * their timelines, the follower's position and the rules in force (45; 44 is the devices
     * and alerts'). */
    {45, "early warnings over appeals, their orders, timelines and rules", WG_Q_MIGRATION_45},
    /* 未诉先办 tasks and leaders' 帮包 (domain/alerts/task.h, sponsor.h) */
    {46, "proactive tasks, their timelines and leaders' sponsorships", WG_Q_MIGRATION_46},
    /* assessment schemes, monthly results and their history (domain/assess/assess.h) */
    {47, "assessment schemes, results and their history", WG_Q_MIGRATION_47},
    /* telephone surveys of safety and satisfaction (domain/assess/survey.h) */
    {48, "telephone surveys, their samples and calls", WG_Q_MIGRATION_48},
    /* Wishes and deliberations (domain/partake/wish.h, deliberation.h): the wish wall, 一事一议
     * with its stages, and the communities' needs, resources and projects lists. */
    {49, "wishes, deliberations and the communities' lists", WG_Q_MIGRATION_49},
    /* 一长二员 stairwell teams and their visits, volunteers with hours and points, and
     * mobilisations with each team's acknowledgement (domain/partake/stairwell.h, volunteer.h,
     * mobilise.h) */
    {50, "stairwell teams, volunteers and mobilisations", WG_Q_MIGRATION_50},
};
const size_t wg_nmigrations = sizeof wg_migrations / sizeof wg_migrations[0];
