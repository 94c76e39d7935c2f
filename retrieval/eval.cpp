#include "retrieval/eval.hpp"

#include "retrieval/text.hpp"

#include "actors/common/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace sof::retrieval {

caf::expected<std::vector<labelled_query>> load_labelled_queries(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    return make_error(errc::io_error, "cannot open " + file.string());
  std::vector<labelled_query> out;
  try {
    auto j = nlohmann::json::parse(in);
    for (const auto& q : j.at("queries")) {
      labelled_query lq;
      lq.query = q.at("query").get<std::string>();
      for (const auto& r : q.at("relevant"))
        lq.relevant.push_back({r.at("source").get<std::string>(), r.at("heading").get<std::string>()});
      if (lq.relevant.empty())
        return make_error(errc::invalid_argument, "query without labels: " + lq.query);
      out.push_back(std::move(lq));
    }
  } catch (const nlohmann::json::exception& e) {
    return make_error(errc::corrupt_data, file.string() + ": " + e.what());
  }
  return out;
}

bool is_relevant(const passage& p, const relevance_label& label) {
  return p.source.ends_with(label.source) &&
         ascii_lower(p.heading).find(ascii_lower(label.heading)) != std::string::npos;
}

caf::expected<quality> evaluate(const retriever& kb, const std::vector<labelled_query>& queries,
                                const search_options& opts) {
  quality q;
  q.k = opts.k;
  q.queries = queries.size();
  if (queries.empty())
    return q;
  auto deep = opts;
  deep.k = std::max<std::size_t>(opts.k, 10);
  for (const auto& lq : queries) {
    auto hits = kb.search(lq.query, deep);
    if (!hits)
      return hits.error();
    std::size_t found = 0;
    for (const auto& label : lq.relevant) {
      for (std::size_t i = 0; i < std::min(opts.k, hits->size()); ++i)
        if (is_relevant((*hits)[i].doc, label)) {
          ++found;
          break;
        }
    }
    q.recall_at_k += static_cast<double>(found) / lq.relevant.size();
    if (found == 0)
      q.misses.push_back(lq.query);
    for (std::size_t i = 0; i < std::min<std::size_t>(10, hits->size()); ++i) {
      bool rel = std::any_of(lq.relevant.begin(), lq.relevant.end(),
                             [&](const auto& l) { return is_relevant((*hits)[i].doc, l); });
      if (rel) {
        q.mrr += 1.0 / static_cast<double>(i + 1);
        break;
      }
    }
  }
  q.recall_at_k /= static_cast<double>(queries.size());
  q.mrr /= static_cast<double>(queries.size());
  return q;
}

}  // namespace sof::retrieval
