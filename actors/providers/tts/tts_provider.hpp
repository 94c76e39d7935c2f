#pragma once
// The text-to-speech capability boundary. One implementation per folder
// (espeak/, flite/, openai/), registered by name in an explicit registry and
// chosen by configuration ("NAME[:VOICE]"). Providers are blocking,
// single-threaded objects: the voice subsystem runs each one inside a
// detached actor and cancels it through the sink's return value.
#include "config/settings.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sof::tts {

/// Audio out of every provider is PCM16, 16 kHz, mono.
constexpr int sample_rate = 16000;

/// Receives audio as it is produced, in chunks of the configured size (the
/// last one of a text may be shorter). Returning false cancels synthesis:
/// the provider stops as soon as it can and returns no error.
using chunk_sink = std::function<bool(std::span<const int16_t> pcm)>;

class tts_provider {
 public:
  virtual ~tts_provider() = default;

  virtual std::string name() const = 0;
  virtual std::string voice() const = 0;

  /// Speaks one text (a sentence or a few), streaming chunks into `sink`
  /// while synthesis runs, not after. An error value on failure.
  virtual caf::error synthesize(std::string_view text, const chunk_sink& sink)
    = 0;
};

/// A provider spec from configuration or the command line: "flite:slt".
struct provider_spec {
  std::string name;
  std::string voice;  // empty: the provider's configured default
  std::string label() const { return voice.empty() ? name : name + ":" + voice; }
};

caf::expected<provider_spec> parse_spec(std::string_view text);

using tts_factory = std::function<caf::expected<std::unique_ptr<tts_provider>>(
  const config::tts_settings& cfg, const std::string& voice)>;

struct provider_info {
  std::string description;
  std::vector<std::string> voices;  // known voices (espeak accepts more)
  bool remote = false;
};

class tts_registry {
 public:
  void add(std::string name, provider_info info, tts_factory factory);

  /// Creates a provider; unknown names and voices are errors naming the
  /// known ones.
  caf::expected<std::unique_ptr<tts_provider>>
  create(const provider_spec& spec, const config::tts_settings& cfg) const;

  std::vector<std::string> names() const;
  const provider_info* info(const std::string& name) const;

 private:
  struct entry {
    provider_info info;
    tts_factory factory;
  };
  std::map<std::string, entry> entries_;
};

/// Registers every built-in implementation (explicit, no static init magic).
void register_all(tts_registry& registry);

/// The registry with every built-in implementation registered.
const tts_registry& default_registry();

}  // namespace sof::tts
