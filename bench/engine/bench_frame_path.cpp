// Whole-system frame path under load: N concurrent sessions' capture agents
// fed real-time audio (one 20 ms frame per session every 20 ms) on CAF's
// real scheduler. Reports the engine's CPU cost per frame and how long a
// message waits in the engine (round trip of a probe request to a random
// capture agent while the load runs), and, separately, the speech decoder's
// real-time factor on the same audio.
//
//   bench_frame_path [--sessions 500] [--seconds 10] [--audio FILE]
#include "actors/audio/audio_file.hpp"
#include "actors/capture/capture_actor.hpp"
#include "actors/common/errors.hpp"
#include "actors/providers/stt/stt_provider.hpp"
#include "actors/session/offline_run.hpp"
#include "config/settings.hpp"

#include <CLI/CLI.hpp>
#include <caf/all.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

using namespace sof;
using namespace std::chrono;

namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
         + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"frame path under load"};
  int sessions = 500;
  int seconds = 10;
  std::string audio_path = std::string{SOF_DATA_DIR} + "/samples/ticketing_answer.wav";
  app.add_option("--sessions", sessions)->check(CLI::Range(1, 5000));
  app.add_option("--seconds", seconds)->check(CLI::Range(1, 600));
  app.add_option("--audio", audio_path);
  CLI11_PARSE(app, argc, argv);

  auto settings = config::load();
  if (!settings) {
    std::fprintf(stderr, "%s\n", describe(settings.error()).c_str());
    return 1;
  }
  auto audio = audio::read_file(audio_path);
  if (!audio) {
    std::fprintf(stderr, "%s\n", describe(audio.error()).c_str());
    return 1;
  }
  const auto& pcm = audio->samples;

  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  // The sink stands where session and transcription stand: it counts what
  // capture emits, so the path measured is everything up to the decoder.
  auto emitted = std::make_shared<std::atomic<uint64_t>>(0);
  auto sink = sys.spawn([emitted](caf::event_based_actor* self) -> caf::behavior {
    self->set_default_handler([emitted](caf::scheduled_actor*, caf::message_view&)
                                -> caf::result<caf::message> {
      ++*emitted;
      return caf::message{};
    });
    return {[](caf::exit_msg&) {}};
  });
  std::vector<caf::actor> captures;
  {
    caf::scoped_actor spawner{sys};
    for (int i = 0; i < sessions; ++i)
      captures.push_back(capture::spawn_capture(
        caf::actor_cast<caf::local_actor*>(spawner.ptr()), settings->capture,
        sink, sink));
  }
  std::fprintf(stderr, "bench_frame_path: %d sessions, %d s of real-time audio each\n",
               sessions, seconds);

  std::atomic<bool> running{true};
  std::vector<double> rtt_us;
  std::thread prober([&] {
    caf::scoped_actor self{sys};
    std::mt19937 rng{7};
    while (running) {
      auto& target = captures[rng() % captures.size()];
      auto t0 = steady_clock::now();
      self->request(target, caf::infinite, msg::stats_atom::value)
        .receive([](uint64_t) {}, [](caf::error&) {});
      rtt_us.push_back(duration<double, std::micro>(steady_clock::now() - t0).count());
      std::this_thread::sleep_for(milliseconds(5));
    }
  });

  const double cpu0 = cpu_seconds();
  caf::scoped_actor driver{sys};
  const int ticks = seconds * 50;
  auto start = steady_clock::now();
  int late_ticks = 0;
  for (int t = 0; t < ticks; ++t) {
    std::size_t off = (static_cast<std::size_t>(t) * 320) % (pcm.size() - 320);
    std::vector<int16_t> frame(pcm.begin() + off, pcm.begin() + off + 320);
    for (auto& c : captures)
      driver->send(c, msg::audio_frame{static_cast<uint64_t>(t), t * 20, frame});
    auto next = start + milliseconds(20 * (t + 1));
    if (steady_clock::now() > next)
      ++late_ticks;
    std::this_thread::sleep_until(next);
    if (t % 50 == 49)
      std::fprintf(stderr, "\r  %d/%d s", (t + 1) / 50, seconds);
  }
  std::fprintf(stderr, "\n");
  running = false;
  prober.join();
  const double cpu = cpu_seconds() - cpu0;
  const double frames = static_cast<double>(ticks) * sessions;
  for (auto& c : captures)
    driver->send_exit(c, caf::exit_reason::user_shutdown);
  driver->send_exit(sink, caf::exit_reason::user_shutdown);

  std::printf("sessions                 %d\n", sessions);
  std::printf("frames                   %.0f (%.0f/s)\n", frames, frames / seconds);
  std::printf("engine CPU per frame     %.1f us (includes the driver sending it)\n",
              cpu / frames * 1e6);
  std::printf("engine CPU load          %.2f cores\n", cpu / seconds);
  std::printf("probe round trip         p50 %.0f us  p95 %.0f us  p99 %.0f us  (n=%zu)\n",
              percentile(rtt_us, 0.50), percentile(rtt_us, 0.95),
              percentile(rtt_us, 0.99), rtt_us.size());
  std::printf("driver ticks late        %d of %d\n", late_ticks, ticks);
  std::printf("capture messages emitted %llu\n",
              static_cast<unsigned long long>(emitted->load()));

  // The decoder, measured on its own: CPU seconds per second of audio.
  auto provider = stt::default_registry().create(settings->stt);
  if (!provider) {
    std::fprintf(stderr, "decoder: %s\n", describe(provider.error()).c_str());
    return 1;
  }
  auto c0 = cpu_seconds();
  (*provider)->begin_utterance({});
  for (std::size_t off = 0; off < pcm.size(); off += 320)
    (*provider)->feed(std::span<const int16_t>(pcm.data() + off,
                                               std::min<std::size_t>(320, pcm.size() - off)));
  auto text = (*provider)->end_utterance();
  double rtf = (cpu_seconds() - c0) / audio->seconds();
  std::printf("decoder real-time factor %.3f (pocketsphinx, %.1f s of audio, one core)\n",
              rtf, audio->seconds());
  return 0;
}
