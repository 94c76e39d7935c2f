#include "actors/providers/stt/lm/question_lm.hpp"

#include "actors/common/errors.hpp"
#include "actors/providers/stt/lm/ngram_builder.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>

#include <unistd.h>

namespace sof::stt {
namespace {

namespace fs = std::filesystem;

// The hand-written text says what this question is about in the words an
// interview uses; passages add vocabulary but read like books. Weighing the
// written text 3:1 keeps the model sounding like the interview.
constexpr std::size_t written_repeat = 3;
constexpr std::size_t format_version = 1;  // bump when the model changes

std::mutex& cache_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, question_lm>& memory_cache() {
  static std::map<std::string, question_lm> m;
  return m;
}

std::string content_key(const question_bias& b) {
  // FNV-1a over every line with separators: stable across processes, so
  // the on-disk cache survives restarts.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(std::to_string(format_version));
  for (const auto& s : b.written)
    mix(s);
  mix("--passages--");
  for (const auto& s : b.passages)
    mix(s);
  std::ostringstream out;
  out << std::hex << h;
  return out.str();
}

}  // namespace

std::string question_lm_cache_dir() {
  if (const char* d = std::getenv("SOF_STT_CACHE"); d != nullptr && *d != '\0')
    return d;
  std::error_code ec;
  auto tmp = fs::temp_directory_path(ec);
  return ((ec ? fs::path{"/tmp"} : tmp) / "sof-stt-cache").string();
}

caf::expected<question_lm> build_question_lm(const question_bias& bias) {
  auto t0 = std::chrono::steady_clock::now();
  const auto key = content_key(bias);
  std::lock_guard<std::mutex> guard{cache_mutex()};
  if (auto i = memory_cache().find(key); i != memory_cache().end()) {
    std::error_code ec;
    if (fs::is_regular_file(i->second.arpa_path, ec)) {
      auto hit = i->second;
      hit.from_cache = true;
      hit.build_ms = 0;
      return hit;
    }
    memory_cache().erase(i);  // someone cleaned the directory
  }
  stt::lm::ngram_builder builder;
  for (const auto& text : bias.written)
    for (const auto& s : lm::spoken_sentences(text))
      builder.add(s, written_repeat);
  for (const auto& text : bias.passages)
    for (const auto& s : lm::spoken_sentences(text))
      builder.add(s);
  if (builder.sentences() == 0)
    return make_error(errc::invalid_argument,
                      "question model: no speakable text for question '"
                        + bias.id + "'");
  question_lm lm;
  lm.words = builder.vocabulary();
  lm.sentences = builder.sentences();
  const fs::path dir = question_lm_cache_dir();
  const fs::path path = dir / ("question-" + key + ".arpa");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    fs::create_directories(dir, ec);
    // Write then rename: another process may read the same file.
    auto tmp = path;
    tmp += ".tmp" + std::to_string(std::hash<std::string>{}(bias.id) ^ ::getpid());
    {
      std::ofstream out{tmp};
      out << builder.arpa();
      if (!out)
        return make_error(errc::io_error,
                          "question model: cannot write " + tmp.string());
    }
    fs::rename(tmp, path, ec);
    if (ec)
      return make_error(errc::io_error, "question model: cannot create "
                                          + path.string() + ": "
                                          + ec.message());
  } else {
    lm.from_cache = true;
  }
  lm.arpa_path = path.string();
  lm.build_ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - t0)
                  .count();
  memory_cache()[key] = lm;
  return lm;
}

}  // namespace sof::stt
