#include "actors/providers/tts/openai/openai_tts_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/providers/tts/pcm_chunker.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace sof::tts {
namespace {

// One text never legitimately produces more than this; a server that keeps
// streaming past it is misbehaving and must not fill memory or the line.
constexpr int max_audio_seconds = 60;

// Error bodies are quoted in the error value, not stored whole.
constexpr std::size_t max_error_quote = 200;

// State shared with the curl write callback for one request.
struct transfer {
  CURL* curl = nullptr;
  pcm_chunker* chunker = nullptr;
  long status = 0;
  std::string error_body;      // first bytes of a non-2xx body
  std::size_t audio_bytes = 0;
  std::size_t max_audio_bytes = 0;
  bool has_odd = false;        // a sample split across two callbacks
  unsigned char odd = 0;
  bool too_long = false;
  bool cancelled = false;
  std::vector<int16_t> samples;  // reused conversion buffer
};

int16_t le16(unsigned char lo, unsigned char hi) {
  return static_cast<int16_t>(static_cast<uint16_t>(lo)
                              | static_cast<uint16_t>(hi) << 8);
}

size_t on_body(char* ptr, size_t size, size_t n, void* user) {
  auto& t = *static_cast<transfer*>(user);
  const std::size_t len = size * n;
  // The status line has been parsed by the time the first body byte
  // arrives, so an error body never reaches the chunker as audio.
  if (t.status == 0)
    curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
  if (t.status < 200 || t.status >= 300) {
    if (t.error_body.size() < max_error_quote)
      t.error_body.append(ptr, std::min(len, max_error_quote
                                                - t.error_body.size()));
    return len;
  }
  t.audio_bytes += len;
  if (t.audio_bytes > t.max_audio_bytes) {
    t.too_long = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(ptr);
  std::size_t at = 0;
  t.samples.clear();
  if (t.has_odd && len > 0) {
    t.samples.push_back(le16(t.odd, bytes[0]));
    t.has_odd = false;
    at = 1;
  }
  for (; at + 1 < len; at += 2)
    t.samples.push_back(le16(bytes[at], bytes[at + 1]));
  if (at < len) {
    t.odd = bytes[at];
    t.has_odd = true;
  }
  if (!t.samples.empty() && !t.chunker->push(t.samples)) {
    t.cancelled = true;
    return 0;  // the sink said stop: drop the connection now
  }
  return len;
}

class openai_tts_provider final : public tts_provider {
 public:
  openai_tts_provider(config::openai_tts_settings cfg, int chunk_ms,
                      std::string voice)
    : cfg_(std::move(cfg)), chunk_ms_(chunk_ms), voice_(std::move(voice)) {
    if (const char* key = std::getenv(cfg_.api_key_env.c_str()))
      api_key_ = key;
  }

  std::string name() const override { return "openai"; }
  std::string voice() const override { return voice_; }

  caf::error synthesize(std::string_view text,
                        const chunk_sink& sink) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{curl_easy_init(),
                                                             curl_easy_cleanup};
    if (!curl)
      return make_error(errc::provider_failed, "openai tts: curl init failed");
    const std::string request = nlohmann::json{
      {"model", cfg_.model},
      {"input", std::string{text}},
      {"voice", voice_},
      {"response_format", "pcm"},
    }.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    curl_slist* headers = curl_slist_append(nullptr,
                                            "Content-Type: application/json");
    if (!api_key_.empty())
      headers = curl_slist_append(headers,
                                  ("Authorization: Bearer " + api_key_).c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard{
      headers, curl_slist_free_all};

    pcm_chunker chunker{cfg_.sample_rate, chunk_ms_, sink};
    transfer t;
    t.curl = curl.get();
    t.chunker = &chunker;
    t.max_audio_bytes = static_cast<std::size_t>(cfg_.sample_rate) * 2
                        * max_audio_seconds;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, cfg_.url.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(request.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg_.timeout_ms));
    // A dead host should fail fast even when the total budget is generous.
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(cfg_.timeout_ms, 5000)));
    // Signals would hit whichever actor thread runs us; curl must not use them.
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    if (t.status == 0)
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t.status);

    if (t.cancelled) {
      log::get("tts")->debug("openai tts: cancelled after {} samples",
                             chunker.delivered());
      return {};
    }
    if (t.status >= 300 || (t.status != 0 && t.status < 200))
      return make_error(errc::provider_failed,
                        "openai tts: HTTP " + std::to_string(t.status) + " from "
                          + cfg_.url + ": " + t.error_body);
    if (t.too_long)
      return make_error(errc::provider_failed,
                        "openai tts: " + cfg_.url + " sent more than "
                          + std::to_string(max_audio_seconds)
                          + " s of audio for one text");
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return make_error(errc::provider_timeout,
                        "openai tts: no complete answer from " + cfg_.url
                          + " within " + std::to_string(cfg_.timeout_ms)
                          + " ms");
    if (rc != CURLE_OK)
      return make_error(errc::provider_failed, "openai tts: " + cfg_.url + ": "
                                                 + curl_easy_strerror(rc));
    if (t.audio_bytes == 0)
      return make_error(errc::provider_failed,
                        "openai tts: " + cfg_.url + " returned no audio");
    if (t.has_odd)
      log::get("tts")->warn("openai tts: odd-length PCM body from {}, last "
                            "byte dropped", cfg_.url);
    if (!chunker.finish())
      log::get("tts")->debug("openai tts: cancelled in the last chunk");
    return {};
  }

 private:
  config::openai_tts_settings cfg_;
  int chunk_ms_;
  std::string voice_;
  std::string api_key_;
};

}  // namespace

caf::expected<std::unique_ptr<tts_provider>>
make_openai_tts_provider(const config::tts_settings& cfg,
                         const std::string& voice) {
  // curl_global_init is not thread-safe; do it once for the process.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const auto& url = cfg.openai.url;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return make_error(errc::invalid_config,
                      "tts.openai.url '" + url
                        + "' must start with http:// or https://");
  if (cfg.openai.sample_rate <= 0 || cfg.chunk_ms <= 0)
    return make_error(errc::invalid_config,
                      "tts.openai.sample_rate and tts.chunk_ms must be > 0");
  auto v = voice.empty() ? cfg.openai.voice : voice;
  return std::unique_ptr<tts_provider>{
    new openai_tts_provider(cfg.openai, cfg.chunk_ms, std::move(v))};
}

}  // namespace sof::tts
