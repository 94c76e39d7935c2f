// A main() for the fuzz targets when libFuzzer is not linked (gcc builds):
// runs LLVMFuzzerTestOneInput once over every file under the directories or
// files given. This is how `make test` replays the seed corpora and every
// crash the fuzzers found (tests/fuzz/regressions/), with or without clang.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

bool run_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return false;
  }
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>{in}, {}};
  // A copy of exactly `size` bytes, so a read past the end is caught by
  // ASan in sanitizer builds, as under libFuzzer.
  auto* copy = new uint8_t[bytes.size() + (bytes.empty() ? 1 : 0)];
  std::copy(bytes.begin(), bytes.end(), copy);
  LLVMFuzzerTestOneInput(copy, bytes.size());
  delete[] copy;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path arg{argv[i]};
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (auto& e : fs::recursive_directory_iterator(arg, ec))
        if (e.is_regular_file())
          files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (auto& f : files)
        runs += run_file(f) ? 1 : 0;
    } else if (fs::is_regular_file(arg, ec)) {
      runs += run_file(arg) ? 1 : 0;
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  if (runs == 0) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 2;
  }
  std::printf("replay: %zu inputs, no crash\n", runs);
  return 0;
}
