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
};
const size_t wg_nmigrations = sizeof wg_migrations / sizeof wg_migrations[0];
