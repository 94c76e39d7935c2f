// sof tts-race: the race-the-providers latency lab. Measures each provider
// alone, then the chosen policy (race, hedge or single) over the same texts,
// through the real voice agent, and reports time to first audio, total
// synthesis time, wins, failures and CPU per utterance.
#include "actors/common/errors.hpp"
#include "actors/common/progress.hpp"
#include "actors/session/offline_run.hpp"
#include "actors/voice/speech_text.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"
#include "tools/sof/tts_race_report.hpp"
#include "tools/sof/voice_runner.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace sof::cli {
namespace {

struct race_options {
  std::string text;
  std::string texts_file;
  std::string providers;
  std::string policy;
  int runs = 20;
  int hedge_delay_ms = -1;
  bool json = false;
  std::string report;
  common_options common;
};

double cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

// Nearest-rank percentile over the exact samples of this run.
double pct(std::vector<double> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * v.size()));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

nlohmann::json pcts(const std::vector<double>& v) {
  return {{"p50", pct(v, 0.50)}, {"p95", pct(v, 0.95)}, {"p99", pct(v, 0.99)}};
}

struct series {
  std::vector<double> ttfb, total;
  std::vector<std::string> winners;
  int failures = 0;
  double cpu_ms = 0;
  int runs = 0;
};

// Speaks `runs` texts (round robin) through one voice configuration.
series measure(caf::actor_system& sys, const voice::voice_options& vo,
               const std::vector<std::string>& texts, int runs, progress& bar,
               std::size_t& done, double* hedge_delay) {
  series s;
  voice_runner runner{sys, vo};
  double cpu0 = cpu_ms();
  for (int i = 0; i < runs; ++i) {
    auto r = runner.say(static_cast<uint32_t>(i + 1), texts[i % texts.size()]);
    ++s.runs;
    if (r.done.outcome != "spoken")
      ++s.failures;
    if (r.done.ttfa_ms >= 0) {
      s.ttfb.push_back(r.done.ttfa_ms);
      s.winners.push_back(r.done.provider);
    }
    if (r.done.synth_ms >= 0)
      s.total.push_back(r.done.synth_ms);
    bar.update(++done);
  }
  s.cpu_ms = (cpu_ms() - cpu0) / std::max(runs, 1);
  if (hedge_delay)
    *hedge_delay = runner.stats().hedge_delay_ms;
  return s;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= s.size()) {
    auto comma = s.find(',', at);
    auto item = s.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (!item.empty())
      out.push_back(item);
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  return out;
}

caf::expected<std::vector<std::string>> load_texts(const race_options& o,
                                                   std::size_t max_chars) {
  std::vector<std::string> texts;
  if (!o.text.empty())
    texts.push_back(o.text);
  if (!o.texts_file.empty()) {
    std::ifstream in{o.texts_file};
    if (!in)
      return make_error(errc::io_error, "cannot read " + o.texts_file);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#'
          && line.find_first_not_of(" \t\r") != std::string::npos)
        texts.push_back(line);
    if (texts.empty())
      return make_error(errc::invalid_argument, o.texts_file + " has no texts");
  }
  for (const auto& t : texts)
    if (auto pieces = voice::split_for_speech(t, max_chars); !pieces)
      return pieces.error();
  return texts;
}

