#include "tests/actors/providers/stt/stt_test_support.hpp"

#include "actors/common/errors.hpp"

#include <flite/flite.h>
#include <sndfile.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

extern "C" cst_voice* register_cmu_us_kal16(const char* voxdir);

namespace sof::stt::testing {

std::vector<int16_t> synthesize_kal16(const std::string& text) {
  // flite keeps global state: initialise once, synthesize under a lock.
  static std::mutex mtx;
  static cst_voice* voice = [] {
    flite_init();
    return register_cmu_us_kal16(nullptr);
  }();
  std::lock_guard<std::mutex> guard{mtx};
  if (voice == nullptr)
    throw std::runtime_error("flite: kal16 voice unavailable");
  cst_wave* w = flite_text_to_wave(text.c_str(), voice);
  if (w == nullptr)
    throw std::runtime_error("flite: synthesis failed for: " + text);
  if (w->sample_rate != sample_rate || w->num_channels != 1) {
    delete_wave(w);
    throw std::runtime_error("flite: kal16 is not 16 kHz mono");
  }
  std::vector<int16_t> pcm(w->samples, w->samples + w->num_samples);
  delete_wave(w);
  return pcm;
}

std::vector<int16_t> read_wav_16k_mono(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr)
    throw std::runtime_error("cannot open " + path + ": " + sf_strerror(nullptr));
  if (info.samplerate != sample_rate || info.channels != 1) {
    sf_close(f);
    throw std::runtime_error(path + " is not 16 kHz mono");
  }
  std::vector<int16_t> pcm(static_cast<std::size_t>(info.frames));
  auto got = sf_read_short(f, pcm.data(), info.frames);
  sf_close(f);
  pcm.resize(static_cast<std::size_t>(got));
  return pcm;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#')
      continue;
    auto e = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(b, e - b + 1));
  }
  return out;
}

std::vector<labelled_audio> flite_set(std::size_t limit) {
  auto lines = read_lines(std::string{SOF_SOURCE_DIR}
                          + "/tests/data/stt/system_design_sentences.txt");
  if (limit != 0 && lines.size() > limit)
    lines.resize(limit);
  std::vector<labelled_audio> out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out.push_back({"sentence " + std::to_string(i + 1), lines[i],
                   synthesize_kal16(lines[i])});
  return out;
}

std::vector<labelled_audio> real_speech_set() {
  std::string dir = std::string{SOF_SHARED_DIR} + "/speech";
  std::ifstream in{dir + "/transcripts.tsv"};
  if (!in)
    throw std::runtime_error("cannot read " + dir + "/transcripts.tsv");
  std::vector<labelled_audio> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row{line};
    std::string file, transcript;
    if (!std::getline(row, file, '\t') || !std::getline(row, transcript, '\t'))
      continue;
    out.push_back({file, transcript, read_wav_16k_mono(dir + "/" + file)});
  }
  return out;
}

std::string decode(stt_provider& p, const std::vector<int16_t>& pcm,
                   std::size_t chunk) {
  return decode_result(p, pcm, {}, chunk).text;
}

utterance_result decode_result(stt_provider& p, const std::vector<int16_t>& pcm,
                               const adapt_state& from, std::size_t chunk) {
  if (auto err = p.begin_utterance(from))
    throw std::runtime_error(describe(err));
  for (std::size_t i = 0; i < pcm.size(); i += chunk) {
    auto n = std::min(chunk, pcm.size() - i);
    if (auto err = p.feed({pcm.data() + i, n}))
      throw std::runtime_error(describe(err));
  }
  auto res = p.end_utterance();
  if (!res)
    throw std::runtime_error(describe(res.error()));
  return std::move(*res);
}

}  // namespace sof::stt::testing
