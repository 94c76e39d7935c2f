#include "base/text/wer.hpp"

#include <algorithm>
#include <cctype>

namespace sof::text {

std::vector<std::string> normalize_words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    // Trim apostrophes that are quotes rather than part of a word.
    while (!cur.empty() && cur.back() == '\'')
      cur.pop_back();
    size_t start = 0;
    while (start < cur.size() && cur[start] == '\'')
      ++start;
    if (start < cur.size())
      words.emplace_back(cur.substr(start));
    cur.clear();
  };
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '\'' || ch >= 0x80)
      cur.push_back(static_cast<char>(std::tolower(ch)));
    else if (ch == '-' && !cur.empty())
      flush();  // "fault-tolerant" -> "fault tolerant", as recognisers emit it
    else
      flush();
  }
  flush();
  return words;
}

double wer_result::rate() const {
  if (reference_words == 0)
    return insertions == 0 ? 0.0 : 1.0;
  return static_cast<double>(errors()) / reference_words;
}

wer_result word_error_rate(std::string_view reference,
                           std::string_view hypothesis) {
  auto ref = normalize_words(reference);
  auto hyp = normalize_words(hypothesis);
  const size_t n = ref.size(), m = hyp.size();
  // cost[i][j] with back-pointers folded into per-cell (S, D, I) counts.
  struct cell {
    size_t cost, s, d, i;
  };
  std::vector<cell> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j)
    prev[j] = {j, 0, 0, j};
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = {i, 0, i, 0};
    for (size_t j = 1; j <= m; ++j) {
      bool same = ref[i - 1] == hyp[j - 1];
      cell diag = prev[j - 1];
      diag.cost += same ? 0 : 1;
      diag.s += same ? 0 : 1;
      cell del = prev[j];
      del.cost += 1;
      del.d += 1;
      cell ins = cur[j - 1];
      ins.cost += 1;
      ins.i += 1;
      cur[j] = diag;
      if (del.cost < cur[j].cost)
        cur[j] = del;
      if (ins.cost < cur[j].cost)
        cur[j] = ins;
    }
    std::swap(prev, cur);
  }
  wer_result r;
  r.substitutions = prev[m].s;
  r.deletions = prev[m].d;
  r.insertions = prev[m].i;
  r.reference_words = n;
  return r;
}

std::size_t count_words(std::string_view text) {
  return normalize_words(text).size();
}

}  // namespace sof::text
