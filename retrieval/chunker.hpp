#pragma once
// Splits a document into citable passages along its structure: Markdown
// headings open sections (the heading path is kept as context), blank lines
// separate blocks, and blocks are packed into passages of a readable size.
// Fenced code, lists and tables are never split mid-block unless a single
// block is longer than a passage may be.
#include "retrieval/passage.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sof::retrieval {

struct chunk_options {
  // ~120-250 words reads well as a quoted citation and is still specific
  // enough for retrieval; shorter sections stay whole.
  std::size_t target_words = 150;
  std::size_t max_words = 250;
  std::size_t min_words = 8;  // smaller sections are headings without body
  // ...unless the whole document is that short: a tiny note is still a
  // document, so its passages are kept down to this size.
  std::size_t min_words_short_doc = 3;
};

enum class doc_format { markdown, plain, pdf };

struct document {
  std::string source;       // relative path shown to users
  std::string title;        // empty: taken from the first "# " heading
  std::string attribution;
  doc_format format = doc_format::markdown;
  std::string body;         // UTF-8; for PDFs pages are separated by '\f'
};

/// The first level-1 ATX heading of a Markdown text, or "".
std::string markdown_title(std::string_view body);

std::vector<passage> chunk_document(const document& doc,
                                    const chunk_options& opts = {});

}  // namespace sof::retrieval
