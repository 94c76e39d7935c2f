#include "actors/grading/phonetic.hpp"

#include "actors/common/errors.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace sof::grading;

namespace {

std::shared_ptr<const phonetic_index> small_dictionary() {
  return std::make_shared<const phonetic_index>(phonetic_index::from_entries({
    {"hold", "HH OW1 L D"}, {"whole", "HH OW1 L"}, {"hole", "HH OW1 L"},
    {"seat", "S IY1 T"}, {"see", "S IY1"}, {"seats", "S IY1 T S"},
    {"cache", "K AE1 SH"}, {"cash", "K AE1 SH"}, {"catch", "K AE1 CH"},
    {"minutes", "M IH1 N AH0 T S"}}));
}

sof::config::rubric_point hold_point() {
  sof::config::rubric_point p;
  p.id = "hold";
  // Six content words, so that three or four of them are not full evidence.
  p.point = "Holds the seats for ten minutes, then releases them to the pool";
  return p;
}

}  // namespace

TEST(grading_phonetic, words_that_sound_alike) {
  auto d = small_dictionary();
  EXPECT_TRUE(d->sounds_alike("whole", "hold"));   // a final stop lost
  EXPECT_TRUE(d->sounds_alike("hold", "whole"));
  EXPECT_TRUE(d->sounds_alike("cash", "cache"));   // homophones
  EXPECT_FALSE(d->sounds_alike("catch", "cache"));
  // Only words of four phones or more lose a final stop: "see" is not "seat".
  EXPECT_FALSE(d->sounds_alike("see", "seat"));
  EXPECT_FALSE(d->sounds_alike("hold", "hold"));   // the same word is not a sound match
  EXPECT_FALSE(d->sounds_alike("unknown", "hold"));
  EXPECT_TRUE(d->keys("unknown").empty());
}

TEST(grading_phonetic, the_recognisers_dictionary_loads_with_its_alternates) {
  const sof::config::settings defaults;
  const auto dict = std::filesystem::path(defaults.stt.pocketsphinx.model_dir) / "cmudict-en-us.dict";
  auto d = phonetic_index::load({dict});
  ASSERT_TRUE(d) << sof::describe(d.error());
  EXPECT_GT(d->words(), 100000u);
  EXPECT_TRUE(d->sounds_alike("whole", "hold"));
  EXPECT_TRUE(d->sounds_alike("write", "right"));
  EXPECT_TRUE(d->sounds_alike("cash", "cache"));
  EXPECT_FALSE(d->sounds_alike("cold", "hold"));
  // "read(2)" is an alternate pronunciation of "read": it sounds like "red".
  EXPECT_TRUE(d->sounds_alike("red", "read"));
}

TEST(grading_phonetic, a_missing_dictionary_is_an_error_and_bad_lines_are_skipped) {
  auto missing = phonetic_index::load({"/nonexistent/sof.dict"});
  ASSERT_FALSE(missing);
  EXPECT_NE(sof::describe(missing.error()).find("/nonexistent/sof.dict"), std::string::npos);

  const auto path = std::filesystem::temp_directory_path() / "sof_phonetic_test.dict";
  std::ofstream(path) << "hold HH OW1 L D\n\nnophones\n  leading space\nwhole HH OW1 L\n";
  auto d = phonetic_index::load({path});
  std::filesystem::remove(path);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->words(), 2u);
  EXPECT_TRUE(d->sounds_alike("whole", "hold"));
}

