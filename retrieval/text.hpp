#pragma once
// Text normalisation shared by the embedder and BM25, so that both see the
// same terms: lowercase ASCII words, the project's stopwords dropped, the
// project's stemmer (base/text: Snowball English) applied.
#include <string>
#include <string_view>
#include <vector>

namespace sof::retrieval {

/// ASCII lower case (file names, headings, labels).
std::string ascii_lower(std::string s);

/// Lowercased, stopword-free, stemmed word tokens of `text`.
std::vector<std::string> tokenize(std::string_view text);

/// The same tokens with the lower-case word each stem came from
/// (numbers are their own stem): {"replicas", "replica"}.
struct word_token {
  std::string word;
  std::string stem;
};
std::vector<word_token> tokenize_words(std::string_view text);

/// Strips Markdown/HTML inline markup for display and indexing:
/// [text](url) -> text, images and tags removed, emphasis markers dropped.
std::string strip_inline_markup(std::string_view line);

/// Collapses runs of whitespace to one space and trims the ends.
std::string squash_whitespace(std::string_view text);

std::size_t count_words(std::string_view text);

}  // namespace sof::retrieval
