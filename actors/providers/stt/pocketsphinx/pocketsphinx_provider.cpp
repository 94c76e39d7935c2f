#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/providers/stt/lm/pronounce.hpp"
#include "actors/providers/stt/lm/spoken_text.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/ngram_model.h>

#include <algorithm>
#include <chrono>
#include <array>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
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

// One decoder word as the interface promises it: lower case, no
// alternate-pronunciation suffix; empty for fillers (<s>, <sil>, [NOISE]).
std::string clean_word(const char* w) {
  if (w == nullptr || *w == '<' || *w == '[' || *w == '\0')
    return {};
  std::string word{w};
  if (auto p = word.find('('); p != std::string::npos && p > 0)
    word.resize(p);
  for (auto& c : word)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

std::vector<std::string> split_hyphens(const std::string& word) {
  return lm::split_on(word, '-');
}

// A decoder hypothesis as the interface promises it: lower-case words,
// no fillers, no alternate-pronunciation suffixes, no hyphenated compounds.
std::string clean_words(const char* hyp) {
  if (hyp == nullptr)
    return {};
  std::istringstream in{hyp};
  std::string word;
  std::string out;
  while (in >> word)
    for (auto& part : split_hyphens(clean_word(word.c_str())))
      out += (out.empty() ? "" : " ") + part;
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
pocketsphinx_provider::create(const config::pocketsphinx_settings& cfg,
                              const question_bias* bias) {
  std::unique_ptr<pocketsphinx_provider> self{new pocketsphinx_provider};
  if (auto err = self->init(cfg, bias))
    return err;
  return self;
}

caf::error pocketsphinx_provider::init(const config::pocketsphinx_settings& cfg,
                                       const question_bias* bias) {
  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t) {
    return std::chrono::duration<double, std::milli>(clock::now() - t).count();
  };
  const auto t0 = clock::now();
  auto paths = resolve_paths(cfg);
  if (bias != nullptr && cfg.question_weight > 0) {
    // A question model that cannot be built costs accuracy, not the
    // session: the decoder runs on domain + general and says so.
    if (auto q = build_question_lm(*bias))
      question_ = std::move(*q);
    else
      log::get("stt")->warn("question model for '{}' not built: {}", bias->id,
                            describe(q.error()));
  }
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
  auto wip = num(cfg.wip), silprob = num(cfg.silprob), fillprob = num(cfg.fillprob);
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
                        "-wip", wip.c_str(),
                        "-silprob", silprob.c_str(),
                        "-fillprob", fillprob.c_str(),
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
  const auto t_model = clock::now();
  startup_.question_ms = std::chrono::duration<double, std::milli>(t_model - t0).count();
  ps_ = ps_init(config_);
  if (ps_ == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot load acoustic model from "
                        + paths.hmm);
  startup_.model_ms = ms_since(t_model);
  const auto t_words = clock::now();
  if (!paths.domain_dict.empty())
    if (auto err = load_domain_dict(paths.domain_dict))
      return err;
  lw_ = cfg.lw;
  adapt_ = cfg.adapt;
  warm_start_ = cfg.adapt && cfg.warm_start;
  nbest_ = cfg.nbest;
  if (warm_start_) {
    batch_fe_ = fe_init_auto_r(config_);
    if (batch_fe_ == nullptr)
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot create a front end");
  }
  if (!question_.arpa_path.empty())
    add_question_words();
  startup_.words_ms = ms_since(t_words);
  const auto t_lm = clock::now();
  if (auto err = install_lm(paths, cfg.domain_weight,
                            question_.arpa_path.empty() ? 0.0
                                                        : cfg.question_weight))
    return err;
  startup_.lm_ms = ms_since(t_lm);

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

void pocketsphinx_provider::add_question_words() {
  std::vector<std::string> missing;
  for (const auto& w : question_.words) {
    if (char* known = ps_lookup_word(ps_, w.c_str())) {
      ckd_free(known);
      continue;
    }
    missing.push_back(w);
  }
  if (missing.empty())
    return;
  // Words the dictionaries lack (a product name in an ad-hoc question)
  // get espeak-ng's pronunciation, as the build-time domain words did.
  for (const auto& [word, phones] : lm::espeak_pronunciations(missing))
    if (ps_add_word(ps_, word.c_str(), phones.c_str(), FALSE) >= 0)
      ++question_words_;
}

caf::error pocketsphinx_provider::install_lm(const pocketsphinx_paths& paths,
                                             double weight,
                                             double question_weight) {
  logmath_t* lmath = ps_get_logmath(ps_);
  ngram_model_t* general = ngram_model_read(config_, paths.general_lm.c_str(),
                                            NGRAM_AUTO, lmath);
  if (general == nullptr)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot read language model "
                        + paths.general_lm);
  // The submodels and their intended mix weights: question q, then the
  // rest split between domain (w) and general (1 - w).
  std::vector<ngram_model_t*> models;
  std::vector<std::string> names;
  std::vector<double> mix;
  auto free_all = [&] {
    for (auto* m : models)
      ngram_model_free(m);
  };
  const double rest = 1.0 - question_weight;
  if (question_weight > 0) {
    ngram_model_t* q = ngram_model_read(config_, question_.arpa_path.c_str(),
                                        NGRAM_ARPA, lmath);
    if (q == nullptr) {
      ngram_model_free(general);
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot read question model "
                          + question_.arpa_path);
    }
    models.push_back(q);
    names.push_back("question");
    mix.push_back(question_weight);
  }
  if (!paths.domain_lm.empty()) {
    ngram_model_t* domain = ngram_model_read(config_, paths.domain_lm.c_str(),
                                             NGRAM_AUTO, lmath);
    if (domain == nullptr) {
      free_all();
      ngram_model_free(general);
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot read domain language model "
                          + paths.domain_lm);
    }
    models.push_back(domain);
    names.push_back("domain");
    mix.push_back(rest * weight);
  }
  models.push_back(general);
  names.push_back("general");
  mix.push_back(rest * (paths.domain_lm.empty() ? 1.0 : 1.0 - weight));
  ngram_model_t* lm = general;
  if (models.size() > 1) {
    // Intended: P = sum_i w_i * P_i, so the general model keeps everyday
    // words likely while the domain and question models lift "sharding",
    // "idempotency", "p ninety five" and their contexts. But sphinxbase
    // applies the language weight lw to each submodel before mixing, i.e.
    // it computes sum_i w_i * P_i^lw; with plain weights the mix
    // degenerates to "best model wins" (any w > 0 acted alike and real
    // speech got worse). Passing w_i^lw gives sum_i (w_i * P_i)^lw, close
    // to (max_i w_i * P_i)^lw: the weights mean what the configuration
    // says again.
    std::vector<char*> cnames;
    std::vector<float32> weights;
    for (std::size_t i = 0; i < models.size(); ++i) {
      cnames.push_back(names[i].data());
      weights.push_back(static_cast<float32>(std::pow(mix[i], lw_)));
    }
    lm = ngram_model_set_init(config_, models.data(), cnames.data(),
                              weights.data(), static_cast<int32>(models.size()));
    if (lm == nullptr) {
      free_all();
      return make_error(errc::provider_failed,
                        "pocketsphinx: cannot interpolate language models");
    }
    // The set retains its submodels: drop ours, or every model (~33 MB)
    // outlives every provider (found by LeakSanitizer, docs/hardening.md).
    free_all();
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
  if (batch_fe_ != nullptr)
    fe_free(batch_fe_);
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

caf::error pocketsphinx_provider::begin_utterance(const adapt_state& from) {
  if (in_utterance_) {
    // Abandon the open one: a new utterance must not inherit its audio.
    ps_end_utt(ps_);
    in_utterance_ = false;
  }
  pending_.clear();
  // Live CMN adapts its mean as audio flows. Setting it from `from` (or the
  // start-up mean) also resets its running sums, so the utterance's text
  // depends on that vector and its own audio only: the state is recorded
  // with the utterance and a replay starts from exactly the same place.
  if (!from.empty() && from.size() != initial_cmn_.size())
    return make_error(errc::invalid_argument,
                      "pocketsphinx: adaptation state has "
                        + std::to_string(from.size()) + " values, expected "
                        + std::to_string(initial_cmn_.size()));
  for (float v : from)
    if (!std::isfinite(v))
      return make_error(errc::invalid_argument,
                        "pocketsphinx: adaptation state is not finite");
  const bool use_from = adapt_ && !from.empty();
  warm_pass_ = warm_start_ && from.empty();
  utt_audio_.clear();
  cmn_live_set(ps_get_feat(ps_)->cmn_struct,
               use_from ? from.data() : initial_cmn_.data());
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
  if (warm_pass_) {
    utt_audio_.insert(utt_audio_.end(), pcm.begin(), pcm.end());
    if (utt_audio_.size() >= warm_samples)
      return warm_restart();
  }
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

std::vector<word_info> pocketsphinx_provider::words() {
  std::vector<word_info> out;
  logmath_t* lmath = ps_get_logmath(ps_);
  // Frames are 10 ms (-frate 100).
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg != nullptr;
       seg = ps_seg_next(seg)) {
    auto word = clean_word(ps_seg_word(seg));
    if (word.empty())
      continue;
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    int32 ascr = 0, lscr = 0, lback = 0;
    int32 post = ps_seg_prob(seg, &ascr, &lscr, &lback);
    double p = logmath_exp(lmath, post);
    if (!std::isfinite(p))
      p = 0;
    const auto conf = static_cast<float>(std::clamp(p, 0.0, 1.0));
    // cmudict spells some compounds with a hyphen ("high-level"): they are
    // two words to a reader and to the graders; the time is shared out by
    // length.
    auto parts = split_hyphens(word);
    const int64_t t0 = int64_t{sf} * 10, t1 = int64_t{ef + 1} * 10;
    std::size_t letters = 0, done = 0;
    for (const auto& part : parts)
      letters += part.size();
    for (auto& part : parts) {
      auto a = t0 + (t1 - t0) * static_cast<int64_t>(done)
                      / static_cast<int64_t>(letters);
      done += part.size();
      auto b = t0 + (t1 - t0) * static_cast<int64_t>(done)
                      / static_cast<int64_t>(letters);
      out.push_back({std::move(part), a, b, conf});
    }
  }
  return out;
}

std::vector<std::string>
pocketsphinx_provider::alternatives(const std::string& best) {
  std::vector<std::string> out;
  if (nbest_ <= 0)
    return out;
  // A* over the lattice: bounded, since a long utterance has very many
  // paths that differ only in fillers and pronunciation variants.
  constexpr int max_paths = 40;
  ps_nbest_t* nb = ps_nbest(ps_);
  for (int i = 0; nb != nullptr && i < max_paths
                  && out.size() < static_cast<std::size_t>(nbest_);
       ++i) {
    int32 score = 0;
    auto text = clean_words(ps_nbest_hyp(nb, &score));
    if (!text.empty() && text != best
        && std::find(out.begin(), out.end(), text) == out.end())
      out.push_back(std::move(text));
    nb = ps_nbest_next(nb);
  }
  if (nb != nullptr)
    ps_nbest_free(nb);
  return out;
}

std::vector<float>
pocketsphinx_provider::batch_mean(const std::vector<int16_t>& pcm) {
  // Too little speech gives a mean worse than the model's own.
  constexpr int32 min_frames = 50;
  const int veclen = fe_get_output_size(batch_fe_);
  if (veclen != static_cast<int>(initial_cmn_.size()))
    return {};
  constexpr int32 chunk = 256;
  auto** cep = static_cast<mfcc_t**>(ckd_calloc_2d(chunk, veclen, sizeof(mfcc_t)));
  std::vector<double> sum(static_cast<std::size_t>(veclen), 0.0);
  int32 frames = 0;
  // A new stream, as for the decoder's own front end: its noise estimate
  // would otherwise carry over from the previous session's first utterance.
  fe_start_stream(batch_fe_);
  fe_start_utt(batch_fe_);
  const int16* p = pcm.data();
  std::size_t left = pcm.size();
  auto add = [&](int32 n) {
    for (int32 i = 0; i < n; ++i)
      for (int j = 0; j < veclen; ++j)
        sum[static_cast<std::size_t>(j)] += cep[i][j];
    frames += n;
  };
  while (left > 0) {
    int32 n = chunk;
    if (fe_process_frames(batch_fe_, &p, &left, cep, &n, nullptr) < 0)
      break;
    add(n);
    if (n == 0)
      break;
  }
  int32 last = 0;
  fe_end_utt(batch_fe_, cep[0], &last);
  add(last);
  ckd_free_2d(cep);
  if (frames < min_frames)
    return {};
  std::vector<float> mean(static_cast<std::size_t>(veclen));
  for (std::size_t j = 0; j < mean.size(); ++j)
    mean[j] = static_cast<float>(sum[j] / frames);
  return mean;
}

caf::error pocketsphinx_provider::restart_from(const std::vector<float>& mean,
                                               std::size_t upto) {
  ps_end_utt(ps_);  // the pass from the model's mean is abandoned
  cmn_live_set(ps_get_feat(ps_)->cmn_struct, mean.data());
  if (ps_start_stream(ps_) < 0 || ps_start_utt(ps_) < 0)
    return make_error(errc::provider_failed,
                      "pocketsphinx: cannot restart from the warm mean");
  // Same 100 ms blocks from sample 0 as the live pass, so the text does not
  // depend on how the caller chunked the audio, nor on when it crossed
  // warm_samples.
  std::size_t off = 0;
  for (; off + block_samples <= upto; off += block_samples)
    if (auto err = process(utt_audio_.data() + off, block_samples))
      return err;
  pending_.assign(utt_audio_.begin() + static_cast<std::ptrdiff_t>(off),
                  utt_audio_.end());
  return {};
}

caf::error pocketsphinx_provider::warm_restart() {
  // The first utterance of a session started from the model's mean, far
  // from this speaker's microphone: start it again from the mean of its
  // own first seconds.
  warm_pass_ = false;
  const auto n = std::min(utt_audio_.size(), warm_samples);
  auto mean = batch_mean({utt_audio_.begin(),
                          utt_audio_.begin() + static_cast<std::ptrdiff_t>(n)});
  caf::error err;
  if (!mean.empty())
    err = restart_from(mean, utt_audio_.size());
  utt_audio_.clear();
  utt_audio_.shrink_to_fit();
  if (err)
    return err;
  // What the restart left over is fed as usual.
  return mean.empty() ? feed({}) : caf::error{};
}

caf::expected<utterance_result> pocketsphinx_provider::end_utterance() {
  if (!in_utterance_)
    return make_error(errc::invalid_argument,
                      "pocketsphinx: end_utterance without begin_utterance");
  caf::error err;
  // A first utterance shorter than warm_samples restarts here, on all of
  // it (at most 3 s of audio to decode again).
  if (warm_pass_)
    err = warm_restart();
  if (!err && !pending_.empty())
    err = process(pending_.data(), pending_.size());
  pending_.clear();
  in_utterance_ = false;
  if (ps_end_utt(ps_) < 0 && !err)
    err = make_error(errc::provider_failed, "pocketsphinx: ps_end_utt failed");
  if (err)
    return err;
  utterance_result r;
  r.text = hypothesis();
  r.words = words();
  r.alternatives = alternatives(r.text);
  if (adapt_) {
    r.next_state.resize(initial_cmn_.size());
    cmn_live_get(ps_get_feat(ps_)->cmn_struct, r.next_state.data());
  }
  return r;
}

caf::expected<std::unique_ptr<stt_provider>>
make_pocketsphinx_provider(const config::stt_settings& cfg,
                           const session_hints& hints) {
  std::optional<question_bias> bias;
  if (hints.bias && cfg.pocketsphinx.question_weight > 0)
    bias = hints.bias();
  auto p = pocketsphinx_provider::create(cfg.pocketsphinx,
                                         bias ? &*bias : nullptr);
  if (!p)
    return std::move(p.error());
  const auto& q = (*p)->question_model();
  const auto& t = (*p)->startup();
  const auto times = fmt::format(
    "start-up {:.0f} ms: question model {:.0f}, acoustic model {:.0f}, pronunciations "
    "{:.0f}, language models {:.0f}",
    t.question_ms + t.model_ms + t.words_ms + t.lm_ms, t.question_ms, t.model_ms,
    t.words_ms, t.lm_ms);
  if (q.arpa_path.empty())
    log::get("stt")->info("pocketsphinx ready ({} domain pronunciations; {})",
                          (*p)->domain_words(), times);
  else
    log::get("stt")->info(
      "pocketsphinx ready ({} domain pronunciations; question '{}': {} "
      "sentences, {} words, {} new pronunciations, {} in {:.1f} ms; {})",
      (*p)->domain_words(), bias->id, q.sentences, q.words.size(),
      (*p)->question_words(), q.from_cache ? "cached" : "built", q.build_ms, times);
  return std::unique_ptr<stt_provider>{std::move(*p)};
}

}  // namespace sof::stt
