#pragma once
// Remote speech-to-text over an OpenAI-compatible
// POST /v1/audio/transcriptions (whisper.cpp's server, faster-whisper
// servers, hosted APIs). Optional: never required by the test suite, which
// runs it against a loopback server speaking the same protocol.
//
// The endpoint is request/response, so an utterance is buffered and sent as
// one WAV when it ends; partial() has nothing until then.
#include "actors/providers/stt/stt_provider.hpp"

namespace sof::stt {

caf::expected<std::unique_ptr<stt_provider>>
make_openai_stt_provider(const config::stt_settings& cfg,
                         const session_hints& hints);

}  // namespace sof::stt
