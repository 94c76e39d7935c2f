#include "retrieval/text.hpp"

#include "base/text/stem.hpp"
#include "base/text/words.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace sof::retrieval {

std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<word_token> tokenize_words(std::string_view text) {
  std::vector<word_token> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && cur.size() <= 40 && !text::is_stopword(cur)) {
      // Pure numbers longer than 4 digits are mostly noise (ids, sizes).
      bool digits = std::all_of(cur.begin(), cur.end(),
                                [](char c) { return c >= '0' && c <= '9'; });
      if (!(digits && cur.size() > 4)) {
        auto stem = digits ? cur : text::stem(cur);
        out.push_back({std::move(cur), std::move(stem)});
      }
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

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  for (auto& t : tokenize_words(text))
    out.push_back(std::move(t.stem));
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
