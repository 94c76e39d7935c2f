#include "actors/providers/stt/lm/ngram_builder.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace sof::stt::lm {
namespace {

constexpr double unigram_floor = 0.1;  // add-k for unigrams: no zero mass
const std::string bos = "<s>";
const std::string eos = "</s>";

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}

double log10_clamped(double p) {
  return p > 0 ? std::log10(p) : -99.0;
}

}  // namespace

void ngram_builder::add(const sentence& words, std::size_t repeat) {
  if (words.empty() || repeat == 0)
    return;
  const double r = static_cast<double>(repeat);
  std::vector<std::string> seq;
  seq.reserve(words.size() + 2);
  seq.push_back(bos);
  seq.insert(seq.end(), words.begin(), words.end());
  seq.push_back(eos);
  for (std::size_t i = 1; i < seq.size(); ++i) {
    uni_[seq[i]] += r;
    tokens_ += r;
    if (bi_[{seq[i - 1], seq[i]}] == 0)
      ++bi_types_[seq[i - 1]];
    bi_[{seq[i - 1], seq[i]}] += r;
    bi_hist_[seq[i - 1]] += r;
    if (i >= 2) {
      gram h{seq[i - 2], seq[i - 1]};
      if (tri_[{seq[i - 2], seq[i - 1], seq[i]}] == 0)
        ++tri_types_[h];
      tri_[{seq[i - 2], seq[i - 1], seq[i]}] += r;
      tri_hist_[h] += r;
    }
  }
  sentences_ += repeat;
}

double ngram_builder::p1(const std::string& w) const {
  auto i = uni_.find(w);
  double c = i == uni_.end() ? 0 : i->second;
  return (c + unigram_floor)
         / (tokens_ + unigram_floor * static_cast<double>(uni_.size()));
}

double ngram_builder::bow1(const std::string& h) const {
  auto hist = bi_hist_.find(h);
  if (hist == bi_hist_.end())
    return 1.0;
  double seen_mass = 0;
  for (auto i = bi_.lower_bound({h}); i != bi_.end() && i->first[0] == h; ++i)
    seen_mass += p1(i->first[1]);
  double freed = discount_ * static_cast<double>(bi_types_.at(h)) / hist->second;
  return freed / std::max(1e-9, 1.0 - seen_mass);
}

double ngram_builder::p2(const std::string& h, const std::string& w) const {
  auto i = bi_.find({h, w});
  if (i != bi_.end())
    return (i->second - discount_) / bi_hist_.at(h);
  return bow1(h) * p1(w);
}

double ngram_builder::bow2(const std::string& h1, const std::string& h2) const {
  gram h{h1, h2};
  auto hist = tri_hist_.find(h);
  if (hist == tri_hist_.end())
    return 1.0;
  double seen_mass = 0;
  for (auto i = tri_.lower_bound(h);
       i != tri_.end() && i->first[0] == h1 && i->first[1] == h2; ++i)
    seen_mass += p2(h2, i->first[2]);
  double freed = discount_ * static_cast<double>(tri_types_.at(h)) / hist->second;
  return freed / std::max(1e-9, 1.0 - seen_mass);
}

double ngram_builder::probability(const std::vector<std::string>& history,
                                  const std::string& word) const {
  if (history.size() >= 2) {
    const auto& h1 = history[history.size() - 2];
    const auto& h2 = history.back();
    if (auto i = tri_.find({h1, h2, word}); i != tri_.end())
      return (i->second - discount_) / tri_hist_.at({h1, h2});
    return bow2(h1, h2) * p2(h2, word);
  }
  if (history.size() == 1)
    return p2(history.back(), word);
  return p1(word);
}

std::set<std::string> ngram_builder::vocabulary() const {
  std::set<std::string> out;
  for (const auto& [w, _] : uni_)
    if (w != eos)
      out.insert(w);
  return out;
}

std::string ngram_builder::arpa() const {
  assert(discount_ > 0 && discount_ < 1);
  std::string out = "\\data\\\n";
  out += "ngram 1=" + std::to_string(uni_.size() + 1) + "\n";
  out += "ngram 2=" + std::to_string(bi_.size()) + "\n";
  out += "ngram 3=" + std::to_string(tri_.size()) + "\n\n\\1-grams:\n";
  // <s> is never predicted, only a context.
  out += "-99.000000\t" + bos + "\t" + fmt(log10_clamped(bow1(bos))) + "\n";
  for (const auto& [w, _] : uni_) {
    out += fmt(log10_clamped(p1(w))) + "\t" + w;
    if (bi_hist_.count(w))
      out += "\t" + fmt(log10_clamped(bow1(w)));
    out += "\n";
  }
  out += "\n\\2-grams:\n";
  for (const auto& [g, _] : bi_) {
    out += fmt(log10_clamped(p2(g[0], g[1]))) + "\t" + g[0] + " " + g[1];
    if (tri_hist_.count(g))
      out += "\t" + fmt(log10_clamped(bow2(g[0], g[1])));
    out += "\n";
  }
  out += "\n\\3-grams:\n";
  for (const auto& [g, c] : tri_)
    out += fmt(log10_clamped((c - discount_) / tri_hist_.at({g[0], g[1]})))
           + "\t" + g[0] + " " + g[1] + " " + g[2] + "\n";
  out += "\n\\end\\\n";
  return out;
}

}  // namespace sof::stt::lm
