#include "tools/sof/loadgen_policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace sof::cli::loadgen {
namespace {

// splitmix64's finaliser: a good 64-bit mix, cheap, and the same on every
// platform (std::uniform_real_distribution is not).
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

enum draw : uint64_t { draw_jitter = 1, draw_loss = 2, draw_reconnect = 3 };

std::optional<double> sample_value(std::string_view text, std::string_view name) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    auto line = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.size() <= name.size() || line.substr(0, name.size()) != name
        || line[name.size()] != ' ')
      continue;
    auto value = line.substr(name.size() + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    // std::from_chars for double is in g++ 12's libstdc++.
    double v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc{})
      return std::nullopt;
    return v;
  }
  return std::nullopt;
}

}  // namespace

network_model::network_model(network_settings s, uint32_t session)
  : s_(s), session_(session) {
}

double network_model::uniform(uint64_t what, uint64_t index, uint64_t sub) const {
  uint64_t h = mix(s_.seed);
  h = mix(h ^ (static_cast<uint64_t>(session_) << 8 | what));
  h = mix(h ^ index);
  h = mix(h ^ sub);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

double network_model::jitter_ms(uint64_t seq) const {
  if (s_.jitter_ms <= 0)
    return 0;
  return (uniform(draw_jitter, seq) * 2 - 1) * s_.jitter_ms;
}

bool network_model::lost(uint64_t seq, uint32_t attempt) const {
  if (s_.loss_pct <= 0)
    return false;
  return uniform(draw_loss, seq, attempt) * 100 < s_.loss_pct;
}

std::vector<double> network_model::reconnect_times_s(double duration_s) const {
  std::vector<double> out;
  if (s_.reconnects_per_min <= 0 || duration_s <= 0)
    return out;
  const double rate_per_s = s_.reconnects_per_min / 60;
  double t = 0;
  for (uint64_t i = 0;; ++i) {
    // Exponential gaps: -ln(1 - U) / rate; 1 - U is in (0, 1].
    t += -std::log(1 - uniform(draw_reconnect, i)) / rate_per_s;
    if (t >= duration_s)
      break;
    out.push_back(t);
  }
  return out;
}

send_schedule::send_schedule(const network_model& net, double frame_ms)
  : net_(net), frame_ms_(frame_ms) {
}

double send_schedule::due_ms(uint64_t seq) {
  while (due_.size() <= seq) {
    const auto n = due_.size();
    double due = static_cast<double>(n) * frame_ms_ + net_.jitter_ms(n);
    if (!due_.empty())
      due = std::max(due, due_.back());
    due_.push_back(std::max(due, 0.0));
  }
  return due_[seq];
}

std::optional<double> percentile(std::vector<double> values, double q) {
  if (values.empty())
    return std::nullopt;
  std::sort(values.begin(), values.end());
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

turn_latency_tracker::turn_latency_tracker(double frame_ms, double end_of_turn_ms)
  : frame_ms_(frame_ms), end_of_turn_ms_(end_of_turn_ms) {
}

void turn_latency_tracker::on_frame_sent(uint64_t seq, clock::time_point at) {
  if (sent_.size() <= seq)
    sent_.resize(seq + 1);
  if (sent_[seq] == clock::time_point{})
    sent_[seq] = at;
}

void turn_latency_tracker::on_turn_end(uint64_t turn, double at_ms) {
  if (seen_.count(turn) != 0 || at_ms < 0)
    return;
  seen_[turn] = true;
  const auto seq = static_cast<uint64_t>(at_ms / frame_ms_);
  if (seq >= sent_.size() || sent_[seq] == clock::time_point{})
    return;  // not a frame this client sent: nothing honest to measure
  pending_[turn] = sent_[seq] + std::chrono::duration_cast<clock::duration>(
                                  std::chrono::duration<double, std::milli>(end_of_turn_ms_));
}

std::optional<double> turn_latency_tracker::on_voice(uint64_t speech_id,
                                                     clock::time_point at) {
  auto it = pending_.find(speech_id);
  if (it == pending_.end())
    return std::nullopt;
  const double ms = std::chrono::duration<double, std::milli>(at - it->second).count();
  pending_.erase(it);
  return ms;
}

std::optional<process_sample> parse_process_metrics(std::string_view text) {
  auto cpu = sample_value(text, "process_cpu_seconds_total");
  auto rss = sample_value(text, "process_resident_memory_bytes");
  if (!cpu || !rss)
    return std::nullopt;
  return process_sample{*cpu, *rss};
}

}  // namespace sof::cli::loadgen
