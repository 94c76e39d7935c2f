#pragma once
// A small trigram language model estimated at run time (a question's own
// text: a few hundred sentences), written as ARPA text for sphinxbase.
// Absolute discounting with Katz-style backoff: seen n-grams keep their
// count minus D, the freed mass goes to the lower order through a backoff
// weight that makes every distribution sum to one. irstlm does this better
// for large corpora at build time; a question's text needs milliseconds.
#include "actors/providers/stt/lm/spoken_text.hpp"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sof::stt::lm {

class ngram_builder {
 public:
  /// `discount` D in (0, 1): what each seen n-gram gives to its backoff.
  explicit ngram_builder(double discount = 0.6) : discount_(discount) {}

  /// Counts one sentence (without <s> and </s>: they are added here).
  void add(const sentence& words, std::size_t repeat = 1);

  /// ARPA text of the model (1- to 3-grams, log10 probabilities).
  std::string arpa() const;

  /// Words of the model, without the sentence markers.
  std::set<std::string> vocabulary() const;

  std::size_t sentences() const { return sentences_; }

  /// P(word | history) of the written model, for tests: history is the
  /// last zero to two words (use "<s>" for the sentence start).
  double probability(const std::vector<std::string>& history,
                     const std::string& word) const;

 private:
  using gram = std::vector<std::string>;
  double p1(const std::string& w) const;
  double p2(const std::string& h, const std::string& w) const;
  double bow1(const std::string& h) const;
  double bow2(const std::string& h1, const std::string& h2) const;

  double discount_;
  std::size_t sentences_ = 0;
  std::map<std::string, double> uni_;
  std::map<gram, double> bi_;
  std::map<gram, double> tri_;
  // History counts: how often a context was followed by any word.
  std::map<std::string, double> bi_hist_;
  std::map<gram, double> tri_hist_;
  std::map<std::string, std::size_t> bi_types_;  // distinct followers
  std::map<gram, std::size_t> tri_types_;
  double tokens_ = 0;  // unigram tokens, </s> included, <s> not
};

}  // namespace sof::stt::lm
