// Accuracy of the domain-adapted pocketsphinx provider on the held-out
// system-design sentences (tests/data/stt/, never in the LM training text),
// synthesized with flite kal16 at test time. About 230 s of audio: label
// "slow" (roughly 25-45 s on this machine).
#include "actors/common/errors.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"
#include "base/text/wer.hpp"
#include "tests/actors/providers/stt/stt_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace sof;

namespace {

// Budget from the product requirements; stock pocketsphinx measures ~0.38.
constexpr double flite_wer_budget = 0.20;

text::wer_result evaluate(stt::stt_provider& p,
                          const std::vector<stt::testing::labelled_audio>& set) {
  text::wer_result total;
  for (const auto& item : set) {
    auto hyp = stt::testing::decode(p, item.pcm);
    auto w = text::word_error_rate(item.reference, hyp);
    total += w;
    if (w.errors() > 0)
      std::printf("  %s: %zu errors\n    ref: %s\n    hyp: %s\n",
                  item.name.c_str(), w.errors(), item.reference.c_str(),
                  hyp.c_str());
  }
  return total;
}

}  // namespace

TEST(pocketsphinx_accuracy, held_out_system_design_sentences_within_budget) {
  auto set = stt::testing::flite_set();
  ASSERT_GE(set.size(), 40u);
  auto p = stt::pocketsphinx_provider::create({});
  ASSERT_TRUE(p) << describe(p.error());
  auto total = evaluate(**p, set);
  std::printf("flite kal16 system-design WER %.4f (%zu errors / %zu words)\n",
              total.rate(), total.errors(), total.reference_words);
  EXPECT_LE(total.rate(), flite_wer_budget);
}
