#pragma once
// The speech-to-text capability boundary. One implementation per folder
// (pocketsphinx/, openai/), registered by name in an explicit registry and
// chosen by configuration. Providers are blocking, single-threaded objects:
// the transcription subsystem runs each one inside a detached actor.
#include "actors/providers/stt/lm/question_lm.hpp"
#include "config/settings.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sof::stt {

/// Audio handed to providers is always PCM16, 16 kHz, mono.
constexpr int sample_rate = 16000;

/// Adaptive front-end state carried from one utterance to the next within a
/// session (pocketsphinx: the live cepstral mean). Empty: the model's own
/// initial state. An utterance decoded from the same state and audio gives
/// the same words, which is what makes crash replay exact.
using adapt_state = std::vector<float>;

/// One recognised word: times relative to the start of the utterance.
struct word_info {
  std::string word;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  float confidence = 0;  // [0, 1]: the decoder's posterior for the word
};

/// What a provider returns when an utterance closes.
struct utterance_result {
  std::string text;                        // lower-case words
  std::vector<word_info> words;            // in order, may be empty
  std::vector<std::string> alternatives;   // n-best texts after `text`
  adapt_state next_state;  // state to start the next utterance from
};

class stt_provider {
 public:
  virtual ~stt_provider() = default;

  virtual std::string name() const = 0;

  /// Starts a new utterance from `from` (see adapt_state). The text of an
  /// utterance depends only on `from` and its audio, so replaying it into a
  /// fresh provider after a crash yields the same words.
  virtual caf::error begin_utterance(const adapt_state& from) = 0;

  /// Feeds audio of the open utterance.
  virtual caf::error feed(std::span<const int16_t> pcm) = 0;

  /// The current best hypothesis of the open utterance (may be empty).
  virtual caf::expected<std::string> partial() = 0;

  /// Closes the utterance: its final text, words and the state to carry on.
  virtual caf::expected<utterance_result> end_utterance() = 0;
};

/// What a session tells its recogniser beyond configuration.
struct session_hints {
  // The session's question: providers that can (pocketsphinx) bias their
  // language model towards it. Called on the provider's own thread, since
  // it may query the knowledge base. Empty: no question.
  std::function<question_bias()> bias;
};

using stt_factory = std::function<caf::expected<std::unique_ptr<stt_provider>>(
  const config::stt_settings&, const session_hints&)>;

class stt_registry {
 public:
  void add(std::string name, stt_factory factory);
  caf::expected<std::unique_ptr<stt_provider>>
  create(const config::stt_settings& cfg, const session_hints& hints = {}) const;
  std::vector<std::string> names() const;
  bool contains(const std::string& name) const;

 private:
  std::map<std::string, stt_factory> factories_;
};

/// Registers every built-in implementation (explicit, no static init magic).
void register_all(stt_registry& registry);

/// The registry with every built-in implementation registered.
const stt_registry& default_registry();

}  // namespace sof::stt