int run(const race_options& o) {
  auto setup = load_setup(o.common);
  if (setup.exit_code)
    return setup.exit_code;
  const auto* s = &setup.settings;
  if (o.runs < 1 || o.runs > 100000)
    return fail("--runs must be 1..100000");
  auto texts = load_texts(o, s->tts.max_text_chars);
  if (!texts)
    return fail(texts.error());
  auto tts = s->tts;
  if (!o.providers.empty())
    tts.providers = split_list(o.providers);
  if (!o.policy.empty())
    tts.policy = o.policy;
  if (o.hedge_delay_ms >= 0)
    tts.hedge_delay_ms = o.hedge_delay_ms;
  tts.realtime = false;  // measure synthesis, not playback pacing
  if (auto policy = voice::parse_policy(tts.policy); !policy)
    return fail(policy.error());
  if (tts.policy != "single" && tts.providers.size() < 2)
    return fail("--policy " + tts.policy + " needs at least two --providers");
  if (auto err = voice::check_providers(tts))
    return fail(err);
  if (!o.report.empty())
    if (auto err = check_writable(o.report))
      return fail(err);

  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  voice::voice_options base;
  base.supervision = s->supervision;
  base.faults = setup.faults;
  const auto n = static_cast<std::size_t>(o.runs) * (tts.providers.size() + 1);
  progress bar{"tts-race", n, !o.json};
  std::size_t done = 0;
  std::map<std::string, series> alone;
  for (const auto& p : tts.providers) {
    auto vo = base;
    vo.tts = tts;
    vo.tts.providers = {p};
    vo.tts.policy = "single";
    alone[p] = measure(sys, vo, *texts, o.runs, bar, done, nullptr);
  }
  auto vo = base;
  vo.tts = tts;
  double hedge_delay = 0;
  auto pol = measure(sys, vo, *texts, o.runs, bar, done, &hedge_delay);
  bar.finish();

  nlohmann::json out;
  out["runs"] = o.runs;
  out["texts"] = texts->size();
  out["chaos"] = s->chaos.spec.empty() ? "none" : s->chaos.spec;
  std::map<std::string, int> wins;
  for (const auto& w : pol.winners)
    ++wins[w];
  for (const auto& p : tts.providers) {
    const auto& a = alone[p];
    out["providers"][p] = {{"ttfb_ms", pcts(a.ttfb)},
                           {"total_ms", pcts(a.total)},
                           {"wins", wins[p]},
                           {"failures", a.failures},
                           {"cpu_ms_per_utterance", a.cpu_ms}};
  }
  out["policy"] = {{"name", tts.policy},
                   {"providers", tts.providers},
                   {"ttfb_ms", pcts(pol.ttfb)},
                   {"total_ms", pcts(pol.total)},
                   {"runs", pol.runs},
                   {"failures", pol.failures},
                   {"cpu_ms_per_utterance", pol.cpu_ms}};
  if (tts.policy == "hedge")
    out["policy"]["hedge_delay_ms"] = hedge_delay;
  if (!o.report.empty()) {
    auto page = out;
    for (const auto& p : tts.providers)
      page["samples"]["providers"][p] = alone[p].ttfb;
    page["samples"]["policy"] = nlohmann::json::array();
    for (std::size_t i = 0; i < pol.ttfb.size(); ++i)
      page["samples"]["policy"].push_back(
        {{"ttfb_ms", pol.ttfb[i]}, {"winner", pol.winners[i]}});
    std::ofstream f{o.report};
    f << render_tts_race_html(page);
    if (!f)
      return fail(make_error(errc::io_error, "cannot write " + o.report));
  }
  if (o.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%-16s %-7s %5s %5s  %9s %9s %9s  %9s  %6s  %8s\n", "provider", "mode",
                "runs", "fail", "first p50", "p95", "p99", "total p50", "wins", "cpu/utt");
    auto row = [](const std::string& name, const char* mode, const series& x,
                  const std::string& wins) {
      std::printf("%-16s %-7s %5d %5d  %7.2fms %7.2fms %7.2fms  %7.2fms  %6s  %6.2fms\n",
                  name.c_str(), mode, x.runs, x.failures, pct(x.ttfb, 0.5),
                  pct(x.ttfb, 0.95), pct(x.ttfb, 0.99), pct(x.total, 0.5), wins.c_str(),
                  x.cpu_ms);
    };
    for (const auto& p : tts.providers)
      row(p, "alone", alone[p], std::to_string(wins[p]));
    row(tts.policy, "policy", pol, "-");
    if (tts.policy == "hedge")
      std::printf("hedge delay at the end: %.0f ms\n", hedge_delay);
    if (!o.report.empty())
      std::printf("report: %s\n", o.report.c_str());
  }
  return pol.failures == pol.runs ? 1 : 0;
}

}  // namespace

void add_tts_race_command(CLI::App& app) {
  auto o = std::make_shared<race_options>();
  auto* cmd = app.add_subcommand(
    "tts-race", "Race text-to-speech providers: time to first audio per "
                "provider and for a policy (single, race, hedge)");
  auto* text = cmd->add_option("--text", o->text, "one text to speak");
  auto* texts = cmd->add_option("--texts", o->texts_file,
                                "file with one text per line ('#' comments)");
  text->excludes(texts);
  cmd->add_option("--providers", o->providers,
                  "comma-separated NAME[:VOICE] list (default: configured)");
  cmd->add_option("--policy", o->policy, "single | race | hedge (default: configured)");
  cmd->add_option("--runs", o->runs, "utterances per configuration (default 20)");
  cmd->add_option("--hedge-delay", o->hedge_delay_ms,
                  "hedge delay in ms; 0 learns it from the primary's p95");
  cmd->add_flag("--json", o->json, "print the result as JSON");
  cmd->add_option("--report", o->report, "write an HTML report with latency plots");
  o->common.add_to(cmd);
  cmd->callback([o] {
    if (o->text.empty() && o->texts_file.empty())
      throw CLI::ValidationError("tts-race", "give --text or --texts");
    if (int rc = run(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
