#include "config/questions.hpp"

#include "actors/common/errors.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace sof;
using namespace sof::config;
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Everything a grader could match against, lower-cased.
std::string rubric_text(const question& q) {
  std::string out = lower(q.prompt) + "\n";
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      out += lower(p.point) + "\n" + lower(p.followup) + "\n";
      for (const auto& ph : p.phrasings)
        out += lower(ph) + "\n";
    }
  return out;
}

const question_bank& shipped() {
  static auto bank = question_bank::load();
  if (!bank)
    throw std::runtime_error(describe(bank.error()));
  return *bank;
}

void expect_covers(const std::string& id,
                   std::initializer_list<const char*> topics) {
  const auto* q = shipped().find(id);
  ASSERT_NE(q, nullptr) << id;
  auto text = rubric_text(*q);
  for (const auto* t : topics)
    EXPECT_NE(text.find(t), std::string::npos) << id << " does not cover '" << t << "'";
}

// A minimal valid system-design question; tests corrupt one part of it.
std::string valid_question(const std::string& id, const std::string& extra_point = {}) {
  std::string s = "id = \"" + id + "\"\n"
                  "title = \"T\"\nprompt = \"Design it.\"\n"
                  "track = \"system_design\"\ndifficulty = \"easy\"\n"
                  "time_limit_minutes = 30\n"
                  "phases = [\"requirements\", \"deep_dive\"]\n";
  for (auto dim : track_dimensions(question_track::system_design)) {
    s += "[[rubric." + std::string{dim} + "]]\n"
         "id = \"" + std::string{dim} + "-1\"\n"
         "point = \"Covers it\"\nweight = 2\nphase = \"requirements\"\n"
         "phrasings = [\"I would start by covering it\"]\n"
         "followup = \"How would you cover it?\"\n";
    if (dim == "data")
      s += extra_point;
  }
  return s;
}

class question_files : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path()
           / ("sof_questions_" + std::to_string(::getpid()) + "_"
              + std::to_string(counter++));
    fs::create_directories(dir_);
    write("generic.toml", valid_question("generic"));
  }
  void TearDown() override {
    fs::remove_all(dir_);
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream{dir_ / name} << text;
  }
  // Loads the directory and returns the error text ("" when it loaded).
  std::string load_error() {
    auto bank = question_bank::load(dir_);
    return bank ? std::string{} : describe(bank.error());
  }
  fs::path dir_;
};

#define EXPECT_MENTIONS(msg, needle)                                           \
  EXPECT_NE((msg).find(needle), std::string::npos)                             \
    << "error '" << (msg) << "' does not mention '" << (needle) << "'"

}  // namespace

TEST(question_bank, shipped_bank_loads) {
  auto bank = question_bank::load();
  ASSERT_TRUE(bank) << describe(bank.error());
  EXPECT_GE(bank->all().size(), 16u);
  EXPECT_EQ(bank->generic().id, "generic");
  EXPECT_EQ(bank->find("generic"), nullptr) << "generic is not a practice question";
  EXPECT_EQ(bank->find("no-such-question"), nullptr);
}

TEST(question_bank, every_question_defines_every_dimension_of_its_track) {
  const auto& bank = shipped();
  std::vector<const question*> all{&bank.generic()};
  for (const auto& q : bank.all())
    all.push_back(&q);
  for (const auto* q : all) {
    auto dims = track_dimensions(q->track);
    ASSERT_EQ(q->dimensions.size(), dims.size()) << q->id;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      EXPECT_EQ(q->dimensions[i].name, dims[i]) << q->id;
      EXPECT_GE(q->dimensions[i].points.size(), 2u) << q->id << " " << dims[i];
    }
    // Every phase has something to ask about, so follow-ups never run dry.
    for (const auto& phase : q->phases)
      EXPECT_FALSE(q->points_in_phase(phase).empty()) << q->id << " " << phase;
  }
}

TEST(question_bank, system_design_questions_are_substantive) {
  auto sd = shipped().filter(question_track::system_design);
  EXPECT_GE(sd.size(), 12u) << "four named questions and at least eight classics";
  for (const auto* q : sd) {
    EXPECT_EQ(q->dimensions.size(), 6u) << q->id;
    std::size_t points = 0;
    for (const auto& d : q->dimensions) {
      EXPECT_GE(d.points.size(), 3u) << q->id << " " << d.name;
      EXPECT_TRUE(std::any_of(d.points.begin(), d.points.end(),
                              [](const auto& p) { return p.weight == 3; }))
        << q->id << " " << d.name << " has no essential point";
      points += d.points.size();
      for (const auto& p : d.points)
        EXPECT_GE(p.phrasings.size(), 2u) << q->id << " " << p.id;
    }
    EXPECT_GE(points, 18u) << q->id;
  }
}

