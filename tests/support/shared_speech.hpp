#pragma once
// A recording of SOF_SHARED_DIR/speech (real speech, see its README for
// sources and licences) as 16 kHz mono PCM16, for actor tests.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sof::testing {

inline std::vector<int16_t> shared_speech(const char* name) {
  auto r = audio::read_file(std::string{SOF_SHARED_DIR} + "/speech/" + name);
  EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
  return r ? r->samples : std::vector<int16_t>{};
}

}  // namespace sof::testing
