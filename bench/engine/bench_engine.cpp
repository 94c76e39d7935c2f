// Engine hot paths per 20 ms audio frame, without the speech decoder:
// ordering, voice activity, segmentation, replay buffering, journaling, and
// the actor hops a frame takes. Run: build/bin/bench_engine
#include "actors/capture/capture_core.hpp"
#include "actors/capture/jitter_buffer.hpp"
#include "actors/capture/vad.hpp"
#include "actors/messages/journal.hpp"
#include "actors/session/offline_run.hpp"
#include "actors/transcription/transcription_core.hpp"
#include "transport/protocol/wire.hpp"

#include <benchmark/benchmark.h>
#include <caf/all.hpp>

#include <cmath>
#include <filesystem>
#include <random>

using namespace sof;

namespace {

// 10 s of alternating "speech" (modulated tone) and near-silence.
std::vector<int16_t> test_signal() {
  std::vector<int16_t> pcm(16000 * 10);
  std::mt19937 rng{1};
  std::normal_distribution<double> noise{0, 10};
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    bool speech = (i / 16000) % 2 == 0;
    double v = noise(rng);
    if (speech)
      v += 3000 * std::sin(2 * M_PI * 220.0 * i / 16000.0);
    pcm[i] = static_cast<int16_t>(v);
  }
  return pcm;
}

std::vector<msg::audio_frame> frames() {
  auto pcm = test_signal();
  std::vector<msg::audio_frame> out;
  for (std::size_t off = 0, seq = 0; off < pcm.size(); off += 320, ++seq)
    out.push_back({seq, static_cast<int64_t>(seq * 20),
                   std::vector<int16_t>(pcm.begin() + off,
                                        pcm.begin() + off + 320)});
  return out;
}

void BM_vad_classify(benchmark::State& state) {
  auto fs = frames();
  capture::vad v{12.0, -55.0};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(v.classify(fs[i++ % fs.size()].pcm));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_vad_classify);

void BM_jitter_buffer_reordered(benchmark::State& state) {
  auto fs = frames();
  for (auto _ : state) {
    state.PauseTiming();
    capture::jitter_buffer jb{64};
    std::vector<msg::audio_frame> out;
    out.reserve(fs.size());
    auto copy = fs;
    state.ResumeTiming();
    // Pairs swapped: every second frame arrives early.
    for (std::size_t i = 0; i + 1 < copy.size(); i += 2) {
      jb.push(std::move(copy[i + 1]), out);
      jb.push(std::move(copy[i]), out);
    }
    benchmark::DoNotOptimize(out.size());
  }
  state.SetItemsProcessed(state.iterations() * fs.size());
}
BENCHMARK(BM_jitter_buffer_reordered)->Unit(benchmark::kMicrosecond);

// Per frame: jitter buffer + VAD + segmentation + effects.
void BM_capture_core_frame(benchmark::State& state) {
  auto fs = frames();
  for (auto _ : state) {
    state.PauseTiming();
    capture::capture_core core{config::capture_settings{}};
    auto copy = fs;
    state.ResumeTiming();
    for (auto& f : copy)
      benchmark::DoNotOptimize(core.on_frame(std::move(f)));
  }
  state.SetItemsProcessed(state.iterations() * fs.size());
}
BENCHMARK(BM_capture_core_frame)->Unit(benchmark::kMicrosecond);

// Per frame: buffering for replay + the command to the worker.
void BM_transcription_core_frame(benchmark::State& state) {
  auto fs = frames();
  for (auto _ : state) {
    state.PauseTiming();
    transcription::transcription_core core;
    core.on_utterance_begin({0, 0});
    auto copy = fs;
    state.ResumeTiming();
    for (auto& f : copy)
      benchmark::DoNotOptimize(
        core.on_utterance_audio({0, std::move(f.pcm)}));
  }
  state.SetItemsProcessed(state.iterations() * fs.size());
}
BENCHMARK(BM_transcription_core_frame)->Unit(benchmark::kMicrosecond);

void BM_journal_record_frame(benchmark::State& state) {
  auto path = (std::filesystem::temp_directory_path() / "sof_bench_journal").string();
  auto w = msg::journal_writer::open(path, {msg::journal_version, "b", "t", 0});
  auto fs = frames();
  std::size_t i = 0;
  for (auto _ : state)
    (*w)->record("client", fs[i++ % fs.size()]);
  state.SetItemsProcessed(state.iterations());
  std::filesystem::remove(path);
}
BENCHMARK(BM_journal_record_frame);

// Two actor hops on the real scheduler: a frame sent to an actor, answered.
void BM_actor_round_trip(benchmark::State& state) {
  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  auto echo = sys.spawn([]() -> caf::behavior {
    return {[](msg::audio_frame& f) { return f.seq; }};
  });
  caf::scoped_actor self{sys};
  auto fs = frames();
  std::size_t i = 0;
  for (auto _ : state) {
    self->request(echo, caf::infinite, fs[i++ % fs.size()])
      .receive([](uint64_t) {}, [](caf::error&) {});
  }
  self->send_exit(echo, caf::exit_reason::user_shutdown);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_actor_round_trip)->Unit(benchmark::kMicrosecond);

}  // namespace

// The server decodes every client WebSocket frame: a 20 ms audio message
// through the bounded, UTF-8-checking reader (issue 9), against nlohmann's
// plain msgpack reader on the same bytes as the baseline.
std::string audio_message() {
  sof::wire::audio a;
  a.seq = 1234;
  a.ts_ms = 24680;
  a.pcm.assign(320, 0);
  for (std::size_t i = 0; i < a.pcm.size(); ++i)
    a.pcm[i] = static_cast<int16_t>(8000 * std::sin(0.05 * static_cast<double>(i)));
  return sof::wire::encode(sof::wire::client_message{a});
}

void BM_wire_decode_audio(benchmark::State& state) {
  auto bytes = audio_message();
  std::span<const uint8_t> span{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  for (auto _ : state)
    benchmark::DoNotOptimize(sof::wire::decode_client(span));
}
BENCHMARK(BM_wire_decode_audio);

void BM_wire_from_msgpack_baseline(benchmark::State& state) {
  auto bytes = audio_message();
  for (auto _ : state)
    benchmark::DoNotOptimize(nlohmann::json::from_msgpack(bytes.begin(), bytes.end(), true, false));
}
BENCHMARK(BM_wire_from_msgpack_baseline);

BENCHMARK_MAIN();
