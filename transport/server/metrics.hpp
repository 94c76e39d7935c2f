#pragma once
// The service's metrics, rendered in the Prometheus text format at
// /metrics. Counters and histograms are keyed by name and a label set;
// histograms use the fixed log buckets of actors/messages/histogram.hpp.
// Thread-safe: network threads and actors record into it.
#include "actors/messages/messages.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

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

/// The process's own CPU and memory, for the standard Prometheus gauges
/// process_cpu_seconds_total and process_resident_memory_bytes: a load
/// generator on the same host reads them to get cost per session.
struct process_usage {
  double cpu_seconds = 0;     // user + system, since the process started
  double resident_bytes = 0;  // resident set size
};

/// utime + stime (fields 14 and 15) of a /proc/PID/stat line. The command
/// name (field 2) is in parentheses and may hold spaces or ')', so fields
/// are counted from the last ')'. nullopt for text that is not a stat line.
std::optional<double> cpu_seconds_from_stat(std::string_view stat, long ticks_per_second);
/// The resident pages (second field) of /proc/PID/statm times the page size.
std::optional<double> resident_bytes_from_statm(std::string_view statm, long page_size);
/// This process, from /proc/self; nullopt where /proc is not there.
std::optional<process_usage> read_process_usage();

}  // namespace sof::server
