#pragma once
// Thin RAII over the SQLite C API for the store's own use: prepared
// statements with positionally bound parameters (values never reach SQL
// text), transactions that roll back unless committed, and SQLite result
// codes mapped to sof::errc. Internal to sof_store.
#include "actors/common/errors.hpp"

#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace sof::store::detail {

/// Maps a SQLite result code to a sof error; `what` says what we were doing.
caf::error sql_error(sqlite3* db, int rc, std::string_view what);

/// Runs parameterless SQL (schema scripts, pragmas, BEGIN/COMMIT).
caf::error exec(sqlite3* db, const char* sql, std::string_view what);

/// One prepared statement. A failure to prepare or bind is held and reported
/// by the first step(), so call sites read as one chain.
class statement {
 public:
  statement(sqlite3* db, std::string_view sql, std::string_view what);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  /// Binds the next parameter (?1, ?2, ... in call order).
  statement& bind(std::string_view v);
  statement& bind(const std::string& v) { return bind(std::string_view{v}); }
  statement& bind(const char* v) { return bind(std::string_view{v}); }
  statement& bind(double v);
  template <std::integral T>
  statement& bind(T v) { return bind_int64(static_cast<int64_t>(v)); }

  /// true: a row is ready to read; false: the statement is done.
  caf::expected<bool> step();
  /// Steps to completion, ignoring rows (INSERT/UPDATE/DELETE).
  caf::error run();

  std::string text(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;

 private:
  statement& bind_int64(int64_t v);
  void check_bind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;  // first prepare/bind failure
  int next_ = 1;
  std::string what_;
};

/// BEGIN ... COMMIT, rolled back by the destructor unless committed (an
/// early error return then leaves no partial write behind).
class transaction {
 public:
  explicit transaction(sqlite3* db) : db_(db) {}
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  /// Writers use IMMEDIATE: taking the write lock up front means waiting in
  /// busy_timeout instead of failing mid-transaction on a lock upgrade.
  caf::error begin_write();
  caf::error begin_read();
  caf::error commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace sof::store::detail
