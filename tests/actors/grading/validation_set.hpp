#pragma once
// The graded validation set (tests/data/grading/manifest.json): answers of
// known quality per question, read as speech at ~150 wpm. Shared by the
// tests (which assert ordering and verdicts) and bench/grading/eval_grading
// (which prints the figures in docs/BENCHMARKS.md).
#include "actors/grading/rubric_engine.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sof::grading::validation {

inline const std::vector<std::string>& levels() {
  static const std::vector<std::string> l = {"strong", "partial", "weak", "off-topic"};
  return l;
}

/// Rank of a level: lower is better.
inline int rank(const std::string& level) {
  for (std::size_t i = 0; i < levels().size(); ++i)
    if (levels()[i] == level)
      return static_cast<int>(i);
  throw std::runtime_error("unknown level " + level);
}

struct answer {
  std::string question;
  std::string level;
  std::string file;
  std::string text;
};

inline std::string data_dir() {
  return std::string(SOF_SOURCE_DIR) + "/tests/data/grading";
}

inline std::vector<answer> load() {
  std::ifstream in(data_dir() + "/manifest.json");
  if (!in)
    throw std::runtime_error("cannot open " + data_dir() + "/manifest.json");
  auto j = nlohmann::json::parse(in);
  std::vector<answer> out;
  for (const auto& a : j.at("answers")) {
    answer x{a.at("question"), a.at("level"), a.at("file"), {}};
    std::ifstream f(data_dir() + "/" + x.file);
    if (!f)
      throw std::runtime_error("cannot open " + x.file);
    std::stringstream ss;
    ss << f.rdbuf();
    x.text = ss.str();
    out.push_back(std::move(x));
  }
  return out;
}

struct graded {
  answer a;
  double overall = 0;
  outcome result = outcome::fail;
};

/// Pairs (a, b) with a better level than b whose overall scores are in the
/// right order (ties count as wrong), and the pair count, per question.
struct order_stats {
  int correct = 0;
  int pairs = 0;
  double accuracy() const { return pairs ? static_cast<double>(correct) / pairs : 0; }
};

inline std::map<std::string, order_stats> pairwise(const std::vector<graded>& g) {
  std::map<std::string, order_stats> out;
  for (const auto& x : g)
    for (const auto& y : g)
      if (x.a.question == y.a.question && rank(x.a.level) < rank(y.a.level)) {
        auto& s = out[x.a.question];
        ++s.pairs;
        if (x.overall > y.overall)
          ++s.correct;
      }
  return out;
}

}  // namespace sof::grading::validation
