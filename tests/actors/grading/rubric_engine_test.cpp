#include "base/text/wer.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

using namespace sof::grading;
using sof::grading::test::bank;
using sof::grading::test::engine;

namespace {

const sof::config::question& url_shortener() {
  const auto* q = bank().find("url-shortener");
  if (!q)
    throw std::runtime_error("url-shortener missing from the bank");
  return *q;
}

const point_coverage& find_point(const scorecard& c, const std::string& id) {
  for (const auto& d : c.dimensions)
    for (const auto& p : d.points)
      if (p.point_id == id)
        return p;
  throw std::runtime_error("no point " + id);
}

}  // namespace

TEST(grading_rubric_engine, buzzword_list_scores_far_below_an_explanation) {
  auto buzz = engine().grade(url_shortener(),
    transcript_from_text("kafka redis sharding cdn load balancer microservices cache queue"));
  auto explained = engine().grade(url_shortener(), transcript_from_text(
    "Most redirects go to a small set of popular links, so I would cache the hottest keys "
    "in Redis, which gives a very high hit rate. When the cache misses, the redirect service "
    "reads the key from the database, which is sharded by the short key with consistent "
    "hashing so that load spreads evenly. Click events go onto a queue so that counting "
    "never slows down the redirect."));
  EXPECT_LT(buzz.result.overall * 3, explained.result.overall)
    << "buzz " << buzz.result.overall << " explained " << explained.result.overall;
  EXPECT_LT(find_point(buzz, "scale-caching").score, 0.5);
  EXPECT_TRUE(find_point(explained, "scale-caching").covered);
  EXPECT_EQ(buzz.result.result, outcome::fail);
}

TEST(grading_rubric_engine, paraphrase_is_found_without_the_rubric_words) {
  // No "cache", "Redis", "power law" or "hit rate": the idea earns partial
  // credit, clearly more than an unrelated explanation.
  const auto paraphrase = transcript_from_text(
    "A handful of links get almost all the clicks, so I would keep those popular mappings "
    "in memory close to the redirect servers, which means most lookups never reach the "
    "database.");
  const auto unrelated = transcript_from_text(
    "We would write every order to the ledger before we answer, so that a crash never "
    "loses a payment.");
  const double dense_score = find_point(engine().grade(url_shortener(), paraphrase), "scale-caching").score;
  const double unrelated_score = find_point(engine().grade(url_shortener(), unrelated), "scale-caching").score;
  EXPECT_GT(dense_score, unrelated_score + 0.1) << dense_score << " vs " << unrelated_score;
}

TEST(grading_rubric_engine, evidence_is_quoted_with_its_time) {
  auto t = transcript_from_text(
    "Let me start with the requirements. The link table is replicated across availability "
    "zones so that losing one zone does not break redirects.");
  auto card = engine().grade(url_shortener(), t);
  const auto& p = find_point(card, "rel-replication");
  EXPECT_TRUE(p.covered);
  EXPECT_NE(p.evidence.find("replicated across availability zones"), std::string::npos);
  EXPECT_GE(p.start_ms, t[0].start_ms);
  EXPECT_LE(p.end_ms, t.back().end_ms);
  EXPECT_LT(p.start_ms, p.end_ms);
}

TEST(grading_rubric_engine, missing_points_are_sorted_and_cited) {
  auto card = engine().grade(url_shortener(), transcript_from_text(
    "I would put a cache in front of the database because reads dominate."));
  for (const auto& d : card.dimensions) {
    ASSERT_EQ(d.status, dimension_status::ok);
    for (std::size_t i = 1; i < d.missing.size(); ++i)
      EXPECT_GE(d.missing[i - 1].weight, d.missing[i].weight) << d.name;
    EXPECT_FALSE(d.citations.empty()) << d.name;
    for (const auto& c : d.citations) {
      EXPECT_FALSE(c.source.empty());
      EXPECT_FALSE(c.text.empty());
      EXPECT_FALSE(c.attribution.empty());
    }
    EXPECT_GE(d.score, 0);
    EXPECT_LE(d.score, 10);
  }
  const auto& rel = card.dimensions[4];
  ASSERT_EQ(rel.name, "reliability");
  ASSERT_FALSE(rel.missing.empty());
  EXPECT_FALSE(rel.missing.front().followup.empty());
  EXPECT_EQ(card.result.improvements.size(), 3u);
}

TEST(grading_rubric_engine, communication_uses_delivery) {
  const std::string body =
    "First, the requirements: redirects must be fast and always available. Then the design: "
    "a stateless redirect service reads the key from a cache and falls back to the database. "
    "The trade-off between a 301 and a 302 is browser caching versus counting every click. "
    "To recap, base62 keys from allocated id ranges, a key value store and a cache in front.";
  auto calm = engine().grade(url_shortener(), transcript_from_text(body, 140));
  std::string um_body;
  for (const auto& w : sof::text::normalize_words(body))
    um_body += w + " um like ";
  auto rushed = engine().grade(url_shortener(), transcript_from_text(um_body, 300));
  EXPECT_GT(calm.delivery.delivery_score, rushed.delivery.delivery_score + 0.3);
  EXPECT_GT(rushed.delivery.fillers, 50u);
  EXPECT_GT(calm.dimensions.back().score, rushed.dimensions.back().score);
  EXPECT_FALSE(calm.dimensions.back().note.empty());

  // Audio analytics, when given, win over the transcript's own timing.
  sof::msg::delivery_stats stats;
  stats.words = 60;
  stats.words_per_minute = 40;
  stats.longest_pause_seconds = 30;
  auto slow = engine().grade(url_shortener(), transcript_from_text(body, 140), stats);
  EXPECT_DOUBLE_EQ(slow.delivery.words_per_minute, 40);
  EXPECT_DOUBLE_EQ(slow.delivery.pause_score, 0);
  EXPECT_LT(slow.dimensions.back().score, calm.dimensions.back().score);
}

