/* Numbered schema migrations. Each is applied once, in a transaction, and recorded in
 * schema_version. Never edit a released migration: add the next number. */
#include "store/migrations.h"

/* Migration 18's fill of stat_roll from stat_cell: the same in both dialects. */
#define WG_STAT_ROLL_SUMS                                                                          \
    "SUM(received), SUM(dispatched), SUM(direct), SUM(signed_on_time), "                           \
    "SUM(finished), SUM(finished_on_time), SUM(pending_due), SUM(called_back), "                   \
    "SUM(rated), SUM(satisfied), SUM(resolved), SUM(reopened), SUM(returned), "                    \
    "SUM(rework), SUM(repeat), SUM(handled), SUM(open), SUM(handling_minutes)"
#define WG_STAT_ROLL_TOWN                                                                          \
    "CASE WHEN length(leaf) >= 9 THEN substr(leaf, 1, 9) WHEN length(leaf) >= 6 "                  \
    "THEN substr(leaf, 1, 6) WHEN length(leaf) >= 4 THEN substr(leaf, 1, 4) "                      \
    "WHEN length(leaf) >= 2 THEN substr(leaf, 1, 2) ELSE '' END"
#define WG_STAT_ROLL_FILL                                                                          \
    "INSERT INTO stat_roll SELECT day, " WG_STAT_ROLL_TOWN ", 0, '', " WG_STAT_ROLL_SUMS           \
    " FROM stat_cell GROUP BY day, " WG_STAT_ROLL_TOWN ";"                                         \
    "INSERT INTO stat_roll SELECT day, substr(leaf, 1, 6), 1, item, " WG_STAT_ROLL_SUMS            \
    " FROM stat_cell WHERE length(leaf) >= 6 GROUP BY day, substr(leaf, 1, 6), item;"              \
    "INSERT INTO stat_roll SELECT day, substr(leaf, 1, 6), 2, unit, " WG_STAT_ROLL_SUMS            \
    " FROM stat_cell WHERE length(leaf) >= 6 GROUP BY day, substr(leaf, 1, 6), unit;"              \
    "INSERT INTO stat_roll SELECT day, substr(leaf, 1, 6), 3, channel, " WG_STAT_ROLL_SUMS         \
    " FROM stat_cell WHERE length(leaf) >= 6 GROUP BY day, substr(leaf, 1, 6), channel;"           \
    "INSERT INTO stat_roll_pos SELECT 1, COALESCE(MAX(seq), 0) FROM stat_log;"

