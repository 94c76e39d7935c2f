#include "actors/transcription/transcription_core.hpp"

#include "actors/common/errors.hpp"
#include "base/text/utf8.hpp"

#include <algorithm>
#include <cmath>

namespace sof::transcription {

namespace {
// Replay in one-second chunks: large enough to be cheap, small enough that a
// crash plan keyed on chunk index still lands inside the utterance.
constexpr std::size_t replay_chunk = 16000;

}  // namespace

caf::error validate_transcript(const std::string& text, int64_t audio_ms) {
  // Even very fast speech stays under ~7 words/s; allow generous slack.
  const size_t max_chars = 64 + static_cast<size_t>(audio_ms) / 10;
  if (text.size() > max_chars)
    return make_error(errc::provider_failed,
                      "implausible transcript: " + std::to_string(text.size())
                        + " bytes for " + std::to_string(audio_ms)
                        + " ms of audio");
  if (!text::valid_utf8(text))
    return make_error(errc::provider_failed, "transcript is not valid UTF-8");
  if (std::any_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 && u != '\t' && u != '\n';
      }))
    return make_error(errc::provider_failed,
                      "transcript contains control characters");
  return {};
}

caf::expected<std::vector<msg::transcript_word>>
session_words(const std::vector<msg::transcript_word>& words, int64_t start_ms,
              int64_t end_ms) {
  std::vector<msg::transcript_word> out;
  out.reserve(words.size());
  const int64_t length = std::max<int64_t>(0, end_ms - start_ms);
  int64_t floor = 0;
  for (const auto& w : words) {
    if (w.word.empty())
      continue;
    if (auto err = validate_transcript(w.word, 1000))
      return err;
    msg::transcript_word x = w;
    // Keep times inside the utterance and never going backwards, so a
    // client can lay words out on a timeline without checks of its own.
    x.start_ms = std::clamp<int64_t>(w.start_ms, floor, length);
    x.end_ms = std::clamp<int64_t>(w.end_ms, x.start_ms, length);
    floor = x.start_ms;
    x.start_ms += start_ms;
    x.end_ms += start_ms;
    x.confidence = std::isfinite(w.confidence)
                     ? std::clamp(w.confidence, 0.0f, 1.0f)
                     : 0.0f;
    out.push_back(std::move(x));
  }
  return out;
}

effects transcription_core::on_utterance_begin(const msg::utterance_begin& m) {
  auto& p = pending_[m.utt];
  p.start_ms = m.start_ms;
  // Live path: the worker starts from where its previous utterance ended.
  return {msg::stt_begin{m.utt, p.attempt, false, {}}};
}

effects transcription_core::on_utterance_audio(msg::utterance_audio m) {
  auto i = pending_.find(m.utt);
  if (i == pending_.end() || i->second.ended)
    return {};  // broken invariant upstream; nothing safe to do with it
  auto& audio = i->second.audio;
  audio.insert(audio.end(), m.pcm.begin(), m.pcm.end());
  return {msg::stt_audio{m.utt, std::move(m.pcm)}};
}

effects transcription_core::on_utterance_end(const msg::utterance_end& m) {
  auto i = pending_.find(m.utt);
  if (i == pending_.end())
    return {};
  i->second.ended = true;
  i->second.end_ms = m.end_ms;
  return {msg::stt_end{m.utt}};
}

effects transcription_core::on_partial(const msg::stt_partial& m) {
  if (!pending_.count(m.utt) || m.text.empty())
    return {};
  if (validate_transcript(m.text, 60000))
    return {};  // a bad partial is dropped; the final is what counts
  return {msg::transcript_partial{m.utt, m.text}};
}

caf::expected<effects> transcription_core::on_final(const msg::stt_final& m) {
  auto i = pending_.find(m.utt);
  if (i == pending_.end() || !i->second.ended)
    return effects{};
  const auto& p = i->second;
  int64_t audio_ms = static_cast<int64_t>(p.audio.size() / 16);
  if (auto err = validate_transcript(m.text, audio_ms))
    return err;
  for (const auto& alt : m.alternatives)
    if (auto err = validate_transcript(alt, audio_ms))
      return err;
  auto words = session_words(m.words, p.start_ms,
                             std::max(p.end_ms, p.start_ms + audio_ms));
  if (!words)
    return std::move(words.error());
  msg::transcript_segment seg{m.utt, p.start_ms, p.end_ms, m.text};
  seg.words = std::move(*words);
  seg.alternatives = m.alternatives;
  seg.recognizer = m.recognizer;
  seg.adapt_state = m.start_state;
  confirmed_state_ = m.next_state;
  pending_.erase(i);
  segments_.push_back(seg);
  return effects{std::move(seg)};
}

effects transcription_core::replay() {
  effects out;
  bool first = true;
  for (auto& [utt, p] : pending_) {
    ++p.attempt;
    // The first unconfirmed utterance starts where the last confirmed one
    // left the recogniser; the rest follow on in the fresh worker exactly
    // as they did in the one that failed.
    out.push_back(msg::stt_begin{utt, p.attempt, first,
                                 first ? confirmed_state_
                                       : std::vector<float>{}});
    first = false;
    for (size_t off = 0; off < p.audio.size(); off += replay_chunk) {
      auto end = std::min(p.audio.size(), off + replay_chunk);
      out.push_back(msg::stt_audio{
        utt, std::vector<int16_t>(p.audio.begin() + off, p.audio.begin() + end)});
    }
    if (p.ended)
      out.push_back(msg::stt_end{utt});
  }
  return out;
}

std::size_t transcription_core::held_samples() const {
  std::size_t n = 0;
  for (const auto& [_, p] : pending_)
    n += p.audio.size();
  return n;
}

}  // namespace sof::transcription
