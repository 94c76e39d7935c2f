#pragma once
// Helpers shared by the store tests: scratch directories, sessions with
// defaults, error-code checks and a raw SQLite handle for looking at (and
// tampering with) the file behind the store's back.
#include "actors/common/errors.hpp"
#include "store/cursor.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

namespace sof::store::test {

class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path()
            / ("sof-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline errc code_of(const caf::error& err) {
  if (!err || err.category() != error_category)
    return errc::none;
  return static_cast<errc>(err.code());
}

inline session_row make_session(const std::string& tenant, const std::string& user,
                                const std::string& id, int64_t created_ms) {
  session_row s;
  s.tenant = tenant;
  s.user = user;
  s.id = id;
  s.question_id = "rate-limiter";
  s.question_title = "Design a rate limiter";
  s.status = "live";
  s.created_ms = created_ms;
  s.journal_path = "/var/lib/sof/journals/" + id + ".journal";
  return s;
}

inline std::unique_ptr<database> open_ok(const std::string& path) {
  auto db = database::open(path);
  if (!db) {
    ADD_FAILURE() << describe(db.error());
    return nullptr;
  }
  return std::move(*db);
}

/// A second, independent connection to the same file.
class raw_db {
 public:
  explicit raw_db(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~raw_db() { sqlite3_close(db_); }

  /// The first column of the first row as text ("" when no row).
  std::string query(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  void exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK)
      ADD_FAILURE() << sql << ": " << (msg ? msg : "?");
    sqlite3_free(msg);
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace sof::store::test
