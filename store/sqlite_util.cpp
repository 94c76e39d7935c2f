#include "store/sqlite_util.hpp"

namespace sof::store::detail {

caf::error sql_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg{what};
  msg += ": ";
  // errmsg describes the connection's latest failure, which is this one:
  // callers hold the database mutex from the failing call to here.
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      // A missing parent row: the session does not exist for this tenant.
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return make_error(errc::not_found, std::move(msg));
      return make_error(errc::invalid_argument, std::move(msg));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return make_error(errc::corrupt_data, std::move(msg));
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return make_error(errc::invalid_argument, std::move(msg));
    default:
      // BUSY, LOCKED, CANTOPEN, IOERR, FULL, READONLY, PERM, ERROR...
      return make_error(errc::io_error, std::move(msg));
  }
}

caf::error exec(sqlite3* db, const char* sql, std::string_view what) {
  char* raw = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &raw);
  sqlite3_free(raw);  // sqlite3_errmsg still holds the text
  if (rc != SQLITE_OK)
    return sql_error(db, rc, what);
  return {};
}

statement::statement(sqlite3* db, std::string_view sql, std::string_view what)
    : db_(db), what_(what) {
  rc_ = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
}

statement::~statement() { sqlite3_finalize(stmt_); }

void statement::check_bind(int rc) {
  if (rc != SQLITE_OK && rc_ == SQLITE_OK)
    rc_ = rc;
  ++next_;
}

statement& statement::bind(std::string_view v) {
  if (rc_ != SQLITE_OK)
    return *this;
  // A default string_view has data() == nullptr, which SQLite would store
  // as NULL; the columns are NOT NULL and "" is what the caller meant.
  const char* data = v.data() != nullptr ? v.data() : "";
  check_bind(sqlite3_bind_text64(stmt_, next_, data, v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

statement& statement::bind(double v) {
  if (rc_ == SQLITE_OK)
    check_bind(sqlite3_bind_double(stmt_, next_, v));
  return *this;
}

statement& statement::bind_int64(int64_t v) {
  if (rc_ == SQLITE_OK)
    check_bind(sqlite3_bind_int64(stmt_, next_, v));
  return *this;
}

caf::expected<bool> statement::step() {
  if (rc_ != SQLITE_OK)
    return sql_error(db_, rc_, what_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return sql_error(db_, rc, what_);
}

caf::error statement::run() {
  for (;;) {
    auto more = step();
    if (!more)
      return std::move(more.error());
    if (!*more)
      return {};
  }
}

std::string statement::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr)
    return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double statement::real(int col) const { return sqlite3_column_double(stmt_, col); }

transaction::~transaction() {
  if (open_)
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

caf::error transaction::begin_write() {
  if (auto err = exec(db_, "BEGIN IMMEDIATE", "store: begin transaction"))
    return err;
  open_ = true;
  return {};
}

caf::error transaction::begin_read() {
  if (auto err = exec(db_, "BEGIN", "store: begin transaction"))
    return err;
  open_ = true;
  return {};
}

caf::error transaction::commit() {
  if (auto err = exec(db_, "COMMIT", "store: commit"))
    return err;  // still open: the destructor rolls back
  open_ = false;
  return {};
}

}  // namespace sof::store::detail
