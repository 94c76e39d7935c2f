// Integration tests of the pocketsphinx provider with the build's domain LM:
// utterance independence (crash replay relies on it), chunking invariance,
// error values instead of crashes, and accuracy on held-out system-design
// sentences (flite kal16) and on real read speech.
#include "actors/common/errors.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"
#include "base/text/wer.hpp"
#include "tests/actors/providers/stt/stt_test_support.hpp"

#include <gtest/gtest.h>
#include <sphinxbase/err.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

using namespace sof;
using stt::testing::decode;

namespace {

// Stock pocketsphinx (stt_eval real domain_weight=0, same search settings)
// makes 17 errors in the 51 words of SOF_SHARED_DIR/speech (docs/stt.md);
// the adapted model must not be worse than that plus a tiny margin (half
// a word). The held-out system-design WER runs in stt_accuracy_tests.
constexpr double real_speech_stock_wer = 17.0 / 51.0;
constexpr double real_speech_margin = 0.01;

std::unique_ptr<stt::pocketsphinx_provider>
make_provider(config::pocketsphinx_settings cfg = {}) {
  auto p = stt::pocketsphinx_provider::create(cfg);
  if (!p)
    ADD_FAILURE() << describe(p.error());
  return p ? std::move(*p) : nullptr;
}

class pocketsphinx_provider_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = make_provider().release();
    flite_ = new std::vector<stt::testing::labelled_audio>(
      stt::testing::flite_set());
    real_ = new std::vector<stt::testing::labelled_audio>(
      stt::testing::real_speech_set());
  }
  static void TearDownTestSuite() {
    delete shared_;
    delete flite_;
    delete real_;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr);
    ASSERT_GE(flite_->size(), 40u);
    ASSERT_EQ(real_->size(), 5u);
  }

  static text::wer_result aggregate_wer(
    stt::stt_provider& p, const std::vector<stt::testing::labelled_audio>& set) {
    text::wer_result total;
    for (const auto& item : set) {
      auto hyp = decode(p, item.pcm);
      auto w = text::word_error_rate(item.reference, hyp);
      total += w;
      if (w.errors() > 0)
        std::printf("  %s: %zu errors\n    ref: %s\n    hyp: %s\n",
                    item.name.c_str(), w.errors(), item.reference.c_str(),
                    hyp.c_str());
    }
    return total;
  }

  static inline stt::pocketsphinx_provider* shared_ = nullptr;
  static inline std::vector<stt::testing::labelled_audio>* flite_ = nullptr;
  static inline std::vector<stt::testing::labelled_audio>* real_ = nullptr;
};

}  // namespace

TEST_F(pocketsphinx_provider_test, registry_creates_pocketsphinx) {
  config::stt_settings cfg;
  cfg.provider = "pocketsphinx";
  auto p = stt::default_registry().create(cfg);
  ASSERT_TRUE(p) << describe(p.error());
  EXPECT_EQ((*p)->name(), "pocketsphinx");
}

// sphinxbase's log FILE* is one process-wide global. A decoder that opened
// its own log file (`-logfn`) closed the previous one under decoders on
// other threads still writing to it, which crashed a chaos campaign. Every
// decoder must leave logging off and the global untouched.
TEST_F(pocketsphinx_provider_test, creating_a_decoder_never_swaps_the_log_file) {
  EXPECT_EQ(err_get_logfp(), nullptr) << "logging is on after the first decoder";
  auto second = make_provider();
  ASSERT_TRUE(second);
  EXPECT_EQ(err_get_logfp(), nullptr) << "a new decoder opened a log file";
}

TEST_F(pocketsphinx_provider_test, domain_pronunciations_are_loaded) {
  // Words like "idempotency" and "memcached" are not in cmudict.
  EXPECT_GT(shared_->domain_words(), 50u);
}

