/* Numbered schema migrations. Each is applied once, in a transaction, and recorded in
 * schema_version. Never edit a released migration: add the next number. */
#include "store/migrations.h"

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
    /* The append-only audit log (domain/audit.h). The triggers refuse UPDATE and DELETE from
     * any client; the hash chain is what shows tampering by someone who drops them. */
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
};
const size_t wg_nmigrations = sizeof wg_migrations / sizeof wg_migrations[0];