TEST(question_bank, ticketing_covers_the_flash_sale_hard_parts) {
  expect_covers("ticketing-flash-sale",
                {"hold", "expir", "waitlist", "idempot", "sold out", "payment",
                 "oversell", "queue", "refund", "notif"});
  const auto* q = shipped().find("ticketing-flash-sale");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->track, question_track::system_design);
  EXPECT_EQ(q->difficulty, question_difficulty::hard);
}

TEST(question_bank, named_questions_cover_their_constraints) {
  expect_covers("task-processing-llm",
                {"mongo", "5000", "10 tasks", "batch", "rate limit", "retry",
                 "idempot", "progress"});
  expect_covers("load-balancer-dispatcher",
                {"heartbeat", "overloaded", "unreachable", "priority", "join",
                 "failover", "starv"});
  expect_covers("realtime-speech-feedback",
                {"p95", "500 ms", "3x", "cost per audio minute", "reconnect",
                 "duplicate", "sequence"});
}

TEST(question_bank, classics_exist) {
  for (const auto* id :
       {"url-shortener", "chat-messaging", "news-feed", "rate-limiter",
        "web-crawler", "key-value-store", "notification-service", "file-storage"}) {
    const auto* q = shipped().find(id);
    ASSERT_NE(q, nullptr) << id;
    EXPECT_EQ(q->track, question_track::system_design) << id;
  }
}

TEST(question_bank, deep_dive_and_behavioural_tracks) {
  auto dd = shipped().filter(question_track::project_deep_dive);
  ASSERT_GE(dd.size(), 1u);
  expect_covers(dd.front()->id, {"slo", "trade-off", "role", "number", "hindsight",
                                 "lesson"});
  auto beh = shipped().filter(question_track::behavioural);
  EXPECT_GE(beh.size(), 3u);
  expect_covers("behavioural-learn-quickly", {"learn"});
  expect_covers("behavioural-disagreement", {"disagree", "data"});
  expect_covers("behavioural-challenging-project", {"%", "result"});
  for (const auto* q : beh)
    EXPECT_NE(q->dimension("situation"), nullptr) << q->id;
}

TEST(question_bank, filter_by_track_and_difficulty) {
  const auto& bank = shipped();
  auto hard = bank.filter(question_track::system_design, question_difficulty::hard);
  ASSERT_FALSE(hard.empty());
  for (const auto* q : hard) {
    EXPECT_EQ(q->track, question_track::system_design);
    EXPECT_EQ(q->difficulty, question_difficulty::hard);
  }
  EXPECT_EQ(bank.filter(std::nullopt).size(), bank.all().size());
  auto easy = bank.filter(std::nullopt, question_difficulty::easy);
  EXPECT_FALSE(easy.empty());
  EXPECT_LT(easy.size(), bank.all().size());
}

TEST(question_bank, point_ids_unique_within_question) {
  for (const auto& q : shipped().all()) {
    std::set<std::string> ids;
    for (const auto& d : q.dimensions)
      for (const auto& p : d.points)
        EXPECT_TRUE(ids.insert(p.id).second) << q.id << " " << p.id;
  }
}

TEST_F(question_files, valid_minimal_bank_loads) {
  write("a.toml", valid_question("a"));
  auto bank = question_bank::load(dir_);
  ASSERT_TRUE(bank) << describe(bank.error());
  ASSERT_EQ(bank->all().size(), 1u);
  EXPECT_EQ(bank->all()[0].dimension("data")->points[0].weight, 2);
  EXPECT_EQ(bank->find("a")->source, dir_ / "a.toml");
}

TEST_F(question_files, duplicate_ids_across_files) {
  write("a.toml", valid_question("same"));
  write("b.toml", valid_question("same"));
  auto err = load_error();
  EXPECT_MENTIONS(err, "b.toml");
  EXPECT_MENTIONS(err, "duplicate question id 'same'");
  EXPECT_MENTIONS(err, "a.toml");
}

TEST_F(question_files, unknown_track_and_difficulty) {
  auto q = valid_question("a");
  q.replace(q.find("system_design"), 13, "systems");
  q.replace(q.find("\"easy\""), 6, "\"trivial\"");
  write("a.toml", q);
  auto err = load_error();
  EXPECT_MENTIONS(err, "a.toml");
  EXPECT_MENTIONS(err, "track: unknown track 'systems'");
  EXPECT_MENTIONS(err, "difficulty: unknown difficulty 'trivial'");
}

TEST_F(question_files, dimension_not_of_the_track) {
  auto q = valid_question("a");
  q.replace(q.find("track = \"system_design\""), 23, "track = \"behavioural\"");
  write("a.toml", q);
  auto err = load_error();
  EXPECT_MENTIONS(err, "rubric.scalability: unknown dimension for track behavioural");
  EXPECT_MENTIONS(err, "rubric.situation: missing");
}

