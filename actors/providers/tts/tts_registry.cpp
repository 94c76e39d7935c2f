#include "actors/providers/tts/tts_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/providers/tts/espeak/espeak_provider.hpp"
#include "actors/providers/tts/flite/flite_provider.hpp"
#include "actors/providers/tts/openai/openai_tts_provider.hpp"

#include <algorithm>

namespace sof::tts {

caf::expected<provider_spec> parse_spec(std::string_view text) {
  auto colon = text.find(':');
  provider_spec out;
  out.name = std::string{text.substr(0, colon)};
  if (colon != std::string_view::npos)
    out.voice = std::string{text.substr(colon + 1)};
  auto ok = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-'
             || c == '_' || c == '+' || c == '.';
    });
  };
  if (out.name.empty() || !ok(out.name) || !ok(out.voice)
      || (colon != std::string_view::npos && out.voice.empty()))
    return make_error(errc::invalid_argument,
                      "tts provider '" + std::string{text}
                        + "': expected NAME or NAME:VOICE, e.g. flite:slt");
  return out;
}

void tts_registry::add(std::string name, provider_info info,
                       tts_factory factory) {
  entries_[std::move(name)] = {std::move(info), std::move(factory)};
}

caf::expected<std::unique_ptr<tts_provider>>
tts_registry::create(const provider_spec& spec,
                     const config::tts_settings& cfg) const {
  auto i = entries_.find(spec.name);
  if (i == entries_.end()) {
    std::string known;
    for (const auto& n : names())
      known += (known.empty() ? "" : ", ") + n;
    return make_error(errc::invalid_config, "unknown tts provider '"
                                              + spec.name + "' (known: "
                                              + known + ")");
  }
  return i->second.factory(cfg, spec.voice);
}

std::vector<std::string> tts_registry::names() const {
  std::vector<std::string> out;
  for (const auto& [k, _] : entries_)
    out.push_back(k);
  return out;
}

const provider_info* tts_registry::info(const std::string& name) const {
  auto i = entries_.find(name);
  return i == entries_.end() ? nullptr : &i->second.info;
}

void register_all(tts_registry& registry) {
  registry.add("espeak",
               {"espeak-ng, in process; formant synthesis, fastest first audio",
                {"en-us", "en", "en-gb", "en-gb-x-rp"}, false},
               make_espeak_provider);
  registry.add("flite",
               {"flite, in process; kal16 is fast, slt sounds better",
                {"kal16", "slt"}, false},
               make_flite_provider);
  registry.add("openai",
               {"OpenAI-compatible POST /v1/audio/speech, streamed PCM",
                {}, true},
               make_openai_tts_provider);
}

const tts_registry& default_registry() {
  static const tts_registry instance = [] {
    tts_registry r;
    register_all(r);
    return r;
  }();
  return instance;
}

}  // namespace sof::tts
