#include "actors/grading/sentences.hpp"

#include "actors/grading/notes.hpp"

#include "base/text/wer.hpp"
#include "base/text/words.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

namespace sof::grading {

namespace {

bool is_terminator(char c) {
  return c == '.' || c == '?' || c == '!' || c == ';';
}

// Cuts `line` into raw sentence strings. A '.' between two digits or two
// letters ("2.5", "e.g") is not a sentence end.
std::vector<std::string> raw_pieces(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    cur += c;
    if (!is_terminator(c))
      continue;
    bool next_is_word = i + 1 < line.size() && std::isalnum(static_cast<unsigned char>(line[i + 1]));
    if (c == '.' && next_is_word)
      continue;
    out.push_back(std::move(cur));
    cur.clear();
  }
  out.push_back(std::move(cur));
  return out;
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty())
        out.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty())
    out.push_back(std::move(cur));
  return out;
}

const std::unordered_set<std::string_view>& connectives() {
  static const std::unordered_set<std::string_view> words = {
    "because", "so", "since", "when", "whenever", "if", "unless", "which",
    "then", "otherwise", "instead", "but", "while", "until", "therefore",
    "thus", "whereas", "means", "meaning", "after", "before", "once",
    "that", "by", "via", "through", "though", "although", "would", "will",
    "should", "can", "must", "need", "needs", "so-that", "where"};
  return words;
}

}  // namespace

std::vector<sentence> split_sentences(const std::vector<transcript_line>& lines) {
  std::vector<sentence> out;
  for (const auto& line : lines) {
    auto pieces = raw_pieces(line.text);
    std::size_t total = 0;
    std::vector<std::vector<std::string>> piece_words;
    for (const auto& p : pieces) {
      piece_words.push_back(split_ws(p));
      total += piece_words.back().size();
    }
    if (total == 0)
      continue;
    const double span = static_cast<double>(std::max<int64_t>(0, line.end_ms - line.start_ms));
    auto at = [&](std::size_t word_index) {
      return line.start_ms + static_cast<int64_t>(span * static_cast<double>(word_index) /
                                                  static_cast<double>(total));
    };
    std::size_t pos = 0;
    for (auto& words : piece_words) {
      std::size_t b = 0;
      while (b < words.size()) {
        std::size_t e = std::min(words.size(), b + max_sentence_words);
        // Do not leave a tiny tail of a run-on on its own.
        if (words.size() - e < max_sentence_words / 4)
          e = words.size();
        sentence s;
        for (std::size_t i = b; i < e; ++i)
          s.text += (i == b ? "" : " ") + words[i];
        s.words = text::normalize_words(s.text).size();
        s.notes = line.notes;
        s.start_ms = at(pos + b);
        s.end_ms = at(pos + e);
        if (s.words > 0)
          out.push_back(std::move(s));
        b = e;
      }
      pos += words.size();
    }
  }
  return out;
}

bool has_connective(std::string_view text) {
  for (const auto& w : text::normalize_words(text))
    if (connectives().count(w))
      return true;
  return false;
}

double explanation_factor(std::string_view text, double grammar_share, double no_connective) {
  auto words = text::normalize_words(text);
  const std::size_t n = words.size();
  if (n == 0)
    return 0;
  std::size_t function_words = 0;
  for (const auto& w : words)
    if (text::is_stopword(w) || connectives().count(w))
      ++function_words;
  // Spoken explanations run at 35-55% function words; a list of nouns near 0.
  const double ratio = static_cast<double>(function_words) / static_cast<double>(n);
  const double grammar = std::clamp(ratio / grammar_share, 0.0, 1.0);
  const double connective = has_connective(text) ? 1.0 : no_connective;
  const double length = n < 4 ? 0.5 : n < 8 ? 0.8 : 1.0;
  return (0.3 + 0.7 * grammar) * connective * length;
}

std::vector<std::string> structure_markers(std::string_view text) {
  auto w = text::normalize_words(text);
  std::string joined = " ";
  for (const auto& x : w)
    joined += x + " ";
  static const std::vector<std::pair<std::string, std::string>> markers = {
    {" first ", "first"},         {" firstly ", "first"},
    {" second ", "second"},       {" secondly ", "second"},
    {" then ", "then"},           {" next ", "next"},
    {" finally ", "finally"},     {" trade-off ", "trade-off"},
    {" tradeoff ", "trade-off"},  {" trade off ", "trade-off"},
    {" trade-offs ", "trade-off"}, {" tradeoffs ", "trade-off"},
    {" to recap ", "summary"},    {" to summarise ", "summary"},
    {" to summarize ", "summary"}, {" in summary ", "summary"},
    {" to sum up ", "summary"},   {" on the other hand ", "contrast"},
    {" the downside ", "contrast"}, {" let me start ", "signpost"},
    {" let's start ", "signpost"}, {" moving on ", "signpost"}};
  std::set<std::string> found;
  for (const auto& [needle, name] : markers)
    if (joined.find(needle) != std::string::npos)
      found.insert(name);
  return {found.begin(), found.end()};
}

std::vector<transcript_line> transcript_from_text(std::string_view text, double wpm,
                                                  int64_t gap_ms, bool read_notes) {
  std::vector<transcript_line> out;
  const double per_word_ms = 60000.0 / (wpm > 0 ? wpm : 150);
  int64_t t = 0;
  // Notes are read statement by statement; prose as before.
  std::vector<std::string> pieces;
  const bool notes = read_notes && looks_like_notes(text);
  if (notes) {
    for (const auto& statement : notes_statements(text))
      for (auto& p : raw_pieces(statement))
        pieces.push_back(std::move(p));
  } else {
    pieces = raw_pieces(std::string(text));
  }
  for (auto& piece : pieces) {
    auto words = split_ws(piece);
    if (words.empty())
      continue;
    transcript_line l;
    for (std::size_t i = 0; i < words.size(); ++i)
      l.text += (i ? " " : "") + words[i];
    l.notes = notes;
    l.start_ms = t;
    l.end_ms = t + static_cast<int64_t>(per_word_ms * static_cast<double>(words.size()));
    t = l.end_ms + gap_ms;
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace sof::grading
