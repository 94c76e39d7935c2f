// The pieces of question-biased recognition that need no decoder: spoken
// text normalisation, the run-time trigram estimator, espeak-ng mnemonics
// to CMU phones, and the per-content cache of question models.
#include "actors/common/errors.hpp"
#include "actors/providers/stt/lm/ngram_builder.hpp"
#include "actors/providers/stt/lm/pronounce.hpp"
#include "actors/providers/stt/lm/question_lm.hpp"
#include "actors/providers/stt/lm/spoken_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace sof::stt;
using lm::sentence;

namespace {

std::string joined(const sentence& s) {
  std::string out;
  for (const auto& w : s)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

TEST(spoken_text, numbers_units_and_percentiles_are_spelled) {
  EXPECT_EQ(lm::spell_number("1,000"), "one thousand");
  EXPECT_EQ(lm::spell_number("2.5"), "two point five");
  EXPECT_EQ(lm::spell_number("120"), "one hundred twenty");
  EXPECT_EQ(lm::spell_number("x1"), "");
  auto s = lm::spoken_sentences("Hold seats for 10 minutes at 500k QPS; p99 under 200ms.");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(joined(s[0]), "hold seats for ten minutes at five hundred thousand qps");
  EXPECT_EQ(joined(s[1]), "p ninety nine under two hundred milliseconds");
}

TEST(spoken_text, sentences_with_code_or_symbols_are_dropped_whole) {
  auto s = lm::spoken_sentences(
    "Call redis.set(key) with NX. The user's hold expires. Use a_b here");
  // "redis.set(key)" splits at '(' and the remainder holds symbols; the
  // identifier sentence is gone, the prose ones stay.
  std::vector<std::string> texts;
  for (const auto& x : s)
    texts.push_back(joined(x));
  EXPECT_NE(std::find(texts.begin(), texts.end(), "the user's hold expires"),
            texts.end());
  for (const auto& t : texts)
    EXPECT_EQ(t.find('.'), std::string::npos) << t;
}

TEST(ngram_builder, distributions_sum_to_one_and_seen_text_is_likely) {
  lm::ngram_builder b;
  for (const char* t : {"we hold the seat", "we release the seat",
                        "the seat is sold", "we hold the payment"})
    b.add(lm::spoken_sentences(t)[0]);
  auto vocab = b.vocabulary();
  vocab.insert("</s>");
  // Every context, seen or not, is a probability distribution.
  for (std::vector<std::string> h :
       {std::vector<std::string>{}, {"<s>"}, {"we"}, {"we", "hold"},
        {"hold", "the"}, {"seat", "we"}, {"sold", "payment"}}) {
    double sum = 0;
    for (const auto& w : vocab)
      sum += b.probability(h, w);
    EXPECT_NEAR(sum, 1.0, 1e-9) << "history size " << h.size();
  }
  EXPECT_GT(b.probability({"we", "hold"}, "the"),
            b.probability({"we", "hold"}, "sold"));
  // "hold the" was followed by "seat" and "payment" once each: each keeps
  // (1 - D) / 2 of the mass, the rest backs off.
  EXPECT_NEAR(b.probability({"hold", "the"}, "seat"), 0.2, 1e-9);
  EXPECT_LT(b.probability({"hold", "the"}, "sold"), 0.2);
}

TEST(ngram_builder, arpa_counts_match_its_sections) {
  lm::ngram_builder b;
  b.add({"a", "b", "c"});
  b.add({"a", "b", "d"}, 2);
  auto arpa = b.arpa();
  EXPECT_NE(arpa.find("ngram 1=6\n"), std::string::npos) << arpa;  // <s> a b c d </s>
  EXPECT_NE(arpa.find("ngram 2=6\n"), std::string::npos) << arpa;
  // <s> a b, a b c, b c </s>, a b d, b d </s>
  EXPECT_NE(arpa.find("ngram 3=5\n"), std::string::npos) << arpa;
  EXPECT_NE(arpa.find("\\end\\"), std::string::npos);
  // Lines of each section are "logprob<TAB>words[<TAB>backoff]".
  std::istringstream in{arpa};
  std::string line;
  std::size_t trigrams = 0;
  bool in_tri = false;
  while (std::getline(in, line)) {
    if (line == "\\3-grams:")
      in_tri = true;
    else if (in_tri && !line.empty() && line[0] != '\\') {
      ++trigrams;
      EXPECT_LE(std::stod(line), 0.0) << line;
    }
  }
  EXPECT_EQ(trigrams, 5u);
}

TEST(pronounce, espeak_mnemonics_map_to_cmu_phones) {
  EXPECT_EQ(lm::espeak_to_cmu("r'EdIs"), "R EH D IH S");
  EXPECT_EQ(lm::espeak_to_cmu("k'aSIN"), "K AE SH IH NG");
  EXPECT_EQ(lm::espeak_to_cmu("tS'eIn"), "CH EY N");
  EXPECT_EQ(lm::espeak_to_cmu(""), "");
}

TEST(pronounce, espeak_ng_answers_each_word) {
  auto p = lm::espeak_pronunciations({"kafka", "zookeeper", "bad word!"});
  ASSERT_EQ(p.count("kafka"), 1u);
  EXPECT_EQ(p.count("bad word!"), 0u);  // not [a-z'] only: never asked
  EXPECT_EQ(p["kafka"].substr(0, 2), "K ");
}

TEST(question_lm, built_once_per_content_then_cached) {
  auto dir = std::filesystem::temp_directory_path() / "sof-qlm-test";
  std::filesystem::remove_all(dir);
  ::setenv("SOF_STT_CACHE", dir.c_str(), 1);
  question_bias b{"q1",
                  {"Design a ticketing system for flash sales.",
                   "Hold seats with a TTL so unpaid holds expire."},
                  {"A cache stores data in memory."}};
  auto first = build_question_lm(b);
  ASSERT_TRUE(first) << sof::describe(first.error());
  EXPECT_FALSE(first->from_cache);
  EXPECT_TRUE(std::filesystem::is_regular_file(first->arpa_path));
  EXPECT_EQ(first->words.count("ttl"), 1u);
  EXPECT_EQ(first->words.count("memory"), 1u);
  EXPECT_EQ(first->sentences, 3u * 2 + 1);  // written text counts three times
  auto again = build_question_lm(b);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->from_cache);
  EXPECT_EQ(again->arpa_path, first->arpa_path);
  // Different content, different model.
  b.written.push_back("Use an idempotency key per payment.");
  auto other = build_question_lm(b);
  ASSERT_TRUE(other);
  EXPECT_NE(other->arpa_path, first->arpa_path);
  // Nothing speakable is an error value, not an empty model.
  auto none = build_question_lm({"q2", {"$$$ ###"}, {}});
  EXPECT_FALSE(none);
  ::unsetenv("SOF_STT_CACHE");
  std::filesystem::remove_all(dir);
}
