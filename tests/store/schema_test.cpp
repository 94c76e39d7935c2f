// Opening a store: connection settings, migrations, upgrades, and files the
// store must refuse (newer schema, not SQLite, somebody else's database).
#include "tests/store/test_util.hpp"

#include <fstream>
#include <vector>

namespace sof::store::test {
namespace {

TEST(store_schema, wal_mode_is_on) {
  temp_dir dir;
  auto path = dir.file("store.db");
  auto db = open_ok(path);
  ASSERT_NE(db, nullptr);
  raw_db raw{path};
  EXPECT_EQ(raw.query("PRAGMA journal_mode"), "wal");
}

TEST(store_schema, migrations_apply_once_and_reopening_is_a_no_op) {
  temp_dir dir;
  auto path = dir.file("store.db");
  {
    auto db = open_ok(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->schema_version(), latest_schema_version());
    ASSERT_FALSE(db->create_session(make_session("acme", "alice", "s1", 1)));
  }
  std::string applied;
  {
    raw_db raw{path};
    EXPECT_EQ(raw.query("SELECT count(*) FROM schema_migrations"),
              std::to_string(latest_schema_version()));
    applied = raw.query("SELECT group_concat(applied_ms) FROM schema_migrations");
  }
  auto db = open_ok(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  raw_db raw{path};
  EXPECT_EQ(raw.query("SELECT group_concat(applied_ms) FROM schema_migrations"), applied);
  EXPECT_TRUE(db->get_session("acme", "s1"));
}

// A later migration (after the built-in ones) that rebuilds the parent table the way SQLite documents (new table,
// copy, drop, rename): with foreign keys on, the DROP would cascade and
// silently erase every segment, so this also proves migrate() turns them off.
constexpr const char* v2_sql = R"sql(
CREATE TABLE sessions_new (
  tenant TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL,
  question_id TEXT NOT NULL DEFAULT '', question_title TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('live', 'completed', 'interrupted', 'failed')),
  created_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'scale', 'fail')),
  overall REAL NOT NULL DEFAULT 0, journal_path TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT 'en',
  PRIMARY KEY (tenant, id));
INSERT INTO sessions_new SELECT *, 'en' FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_by_tenant_created ON sessions (tenant, created_ms);
CREATE INDEX sessions_by_user_created ON sessions (tenant, user_id, created_ms, id);
CREATE INDEX sessions_live ON sessions (status) WHERE status = 'live';
)sql";

std::vector<migration> v1_only() { return {builtin_migrations()[0]}; }
// Every built-in migration, then the test's own parent-table rebuild.
std::vector<migration> v1_v2() {
  std::vector<migration> all(builtin_migrations().begin(), builtin_migrations().end());
  all.push_back({latest_schema_version() + 1, "session language", v2_sql});
  return all;
}

TEST(store_schema, upgrades_an_older_database_keeping_its_rows) {
  temp_dir dir;
  auto path = dir.file("store.db");
  {
    auto old = database::open_with(path, v1_only());
    ASSERT_TRUE(old) << describe(old.error());
    EXPECT_EQ((*old)->schema_version(), 1);
    ASSERT_FALSE((*old)->create_session(make_session("acme", "alice", "s1", 1)));
  }
  // A segment as a v1 build wrote it (this build's add_segment writes the
  // later columns too).
  raw_db{path}.exec("INSERT INTO segments (tenant, session_id, utt, start_ms, end_ms, text) "
                    "VALUES ('acme', 's1', 0, 0, 5, 'kept')");
  auto db = database::open_with(path, v1_v2());
  ASSERT_TRUE(db) << describe(db.error());
  const int last = latest_schema_version() + 1;
  EXPECT_EQ((*db)->schema_version(), last);
  auto d = (*db)->get_session("acme", "s1");
  ASSERT_TRUE(d) << describe(d.error());
  ASSERT_EQ(d->segments.size(), 1u);
  EXPECT_EQ(d->segments[0].text, "kept");
  // v2's columns arrive with their defaults on old rows.
  EXPECT_EQ(d->segments[0].words_json, "[]");
  EXPECT_TRUE(d->segments[0].adapt_state.empty());
  raw_db raw{path};
  EXPECT_EQ(raw.query("SELECT language FROM sessions WHERE id = 's1'"), "en");
  std::string versions;
  for (int v = 1; v <= last; ++v)
    versions += (v > 1 ? "," : "") + std::to_string(v);
  EXPECT_EQ(raw.query("SELECT group_concat(version) FROM schema_migrations"), versions);
  // The cascade still works on the rebuilt parent.
  auto del = (*db)->delete_session("acme", "alice", "s1");
  ASSERT_TRUE(del && del->has_value());
  EXPECT_EQ(raw.query("SELECT count(*) FROM segments"), "0");
}

