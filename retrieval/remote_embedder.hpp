#pragma once
// Optional embedder that calls an OpenAI-compatible POST /v1/embeddings
// endpoint (OpenAI, vLLM, llama.cpp server, Ollama's OpenAI API...) with
// libcurl. Never used by tests or by default: the built-in LSA embedder needs
// no network and no model download. The API key, if any, is read from the
// environment variable SOF_EMBED_API_KEY at call time (never persisted).
#include "retrieval/embedder.hpp"

#include <string>

namespace sof::retrieval {

class remote_embedder final : public embedder {
 public:
  struct config {
    std::string url;    // e.g. http://localhost:8080/v1/embeddings
    std::string model;  // sent as "model"
    long timeout_ms = 30'000;
    std::size_t batch = 64;
  };

  explicit remote_embedder(config cfg);

  /// Known after the first successful call (or set from the manifest).
  std::size_t dims() const override { return dims_; }
  std::string kind() const override { return "remote"; }
  caf::expected<std::vector<float>> embed(const std::vector<std::string>& texts) const override;

 private:
  caf::expected<std::vector<float>> embed_batch(const std::vector<std::string>& texts,
                                                std::size_t begin, std::size_t end) const;
  config cfg_;
  mutable std::size_t dims_ = 0;  // learned from the first answer; benign race (same value)
};

}  // namespace sof::retrieval
