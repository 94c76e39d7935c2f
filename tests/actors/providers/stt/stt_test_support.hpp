#pragma once
// Test-side audio for the speech-to-text tests and the stt_eval tool:
// flite kal16 synthesis (16 kHz, in process), WAV reading (libsndfile),
// and the reference sentence sets.
#include "actors/providers/stt/stt_provider.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sof::stt::testing {

struct labelled_audio {
  std::string name;
  std::string reference;
  std::vector<int16_t> pcm;  // 16 kHz mono
};

/// Synthesizes `text` with flite's kal16 voice (16 kHz). Throws on failure.
std::vector<int16_t> synthesize_kal16(const std::string& text);

/// Reads a WAV file as 16 kHz mono PCM16 (throws if it is anything else).
std::vector<int16_t> read_wav_16k_mono(const std::string& path);

/// Non-empty, non-comment lines of a text file.
std::vector<std::string> read_lines(const std::string& path);

/// tests/data/stt/system_design_sentences.txt, synthesized.
std::vector<labelled_audio> flite_set(std::size_t limit = 0);

/// SOF_SHARED_DIR/speech/*.wav with transcripts.tsv.
std::vector<labelled_audio> real_speech_set();

/// Decodes one utterance from the initial state, feeding `chunk` samples
/// at a time.
std::string decode(stt_provider& p, const std::vector<int16_t>& pcm,
                   std::size_t chunk = 320);

/// Decodes one utterance from `from`: text, words, alternatives, next state.
utterance_result decode_result(stt_provider& p, const std::vector<int16_t>& pcm,
                               const adapt_state& from,
                               std::size_t chunk = 320);

}  // namespace sof::stt::testing
