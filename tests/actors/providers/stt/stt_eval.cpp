// stt_eval: measures the pocketsphinx provider (WER, real-time factor, init
// time) on the flite system-design set and the real read speech. Used to
// tune the search and to produce the numbers in docs/stt.md.
//
//   stt_eval [flite|real|both] [-v] [key=value ...]
// keys are [stt.pocketsphinx] settings, e.g. domain_weight=0 (stock model),
// beam=1e-40, topn=2, fwdflat=false.
#include "actors/common/errors.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"
#include "actors/text/wer.hpp"
#include "config/settings.hpp"
#include "tests/actors/providers/stt/stt_test_support.hpp"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <iostream>
#include <string>

using namespace sof;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// CPU time of this thread: the real-time factor "per stream per core" must
// not depend on what else the machine is running.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

void evaluate(const char* label, stt::stt_provider& p,
              const std::vector<stt::testing::labelled_audio>& set,
              bool verbose) {
  text::wer_result total;
  double audio_s = 0, cpu_s = 0;
  for (const auto& item : set) {
    auto c0 = thread_cpu_seconds();
    auto hyp = stt::testing::decode(p, item.pcm);
    cpu_s += thread_cpu_seconds() - c0;
    audio_s += static_cast<double>(item.pcm.size()) / stt::sample_rate;
    auto w = text::word_error_rate(item.reference, hyp);
    total += w;
    if (verbose && w.errors() > 0)
      std::printf("  [%zu err] ref: %s\n           hyp: %s\n", w.errors(),
                  item.reference.c_str(), hyp.c_str());
  }
  std::printf("%-6s WER %.4f (%zu/%zu: S%zu D%zu I%zu)  RTF %.3f "
              "(%.1f s audio, %.2f s cpu)\n",
              label, total.rate(), total.errors(), total.reference_words,
              total.substitutions, total.deletions, total.insertions,
              cpu_s / audio_s, audio_s, cpu_s);
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "both";
  bool verbose = false;
  std::string toml = "[stt.pocketsphinx]\n";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "flite" || a == "real" || a == "both")
      which = a;
    else if (a == "-v")
      verbose = true;
    else if (auto eq = a.find('='); eq != std::string::npos)
      toml += a.substr(0, eq) + " = " + a.substr(eq + 1) + "\n";
    else {
      std::cerr << "usage: stt_eval [flite|real|both] [-v] [key=value ...]\n";
      return 2;
    }
  }
  auto cfg = config::parse(toml, "command line");
  if (!cfg) {
    std::cerr << describe(cfg.error()) << "\n";
    return 2;
  }
  auto t0 = clock_type::now();
  auto c0 = thread_cpu_seconds();
  auto p = stt::pocketsphinx_provider::create(cfg->stt.pocketsphinx);
  if (!p) {
    std::cerr << describe(p.error()) << "\n";
    return 1;
  }
  std::printf("init %.3f s wall, %.3f s cpu (%zu domain pronunciations)\n",
              seconds_since(t0), thread_cpu_seconds() - c0,
              (*p)->domain_words());
  try {
    if (which != "real")
      evaluate("flite", **p, stt::testing::flite_set(), verbose);
    if (which != "flite")
      evaluate("real", **p, stt::testing::real_speech_set(), verbose);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
