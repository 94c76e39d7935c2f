// The store's queries: lifecycle, tenant and user isolation, idempotent
// replays, pagination, cascades, start-up recovery, injection attempts.
#include "tests/store/test_util.hpp"

#include <algorithm>
#include <set>
#include <thread>

namespace sof::store::test {
namespace {

class store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_ok(path_);
    ASSERT_NE(db_, nullptr);
  }
  void create(const session_row& s) {
    auto err = db_->create_session(s);
    ASSERT_FALSE(err) << describe(err);
  }

  temp_dir dir_;
  std::string path_ = dir_.file("store.db");
  std::unique_ptr<database> db_;
};

TEST_F(store_test, full_lifecycle_round_trips) {
  auto s = make_session("acme", "alice", "s1", 1'700'000'000'000);
  create(s);
  EXPECT_FALSE(db_->add_segment("acme", "s1", {0, 0, 1200, "we shard by user id"}));
  EXPECT_FALSE(db_->add_segment("acme", "s1", {2, 3000, 4100, "and cache hot keys"}));
  EXPECT_FALSE(db_->add_segment("acme", "s1", {1, 1500, 2900, "with consistent hashing"}));
  EXPECT_FALSE(db_->add_followup("acme", "s1", {1, "probe", "What about hot shards?", "p-3", 4500}));
  EXPECT_FALSE(db_->add_followup("acme", "s1", {0, "clarify", "How many users?", "", 1300}));

  auto live = db_->get_session("acme", "s1");
  ASSERT_TRUE(live) << describe(live.error());
  EXPECT_EQ(live->session.status, "live");
  EXPECT_EQ(live->scorecard_json, "");
  EXPECT_EQ(live->delivery_json, "");

  auto err = db_->finish_session("acme", "s1", "completed", s.created_ms + 60'000, "scale", 3.75,
                                 R"({"verdict":"scale"})", R"({"wpm":148})", "");
  ASSERT_FALSE(err) << describe(err);

  auto d = db_->get_session("acme", "s1");
  ASSERT_TRUE(d) << describe(d.error());
  EXPECT_EQ(d->session.id, "s1");
  EXPECT_EQ(d->session.tenant, "acme");
  EXPECT_EQ(d->session.user, "alice");
  EXPECT_EQ(d->session.question_id, "rate-limiter");
  EXPECT_EQ(d->session.question_title, "Design a rate limiter");
  EXPECT_EQ(d->session.status, "completed");
  EXPECT_EQ(d->session.created_ms, s.created_ms);
  EXPECT_EQ(d->session.ended_ms, s.created_ms + 60'000);
  EXPECT_EQ(d->session.verdict, "scale");
  EXPECT_DOUBLE_EQ(d->session.overall, 3.75);
  EXPECT_EQ(d->session.journal_path, s.journal_path);
  EXPECT_EQ(d->session.error, "");
  ASSERT_EQ(d->segments.size(), 3u);
  EXPECT_EQ(d->segments[0].utt, 0u);
  EXPECT_EQ(d->segments[1].utt, 1u);
  EXPECT_EQ(d->segments[1].text, "with consistent hashing");
  EXPECT_EQ(d->segments[2].start_ms, 3000);
  EXPECT_EQ(d->segments[2].end_ms, 4100);
  ASSERT_EQ(d->followups.size(), 2u);
  EXPECT_EQ(d->followups[0].action, "clarify");
  EXPECT_EQ(d->followups[1].text, "What about hot shards?");
  EXPECT_EQ(d->followups[1].point_id, "p-3");
  EXPECT_EQ(d->followups[1].at_ms, 4500);
  EXPECT_EQ(d->scorecard_json, R"({"verdict":"scale"})");
  EXPECT_EQ(d->delivery_json, R"({"wpm":148})");
}

TEST_F(store_test, another_tenant_sees_nothing) {
  create(make_session("acme", "alice", "s1", 1000));
  ASSERT_FALSE(db_->add_segment("acme", "s1", {0, 0, 10, "secret plan"}));

  auto other = db_->get_session("globex", "s1");
  ASSERT_FALSE(other);
  EXPECT_EQ(code_of(other.error()), errc::not_found);
  auto missing = db_->get_session("acme", "no-such-id");
  ASSERT_FALSE(missing);
  // Same message: a caller cannot tell "exists elsewhere" from "missing".
  EXPECT_EQ(describe(other.error()), describe(missing.error()));

  auto del = db_->delete_session("globex", "alice", "s1");
  ASSERT_TRUE(del);
  EXPECT_FALSE(del->has_value());
  auto page = db_->list_sessions("globex", "alice", 10, "");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());

  EXPECT_EQ(code_of(db_->add_segment("globex", "s1", {1, 0, 10, "x"})), errc::not_found);
  EXPECT_EQ(code_of(db_->add_followup("globex", "s1", {0, "probe", "x", "", 0})),
            errc::not_found);
  EXPECT_EQ(code_of(db_->finish_session("globex", "s1", "failed", 5, "", 0, "", "", "x")),
            errc::not_found);
  auto count = db_->count_sessions_since("globex", 0);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0u);

  auto mine = db_->get_session("acme", "s1");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->session.status, "live");
  ASSERT_EQ(mine->segments.size(), 1u);
  EXPECT_EQ(mine->segments[0].text, "secret plan");
}

