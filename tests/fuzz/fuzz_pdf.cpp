// Knowledge-base ingestion of PDFs (retrieval/ingest.cpp, poppler-cpp): the
// text of every page, then the same UTF-8 clean-up and chunking as Markdown.
#include "actors/common/errors.hpp"
#include "retrieval/chunker.hpp"
#include "retrieval/ingest.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  using namespace sof::retrieval;
  fuzz::quiet_logs();
  fuzz::memfile file{data, size};
  if (file.path().empty())
    return 0;
  auto text = read_pdf_text(file.path());
  if (!text) {
    SOF_FUZZ_CHECK(text.error() && !describe(text.error()).empty());
    return 0;
  }
  document doc{"fuzz.pdf", "fuzz", "", doc_format::pdf, sanitize_utf8(*text)};
  for (const auto& p : chunk_document(doc))
    SOF_FUZZ_CHECK(!p.text.empty());
  return 0;
}
