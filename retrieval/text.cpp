#include "retrieval/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

namespace sof::retrieval {

std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

namespace {

const std::unordered_set<std::string_view>& stopwords() {
  // Function words only: domain words such as "system" or "data" are kept
  // because IDF already discounts them where they are common.
  static const std::unordered_set<std::string_view> words = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am",
    "an", "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "either", "etc", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "me", "might", "more", "most", "must", "my",
    "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours", "e", "g", "eg", "ie", "via", "may",
    "use", "used", "using", "one", "way", "s", "t", "let", "lets"};
  return words;
}

bool ends_with(const std::string& w, std::string_view suffix) {
  return w.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), w.rbegin());
}

}  // namespace

bool is_stopword(std::string_view word) {
  return stopwords().count(word) != 0;
}

std::string stem(std::string w) {
  if (w.size() <= 3)
    return w;
  auto chop = [&](std::size_t n) { w.resize(w.size() - n); };
  if (ends_with(w, "sses"))
    chop(2);
  else if (ends_with(w, "ies") && w.size() > 4)
    chop(3), w += 'y';
  else if (ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us") &&
           !ends_with(w, "is"))
    chop(1);
  // Derivational endings, longest first; each requires a stem of >= 4
  // letters left so short words ("ring", "need") survive.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9>
    rules = {{{"ization", "ize"}, {"ational", "ate"}, {"ation", "ate"},
              {"ness", ""}, {"ment", ""}, {"ingly", ""}, {"ing", ""},
              {"edly", ""}, {"ed", ""}}};
  for (auto [suffix, repl] : rules) {
    if (ends_with(w, suffix) && w.size() - suffix.size() >= 4) {
      chop(suffix.size());
      w += repl;
      break;
    }
  }
  if (ends_with(w, "ly") && w.size() >= 6)
    chop(2);
  if (ends_with(w, "y") && w.size() >= 5 && !ends_with(w, "ay") &&
      !ends_with(w, "ey") && !ends_with(w, "oy"))
    w.back() = 'i';  // "consistency"/"consistencies" -> "consistenci"
  if (ends_with(w, "e") && w.size() >= 5)
    chop(1);  // "scale"/"scaled"/"scaling" -> "scal"
  // Collapse a doubled final consonant left by -ed/-ing ("shardded" rare,
  // "mapping" -> "mapp" -> "map").
  if (w.size() >= 4 && w.back() == w[w.size() - 2] &&
      std::string_view("bdgmnpt").find(w.back()) != std::string_view::npos)
    chop(1);
  return w;
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && cur.size() <= 40 && !is_stopword(cur)) {
      // Pure numbers longer than 4 digits are mostly noise (ids, sizes).
      bool digits = std::all_of(cur.begin(), cur.end(),
                                [](char c) { return c >= '0' && c <= '9'; });
      if (!(digits && cur.size() > 4))
        out.push_back(digits ? cur : stem(cur));
    }
    cur.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c))
      cur += static_cast<char>(std::tolower(c));
    else
      flush();
  }
  flush();
  return out;
}

std::string strip_inline_markup(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    char c = in[i];
    if (c == '!' && i + 1 < in.size() && in[i + 1] == '[') {
      // Image: drop alt text and target entirely.
      auto close = in.find(']', i);
      if (close != std::string_view::npos && close + 1 < in.size() &&
          in[close + 1] == '(') {
        auto end = in.find(')', close);
        if (end != std::string_view::npos) {
          i = end + 1;
          continue;
        }
      }
    }
    if (c == '[') {
      auto close = in.find(']', i);
      if (close != std::string_view::npos && close + 1 < in.size() &&
          in[close + 1] == '(') {
        auto end = in.find(')', close);
        if (end != std::string_view::npos) {
          out.append(in.substr(i + 1, close - i - 1));
          i = end + 1;
          continue;
        }
      }
    }
    if (c == '<') {
      // An HTML tag (<p align="center">, <img ...>, <br/>): drop it.
      auto end = in.find('>', i);
      if (end != std::string_view::npos && end - i < 300 && i + 1 < in.size() &&
          (std::isalpha(static_cast<unsigned char>(in[i + 1])) ||
           in[i + 1] == '/' || in[i + 1] == '!')) {
        i = end + 1;
        continue;
      }
    }
    if (c == '*' || c == '`' || (c == '_' && i + 1 < in.size() && in[i + 1] == '_')) {
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string squash_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space)
        out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::size_t count_words(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    bool ws = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!ws && !in_word)
      ++n;
    in_word = !ws;
  }
  return n;
}

}  // namespace sof::retrieval
