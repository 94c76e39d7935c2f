#pragma once
// Synthetic speech for the speech-to-text evaluation (stt_eval and the
// question-biasing measurements): four flite voices in process, an optional
// degradation to real-speech error rates with sox, and a disk cache so a
// second run neither re-synthesizes nor re-degrades.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sof::stt::testing {

/// The flite voices every synthetic set is spoken in. Never only one: the
/// search was once tuned on kal16 alone and did not carry over to the others.
const std::vector<std::string>& flite_voices();

/// Synthesizes `text` with flite voice `voice` (one of flite_voices()) as
/// 16 kHz mono PCM16, in process, uncached. Throws on failure.
std::vector<int16_t> synthesize(const std::string& voice,
                                const std::string& text);

enum class condition { clean, noisy };

/// "clean" or "noisy".
const char* condition_name(condition c);

/// `text` spoken by `voice` under condition `c`, from the cache when
/// present (see eval_cache_dir). The noisy version is the clean audio with
/// light reverberation and pink noise at a fixed SNR (degradation_commands).
std::vector<int16_t> spoken(const std::string& voice, const std::string& text,
                            condition c);

/// The exact sox commands of the noisy condition, for documentation.
std::string degradation_commands();

/// Where synthesized and degraded WAVs are kept: $SOF_EVAL_CACHE if set,
/// else ${CMAKE_BINARY_DIR}/eval-cache.
std::filesystem::path eval_cache_dir();

/// Writes 16 kHz mono PCM16 as a WAV (atomically: temp file, then rename).
void write_wav_16k_mono(const std::filesystem::path& path,
                        const std::vector<int16_t>& pcm);

}  // namespace sof::stt::testing