TEST_F(question_files, missing_dimension) {
  auto q = valid_question("a");
  auto at = q.find("[[rubric.reliability]]");
  q.erase(at, q.find("[[rubric.communication]]") - at);
  write("a.toml", q);
  EXPECT_MENTIONS(load_error(), "rubric.reliability: missing");
}

TEST_F(question_files, empty_prompt) {
  auto q = valid_question("a");
  q.replace(q.find("\"Design it.\""), 12, "\"  \"");
  write("a.toml", q);
  EXPECT_MENTIONS(load_error(), "a.toml: prompt: must not be empty");
}

TEST_F(question_files, weight_out_of_range) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 5\nphase = \"requirements\"\n"
                                      "phrasings = [\"we would store it durably\"]\n"
                                      "followup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].weight: 5 out of range 1..3");
}

TEST_F(question_files, phase_not_in_phases) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"wrap_up\"\n"
                                      "phrasings = [\"we would store it durably\"]\n"
                                      "followup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(),
                  "rubric.data[1].phase: 'wrap_up' is not one of the question's phases");
}

TEST_F(question_files, point_without_phrasings) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "phrasings = []\nfollowup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].phrasings: must not be empty");
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "followup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].phrasings: missing");
}

TEST_F(question_files, bare_keyword_phrasing) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "phrasings = [\"sharding\"]\nfollowup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].phrasings[0]: 'sharding' is a keyword");
}

TEST_F(question_files, duplicate_point_ids) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"data-1\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "phrasings = [\"we would store it durably\"]\n"
                                      "followup = \"F?\"\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].id: duplicate point id 'data-1'");
}

TEST_F(question_files, unknown_keys) {
  write("a.toml", "tags = [\"x\"]\n" + valid_question("a", "[[rubric.data]]\n"
                  "id = \"x\"\npoint = \"P\"\nweight = 1\nphase = \"requirements\"\n"
                  "phrasings = [\"we would store it durably\"]\nfollowup = \"F?\"\n"
                  "hint = \"typo\"\n"));
  auto err = load_error();
  EXPECT_MENTIONS(err, "unknown key 'tags'");
  EXPECT_MENTIONS(err, "unknown key 'rubric.data[1].hint'");
}

TEST_F(question_files, wrong_types) {
  auto q = valid_question("a");
  q.replace(q.find("time_limit_minutes = 30"), 23, "time_limit_minutes = \"30\"");
  q.replace(q.find("phases = ["), 10, "phases = [1, ");
  write("a.toml", q);
  auto err = load_error();
  EXPECT_MENTIONS(err, "time_limit_minutes: wrong type");
  EXPECT_MENTIONS(err, "phases[0]: wrong type");
  write("a.toml", "id = \"a\"\nrubric = 3\n");
  EXPECT_MENTIONS(load_error(), "rubric: wrong type");
}

TEST_F(question_files, malformed_toml_is_an_error_not_a_crash) {
  write("a.toml", "id = \"a\"\ntitle = [unterminated\n");
  auto err = load_error();
  EXPECT_MENTIONS(err, "a.toml");
  write("a.toml", std::string{"\x00\xff\xfe garbage", 12});
  EXPECT_MENTIONS(load_error(), "a.toml");
  write("a.toml", "");
  EXPECT_MENTIONS(load_error(), "a.toml: id: missing");
}

TEST_F(question_files, generic_is_required_and_missing_dir_is_an_error) {
  fs::remove(dir_ / "generic.toml");
  write("a.toml", valid_question("a"));
  EXPECT_MENTIONS(load_error(), "generic.toml: missing");
  auto missing = question_bank::load(dir_ / "nope");
  ASSERT_FALSE(missing);
  EXPECT_MENTIONS(describe(missing.error()), "does not exist");
}

TEST_F(question_files, cues_are_optional_and_checked) {
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "phrasings = [\"we would store it durably\"]\n"
                                      "followup = \"F?\"\ncues = [\"replica\", \" \"]\n"));
  EXPECT_MENTIONS(load_error(), "rubric.data[1].cues[1]: must not be empty");
  write("a.toml", valid_question("a", "[[rubric.data]]\nid = \"x\"\npoint = \"P\"\n"
                                      "weight = 1\nphase = \"requirements\"\n"
                                      "phrasings = [\"we would store it durably\"]\n"
                                      "followup = \"F?\"\ncues = [\"fails over\", \"replica\"]\n"));
  auto bank = sof::config::question_bank::load(dir_);
  ASSERT_TRUE(bank) << sof::describe(bank.error());
  const auto* q = bank->find("a");
  ASSERT_NE(q, nullptr);
  const auto* d = q->dimension("data");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->points.back().cues, (std::vector<std::string>{"fails over", "replica"}));
}
