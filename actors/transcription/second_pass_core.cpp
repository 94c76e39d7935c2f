#include "actors/transcription/second_pass_core.hpp"

#include "actors/common/errors.hpp"
#include "actors/transcription/transcription_core.hpp"

#include <algorithm>

namespace sof::transcription {
namespace {

// Whisper-class servers pad their text with spaces and newlines.
std::string trimmed(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos)
    return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

msg::second_pass_outcome outcome(uint32_t utt, const char* what,
                                 std::string reason = {}) {
  return {utt, what, std::move(reason)};
}

}  // namespace

second_pass_core::second_pass_core(std::string recognizer, int64_t deadline_ms)
  : recognizer_(std::move(recognizer)), deadline_ms_(deadline_ms) {
}

void second_pass_core::on_utterance_begin(const msg::utterance_begin& m) {
  if (forgotten(m.utt))
    return;
  auto [it, fresh] = utts_.try_emplace(m.utt);
  if (fresh)
    it->second.start_ms = m.start_ms;
}

void second_pass_core::on_utterance_audio(const msg::utterance_audio& m) {
  auto i = utts_.find(m.utt);
  if (i == utts_.end() || i->second.closed || !available_)
    return;
  auto& audio = i->second.audio;
  audio.insert(audio.end(), m.pcm.begin(), m.pcm.end());
}

void second_pass_core::dispatch(second_pass_effects& out) {
  if (!worker_up_ || !available_ || busy())
    return;
  for (auto& [utt, u] : utts_)
    if (u.request == request_state::queued) {
      u.request = request_state::in_flight;
      // The audio goes with it: a request that fails is not retried.
      out.push_back(msg::second_pass_request{utt, u.expires_ms,
                                             std::move(u.audio)});
      u.audio = {};
      return;
    }
}

second_pass_effects
second_pass_core::on_utterance_end(const msg::utterance_end& m,
                                   int64_t now_ms) {
  second_pass_effects out;
  auto i = utts_.find(m.utt);
  if (i == utts_.end() || i->second.closed)
    return out;
  auto& u = i->second;
  u.closed = true;
  u.end_ms = m.end_ms;
  u.audio_ms = static_cast<int64_t>(u.audio.size() / 16);
  if (!available_) {
    u.audio = {};
    return out;  // decided by the local final alone
  }
  u.expires_ms = now_ms + deadline_ms_;
  u.request = request_state::queued;
  out.push_back(deadline_timer{m.utt});
  dispatch(out);
  return out;
}

second_pass_effects second_pass_core::on_local(msg::transcript_segment seg) {
  second_pass_effects out;
  auto i = utts_.find(seg.utt);
  if (i == utts_.end()) {
    // Not an utterance this core saw close: nothing to race, and dropping
    // it would lose words. One already emitted and forgotten is a
    // duplicate.
    if (!forgotten(seg.utt))
      out.push_back(std::move(seg));
    return out;
  }
  auto& u = i->second;
  if (u.local || u.emitted)
    return out;  // a duplicate final (e.g. a replay): once per utterance
  u.local = std::move(seg);
  flush(out);
  return out;
}

void second_pass_core::fail(uint32_t utt, utterance& u,
                            const std::string& reason,
                            second_pass_effects& out) {
  u.request = request_state::done;
  u.audio = {};
  ++counters_.failed;
  out.push_back(outcome(utt, "failed", reason));
}

second_pass_effects
second_pass_core::on_answer(const msg::second_pass_answer& m) {
  second_pass_effects out;
  auto i = utts_.find(m.utt);
  if (i == utts_.end() || i->second.request != request_state::in_flight)
    return out;  // unknown, or already answered: ignore duplicates
  auto& u = i->second;
  msg::second_pass_answer a = m;
  a.text = trimmed(m.text);
  // A garbled answer is a failure whether or not it was in time.
  caf::error bad;
  if (a.text.empty())
    bad = make_error(errc::provider_failed, "second pass: no text");
  else
    bad = validate_transcript(a.text, u.audio_ms);
  if (!bad) {
    auto words = session_words(m.words, u.start_ms,
                               std::max(u.end_ms, u.start_ms + u.audio_ms));
    if (words)
      a.words = std::move(*words);
    else
      bad = words.error();
  }
  if (bad) {
    auto reason = "garbled answer: " + describe(bad);
    fail(m.utt, u, reason, out);
    // The shell restarts it; nothing more for this worker.
    worker_up_ = false;
    out.push_back(worker_fault{reason});
    flush(out);
    return out;
  }
  u.request = request_state::done;
  u.audio = {};
  if (u.deadline_passed) {
    ++counters_.late;
    out.push_back(outcome(m.utt, "late"));
  } else {
    ++counters_.won;
    if (a.recognizer.empty())
      a.recognizer = recognizer_;
    u.winner = std::move(a);
    out.push_back(outcome(m.utt, "won"));
  }
  flush(out);
  dispatch(out);
  return out;
}

second_pass_effects
second_pass_core::on_failure(const msg::second_pass_failed& m) {
  second_pass_effects out;
  auto i = utts_.find(m.utt);
  if (i == utts_.end() || i->second.request != request_state::in_flight)
    return out;
  fail(m.utt, i->second, m.reason, out);
  if (!m.skipped) {
    worker_up_ = false;  // the shell restarts it
    out.push_back(worker_fault{m.reason});
  }
  flush(out);
  dispatch(out);
  return out;
}

second_pass_effects second_pass_core::on_deadline(uint32_t utt) {
  second_pass_effects out;
  auto i = utts_.find(utt);
  if (i == utts_.end() || !i->second.closed || i->second.deadline_passed)
    return out;
  auto& u = i->second;
  u.deadline_passed = true;
  if (u.request == request_state::queued)
    fail(utt, u, "not sent before the deadline (second-pass worker busy or "
                 "restarting)", out);
  // In flight: its answer can only be late now.
  flush(out);
  return out;
}

second_pass_effects second_pass_core::on_worker_down(const std::string& blame) {
  second_pass_effects out;
  worker_up_ = false;
  for (auto& [utt, u] : utts_)
    if (u.request == request_state::in_flight)
      fail(utt, u, blame.empty() ? "second-pass worker restarted" : blame, out);
  flush(out);
  return out;
}

second_pass_effects second_pass_core::on_worker_up() {
  second_pass_effects out;
  worker_up_ = true;
  dispatch(out);
  return out;
}

second_pass_effects
second_pass_core::on_unavailable(const std::string& reason) {
  second_pass_effects out;
  available_ = false;
  worker_up_ = false;
  for (auto& [utt, u] : utts_) {
    if (u.request == request_state::queued
        || u.request == request_state::in_flight)
      fail(utt, u, "second pass unavailable: " + reason, out);
    u.audio = {};
  }
  flush(out);
  return out;
}

void second_pass_core::flush(second_pass_effects& out) {
  for (auto it = utts_.begin(); it != utts_.end();) {
    auto& u = it->second;
    if (!u.emitted) {
      const bool decided = u.winner || u.deadline_passed
                           || u.request == request_state::done || !available_;
      if (!u.local || !decided)
        break;  // in order: later utterances wait for this one
      msg::transcript_segment seg = std::move(*u.local);
      if (u.winner) {
        // The local text becomes the first alternative, so the graders
        // still see what the local recogniser heard.
        std::vector<std::string> alts;
        if (!seg.text.empty())
          alts.push_back(std::move(seg.text));
        for (auto& a : seg.alternatives)
          alts.push_back(std::move(a));
        seg.alternatives = std::move(alts);
        seg.text = std::move(u.winner->text);
        // The remote words or none: the local words belong to other text,
        // and confidences are not invented.
        seg.words = std::move(u.winner->words);
        seg.recognizer = std::move(u.winner->recognizer);
      }
      u.local.reset();
      u.winner.reset();
      u.emitted = true;
      out.push_back(std::move(seg));
    }
    if (u.request == request_state::queued
        || u.request == request_state::in_flight) {
      ++it;  // its outcome (late or failed) is still to be counted
      continue;
    }
    // Erased in order, except past ones still awaiting a late answer.
    last_forgotten_ = std::max(last_forgotten_.value_or(0), it->first);
    it = utts_.erase(it);
  }
}

bool second_pass_core::forgotten(uint32_t utt) const {
  return last_forgotten_ && utt <= *last_forgotten_;
}

bool second_pass_core::idle() const {
  return std::none_of(utts_.begin(), utts_.end(), [](const auto& kv) {
    return kv.second.closed && !kv.second.emitted;
  });
}

bool second_pass_core::busy() const {
  return std::any_of(utts_.begin(), utts_.end(), [](const auto& kv) {
    return kv.second.request == request_state::in_flight;
  });
}

}  // namespace sof::transcription
