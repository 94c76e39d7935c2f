#pragma once
// The store's schema as an ordered list of SQL scripts. A database records
// each script it has run in `schema_migrations(version, applied_ms)`; opening
// runs the missing ones in order, each in its own transaction, so a failed
// upgrade leaves the file at the last good version.
//
// To change the schema, append a script to the list in migrations.cpp with
// the next version number. Never edit a published script: databases in the
// field have already run it.
#include <span>

namespace sof::store {

struct migration {
  int version;       // 1, 2, 3... in list order
  const char* name;  // a few words for the log
  const char* sql;   // one or more statements
};

/// The migrations this build knows, oldest first.
std::span<const migration> builtin_migrations();

/// The schema version this build creates (the last builtin migration).
int latest_schema_version();

}  // namespace sof::store
