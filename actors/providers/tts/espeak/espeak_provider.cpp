#include "actors/providers/tts/espeak/espeak_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/providers/tts/pcm_chunker.hpp"

#include <espeak-ng/speak_lib.h>

#include <mutex>

namespace sof::tts {
namespace {

// espeak-ng is one global engine per process: one initialisation, one synth
// callback, one current voice. Everything that touches it holds this lock.
std::mutex& engine_mutex() {
  static std::mutex m;
  return m;
}

struct engine {
  int rate = 0;  // samples per second of its output; <= 0 when init failed
  std::string data_path;
};

struct synth_context {
  pcm_chunker* chunker = nullptr;
};

// The synthesis in progress. Not every callback carries an event with our
// user_data, and the engine is global and locked anyway, so the context is
// too: set and cleared under engine_mutex().
synth_context* current = nullptr;

// Called by espeak_Synth on the calling thread (synchronous mode) with each
// buffer of audio as it is made; returning 1 aborts synthesis.
int on_audio(short* wav, int samples, espeak_EVENT*) {
  synth_context* ctx = current;
  if (!ctx || !wav || samples <= 0)
    return 0;
  return ctx->chunker->push({wav, static_cast<std::size_t>(samples)}) ? 0 : 1;
}

// Under engine_mutex().
const engine& init_engine(const std::string& data_path) {
  static engine e = [&] {
    engine out;
    out.data_path = data_path;
    // 20 ms buffers: the callback fires often enough that the first chunk
    // leaves after the first phonemes, not after the whole sentence.
    out.rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 20,
                                 data_path.empty() ? nullptr : data_path.c_str(),
                                 espeakINITIALIZE_DONT_EXIT);
    if (out.rate > 0)
      espeak_SetSynthCallback(on_audio);
    return out;
  }();
  return e;
}

// A voice by file or voice name ("en-us", "English_(America)"), else by
// language ("en-gb"), which is how espeak-ng --voices lists them.
bool select_voice(const std::string& voice) {
  if (espeak_SetVoiceByName(voice.c_str()) == EE_OK)
    return true;
  espeak_VOICE spec{};
  spec.languages = voice.c_str();
  return espeak_SetVoiceByProperties(&spec) == EE_OK;
}

class espeak_provider final : public tts_provider {
 public:
  espeak_provider(std::string voice, int rate_wpm, int chunk_ms, int rate)
    : voice_(std::move(voice)), rate_wpm_(rate_wpm), chunk_ms_(chunk_ms),
      engine_rate_(rate) {
  }

  std::string name() const override { return "espeak"; }
  std::string voice() const override { return voice_; }

  caf::error synthesize(std::string_view text, const chunk_sink& sink) override {
    std::lock_guard<std::mutex> guard{engine_mutex()};
    // Another provider instance may have changed the global voice or rate.
    if (!select_voice(voice_))
      return make_error(errc::provider_failed,
                        "espeak-ng: cannot select voice '" + voice_ + "'");
    espeak_SetParameter(espeakRATE, rate_wpm_, 0);
    pcm_chunker chunker{engine_rate_, chunk_ms_, sink};
    synth_context ctx{&chunker};
    std::string buf{text};  // espeak wants a NUL-terminated string
    current = &ctx;
    auto rc = espeak_Synth(buf.c_str(), buf.size() + 1, 0, POS_CHARACTER, 0,
                           espeakCHARS_UTF8, nullptr, &ctx);
    current = nullptr;
    if (chunker.cancelled())
      return {};
    if (rc != EE_OK)
      return make_error(errc::provider_failed,
                        "espeak-ng: synthesis failed (code "
                          + std::to_string(static_cast<int>(rc)) + ")");
    chunker.finish();
    if (chunker.delivered() == 0 && !chunker.cancelled())
      return make_error(errc::provider_failed, "espeak-ng: no audio produced");
    return {};
  }

 private:
  std::string voice_;
  int rate_wpm_;
  int chunk_ms_;
  int engine_rate_;
};

}  // namespace

caf::expected<std::unique_ptr<tts_provider>>
make_espeak_provider(const config::tts_settings& cfg, const std::string& voice) {
  std::lock_guard<std::mutex> guard{engine_mutex()};
  const auto& e = init_engine(cfg.espeak.data_path);
  if (e.rate <= 0)
    return make_error(errc::not_found,
                      "espeak-ng: cannot initialise (data path '"
                        + (e.data_path.empty() ? std::string{"default"}
                                               : e.data_path)
                        + "'); is espeak-ng-data installed?");
  auto v = voice.empty() ? cfg.espeak.voice : voice;
  if (!select_voice(v))
    return make_error(errc::invalid_config,
                      "espeak-ng: unknown voice '" + v
                        + "' (list them with: espeak-ng --voices)");
  return std::make_unique<espeak_provider>(v, cfg.espeak.rate_wpm, cfg.chunk_ms,
                                           e.rate);
}

}  // namespace sof::tts
