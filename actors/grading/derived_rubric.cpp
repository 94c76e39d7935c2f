#include "actors/grading/derived_rubric.hpp"

#include "actors/grading/rubric_engine.hpp"
#include "retrieval/text.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace sof::grading {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto* ws = " \t\n\r,.:;?!\"'";
  auto a = s.find_first_not_of(ws);
  if (a == std::string_view::npos)
    return {};
  auto b = s.find_last_not_of(ws);
  return std::string(s.substr(a, b - a + 1));
}

bool has_word(const std::string& text, std::string_view word) {
  std::size_t pos = 0;
  while ((pos = text.find(word, pos)) != std::string::npos) {
    const bool left = pos == 0 || !std::isalpha(static_cast<unsigned char>(text[pos - 1]));
    const auto end = pos + word.size();
    const bool right = end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
    if (left && right)
      return true;
    pos = end;
  }
  return false;
}

// A clause that tells the candidate what to do, or only names the system
// (the topic, which relevance grades), asks for nothing specific.
bool instruction(const std::string& clause) {
  const auto l = lower(clause);
  return has_word(l, "you") || has_word(l, "your") || l.rfind("design ", 0) == 0
         || l.rfind("how ", 0) == 0 || l.rfind("explain ", 0) == 0
         || l.rfind("describe ", 0) == 0 || l.rfind("walk me ", 0) == 0;
}

}  // namespace

std::vector<std::string> question_clauses(std::string_view text) {
  const std::string t = retrieval::squash_whitespace(std::string(text));
  std::vector<std::string> pieces;
  std::string cur;
  auto cut = [&] {
    if (auto c = trim(cur); !c.empty())
      pieces.push_back(std::move(c));
    cur.clear();
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const bool at_space = i + 1 >= t.size() || t[i + 1] == ' ';
    // ". " ends a sentence; "bit.ly" and "10:00" do not.
    if ((c == '.' || c == '?' || c == '!') && at_space) {
      cut();
      continue;
    }
    if ((c == ':' || c == ';') && at_space) {
      cut();
      continue;
    }
    if (c == ',' && t.compare(i, 6, ", and ") == 0) {
      cut();
      i += 5;
      continue;
    }
    cur += c;
  }
  cut();
  std::vector<std::string> out;
  for (auto& p : pieces)
    if (!instruction(p) && retrieval::tokenize(p).size() >= 2)
      out.push_back(std::move(p));
  return out;
}

config::question question_from_text(const std::string& text, const config::question& generic,
                                    const citation_hook& hook, const term_specificity& spec,
                                    const derive_options& opts) {
  config::question q = generic;
  q.id = "custom";
  q.derived = true;
  q.title = text.size() > 60 ? text.substr(0, 57) + "..." : text;
  q.prompt = text;
  q.source.clear();
  auto phase_or_last = [&](const std::string& phase) {
    if (std::find(q.phases.begin(), q.phases.end(), phase) != q.phases.end())
      return phase;
    return q.phases.empty() ? std::string{} : q.phases.back();
  };

  // The question's own asks: an answer that never handles them has not
  // answered this question, however much generic design it explains.
  auto arch = std::find_if(q.dimensions.begin(), q.dimensions.end(),
                           [](const auto& d) { return d.name == "architecture"; });
  if (arch != q.dimensions.end()) {
    int n = 0;
    for (const auto& clause : question_clauses(text)) {
      if (static_cast<std::size_t>(n) >= opts.clause_points)
        break;
      config::rubric_point p;
      p.id = "ask-" + std::to_string(++n);
      p.point = "Handles what the question asks: " + clause;
      p.weight = 2;
      p.phase = phase_or_last("high_level");
      p.phrasings = {clause};
      p.followup = "How does your design handle this: " + clause + "?";
      arch->points.push_back(std::move(p));
    }
  }
  if (!hook)
    return q;

  const auto question_terms = spec ? weigh_terms(text, spec) : term_vector{};
  // Focus words steer each query towards what that dimension grades.
  static const std::vector<std::pair<std::string, std::string>> focus = {
    {"architecture", "components services api design"},
    {"data", "database storage data model consistency"},
    {"scalability", "scaling caching sharding load balancing"},
    {"reliability", "failure availability replication failover"}};
  std::unordered_set<std::string> seen;
  for (const auto& [dim_name, words] : focus) {
    auto it = std::find_if(q.dimensions.begin(), q.dimensions.end(),
                           [&](const auto& d) { return d.name == dim_name; });
    if (it == q.dimensions.end())
      continue;
    std::size_t added = 0;
    for (const auto& c : hook(text + " " + words, opts.kb_candidates)) {
      if (added >= opts.kb_points || !seen.insert(c.source + "#" + c.heading).second)
        continue;
      auto leaf = c.heading.substr(c.heading.rfind('>') == std::string::npos
                                     ? 0 : c.heading.rfind('>') + 1);
      leaf = retrieval::squash_whitespace(leaf);
      if (leaf.empty())
        continue;
      int weight = 2;
      if (spec) {
        // How much of the passage is about this question rather than about
        // system design at large.
        const double specificity = weigh_terms(c.heading + " " + c.text, spec).dot(question_terms);
        if (specificity < opts.kb_min_specificity)
          continue;
        weight = specificity >= opts.kb_strong_specificity ? 2 : 1;
      }
      config::rubric_point p;
      p.id = "kb-" + dim_name + "-" + std::to_string(++added);
      p.point = "Applies " + leaf + " to this problem (" + excerpt(c.text, 1, 160) + ")";
      p.weight = weight;
      p.phase = phase_or_last(dim_name == "architecture" ? "high_level" : "deep_dive");
      // Sentences of the passage are how a knowledgeable candidate talks
      // about the topic; they stand in for hand-written phrasings.
      std::string body = c.text;
      for (int i = 0; i < 3 && !body.empty(); ++i) {
        auto s = excerpt(body, 1, 220);
        if (s.empty())
          break;
        p.phrasings.push_back(s);
        auto pos = body.find(s.substr(0, std::min<std::size_t>(s.size(), 20)));
        if (pos == std::string::npos || pos + s.size() >= body.size())
          break;
        body = body.substr(pos + s.size());
      }
      p.followup = "How does " + leaf + " apply to your design?";
      it->points.push_back(std::move(p));
    }
  }
  return q;
}

}  // namespace sof::grading
