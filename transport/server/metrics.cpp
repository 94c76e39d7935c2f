#include "transport/server/metrics.hpp"

#include "actors/messages/histogram.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <vector>

namespace sof::server {
namespace {

std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// Whitespace-separated fields of `text`.
std::vector<std::string_view> fields_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
      ++i;
    auto start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t')
      ++i;
    if (i > start)
      out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::optional<uint64_t> to_u64(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

std::optional<std::string> slurp(const char* path) {
  std::ifstream in{path};
  if (!in)
    return std::nullopt;
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

std::string label_text(const labels& l, const std::string& extra = {}) {
  std::string out;
  for (const auto& [k, v] : l)
    out += (out.empty() ? "" : ",") + k + "=\"" + escape(v) + "\"";
  if (!extra.empty())
    out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

}  // namespace

void metrics::add(const std::string& name, const labels& l, double v) {
  std::lock_guard<std::mutex> guard{mutex_};
  counters_[name][l] += v;
}

void metrics::observe(const std::string& name, const labels& l, double ms) {
  std::lock_guard<std::mutex> guard{mutex_};
  sof::metrics::observe(histograms_[name][l], ms);
}

void metrics::set_gauge(const std::string& name, const labels& l, double v) {
  std::lock_guard<std::mutex> guard{mutex_};
  gauges_[name][l] = v;
}

std::optional<double> cpu_seconds_from_stat(std::string_view stat, long ticks_per_second) {
  auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0)
    return std::nullopt;
  // After the name: field 3 (state) is index 0, so utime (14) is index 11.
  auto f = fields_of(stat.substr(close + 1));
  if (f.size() < 13)
    return std::nullopt;
  auto utime = to_u64(f[11]);
  auto stime = to_u64(f[12]);
  if (!utime || !stime)
    return std::nullopt;
  return static_cast<double>(*utime + *stime) / static_cast<double>(ticks_per_second);
}

std::optional<double> resident_bytes_from_statm(std::string_view statm, long page_size) {
  auto f = fields_of(statm);
  if (f.size() < 2 || page_size <= 0)
    return std::nullopt;
  auto pages = to_u64(f[1]);
  if (!pages)
    return std::nullopt;
  return static_cast<double>(*pages) * static_cast<double>(page_size);
}

std::optional<process_usage> read_process_usage() {
  auto stat = slurp("/proc/self/stat");
  auto statm = slurp("/proc/self/statm");
  if (!stat || !statm)
    return std::nullopt;
  auto cpu = cpu_seconds_from_stat(*stat, sysconf(_SC_CLK_TCK));
  auto rss = resident_bytes_from_statm(*statm, sysconf(_SC_PAGESIZE));
  if (!cpu || !rss)
    return std::nullopt;
  return process_usage{*cpu, *rss};
}

std::string metrics::render(const std::map<std::string, std::string>& help) const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::string out;
  auto head = [&](const std::string& name, const char* type) {
    if (auto h = help.find(name); h != help.end())
      out += "# HELP " + name + " " + h->second + "\n";
    out += "# TYPE " + name + " " + type + "\n";
  };
  for (const auto& [name, series] : gauges_) {
    head(name, "gauge");
    for (const auto& [l, v] : series)
      out += fmt::format("{}{} {}\n", name, label_text(l), v);
  }
  for (const auto& [name, series] : counters_) {
    head(name, "counter");
    for (const auto& [l, v] : series)
      out += fmt::format("{}{} {}\n", name, label_text(l), v);
  }
  for (const auto& [name, series] : histograms_) {
    head(name, "histogram");
    for (const auto& [l, h] : series) {
      uint64_t cum = 0;
      for (std::size_t i = 0; i < h.counts.size(); ++i) {
        cum += h.counts[i];
        out += fmt::format("{}_bucket{} {}\n", name,
                             label_text(l, fmt::format("le=\"{:g}\"",
                                                       sof::metrics::bucket_upper_ms(i))),
                             cum);
      }
      out += fmt::format("{}_bucket{} {}\n", name, label_text(l, "le=\"+Inf\""), h.count);
      out += fmt::format("{}_sum{} {}\n", name, label_text(l), h.sum_ms);
      out += fmt::format("{}_count{} {}\n", name, label_text(l), h.count);
    }
  }
  return out;
}

}  // namespace sof::server
