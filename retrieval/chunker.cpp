#include "retrieval/chunker.hpp"

#include "retrieval/text.hpp"

#include <cctype>
#include <utility>

namespace sof::retrieval {

namespace {

struct block {
  std::string text;
  std::size_t words = 0;
};

struct section {
  std::string heading;
  std::vector<block> blocks;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Level of an ATX heading line ("## Foo" -> 2), 0 when not a heading.
int heading_level(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '#')
    ++n;
  if (n == 0 || n > 6 || n >= line.size() || line[n] != ' ')
    return 0;
  return static_cast<int>(n);
}

bool is_fence(std::string_view line) {
  auto t = trim(line);
  return t.starts_with("```") || t.starts_with("~~~");
}

// A list item or line that is nothing but a link ("* [Wikipedia](http...)"):
// reading lists and tables of contents are not content worth citing.
bool is_link_only(std::string_view line) {
  auto t = trim(line);
  while (!t.empty() && (t.front() == '*' || t.front() == '-' || t.front() == '+'))
    t = trim(t.substr(1));
  if (t.size() < 4 || t.front() != '[' || t.back() != ')')
    return false;
  auto mid = t.find("](");
  return mid != std::string_view::npos && t.find("](", mid + 2) == std::string_view::npos;
}

bool is_table_rule(std::string_view line) {
  auto t = trim(line);
  if (t.empty())
    return false;
  for (char c : t)
    if (c != '|' && c != '-' && c != ':' && c != ' ')
      return false;
  return t.find('-') != std::string_view::npos;
}

// `text` in consecutive pieces of at most `n` words, cut at whitespace.
std::vector<std::string_view> cut_between_words(std::string_view text, std::size_t n) {
  std::vector<std::string_view> out;
  std::size_t words = 0, start = 0, i = 0;
  bool in_word = false;
  for (; i < text.size(); ++i) {
    bool ws = std::isspace(static_cast<unsigned char>(text[i])) != 0;
    if (!ws && !in_word && ++words > n) {
      out.push_back(trim(text.substr(start, i - start)));
      start = i;
      words = 1;
    }
    in_word = !ws;
  }
  if (start < text.size())
    out.push_back(trim(text.substr(start)));
  return out;
}

// Long blocks are cut at sentence ends into pieces of about `target` words;
// a single sentence over `max` words is cut between words.
std::vector<block> split_long(const block& b, std::size_t target, std::size_t max) {
  std::vector<block> out;
  block cur;
  std::size_t start = 0;
  const std::string& s = b.text;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    bool end = i == s.size() ||
               ((s[i] == '.' || s[i] == '?' || s[i] == '!' || s[i] == '\n') &&
                (i + 1 == s.size() || std::isspace(static_cast<unsigned char>(s[i + 1]))));
    if (!end)
      continue;
    auto sentence = trim(std::string_view(s).substr(start, std::min(i + 1, s.size()) - start));
    start = i + 1;
    if (sentence.empty())
      continue;
    auto w = count_words(sentence);
    if (w > max) {
      // A "sentence" with no end in sight (a list without full stops, text
      // out of a PDF) is cut between words, or it would become a passage
      // of any length (found by fuzz_markdown).
      if (cur.words > 0)
        out.push_back(std::exchange(cur, {}));
      for (auto piece : cut_between_words(sentence, max))
        out.push_back({std::string{piece}, count_words(piece)});
      continue;
    }
    if (cur.words > 0 && cur.words + w > target) {
      out.push_back(std::move(cur));
      cur = {};
    }
    if (!cur.text.empty())
      cur.text += ' ';
    cur.text.append(sentence);
    cur.words += w;
  }
  if (cur.words > 0)
    out.push_back(std::move(cur));
  return out;
}

std::vector<section> parse_markdown(std::string_view body) {
  std::vector<section> sections(1);
  std::vector<std::string> path;  // heading stack below the title (level >= 2)
  block cur;
  bool fenced = false;
  bool cur_is_list = false;
  auto flush = [&] {
    auto t = std::string(trim(cur.text));
    if (!t.empty())
      sections.back().blocks.push_back({t, count_words(t)});
    cur = {};
    cur_is_list = false;
  };
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto nl = body.find('\n', pos);
    if (nl == std::string_view::npos)
      nl = body.size();
    std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (is_fence(line)) {
      fenced = !fenced;
      cur.text += std::string(line) + '\n';
      continue;
    }
    if (fenced) {
      cur.text += std::string(line) + '\n';
      continue;
    }
    if (int level = heading_level(line); level > 0) {
      flush();
      auto text = squash_whitespace(strip_inline_markup(line.substr(level + 1)));
      if (level >= 2) {
        path.resize(static_cast<std::size_t>(level - 1));
        path[level - 2] = text;
      } else {
        path.clear();
      }
      std::string joined;
      for (const auto& h : path)
        if (!h.empty())
          joined += (joined.empty() ? "" : " > ") + h;
      sections.push_back({joined, {}});
      continue;
    }
    auto t = trim(line);
    if (t.empty() || is_link_only(t) || is_table_rule(t) || t == "---" ||
        t == "***") {
      if (t.empty())
        flush();
      continue;
    }
    bool list_item = t.starts_with("* ") || t.starts_with("- ") ||
                     t.starts_with("+ ") || t.starts_with("|") ||
                     (std::isdigit(static_cast<unsigned char>(t.front())) &&
                      t.find(". ") != std::string_view::npos &&
                      t.find(". ") < 4);
    auto clean = squash_whitespace(strip_inline_markup(t));
    if (clean.empty())
      continue;
    if (list_item || cur_is_list) {
      // Keep list items and table rows on their own lines: they read as a list.
      if (!cur.text.empty())
        cur.text += '\n';
      cur_is_list = cur_is_list || list_item;
    } else if (!cur.text.empty()) {
      cur.text += ' ';
    }
    cur.text += clean;
  }
  flush();
  return sections;
}

