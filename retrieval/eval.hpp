#pragma once
// Retrieval quality on a labelled query set. A label names a passage by
// source file and a heading substring, not by chunk id, so labels survive
// re-chunking: a hit is relevant when its source ends with the label's
// source and its heading path contains the label's heading (both
// case-insensitive).
//
//   recall@k  per query, the fraction of its labels matched by at least one
//             of the top k hits; averaged over queries.
//   MRR@10    per query, 1 / rank of the first relevant hit in the top 10
//             (0 if none); averaged over queries.
#include "retrieval/retriever.hpp"

#include <caf/expected.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sof::retrieval {

struct relevance_label {
  std::string source;   // e.g. "system-design-primer/README.md"
  std::string heading;  // substring of the heading path, e.g. "Fail-over"
};

struct labelled_query {
  std::string query;
  std::vector<relevance_label> relevant;
};

struct quality {
  double recall_at_k = 0;
  double mrr = 0;
  std::size_t queries = 0;
  std::size_t k = 5;
  std::vector<std::string> misses;  // queries with nothing relevant in the top k
};

caf::expected<std::vector<labelled_query>> load_labelled_queries(const std::filesystem::path& file);

bool is_relevant(const passage& p, const relevance_label& label);

caf::expected<quality> evaluate(const retriever& kb, const std::vector<labelled_query>& queries,
                                const search_options& opts);

}  // namespace sof::retrieval