TEST(grading_rubric_engine, empty_transcript_is_a_zero_fail_not_an_error) {
  auto card = engine().grade(url_shortener(), {});
  EXPECT_EQ(card.result.result, outcome::fail);
  EXPECT_DOUBLE_EQ(card.result.overall, 0);
  EXPECT_EQ(card.dimensions.size(), 6u);
}

TEST(grading_rubric_engine, works_without_an_embedder) {
  rubric_engine lexical(nullptr);
  auto card = lexical.grade(url_shortener(), transcript_from_text(
    "The link table is replicated across availability zones so losing one does not break "
    "redirects."));
  EXPECT_TRUE(find_point(card, "rel-replication").covered);
  EXPECT_TRUE(card.dimensions[0].citations.empty());
}

TEST(grading_rubric_engine, question_from_text_adds_kb_points) {
  citation_hook hook = kb_citations(sof::grading::test::kb());
  auto q = question_from_text("Design a distributed cache for a social network",
                              bank().generic(), hook);
  EXPECT_EQ(q.prompt, "Design a distributed cache for a social network");
  std::size_t generic_points = 0, points = 0, kb_points = 0;
  for (const auto& d : bank().generic().dimensions)
    generic_points += d.points.size();
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      ++points;
      if (p.id.rfind("kb-", 0) == 0) {
        ++kb_points;
        EXPECT_FALSE(p.phrasings.empty()) << p.id;
        EXPECT_FALSE(p.followup.empty()) << p.id;
        EXPECT_NE(std::find(q.phases.begin(), q.phases.end(), p.phase), q.phases.end());
      }
    }
  EXPECT_GE(kb_points, 4u);
  EXPECT_EQ(points, generic_points + kb_points);

  // And it is gradable: an on-topic answer beats an off-topic one.
  auto good = engine().grade(q, transcript_from_text(
    "I would put a cache cluster in front of the database, sharded with consistent hashing "
    "so that adding a node only moves a small part of the keys. Reads check the cache first "
    "and on a miss load from the database and populate the cache, which is cache aside. "
    "Each shard is replicated so that losing a node does not lose the hot data."));
  auto off = engine().grade(q, transcript_from_text(
    "My favourite hobby is baking bread on weekends, and I like to try new recipes with "
    "my family when the weather is bad."));
  EXPECT_GT(good.result.overall, off.result.overall + 10);

  // No hook: still the generic rubric, never an error.
  auto plain = question_from_text("Design a chat app", bank().generic(), {});
  std::size_t plain_points = 0;
  for (const auto& d : plain.dimensions)
    plain_points += d.points.size();
  EXPECT_EQ(plain_points, generic_points);
}

TEST(grading_rubric_engine, notes_are_read_as_notes_but_a_bulleted_buzzword_list_still_fails) {
  // The same content as bullets and as sentences grades alike (a bullet
  // has few function words by form); buzzwords as bullets stay a list.
  const auto notes = transcript_from_text(
    "## Scale\n"
    "- Hot links cached in Redis: high hit rate, most redirects never reach the DB\n"
    "- DB sharded by short key w/ consistent hashing -> load spreads evenly\n"
    "- Click events onto a queue -> counting never slows the redirect\n");
  const auto prose = transcript_from_text(
    "Hot links are cached in Redis, so the hit rate is high and most redirects never reach "
    "the database. The database is sharded by the short key with consistent hashing, so "
    "load spreads evenly. Click events go onto a queue, so counting never slows the redirect.");
  const auto buzz = transcript_from_text(
    "## Design\n- Kafka\n- Redis for cache\n- Sharding\n- CDN\n- Load balancer\n"
    "- Microservices\n- Consistent hashing\n- Queue for events\n");
  ASSERT_TRUE(!notes.empty() && notes.front().notes);
  ASSERT_FALSE(prose.front().notes);
  const double as_notes = find_point(engine().grade(url_shortener(), notes), "scale-caching").score;
  const double as_prose = find_point(engine().grade(url_shortener(), prose), "scale-caching").score;
  EXPECT_GT(as_notes, 0.8 * as_prose) << as_notes << " vs " << as_prose;
  const auto buzz_card = engine().grade(url_shortener(), buzz);
  EXPECT_LT(find_point(buzz_card, "scale-caching").score, 0.5 * as_notes);
  EXPECT_EQ(buzz_card.result.result, outcome::fail);

  // Read with the prose rule (the engine's notes values set to prose's),
  // the bullets lose much of their credit: what this reading fixes.
  engine_options prose_rule;
  prose_rule.notes_grammar_share = 0.30;
  prose_rule.notes_no_connective = 0.75;
  const rubric_engine strict(nullptr, {}, prose_rule);
  const rubric_engine shipped(nullptr);
  EXPECT_LT(find_point(strict.grade(url_shortener(), notes), "scale-caching").score,
            find_point(shipped.grade(url_shortener(), notes), "scale-caching").score);
}
