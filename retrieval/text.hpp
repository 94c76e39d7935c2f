#pragma once
// Text normalisation shared by the embedder and BM25, so that both see the
// same terms: lowercase ASCII words, stopwords dropped, a light suffix
// stemmer (so "replicas", "replicated" and "replication" meet).
#include <string>
#include <string_view>
#include <vector>

namespace sof::retrieval {

/// ASCII lower case (file names, headings, labels).
std::string ascii_lower(std::string s);

/// Lowercased, stopword-free, stemmed word tokens of `text`.
std::vector<std::string> tokenize(std::string_view text);

/// A light English stemmer (suffix stripping, not full Porter): cheap,
/// deterministic, and enough to merge inflections of domain words.
std::string stem(std::string word);

bool is_stopword(std::string_view word);

/// Strips Markdown/HTML inline markup for display and indexing:
/// [text](url) -> text, images and tags removed, emphasis markers dropped.
std::string strip_inline_markup(std::string_view line);

/// Collapses runs of whitespace to one space and trims the ends.
std::string squash_whitespace(std::string_view text);

std::size_t count_words(std::string_view text);

}  // namespace sof::retrieval
