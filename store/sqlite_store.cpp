// The store's queries. Every statement filters on tenant and binds every
// value as a parameter; every public method holds mtx_ for its whole run.
#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "store/cursor.hpp"
#include "store/sqlite_util.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sof::store {

using detail::statement;
using detail::transaction;

namespace {

bool is_status(const std::string& s) {
  return s == "live" || s == "completed" || s == "interrupted" || s == "failed";
}

bool is_verdict(const std::string& v) { return v.empty() || v == "scale" || v == "fail"; }

// CAF 0.17: category() of an empty error dereferences null, hence err first.
bool is_not_found(const caf::error& err) {
  return err && err.category() == error_category
         && err.code() == static_cast<uint8_t>(errc::not_found);
}

// One message for "missing" and "another tenant's": the two must be
// indistinguishable to a caller probing ids.
caf::error session_not_found() { return make_error(errc::not_found, "store: session not found"); }

// %.9g round-trips every float exactly, so a stored state re-decodes an
// utterance to the same words.
std::string encode_floats(const std::vector<float>& v) {
  std::string out;
  char buf[32];
  for (float x : v) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(x));
    out += (out.empty() ? "" : ",") + std::string{buf};
  }
  return out;
}

// A stored state that does not parse is dropped (the utterance then
// re-decodes from the initial state), never half-used.
std::vector<float> decode_floats(const std::string& s) {
  std::vector<float> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto j = s.find(',', i);
    if (j == std::string::npos)
      j = s.size();
    char* end = nullptr;
    std::string part = s.substr(i, j - i);
    float x = std::strtof(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size() || !std::isfinite(x))
      return {};
    out.push_back(x);
    i = j + 1;
  }
  return out;
}

caf::error uniform(caf::error err) { return is_not_found(err) ? session_not_found() : err; }

caf::error need(const std::string& value, const char* name) {
  if (value.empty())
    return make_error(errc::invalid_argument, std::string{"store: "} + name + " is required");
  return {};
}

// The session columns in session_row order; read_session depends on it.
#define SOF_SESSION_COLUMNS                                                      \
  "id, tenant, user_id, question_id, question_title, status, created_ms, " \
  "ended_ms, verdict, overall, journal_path, error"

session_row read_session(const statement& st) {
  session_row s;
  s.id = st.text(0);
  s.tenant = st.text(1);
  s.user = st.text(2);
  s.question_id = st.text(3);
  s.question_title = st.text(4);
  s.status = st.text(5);
  s.created_ms = st.int64(6);
  s.ended_ms = st.int64(7);
  s.verdict = st.text(8);
  s.overall = st.real(9);
  s.journal_path = st.text(10);
  s.error = st.text(11);
  return s;
}

}  // namespace

caf::error database::create_session(const session_row& s) {
  if (auto err = need(s.tenant, "tenant"))
    return err;
  if (auto err = need(s.id, "session id"))
    return err;
  if (auto err = need(s.user, "user"))
    return err;
  if (!is_status(s.status))
    return make_error(errc::invalid_argument, "store: unknown session status '" + s.status + "'");
  if (!is_verdict(s.verdict))
    return make_error(errc::invalid_argument, "store: unknown verdict '" + s.verdict + "'");
  if (!std::isfinite(s.overall))
    return make_error(errc::invalid_argument, "store: overall score is not a finite number");
  std::lock_guard<std::mutex> guard{mtx_};
  statement st{db_,
               "INSERT INTO sessions (" SOF_SESSION_COLUMNS ") "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "store: create session"};
  st.bind(s.id).bind(s.tenant).bind(s.user).bind(s.question_id).bind(s.question_title);
  st.bind(s.status).bind(s.created_ms).bind(s.ended_ms).bind(s.verdict).bind(s.overall);
  st.bind(s.journal_path).bind(s.error);
  return st.run();
}

caf::error database::add_segment(const std::string& tenant, const std::string& session_id,
                                 const segment_row& seg) {
  std::lock_guard<std::mutex> guard{mtx_};
  // The composite foreign key is the tenant check: a session id of another
  // tenant has no parent row under this tenant, so the insert fails.
  statement st{db_,
               "INSERT INTO segments (tenant, session_id, utt, start_ms, end_ms, text, "
               "words_json, alternatives_json, recognizer, adapt_state) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, session_id, utt) DO UPDATE SET "
               "start_ms = excluded.start_ms, end_ms = excluded.end_ms, text = excluded.text, "
               "words_json = excluded.words_json, "
               "alternatives_json = excluded.alternatives_json, "
               "recognizer = excluded.recognizer, adapt_state = excluded.adapt_state",
               "store: add segment"};
  st.bind(tenant).bind(session_id).bind(seg.utt).bind(seg.start_ms).bind(seg.end_ms);
  st.bind(seg.text).bind(seg.words_json).bind(seg.alternatives_json);
  st.bind(seg.recognizer).bind(encode_floats(seg.adapt_state));
  return uniform(st.run());
}

