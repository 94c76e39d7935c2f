// Fast checks of the pocketsphinx provider that need no decoder: missing
// files are reported by path, and the held-out test sentences (calibration
// and validation) really are held out of the language model training text.
#include "actors/common/errors.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"
#include "base/text/wer.hpp"
#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using namespace sof;

namespace {

std::string joined(std::string_view text) {
  std::string out;
  for (const auto& w : text::normalize_words(text))
    out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> sentences(const std::filesystem::path& file) {
  std::ifstream in{file};
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#' && !joined(line).empty())
      out.push_back(joined(line));
  return out;
}

// Every sentence the language model was trained on: config/stt/ and the
// built corpus.txt (kb + config/stt, normalised).
std::set<std::string> training_sentences() {
  std::set<std::string> training;
  for (const auto& entry : std::filesystem::directory_iterator(
         std::string{SOF_SOURCE_DIR} + "/config/stt"))
    for (auto& s : sentences(entry.path()))
      training.insert(s);
  for (auto& s : sentences(std::string{SOF_DATA_DIR} + "/stt/corpus.txt")) {
    auto inner = s.substr(0, s.rfind(" s"));
    training.insert(inner.substr(inner.find(' ') + 1));
  }
  return training;
}

}  // namespace

TEST(pocketsphinx_config, missing_model_dir_is_an_error_naming_the_path) {
  config::pocketsphinx_settings cfg;
  cfg.model_dir = "/nonexistent/sof-model";
  auto p = stt::pocketsphinx_provider::create(cfg);
  ASSERT_FALSE(p);
  auto msg = describe(p.error());
  EXPECT_NE(msg.find("/nonexistent/sof-model/en-us/mdef"), std::string::npos)
    << msg;
}

TEST(pocketsphinx_config, missing_domain_lm_is_an_error_naming_the_path) {
  config::pocketsphinx_settings cfg;
  cfg.domain_lm = "/nonexistent/domain.arpa";
  auto p = stt::pocketsphinx_provider::create(cfg);
  ASSERT_FALSE(p);
  auto msg = describe(p.error());
  EXPECT_NE(msg.find("/nonexistent/domain.arpa"), std::string::npos) << msg;
}

TEST(pocketsphinx_config, default_paths_point_at_the_build_output) {
  config::pocketsphinx_settings cfg;
  auto paths = stt::resolve_paths(cfg);
  EXPECT_EQ(paths.domain_lm, std::string{SOF_DATA_DIR} + "/stt/domain.arpa");
  EXPECT_EQ(paths.domain_dict, std::string{SOF_DATA_DIR} + "/stt/domain.dict");
  EXPECT_TRUE(std::filesystem::exists(paths.domain_lm))
    << "the build should have produced " << paths.domain_lm;
  cfg.domain_weight = 0;  // stock model: no domain files at all
  EXPECT_TRUE(stt::resolve_paths(cfg).domain_lm.empty());
}

TEST(pocketsphinx_config, held_out_sentences_are_not_in_the_training_text) {
  auto held_out = sentences(std::string{SOF_SOURCE_DIR}
                            + "/tests/data/stt/system_design_sentences.txt");
  ASSERT_GE(held_out.size(), 40u);
  auto training = training_sentences();
  ASSERT_GT(training.size(), 300u);
  for (const auto& s : held_out)
    EXPECT_EQ(training.count(s), 0u) << "held-out sentence in LM text: " << s;
}

// The validation sentences (stt_eval's sd-* sets) must stay unseen by the
// LM and distinct from the calibration set the search is tuned on.
TEST(pocketsphinx_config, validation_sentences_are_not_in_training_or_calibration) {
  auto validation = sentences(std::string{SOF_SOURCE_DIR}
                              + "/tests/data/stt/validation_sentences.txt");
  ASSERT_EQ(validation.size(), 40u);
  auto training = training_sentences();
  ASSERT_GT(training.size(), 300u);
  auto calibration = sentences(std::string{SOF_SOURCE_DIR}
                               + "/tests/data/stt/system_design_sentences.txt");
  std::set<std::string> tuned{calibration.begin(), calibration.end()};
  for (const auto& s : validation) {
    EXPECT_EQ(training.count(s), 0u) << "validation sentence in LM text: " << s;
    EXPECT_EQ(tuned.count(s), 0u) << "validation sentence in calibration: " << s;
  }
}

TEST(pocketsphinx_config, bundled_toml_parses_and_matches_the_defaults) {
  auto s = config::load();
  ASSERT_TRUE(s) << describe(s.error());
  const auto& ps = s->stt.pocketsphinx;
  const config::pocketsphinx_settings defaults;
  EXPECT_DOUBLE_EQ(ps.domain_weight, defaults.domain_weight);
  EXPECT_DOUBLE_EQ(ps.lw, defaults.lw);
  EXPECT_DOUBLE_EQ(ps.beam, defaults.beam);
  EXPECT_EQ(ps.maxhmmpf, defaults.maxhmmpf);
  EXPECT_EQ(ps.fwdflat, defaults.fwdflat);
  EXPECT_EQ(ps.bestpath, defaults.bestpath);
  auto bad = config::parse("[stt.pocketsphinx]\nds = 9\n", "test");
  EXPECT_FALSE(bad);
}