TEST(grading_phonetic, a_misheard_rubric_word_counts_in_part_and_is_marked) {
  const auto engine = rubric_engine(nullptr).with_phonetics(small_dictionary());
  const std::string said = "we whole the seats for ten because payment takes time";
  transcript_line spoken{0, 4000, said, true, {}};
  transcript_line typed{0, 4000, said, false, {}};
  const auto heard = engine.score_point("requirements", hold_point(), engine.prepare({spoken}));
  const auto read = engine.score_point("requirements", hold_point(), engine.prepare({typed}));
  EXPECT_GT(heard.score, read.score);
  // The quote stays as recognised; the mark says which word counted as what.
  EXPECT_EQ(heard.evidence, said);
  ASSERT_EQ(heard.heard.size(), 1u);
  EXPECT_EQ(heard.heard[0], (heard_match{"whole", "holds", "sound"}));  // the rubric says "Holds"
  EXPECT_TRUE(read.heard.empty());  // typed words are not second-guessed

  // Said as the rubric says it, the full credit: more than the sound match.
  transcript_line clear{0, 4000, "we hold the seats for ten because payment takes time", true,
                        {}};
  EXPECT_GT(engine.score_point("requirements", hold_point(), engine.prepare({clear})).score,
            heard.score);
}

TEST(grading_phonetic, a_rubric_word_in_the_recognisers_alternatives_counts_in_part) {
  const rubric_engine engine(nullptr);  // no dictionary: alternatives alone
  transcript_line spoken{0, 4000, "we fold the seats for ten because payment takes time", true,
                         {"we hold the seats for ten because payment takes time"}};
  auto without = spoken;
  without.alternatives.clear();
  const auto with_alt = engine.score_point("requirements", hold_point(), engine.prepare({spoken}));
  const auto plain = engine.score_point("requirements", hold_point(), engine.prepare({without}));
  EXPECT_GT(with_alt.score, plain.score);
  ASSERT_EQ(with_alt.heard.size(), 1u);
  EXPECT_EQ(with_alt.heard[0], (heard_match{"hold", "holds", "alternative"}));
}

TEST(grading_phonetic, an_alternative_counts_only_where_it_stands_in_the_quote) {
  // The n-best text differs from the best guess in the second sentence
  // only: the first sentence alone is not credited with its "hold".
  const rubric_engine engine(nullptr);
  const std::string best = "We fold the seats for ten minutes. The bank says the fold is slow.";
  transcript_line spoken{0, 8000, best, true,
                         {"We fold the seats for ten minutes. The bank says the hold is slow."}};
  const auto ev = engine.prepare({spoken});
  ASSERT_GE(ev.candidates.size(), 3u);
  const auto& first = ev.candidates.front();  // "We fold the seats for ten minutes."
  EXPECT_EQ(first.text.find("bank"), std::string::npos);
  EXPECT_FALSE(first.alternative_stems.contains("hold"));
  const auto second = std::find_if(ev.candidates.begin(), ev.candidates.end(), [](const auto& c) {
    return c.text.rfind("The bank", 0) == 0;
  });
  ASSERT_NE(second, ev.candidates.end());
  EXPECT_TRUE(second->alternative_stems.contains("hold"));
}

TEST(grading_phonetic, recognised_speech_is_read_with_its_expected_losses) {
  // Half the point's words said: partial evidence, which for recognised
  // speech is read as what survived recognition errors.
  const std::string said = "we keep the seats for ten minutes";
  transcript_line spoken{0, 4000, said, true, {}};
  transcript_line typed{0, 4000, said, false, {}};
  engine_options as_typed;
  as_typed.recognised_retention = 1.0;
  const rubric_engine engine(nullptr);  // the shipped retention
  const rubric_engine plain(nullptr, {}, as_typed);
  const auto read = engine.score_point("requirements", hold_point(), engine.prepare({typed}));
  const auto heard = engine.score_point("requirements", hold_point(), engine.prepare({spoken}));
  const auto heard_plain = plain.score_point("requirements", hold_point(), plain.prepare({spoken}));
  ASSERT_GT(read.score, 0.0);
  ASSERT_LT(read.score, 1.0);
  EXPECT_GT(heard.score, read.score);
  EXPECT_DOUBLE_EQ(heard_plain.score, read.score);  // retention 1: graded as typed
  // Typed text is never corrected, whatever the option says.
  EXPECT_DOUBLE_EQ(plain.score_point("requirements", hold_point(), plain.prepare({typed})).score,
                   read.score);
}