caf::error database::add_followup(const std::string& tenant, const std::string& session_id,
                                  const followup_row& f) {
  std::lock_guard<std::mutex> guard{mtx_};
  statement st{db_,
               "INSERT INTO followups (tenant, session_id, turn, action, text, point_id, at_ms) "
               "VALUES (?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (tenant, session_id, turn) DO UPDATE SET "
               "action = excluded.action, text = excluded.text, "
               "point_id = excluded.point_id, at_ms = excluded.at_ms",
               "store: add follow-up"};
  st.bind(tenant).bind(session_id).bind(f.turn).bind(f.action).bind(f.text).bind(f.point_id);
  st.bind(f.at_ms);
  return uniform(st.run());
}

caf::error database::finish_session(const std::string& tenant, const std::string& session_id,
                                    const std::string& status, int64_t ended_ms,
                                    const std::string& verdict, double overall,
                                    const std::string& scorecard_json,
                                    const std::string& delivery_json, const std::string& error) {
  if (!is_status(status) || status == "live")
    return make_error(errc::invalid_argument,
                      "store: a session finishes as completed, interrupted or failed, not '"
                        + status + "'");
  if (!is_verdict(verdict))
    return make_error(errc::invalid_argument, "store: unknown verdict '" + verdict + "'");
  if (!std::isfinite(overall))
    return make_error(errc::invalid_argument, "store: overall score is not a finite number");
  std::lock_guard<std::mutex> guard{mtx_};
  transaction tx{db_};
  if (auto err = tx.begin_write())
    return err;
  {
    statement st{db_,
                 "UPDATE sessions SET status = ?, ended_ms = ?, verdict = ?, overall = ?, "
                 "error = ? WHERE tenant = ? AND id = ?",
                 "store: finish session"};
    st.bind(status).bind(ended_ms).bind(verdict).bind(overall).bind(error);
    st.bind(tenant).bind(session_id);
    if (auto err = st.run())
      return err;
    if (sqlite3_changes(db_) == 0)
      return session_not_found();
  }
  statement card{db_,
                 "INSERT INTO scorecards (tenant, session_id, scorecard_json, delivery_json) "
                 "VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (tenant, session_id) DO UPDATE SET "
                 "scorecard_json = excluded.scorecard_json, "
                 "delivery_json = excluded.delivery_json",
                 "store: save scorecard"};
  card.bind(tenant).bind(session_id).bind(scorecard_json).bind(delivery_json);
  if (auto err = card.run())
    return err;
  return tx.commit();
}

caf::expected<session_detail> database::get_session(const std::string& tenant,
                                                    const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  // One read transaction: a snapshot, even if another process writes.
  transaction tx{db_};
  if (auto err = tx.begin_read())
    return err;
  session_detail out;
  {
    statement st{db_,
                 "SELECT " SOF_SESSION_COLUMNS " FROM sessions WHERE tenant = ? AND id = ?",
                 "store: get session"};
    auto row = st.bind(tenant).bind(id).step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      return session_not_found();
    out.session = read_session(st);
  }
  {
    statement st{db_,
                 "SELECT utt, start_ms, end_ms, text, words_json, alternatives_json, "
                 "recognizer, adapt_state FROM segments "
                 "WHERE tenant = ? AND session_id = ? ORDER BY utt",
                 "store: get segments"};
    st.bind(tenant).bind(id);
    for (;;) {
      auto row = st.step();
      if (!row)
        return std::move(row.error());
      if (!*row)
        break;
      out.segments.push_back({static_cast<uint32_t>(st.int64(0)), st.int64(1), st.int64(2),
                              st.text(3), st.text(4), st.text(5), st.text(6),
                              decode_floats(st.text(7))});
    }
  }
  {
    statement st{db_,
                 "SELECT turn, action, text, point_id, at_ms FROM followups "
                 "WHERE tenant = ? AND session_id = ? ORDER BY turn",
                 "store: get follow-ups"};
    st.bind(tenant).bind(id);
    for (;;) {
      auto row = st.step();
      if (!row)
        return std::move(row.error());
      if (!*row)
        break;
      out.followups.push_back(
        {static_cast<uint32_t>(st.int64(0)), st.text(1), st.text(2), st.text(3), st.int64(4)});
    }
  }
  {
    statement st{db_,
                 "SELECT scorecard_json, delivery_json FROM scorecards "
                 "WHERE tenant = ? AND session_id = ?",
                 "store: get scorecard"};
    auto row = st.bind(tenant).bind(id).step();
    if (!row)
      return std::move(row.error());
    if (*row) {
      out.scorecard_json = st.text(0);
      out.delivery_json = st.text(1);
    }
  }
  if (auto err = tx.commit())
    return err;
  return out;
}

