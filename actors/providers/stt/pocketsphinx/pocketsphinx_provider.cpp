#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/ngram_model.h>

#include <array>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <type_traits>

namespace sof::stt {

static_assert(std::is_same_v<mfcc_t, float>,
              "sphinxbase built with FIXED_POINT: initial_cmn_ type differs");

namespace {

namespace fs = std::filesystem;

std::string data_dir() {
  return std::string{SOF_DATA_DIR} + "/stt";
}

// pocketsphinx takes every flag as a string; %g keeps tiny beams exact.
std::string num(double x) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%g", x);
  return buf.data();
}

// sphinxbase keeps its log FILE* in one process-wide global, and `-logfn`
// makes every ps_init fopen a new one and fclose the old, while decoders on
// other threads may be writing to it: a use-after-free that crashed a chaos
// campaign (STT workers restarting while others decode). Logging is turned
// off once, before the first decoder, and no decoder touches it again.
void silence_sphinx_logging() {
  static std::once_flag once;
  std::call_once(once, [] { err_set_logfp(nullptr); });
}

caf::error require_file(const std::string& path, const char* what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return make_error(errc::not_found,
                      std::string{"pocketsphinx: "} + what + " not found: "
                        + path);
  return {};
}

// A decoder hypothesis as the interface promises it: lower-case words,
// no fillers, no alternate-pronunciation suffixes.
std::string clean_words(const char* hyp) {
  if (hyp == nullptr)
    return {};
  std::istringstream in{hyp};
  std::string word;
  std::string out;
  while (in >> word) {
    if (word.front() == '<' || word.front() == '[')
      continue;
    if (auto p = word.find('('); p != std::string::npos && p > 0)
      word.resize(p);
    for (auto& c : word)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

}  // namespace

pocketsphinx_paths resolve_paths(const config::pocketsphinx_settings& cfg) {
  pocketsphinx_paths p;
  p.hmm = cfg.model_dir + "/en-us";
  p.general_lm = cfg.model_dir + "/en-us.lm.bin";
  p.dict = cfg.model_dir + "/cmudict-en-us.dict";
  if (cfg.domain_weight > 0) {
    p.domain_lm = cfg.domain_lm.empty() ? data_dir() + "/domain.arpa"
                                        : cfg.domain_lm;
    p.domain_dict = cfg.domain_dict.empty() ? data_dir() + "/domain.dict"
                                            : cfg.domain_dict;
  }
  return p;
}

caf::expected<std::unique_ptr<pocketsphinx_provider>>
pocketsphinx_provider::create(const config::pocketsphinx_settings& cfg) {
  std::unique_ptr<pocketsphinx_provider> self{new pocketsphinx_provider};
  if (auto err = self->init(cfg))
    return err;
  return self;
}

caf::error pocketsphinx_provider::init(const config::pocketsphinx_settings& cfg) {
  auto paths = resolve_paths(cfg);
  // sphinxbase calls exit() on some malformed inputs (E_FATAL), so every
  // file is checked here first and reported by path.
  for (const char* f : {"mdef", "means", "variances", "transition_matrices",
                        "noisedict"})
    if (auto err = require_file(paths.hmm + "/" + f, "acoustic model file"))
      return err;
  if (auto err = require_file(paths.general_lm, "general language model"))
    return err;
  if (auto err = require_file(paths.dict, "pronunciation dictionary"))
    return err;
  if (!paths.domain_lm.empty())
    if (auto err = require_file(paths.domain_lm, "domain language model"))
      return err;
  if (!paths.domain_dict.empty())
    if (auto err = require_file(paths.domain_dict, "domain dictionary"))
      return err;

  // No -lm here: the (interpolated) LM search is installed below, after
  // the domain words are in the dictionary, so the search sees them.
  auto beam = num(cfg.beam), wbeam = num(cfg.wbeam), pbeam = num(cfg.pbeam);
  auto lw = num(cfg.lw), maxhmmpf = std::to_string(cfg.maxhmmpf);
  auto pl_window = std::to_string(cfg.pl_window), ds = std::to_string(cfg.ds);
  auto topn = std::to_string(cfg.topn);
  silence_sphinx_logging();
  config_ = cmd_ln_init(nullptr, ps_args(), TRUE,
                        "-hmm", paths.hmm.c_str(),
                        "-dict", paths.dict.c_str(),
                        "-beam", beam.c_str(),
                        "-wbeam", wbeam.c_str(),
                        "-pbeam", pbeam.c_str(),
                        "-lw", lw.c_str(),
                        "-maxhmmpf", maxhmmpf.c_str(),
                        "-pl_window", pl_window.c_str(),
                        "-ds", ds.c_str(),
                        "-topn", topn.c_str(),
                        "-fwdflat", cfg.fwdflat ? "yes" : "no",
                        "-bestpath", cfg.bestpath ? "yes" : "no",
                        nullptr);
  if (config_ == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: invalid decoder configuration");
  ps_ = ps_init(config_);
  if (ps_ == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot load acoustic model from "
                        + paths.hmm);
  if (!paths.domain_dict.empty())
    if (auto err = load_domain_dict(paths.domain_dict))
      return err;
  lw_ = cfg.lw;
  if (auto err = install_lm(paths, cfg.domain_weight))
    return err;

  feat_t* feat = ps_get_feat(ps_);
  if (feat == nullptr || feat->cmn_struct == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: decoder has no live CMN state");
  initial_cmn_.resize(static_cast<std::size_t>(feat->cmn_struct->veclen));
  cmn_live_get(feat->cmn_struct, initial_cmn_.data());
  return {};
}

caf::error pocketsphinx_provider::load_domain_dict(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return make_error(errc::io_error,
                      "pocketsphinx: cannot read domain dictionary " + path);
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream fields{line};
    std::string word, phone, phones;
    if (!(fields >> word) || word.front() == '#')
      continue;
    while (fields >> phone)
      phones += (phones.empty() ? "" : " ") + phone;
    auto where = path + ":" + std::to_string(line_no);
    if (phones.empty())
      return make_error(errc::invalid_config,
                        "pocketsphinx: no phones for '" + word + "' at "
                          + where);
    // An alternate "word(x)" needs its base word, or sphinxbase exits.
    auto paren = word.find('(');
    if (paren == 0 || (paren != std::string::npos && word.back() != ')'))
      return make_error(errc::invalid_config,
                        "pocketsphinx: malformed word '" + word + "' at "
                          + where);
    auto base = word.substr(0, paren);
    if (char* known = ps_lookup_word(ps_, word.c_str())) {
      ckd_free(known);  // already in cmudict: keep the general entry
      continue;
    }
    if (paren != std::string::npos) {
      char* b = ps_lookup_word(ps_, base.c_str());
      if (b == nullptr)
        return make_error(errc::invalid_config,
                          "pocketsphinx: variant '" + word
                            + "' before its base word at " + where);
      ckd_free(b);
    }
    // update=FALSE: no search exists yet; install_lm builds it afterwards.
    if (ps_add_word(ps_, word.c_str(), phones.c_str(), FALSE) < 0)
      return make_error(errc::invalid_config,
                        "pocketsphinx: cannot add '" + word + "' (unknown "
                          "phone?) at " + where);
    ++domain_words_;
  }
  return {};
}

caf::error pocketsphinx_provider::install_lm(const pocketsphinx_paths& paths,
                                             double weight) {
  logmath_t* lmath = ps_get_logmath(ps_);
  ngram_model_t* general = ngram_model_read(config_, paths.general_lm.c_str(),
                                            NGRAM_AUTO, lmath);
  if (general == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot read language model "
                        + paths.general_lm);
  ngram_model_t* lm = general;
  if (!paths.domain_lm.empty()) {
    ngram_model_t* domain = ngram_model_read(config_, paths.domain_lm.c_str(),
                                             NGRAM_AUTO, lmath);
    if (domain == nullptr) {
      ngram_model_free(general);
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot read domain language model "
                          + paths.domain_lm);
    }
    // Intended: P = w * P_domain + (1 - w) * P_general, so the general
    // model keeps everyday words likely while the domain model lifts
    // "sharding", "idempotency", "p ninety five" and their contexts.
    // But sphinxbase applies the language weight lw to each submodel
    // before mixing, i.e. it computes sum_i w_i * P_i^lw; with plain
    // weights the mix degenerates to "best model wins" (any w > 0 acted
    // alike and real speech got worse). Passing w_i^lw gives
    // sum_i (w_i * P_i)^lw, close to (max_i w_i * P_i)^lw: the weights
    // mean what the configuration says again.
    std::array<ngram_model_t*, 2> models{domain, general};
    std::array<char*, 2> names{const_cast<char*>("domain"),
                               const_cast<char*>("general")};
    std::array<float32, 2> weights{
      static_cast<float32>(std::pow(weight, lw_)),
      static_cast<float32>(std::pow(1.0 - weight, lw_))};
    lm = ngram_model_set_init(config_, models.data(), names.data(),
                              weights.data(), 2);
    if (lm == nullptr) {
      ngram_model_free(domain);
      ngram_model_free(general);
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot interpolate language models");
    }
    // The set retains its submodels: drop ours, or both models (~33 MB)
    // outlive every provider (found by LeakSanitizer, docs/hardening.md).
    ngram_model_free(domain);
    ngram_model_free(general);
  }
  // ps_set_lm keeps its own reference to the model it is given.
  int rv = ps_set_lm(ps_, "sof", lm);
  ngram_model_free(lm);
  if (rv < 0 || ps_set_search(ps_, "sof") < 0)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot activate the language model search");
  return {};
}

pocketsphinx_provider::~pocketsphinx_provider() {
  if (ps_ != nullptr) {
    if (in_utterance_)
      ps_end_utt(ps_);
    ps_free(ps_);
  }
  if (config_ != nullptr)
    cmd_ln_free_r(config_);
}

std::string pocketsphinx_provider::name() const {
  return "pocketsphinx";
}

caf::error pocketsphinx_provider::begin_utterance() {
  if (in_utterance_) {
    // Abandon the open one: a new utterance must not inherit its audio.
    ps_end_utt(ps_);
    in_utterance_ = false;
  }
  pending_.clear();
  // Live CMN adapts its mean as audio flows; restoring the start-up mean
  // makes this utterance's text independent of everything decoded before.
  cmn_live_set(ps_get_feat(ps_)->cmn_struct, initial_cmn_.data());
  // The front end's noise estimate (-remove_noise) and its silence
  // detector also carry over between utterances of one stream; a new
  // stream per utterance resets them (measured: without it the first
  // word of an utterance changed with what was decoded before).
  if (ps_start_stream(ps_) < 0)
    return make_error(errc::provider_failed,
                      "pocketsphinx: ps_start_stream failed");
  if (ps_start_utt(ps_) < 0)
    return make_error(errc::provider_failed, "pocketsphinx: ps_start_utt failed");
  in_utterance_ = true;
  return {};
}

caf::error pocketsphinx_provider::process(const int16_t* data, std::size_t n) {
  if (ps_process_raw(ps_, data, n, FALSE, FALSE) < 0)
    return make_error(errc::provider_failed,
                      "pocketsphinx: ps_process_raw failed");
  return {};
}

caf::error pocketsphinx_provider::feed(std::span<const int16_t> pcm) {
  if (!in_utterance_)
    return make_error(errc::invalid_argument,
                      "pocketsphinx: feed without begin_utterance");
  pending_.insert(pending_.end(), pcm.begin(), pcm.end());
  std::size_t used = 0;
  while (pending_.size() - used >= block_samples) {
    if (auto err = process(pending_.data() + used, block_samples))
      return err;
    used += block_samples;
  }
  pending_.erase(pending_.begin(),
                 pending_.begin() + static_cast<std::ptrdiff_t>(used));
  return {};
}

std::string pocketsphinx_provider::hypothesis() {
  int32 score = 0;
  return clean_words(ps_get_hyp(ps_, &score));
}

caf::expected<std::string> pocketsphinx_provider::partial() {
  if (!in_utterance_)
    return make_error(errc::invalid_argument,
                      "pocketsphinx: partial without begin_utterance");
  return hypothesis();
}

caf::expected<std::string> pocketsphinx_provider::end_utterance() {
  if (!in_utterance_)
    return make_error(errc::invalid_argument,
                      "pocketsphinx: end_utterance without begin_utterance");
  caf::error err;
  if (!pending_.empty())
    err = process(pending_.data(), pending_.size());
  pending_.clear();
  in_utterance_ = false;
  if (ps_end_utt(ps_) < 0 && !err)
    err = make_error(errc::provider_failed, "pocketsphinx: ps_end_utt failed");
  if (err)
    return err;
  return hypothesis();
}

caf::expected<std::unique_ptr<stt_provider>>
make_pocketsphinx_provider(const config::stt_settings& cfg) {
  auto p = pocketsphinx_provider::create(cfg.pocketsphinx);
  if (!p)
    return std::move(p.error());
  log::get("stt")->info("pocketsphinx ready ({} domain pronunciations)",
                        (*p)->domain_words());
  return std::unique_ptr<stt_provider>{std::move(*p)};
}

}  // namespace sof::stt
