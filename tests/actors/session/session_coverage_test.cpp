// Live rubric coverage from a typed-answer session on the deterministic
// scheduler: the listener gets a coverage_update after final segments, with
// the points the rubric engine finds in everything said so far, even with
// follow-ups off, and a burst of segments is coalesced into two updates.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/grading/grading_messages.hpp"
#include "actors/grading/live_coverage.hpp"
#include "actors/grading/sentences.hpp"
#include "actors/session/session_actor.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace sof;

namespace {

struct heard {
  std::vector<msg::coverage_update> updates;
  std::vector<msg::followup_question> followups;
};

caf::behavior listener(caf::event_based_actor*, std::shared_ptr<heard> h) {
  return {
    [=](msg::coverage_update& u) { h->updates.push_back(std::move(u)); },
    [=](msg::followup_question& q) { h->followups.push_back(q); },
    [=](msg::transcript_segment&) {},
    [=](msg::turn_ended&) {},
    [=](msg::provider_restarted&) {},
    [=](msg::dimension_result&) {},
  };
}

const config::question& ticketing() {
  const auto* q = grading::test::bank().find("ticketing-flash-sale");
  EXPECT_NE(q, nullptr);
  return *q;
}

session::session_options options(caf::actor l) {
  session::session_options o;
  o.session_id = "coverage-test";
  auto cfg = config::load();
  EXPECT_TRUE(cfg);
  o.cfg = *cfg;
  o.detached_providers = false;
  o.listener = l;
  o.interview.question = std::make_shared<const config::question>(ticketing());
  o.interview.engine = std::shared_ptr<const grading::rubric_engine>(
    &grading::test::engine(), [](const grading::rubric_engine*) {});
  o.interview.followups = false;  // coverage does not depend on follow-ups
  return o;
}

std::vector<msg::transcript_segment> segments_of(const std::string& text, uint32_t first_utt,
                                                 int64_t offset_ms) {
  std::vector<msg::transcript_segment> out;
  uint32_t utt = first_utt;
  for (auto& l : grading::transcript_from_text(text))
    out.push_back({utt++, offset_ms + l.start_ms, offset_ms + l.end_ms, std::move(l.text)});
  return out;
}

std::string strong_answer() {
  std::ifstream in{std::string{SOF_SOURCE_DIR}
                   + "/tests/data/grading/ticketing-flash-sale/strong.txt"};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const msg::dimension_coverage* find(const msg::coverage_update& u, const std::string& name) {
  for (const auto& d : u.dimensions)
    if (d.dimension == name)
      return &d;
  return nullptr;
}

}  // namespace

class session_coverage_test : public ::testing::Test, public test::actor_fixture {};

TEST_F(session_coverage_test, final_segments_bring_coalesced_coverage_updates) {
  auto h = std::make_shared<heard>();
  auto la = track(sys().spawn(listener, h));
  auto s = track(session::spawn_session(sys(), options(la)));

  // One sentence that makes the hold-timeout point and nothing else.
  caf::anon_send(s, msg::transcript_segment{
                      0, 0, 6000,
                      "When you pick seats we hold them for ten minutes, and if you don't "
                      "pay by then the hold expires and the seats go back to the pool."});
  sched().run();
  ASSERT_EQ(h->updates.size(), 1u);
  const auto first = h->updates[0];  // a copy: the vector grows below
  ASSERT_EQ(first.dimensions.size(), ticketing().dimensions.size());
  for (std::size_t i = 0; i < first.dimensions.size(); ++i) {
    EXPECT_EQ(first.dimensions[i].dimension, ticketing().dimensions[i].name) << "question order";
    EXPECT_EQ(first.dimensions[i].total_weight, ticketing().dimensions[i].total_weight());
  }
  const auto* req = find(first, "requirements");
  ASSERT_NE(req, nullptr);
  EXPECT_NE(std::find(req->points.begin(), req->points.end(), "req-hold-timeout"),
            req->points.end());
  EXPECT_EQ(find(first, "reliability")->covered_weight, 0) << "nothing about reliability yet";

  // A burst: every segment arrives before the first computation is back.
  auto rest = segments_of(strong_answer(), 1, 7000);
  ASSERT_GT(rest.size(), 5u);
  for (const auto& seg : rest)
    caf::anon_send(s, seg);
  caf::anon_send(s, msg::transcript_segment{static_cast<uint32_t>(rest.size() + 1), 90000,
                                            90000, ""});  // no words: no computation
  sched().run();
  ASSERT_EQ(h->updates.size(), 3u) << "one for the first of the burst, one for the rest";

  // The last update is the coverage of everything said, computed directly.
  std::vector<msg::transcript_segment> all{
    {0, 0, 6000,
     "When you pick seats we hold them for ten minutes, and if you don't pay by then the hold "
     "expires and the seats go back to the pool."}};
  all.insert(all.end(), rest.begin(), rest.end());
  const auto& engine = grading::test::engine();
  auto want = grading::summarize_coverage(
    ticketing(), grading::cover(engine, ticketing(), engine.prepare(grading::to_lines(all))));
  const auto& last = h->updates.back();
  ASSERT_EQ(last.dimensions.size(), want.dimensions.size());
  int covered = 0;
  for (std::size_t i = 0; i < want.dimensions.size(); ++i) {
    EXPECT_EQ(last.dimensions[i].points, want.dimensions[i].points) << want.dimensions[i].dimension;
    EXPECT_EQ(last.dimensions[i].covered_weight, want.dimensions[i].covered_weight);
    EXPECT_GE(last.dimensions[i].covered_weight, first.dimensions[i].covered_weight)
      << "saying more never uncovers a point";
    covered += last.dimensions[i].covered_weight;
  }
  EXPECT_GT(find(last, "reliability")->covered_weight, 0) << "the strong answer covers reliability";
  EXPECT_GT(covered, find(first, "requirements")->covered_weight);
  EXPECT_TRUE(h->followups.empty()) << "follow-ups were off";
}