TEST_F(store_test, same_id_in_two_tenants_are_two_sessions) {
  create(make_session("acme", "alice", "s1", 1000));
  create(make_session("globex", "bob", "s1", 2000));
  ASSERT_FALSE(db_->add_segment("globex", "s1", {0, 0, 10, "globex words"}));
  auto a = db_->get_session("acme", "s1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->segments.empty());
  EXPECT_EQ(a->session.user, "alice");
}

TEST_F(store_test, users_of_a_tenant_are_isolated) {
  create(make_session("acme", "alice", "a1", 1000));
  create(make_session("acme", "bob", "b1", 2000));
  auto bobs = db_->list_sessions("acme", "bob", 10, "");
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->items.size(), 1u);
  EXPECT_EQ(bobs->items[0].id, "b1");

  auto del = db_->delete_session("acme", "bob", "a1");
  ASSERT_TRUE(del);
  EXPECT_FALSE(del->has_value());
  EXPECT_TRUE(db_->get_session("acme", "a1"));

  EXPECT_EQ(code_of(db_->list_sessions("acme", "", 10, "").error()), errc::invalid_argument);
}

TEST_F(store_test, replayed_segments_and_followups_replace) {
  create(make_session("acme", "alice", "s1", 1000));
  ASSERT_FALSE(db_->add_segment("acme", "s1", {0, 0, 900, "we shard"}));
  ASSERT_FALSE(db_->add_segment("acme", "s1", {0, 0, 1000, "we shard by region"}));
  ASSERT_FALSE(db_->add_segment("acme", "s1", {0, 0, 1000, "we shard by region"}));
  ASSERT_FALSE(db_->add_followup("acme", "s1", {0, "probe", "why?", "", 5}));
  ASSERT_FALSE(db_->add_followup("acme", "s1", {0, "probe", "why region?", "p1", 6}));
  auto d = db_->get_session("acme", "s1");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->segments.size(), 1u);
  EXPECT_EQ(d->segments[0].text, "we shard by region");
  EXPECT_EQ(d->segments[0].end_ms, 1000);
  ASSERT_EQ(d->followups.size(), 1u);
  EXPECT_EQ(d->followups[0].text, "why region?");
  EXPECT_EQ(d->followups[0].point_id, "p1");
}

TEST_F(store_test, pagination_is_newest_first_without_duplicates) {
  // Three sessions per millisecond: the id breaks ties in created_ms.
  for (int i = 0; i < 25; ++i)
    create(make_session("acme", "alice", "s" + std::to_string(100 + i), 1000 + i / 3));
  create(make_session("acme", "bob", "other", 5000));

  std::vector<session_row> all;
  std::vector<size_t> sizes;
  std::string cursor;
  do {
    auto page = db_->list_sessions("acme", "alice", 10, cursor);
    ASSERT_TRUE(page) << describe(page.error());
    sizes.push_back(page->items.size());
    all.insert(all.end(), page->items.begin(), page->items.end());
    cursor = page->next_cursor;
  } while (!cursor.empty() && sizes.size() < 10);
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));

  std::set<std::string> ids;
  for (const auto& s : all)
    ids.insert(s.id);
  EXPECT_EQ(ids.size(), 25u);
  for (size_t i = 1; i < all.size(); ++i) {
    auto prev = std::make_pair(all[i - 1].created_ms, all[i - 1].id);
    auto cur = std::make_pair(all[i].created_ms, all[i].id);
    EXPECT_GT(prev, cur) << "at " << i;
  }
  EXPECT_EQ(all.front().id, "s124");
  EXPECT_EQ(all.back().id, "s100");
}

