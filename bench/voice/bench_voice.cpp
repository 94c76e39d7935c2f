// Voice hot paths per 20 ms chunk of interviewer audio: resampling and
// re-chunking synthesiser output, the voice core's per-chunk work (policy,
// pacing), and whole-sentence synthesis per engine for scale.
// Run: build/bin/bench_voice
#include "actors/providers/tts/pcm_chunker.hpp"
#include "actors/providers/tts/tts_provider.hpp"
#include "actors/voice/voice_core.hpp"

#include <benchmark/benchmark.h>

#include <cmath>

using namespace sof;

namespace {

// One second of a 22,050 Hz tone in espeak-sized 441-sample buffers.
void BM_chunker_resample_22k(benchmark::State& state) {
  std::vector<int16_t> block(441);
  for (std::size_t i = 0; i < block.size(); ++i)
    block[i] = static_cast<int16_t>(8000 * std::sin(i * 0.1));
  std::size_t chunks = 0;
  for (auto _ : state) {
    tts::pcm_chunker c{22050, 20, [&](std::span<const int16_t>) {
                         ++chunks;
                         return true;
                       }};
    for (int i = 0; i < 50; ++i)
      c.push(block);
    c.finish();
  }
  state.counters["chunks/s"] = benchmark::Counter(static_cast<double>(chunks),
                                                  benchmark::Counter::kIsRate);
  state.SetItemsProcessed(state.iterations() * 50);  // 50 chunks of 20 ms
}
BENCHMARK(BM_chunker_resample_22k);

// The core's work for one chunk of audio: winner check, queueing, pacing.
void BM_voice_core_chunk(benchmark::State& state) {
  voice::core_config cfg;
  cfg.policy = voice::policy_kind::race;
  cfg.providers = {"flite:kal16", "espeak"};
  cfg.realtime = true;
  voice::voice_core core{cfg};
  voice::clock::time_point now{};
  uint32_t id = 0;
  uint64_t job = 0;
  std::vector<int16_t> chunk(320, 100);
  auto next = [&] {
    auto fx = core.speak(++id, {"A sentence."}, now);
    for (auto& e : fx)
      if (auto* s = std::get_if<voice::start_job>(&e); s && s->provider == 0)
        job = s->synth.job;
  };
  next();
  int n = 0;
  for (auto _ : state) {
    now += std::chrono::milliseconds{20};
    benchmark::DoNotOptimize(core.on_chunk(job, chunk, now));
    if (++n % 200 == 0) {  // end the speech every 4 s of audio
      core.on_done(job, now);
      now += std::chrono::seconds{10};
      core.on_timer(0, now);
      core.barge_in(now);
      next();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_voice_core_chunk);

// A 12-word interviewer line, whole synthesis, per engine.
void BM_synthesize(benchmark::State& state, const char* spec) {
  config::tts_settings cfg;
  auto p = tts::default_registry().create(*tts::parse_spec(spec), cfg);
  if (!p) {
    state.SkipWithError("provider unavailable");
    return;
  }
  std::size_t samples = 0;
  for (auto _ : state) {
    samples = 0;
    (*p)->synthesize("Can you put some numbers on the traffic when the sale opens?",
                     [&](std::span<const int16_t> c) {
                       samples += c.size();
                       return true;
                     });
  }
  state.counters["audio_s"] = samples / 16000.0;
}
BENCHMARK_CAPTURE(BM_synthesize, espeak, "espeak")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_synthesize, flite_kal16, "flite:kal16")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_synthesize, flite_slt, "flite:slt")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
