#pragma once
// The hosted service's storage: interview sessions, their transcript
// segments, follow-up questions and scorecards in one SQLite file.
//
// Multi-tenancy is enforced here, not by callers: every method that touches
// a session takes the tenant and every statement filters on it, so a bug in
// the server cannot leak one tenant's data to another. Errors are values
// (sof::errc): not_found, invalid_argument, corrupt_data, unsupported,
// io_error.
//
// Thread safety: one `database` owns one SQLite connection, and every public
// method takes an internal mutex, so the server may call it from any number
// of threads; calls are serialized (SQLite writes are serialized anyway, and
// the per-call work is small). Another process may share the file (WAL
// readers never block the writer; writers wait up to the busy timeout).
#include "store/migrations.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace sof::store {

struct session_row {
  std::string id, tenant, user, question_id, question_title;
  std::string status;          // live | completed | interrupted | failed
  int64_t created_ms = 0, ended_ms = 0;
  std::string verdict;         // scale | fail | "" while live
  double overall = 0;
  std::string journal_path;
  std::string error;
};

struct segment_row {
  uint32_t utt = 0;
  int64_t start_ms = 0, end_ms = 0;
  std::string text;
  std::string words_json = "[]";         // [{"word","start","end","confidence"}]
  std::string alternatives_json = "[]";  // ["n-best text", ...]
  std::string recognizer;                // "pocketsphinx", "openai", ""
  std::vector<float> adapt_state;        // decoded from (empty: initial)
};

struct followup_row {
  uint32_t turn = 0;
  std::string action, text, point_id;
  int64_t at_ms = 0;
};

struct session_detail {
  session_row session;
  std::vector<segment_row> segments;      // ordered by utt
  std::vector<followup_row> followups;    // ordered by turn
  std::string scorecard_json;             // "" until graded
  std::string delivery_json;              // "" until finished
};

/// A graded session and its scorecard, for progress over time.
struct progress_row {
  session_row session;
  std::string scorecard_json;  // "" if none was stored
};

struct session_page {
  std::vector<session_row> items;
  std::string next_cursor;  // "" = no more pages
};

/// Page sizes above this are clamped: one request cannot pull a whole tenant.
inline constexpr uint32_t max_page_size = 100;

/// How long a statement waits for another connection's write lock.
inline constexpr int busy_timeout_ms = 5000;

class database {
 public:
  /// Opens (creating) the file, sets WAL, foreign keys, busy_timeout, and
  /// applies pending migrations in one transaction each; refuses a database
  /// whose schema is newer than this build knows (errc::unsupported naming
  /// both versions), a file that is not SQLite (errc::corrupt_data) and a
  /// SQLite file that is not a store (errc::corrupt_data).
  static caf::expected<std::unique_ptr<database>> open(const std::string& path);

  /// open() with an explicit migration list: tests use it to create a
  /// database with an older list and then upgrade it. `migrations` must be
  /// numbered 1, 2, 3... in order (errc::invalid_argument otherwise).
  static caf::expected<std::unique_ptr<database>>
  open_with(const std::string& path, std::span<const migration> migrations);

  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// The highest migration applied (fixed after open).
  int schema_version() const { return version_; }

  /// Inserts a new session. tenant, id and user must be non-empty; status
  /// and verdict must be among the values above. An existing (tenant, id)
  /// is errc::invalid_argument.
  caf::error create_session(const session_row& s);

  /// Idempotent per (session, utt): a replayed segment replaces, never
  /// duplicates. errc::not_found when the session is missing or another
  /// tenant's.
  caf::error add_segment(const std::string& tenant, const std::string& session_id,
                         const segment_row& seg);

  /// Idempotent per (session, turn), like add_segment.
  caf::error add_followup(const std::string& tenant, const std::string& session_id,
                          const followup_row& f);

  /// Closes a session: status (completed | interrupted | failed), verdict,
  /// score, error text, and the scorecard/delivery JSON (stored when
  /// non-empty), all in one transaction. Calling it again overwrites.
  caf::error finish_session(const std::string& tenant, const std::string& session_id,
                            const std::string& status, int64_t ended_ms,
                            const std::string& verdict, double overall,
                            const std::string& scorecard_json,
                            const std::string& delivery_json, const std::string& error);

  /// errc::not_found for another tenant's or a missing id, with the same
  /// message either way: existence is never revealed across tenants.
  caf::expected<session_detail> get_session(const std::string& tenant, const std::string& id);

  /// One user's sessions, newest first (created_ms, then id, descending),
  /// by keyset pagination: pass "" for the first page, then next_cursor.
  /// `limit` is 1..max_page_size (larger is clamped, 0 is invalid). A
  /// malformed cursor is errc::invalid_argument. The cursor only says where
  /// to resume: a forged one still cannot reach beyond (tenant, user).
  caf::expected<session_page> list_sessions(const std::string& tenant, const std::string& user,
                                            uint32_t limit, const std::string& cursor);

  /// One user's graded sessions (verdict not ""; a session drained at
  /// shutdown is graded too), the most recent `limit` of them in order
  /// oldest to newest, each with its scorecard JSON. `limit` is
  /// 1..max_page_size (larger is clamped, 0 is invalid).
  caf::expected<std::vector<progress_row>> progress(const std::string& tenant,
                                                    const std::string& user, uint32_t limit);

  /// Deletes one user's session with its segments, follow-ups and scorecard
  /// (ON DELETE CASCADE). Returns the session's journal path when a session
  /// was deleted (possibly "" if it had none) so that the caller unlinks the
  /// journal file too (erasing a user's data must erase the journal), and
  /// nullopt when there was nothing to delete: missing, another tenant's or
  /// another user's.
  caf::expected<std::optional<std::string>>
  delete_session(const std::string& tenant, const std::string& user, const std::string& id);

  /// Sessions of a tenant created at or after since_ms (per-day limits).
  caf::expected<uint32_t> count_sessions_since(const std::string& tenant, int64_t since_ms);

  /// Sessions left 'live' by a crash are marked interrupted (ended_ms =
  /// now_ms) at start-up, across all tenants; returns how many.
  caf::expected<uint32_t> mark_live_as_interrupted(int64_t now_ms);

 private:
  database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  caf::error configure();
  caf::error migrate(std::span<const migration> migrations);
  caf::expected<int> read_version();

  sqlite3* db_ = nullptr;
  std::string path_;
  int version_ = 0;
  std::mutex mtx_;  // one connection, one caller at a time
};

}  // namespace sof::store
