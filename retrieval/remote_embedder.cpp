#include "retrieval/remote_embedder.hpp"

#include "actors/common/errors.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace sof::retrieval {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

remote_embedder::remote_embedder(config cfg) : cfg_(std::move(cfg)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

caf::expected<std::vector<float>> remote_embedder::embed(const std::vector<std::string>& texts) const {
  std::vector<float> out;
  for (std::size_t b = 0; b < texts.size(); b += cfg_.batch) {
    auto part = embed_batch(texts, b, std::min(texts.size(), b + cfg_.batch));
    if (!part)
      return part.error();
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

caf::expected<std::vector<float>>
remote_embedder::embed_batch(const std::vector<std::string>& texts, std::size_t begin,
                             std::size_t end) const {
  auto fail = [&](const std::string& why) {
    return make_error(errc::provider_failed, "embeddings at " + cfg_.url + ": " + why);
  };
  nlohmann::json req = {{"model", cfg_.model}, {"input", nlohmann::json::array()}};
  for (std::size_t i = begin; i < end; ++i)
    req["input"].push_back(texts[i]);
  auto body = req.dump();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl)
    return fail("curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string auth;
  if (const char* key = std::getenv("SOF_EMBED_API_KEY"); key && *key) {
    auth = std::string("Authorization: Bearer ") + key;
    headers = curl_slist_append(headers, auth.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hguard(headers, curl_slist_free_all);
  std::string response;
  curl_easy_setopt(curl.get(), CURLOPT_URL, cfg_.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, cfg_.timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  if (auto rc = curl_easy_perform(curl.get()); rc != CURLE_OK)
    return fail(curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    return fail("HTTP " + std::to_string(status) + ": " + response.substr(0, 200));
  std::vector<float> out;
  try {
    auto j = nlohmann::json::parse(response);
    const auto& data = j.at("data");
    if (data.size() != end - begin)
      return fail("expected " + std::to_string(end - begin) + " embeddings, got " +
                  std::to_string(data.size()));
    std::vector<std::vector<float>> rows(data.size());
    for (const auto& item : data) {
      auto idx = item.value("index", std::size_t{0});
      if (idx >= rows.size())
        return fail("embedding index out of range");
      rows[idx] = item.at("embedding").get<std::vector<float>>();
    }
    for (auto& r : rows) {
      if (r.empty() || (dims_ != 0 && r.size() != dims_))
        return fail("embeddings of inconsistent size");
      dims_ = r.size();
      out.insert(out.end(), r.begin(), r.end());
    }
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("bad response: ") + e.what());
  }
  l2_normalize_rows(out, dims_);
  return out;
}

}  // namespace sof::retrieval