caf::expected<session_page> database::list_sessions(const std::string& tenant,
                                                    const std::string& user, uint32_t limit,
                                                    const std::string& cursor) {
  if (auto err = need(tenant, "tenant"))
    return err;
  // An empty user would be a server bug; refusing it keeps that bug from
  // listing every user of the tenant.
  if (auto err = need(user, "user"))
    return err;
  if (limit == 0)
    return make_error(errc::invalid_argument, "store: page size must be at least 1");
  limit = std::min(limit, max_page_size);
  page_key after;
  if (!cursor.empty()) {
    auto key = decode_cursor(cursor);
    if (!key)
      return std::move(key.error());
    after = std::move(*key);
  }
  std::lock_guard<std::mutex> guard{mtx_};
  // One row more than the page tells whether another page follows.
  statement st{db_,
               cursor.empty()
                 ? "SELECT " SOF_SESSION_COLUMNS " FROM sessions "
                   "WHERE tenant = ? AND user_id = ? "
                   "ORDER BY created_ms DESC, id DESC LIMIT ?"
                 : "SELECT " SOF_SESSION_COLUMNS " FROM sessions "
                   "WHERE tenant = ? AND user_id = ? AND (created_ms, id) < (?, ?) "
                   "ORDER BY created_ms DESC, id DESC LIMIT ?",
               "store: list sessions"};
  st.bind(tenant).bind(user);
  if (!cursor.empty())
    st.bind(after.created_ms).bind(after.id);
  st.bind(limit + 1);
  session_page page;
  for (;;) {
    auto row = st.step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    page.items.push_back(read_session(st));
  }
  if (page.items.size() > limit) {
    page.items.pop_back();
    const auto& last = page.items.back();
    page.next_cursor = encode_cursor({last.created_ms, last.id});
  }
  return page;
}

caf::expected<std::vector<progress_row>>
database::progress(const std::string& tenant, const std::string& user, uint32_t limit) {
  if (auto err = need(tenant, "tenant"))
    return err;
  if (auto err = need(user, "user"))  // see list_sessions
    return err;
  if (limit == 0)
    return make_error(errc::invalid_argument, "store: page size must be at least 1");
  limit = std::min(limit, max_page_size);
  std::lock_guard<std::mutex> guard{mtx_};
  // Newest first to take the most recent `limit` (sessions_by_user_created
  // serves it), then reversed: a chart reads left to right.
  statement st{db_,
               "SELECT " SOF_SESSION_COLUMNS ", "
               "(SELECT c.scorecard_json FROM scorecards c "
               " WHERE c.tenant = sessions.tenant AND c.session_id = sessions.id) "
               "FROM sessions WHERE tenant = ? AND user_id = ? AND verdict != '' "
               "ORDER BY created_ms DESC, id DESC LIMIT ?",
               "store: progress"};
  st.bind(tenant).bind(user).bind(limit);
  std::vector<progress_row> out;
  for (;;) {
    auto row = st.step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    out.push_back({read_session(st), st.text(12)});
  }
  std::reverse(out.begin(), out.end());
  return out;
}

caf::expected<std::optional<std::string>>
database::delete_session(const std::string& tenant, const std::string& user,
                         const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  // One statement, so atomic on its own; the cascade removes the children.
  statement st{db_,
               "DELETE FROM sessions WHERE tenant = ? AND user_id = ? AND id = ? "
               "RETURNING journal_path",
               "store: delete session"};
  st.bind(tenant).bind(user).bind(id);
  std::optional<std::string> journal;
  for (;;) {
    auto row = st.step();
    if (!row)
      return std::move(row.error());
    if (!*row)
      break;
    journal = st.text(0);
  }
  return journal;
}

caf::expected<uint32_t> database::count_sessions_since(const std::string& tenant,
                                                       int64_t since_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  statement st{db_, "SELECT count(*) FROM sessions WHERE tenant = ? AND created_ms >= ?",
               "store: count sessions"};
  auto row = st.bind(tenant).bind(since_ms).step();
  if (!row)
    return std::move(row.error());
  return static_cast<uint32_t>(st.int64(0));
}

caf::expected<uint32_t> database::mark_live_as_interrupted(int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  // Deliberately across tenants: this is start-up recovery of the whole
  // service, not a tenant's request.
  statement st{db_,
               "UPDATE sessions SET status = 'interrupted', ended_ms = ?, "
               "error = CASE WHEN error = '' "
               "THEN 'the server stopped while the session was live' ELSE error END "
               "WHERE status = 'live'",
               "store: mark live sessions interrupted"};
  if (auto err = st.bind(now_ms).run())
    return err;
  auto n = static_cast<uint32_t>(sqlite3_changes(db_));
  if (n > 0)
    log::get("store")->warn("{}: {} session(s) left live by a previous run marked interrupted",
                            path_, n);
  return n;
}

}  // namespace sof::store

#undef SOF_SESSION_COLUMNS
