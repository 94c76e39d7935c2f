#include "actors/providers/tts/flite/flite_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/providers/tts/pcm_chunker.hpp"

#include <flite/flite.h>

#include <map>
#include <mutex>

// The voice registration functions are not declared in flite's headers.
extern "C" {
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_slt(const char* voxdir);
}

namespace sof::tts {
namespace {

struct voice_entry {
  cst_voice* voice = nullptr;
  // A flite voice is a process-wide object whose lexicon and feature tables
  // synthesis reads and, in places, caches into; one synthesis per voice at
  // a time keeps that safe. Different voices run in parallel.
  std::mutex lock;
};

// Registration mutates flite's global voice list: do it once, up front.
std::map<std::string, voice_entry>& voices() {
  static std::map<std::string, voice_entry> v = [] {
    std::map<std::string, voice_entry> out;
    flite_init();
    out["kal16"].voice = register_cmu_us_kal16(nullptr);
    out["slt"].voice = register_cmu_us_slt(nullptr);
    return out;
  }();
  return v;
}

struct stream_context {
  pcm_chunker* chunker = nullptr;
  int rate = 0;
  std::unique_ptr<pcm_chunker> owned;
  const chunk_sink* sink = nullptr;
  int chunk_ms = 20;
};

// flite calls this from inside synthesis with each new stretch of the wave.
int on_stream(const cst_wave* w, int start, int size, int /*last*/,
              cst_audio_streaming_info* asi) {
  auto* ctx = static_cast<stream_context*>(asi->userdata);
  if (!ctx->chunker) {
    // The rate is only known once flite has made the first audio.
    ctx->owned = std::make_unique<pcm_chunker>(w->sample_rate, ctx->chunk_ms,
                                               *ctx->sink);
    ctx->chunker = ctx->owned.get();
    ctx->rate = w->sample_rate;
  }
  if (size <= 0)
    return CST_AUDIO_STREAM_CONT;
  bool more = ctx->chunker->push(
    {w->samples + start, static_cast<std::size_t>(size)});
  return more ? CST_AUDIO_STREAM_CONT : CST_AUDIO_STREAM_STOP;
}

class flite_provider final : public tts_provider {
 public:
  flite_provider(std::string voice, voice_entry* entry, int chunk_ms)
    : voice_(std::move(voice)), entry_(entry), chunk_ms_(chunk_ms) {
  }

  std::string name() const override { return "flite"; }
  std::string voice() const override { return voice_; }

  caf::error synthesize(std::string_view text, const chunk_sink& sink) override {
    std::lock_guard<std::mutex> guard{entry_->lock};
    stream_context ctx;
    ctx.sink = &sink;
    ctx.chunk_ms = chunk_ms_;
    std::string buf{text};
    cst_utterance* u = new_utterance();
    utt_set_input_text(u, buf.c_str());
    utt_init(u, entry_->voice);
    // Streaming is set on this utterance, not on the shared voice.
    cst_audio_streaming_info* asi = new_audio_streaming_info();
    asi->asc = on_stream;
    asi->userdata = &ctx;
    asi->min_buffsize = 16000 / 1000 * chunk_ms_;
    feat_set(u->features, "streaming_info", audio_streaming_info_val(asi));
    cst_utterance* done = utt_synth(u);
    delete_utterance(u);  // also frees asi, owned by the feature value
    if (ctx.chunker && ctx.chunker->cancelled())
      return {};
    if (!done)
      return make_error(errc::provider_failed, "flite: synthesis failed");
    if (!ctx.chunker || !ctx.chunker->finish() || ctx.chunker->delivered() == 0) {
      if (ctx.chunker && ctx.chunker->cancelled())
        return {};
      return make_error(errc::provider_failed, "flite: no audio produced");
    }
    return {};
  }

 private:
  std::string voice_;
  voice_entry* entry_;
  int chunk_ms_;
};

}  // namespace

caf::expected<std::unique_ptr<tts_provider>>
make_flite_provider(const config::tts_settings& cfg, const std::string& voice) {
  auto v = voice.empty() ? cfg.flite.voice : voice;
  auto& all = voices();
  auto i = all.find(v);
  if (i == all.end() || !i->second.voice)
    return make_error(errc::invalid_config,
                      "flite: unknown voice '" + v + "' (known: kal16, slt)");
  return std::make_unique<flite_provider>(v, &i->second, cfg.chunk_ms);
}

}  // namespace sof::tts
