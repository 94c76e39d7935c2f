#pragma once
// The speech-to-text capability boundary. One implementation per folder
// (pocketsphinx/, openai/), registered by name in an explicit registry and
// chosen by configuration. Providers are blocking, single-threaded objects:
// the transcription subsystem runs each one inside a detached actor.
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

class stt_provider {
 public:
  virtual ~stt_provider() = default;

  virtual std::string name() const = 0;

  /// Starts a new utterance. Each utterance is decoded independently of the
  /// ones before it, so replaying an utterance into a fresh provider after a
  /// crash yields the same text as the first attempt would have.
  virtual caf::error begin_utterance() = 0;

  /// Feeds audio of the open utterance.
  virtual caf::error feed(std::span<const int16_t> pcm) = 0;

  /// The current best hypothesis of the open utterance (may be empty).
  virtual caf::expected<std::string> partial() = 0;

  /// Closes the utterance and returns its final text (lower case words).
  virtual caf::expected<std::string> end_utterance() = 0;
};

using stt_factory = std::function<caf::expected<std::unique_ptr<stt_provider>>(
  const config::stt_settings&)>;

class stt_registry {
 public:
  void add(std::string name, stt_factory factory);
  caf::expected<std::unique_ptr<stt_provider>>
  create(const config::stt_settings& cfg) const;
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