TEST_F(store_test, page_limits_and_bad_cursors) {
  for (int i = 0; i < 3; ++i)
    create(make_session("acme", "alice", "s" + std::to_string(i), 1000 + i));
  EXPECT_EQ(code_of(db_->list_sessions("acme", "alice", 0, "").error()), errc::invalid_argument);
  auto big = db_->list_sessions("acme", "alice", 1'000'000, "");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->items.size(), 3u);
  EXPECT_EQ(big->next_cursor, "");

  for (std::string bad : {"garbage", "1000", ".7331", "1000.", "1000.733", "1000.zz", "x1.73",
                          "1000.7G", "99999999999999999999.73", "1000.73.73"}) {
    auto page = db_->list_sessions("acme", "alice", 10, bad);
    ASSERT_FALSE(page) << bad;
    EXPECT_EQ(code_of(page.error()), errc::invalid_argument) << bad;
  }
}

TEST_F(store_test, cursor_round_trips_any_id) {
  page_key key{-42, std::string("a/b?c=d&\0\xff", 11)};
  auto back = decode_cursor(encode_cursor(key));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->created_ms, -42);
  EXPECT_EQ(back->id, key.id);
}

TEST_F(store_test, delete_cascades_and_returns_the_journal) {
  create(make_session("acme", "alice", "s1", 1000));
  create(make_session("acme", "alice", "s2", 2000));
  ASSERT_FALSE(db_->add_segment("acme", "s1", {0, 0, 10, "a"}));
  ASSERT_FALSE(db_->add_segment("acme", "s2", {0, 0, 10, "b"}));
  ASSERT_FALSE(db_->add_followup("acme", "s1", {0, "probe", "q", "", 0}));
  ASSERT_FALSE(db_->finish_session("acme", "s1", "completed", 9, "fail", 1.5, "{}", "{}", ""));

  auto del = db_->delete_session("acme", "alice", "s1");
  ASSERT_TRUE(del) << describe(del.error());
  ASSERT_TRUE(del->has_value());
  EXPECT_EQ(**del, "/var/lib/sof/journals/s1.journal");
  EXPECT_EQ(code_of(db_->get_session("acme", "s1").error()), errc::not_found);

  raw_db raw{path_};
  EXPECT_EQ(raw.query("SELECT count(*) FROM segments WHERE session_id = 's1'"), "0");
  EXPECT_EQ(raw.query("SELECT count(*) FROM followups WHERE session_id = 's1'"), "0");
  EXPECT_EQ(raw.query("SELECT count(*) FROM scorecards WHERE session_id = 's1'"), "0");
  EXPECT_EQ(raw.query("SELECT count(*) FROM segments WHERE session_id = 's2'"), "1");

  auto again = db_->delete_session("acme", "alice", "s1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TEST_F(store_test, live_sessions_are_interrupted_at_start_up) {
  create(make_session("acme", "alice", "s1", 1000));
  create(make_session("globex", "bob", "s2", 1000));
  create(make_session("acme", "alice", "s3", 1000));
  ASSERT_FALSE(db_->finish_session("acme", "s3", "completed", 2000, "scale", 4, "{}", "{}", ""));

  auto n = db_->mark_live_as_interrupted(9000);
  ASSERT_TRUE(n) << describe(n.error());
  EXPECT_EQ(*n, 2u);
  auto s1 = db_->get_session("acme", "s1");
  ASSERT_TRUE(s1);
  EXPECT_EQ(s1->session.status, "interrupted");
  EXPECT_EQ(s1->session.ended_ms, 9000);
  EXPECT_FALSE(s1->session.error.empty());
  auto s3 = db_->get_session("acme", "s3");
  ASSERT_TRUE(s3);
  EXPECT_EQ(s3->session.status, "completed");
  EXPECT_EQ(s3->session.ended_ms, 2000);

  auto again = db_->mark_live_as_interrupted(10'000);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
}

TEST_F(store_test, counts_a_tenants_sessions_since_a_time) {
  for (int i = 0; i < 6; ++i)
    create(make_session("acme", i % 2 ? "alice" : "bob", "s" + std::to_string(i), 1000 * i));
  create(make_session("globex", "carol", "g", 4000));
  auto n = db_->count_sessions_since("acme", 3000);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3u);  // 3000, 4000, 5000: the bound is inclusive
  EXPECT_EQ(*db_->count_sessions_since("acme", 0), 6u);
  EXPECT_EQ(*db_->count_sessions_since("acme", 6000), 0u);
}

TEST_F(store_test, sql_injection_in_values_is_inert) {
  const std::string evil_tenant = "acme' OR '1'='1";
  const std::string evil_id = "x'); DROP TABLE sessions; --";
  create(make_session("acme", "alice", "s1", 1000));
  create(make_session(evil_tenant, "alice", evil_id, 2000));
  ASSERT_FALSE(db_->add_segment(evil_tenant, evil_id, {0, 0, 1, "'; DELETE FROM segments; --"}));

  auto d = db_->get_session(evil_tenant, evil_id);
  ASSERT_TRUE(d) << describe(d.error());
  EXPECT_EQ(d->session.id, evil_id);
  EXPECT_EQ(d->segments.at(0).text, "'; DELETE FROM segments; --");
  EXPECT_EQ(code_of(db_->get_session(evil_tenant, "s1").error()), errc::not_found);
  EXPECT_EQ(code_of(db_->get_session("' OR 1=1 --", "s1").error()), errc::not_found);

  auto page = db_->list_sessions("x' OR '1'='1' --", "alice' OR '1'='1", 100, "");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
  auto del = db_->delete_session("acme' OR 1=1 --", "alice", "s1' OR '1'='1");
  ASSERT_TRUE(del);
  EXPECT_FALSE(del->has_value());
  EXPECT_EQ(*db_->count_sessions_since("acme' OR '1'='1", 0), 1u);  // just its own
  EXPECT_TRUE(db_->get_session("acme", "s1"));
}

TEST_F(store_test, invalid_rows_are_refused) {
  auto s = make_session("acme", "alice", "s1", 1000);
  create(s);
  EXPECT_EQ(code_of(db_->create_session(s)), errc::invalid_argument);  // duplicate
  auto bad = make_session("", "alice", "s2", 1000);
  EXPECT_EQ(code_of(db_->create_session(bad)), errc::invalid_argument);
  bad = make_session("acme", "alice", "s2", 1000);
  bad.status = "paused";
  EXPECT_EQ(code_of(db_->create_session(bad)), errc::invalid_argument);
  bad.status = "live";
  bad.verdict = "maybe";
  EXPECT_EQ(code_of(db_->create_session(bad)), errc::invalid_argument);
  EXPECT_EQ(code_of(db_->finish_session("acme", "s1", "live", 1, "", 0, "", "", "")),
            errc::invalid_argument);
  EXPECT_EQ(code_of(db_->finish_session("acme", "s1", "completed", 1, "great", 0, "", "", "")),
            errc::invalid_argument);
}

TEST_F(store_test, progress_is_the_users_graded_sessions_oldest_first) {
  // alice: graded at 3000 (fail) and 1000 (scale), one live, one finished
  // ungraded; bob of the same tenant and alice of another tenant graded too.
  auto graded = [&](const std::string& tenant, const std::string& user, const std::string& id,
                    int64_t at, const std::string& verdict, double overall) {
    create(make_session(tenant, user, id, at));
    auto card = R"({"id":")" + id + R"("})";
    auto err = db_->finish_session(tenant, id, "completed", at + 10, verdict, overall, card, "{}", "");
    ASSERT_FALSE(err) << describe(err);
  };
  graded("acme", "alice", "late", 3000, "fail", 41.5);
  graded("acme", "alice", "early", 1000, "scale", 72.0);
  graded("acme", "alice", "middle", 2000, "scale", 65.0);
  create(make_session("acme", "alice", "live", 4000));
  create(make_session("acme", "alice", "ungraded", 5000));
  ASSERT_FALSE(db_->finish_session("acme", "ungraded", "failed", 5010, "", 0, "", "", "boom"));
  graded("acme", "bob", "bobs", 2500, "scale", 90.0);
  graded("globex", "alice", "other-tenant", 2600, "scale", 95.0);

  auto all = db_->progress("acme", "alice", 50);
  ASSERT_TRUE(all) << describe(all.error());
  std::vector<std::string> ids;
  for (const auto& r : *all)
    ids.push_back(r.session.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"early", "middle", "late"}));
  EXPECT_EQ((*all)[0].session.verdict, "scale");
  EXPECT_DOUBLE_EQ((*all)[2].session.overall, 41.5);
  EXPECT_EQ((*all)[1].scorecard_json, R"({"id":"middle"})");

  auto last_two = db_->progress("acme", "alice", 2);
  ASSERT_TRUE(last_two);
  ASSERT_EQ(last_two->size(), 2u) << "the most recent two";
  EXPECT_EQ((*last_two)[0].session.id, "middle");
  EXPECT_EQ((*last_two)[1].session.id, "late");

  auto bob = db_->progress("acme", "bob", 50);
  ASSERT_TRUE(bob);
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_EQ((*bob)[0].session.id, "bobs");
  auto other = db_->progress("globex", "alice", 50);
  ASSERT_TRUE(other);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].session.id, "other-tenant");
  auto nobody = db_->progress("initech", "alice", 50);
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty());

  for (auto [tenant, user, limit] : {std::tuple{"acme", "alice", 0u}, std::tuple{"acme", "", 10u},
                                     std::tuple{"", "alice", 10u}}) {
    auto bad = db_->progress(tenant, user, limit);
    ASSERT_FALSE(bad) << tenant << "/" << user << "/" << limit;
    EXPECT_EQ(code_of(bad.error()), errc::invalid_argument);
  }
}

