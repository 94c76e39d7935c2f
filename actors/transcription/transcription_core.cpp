#include "actors/transcription/transcription_core.hpp"

#include "actors/common/errors.hpp"
#include "actors/text/utf8.hpp"

#include <algorithm>

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

effects transcription_core::on_utterance_begin(const msg::utterance_begin& m) {
  auto& p = pending_[m.utt];
  p.start_ms = m.start_ms;
  return {msg::stt_begin{m.utt, p.attempt}};
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
  msg::transcript_segment seg{m.utt, p.start_ms, p.end_ms, m.text};
  pending_.erase(i);
  segments_.push_back(seg);
  return effects{std::move(seg)};
}

effects transcription_core::replay() {
  effects out;
  for (auto& [utt, p] : pending_) {
    ++p.attempt;
    out.push_back(msg::stt_begin{utt, p.attempt});
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
