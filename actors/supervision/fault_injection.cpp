#include "actors/supervision/fault_injection.hpp"

#include "actors/common/errors.hpp"

#include <algorithm>
#include <charconv>
#include <random>

namespace sof::supervision {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

caf::expected<double> parse_probability(std::string_view v,
                                        std::string_view item) {
  double p = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
  if (ec != std::errc{} || ptr != v.data() + v.size() || p < 0 || p > 1)
    return make_error(errc::invalid_argument,
                      "chaos: '" + std::string{item}
                        + "': expected a probability between 0 and 1");
  return p;
}

caf::expected<std::chrono::milliseconds>
parse_duration(std::string_view v, std::string_view item) {
  double x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  std::string_view unit{ptr, static_cast<size_t>(v.data() + v.size() - ptr)};
  double ms = -1;
  if (ec == std::errc{} && x >= 0) {
    if (unit == "ms" || unit.empty())
      ms = x;
    else if (unit == "s")
      ms = x * 1000;
  }
  if (ms < 0 || ms > 600000)
    return make_error(errc::invalid_argument,
                      "chaos: '" + std::string{item}
                        + "': expected a duration like 200ms or 1.5s (max 600s)");
  return std::chrono::milliseconds{static_cast<int64_t>(ms)};
}

}  // namespace

const std::vector<std::string>& fault_spec::known_targets() {
  static const std::vector<std::string> targets{
    // No "llm": the interviewer is rule-based in this build (there is no
    // language-model call to fault); its agent is "followup".
    // "stt.second_pass" is its own target: "stt" faults the local
    // recogniser only, so chaos on it keeps the transcript comparable.
    "stt", "stt.second_pass", "tts", "tts.espeak", "tts.flite", "tts.openai", "embed", "followup",
    "grader.requirements", "grader.architecture", "grader.data",
    "grader.scalability", "grader.reliability", "grader.communication",
    "grader"};  // "grader" applies to every grader
  return targets;
}

caf::expected<fault_spec> fault_spec::parse(std::string_view text) {
  fault_spec out;
  text = trim(text);
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{}
                                           : text.substr(comma + 1);
    if (item.empty())
      continue;
    auto eq = item.find('=');
    auto dot = item.rfind('.', eq);
    if (eq == std::string_view::npos || dot == std::string_view::npos
        || dot == 0)
      return make_error(errc::invalid_argument,
                        "chaos: '" + std::string{item}
                          + "': expected TARGET.FAULT=VALUE, e.g. stt.crash=0.3");
    std::string target{trim(item.substr(0, dot))};
    auto fault = trim(item.substr(dot + 1, eq - dot - 1));
    auto value = trim(item.substr(eq + 1));
    if (target == "llm")
      return make_error(errc::invalid_argument,
                        "chaos: there is no LLM in this build (the interviewer "
                        "is rule-based); its target is 'followup'");
    const auto& known = known_targets();
    if (std::find(known.begin(), known.end(), target) == known.end()) {
      std::string list;
      for (const auto& k : known)
        list += (list.empty() ? "" : ", ") + k;
      return make_error(errc::invalid_argument, "chaos: unknown target '"
                                                  + target + "' (known: "
                                                  + list + ")");
    }
    auto& rule = out.rules_[target];
    if (fault == "delay") {
      auto d = parse_duration(value, item);
      if (!d)
        return d.error();
      rule.delay = *d;
      continue;
    }
    auto p = parse_probability(value, item);
    if (!p)
      return p.error();
    if (fault == "crash")
      rule.crash = *p;
    else if (fault == "hang")
      rule.hang = *p;
    else if (fault == "garbage")
      rule.garbage = *p;
    else if (fault == "error")
      rule.error = *p;
    else
      return make_error(errc::invalid_argument,
                        "chaos: unknown fault '" + std::string{fault}
                          + "' (known: crash, hang, garbage, error, delay)");
  }
  return out;
}

const fault_rule* fault_spec::find(std::string_view target) const {
  if (auto i = rules_.find(target); i != rules_.end())
    return &i->second;
  // A rule for a kind applies to each of its members without their own.
  for (std::string_view kind : {"grader", "tts"})
    if (target.size() > kind.size() && target.starts_with(kind)
        && target[kind.size()] == '.')
      if (auto i = rules_.find(kind); i != rules_.end())
        return &i->second;
  return nullptr;
}

std::string fault_spec::to_string() const {
  std::string out;
  auto add = [&](const std::string& t, const char* f, const std::string& v) {
    out += (out.empty() ? "" : ",") + t + "." + f + "=" + v;
  };
  for (const auto& [t, r] : rules_) {
    if (r.crash > 0) add(t, "crash", std::to_string(r.crash));
    if (r.hang > 0) add(t, "hang", std::to_string(r.hang));
    if (r.garbage > 0) add(t, "garbage", std::to_string(r.garbage));
    if (r.error > 0) add(t, "error", std::to_string(r.error));
    if (r.delay.count() > 0)
      add(t, "delay", std::to_string(r.delay.count()) + "ms");
  }
  return out;
}

fault_injector::fault_injector(fault_spec spec, uint64_t seed)
  : spec_(std::move(spec)), seed_(seed) {
}

fault_plan fault_injector::plan(std::string_view target, uint64_t call,
                                uint32_t attempt) const {
  fault_plan p;
  const fault_rule* rule = spec_.find(target);
  if (!rule)
    return p;
  std::mt19937_64 rng{mix(seed_ ^ mix(fnv1a(target) ^ mix(call * 1315423911u
                                                            + attempt)))};
  std::uniform_real_distribution<double> u{0.0, 1.0};
  // Draw every decision every time so that one fault's probability does not
  // shift the random stream of another.
  double r_crash = u(rng), r_hang = u(rng), r_garbage = u(rng),
         r_error = u(rng);
  p.crash_after = static_cast<uint32_t>(rng() % 16);
  p.crash = r_crash < rule->crash;
  p.hang = !p.crash && r_hang < rule->hang;
  p.garbage = !p.crash && !p.hang && r_garbage < rule->garbage;
  p.error = !p.crash && !p.hang && !p.garbage && r_error < rule->error;
  p.delay = rule->delay;
  return p;
}

std::string garbage_text(uint64_t seed) {
  std::mt19937_64 rng{mix(seed)};
  std::string out;
  size_t n = 20000 + rng() % 1000;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i)
    out.push_back(static_cast<char>(rng() & 0xff));
  return out;
}

}  // namespace sof::supervision
