// The graders' supervisor and a whole typed-answer session on the
// deterministic scheduler: parallel graders, restarts, deadlines reported as
// "unavailable", follow-ups at each end of turn.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/grading/grading_messages.hpp"
#include "actors/grading/grading_supervisor.hpp"
#include "actors/grading/sentences.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace sof;

namespace {

std::shared_ptr<const config::question> question(const std::string& id) {
  const auto* q = grading::test::bank().find(id);
  EXPECT_NE(q, nullptr) << id;
  return std::make_shared<const config::question>(*q);
}

std::shared_ptr<const grading::rubric_engine> engine() {
  return std::shared_ptr<const grading::rubric_engine>(
    &grading::test::engine(), [](const grading::rubric_engine*) {});
}

std::string answer_text(const std::string& q, const std::string& level) {
  std::ifstream in{std::string{SOF_SOURCE_DIR} + "/tests/data/grading/" + q
                   + "/" + level + ".txt"};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<msg::transcript_segment> segments_of(const std::string& text) {
  std::vector<msg::transcript_segment> out;
  uint32_t utt = 0;
  for (auto& l : grading::transcript_from_text(text))
    out.push_back({utt++, l.start_ms, l.end_ms, std::move(l.text)});
  return out;
}

struct grading_run {
  std::optional<msg::scorecard> card;
  std::optional<caf::error> err;
  std::vector<msg::provider_restarted> restarts;
};

}  // namespace

class graders_test : public ::testing::Test, public test::actor_fixture {
 protected:
  std::shared_ptr<grading_run> grade(const std::string& chaos, uint64_t seed,
                                     int deadline_ms = 2000) {
    auto out = std::make_shared<grading_run>();
    auto segs = segments_of(answer_text("rate-limiter", "strong"));
    auto faults = supervision::fault_injector{
      *supervision::fault_spec::parse(chaos), seed};
    auto harness = sys().spawn([=](caf::event_based_actor* self) -> caf::behavior {
      grading::grading_options o;
      o.engine = engine();
      o.question = question("rate-limiter");
      o.faults = faults;
      o.deadline_ms = deadline_ms;
      o.retries = 1;
      o.detached = false;  // the deterministic scheduler runs them
      o.listener = caf::actor_cast<caf::actor>(self);
      auto sup = grading::spawn_grading_supervisor(self, o);
      self->request(sup, caf::infinite, msg::grade_atom::value, segs,
                    msg::delivery_stats{})
        .then([=](msg::scorecard& c) { out->card = c; },
              [=](caf::error& e) { out->err = e; });
      return {[=](msg::provider_restarted& m) { out->restarts.push_back(m); }};
    });
    track(harness);
    run_all();
    return out;
  }
};

TEST_F(graders_test, six_graders_produce_a_scorecard) {
  auto r = grade("", 1);
  ASSERT_TRUE(r->card) << (r->err ? describe(*r->err) : "no reply");
  EXPECT_EQ(r->card->dimensions.size(), 6u);
  for (const auto& d : r->card->dimensions)
    EXPECT_EQ(d.status, "ok") << d.dimension;
  EXPECT_EQ(r->card->verdict, "scale") << r->card->reason;
  EXPECT_TRUE(r->restarts.empty());
}

TEST_F(graders_test, crashed_grader_is_restarted_with_the_same_result) {
  auto clean = grade("", 1);
  ASSERT_TRUE(clean->card);
  // Find a seed where the data grader crashes on its first attempt only.
  supervision::fault_spec spec = *supervision::fault_spec::parse("grader.data.crash=0.5");
  uint64_t seed = 0;
  for (uint64_t s = 1; s < 1000 && !seed; ++s) {
    supervision::fault_injector inj{spec, s};
    if (inj.plan("grader.data", 0, 0).crash && !inj.plan("grader.data", 0, 1).crash)
      seed = s;
  }
  ASSERT_NE(seed, 0u);
  auto r = grade("grader.data.crash=0.5", seed);
  ASSERT_TRUE(r->card);
  ASSERT_EQ(r->restarts.size(), 1u);
  EXPECT_NE(r->restarts[0].reason.find("grader.data"), std::string::npos);
  EXPECT_DOUBLE_EQ(r->card->overall, clean->card->overall);
  EXPECT_TRUE(r->card->unavailable.empty());
}

TEST_F(graders_test, hung_grader_is_unavailable_never_zero) {
  auto r = grade("grader.reliability.hang=1.0", 1, 500);
  ASSERT_TRUE(r->card);
  EXPECT_EQ(r->restarts.size(), 1u) << "one retry before giving up";
  ASSERT_EQ(r->card->unavailable, std::vector<std::string>{"reliability"});
  for (const auto& d : r->card->dimensions)
    if (d.dimension == "reliability") {
      EXPECT_EQ(d.status, "unavailable");
      EXPECT_NE(d.note.find("500 ms"), std::string::npos) << d.note;
    }
}

TEST_F(graders_test, garbage_results_are_rejected) {
  auto r = grade("grader.garbage=1.0", 1);
  ASSERT_TRUE(r->card);
  EXPECT_EQ(r->card->unavailable.size(), 6u);
  EXPECT_EQ(r->card->verdict, "fail");
  for (const auto& d : r->card->dimensions)
    EXPECT_NE(d.note.find("implausible"), std::string::npos) << d.note;
}

// Chaos target "embed": the embedding service fails under a grader. Every
// kind of failure degrades the grade to lexical evidence (and BM25
// citations), flagged on the result; none makes a dimension unavailable.
TEST_F(graders_test, failed_embeddings_degrade_grades_never_lose_them) {
  auto clean = grade("", 1);
  ASSERT_TRUE(clean->card);
  for (const auto& d : clean->card->dimensions)
    EXPECT_TRUE(d.degraded.empty()) << d.dimension;
  // What each dimension scores with lexical evidence only, computed directly.
  const auto lexical = grading::test::engine().without_embeddings();
  auto q = question("rate-limiter");
  auto segs = segments_of(answer_text("rate-limiter", "strong"));
  auto ev = lexical.prepare(grading::to_lines(segs));
  bool any_differs = false;
  for (const char* kind : {"crash", "hang", "error", "garbage"}) {
    auto r = grade(std::string{"embed."} + kind + "=1", 1);
    ASSERT_TRUE(r->card) << kind;
    EXPECT_TRUE(r->card->unavailable.empty()) << kind;
    EXPECT_TRUE(r->restarts.empty()) << kind << ": a failed embedder is not a grader failure";
    ASSERT_EQ(r->card->dimensions.size(), q->dimensions.size());
    for (std::size_t i = 0; i < q->dimensions.size(); ++i) {
      const auto& d = r->card->dimensions[i];
      EXPECT_EQ(d.status, "ok") << kind << " " << d.dimension;
      EXPECT_NE(d.degraded.find(kind), std::string::npos) << d.degraded;
      auto want = lexical.grade_dimension(*q, q->dimensions[i], ev);
      EXPECT_NEAR(d.score, want.score, 1e-9) << kind << " " << d.dimension;
      any_differs |= std::abs(d.score - clean->card->dimensions[i].score) > 1e-9;
    }
  }
  EXPECT_TRUE(any_differs) << "dense evidence must matter somewhere, or this proves nothing";
}

TEST_F(graders_test, embed_delay_slows_grading_but_keeps_dense_grades) {
  auto clean = grade("", 1);
  ASSERT_TRUE(clean->card);
  auto t0 = std::chrono::steady_clock::now();
  auto r = grade("embed.delay=40ms", 1);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r->card);
  EXPECT_GE(ms, 6 * 40) << "each of the six graders waited for its embeddings";
  EXPECT_DOUBLE_EQ(r->card->overall, clean->card->overall);
  for (const auto& d : r->card->dimensions)
    EXPECT_TRUE(d.degraded.empty()) << d.dimension;
}
