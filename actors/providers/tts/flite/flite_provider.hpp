#pragma once
// flite in process, streaming through its audio-streaming callback, so
// the first chunk leaves while the rest of the text is still being made
// (what makes the slow but better slt voice usable). Voices: kal16 (diphone,
// 16 kHz, ~5 ms per sentence) and slt (unit selection, ~20x slower).
#include "actors/providers/tts/tts_provider.hpp"

namespace sof::tts {

caf::expected<std::unique_ptr<tts_provider>>
make_flite_provider(const config::tts_settings& cfg, const std::string& voice);

}  // namespace sof::tts
