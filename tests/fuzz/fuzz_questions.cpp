// Question and rubric files (config/questions.cpp): operators add their own
// questions as TOML under config/questions/; a broken file must be refused
// with a message naming it, never crash the loader.
#include "actors/common/errors.hpp"
#include "config/questions.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <set>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  fuzz::quiet_logs();
  std::string text{reinterpret_cast<const char*>(data), size};
  auto q = config::question_bank::parse(text, "fuzz.toml");
  if (!q) {
    SOF_FUZZ_CHECK(q.error() && !describe(q.error()).empty());
    return 0;
  }
  // An accepted question is one the graders and the interviewer can use:
  // the dimensions of its track, weighted points with unique ids, each in
  // one of its phases.
  SOF_FUZZ_CHECK(!q->id.empty() && !q->prompt.empty());
  SOF_FUZZ_CHECK(q->time_limit_minutes > 0);
  auto dims = config::track_dimensions(q->track);
  SOF_FUZZ_CHECK(q->dimensions.size() == dims.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    SOF_FUZZ_CHECK(q->dimensions[i].name == dims[i]);
    SOF_FUZZ_CHECK(q->dimensions[i].total_weight() > 0);
    for (const auto& p : q->dimensions[i].points) {
      SOF_FUZZ_CHECK(ids.insert(p.id).second);
      SOF_FUZZ_CHECK(p.weight >= 1 && p.weight <= 3);
      SOF_FUZZ_CHECK(std::find(q->phases.begin(), q->phases.end(), p.phase)
                     != q->phases.end());
    }
  }
  return 0;
}
