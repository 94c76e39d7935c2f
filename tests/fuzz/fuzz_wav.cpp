// Reading recordings (actors/audio/audio_file.cpp): `sof transcribe`,
// `sof interview` and `sof client` take WAV (anything libsndfile reads) or
// headerless PCM16 from users. The first byte picks the reader, so one
// corpus covers both.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  fuzz::quiet_logs();
  if (size < 1)
    return 0;
  audio::read_options opts;
  opts.force_raw = (data[0] == 'R');  // seeds for raw PCM start with 'R'
  // A bound a fuzzer can reach: what may be allocated must follow from the
  // bytes actually present, not from what a header declares.
  opts.max_seconds = 600;
  fuzz::memfile file{data, size};
  if (file.path().empty())
    return 0;
  auto got = audio::read_file(file.path(), opts);
  if (got) {
    SOF_FUZZ_CHECK(!got->samples.empty());
    SOF_FUZZ_CHECK(got->seconds() <= opts.max_seconds + 1);
    SOF_FUZZ_CHECK(got->source.sample_rate > 0 && got->source.channels > 0);
  } else {
    SOF_FUZZ_CHECK(got.error() && !describe(got.error()).empty());
  }
  return 0;
}
