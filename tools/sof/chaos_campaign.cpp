#include "tools/sof/chaos_campaign.hpp"

#include "actors/common/errors.hpp"
#include "actors/session/offline_run.hpp"
#include "base/text/wer.hpp"

#include <caf/actor_system.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

namespace sof::lab {
namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(steady::now() - t0).count();
}

// Every dimension of the question is in the card, each either ok or
// "unavailable" and then listed as such: a grader is never silently missing.
bool consistent(const msg::scorecard& card, const config::question& q) {
  if (card.dimensions.size() != q.dimensions.size())
    return false;
  std::set<std::string> listed(card.unavailable.begin(), card.unavailable.end());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < card.dimensions.size(); ++i) {
    const auto& d = card.dimensions[i];
    if (d.dimension != q.dimensions[i].name)
      return false;
    bool unavailable = d.status == "unavailable";
    if (!unavailable && d.status != "ok")
      return false;
    if (unavailable != (listed.count(d.dimension) == 1))
      return false;
    if (unavailable)
      seen.insert(d.dimension);
  }
  return seen == listed;
}

// One session through the real tree, fed as fast as the tree accepts audio.
run_record run_one(caf::actor_system& sys, const campaign_options& o,
                   std::shared_ptr<const config::question> q,
                   supervision::fault_injector faults, const std::string& id) {
  run_record r;
  r.question_id = q->id;
  session::session_options s;
  s.session_id = id;
  s.tenant = "chaos";
  s.cfg = o.settings;
  s.cfg.tts.realtime = false;  // as fast as the tree goes, like the audio
  s.faults = std::move(faults);
  s.voice = o.voice;
  s.interview.question = q;
  s.interview.engine = o.engine;
  s.interview.grader_deadline_ms = o.settings.grading.deadline_ms;
  s.interview.grader_retries = o.settings.grading.retries;
  // Listener callbacks run on the listener actor, which may outlive this
  // call by a message or two: what they touch is shared, not on our stack.
  struct live_events {
    std::mutex mx;
    std::map<uint32_t, steady::time_point> turn_at;
    std::vector<double> followup_ms;
    uint32_t escalations = 0;
  };
  auto ev = std::make_shared<live_events>();
  session::offline_run run;
  run.frame_ms = o.settings.capture.frame_ms;
  run.on_turn_end = [ev](const msg::turn_ended& t) {
    std::lock_guard lk{ev->mx};
    ev->turn_at.emplace(t.turn, steady::now());
  };
  run.on_followup = [ev](const msg::followup_question& f) {
    std::lock_guard lk{ev->mx};
    if (auto i = ev->turn_at.find(f.turn); i != ev->turn_at.end())
      ev->followup_ms.push_back(ms_since(i->second));
  };
  run.on_escalated = [ev](const msg::provider_escalated&) {
    std::lock_guard lk{ev->mx};
    ++ev->escalations;
  };
  auto t0 = steady::now();
  auto summary = session::run_offline(sys, std::move(s), o.audio, run);
  r.wall_ms = ms_since(t0);
  {
    std::lock_guard lk{ev->mx};
    r.followup_ms = ev->followup_ms;
    r.escalations = ev->escalations;
  }
  if (!summary) {
    r.error = describe(summary.error());
    return r;
  }
  r.text = summary->text;
  r.restarts = summary->restarts;
  r.absorbed = summary->absorbed;
  r.error = summary->error;
  r.completed = summary->graded && summary->error.empty();
  const auto& card = summary->card;
  r.verdict = card.verdict;
  r.dimensions = static_cast<uint32_t>(card.dimensions.size());
  r.unavailable = static_cast<uint32_t>(card.unavailable.size());
  for (const auto& d : card.dimensions)
    r.embed_degraded += d.degraded.empty() ? 0 : 1;
  r.card_consistent = summary->graded && consistent(card, *q);
  return r;
}

uint64_t session_seed(uint64_t seed, int index) {
  // Distinct, reproducible seeds per session (splitmix-style spread).
  uint64_t x = seed + 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(index + 1);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  return x ^ (x >> 31);
}

}  // namespace