std::vector<section> parse_plain(std::string_view body, bool pdf) {
  // Plain text and PDF have no reliable structure beyond paragraphs; PDF
  // pages become sections so a citation can say which page it came from.
  std::vector<section> sections;
  std::size_t page = 1, pos = 0;
  sections.push_back({pdf ? "page 1" : "", {}});
  block cur;
  auto flush = [&] {
    auto t = squash_whitespace(cur.text);
    if (!t.empty())
      sections.back().blocks.push_back({t, count_words(t)});
    cur = {};
  };
  while (pos <= body.size()) {
    auto nl = body.find('\n', pos);
    if (nl == std::string_view::npos)
      nl = body.size();
    std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (auto ff = line.find('\f'); ff != std::string_view::npos) {
      cur.text.append(line.substr(0, ff));
      flush();
      sections.push_back({pdf ? "page " + std::to_string(++page) : "", {}});
      line = line.substr(ff + 1);
    }
    if (trim(line).empty()) {
      flush();
      continue;
    }
    cur.text += std::string(line) + ' ';
  }
  flush();
  return sections;
}

}  // namespace

std::string markdown_title(std::string_view body) {
  std::size_t pos = 0;
  bool fenced = false;
  while (pos < body.size()) {
    auto nl = body.find('\n', pos);
    if (nl == std::string_view::npos)
      nl = body.size();
    auto line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (is_fence(line))
      fenced = !fenced;
    else if (!fenced && heading_level(line) == 1)
      return squash_whitespace(strip_inline_markup(line.substr(2)));
  }
  return {};
}

std::vector<passage> chunk_document(const document& doc,
                                    const chunk_options& opts) {
  auto title = doc.title.empty() && doc.format == doc_format::markdown
                 ? markdown_title(doc.body)
                 : doc.title;
  auto sections = doc.format == doc_format::markdown
                    ? parse_markdown(doc.body)
                    : parse_plain(doc.body, doc.format == doc_format::pdf);
  std::vector<passage> out, short_ones;
  for (auto& sec : sections) {
    std::vector<block> pieces;
    for (auto& b : sec.blocks) {
      if (b.words > opts.max_words)
        for (auto& p : split_long(b, opts.target_words, opts.max_words))
          pieces.push_back(std::move(p));
      else
        pieces.push_back(std::move(b));
    }
    std::vector<block> packed;
    block cur;
    for (auto& p : pieces) {
      if (cur.words > 0 &&
          (cur.words >= opts.target_words || cur.words + p.words > opts.max_words)) {
        packed.push_back(std::move(cur));
        cur = {};
      }
      if (!cur.text.empty())
        cur.text += "\n\n";
      cur.text += p.text;
      cur.words += p.words;
    }
    if (cur.words > 0) {
      // A short tail joins the previous passage of its section if it fits,
      // so no passage is a lonely sentence cut off from its context.
      if (!packed.empty() && cur.words < opts.target_words / 3 &&
          packed.back().words + cur.words <= opts.max_words) {
        packed.back().text += "\n\n" + cur.text;
        packed.back().words += cur.words;
      } else {
        packed.push_back(std::move(cur));
      }
    }
    for (auto& b : packed) {
      if (b.words < opts.min_words_short_doc)
        continue;
      (b.words < opts.min_words ? short_ones : out)
        .push_back({doc.source, title, sec.heading.empty() ? title : sec.heading,
                    std::move(b.text), doc.attribution});
    }
  }
  return out.empty() ? short_ones : out;
}

}  // namespace sof::retrieval
