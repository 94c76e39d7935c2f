// Knowledge-base ingestion of Markdown and text (retrieval/ingest.cpp,
// chunker.cpp): operators point `sof kb build` at folders of documents from
// anywhere. The steps ingest() applies to each file's bytes, in order.
#include "retrieval/chunker.hpp"
#include "retrieval/ingest.hpp"
#include "retrieval/text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <string_view>

namespace {

// As lenient as sanitize_utf8 promises (well-formed sequences; it does not
// refuse overlong forms), unlike the strict sof::text::valid_utf8.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0
                    : (c & 0xe0) == 0xc0 ? 1
                    : (c & 0xf0) == 0xe0 ? 2
                    : (c & 0xf8) == 0xf0 ? 3
                                         : 4;
    if (n == 4 || i + n >= s.size())
      return false;
    for (std::size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
        return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof::retrieval;
  sof::fuzz::quiet_logs();
  if (size < 1)
    return 0;
  // The first byte picks the format, the rest is the file.
  auto fmt = data[0] % 2 == 0 ? doc_format::markdown : doc_format::plain;
  std::string_view raw{reinterpret_cast<const char*>(data + 1), size - 1};
  document doc{"fuzz.md", "", "fuzz attribution", fmt, sanitize_utf8(raw)};
  SOF_FUZZ_CHECK(valid_utf8(doc.body));
  doc.title = markdown_title(doc.body);
  SOF_FUZZ_CHECK(valid_utf8(doc.title));
  chunk_options opts;
  auto passages = chunk_document(doc, opts);
  std::size_t total = 0;
  for (const auto& p : passages) {
    // Passages are cited verbatim in JSON and HTML: valid UTF-8, never empty.
    SOF_FUZZ_CHECK(valid_utf8(p.text) && valid_utf8(p.heading));
    SOF_FUZZ_CHECK(count_words(p.text) > 0);
    SOF_FUZZ_CHECK(count_words(p.text) <= opts.max_words);
    total += count_words(p.text);
  }
  // Chunking strips markup; it never invents text.
  SOF_FUZZ_CHECK(total <= count_words(doc.body));
  return 0;
}