const struct wg_migration wg_migrations[] = {
    {1, "regions and versioned grids",
     "CREATE TABLE region ("
     "  code TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  level TEXT NOT NULL,"
     "  parent TEXT,"
     "  boundary TEXT,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX region_parent ON region(parent);"
     "CREATE INDEX region_name ON region(name);"
     "CREATE TABLE grid ("
     "  code TEXT NOT NULL,"
     "  version INTEGER NOT NULL,"
     "  name TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  subtype TEXT,"
     "  village TEXT NOT NULL,"
     "  households INTEGER,"
     "  population INTEGER,"
     "  crs TEXT NOT NULL,"
     "  area_m2 REAL NOT NULL,"
     "  minx REAL NOT NULL, miny REAL NOT NULL, maxx REAL NOT NULL, maxy REAL NOT NULL,"
     "  geometry TEXT NOT NULL,"
     "  valid_from TEXT NOT NULL,"
     "  valid_to TEXT,"
     "  PRIMARY KEY (code, version));"
     "CREATE UNIQUE INDEX grid_current ON grid(code) WHERE valid_to IS NULL;"
     "CREATE INDEX grid_village ON grid(village);",
     NULL},
    {2, "named counters", "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
     NULL},
    /* The append-only audit log (domain/accounts/audit.h). The triggers refuse UPDATE and DELETE
     * from any client; the hash chain is what shows tampering by someone who drops them. */
    {3, "the audit log",
     "CREATE TABLE audit ("
     "  seq INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  source TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  object_type TEXT NOT NULL,"
     "  object_id TEXT NOT NULL,"
     "  result TEXT NOT NULL,"
     "  detail TEXT NOT NULL,"
     "  prev_hash TEXT NOT NULL,"
     "  hash TEXT NOT NULL);"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
     "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
     "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;",
     "CREATE TABLE audit ("
     "  seq BIGINT PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  source TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  object_type TEXT NOT NULL,"
     "  object_id TEXT NOT NULL,"
     "  result TEXT NOT NULL,"
     "  detail TEXT NOT NULL,"
     "  prev_hash TEXT NOT NULL,"
     "  hash TEXT NOT NULL);"
     "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
     "$$BEGIN RAISE EXCEPTION 'audit records are append-only'; END$$;"
     "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
     "FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
     "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
     "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();"},
    {4, "accounts, sessions and API keys",
     "CREATE TABLE account ("
     "  username TEXT PRIMARY KEY,"
     "  role TEXT NOT NULL,"
     "  scope_kind TEXT NOT NULL,"
     "  scope TEXT NOT NULL,"
     "  password_hash TEXT NOT NULL,"
     "  must_change INTEGER NOT NULL,"
     "  disabled INTEGER NOT NULL,"
     "  failed INTEGER NOT NULL,"
     "  locked_until INTEGER NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE TABLE session ("
     "  token_hash TEXT PRIMARY KEY,"
     "  username TEXT NOT NULL,"
     "  created_at INTEGER NOT NULL,"
     "  last_seen INTEGER NOT NULL,"
     "  source TEXT);"
     "CREATE INDEX session_user ON session(username);"
     "CREATE TABLE apikey ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  key_hash TEXT NOT NULL UNIQUE,"
     "  scope_kind TEXT NOT NULL,"
     "  scope TEXT NOT NULL,"
     "  permissions INTEGER NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  revoked_at TEXT);",
     NULL},
    {5, "account profiles: personal fields encrypted, phone found by blind index",
     "ALTER TABLE account ADD COLUMN real_name TEXT;"
     "ALTER TABLE account ADD COLUMN phone TEXT;"
     "ALTER TABLE account ADD COLUMN phone_blind TEXT;"
     "ALTER TABLE account ADD COLUMN id_number TEXT;"
     "CREATE INDEX account_phone_blind ON account(phone_blind);",
     NULL},
    {6, "work orders, their timelines and daily number sequences",
     "CREATE TABLE work_order ("
     "  id INTEGER PRIMARY KEY,"
     "  number TEXT NOT NULL UNIQUE,"
     "  county TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  type TEXT NOT NULL,"
     "  item TEXT,"
     "  title TEXT NOT NULL,"
     "  content TEXT NOT NULL,"
     "  address TEXT,"
     "  lon REAL, lat REAL, crs TEXT,"
     "  grid TEXT, grid_version INTEGER,"
     "  urgency TEXT NOT NULL,"
     "  reporter_name TEXT, reporter_phone TEXT, reporter_phone_blind TEXT,"
     "  anonymous INTEGER NOT NULL,"
     "  confidential INTEGER NOT NULL,"
     "  state TEXT NOT NULL,"
     "  version INTEGER NOT NULL,"
     "  unit TEXT,"
     "  created_by TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX work_order_state ON work_order(state);"
     "CREATE INDEX work_order_grid ON work_order(grid);"
     "CREATE INDEX work_order_phone ON work_order(reporter_phone_blind);"
     "CREATE INDEX work_order_created ON work_order(created_at);"
     "CREATE TABLE order_event ("
     "  order_id INTEGER NOT NULL,"
     "  seq INTEGER NOT NULL,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  from_state TEXT,"
     "  to_state TEXT,"
     "  detail TEXT,"
     "  PRIMARY KEY (order_id, seq));"
     "CREATE TABLE order_number ("
     "  county TEXT NOT NULL,"
     "  day TEXT NOT NULL,"
     "  last INTEGER NOT NULL,"
     "  PRIMARY KEY (county, day));",
     "CREATE TABLE work_order ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  number TEXT NOT NULL UNIQUE,"
     "  county TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  type TEXT NOT NULL,"
     "  item TEXT,"
     "  title TEXT NOT NULL,"
     "  content TEXT NOT NULL,"
     "  address TEXT,"
     "  lon DOUBLE PRECISION, lat DOUBLE PRECISION, crs TEXT,"
     "  grid TEXT, grid_version INTEGER,"
     "  urgency TEXT NOT NULL,"
     "  reporter_name TEXT, reporter_phone TEXT, reporter_phone_blind TEXT,"
     "  anonymous INTEGER NOT NULL,"
     "  confidential INTEGER NOT NULL,"
     "  state TEXT NOT NULL,"
     "  version INTEGER NOT NULL,"
     "  unit TEXT,"
     "  created_by TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX work_order_state ON work_order(state);"
     "CREATE INDEX work_order_grid ON work_order(grid);"
     "CREATE INDEX work_order_phone ON work_order(reporter_phone_blind);"
     "CREATE INDEX work_order_created ON work_order(created_at);"
     "CREATE TABLE order_event ("
     "  order_id BIGINT NOT NULL,"
     "  seq INTEGER NOT NULL,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  from_state TEXT,"
     "  to_state TEXT,"
     "  detail TEXT,"
     "  PRIMARY KEY (order_id, seq));"
     "CREATE TABLE order_number ("
     "  county TEXT NOT NULL,"
     "  day TEXT NOT NULL,"
     "  last INTEGER NOT NULL,"
     "  PRIMARY KEY (county, day));"},
    {7, "full-text search over order titles and content (trigram, so Chinese works)",
     "CREATE VIRTUAL TABLE order_fts USING fts5(title, content, tokenize = 'trigram');",
     "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
     "CREATE INDEX work_order_text ON work_order USING gin ((title || ' ' || content) "
     "gin_trgm_ops);"},
    {8, "what the order state machine needs to remember",
     "ALTER TABLE work_order ADD COLUMN before_suspend TEXT;"
     "ALTER TABLE work_order ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN self_handler TEXT;"
     "ALTER TABLE work_order ADD COLUMN direct_answer INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN extension_pending INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN rework_count INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN special_team INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN unreached INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE work_order ADD COLUMN satisfaction TEXT;"
     "ALTER TABLE work_order ADD COLUMN master_id INTEGER;",
     NULL},
    {9, "deadlines on working time",
     "ALTER TABLE work_order ADD COLUMN dispatched_at INTEGER;"
     "ALTER TABLE work_order ADD COLUMN sign_deadline INTEGER;"
     "ALTER TABLE work_order ADD COLUMN reply_deadline INTEGER;",
     NULL},
    {11, "handling units, the regions they serve, and routing rules",
     "CREATE TABLE unit ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE unit_region ("
     "  unit_id TEXT NOT NULL,"
     "  region TEXT NOT NULL,"
     "  PRIMARY KEY (unit_id, region));"
     "CREATE TABLE route_rule ("
     "  id INTEGER PRIMARY KEY,"
     "  item TEXT NOT NULL,"
     "  region TEXT NOT NULL,"
     "  lead TEXT NOT NULL,"
     "  assisting TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);",
     "CREATE TABLE unit ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE unit_region ("
     "  unit_id TEXT NOT NULL,"
     "  region TEXT NOT NULL,"
     "  PRIMARY KEY (unit_id, region));"
     "CREATE TABLE route_rule ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  item TEXT NOT NULL,"
     "  region TEXT NOT NULL,"
     "  lead TEXT NOT NULL,"
     "  assisting TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"},
    /* The delivery outbox (domain/notify/notify.h): one row per notification, written in the
     * transaction of the change that caused it, delivered by the worker. outbox_due serves
     * the worker's pick-up of due rows (only undelivered ones are in it); outbox_recipient
     * serves a person's own list, newest first. */
    {10, "the notification delivery outbox",
     "CREATE TABLE outbox ("
     "  id INTEGER PRIMARY KEY,"
     "  recipient TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  order_id INTEGER,"
     "  payload TEXT NOT NULL,"
     "  state TEXT NOT NULL,"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt_at INTEGER NOT NULL,"
     "  last_error TEXT,"
     "  created_at TEXT NOT NULL,"
     "  delivered_at TEXT);"
     "CREATE INDEX outbox_due ON outbox(next_attempt_at, id) "
     "WHERE state IN ('pending', 'sending');"
     "CREATE INDEX outbox_recipient ON outbox(recipient, id);",
     "CREATE TABLE outbox ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  recipient TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  order_id BIGINT,"
     "  payload TEXT NOT NULL,"
     "  state TEXT NOT NULL,"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt_at BIGINT NOT NULL,"
     "  last_error TEXT,"
     "  created_at TEXT NOT NULL,"
     "  delivered_at TEXT);"
     "CREATE INDEX outbox_due ON outbox(next_attempt_at, id) "
     "WHERE state IN ('pending', 'sending');"
     "CREATE INDEX outbox_recipient ON outbox(recipient, id);"},
    {12, "automatic supervision of orders past their reply deadline",
     "ALTER TABLE work_order ADD COLUMN auto_supervised INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX work_order_deadline ON work_order(reply_deadline);",
     NULL},
    {13, "photos of orders, stored by content hash on disk",
     "CREATE TABLE order_photo ("
     "  order_id INTEGER NOT NULL,"
     "  sha256 TEXT NOT NULL,"
     "  mime TEXT NOT NULL,"
     "  size INTEGER NOT NULL,"
     "  created_by TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  PRIMARY KEY (order_id, sha256));"
     "CREATE INDEX order_photo_hash ON order_photo(sha256);",
     NULL},
    /* Co-handling (协办): the assisting units of an order beside its lead (work_order.unit),
     * in the order given at dispatch, with when each signed and replied its part. Special
     * lines (专班, judicial, joint conference, assistance): one row per line an order went
     * to. Catalog versions: each admin change stores the whole catalog's JSON form; the
     * newest is the one in force (version 0, never stored, is the shipped defaults). */
    {14, "co-handling units, special lines and stored catalog versions",
     "CREATE TABLE order_assist ("
     "  order_id INTEGER NOT NULL,"
     "  unit TEXT NOT NULL,"
     "  pos INTEGER NOT NULL,"
     "  signed_at TEXT,"
     "  replied_at TEXT,"
     "  PRIMARY KEY (order_id, unit));"
     "CREATE INDEX order_assist_unit ON order_assist(unit, order_id);"
     "CREATE INDEX work_order_unit ON work_order(unit);"
     "CREATE INDEX work_order_master ON work_order(master_id);"
     "CREATE TABLE order_line ("
     "  order_id INTEGER NOT NULL,"
     "  line TEXT NOT NULL,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  PRIMARY KEY (order_id, line));"
     "CREATE INDEX order_line_line ON order_line(line, order_id);"
     "CREATE TABLE catalog_version ("
     "  version INTEGER PRIMARY KEY,"
     "  body TEXT NOT NULL,"
     "  created_by TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  change TEXT NOT NULL);",
     NULL},
    /* What an Open311 client sent beside the order (domain/open311/open311.h): the answers to the
     * service definition's attributes (a JSON object), the token it may poll, the client
     * (API key id), and the reporter's e-mail, device and account ids, sealed like the
     * order's reporter. order_event_at serves the service request updates by time. */
    {15, "Open311 requests: attribute values, tokens, sealed contact fields",
     "CREATE TABLE open311_request ("
     "  order_id INTEGER PRIMARY KEY,"
     "  token TEXT NOT NULL UNIQUE,"
     "  client TEXT NOT NULL,"
     "  attributes TEXT NOT NULL,"
     "  address_id TEXT,"
     "  media_url TEXT,"
     "  email TEXT, device_id TEXT, account_id TEXT);"
     "CREATE INDEX order_event_at ON order_event(at);",
     NULL},
    /* Indicator counters (domain/stats/stats.h), kept in the transaction of every order change:
     * stat_cell holds the counts per CST day, leaf (grid, or county for an order without a
     * point), unit, catalog item and channel — the truth every answer comes from; stat_log
     * carries each change's deltas in commit order, so that every server sharing the store
     * can keep its in-memory roll-ups current without rereading the cells. The key starts
     * with the day: nearly every change counts today or the next few days, so a batch's
     * upserts share a few pages instead of dirtying one page per grid. */
    {16, "indicator counters per day, place, unit, item and channel, and their change log",
     "CREATE TABLE stat_cell ("
     "  leaf TEXT NOT NULL, day INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  received INTEGER NOT NULL DEFAULT 0, dispatched INTEGER NOT NULL DEFAULT 0,"
     "  direct INTEGER NOT NULL DEFAULT 0, signed_on_time INTEGER NOT NULL DEFAULT 0,"
     "  finished INTEGER NOT NULL DEFAULT 0, finished_on_time INTEGER NOT NULL DEFAULT 0,"
     "  pending_due INTEGER NOT NULL DEFAULT 0, called_back INTEGER NOT NULL DEFAULT 0,"
     "  rated INTEGER NOT NULL DEFAULT 0, satisfied INTEGER NOT NULL DEFAULT 0,"
     "  resolved INTEGER NOT NULL DEFAULT 0, reopened INTEGER NOT NULL DEFAULT 0,"
     "  returned INTEGER NOT NULL DEFAULT 0, rework INTEGER NOT NULL DEFAULT 0,"
     "  repeat INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0,"
     "  open INTEGER NOT NULL DEFAULT 0, handling_minutes INTEGER NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (day, leaf, unit, item, channel)) WITHOUT ROWID;"
     "CREATE TABLE stat_log ("
     "  seq INTEGER PRIMARY KEY,"
     "  at INTEGER NOT NULL,"
     "  deltas TEXT NOT NULL);",
     "CREATE TABLE stat_cell ("
     "  leaf TEXT NOT NULL, day INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,"
     "  channel TEXT NOT NULL,"
     "  received BIGINT NOT NULL DEFAULT 0, dispatched BIGINT NOT NULL DEFAULT 0,"
     "  direct BIGINT NOT NULL DEFAULT 0, signed_on_time BIGINT NOT NULL DEFAULT 0,"
     "  finished BIGINT NOT NULL DEFAULT 0, finished_on_time BIGINT NOT NULL DEFAULT 0,"
     "  pending_due BIGINT NOT NULL DEFAULT 0, called_back BIGINT NOT NULL DEFAULT 0,"
     "  rated BIGINT NOT NULL DEFAULT 0, satisfied BIGINT NOT NULL DEFAULT 0,"
     "  resolved BIGINT NOT NULL DEFAULT 0, reopened BIGINT NOT NULL DEFAULT 0,"
     "  returned BIGINT NOT NULL DEFAULT 0, rework BIGINT NOT NULL DEFAULT 0,"
     "  repeat BIGINT NOT NULL DEFAULT 0, handled BIGINT NOT NULL DEFAULT 0,"
     "  open BIGINT NOT NULL DEFAULT 0, handling_minutes BIGINT NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (day, leaf, unit, item, channel));"
     "CREATE TABLE stat_log ("
     "  seq BIGSERIAL PRIMARY KEY,"
     "  at BIGINT NOT NULL,"
     "  deltas TEXT NOT NULL);"},
    /* The residents' portal (domain/portal/portal.h): an appeal's tracking code, kept only as its
     * SHA-256, and the portal type it was filed under (a colour bag or an appeal type); the
     * resident's own rating of an order, once; and the throttle's counters, one row per key
     * and fixed window, shared by every server on the store. */
    {17, "the residents' portal: tracking codes, ratings and throttle counters",
     "CREATE TABLE portal_appeal ("
     "  code_hash TEXT PRIMARY KEY,"
     "  order_id INTEGER NOT NULL UNIQUE,"
     "  portal_type TEXT NOT NULL,"
     "  source TEXT,"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE order_rating ("
     "  order_id INTEGER PRIMARY KEY,"
     "  satisfaction TEXT NOT NULL,"
     "  resolved INTEGER NOT NULL,"
     "  comment TEXT,"
     "  rated_at TEXT NOT NULL);"
     "CREATE TABLE portal_throttle ("
     "  key TEXT NOT NULL,"
     "  win INTEGER NOT NULL,"
     "  hits INTEGER NOT NULL,"
     "  expires INTEGER NOT NULL,"
     "  PRIMARY KEY (key, win));"
     "CREATE INDEX portal_throttle_expires ON portal_throttle(expires);",
     "CREATE TABLE portal_appeal ("
     "  code_hash TEXT PRIMARY KEY,"
     "  order_id BIGINT NOT NULL UNIQUE,"
     "  portal_type TEXT NOT NULL,"
     "  source TEXT,"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE order_rating ("
     "  order_id BIGINT PRIMARY KEY,"
     "  satisfaction TEXT NOT NULL,"
     "  resolved INTEGER NOT NULL,"
     "  comment TEXT,"
     "  rated_at TEXT NOT NULL);"
     "CREATE TABLE portal_throttle ("
     "  key TEXT NOT NULL,"
     "  win BIGINT NOT NULL,"
     "  hits INTEGER NOT NULL,"
     "  expires BIGINT NOT NULL,"
     "  PRIMARY KEY (key, win));"
     "CREATE INDEX portal_throttle_expires ON portal_throttle(expires);"},
    /* The indicators' roll-ups (domain/stats/stats.h, stats_cube.h): per day, the cells summed by
     * town (or the county, for orders without a point) — view 0 — and by county and catalog
     * item (1), unit (2) or channel (3), as of the change log's row stat_roll_pos.seq. A
     * server builds its in-memory roll-ups from these few rows at start, then applies the log
     * after that position, instead of reading every cell. The servers' minute sweep folds the
     * log into them (off the orders' transactions). Filled here from the cells counted. */
    {18, "indicator roll-ups per day by town, and by county and item, unit or channel",
     "CREATE TABLE stat_roll ("
     "  day INTEGER NOT NULL, node TEXT NOT NULL, view INTEGER NOT NULL, dim TEXT NOT NULL,"
     "  received INTEGER NOT NULL DEFAULT 0,"
     "  dispatched INTEGER NOT NULL DEFAULT 0,"
     "  direct INTEGER NOT NULL DEFAULT 0,"
     "  signed_on_time INTEGER NOT NULL DEFAULT 0,"
     "  finished INTEGER NOT NULL DEFAULT 0,"
     "  finished_on_time INTEGER NOT NULL DEFAULT 0,"
     "  pending_due INTEGER NOT NULL DEFAULT 0,"
     "  called_back INTEGER NOT NULL DEFAULT 0,"
     "  rated INTEGER NOT NULL DEFAULT 0,"
     "  satisfied INTEGER NOT NULL DEFAULT 0,"
     "  resolved INTEGER NOT NULL DEFAULT 0,"
     "  reopened INTEGER NOT NULL DEFAULT 0,"
     "  returned INTEGER NOT NULL DEFAULT 0,"
     "  rework INTEGER NOT NULL DEFAULT 0,"
     "  repeat INTEGER NOT NULL DEFAULT 0,"
     "  handled INTEGER NOT NULL DEFAULT 0,"
     "  open INTEGER NOT NULL DEFAULT 0,"
     "  handling_minutes INTEGER NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (day, node, view, dim)) WITHOUT ROWID;"
     "CREATE TABLE stat_roll_pos (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);" WG_STAT_ROLL_FILL,
     "CREATE TABLE stat_roll ("
     "  day INTEGER NOT NULL, node TEXT NOT NULL, view INTEGER NOT NULL, dim TEXT NOT NULL,"
     "  received BIGINT NOT NULL DEFAULT 0,"
     "  dispatched BIGINT NOT NULL DEFAULT 0,"
     "  direct BIGINT NOT NULL DEFAULT 0,"
     "  signed_on_time BIGINT NOT NULL DEFAULT 0,"
     "  finished BIGINT NOT NULL DEFAULT 0,"
     "  finished_on_time BIGINT NOT NULL DEFAULT 0,"
     "  pending_due BIGINT NOT NULL DEFAULT 0,"
     "  called_back BIGINT NOT NULL DEFAULT 0,"
     "  rated BIGINT NOT NULL DEFAULT 0,"
     "  satisfied BIGINT NOT NULL DEFAULT 0,"
     "  resolved BIGINT NOT NULL DEFAULT 0,"
     "  reopened BIGINT NOT NULL DEFAULT 0,"
     "  returned BIGINT NOT NULL DEFAULT 0,"
     "  rework BIGINT NOT NULL DEFAULT 0,"
     "  repeat BIGINT NOT NULL DEFAULT 0,"
     "  handled BIGINT NOT NULL DEFAULT 0,"
     "  open BIGINT NOT NULL DEFAULT 0,"
     "  handling_minutes BIGINT NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (day, node, view, dim));"
     "CREATE TABLE stat_roll_pos (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL);" WG_STAT_ROLL_FILL},
    /* The full-text index is made behind intake instead of in each create's batch: every
     * order whose id is above order_fts_mark.upto is still to be indexed (ids only grow),
     * and the entries and the new mark commit together, so a crash loses nothing and
     * indexes nothing twice. Every order already in the store is indexed. */
    {19, "the full-text index made behind intake, up to a mark",
     "CREATE TABLE order_fts_mark (upto INTEGER NOT NULL);"
     "INSERT INTO order_fts_mark(upto) SELECT COALESCE(MAX(id), 0) FROM work_order;",
     "CREATE TABLE order_fts_mark (upto BIGINT NOT NULL);"
     "INSERT INTO order_fts_mark(upto) SELECT COALESCE(MAX(id), 0) FROM work_order;"},
    /* SQLite: the text index moves to a file of its own beside the store, written by the
     * text indexer's own connection, so indexing no longer holds the store's write lock
     * (sqlite.c makes that file, with the entries and mark of the index here, before the
     * migrations run). PostgreSQL searches the orders table itself and needs no mark. */
    {20, "the text index in a file of its own",
     "DROP TABLE IF EXISTS main.order_fts; DROP TABLE IF EXISTS main.order_fts_mark;",
     "DROP TABLE IF EXISTS order_fts_mark;"},
    /* A new order has no lead unit, no master and no reply deadline yet: indexes of those
     * columns hold only the orders that have one, so intake writes three index entries
     * fewer per order. Every statement that looks them up compares them with a value, which
     * SQLite and PostgreSQL both take as implying NOT NULL. */
    {21, "the unit, master and reply-deadline indexes without the orders that have none",
     "DROP INDEX work_order_unit; DROP INDEX work_order_master; DROP INDEX work_order_deadline;"
     "CREATE INDEX work_order_unit ON work_order(unit) WHERE unit IS NOT NULL;"
     "CREATE INDEX work_order_master ON work_order(master_id) WHERE master_id IS NOT NULL;"
     "CREATE INDEX work_order_deadline ON work_order(reply_deadline)"
     " WHERE reply_deadline IS NOT NULL;",
     NULL},
    /* No statement looks orders up by grid or by creation time: the lists walk the orders
     * newest first and filter. On SQLite the reporter's phone is looked up beside the text
     * index (order_phone in sqlite.c, filled by the text indexer). So intake writes three
     * index entries fewer per order, two of them at random places (bench/intake: the
     * writer's time per create fell by a third). PostgreSQL keeps the phone index. */
    {22, "no order indexes of grid and creation time; SQLite's phone lookup beside the text index",
     "DROP INDEX work_order_grid; DROP INDEX work_order_created; DROP INDEX work_order_phone;",
     "DROP INDEX work_order_grid; DROP INDEX work_order_created;"},
};
const size_t wg_nmigrations = sizeof wg_migrations / sizeof wg_migrations[0];
