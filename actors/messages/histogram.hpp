#pragma once
// Latency histograms with fixed log-spaced buckets (ten per decade from
// 0.1 ms to 100 s), so histograms from any actor or process merge by adding
// counts and export to Prometheus without re-bucketing.
#include "actors/messages/messages.hpp"

#include <cstddef>

namespace sof::metrics {

/// Number of buckets; the last one also takes everything above 100 s.
constexpr std::size_t histogram_buckets = 61;

/// Upper bound (ms) of bucket i.
double bucket_upper_ms(std::size_t i);

void observe(msg::latency_histogram& h, double ms);
void merge(msg::latency_histogram& into, const msg::latency_histogram& from);

/// The q-quantile (0..1), interpolated inside its bucket; 0 when empty.
double quantile(const msg::latency_histogram& h, double q);

}  // namespace sof::metrics
