#pragma once
// The grading sets. The *calibration* set (tests/data/grading/manifest.json,
// 6 questions x strong / partial / weak / off-topic) is what the engine's
// settings were chosen on. The *validation* set (tests/data/grading/
// validation/, written blind of the rubrics and the grader) is never used
// for tuning: bank questions with hand rubrics (bank/) and ad-hoc
// questions graded from their text alone (adhoc/). Shared by the tests
// (which assert ordering and verdicts) and bench/grading/eval_grading
// (which prints the figures in docs/BENCHMARKS.md).
#include "actors/grading/rubric_engine.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>
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
  std::string style = "spoken";  // "spoken" or "notes" (pasted markdown)
  std::string question_text;     // ad-hoc answers: the question asked
};

inline std::string data_dir() {
  return std::string(SOF_SOURCE_DIR) + "/tests/data/grading";
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p);
  if (!f)
    throw std::runtime_error("cannot open " + p.string());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::vector<answer> load() {
  std::ifstream in(data_dir() + "/manifest.json");
  if (!in)
    throw std::runtime_error("cannot open " + data_dir() + "/manifest.json");
  auto j = nlohmann::json::parse(in);
  std::vector<answer> out;
  for (const auto& a : j.at("answers")) {
    answer x;
    x.question = a.at("question");
    x.level = a.at("level");
    x.file = a.at("file");
    x.style = a.value("style", "spoken");
    x.text = read_text(data_dir() + "/" + x.file);
    out.push_back(std::move(x));
  }
  return out;
}

/// The validation answers under validation/<kind> ("bank" or "adhoc"), one
/// folder per question, the level from the file name: strong-spoken.txt and
/// strong-notes.md are strong, partial.txt partial, thin.txt and
/// buzzwords.txt weak. An ad-hoc folder's question.txt is the question.
inline std::vector<answer> load_validation(const std::string& kind) {
  namespace fs = std::filesystem;
  static const std::vector<std::tuple<std::string, std::string, std::string>> files = {
    {"strong-spoken.txt", "strong", "spoken"}, {"strong-notes.md", "strong", "notes"},
    {"partial.txt", "partial", "spoken"},       {"thin.txt", "weak", "spoken"},
    {"buzzwords.txt", "weak", "spoken"}};
  const fs::path root = fs::path(data_dir()) / "validation" / kind;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory())
      dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<answer> out;
  for (const auto& d : dirs) {
    std::string qtext;
    if (fs::exists(d / "question.txt")) {
      qtext = read_text(d / "question.txt");
      while (!qtext.empty() && std::isspace(static_cast<unsigned char>(qtext.back())))
        qtext.pop_back();
    }
    for (const auto& [name, level, style] : files) {
      if (!fs::exists(d / name))
        continue;
      answer a{d.filename().string(), level,
               "validation/" + kind + "/" + d.filename().string() + "/" + name,
               read_text(d / name), style, qtext};
      out.push_back(std::move(a));
    }
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