TEST_F(pocketsphinx_provider_test, utterances_are_decoded_independently) {
  // From the same (empty = initial) state an utterance gives the same words
  // whatever the decoder did before. Real speech first shifts the live CMN
  // estimate far from where flite audio leaves it, so any state leaking
  // across utterances shows up.
  const auto& a = (*real_)[1].pcm;
  for (std::size_t i : {7u, 12u}) {
    const auto& b = (*flite_)[i].pcm;
    auto warm = make_provider();
    ASSERT_NE(warm, nullptr);
    decode(*warm, a);
    decode(*warm, b);  // its own audio primes the noise/CMN estimates most
    decode(*warm, (*flite_)[i + 1].pcm);
    auto after_others = decode(*warm, b);
    auto fresh = make_provider();
    ASSERT_NE(fresh, nullptr);
    auto alone = decode(*fresh, b);
    EXPECT_FALSE(alone.empty());
    EXPECT_EQ(after_others, alone) << "sentence " << i;
  }
  auto warm = make_provider();
  auto fresh = make_provider();
  ASSERT_TRUE(warm && fresh);
  decode(*warm, (*flite_)[3].pcm);
  EXPECT_EQ(decode(*warm, (*real_)[2].pcm), decode(*fresh, (*real_)[2].pcm));
}

// Session adaptation: the live cepstral mean carries from one utterance to
// the next, and the state an utterance started from is all a fresh decoder
// needs to decode it to the same words (what crash replay relies on).
TEST_F(pocketsphinx_provider_test, carried_state_replays_exactly) {
  using stt::testing::decode_result;
  auto live = make_provider();
  ASSERT_NE(live, nullptr);
  std::vector<stt::utterance_result> chain;
  std::vector<stt::adapt_state> starts;
  stt::adapt_state state;
  for (std::size_t i : {0u, 1u, 2u}) {
    starts.push_back(state);
    chain.push_back(decode_result(*live, (*real_)[i].pcm, state));
    state = chain.back().next_state;
    ASSERT_FALSE(state.empty()) << "adaptation is on by default";
  }
  // The mean moved: real speech is far from the model's initial mean.
  EXPECT_NE(starts[1], starts[2]);
  for (std::size_t i = 1; i < 3; ++i) {
    auto fresh = make_provider();
    ASSERT_NE(fresh, nullptr);
    // Fed in other chunks, after unrelated audio: still the same result.
    decode(*fresh, (*flite_)[5].pcm);
    auto again = decode_result(*fresh, (*real_)[i].pcm, starts[i], 4099);
    EXPECT_EQ(again.text, chain[i].text) << "utterance " << i;
    EXPECT_EQ(again.next_state, chain[i].next_state) << "utterance " << i;
  }
  // A state of the wrong size or with NaNs is refused, not used.
  EXPECT_TRUE(live->begin_utterance(stt::adapt_state(3, 0.f)));
  auto nan = state;
  nan[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(live->begin_utterance(nan));
}

TEST_F(pocketsphinx_provider_test, adaptation_off_hands_on_no_state) {
  config::pocketsphinx_settings cfg;
  cfg.adapt = false;
  auto p = make_provider(cfg);
  ASSERT_NE(p, nullptr);
  auto r = stt::testing::decode_result(*p, (*real_)[0].pcm, {});
  EXPECT_TRUE(r.next_state.empty());
  EXPECT_FALSE(r.text.empty());
}

TEST_F(pocketsphinx_provider_test, words_have_ordered_times_and_confidences) {
  for (const auto* item : {&(*real_)[0], &(*flite_)[4]}) {
    auto r = stt::testing::decode_result(*shared_, item->pcm, {});
    ASSERT_FALSE(r.words.empty()) << item->name;
    std::string joined;
    int64_t prev_end = 0;
    const int64_t length_ms
      = static_cast<int64_t>(item->pcm.size()) * 1000 / stt::sample_rate;
    bool some_uncertain = false, some_certain = false;
    for (const auto& w : r.words) {
      joined += (joined.empty() ? "" : " ") + w.word;
      EXPECT_GE(w.start_ms, prev_end) << w.word;
      EXPECT_GT(w.end_ms, w.start_ms) << w.word;
      EXPECT_LE(w.end_ms, length_ms + 10) << w.word;
      EXPECT_GE(w.confidence, 0.0f) << w.word;
      EXPECT_LE(w.confidence, 1.0f) << w.word;
      some_uncertain |= w.confidence < 0.9f;
      some_certain |= w.confidence > 0.5f;
      prev_end = w.end_ms;
    }
    // The words are the text, and the posteriors carry information.
    EXPECT_EQ(joined, r.text) << item->name;
    EXPECT_TRUE(some_certain) << item->name;
    if (item == &(*real_)[0])
      EXPECT_TRUE(some_uncertain) << "real speech with errors, all certain";
    for (const auto& alt : r.alternatives)
      EXPECT_NE(alt, r.text);
  }
}

TEST_F(pocketsphinx_provider_test, chunk_size_does_not_change_the_text) {
  for (const auto* item : {&(*flite_)[7], &(*real_)[1]}) {
    const auto& pcm = item->pcm;
    auto reference = decode(*shared_, pcm, pcm.size());
    EXPECT_FALSE(reference.empty());
    for (std::size_t chunk : {1u, 333u, 4099u}) {
      // Interleave partial() calls the way the transcription actor does.
      ASSERT_FALSE(shared_->begin_utterance({}));
      for (std::size_t i = 0; i < pcm.size(); i += chunk) {
        auto n = std::min(chunk, pcm.size() - i);
        ASSERT_FALSE(shared_->feed({pcm.data() + i, n}));
        if ((i / chunk) % 7 == 0) {
          ASSERT_TRUE(shared_->partial());
        }
      }
      auto text = shared_->end_utterance();
      ASSERT_TRUE(text) << describe(text.error());
      EXPECT_EQ(text->text, reference) << item->name << ", chunk " << chunk;
    }
  }
}

TEST_F(pocketsphinx_provider_test, partial_hypothesis_grows_during_speech) {
  const auto& pcm = (*flite_)[0].pcm;
  ASSERT_FALSE(shared_->begin_utterance({}));
  ASSERT_FALSE(shared_->feed({pcm.data(), pcm.size() / 2}));
  auto half = shared_->partial();
  ASSERT_TRUE(half);
  EXPECT_FALSE(half->empty());
  ASSERT_FALSE(shared_->feed({pcm.data() + pcm.size() / 2,
                              pcm.size() - pcm.size() / 2}));
  auto full = shared_->end_utterance();
  ASSERT_TRUE(full);
  EXPECT_GT(text::count_words(full->text), text::count_words(*half));
}

TEST_F(pocketsphinx_provider_test, misuse_is_an_error_value) {
  auto p = make_provider();
  ASSERT_NE(p, nullptr);
  int16_t silence[160] = {};
  EXPECT_TRUE(p->feed(silence));
  EXPECT_FALSE(p->partial());
  EXPECT_FALSE(p->end_utterance());
  // An empty utterance is fine and yields no words.
  ASSERT_FALSE(p->begin_utterance({}));
  auto empty = p->end_utterance();
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->text, "");
  EXPECT_TRUE(empty->words.empty());
  // begin twice abandons the first utterance instead of failing.
  ASSERT_FALSE(p->begin_utterance({}));
  ASSERT_FALSE(p->feed(silence));
  ASSERT_FALSE(p->begin_utterance({}));
  EXPECT_TRUE(p->end_utterance());
}

