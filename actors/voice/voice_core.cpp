#include "actors/voice/voice_core.hpp"

#include "actors/common/errors.hpp"
#include "actors/messages/histogram.hpp"
#include "actors/voice/speech_text.hpp"

#include <algorithm>
#include <cassert>

namespace sof::voice {
namespace {

constexpr uint64_t samples_per_ms = 16;

double ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

caf::expected<policy_kind> parse_policy(std::string_view text) {
  if (text == "single")
    return policy_kind::single;
  if (text == "race")
    return policy_kind::race;
  if (text == "hedge")
    return policy_kind::hedge;
  return make_error(errc::invalid_argument, "unknown tts policy '"
                                              + std::string{text}
                                              + "' (known: single, race, hedge)");
}

const char* to_string(policy_kind p) {
  switch (p) {
    case policy_kind::single: return "single";
    case policy_kind::race: return "race";
    case policy_kind::hedge: return "hedge";
  }
  return "?";
}

voice_core::voice_core(core_config cfg) : cfg_(std::move(cfg)) {
  assert(!cfg_.providers.empty());
  for (const auto& label : cfg_.providers) {
    msg::tts_provider_stats s;
    s.provider = label;
    stats_.push_back(std::move(s));
  }
  open_until_.assign(cfg_.providers.size(), clock::time_point{});
  consecutive_failures_.assign(cfg_.providers.size(), 0);
}

bool voice_core::healthy(std::size_t provider, clock::time_point now) const {
  return open_until_[provider] <= now;
}

ms voice_core::hedge_delay() const {
  if (cfg_.hedge_delay.count() > 0)
    return cfg_.hedge_delay;
  const auto& h = stats_.front().first_chunk_ms;
  if (h.count < cfg_.hedge_min_samples)
    return cfg_.hedge_default;
  auto p95 = static_cast<int64_t>(metrics::quantile(h, 0.95) + 0.999);
  return ms{std::clamp<int64_t>(p95, 1, cfg_.first_chunk_timeout.count())};
}

void voice_core::count_restart(std::size_t provider) {
  if (provider < stats_.size())
    ++stats_[provider].restarts;
}

msg::voice_stats voice_core::stats() const {
  msg::voice_stats s;
  s.policy = to_string(cfg_.policy);
  s.hedge_delay_ms = static_cast<double>(hedge_delay().count());
  s.providers = stats_;
  s.ttfa_ms = ttfa_;
  s.spoken = spoken_;
  s.barged_in = barged_;
  s.failed = failed_;
  return s;
}

uint64_t voice_core::arm(timer t, ms delay, effects& fx) {
  auto token = next_token_++;
  timers_[token] = t;
  fx.emplace_back(arm_timer{token, delay});
  return token;
}

void voice_core::start(std::size_t provider, std::size_t piece, uint64_t skip,
                       clock::time_point now, effects& fx) {
  auto& sp = *cur_;
  auto id = next_job_++;
  jobs_[id] = job{provider, piece, now, 0, skip};
  ++stats_[provider].starts;
  if (piece == 0 && !sp.winner)
    sp.tried[provider] = true;
  msg::tts_synth synth{id, sp.pieces[piece], skip, speeches_ * 1000 + piece,
                       sp.attempt};
  fx.emplace_back(start_job{provider, std::move(synth)});
  arm({timer_kind::stall, id, 0, 0}, cfg_.first_chunk_timeout, fx);
}

void voice_core::begin(clock::time_point now, effects& fx) {
  cur_ = std::move(queue_.front());
  queue_.pop_front();
  ++speeches_;
  auto& sp = *cur_;
  sp.requested = std::min(sp.requested, now);
  sp.made.assign(sp.pieces.size(), 0);
  sp.tried.assign(cfg_.providers.size(), false);
  out_.clear();
  out_piece_.clear();
  play_start_.reset();
  sent_samples_ = 0;
  sent_per_piece_.assign(sp.pieces.size(), 0);
  seq_ = 0;
  std::vector<std::size_t> usable;
  for (std::size_t p = 0; p < cfg_.providers.size(); ++p)
    if (healthy(p, now))
      usable.push_back(p);
  if (usable.empty())  // all cooling down: better any than none
    for (std::size_t p = 0; p < cfg_.providers.size(); ++p)
      usable.push_back(p);
  switch (cfg_.policy) {
    case policy_kind::single:
      start(0, 0, 0, now, fx);
      break;
    case policy_kind::race:
      for (auto p : usable)
        start(p, 0, 0, now, fx);
      // Providers cooling down are not dropped from the race, only held
      // back: they join as hedged backups, so a race is never left with a
      // single runner that might hang.
      if (usable.size() < cfg_.providers.size())
        arm({timer_kind::hedge, 0, 0, sp.id}, hedge_delay(), fx);
      break;
    case policy_kind::hedge:
      // The first usable provider leads; the others (healthy or not, in
      // configured order) are its backups.
      start(usable.front(), 0, 0, now, fx);
      arm({timer_kind::hedge, 0, 0, sp.id}, hedge_delay(), fx);
      break;
  }
}

effects voice_core::speak(uint32_t speech_id, std::vector<std::string> pieces,
                          clock::time_point now) {
  effects fx;
  assert(!pieces.empty());
  speech sp;
  sp.id = speech_id;
  sp.pieces = std::move(pieces);
  sp.requested = now;
  queue_.push_back(std::move(sp));
  if (!cur_)
    begin(now, fx);
  return fx;
}

void voice_core::cancel_others(std::size_t keep, effects& fx) {
  for (auto i = jobs_.begin(); i != jobs_.end();) {
    if (i->second.provider != keep) {
      fx.emplace_back(cancel_job{i->second.provider, i->first});
      ++stats_[i->second.provider].cancels;
      i = jobs_.erase(i);
    } else {
      ++i;
    }
  }
}

effects voice_core::on_chunk(uint64_t id, std::vector<int16_t> pcm,
                             clock::time_point now) {
  effects fx;
  auto i = jobs_.find(id);
  if (i == jobs_.end() || !cur_)
    return fx;  // a cancelled or failed job's late audio
  auto& j = i->second;
  if (++j.chunks == 1)
    metrics::observe(stats_[j.provider].first_chunk_ms, ms_between(j.started, now));
  auto& sp = *cur_;
  if (!sp.winner) {
    sp.winner = j.provider;
    ++stats_[j.provider].wins;
    cancel_others(j.provider, fx);
  }
  auto drop = std::min<uint64_t>(j.skip, pcm.size());
  j.skip -= drop;
  pcm.erase(pcm.begin(), pcm.begin() + static_cast<long>(drop));
  if (pcm.empty())
    return fx;
  sp.made[j.piece] += pcm.size();
  out_piece_.push_back(j.piece);
  out_.push_back(std::move(pcm));
  pump(now, fx);
  return fx;
}

effects voice_core::on_done(uint64_t id, clock::time_point now) {
  effects fx;
  auto i = jobs_.find(id);
  if (i == jobs_.end() || !cur_)
    return fx;
  auto j = i->second;
  jobs_.erase(i);
  metrics::observe(stats_[j.provider].total_ms, ms_between(j.started, now));
  consecutive_failures_[j.provider] = 0;
  open_until_[j.provider] = clock::time_point{};
  auto& sp = *cur_;
  if (!sp.winner) {
    // Finished without a single sample (a piece with nothing to say):
    // this provider's voice is as good as any for the rest.
    sp.winner = j.provider;
    ++stats_[j.provider].wins;
    cancel_others(j.provider, fx);
  }
  if (j.provider != *sp.winner || j.piece != sp.piece)
    return fx;
  sp.failures = 0;  // the attempt budget is per piece
  if (++sp.piece < sp.pieces.size()) {
    start(*sp.winner, sp.piece, 0, now, fx);
  } else {
    sp.synthesized = true;
    sp.synth_end = now;
  }
  pump(now, fx);
  return fx;
}

bool voice_core::any_job_of_speech() const {
  return !jobs_.empty();  // jobs only ever belong to the current speech
}

void voice_core::retry_or_fail(const std::string& reason, clock::time_point now,
                               effects& fx) {
  auto& sp = *cur_;
  // The locked voice gets max_attempts; before any audio, every provider
  // gets them.
  const auto budget = sp.winner ? cfg_.max_attempts
                                : cfg_.max_attempts
                                    * static_cast<uint32_t>(cfg_.providers.size());
  if (sp.failures >= budget)
    return finish("failed", reason, now, fx);
  if (sp.winner) {
    // Never switch voices mid-speech: the same provider resumes the piece
    // after its restart, skipping what was already sent.
    ++sp.attempt;
    return start(*sp.winner, sp.piece, sp.made[sp.piece], now, fx);
  }
  // No audio yet: any provider may still win. Try one not tried yet (hedge
  // brings its backup forward), else go round again.
  for (std::size_t p = 0; p < sp.tried.size(); ++p)
    if (!sp.tried[p])
      return start(p, 0, 0, now, fx);
  ++sp.attempt;
  sp.tried.assign(sp.tried.size(), false);
  if (cfg_.policy == policy_kind::race)
    for (std::size_t p = 0; p < cfg_.providers.size(); ++p)
      start(p, 0, 0, now, fx);
  else
    start(0, 0, 0, now, fx);
}

effects voice_core::on_failure(std::size_t provider, const std::string& reason,
                               clock::time_point now) {
  effects fx;
  if (provider >= stats_.size())
    return fx;
  bool had_job = false;
  for (auto i = jobs_.begin(); i != jobs_.end();) {
    if (i->second.provider == provider) {
      had_job = true;
      i = jobs_.erase(i);
    } else {
      ++i;
    }
  }
  ++stats_[provider].failures;
  auto n = std::min<uint32_t>(++consecutive_failures_[provider], 7);
  open_until_[provider] = now + std::min<ms>(ms{int64_t{1000} << (n - 1)}, ms{60000});
  if (!cur_ || !had_job)
    return fx;
  ++cur_->failures;
  if (cur_->winner && *cur_->winner != provider)
    return fx;  // a cancelled loser failing changes nothing
  if (!cur_->winner && any_job_of_speech())
    return fx;  // others are still racing for this speech
  retry_or_fail(cfg_.providers[provider] + ": " + reason, now, fx);
  return fx;
}

effects voice_core::on_timer(uint64_t token, clock::time_point now) {
  effects fx;
  auto i = timers_.find(token);
  if (i == timers_.end())
    return fx;
  auto t = i->second;
  timers_.erase(i);
  switch (t.kind) {
    case timer_kind::tick:
      tick_armed_ = false;
      pump(now, fx);
      break;
    case timer_kind::hedge: {
      if (!cur_ || cur_->id != t.speech || cur_->winner
          || cfg_.policy == policy_kind::single)
        break;
      auto& sp = *cur_;
      while (sp.next_backup < sp.tried.size() && sp.tried[sp.next_backup])
        ++sp.next_backup;
      if (sp.next_backup < sp.tried.size()) {
        start(sp.next_backup++, 0, 0, now, fx);
        if (sp.next_backup < sp.tried.size())
          arm({timer_kind::hedge, 0, 0, sp.id}, hedge_delay(), fx);
      }
      break;
    }
    case timer_kind::stall: {
      auto j = jobs_.find(t.job);
      if (j == jobs_.end())
        break;
      if (j->second.chunks == t.chunks) {
        fx.emplace_back(provider_hung{
          j->second.provider,
          "no audio for " + std::to_string(cfg_.first_chunk_timeout.count()) + " ms"});
        break;
      }
      arm({timer_kind::stall, t.job, j->second.chunks, 0},
          cfg_.first_chunk_timeout, fx);
      break;
    }
  }
  return fx;
}

void voice_core::pump(clock::time_point now, effects& fx) {
  if (!cur_)
    return;
  auto& sp = *cur_;
  while (!out_.empty()) {
    if (cfg_.realtime && play_start_) {
      auto elapsed = std::chrono::duration_cast<ms>(now - *play_start_) + cfg_.lead;
      if (sent_samples_ >= static_cast<uint64_t>(std::max<int64_t>(elapsed.count(), 0))
                            * samples_per_ms)
        break;
    }
    if (!play_start_) {
      play_start_ = now;
      sp.first_out = now;
      metrics::observe(ttfa_, ms_between(sp.requested, now));
    }
    auto pcm = std::move(out_.front());
    auto piece = out_piece_.front();
    out_.pop_front();
    out_piece_.pop_front();
    sent_samples_ += pcm.size();
    sent_per_piece_[piece] += pcm.size();
    fx.emplace_back(msg::voice_chunk{sp.id, seq_++,
                                     cfg_.providers[*sp.winner], std::move(pcm)});
  }
  if (!out_.empty() && !tick_armed_) {
    tick_armed_ = true;
    arm({timer_kind::tick, 0, 0, 0}, ms{cfg_.chunk_ms}, fx);
  }
  if (sp.synthesized && out_.empty())
    finish("spoken", {}, now, fx);
}

void voice_core::finish(const std::string& outcome, const std::string& reason,
                        clock::time_point now, effects& fx) {
  auto& sp = *cur_;
  for (const auto& [id, j] : jobs_) {
    fx.emplace_back(cancel_job{j.provider, id});
    ++stats_[j.provider].cancels;
  }
  jobs_.clear();
  msg::voice_done d;
  d.speech_id = sp.id;
  d.outcome = outcome;
  d.reason = reason;
  d.provider = sp.winner ? cfg_.providers[*sp.winner] : std::string{};
  d.ttfa_ms = sp.first_out ? ms_between(sp.requested, *sp.first_out) : -1.0;
  d.synth_ms = sp.synth_end ? ms_between(sp.requested, *sp.synth_end) : -1.0;
  // What the candidate heard: with real-time pacing, what has played by
  // now (the lead still in their buffer is flushed by barge-in); otherwise
  // everything sent.
  uint64_t heard = sent_samples_;
  if (cfg_.realtime && play_start_ && outcome != "spoken") {
    auto played = std::chrono::duration_cast<ms>(now - *play_start_).count();
    heard = std::min<uint64_t>(heard, static_cast<uint64_t>(std::max<int64_t>(played, 0))
                                        * samples_per_ms);
  }
  d.audio_ms = static_cast<double>(heard) / samples_per_ms;
  auto add = [](std::string& to, const std::string& s) {
    if (s.empty())
      return;
    if (!to.empty())
      to += ' ';
    to += s;
  };
  for (std::size_t k = 0; k < sp.pieces.size(); ++k) {
    if (outcome == "spoken") {
      add(d.spoken_text, sp.pieces[k]);
      continue;
    }
    bool complete = k < sp.piece || sp.synthesized;
    uint64_t in_piece = std::min(heard, sent_per_piece_[k]);
    heard -= in_piece;
    if (in_piece == 0) {
      add(d.unspoken_text, sp.pieces[k]);
    } else if (complete && in_piece >= sp.made[k]) {
      add(d.spoken_text, sp.pieces[k]);
    } else {
      // Part of the piece was heard; words are assumed evenly spread. A
      // piece still being made is judged against its likely length (about
      // 65 ms of speech per character) when more than was made so far.
      uint64_t length = sp.made[k];
      if (!complete)
        length = std::max<uint64_t>(length, sp.pieces[k].size() * 65 * samples_per_ms);
      auto [said, unsaid] = split_at_fraction(
        sp.pieces[k], static_cast<double>(in_piece) / std::max<uint64_t>(length, 1));
      add(d.spoken_text, said);
      add(d.unspoken_text, unsaid);
    }
  }
  if (outcome == "spoken")
    ++spoken_;
  else if (outcome == "barged_in")
    ++barged_;
  else if (outcome == "failed")
    ++failed_;
  fx.emplace_back(std::move(d));
  cur_.reset();
  out_.clear();
  out_piece_.clear();
  // Stale timers of this speech find nothing to act on; drop them now.
  std::erase_if(timers_, [](const auto& kv) { return kv.second.kind != timer_kind::tick; });
  if (!queue_.empty())
    begin(now, fx);
}

effects voice_core::barge_in(clock::time_point now) {
  effects fx;
  if (!cur_)
    return fx;
  // Whatever is queued behind is moot too: the candidate has the floor.
  auto queued = std::move(queue_);
  queue_.clear();
  finish("barged_in", "the candidate started speaking", now, fx);
  for (auto& sp : queued) {
    msg::voice_done d;
    d.speech_id = sp.id;
    d.outcome = "barged_in";
    d.reason = "the candidate started speaking";
    for (const auto& p : sp.pieces)
      d.unspoken_text += (d.unspoken_text.empty() ? "" : " ") + p;
    ++barged_;
    fx.emplace_back(std::move(d));
  }
  return fx;
}

effects voice_core::stop(clock::time_point now, const std::string& reason) {
  effects fx;
  if (!cur_)
    return fx;
  auto queued = std::move(queue_);
  queue_.clear();
  finish("cancelled", reason, now, fx);
  for (auto& sp : queued) {
    msg::voice_done d;
    d.speech_id = sp.id;
    d.outcome = "cancelled";
    d.reason = reason;
    for (const auto& p : sp.pieces)
      d.unspoken_text += (d.unspoken_text.empty() ? "" : " ") + p;
    fx.emplace_back(std::move(d));
  }
  return fx;
}

}  // namespace sof::voice