TEST_F(store_test, progress_limit_is_clamped_to_the_page_size) {
  for (uint32_t i = 0; i < max_page_size + 5; ++i) {
    auto id = "s" + std::to_string(1000 + i);
    create(make_session("acme", "alice", id, i));
    ASSERT_FALSE(db_->finish_session("acme", id, "completed", i + 1, "fail", 10, "{}", "{}", ""));
  }
  auto p = db_->progress("acme", "alice", 100000);
  ASSERT_TRUE(p) << describe(p.error());
  ASSERT_EQ(p->size(), max_page_size);
  EXPECT_EQ(p->front().session.created_ms, 5) << "the most recent max_page_size";
  EXPECT_EQ(p->back().session.created_ms, static_cast<int64_t>(max_page_size + 4));
}

TEST_F(store_test, concurrent_callers_are_serialized) {
  constexpr int threads = 4, per_thread = 40;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([this, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto id = "t" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_FALSE(db_->create_session(make_session("acme", "alice", id, i)));
        EXPECT_FALSE(db_->add_segment("acme", id, {0, 0, 1, "x"}));
        EXPECT_TRUE(db_->list_sessions("acme", "alice", 5, ""));
      }
    });
  for (auto& th : pool)
    th.join();
  EXPECT_EQ(*db_->count_sessions_since("acme", 0), static_cast<uint32_t>(threads * per_thread));
}

}  // namespace
}  // namespace sof::store::test