std::size_t words_lost(const std::string& reference, const std::string& hypothesis) {
  auto w = text::word_error_rate(reference, hypothesis);
  return w.deletions + w.substitutions;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

caf::expected<campaign_result> run_campaign(caf::actor_system& sys,
                                            const campaign_options& o) {
  if (o.sessions < 1 || o.concurrency < 1 || o.questions.empty() || o.audio.empty()
      || !o.engine)
    return make_error(errc::invalid_argument, "chaos: nothing to run");
  campaign_result out;
  for (const auto& q : o.questions) {
    if (out.baselines.count(q->id))
      continue;
    auto base = run_one(sys, o, q, {}, "chaos-baseline-" + q->id);
    if (!base.completed)
      return make_error(errc::provider_failed,
                        "chaos: the fault-free run of " + q->id + " did not complete: "
                          + base.error);
    out.baselines.emplace(q->id, std::move(base));
  }
  out.sessions.resize(static_cast<std::size_t>(o.sessions));
  std::atomic<int> next{0};
  std::mutex progress_mx;
  std::size_t done = 0;
  auto worker = [&] {
    for (int i = next++; i < o.sessions; i = next++) {
      auto& s = out.sessions[static_cast<std::size_t>(i)];
      s.index = i;
      s.seed = session_seed(o.seed, i);
      auto q = o.questions[static_cast<std::size_t>(i) % o.questions.size()];
      s.run = run_one(sys, o, q, supervision::fault_injector{o.faults, s.seed},
                      "chaos-" + std::to_string(i));
      const auto& base = out.baselines.at(q->id);
      s.words_lost = words_lost(base.text, s.run.text);
      s.verdict_changed = s.run.completed && s.run.verdict != base.verdict;
      std::lock_guard lk{progress_mx};
      ++done;
      if (o.on_progress)
        o.on_progress(done, static_cast<std::size_t>(o.sessions));
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min(o.concurrency, o.sessions); ++t)
    threads.emplace_back(worker);
  for (auto& t : threads)
    t.join();
  return out;
}

nlohmann::json to_json(const campaign_result& r, const campaign_options& o) {
  nlohmann::json j;
  std::size_t completed = 0, lost = 0, escalations = 0, unavailable = 0, changed = 0,
              inconsistent = 0, embed = 0;
  // Every kind the lab can fault, so a zero is reported, not omitted.
  std::map<std::string, uint32_t> restarts{{"stt", 0}, {"tts", 0}, {"grader", 0}, {"followup", 0}};
  std::map<std::string, uint32_t> absorbed;
  std::vector<double> wall, base_wall, fu, base_fu;
  nlohmann::json per = nlohmann::json::array();
  for (const auto& s : r.sessions) {
    completed += s.run.completed;
    lost += s.words_lost;
    escalations += s.run.escalations;
    unavailable += s.run.unavailable;
    changed += s.verdict_changed;
    inconsistent += s.run.card_consistent ? 0 : 1;
    embed += s.run.embed_degraded;
    for (const auto& [k, n] : s.run.restarts)
      restarts[k] += n;
    for (const auto& [k, n] : s.run.absorbed)
      absorbed[k] += n;
    const auto& b = r.baselines.at(s.run.question_id);
    wall.push_back(s.run.wall_ms);
    base_wall.push_back(b.wall_ms);
    fu.insert(fu.end(), s.run.followup_ms.begin(), s.run.followup_ms.end());
    base_fu.insert(base_fu.end(), b.followup_ms.begin(), b.followup_ms.end());
    per.push_back({{"index", s.index}, {"seed", s.seed}, {"question", s.run.question_id},
                   {"completed", s.run.completed}, {"error", s.run.error},
                   {"words_lost", s.words_lost}, {"restarts", s.run.restarts},
                   {"absorbed", s.run.absorbed}, {"escalations", s.run.escalations},
                   {"graders_unavailable", s.run.unavailable},
                   {"dimensions", s.run.dimensions}, {"card_consistent", s.run.card_consistent},
                   {"embed_degraded", s.run.embed_degraded}, {"verdict", s.run.verdict},
                   {"baseline_verdict", b.verdict}, {"verdict_changed", s.verdict_changed},
                   {"wall_ms", s.run.wall_ms}, {"baseline_wall_ms", b.wall_ms},
                   {"followup_ms", s.run.followup_ms}, {"baseline_followup_ms", b.followup_ms}});
  }
  auto latency = [](const std::vector<double>& v, const std::vector<double>& base) {
    double p50 = percentile(v, 50), p95 = percentile(v, 95);
    double b50 = percentile(base, 50), b95 = percentile(base, 95);
    return nlohmann::json{{"p50", p50}, {"p95", p95}, {"baseline_p50", b50},
                          {"baseline_p95", b95}, {"ratio_p50", b50 > 0 ? p50 / b50 : 0.0},
                          {"ratio_p95", b95 > 0 ? p95 / b95 : 0.0}, {"count", v.size()}};
  };
  j["sessions"] = r.sessions.size();
  j["completed"] = completed;
  j["words_lost"] = lost;
  j["restarts"] = restarts;
  j["escalations"] = escalations;
  j["graders_unavailable"] = unavailable;
  j["verdicts_changed"] = changed;
  j["graders_silently_missing"] = inconsistent;
  j["embed_degraded"] = embed;
  j["absorbed"] = absorbed;
  j["latency"] = {{"session_ms", latency(wall, base_wall)},
                  {"followup_ms", latency(fu, base_fu)}};
  j["seed"] = o.seed;
  j["faults"] = o.faults.to_string();
  j["concurrency"] = o.concurrency;
  nlohmann::json bases = nlohmann::json::object();
  for (const auto& [id, b] : r.baselines)
    bases[id] = {{"verdict", b.verdict}, {"wall_ms", b.wall_ms}, {"words", text::count_words(b.text)},
                 {"followup_ms", b.followup_ms}};
  j["baselines"] = bases;
  j["per_session"] = per;
  return j;
}

}  // namespace sof::lab
