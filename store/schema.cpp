// Opening a store: the connection's settings and the migration runner.
#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "store/sqlite_util.hpp"
#include "store/store.hpp"

#include <chrono>

namespace sof::store {

using detail::exec;
using detail::statement;
using detail::transaction;

namespace {

caf::error check_list(std::span<const migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i)
    if (migrations[i].version != static_cast<int>(i) + 1 || migrations[i].sql == nullptr)
      return make_error(errc::invalid_argument,
                        "store: migration #" + std::to_string(i + 1) + " is numbered "
                          + std::to_string(migrations[i].version)
                          + "; migrations must be numbered 1, 2, 3... in order");
  return {};
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Scripts run with foreign keys off, as SQLite's documented procedure for
// schema changes requires: rebuilding a parent table (create new, copy, drop
// old, rename) would otherwise cascade-delete every child row on the DROP.
// PRAGMA foreign_keys is a no-op inside a transaction, hence this guard
// around the whole run; foreign_key_check before each commit catches a
// script that broke references.
class foreign_keys_off {
 public:
  explicit foreign_keys_off(sqlite3* db) : db_(db) {
    sqlite3_exec(db_, "PRAGMA foreign_keys = OFF", nullptr, nullptr, nullptr);
  }
  ~foreign_keys_off() { sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_;
};

}  // namespace

caf::expected<std::unique_ptr<database>> database::open(const std::string& path) {
  return open_with(path, builtin_migrations());
}

caf::expected<std::unique_ptr<database>>
database::open_with(const std::string& path, std::span<const migration> migrations) {
  if (path.empty())
    return make_error(errc::invalid_argument, "store: empty database path");
  if (auto err = check_list(migrations))
    return err;
  sqlite3* raw = nullptr;
  // NOMUTEX: the database mutex already serializes every use of the handle.
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    auto err = detail::sql_error(raw, rc, "store: cannot open " + path);
    sqlite3_close_v2(raw);
    return err;
  }
  // Not yet shared with any other thread: no lock needed until returned.
  std::unique_ptr<database> db{new database(raw, path)};
  if (auto err = db->configure())
    return err;
  if (auto err = db->migrate(migrations))
    return err;
  return db;
}

database::~database() {
  if (db_ == nullptr)
    return;
  // Refreshes the planner's statistics where they went stale; cheap, and
  // recommended by SQLite before closing a long-lived connection.
  sqlite3_exec(db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

caf::error database::configure() {
  sqlite3_extended_result_codes(db_, 1);  // tells FK from UNIQUE violations
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  // The first statement that reads the file: a file that is not SQLite (or
  // a damaged header) fails here as corrupt_data naming the path.
  std::string mode;
  {
    statement st{db_, "PRAGMA journal_mode = WAL", "store: " + path_};
    auto row = st.step();
    if (!row)
      return std::move(row.error());
    mode = st.text(0);
  }
  // WAL lets readers run beside the one writer; only in-memory databases
  // (tests) cannot have it.
  if (mode != "wal")
    log::get("store")->warn("{}: journal mode is {}, not wal", path_, mode);
  if (auto err = exec(db_, "PRAGMA foreign_keys = ON", "store: enable foreign keys"))
    return err;
  // The cascades and tenant-scoped child rows depend on enforcement: a
  // SQLite built without it would silently keep orphans.
  statement check{db_, "PRAGMA foreign_keys", "store: check foreign keys"};
  auto row = check.step();
  if (!row)
    return std::move(row.error());
  if (!*row || check.int64(0) != 1)
    return make_error(errc::unsupported, "store: this SQLite does not enforce foreign keys");
  // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the
  // last commits, which the session journal on disk still holds.
  return exec(db_, "PRAGMA synchronous = NORMAL", "store: set synchronous");
}

caf::expected<int> database::read_version() {
  statement has{db_,
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'table' AND name = 'schema_migrations'",
                "store: " + path_};
  auto row = has.step();
  if (!row)
    return std::move(row.error());
  if (has.int64(0) == 0) {
    // No migration table: a fresh file, or somebody else's database that we
    // must not write our tables into.
    statement any{db_, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
                  "store: " + path_};
    auto r = any.step();
    if (!r)
      return std::move(r.error());
    if (any.int64(0) != 0)
      return make_error(errc::corrupt_data,
                        "store: " + path_
                          + " is a SQLite database but not a Scale or Fail store "
                            "(it has tables but no schema_migrations)");
    return 0;
  }
  statement max{db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                "store: " + path_};
  auto r = max.step();
  if (!r)
    return std::move(r.error());
  return static_cast<int>(max.int64(0));
}

caf::error database::migrate(std::span<const migration> migrations) {
  auto current = read_version();
  if (!current)
    return std::move(current.error());
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (*current > known)
    return make_error(errc::unsupported,
                      "store: " + path_ + " has schema version " + std::to_string(*current)
                        + ", newer than version " + std::to_string(known)
                        + ", the latest this build knows; run a newer sof or use "
                          "another database file");
  auto logger = log::get("store");
  if (*current < known) {
    foreign_keys_off fk_off{db_};
    for (const auto& m : migrations) {
      if (m.version <= *current)
        continue;
      transaction tx{db_};
      if (auto err = tx.begin_write())
        return err;
      // Another process may have migrated between our read and the lock.
      auto now = read_version();
      if (!now)
        return std::move(now.error());
      if (*now >= m.version)
        continue;
      const std::string what = "store: migration v" + std::to_string(m.version) + " ("
                               + m.name + ") on " + path_;
      if (auto err = exec(db_,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)",
                          what))
        return err;
      if (auto err = exec(db_, m.sql, what))
        return err;
      statement fk{db_, "PRAGMA foreign_key_check", what};
      auto broken = fk.step();
      if (!broken)
        return std::move(broken.error());
      if (*broken)
        return make_error(errc::corrupt_data,
                          what + ": leaves rows in " + fk.text(0) + " without their parent");
      statement rec{db_, "INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)",
                    what};
      if (auto err = rec.bind(m.version).bind(now_ms()).run())
        return err;
      if (auto err = tx.commit())
        return err;
      logger->info("{}: applied schema migration v{} ({})", path_, m.version, m.name);
    }
  }
  auto done = read_version();
  if (!done)
    return std::move(done.error());
  version_ = *done;
  logger->debug("{}: opened at schema v{}", path_, version_);
  return {};
}

}  // namespace sof::store
