#include "transport/server/metrics.hpp"

#include "actors/messages/histogram.hpp"

#include <fmt/format.h>

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