TEST_F(pocketsphinx_provider_test, bad_domain_dictionary_is_an_error_value) {
  auto dir = std::filesystem::temp_directory_path();
  auto path = (dir / "sof_stt_bad.dict").string();
  struct {
    const char* content;
    const char* expect;
  } cases[] = {
    {"kafkaesque K AA F K AH EH S K\nzzfoo(2) Z UW\n", "base word"},
    {"zzfoo ZZ QQ\n", "zzfoo"},
    {"zzfoo\n", "no phones"},
  };
  for (const auto& c : cases) {
    std::ofstream{path} << c.content;
    config::pocketsphinx_settings cfg;
    cfg.domain_dict = path;
    auto p = stt::pocketsphinx_provider::create(cfg);
    ASSERT_FALSE(p) << c.content;
    auto msg = describe(p.error());
    EXPECT_NE(msg.find(c.expect), std::string::npos) << msg;
  }
  std::filesystem::remove(path);
}

TEST_F(pocketsphinx_provider_test, real_speech_not_worse_than_stock) {
  auto total = aggregate_wer(*shared_, *real_);
  std::printf("real speech WER %.4f (%zu/%zu), stock %.4f\n", total.rate(),
              total.errors(), total.reference_words, real_speech_stock_wer);
  EXPECT_LE(total.rate(), real_speech_stock_wer + real_speech_margin);
}
