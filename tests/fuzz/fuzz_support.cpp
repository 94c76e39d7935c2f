#include "tests/fuzz/fuzz_support.hpp"

#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace sof::fuzz {

void quiet_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    spdlog::set_level(spdlog::level::off);
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) {
      l->set_level(spdlog::level::off);
    });
  });
}

void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

memfile::memfile(const uint8_t* data, std::size_t size) {
  fd_ = ::memfd_create("sof-fuzz", MFD_CLOEXEC);
  if (fd_ < 0)
    return;
  std::size_t off = 0;
  while (off < size) {
    auto n = ::write(fd_, data + off, size - off);
    if (n <= 0)
      return;
    off += static_cast<std::size_t>(n);
  }
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

memfile::~memfile() {
  if (fd_ >= 0)
    ::close(fd_);
}

}  // namespace sof::fuzz
