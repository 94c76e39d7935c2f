#include "actors/providers/stt/stt_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/providers/stt/openai/openai_stt_provider.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"

namespace sof::stt {

void stt_registry::add(std::string name, stt_factory factory) {
  factories_[std::move(name)] = std::move(factory);
}

caf::expected<std::unique_ptr<stt_provider>>
stt_registry::create(const config::stt_settings& cfg,
                     const session_hints& hints) const {
  auto i = factories_.find(cfg.provider);
  if (i == factories_.end()) {
    std::string known;
    for (const auto& n : names())
      known += (known.empty() ? "" : ", ") + n;
    return make_error(errc::invalid_config, "unknown stt provider '"
                                              + cfg.provider + "' (known: "
                                              + known + ")");
  }
  return i->second(cfg, hints);
}

std::vector<std::string> stt_registry::names() const {
  std::vector<std::string> out;
  for (const auto& [k, _] : factories_)
    out.push_back(k);
  return out;
}

bool stt_registry::contains(const std::string& name) const {
  return factories_.count(name) != 0;
}

void register_all(stt_registry& registry) {
  registry.add("pocketsphinx", make_pocketsphinx_provider);
  registry.add("openai", make_openai_stt_provider);
}

const stt_registry& default_registry() {
  static const stt_registry instance = [] {
    stt_registry r;
    register_all(r);
    return r;
  }();
  return instance;
}

}  // namespace sof::stt
