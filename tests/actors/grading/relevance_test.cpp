// Relevance: an answer is graded against the question asked, not against
// system design in general. Uses the shipped bank and the knowledge base's
// idf, the same inputs the service grades with.
#include "retrieval/text.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace sof::grading;

namespace {

term_specificity kb_idf() {
  return [](const std::string& t) { return static_cast<double>(test::kb()->idf(t)); };
}

const topic_index& topics() {
  static topic_index t = topic_index::from_bank(test::bank(), kb_idf());
  return t;
}

const char* ticket_answer =
  "A flash sale puts a virtual waiting room in front of the seat inventory. Each seat is "
  "held for ten minutes with an expiry, and a conditional update makes sure a seat is "
  "never sold twice. Payment confirms the hold and issues the ticket.";

}  // namespace

TEST(grading_relevance, weighs_specific_terms_and_normalises) {
  auto v = weigh_terms("seats seats database", kb_idf());
  double norm = 0;
  for (const auto& [_, w] : v.weights)
    norm += w * w;
  EXPECT_NEAR(norm, 1.0, 1e-9);
  // Terms are the knowledge base's tokens; "seat" is rarer there than
  // "database", so it weighs more although both are said.
  const auto seat = sof::retrieval::tokenize("seats").at(0);
  const auto db = sof::retrieval::tokenize("database").at(0);
  EXPECT_GT(test::kb()->idf(seat), test::kb()->idf(db));
  ASSERT_TRUE(v.weights.contains(seat) && v.weights.contains(db));
  EXPECT_GT(v.weights.at(seat), v.weights.at(db));
  EXPECT_NEAR(v.dot(v), 1.0, 1e-9);
  EXPECT_TRUE(weigh_terms("the and of", kb_idf()).empty());
}

TEST(grading_relevance, an_answer_to_the_question_is_relevant) {
  const auto* q = test::bank().find("ticketing-flash-sale");
  ASSERT_NE(q, nullptr);
  auto r = topics().assess(*q, ticket_answer);
  EXPECT_TRUE(r.relevant) << r.reason;
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  EXPECT_TRUE(r.reason.empty());
  EXPECT_GT(r.on_topic, r.best_other);
}

TEST(grading_relevance, an_answer_to_another_question_names_it) {
  const auto* q = test::bank().find("url-shortener");
  ASSERT_NE(q, nullptr);
  auto r = topics().assess(*q, ticket_answer);
  EXPECT_FALSE(r.relevant);
  EXPECT_LT(r.score, 0.5);
  EXPECT_EQ(r.best_other_id, "ticketing-flash-sale");
  EXPECT_NE(r.reason.find("another question"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find(test::bank().find("ticketing-flash-sale")->title), std::string::npos);
  // What the candidate never said, in the question's own words.
  ASSERT_FALSE(r.missing_terms.empty());
  EXPECT_NE(r.reason.find(r.missing_terms.front()), std::string::npos);
}

TEST(grading_relevance, the_same_question_asked_ad_hoc_is_not_its_own_contrast) {
  const auto* bank_q = test::bank().find("ticketing-flash-sale");
  auto adhoc = question_from_text(bank_q->prompt, test::bank().generic(), {}, kb_idf());
  EXPECT_TRUE(adhoc.derived);
  auto t = topics().topic_of(adhoc);
  EXPECT_FALSE(t.hand_rubric);
  auto r = topics().assess(t, ticket_answer);
  EXPECT_TRUE(r.relevant) << r.reason;
  EXPECT_NE(r.best_other_id, "ticketing-flash-sale");
}

TEST(grading_relevance, talk_about_something_else_says_little) {
  const auto* q = test::bank().find("rate-limiter");
  auto r = topics().assess(*q, "Last quarter we redesigned the onboarding screens of our "
                               "mobile app with nicer illustrations and fewer steps.");
  EXPECT_FALSE(r.relevant);
  EXPECT_NE(r.reason.find("says little"), std::string::npos) << r.reason;
  auto empty = topics().assess(*q, "");
  EXPECT_FALSE(empty.relevant);
  EXPECT_DOUBLE_EQ(empty.on_topic, 0.0);
}

TEST(grading_relevance, bounds_the_verdict) {
  dimension_score d;
  d.name = "architecture";
  d.score = 9;
  std::vector<dimension_score> dims;
  for (const char* n : {"requirements", "architecture", "data", "scalability", "reliability",
                        "communication"}) {
    d.name = n;
    dims.push_back(d);
  }
  EXPECT_EQ(decide(dims).result, outcome::scale);
  relevance_result off;
  off.score = 0.2;
  off.relevant = false;
  off.reason = "the answer reads as an answer to another question";
  auto v = decide(dims, {}, &off);
  EXPECT_EQ(v.result, outcome::fail);
  EXPECT_EQ(v.reason, off.reason);
  EXPECT_DOUBLE_EQ(v.overall, 10 + 90 * 0.2);
  relevance_result on;  // relevant: no bound
  EXPECT_DOUBLE_EQ(decide(dims, {}, &on).overall, 90.0);
}

TEST(grading_relevance, the_engine_fails_an_answer_to_another_question) {
  auto engine = kb_engine(test::kb(), test::bank());
  const auto* q = test::bank().find("url-shortener");
  auto card = engine->grade(*q, transcript_from_text(ticket_answer));
  EXPECT_EQ(card.result.result, outcome::fail);
  EXPECT_FALSE(card.result.relevance.relevant);
  EXPECT_NE(card.result.reason.find("another question"), std::string::npos);
  // Without topics nothing is assessed and nothing is bounded.
  EXPECT_EQ(test::engine().relevance(*q, transcript_from_text(ticket_answer)).score, 1.0);
}

TEST(grading_relevance, recognised_speech_keeps_its_question_but_not_another) {
  // The ticketing answer as a recogniser at about half the words right
  // heard it: the topic match falls below the floor read as typed text.
  const char* heard =
    "a flash sail puts a virtual waiting room in front of the seat in venture each seat is "
    "whole for ten minutes with an expiry and a conditional update makes sure a seed is "
    "never sold twice";
  const auto* q = test::bank().find("ticketing-flash-sale");
  ASSERT_NE(q, nullptr);
  const auto as_typed = topics().assess(*q, heard);
  const auto as_heard = topics().assess(*q, heard, 0.65);
  EXPECT_DOUBLE_EQ(as_typed.on_topic, as_heard.on_topic);  // the match itself is reported
  EXPECT_GT(as_heard.score, as_typed.score);
  EXPECT_TRUE(as_heard.relevant) << as_heard.reason;
  // The margin against other questions is a ratio: the correction does not
  // make it an answer to another question.
  const auto other = topics().assess(*test::bank().find("url-shortener"), heard, 0.65);
  EXPECT_FALSE(other.relevant);
  EXPECT_EQ(other.best_other_id, "ticketing-flash-sale");
}
