#pragma once
// The shipped knowledge base and question bank, loaded once per test process.
#include "actors/grading/derived_rubric.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "config/questions.hpp"
#include "tests/retrieval/test_util.hpp"

#include <gtest/gtest.h>

namespace sof::grading::test {

inline std::shared_ptr<const retrieval::retriever> kb() {
  // shipped_kb() hands out a reference to a process-lifetime retriever; wrap
  // it without ownership for the citation hook.
  static std::shared_ptr<const retrieval::retriever> p(&retrieval::test::shipped_kb(),
                                                       [](const retrieval::retriever*) {});
  return p;
}

inline const config::question_bank& bank() {
  static config::question_bank b = [] {
    auto loaded = config::question_bank::load();
    if (!loaded)
      throw std::runtime_error(sof::describe(loaded.error()));
    return std::move(*loaded);
  }();
  return b;
}

inline const rubric_engine& engine() {
  static rubric_engine e(&kb()->query_embedder(), kb_citations(kb()));
  return e;
}

/// The engine the service grades with: relevance against the bank too.
inline const rubric_engine& judging_engine() {
  static auto e = kb_engine(kb(), bank());
  return *e;
}

}  // namespace sof::grading::test