namespace sof::store::test {

// What the recogniser knew about an utterance survives the store: words,
// alternatives, the recognizer and the adaptation state, exactly (a stored
// state must re-decode the utterance to the same words).
TEST_F(store_test, segment_recognition_details_round_trip_exactly) {
  create(make_session("acme", "alice", "s1", 1));
  segment_row seg{0, 0, 900, "we shard"};
  seg.words_json = R"([{"word":"we","start":0.0,"end":0.2,"confidence":0.91}])";
  seg.alternatives_json = R"(["we shared"])";
  seg.recognizer = "pocketsphinx";
  seg.adapt_state = {41.0f, -5.29f, 1.0f / 3.0f, -0.0001234567f, 3.4e38f};
  ASSERT_FALSE(db_->add_segment("acme", "s1", seg));
  auto d = db_->get_session("acme", "s1");
  ASSERT_TRUE(d) << describe(d.error());
  ASSERT_EQ(d->segments.size(), 1u);
  const auto& got = d->segments[0];
  EXPECT_EQ(got.words_json, seg.words_json);
  EXPECT_EQ(got.alternatives_json, seg.alternatives_json);
  EXPECT_EQ(got.recognizer, "pocketsphinx");
  EXPECT_EQ(got.adapt_state, seg.adapt_state);  // bit-exact floats
  // A replayed segment replaces every field, the state included.
  seg.adapt_state = {};
  seg.recognizer = "openai";
  ASSERT_FALSE(db_->add_segment("acme", "s1", seg));
  d = db_->get_session("acme", "s1");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->segments[0].adapt_state.empty());
  EXPECT_EQ(d->segments[0].recognizer, "openai");
  // A state mangled in the file is dropped whole, never half used.
  raw_db{path_}.exec("UPDATE segments SET adapt_state = '1.5,banana,2'");
  d = db_->get_session("acme", "s1");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->segments[0].adapt_state.empty());
}

}  // namespace sof::store::test
