#include "actors/providers/stt/openai/openai_stt_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <mutex>

namespace sof::stt {
namespace {

// Utterances longer than this are refused rather than uploaded: a stuck
// capture must not turn into a 100 MB request.
constexpr std::size_t max_utterance_samples = 16000 * 120;

std::string wav_bytes(const std::vector<int16_t>& pcm) {
  auto u32 = [](std::string& s, uint32_t v) {
    for (int i = 0; i < 4; ++i)
      s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [](std::string& s, uint16_t v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
  };
  const uint32_t data = static_cast<uint32_t>(pcm.size() * 2);
  std::string s = "RIFF";
  u32(s, 36 + data);
  s += "WAVEfmt ";
  u32(s, 16);
  u16(s, 1);
  u16(s, 1);
  u32(s, sample_rate);
  u32(s, sample_rate * 2);
  u16(s, 2);
  u16(s, 16);
  s += "data";
  u32(s, data);
  for (int16_t v : pcm)
    u16(s, static_cast<uint16_t>(v));
  return s;
}

size_t collect(char* ptr, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  // A transcript is small; a huge body is a misbehaving server.
  if (body->size() + size * n > (1u << 20))
    return 0;
  body->append(ptr, size * n);
  return size * n;
}

// Word timings when the server sends them (OpenAI's verbose_json shape:
// "words": [{"word", "start", "end"}] in seconds, plus "probability" from
// faster-whisper-style servers). A word without a probability has no
// confidence to report, and inventing one would mark the candidate's words
// certain or doubtful on no evidence: then there are no words at all.
std::vector<word_info> words_of(const nlohmann::json& reply) {
  std::vector<word_info> out;
  auto it = reply.find("words");
  if (it == reply.end() || !it->is_array())
    return out;
  for (const auto& w : *it) {
    if (!w.is_object())
      return {};
    auto word = w.find("word");
    auto start = w.find("start");
    auto end = w.find("end");
    auto p = w.find("probability");
    if (p == w.end())
      p = w.find("confidence");
    if (word == w.end() || !word->is_string() || start == w.end()
        || !start->is_number() || end == w.end() || !end->is_number()
        || p == w.end() || !p->is_number())
      return {};
    out.push_back({word->get<std::string>(),
                   static_cast<int64_t>(start->get<double>() * 1000.0),
                   static_cast<int64_t>(end->get<double>() * 1000.0),
                   p->get<float>()});
  }
  return out;
}

class openai_stt_provider final : public stt_provider {
 public:
  explicit openai_stt_provider(config::openai_stt_settings cfg)
    : cfg_(std::move(cfg)) {
    if (const char* key = std::getenv(cfg_.api_key_env.c_str()))
      api_key_ = key;
  }

  std::string name() const override { return "openai"; }

  // A remote recogniser keeps no front-end state between utterances.
  caf::error begin_utterance(const adapt_state&) override {
    audio_.clear();
    open_ = true;
    return {};
  }

  caf::error feed(std::span<const int16_t> pcm) override {
    if (!open_)
      return make_error(errc::invalid_argument, "openai stt: feed without begin");
    if (audio_.size() + pcm.size() > max_utterance_samples)
      return make_error(errc::invalid_argument,
                        "openai stt: utterance longer than 120 s");
    audio_.insert(audio_.end(), pcm.begin(), pcm.end());
    return {};
  }

  caf::expected<std::string> partial() override { return std::string{}; }

  caf::expected<utterance_result> end_utterance() override {
    if (!open_)
      return make_error(errc::invalid_argument, "openai stt: end without begin");
    open_ = false;
    if (audio_.empty())
      return utterance_result{};
    return transcribe(wav_bytes(audio_));
  }

 private:
  caf::expected<utterance_result> transcribe(const std::string& wav) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{curl_easy_init(),
                                                             curl_easy_cleanup};
    if (!curl)
      return make_error(errc::provider_failed, "openai stt: curl init failed");
    curl_mime* mime = curl_mime_init(curl.get());
    std::unique_ptr<curl_mime, decltype(&curl_mime_free)> mime_guard{
      mime, curl_mime_free};
    auto* file = curl_mime_addpart(mime);
    curl_mime_name(file, "file");
    curl_mime_filename(file, "utterance.wav");
    curl_mime_type(file, "audio/wav");
    curl_mime_data(file, wav.data(), wav.size());
    auto* model = curl_mime_addpart(mime);
    curl_mime_name(model, "model");
    curl_mime_data(model, cfg_.model.c_str(), CURL_ZERO_TERMINATED);
    auto* format = curl_mime_addpart(mime);
    curl_mime_name(format, "response_format");
    curl_mime_data(format, "json", CURL_ZERO_TERMINATED);
    curl_slist* headers = nullptr;
    if (!api_key_.empty())
      headers = curl_slist_append(headers,
                                  ("Authorization: Bearer " + api_key_).c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard{
      headers, curl_slist_free_all};
    std::string body;
    curl_easy_setopt(curl.get(), CURLOPT_URL, cfg_.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                     static_cast<long>(cfg_.timeout_ms));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl.get());
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return make_error(errc::provider_timeout,
                        "openai stt: no answer from " + cfg_.url + " within "
                          + std::to_string(cfg_.timeout_ms) + " ms");
    if (rc != CURLE_OK)
      return make_error(errc::provider_failed, "openai stt: " + cfg_.url + ": "
                                                 + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
      return make_error(errc::provider_failed,
                        "openai stt: HTTP " + std::to_string(status) + ": "
                          + body.substr(0, 200));
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("text")
        || !json["text"].is_string())
      return make_error(errc::provider_failed,
                        "openai stt: response is not {\"text\": ...}: "
                          + body.substr(0, 200));
    utterance_result r;
    r.text = json["text"].get<std::string>();
    r.words = words_of(json);
    return r;
  }

  config::openai_stt_settings cfg_;
  std::string api_key_;
  std::vector<int16_t> audio_;
  bool open_ = false;
};

}  // namespace

caf::expected<std::unique_ptr<stt_provider>>
make_openai_stt_provider(const config::stt_settings& cfg,
                         const session_hints&) {
  // curl_global_init is not thread-safe; do it once for the process.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (cfg.openai.url.empty())
    return make_error(errc::invalid_config, "stt.openai.url is empty");
  return std::unique_ptr<stt_provider>{new openai_stt_provider(cfg.openai)};
}

}  // namespace sof::stt