TEST(store_schema, a_failed_migration_rolls_back_to_the_last_good_version) {
  temp_dir dir;
  auto path = dir.file("store.db");
  ASSERT_TRUE(database::open_with(path, v1_only()));
  std::vector<migration> broken = {builtin_migrations()[0],
                                   {2, "half done", "CREATE TABLE extra (x); NOT VALID SQL;"}};
  auto db = database::open_with(path, broken);
  ASSERT_FALSE(db);
  EXPECT_NE(describe(db.error()).find("migration v2 (half done)"), std::string::npos)
    << describe(db.error());
  raw_db raw{path};
  EXPECT_EQ(raw.query("SELECT count(*) FROM sqlite_master WHERE name = 'extra'"), "0");
  EXPECT_EQ(raw.query("SELECT max(version) FROM schema_migrations"), "1");
  auto again = database::open_with(path, v1_only());
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_EQ((*again)->schema_version(), 1);
}

TEST(store_schema, a_newer_schema_is_refused_naming_both_versions) {
  temp_dir dir;
  auto path = dir.file("store.db");
  ASSERT_NE(open_ok(path), nullptr);
  raw_db{path}.exec("INSERT INTO schema_migrations (version, applied_ms) VALUES (99, 0)");
  auto db = database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(code_of(db.error()), errc::unsupported);
  auto msg = describe(db.error());
  EXPECT_NE(msg.find("schema version 99"), std::string::npos) << msg;
  EXPECT_NE(msg.find("version " + std::to_string(latest_schema_version())), std::string::npos)
    << msg;

  auto path2 = dir.file("v2.db");
  ASSERT_TRUE(database::open_with(path2, v1_v2()));
  auto older_build = database::open_with(path2, v1_only());
  ASSERT_FALSE(older_build);
  EXPECT_EQ(code_of(older_build.error()), errc::unsupported);
}

TEST(store_schema, a_file_that_is_not_sqlite_is_corrupt_data) {
  temp_dir dir;
  auto path = dir.file("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 8192; ++i)
      out.put(static_cast<char>((i * 131 + 7) % 251));
  }
  auto db = database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(code_of(db.error()), errc::corrupt_data);
  auto msg = describe(db.error());
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("not a database"), std::string::npos) << msg;
}

TEST(store_schema, another_applications_database_is_refused) {
  temp_dir dir;
  auto path = dir.file("other.db");
  raw_db{path}.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY)");
  auto db = database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(code_of(db.error()), errc::corrupt_data);
  EXPECT_NE(describe(db.error()).find("not a Scale or Fail store"), std::string::npos);
  raw_db raw{path};
  EXPECT_EQ(raw.query("SELECT count(*) FROM sqlite_master WHERE name = 'sessions'"), "0");
}

TEST(store_schema, unopenable_paths_and_bad_lists_are_errors) {
  temp_dir dir;
  auto db = database::open(dir.file("no/such/dir/store.db"));
  ASSERT_FALSE(db);
  EXPECT_EQ(code_of(db.error()), errc::io_error);
  EXPECT_EQ(code_of(database::open("").error()), errc::invalid_argument);
  std::vector<migration> gap = {builtin_migrations()[0], {3, "skips 2", "SELECT 1"}};
  EXPECT_EQ(code_of(database::open_with(dir.file("x.db"), gap).error()), errc::invalid_argument);
}

}  // namespace
}  // namespace sof::store::test
