#pragma once
// espeak-ng in process (libespeak-ng, synchronous mode, audio streamed out
// of its synth callback at 22,050 Hz and resampled to 16 kHz). espeak-ng
// keeps one global engine per process, so every provider instance shares it
// behind one process-wide lock: voices and rates are set per call, under
// that lock, and concurrent syntheses queue rather than corrupt each other.
#include "actors/providers/tts/tts_provider.hpp"

namespace sof::tts {

caf::expected<std::unique_ptr<tts_provider>>
make_espeak_provider(const config::tts_settings& cfg, const std::string& voice);

}  // namespace sof::tts
