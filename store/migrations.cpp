#include "store/migrations.hpp"

namespace sof::store {
namespace {

// v1. Sessions are keyed by (tenant, id), not id alone, so that one tenant
// can never collide with (and so probe for) another tenant's ids, and every
// child row carries the tenant too: each query filters on it directly. The
// CHECKs keep the status/verdict vocabulary honest even for writers other
// than this code. Children cascade on delete so erasing a session erases
// everything said in it.
constexpr const char* v1_sql = R"sql(
CREATE TABLE sessions (
  tenant         TEXT    NOT NULL,
  id             TEXT    NOT NULL,
  user_id        TEXT    NOT NULL,
  question_id    TEXT    NOT NULL DEFAULT '',
  question_title TEXT    NOT NULL DEFAULT '',
  status         TEXT    NOT NULL
                 CHECK (status IN ('live', 'completed', 'interrupted', 'failed')),
  created_ms     INTEGER NOT NULL,
  ended_ms       INTEGER NOT NULL DEFAULT 0,
  verdict        TEXT    NOT NULL DEFAULT '' CHECK (verdict IN ('', 'scale', 'fail')),
  overall        REAL    NOT NULL DEFAULT 0,
  journal_path   TEXT    NOT NULL DEFAULT '',
  error          TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, id)
);
-- count_sessions_since and tenant-wide scans.
CREATE INDEX sessions_by_tenant_created ON sessions (tenant, created_ms);
-- list_sessions: newest first per user, keyset on (created_ms, id).
CREATE INDEX sessions_by_user_created ON sessions (tenant, user_id, created_ms, id);
-- mark_live_as_interrupted at start-up without scanning finished sessions.
CREATE INDEX sessions_live ON sessions (status) WHERE status = 'live';

-- The child primary keys start with (tenant, session_id): they are also the
-- index the cascade needs, and they make replays upserts, not duplicates.
CREATE TABLE segments (
  tenant     TEXT    NOT NULL,
  session_id TEXT    NOT NULL,
  utt        INTEGER NOT NULL,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  text       TEXT    NOT NULL,
  PRIMARY KEY (tenant, session_id, utt),
  FOREIGN KEY (tenant, session_id) REFERENCES sessions (tenant, id) ON DELETE CASCADE
);

CREATE TABLE followups (
  tenant     TEXT    NOT NULL,
  session_id TEXT    NOT NULL,
  turn       INTEGER NOT NULL,
  action     TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  point_id   TEXT    NOT NULL DEFAULT '',
  at_ms      INTEGER NOT NULL,
  PRIMARY KEY (tenant, session_id, turn),
  FOREIGN KEY (tenant, session_id) REFERENCES sessions (tenant, id) ON DELETE CASCADE
);

CREATE TABLE scorecards (
  tenant         TEXT NOT NULL,
  session_id     TEXT NOT NULL,
  scorecard_json TEXT NOT NULL DEFAULT '',
  delivery_json  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, session_id),
  FOREIGN KEY (tenant, session_id) REFERENCES sessions (tenant, id) ON DELETE CASCADE
);
)sql";

// v2. What the recogniser knew about each utterance: word timings and
// confidences and the n-best alternatives (JSON, shown and graded), which
// recogniser produced the text, and the adaptation state the utterance was
// decoded from (comma-separated floats, %.9g: exact for float), which is
// what re-decoding it to the same words needs.
constexpr const char* v2_sql = R"sql(
ALTER TABLE segments ADD COLUMN words_json        TEXT NOT NULL DEFAULT '[]';
ALTER TABLE segments ADD COLUMN alternatives_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE segments ADD COLUMN recognizer        TEXT NOT NULL DEFAULT '';
ALTER TABLE segments ADD COLUMN adapt_state       TEXT NOT NULL DEFAULT '';
)sql";

constexpr migration all[] = {
  {1, "sessions, segments, followups, scorecards", v1_sql},
  {2, "segment words, alternatives, recognizer, adaptation state", v2_sql},
  // {3, "what changes", v3_sql},  <- append here
};

}  // namespace

std::span<const migration> builtin_migrations() { return all; }

int latest_schema_version() { return all[std::size(all) - 1].version; }

}  // namespace sof::store
