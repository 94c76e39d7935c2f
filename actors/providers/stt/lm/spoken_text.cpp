#include "actors/providers/stt/lm/spoken_text.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <map>

namespace sof::stt::lm {
namespace {

constexpr std::array<const char*, 20> ones{
  "zero",    "one",     "two",       "three",    "four",
  "five",    "six",     "seven",     "eight",    "nine",
  "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<const char*, 10> tens{
  "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
  "ninety"};

std::string number_words(uint64_t n) {
  if (n < 20)
    return ones[n];
  if (n < 100)
    return std::string{tens[n / 10]}
           + (n % 10 == 0 ? "" : std::string{" "} + ones[n % 10]);
  static constexpr std::array<std::pair<uint64_t, const char*>, 4> scales{
    {{1000000000ull, "billion"},
     {1000000ull, "million"},
     {1000ull, "thousand"},
     {100ull, "hundred"}}};
  for (auto [value, name] : scales)
    if (n >= value) {
      auto head = number_words(n / value) + " " + name;
      auto rest = n % value;
      return rest == 0 ? head : head + " " + number_words(rest);
    }
  return {};
}

// Units and symbols as spoken in an interview answer.
const std::map<std::string, std::string>& suffixes() {
  static const std::map<std::string, std::string> m{
    {"k", "thousand"},     {"m", "million"},     {"b", "billion"},
    {"ms", "milliseconds"}, {"s", "seconds"},     {"gb", "gigabytes"},
    {"tb", "terabytes"},   {"mb", "megabytes"},  {"kb", "kilobytes"},
    {"pb", "petabytes"},   {"x", "times"},       {"th", ""},
    {"st", ""},            {"nd", ""},           {"rd", ""},
    {"%", "percent"}};
  return m;
}

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

void append_words(sentence& out, const std::string& spaced) {
  for (auto& w : split_on(spaced, ' '))
    out.push_back(std::move(w));
}

// One token (no spaces) into `out`; false when the token cannot be spoken
// (code, symbols), which drops its sentence.
bool add_token(std::string tok, sentence& out) {
  while (!tok.empty() && std::string_view{".!?;:'"}.find(tok.back())
                           != std::string_view::npos)
    tok.pop_back();
  while (!tok.empty() && std::string_view{"'"}.find(tok.front())
                           != std::string_view::npos)
    tok.erase(0, 1);
  if (tok.empty())
    return true;
  if (is_digit(tok.front())) {
    std::size_t i = 0;
    std::string num;
    while (i < tok.size() && (is_digit(tok[i]) || tok[i] == ',' || tok[i] == '.'))
      num += tok[i++];
    std::string suffix;
    for (; i < tok.size(); ++i)
      suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(tok[i])));
    auto spelled = spell_number(num);
    auto s = suffixes().find(suffix);
    if (spelled.empty() || (!suffix.empty() && s == suffixes().end()))
      return false;
    append_words(out, spelled);
    if (!suffix.empty())
      append_words(out, s->second);
    return true;
  }
  // p95 / P99 -> "p ninety five": how latency percentiles are said.
  if (tok.size() == 3 && (tok[0] == 'p' || tok[0] == 'P') && is_digit(tok[1])
      && is_digit(tok[2])) {
    out.push_back("p");
    append_words(out, number_words(static_cast<uint64_t>(std::stoi(tok.substr(1)))));
    return true;
  }
  std::string w;
  int apostrophes = 0;
  for (char c : tok) {
    if (is_alpha(c))
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c == '\'' && !w.empty() && apostrophes++ == 0)
      w += c;
    else
      return false;
  }
  if (w.back() == '\'')
    return false;
  out.push_back(std::move(w));
  return true;
}

}  // namespace

std::vector<std::string> split_on(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    auto e = s.find(sep, b);
    if (e == std::string_view::npos)
      e = s.size();
    if (e > b)
      out.emplace_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

std::string spell_number(std::string_view digits) {
  std::string whole, frac;
  bool point = false;
  for (char c : digits) {
    if (c == ',')
      continue;
    if (c == '.') {
      if (point)
        return {};
      point = true;
      continue;
    }
    if (!is_digit(c))
      return {};
    (point ? frac : whole) += c;
  }
  if (whole.empty() || whole.size() > 12 || (point && frac.empty()))
    return {};
  auto out = number_words(std::stoull(whole));
  if (point) {
    out += " point";
    for (char d : frac)
      out += std::string{" "} + ones[static_cast<std::size_t>(d - '0')];
  }
  return out;
}

std::vector<sentence> spoken_sentences(std::string_view text,
                                       std::size_t min_words) {
  std::vector<sentence> out;
  sentence cur;
  bool broken = false;
  auto close = [&] {
    if (!broken && cur.size() >= min_words)
      out.push_back(std::move(cur));
    cur.clear();
    broken = false;
  };
  std::string tok;
  auto flush_token = [&] {
    if (!tok.empty() && !broken && !add_token(tok, cur))
      broken = true;
    tok.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    const bool end_mark = c == '!' || c == '?' || c == ';' || c == ':'
                          || c == '\n' || c == '(' || c == ')' || c == '['
                          || c == ']' || c == '{' || c == '}' || c == '|';
    // A full stop ends a sentence unless it sits inside a number ("2.5").
    const bool stop = c == '.'
                      && !(i > 0 && is_digit(text[i - 1]) && i + 1 < text.size()
                           && is_digit(text[i + 1]));
    if (end_mark || stop) {
      flush_token();
      close();
    } else if (std::isspace(static_cast<unsigned char>(c)) || c == '/'
               || c == '-' || c == '_' || c == ',' || c == '"' || c == '*'
               || c == '#' || c == '=' || c == '+' || c == '<' || c == '>'
               || c == '~' || c == '^') {
      // A comma inside a number ("1,000") is part of it.
      if (c == ',' && !tok.empty() && is_digit(tok.back()) && i + 1 < text.size()
          && is_digit(text[i + 1]))
        tok += c;
      else
        flush_token();
    } else if (c == '&') {
      flush_token();
      if (!broken)
        cur.push_back("and");
    } else if (c == '%') {
      tok += c;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // Typographic quotes and dashes separate words; other non-ASCII
      // text cannot be pronounced with this dictionary.
      std::string_view rest = text.substr(i);
      if (rest.starts_with("\u2019") || rest.starts_with("\u2018")) {
        tok += '\'';
        i += 2;
      } else if (rest.starts_with("\u2013") || rest.starts_with("\u2014")
                 || rest.starts_with("\u201c") || rest.starts_with("\u201d")) {
        flush_token();
        i += 2;
      } else {
        tok += c;  // makes the token unspeakable: the sentence is dropped
      }
    } else {
      tok += c;
    }
  }
  flush_token();
  close();
  return out;
}

}  // namespace sof::stt::lm
