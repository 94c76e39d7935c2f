#include "actors/followup/phrasing.hpp"

#include "base/text/stem.hpp"
#include "base/text/words.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

namespace sof::followup {

namespace {

// Words that open a noun phrase, and how the interviewer says them back.
std::string_view readdress(std::string_view det) {
  if (det == "the" || det == "a" || det == "an") return det;
  if (det == "our" || det == "my" || det == "your") return "your";
  if (det == "this" || det == "these") return "the";
  return {};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::set<std::string> content_stems(std::string_view text) {
  std::set<std::string> out;
  for (const auto& t : tokenize(text))
    if (t.size() >= 3 && !text::is_function_or_vague(t)) out.insert(text::stem(t));
  return out;
}

std::vector<std::string> turn_tokens(
  std::span<const grading::transcript_line> lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    auto t = tokenize(l.text);
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

// Third person singular verb -> base form ("handles" -> "handle",
// "clarifies" -> "clarify", "addresses" -> "address"). Empty when the word
// does not look like such a verb, so the caller can fall back.
std::string base_verb(std::string_view w) {
  static constexpr std::array<std::string_view, 6> not_verbs{
    "is", "has", "was", "does", "its", "this"};
  if (w.size() < 4 || w.back() != 's' || w.ends_with("ss")) return {};
  if (std::find(not_verbs.begin(), not_verbs.end(), w) != not_verbs.end())
    return {};
  if (w.ends_with("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  for (std::string_view e : {"sses", "shes", "ches", "xes", "zzes"})
    if (w.ends_with(e)) return std::string(w.substr(0, w.size() - 2));
  return std::string(w.substr(0, w.size() - 1));
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && (cur.back() == '\'' || cur.back() == '-'))
      cur.pop_back();
    // Possessives match their noun: "seat's" is about the seat.
    if (cur.size() > 2 && cur.ends_with("'s")) cur.resize(cur.size() - 2);
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c))
      cur += static_cast<char>(std::tolower(c));
    else if ((ch == '\'' || ch == '-') && !cur.empty())
      cur += ch;
    else
      flush();
  }
  flush();
  return out;
}

int count_words(std::span<const grading::transcript_line> lines) {
  int n = 0;
  for (const auto& l : lines) {
    bool in_word = false;
    for (char c : l.text) {
      bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
      if (!space && !in_word) ++n;
      in_word = !space;
    }
  }
  return n;
}

std::string hook_phrase(std::span<const grading::transcript_line> lines,
                        std::string_view target_text) {
  auto target = content_stems(target_text);
  auto toks = turn_tokens(lines);
  std::string best;
  int best_score = 0;
  for (size_t i = 0; i < toks.size(); ++i) {
    auto det = readdress(toks[i]);
    if (det.empty()) continue;
    std::vector<std::string> words;
    int shared = 0;
    // At most three words, stopping at the first function word or a word
    // that reads like a verb or adverb ("expired", "quickly"): what follows
    // a determiner up to there is very likely the noun phrase itself.
    for (size_t j = i + 1; j < toks.size() && words.size() < 3; ++j) {
      const auto& w = toks[j];
      if (text::is_function_or_vague(w) || w.size() < 2) break;
      if (!words.empty() && (w.ends_with("ed") || w.ends_with("ly"))) break;
      if (std::isdigit(static_cast<unsigned char>(w[0]))) break;
      words.push_back(w);
      if (w.size() >= 3 && target.contains(text::stem(w))) ++shared;
    }
    if (shared == 0) continue;
    // More shared words wins; on a tie the later mention, because that is
    // what the candidate said most recently.
    int score = shared * 10 + static_cast<int>(words.size());
    if (score >= best_score) {
      best_score = score;
      best = std::string(det);
      for (const auto& w : words) best += " " + w;
    }
  }
  return best;
}

int overlap(std::span<const grading::transcript_line> lines,
            std::string_view target_text) {
  auto target = content_stems(target_text);
  std::set<std::string> said;
  for (const auto& t : turn_tokens(lines))
    if (t.size() >= 3 && !text::is_function_or_vague(t) && target.contains(text::stem(t)))
      said.insert(text::stem(t));
  return static_cast<int>(said.size());
}

std::string narrow_question(std::string_view point_description) {
  // The head of a rubric point is the part before its elaboration
  // ("Defines the purchase-page hold: seats are reserved ..."): it names
  // the step without giving the answer away.
  auto end = point_description.find_first_of(":;(,");
  auto head = point_description.substr(0, end);
  auto words = tokenize(head);
  if (words.empty() || words.size() > 12) return {};
  auto verb = base_verb(words.front());
  if (verb.empty()) return {};
  std::string out = "how would you " + verb;
  // Re-tokenising lost the original punctuation inside the head (hyphens
  // survive), which is fine for a spoken question.
  for (size_t i = 1; i < words.size(); ++i) {
    const auto& w = words[i];
    if (w == "their" || w == "candidate's") out += " your";
    else if (w == "they" || w == "them") out += " you";
    else if (w == "themselves") out += " yourself";
    else out += " " + w;
  }
  return out + "?";
}

bool sounds_unsure(std::span<const grading::transcript_line> lines) {
  std::string raw;
  for (const auto& l : lines) raw += " " + l.text;
  // Typographic apostrophes come through some STT providers.
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw.compare(i, 3, "\xE2\x80\x99") == 0) {
      text += '\'';
      i += 2;
    } else {
      text += raw[i];
    }
  }
  text = normalize(text);
  static constexpr auto cues = std::to_array<std::string_view>({
    "not sure", "don't know", "dont know", "do not know", "no idea",
    "not familiar", "i'm stuck", "im stuck", "not certain", "can't remember",
    "cannot remember", "no clue", "haven't thought", "never worked with",
    "i'm blanking", "don't remember"});
  return std::any_of(cues.begin(), cues.end(), [&](std::string_view c) {
    return text.find(c) != std::string::npos;
  });
}

uint64_t stable_hash(std::string_view s) {
  uint64_t h = 14695981039346656037ull;  // FNV offset basis
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string spoken_minutes(double seconds) {
  static constexpr std::array<std::string_view, 11> words{
    "zero", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten"};
  auto m = static_cast<long>(std::lround(seconds / 60.0));
  if (m <= 1) return "a minute";
  if (m < static_cast<long>(words.size()))
    return std::string(words[static_cast<size_t>(m)]) + " minutes";
  return std::to_string(m) + " minutes";
}

std::string normalize(std::string_view text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace sof::followup
