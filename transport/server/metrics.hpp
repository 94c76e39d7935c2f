#pragma once
// The service's metrics, rendered in the Prometheus text format at
// /metrics. Counters and histograms are keyed by name and a label set;
// histograms use the fixed log buckets of actors/messages/histogram.hpp.
// Thread-safe: network threads and actors record into it.
#include "actors/messages/messages.hpp"

#include <map>
#include <mutex>
#include <string>

namespace sof::server {

using labels = std::map<std::string, std::string>;

class metrics {
 public:
  void add(const std::string& name, const labels& l = {}, double v = 1);
  void observe(const std::string& name, const labels& l, double ms);
  /// Gauges are read at render time from the callback's values.
  void set_gauge(const std::string& name, const labels& l, double v);
  std::string render(const std::map<std::string, std::string>& help) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<labels, double>> counters_;
  std::map<std::string, std::map<labels, double>> gauges_;
  std::map<std::string, std::map<labels, msg::latency_histogram>> histograms_;
};

}  // namespace sof::server
