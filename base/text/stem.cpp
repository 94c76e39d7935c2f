#include "base/text/stem.hpp"

#include <libstemmer.h>

#include <cassert>
#include <memory>

namespace sof::text {
namespace {

struct stemmer_deleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

sb_stemmer* english() {
  // One per thread: an sb_stemmer keeps its working buffer inside.
  thread_local std::unique_ptr<sb_stemmer, stemmer_deleter> s{
    sb_stemmer_new("english", nullptr)};
  // Only fails on an unknown language or out of memory: a broken build.
  assert(s != nullptr);
  return s.get();
}

}  // namespace

std::string stem(std::string_view w) {
  if (w.size() <= 2)
    return std::string{w};
  auto* s = english();
  const auto* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(w.data()),
                                    static_cast<int>(w.size()));
  if (out == nullptr)  // out of memory inside libstemmer: keep the word
    return std::string{w};
  return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(s))};
}

}  // namespace sof::text
