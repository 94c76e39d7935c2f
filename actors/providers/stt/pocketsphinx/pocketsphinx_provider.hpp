#pragma once
// Embedded speech-to-text: CMU pocketsphinx (Debian's 5prealpha C API) with
// the general en-us model interpolated with a system-design domain trigram
// built at build time (tools/lm/build_domain_lm.py), plus pronunciations for
// domain words cmudict lacks. See docs/stt.md for measurements.
#include "actors/providers/stt/stt_provider.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

// Opaque C types of pocketsphinx / sphinxbase (kept out of this header so
// that users of the provider do not see the C headers).
struct ps_decoder_s;
struct cmd_ln_s;
struct fe_s;

namespace sof::stt {

/// Paths the provider resolves from configuration (empty config fields fall
/// back to the build's defaults under SOF_DATA_DIR/stt/).
struct pocketsphinx_paths {
  std::string hmm;           // acoustic model directory
  std::string general_lm;    // en-us.lm.bin
  std::string dict;          // cmudict-en-us.dict
  std::string domain_lm;     // empty: no domain LM (weight 0)
  std::string domain_dict;   // empty: no extra pronunciations
};

/// Resolves (without checking existence) the files a configuration uses.
pocketsphinx_paths resolve_paths(const config::pocketsphinx_settings& cfg);

class pocketsphinx_provider final : public stt_provider {
 public:
  /// Loads the model; every missing file or C API failure is an error value.
  static caf::expected<std::unique_ptr<pocketsphinx_provider>>
  create(const config::pocketsphinx_settings& cfg,
         const question_bias* bias = nullptr);

  ~pocketsphinx_provider() override;
  pocketsphinx_provider(const pocketsphinx_provider&) = delete;
  pocketsphinx_provider& operator=(const pocketsphinx_provider&) = delete;

  std::string name() const override;
  caf::error begin_utterance(const adapt_state& from) override;
  caf::error feed(std::span<const int16_t> pcm) override;
  caf::expected<std::string> partial() override;
  caf::expected<utterance_result> end_utterance() override;

  /// Number of domain pronunciations added to the dictionary.
  std::size_t domain_words() const { return domain_words_; }
  /// The question model in use (empty arpa_path: none).
  const question_lm& question_model() const { return question_; }
  /// Pronunciations added for the question's words.
  std::size_t question_words() const { return question_words_; }

  /// Where start-up time went (a session cannot transcribe before it).
  struct startup_times {
    double question_ms = 0;  // question model built or read from the cache
    double model_ms = 0;     // acoustic model and dictionary (ps_init)
    double words_ms = 0;     // domain and question pronunciations
    double lm_ms = 0;        // language models read and interpolated
  };
  const startup_times& startup() const { return startup_; }

  /// Samples handed to the decoder per call. Live CMN updates its estimate
  /// at the end of each call, so the decoder must always see the same
  /// blocks whatever chunking the caller used: the provider re-blocks.
  static constexpr std::size_t block_samples = 1600;  // 100 ms
  /// Audio the warm start estimates a session's first mean from. Taken
  /// while the candidate is still speaking, so the restart costs no
  /// latency at the end of the turn (decoding the whole first utterance
  /// again there delayed the first follow-up by over a second under load).
  static constexpr std::size_t warm_samples = 16000 * 3;  // 3 s

 private:
  pocketsphinx_provider() = default;

  caf::error init(const config::pocketsphinx_settings& cfg,
                  const question_bias* bias);
  caf::error load_domain_dict(const std::string& path);
  void add_question_words();
  caf::error install_lm(const pocketsphinx_paths& paths, double weight,
                        double question_weight);
  caf::error process(const int16_t* data, std::size_t n);
  std::string hypothesis();
  std::vector<word_info> words();
  std::vector<std::string> alternatives(const std::string& best);
  std::vector<float> batch_mean(const std::vector<int16_t>& pcm);
  caf::error restart_from(const std::vector<float>& mean, std::size_t upto);
  caf::error warm_restart();

  cmd_ln_s* config_ = nullptr;
  ps_decoder_s* ps_ = nullptr;
  // Live CMN mean right after initialisation: the start state of a session
  // (and of every utterance when adaptation is off).
  std::vector<float> initial_cmn_;
  bool adapt_ = true;
  bool warm_start_ = true;
  int nbest_ = 3;
  fe_s* batch_fe_ = nullptr;       // a front end of our own, for batch_mean
  bool warm_pass_ = false;         // this utterance still awaits its restart
  std::vector<int16_t> utt_audio_; // kept only until the restart
  std::vector<int16_t> pending_;  // samples not yet forming a full block
  double lw_ = 6.5;  // language weight, also shapes the LM mix weights
  bool in_utterance_ = false;
  std::size_t domain_words_ = 0;
  std::size_t question_words_ = 0;
  question_lm question_;
  startup_times startup_;
};

/// The registry factory.
caf::expected<std::unique_ptr<stt_provider>>
make_pocketsphinx_provider(const config::stt_settings& cfg,
                           const session_hints& hints);

}  // namespace sof::stt
