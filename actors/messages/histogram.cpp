#include "actors/messages/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace sof::metrics {

double bucket_upper_ms(std::size_t i) {
  return 0.1 * std::pow(10.0, static_cast<double>(i) / 10.0);
}

namespace {

std::size_t bucket_of(double ms) {
  if (!(ms > 0.1))  // also NaN
    return 0;
  auto i = static_cast<std::size_t>(std::ceil(10.0 * std::log10(ms / 0.1) - 1e-9));
  return std::min(i, histogram_buckets - 1);
}

}  // namespace

void observe(msg::latency_histogram& h, double ms) {
  if (h.counts.size() != histogram_buckets)
    h.counts.resize(histogram_buckets, 0);
  ++h.counts[bucket_of(ms)];
  h.sum_ms += std::isfinite(ms) ? ms : 0.0;
  ++h.count;
}

void merge(msg::latency_histogram& into, const msg::latency_histogram& from) {
  if (into.counts.size() != histogram_buckets)
    into.counts.resize(histogram_buckets, 0);
  for (std::size_t i = 0; i < from.counts.size() && i < histogram_buckets; ++i)
    into.counts[i] += from.counts[i];
  into.sum_ms += from.sum_ms;
  into.count += from.count;
}

double quantile(const msg::latency_histogram& h, double q) {
  if (h.count == 0 || h.counts.empty())
    return 0;
  double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(h.count);
  double seen = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    if (h.counts[i] == 0)
      continue;
    if (seen + h.counts[i] >= rank) {
      // Geometric interpolation: buckets are log-spaced.
      double lo = i == 0 ? 0.1 / std::pow(10.0, 0.1) : bucket_upper_ms(i - 1);
      double hi = bucket_upper_ms(i);
      double frac = (rank - seen) / h.counts[i];
      return lo * std::pow(hi / lo, frac);
    }
    seen += h.counts[i];
  }
  return bucket_upper_ms(h.counts.size() - 1);
}

}  // namespace sof::metrics
