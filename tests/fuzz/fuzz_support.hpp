#pragma once
// Shared by the fuzz targets (docs/hardening.md). Each target is one
// LLVMFuzzerTestOneInput over a parser that sees outside bytes; built with
// clang's libFuzzer by `make fuzz`, and with replay_main.cpp (every seed and
// every regression input, no mutation) by the normal build, so `make test`
// replays past crashes even without clang.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sof::fuzz {

/// Turns logging off once: parsers log what they reject, and a fuzzer
/// rejects millions of inputs.
void quiet_logs();

/// Reports a broken property of the parser under test and aborts, which
/// libFuzzer records as a crash with the input that caused it.
[[noreturn]] void fail(const char* what, const char* file, int line);

/// An anonymous in-memory file holding `data`, for parsers whose API takes
/// a path (libsndfile, poppler, the audio reader). Gone when destroyed.
class memfile {
 public:
  memfile(const uint8_t* data, std::size_t size);
  ~memfile();
  memfile(const memfile&) = delete;
  memfile& operator=(const memfile&) = delete;

  /// "/proc/self/fd/N"; empty when the file could not be created.
  const std::string& path() const {
    return path_;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace sof::fuzz

#define SOF_FUZZ_CHECK(cond) \
  ((cond) ? void(0) : ::sof::fuzz::fail(#cond, __FILE__, __LINE__))
