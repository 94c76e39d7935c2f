#pragma once
// Remote text-to-speech over an OpenAI-compatible POST /v1/audio/speech
// (hosted APIs, local servers such as openedai-speech or kokoro-fastapi).
// Optional: never required by the test suite, which runs it against a
// loopback server speaking the same protocol. Requests response_format
// "pcm" (raw PCM16 mono at tts.openai.sample_rate) and streams the body
// through the chunker as it arrives, so the first chunk leaves before the
// server has finished.
#include "actors/providers/tts/tts_provider.hpp"

namespace sof::tts {

caf::expected<std::unique_ptr<tts_provider>>
make_openai_tts_provider(const config::tts_settings& cfg,
                         const std::string& voice);

}  // namespace sof::tts
