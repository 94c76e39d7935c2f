#pragma once
// The message catalogue: every struct that travels between actors of a
// session, in one place. Each is msgpack-serializable (MSGPACK_DEFINE, used by
// the journal and the wire) and CAF-inspectable (generated from the same
// field list), and registered with CAF once in register_all().
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/messages/pcm_msgpack.hpp"

#include <msgpack.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

// One field list serves both serializers: msgpack via MSGPACK_DEFINE and CAF
// via for_fields(), so they can never disagree about a struct's layout.
#define SOF_FIELDS(...)                                                        \
  MSGPACK_DEFINE(__VA_ARGS__)                                                  \
  template <class F>                                                           \
  decltype(auto) for_fields(F&& f) {                                           \
    return f(__VA_ARGS__);                                                     \
  }

namespace sof::msg {

// -- audio in (client/transport -> session -> capture) ----------------------

/// PCM16 16 kHz mono, 10-60 ms; seq starts at 0 and increases by one.
struct audio_frame {
  static constexpr const char* name = "audio_frame";
  uint64_t seq = 0;
  int64_t timestamp_ms = 0;  // client capture time, informational
  std::vector<int16_t> pcm;
  SOF_FIELDS(seq, timestamp_ms, pcm)
};

/// A frame capture refused (malformed, too far ahead, late after a gap).
struct frame_rejected {
  static constexpr const char* name = "frame_rejected";
  uint64_t seq = 0;
  std::string reason;
  SOF_FIELDS(seq, reason)
};

// -- capture -> transcription -------------------------------------------------

struct utterance_begin {
  static constexpr const char* name = "utterance_begin";
  uint32_t utt = 0;
  int64_t start_ms = 0;
  SOF_FIELDS(utt, start_ms)
};

struct utterance_audio {
  static constexpr const char* name = "utterance_audio";
  uint32_t utt = 0;
  std::vector<int16_t> pcm;
  SOF_FIELDS(utt, pcm)
};

struct utterance_end {
  static constexpr const char* name = "utterance_end";
  uint32_t utt = 0;
  int64_t end_ms = 0;  // end of the last voiced frame
  SOF_FIELDS(utt, end_ms)
};

// -- capture -> session --------------------------------------------------------

/// The candidate started speaking (used for barge-in).
struct speech_started {
  static constexpr const char* name = "speech_started";
  uint32_t utt = 0;
  int64_t at_ms = 0;
  SOF_FIELDS(utt, at_ms)
};

/// The candidate's turn ended: silence of at least end_of_turn_ms.
struct turn_ended {
  static constexpr const char* name = "turn_ended";
  uint32_t turn = 0;
  int64_t at_ms = 0;       // when the silence began
  int64_t silence_ms = 0;  // silence observed when the turn was declared
  bool end_of_audio = false;
  SOF_FIELDS(turn, at_ms, silence_ms, end_of_audio)
};

struct delivery_stats {
  static constexpr const char* name = "delivery_stats";
  double audio_seconds = 0;
  double speaking_seconds = 0;
  double time_to_first_speech_seconds = 0;
  uint32_t utterances = 0;
  uint32_t turns = 0;
  uint32_t pauses = 0;
  double longest_pause_seconds = 0;
  double mean_pause_seconds = 0;
  uint32_t words = 0;
  double words_per_minute = 0;  // words / speaking time; 0 until words known
  SOF_FIELDS(audio_seconds, speaking_seconds, time_to_first_speech_seconds,
             utterances, turns, pauses, longest_pause_seconds,
             mean_pause_seconds, words, words_per_minute)
};

struct capture_counters {
  static constexpr const char* name = "capture_counters";
  uint64_t frames = 0;
  uint64_t duplicates = 0;
  uint64_t reordered = 0;
  uint64_t late = 0;      // arrived after their slot was given up as a gap
  uint64_t gaps = 0;      // missing frames filled with silence
  uint64_t rejected = 0;  // malformed frames
  SOF_FIELDS(frames, duplicates, reordered, late, gaps, rejected)
};

/// capture's reply to end of audio.
struct capture_report {
  static constexpr const char* name = "capture_report";
  delivery_stats delivery;
  capture_counters counters;
  SOF_FIELDS(delivery, counters)
};

// -- transcription <-> speech-to-text worker --------------------------------

struct stt_begin {
  static constexpr const char* name = "stt_begin";
  uint32_t utt = 0;
  uint32_t attempt = 0;  // 0 first time, +1 per replay after a restart
  // false: start from the state the worker's previous utterance ended in
  // (the live path). true: start from `state` (a replay into a fresh
  // worker; empty = the model's initial state).
  bool set_state = false;
  std::vector<float> state;
  SOF_FIELDS(utt, attempt, set_state, state)
};

struct stt_audio {
  static constexpr const char* name = "stt_audio";
  uint32_t utt = 0;
  std::vector<int16_t> pcm;
  SOF_FIELDS(utt, pcm)
};

struct stt_end {
  static constexpr const char* name = "stt_end";
  uint32_t utt = 0;
  SOF_FIELDS(utt)
};

struct stt_partial {
  static constexpr const char* name = "stt_partial";
  uint32_t utt = 0;
  std::string text;
  SOF_FIELDS(utt, text)
};

/// One recognised word; times in ms (relative to the utterance in
/// stt_final, to the session in transcript_segment).
struct transcript_word {
  static constexpr const char* name = "transcript_word";
  std::string word;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  float confidence = 0;  // [0, 1], the recogniser's posterior
  SOF_FIELDS(word, start_ms, end_ms, confidence)
};

/// Words below this confidence are shown to the candidate as uncertain
/// (docs/stt.md: how it was chosen).
constexpr float low_confidence = 0.3f;

struct stt_final {
  static constexpr const char* name = "stt_final";
  stt_final() = default;
  stt_final(uint32_t u, std::string t) : utt(u), text(std::move(t)) {}
  uint32_t utt = 0;
  std::string text;
  std::vector<transcript_word> words;
  std::vector<std::string> alternatives;  // n-best texts after `text`
  std::vector<float> start_state;         // adaptation state decoded from
  std::vector<float> next_state;          // state the next utterance starts from
  std::string recognizer;                 // provider name
  SOF_FIELDS(utt, text, words, alternatives, start_state, next_state,
             recognizer)
};

/// A provider call returned an error (not a crash): the supervisor restarts.
struct stt_failed {
  static constexpr const char* name = "stt_failed";
  uint32_t utt = 0;
  std::string reason;
  bool fatal = false;  // retrying cannot help (e.g. the model is missing)
  SOF_FIELDS(utt, reason, fatal)
};

// -- transcription -> session ---------------------------------------------------

struct transcript_partial {
  static constexpr const char* name = "transcript_partial";
  uint32_t utt = 0;
  std::string text;
  SOF_FIELDS(utt, text)
};

struct transcript_segment {
  static constexpr const char* name = "transcript_segment";
  transcript_segment() = default;
  // Text only (typed answers, tests): no words, alternatives or state.
  transcript_segment(uint32_t u, int64_t start, int64_t end, std::string t)
    : utt(u), start_ms(start), end_ms(end), text(std::move(t)) {}
  uint32_t utt = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string text;
  std::vector<transcript_word> words;     // session times, may be empty
  std::vector<std::string> alternatives;  // n-best texts, for the graders
  std::string recognizer;                 // "pocketsphinx", "openai"
  // The recogniser's adaptation state this utterance was decoded from:
  // what a replay (or a takeover) needs to decode it to the same words.
  std::vector<float> adapt_state;
  SOF_FIELDS(utt, start_ms, end_ms, text, words, alternatives, recognizer,
             adapt_state)
};

// -- transcription <-> second-pass worker (docs/stt.md "Second pass") -------

/// A closed utterance for the second-pass recogniser. expires_ms is its
/// deadline on the actor clock (ms since the clock's epoch): a worker that
/// gets to it later skips it, since a late answer is dropped anyway.
struct second_pass_request {
  static constexpr const char* name = "second_pass_request";
  uint32_t utt = 0;
  int64_t expires_ms = 0;
  std::vector<int16_t> pcm;
  SOF_FIELDS(utt, expires_ms, pcm)
};

struct second_pass_answer {
  static constexpr const char* name = "second_pass_answer";
  uint32_t utt = 0;
  std::string text;
  std::vector<transcript_word> words;  // relative to the utterance; may be empty
  std::string recognizer;              // provider name
  SOF_FIELDS(utt, text, words, recognizer)
};

struct second_pass_failed {
  static constexpr const char* name = "second_pass_failed";
  uint32_t utt = 0;
  std::string reason;
  bool fatal = false;    // retrying cannot help (bad configuration)
  // Never sent: its deadline passed while older requests were in flight.
  // Not the worker's fault, so not a reason to restart it.
  bool skipped = false;
  SOF_FIELDS(utt, reason, fatal, skipped)
};

/// How the second pass went for one utterance (transcription -> session ->
/// listener): "won" (its text is the segment's), "late" (answered after the
/// deadline; dropped) or "failed" (error, garbled, hung, crashed, skipped).
struct second_pass_outcome {
  static constexpr const char* name = "second_pass_outcome";
  uint32_t utt = 0;
  std::string outcome;
  std::string reason;  // for "failed"
  SOF_FIELDS(utt, outcome, reason)
};

// -- supervision -> session ---------------------------------------------------

struct provider_restarted {
  static constexpr const char* name = "provider_restarted";
  std::string kind;    // "stt", "tts", ...
  std::string reason;
  uint32_t restarts = 0;  // total so far for this kind
  int64_t backoff_ms = 0;
  SOF_FIELDS(kind, reason, restarts, backoff_ms)
};

struct provider_escalated {
  static constexpr const char* name = "provider_escalated";
  std::string kind;
  std::string reason;
  SOF_FIELDS(kind, reason)
};


// -- retrieval -------------------------------------------------------------------

struct kb_query {
  static constexpr const char* name = "kb_query";
  std::string text;
  uint32_t k = 5;
  SOF_FIELDS(text, k)
};

struct kb_hit {
  static constexpr const char* name = "kb_hit";
  double score = 0;
  std::string source;
  std::string heading;
  std::string text;
  std::string attribution;
  SOF_FIELDS(score, source, heading, text, attribution)
};

struct kb_results {
  static constexpr const char* name = "kb_results";
  std::vector<kb_hit> hits;
  SOF_FIELDS(hits)
};

// -- grading and follow-up ------------------------------------------------------

/// The candidate's own words that evidence a rubric point.
/// A rubric term the candidate was heard to say in other words: the quote
/// stays as recognised, this marks the word and the term it counted as.
struct heard_term {
  static constexpr const char* name = "heard_term";
  std::string heard;  // the word as recognised ("whole")
  std::string term;   // the rubric's word it counted as ("hold")
  std::string how;    // "sound" (pronunciation) or "alternative" (n-best)
  SOF_FIELDS(heard, term, how)
};

struct evidence_quote {
  static constexpr const char* name = "evidence_quote";
  std::string point_id;
  std::string quote;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double score = 0;  // 0..1
  std::vector<heard_term> heard;  // terms matched by sound or n-best
  SOF_FIELDS(point_id, quote, start_ms, end_ms, score, heard)
};

struct missing_item {
  static constexpr const char* name = "missing_item";
  std::string point_id;
  std::string point;
  std::string followup;
  int32_t weight = 1;
  double score = 0;  // partial credit found
  SOF_FIELDS(point_id, point, followup, weight, score)
};

/// One grader's result. status "unavailable" means the grader could not
/// finish (crashed past its retries or missed its deadline): never a zero.
struct dimension_result {
  static constexpr const char* name = "dimension_result";
  std::string dimension;
  std::string status = "ok";
  double score = 0;  // 0..10
  std::vector<evidence_quote> evidence;
  std::vector<missing_item> missing;
  std::vector<kb_hit> citations;
  std::string note;
  // Set when the grade was made without a dependency (e.g. "embed: ..."):
  // lexical evidence and BM25 citations instead of dense ones.
  std::string degraded;
  SOF_FIELDS(dimension, status, score, evidence, missing, citations, note,
             degraded)
};

/// What the interviewer said (or decided) at the end of a turn.
struct followup_question {
  static constexpr const char* name = "followup_question";
  uint32_t turn = 0;
  std::string action;  // ask, encourage, wrap_up, close, none
  std::string text;
  std::string point_id;
  std::string phase;
  std::string reason;
  int64_t at_ms = 0;
  SOF_FIELDS(turn, action, text, point_id, phase, reason, at_ms)
};

/// How much of one rubric dimension the transcript so far covers.
struct dimension_coverage {
  static constexpr const char* name = "dimension_coverage";
  std::string dimension;
  int32_t covered_weight = 0;  // sum of the weights of covered points
  int32_t total_weight = 0;    // sum of the weights of all its points
  std::vector<std::string> points;  // covered point ids, in rubric order
  SOF_FIELDS(dimension, covered_weight, total_weight, points)
};

/// Live rubric coverage (session -> listener), one entry per dimension of
/// the question in its order; sent after final segments, coalesced.
struct coverage_update {
  static constexpr const char* name = "coverage_update";
  std::vector<dimension_coverage> dimensions;
  SOF_FIELDS(dimensions)
};

struct scorecard {
  static constexpr const char* name = "scorecard";
  std::string question_id;
  std::string question_title;
  std::string verdict;  // "scale" | "fail"
  double overall = 0;   // 0..100
  std::string reason;
  std::vector<dimension_result> dimensions;
  std::vector<std::string> improvements;  // at most three
  std::vector<std::string> unavailable;
  /// Relevance to the question asked, 0..1 (1: on topic or not assessed);
  /// the overall score is at most 100 x relevance.
  double relevance = 1;
  /// The question's most specific words the answer never used.
  std::vector<std::string> unmentioned;
  SOF_FIELDS(question_id, question_title, verdict, overall, reason, dimensions,
             improvements, unavailable, relevance, unmentioned)
};

// -- voice: session/CLI <-> voice, voice <-> text-to-speech workers -----------

/// The speech id of the question's prompt read aloud at the start. Follow-
/// ups use their turn number (0, 1, 2...) as speech id; a turn count never
/// reaches 2^31, so the two cannot collide.
inline constexpr uint32_t prompt_speech_id = 1u << 31;

/// Speak this text (the interviewer's line). Queued behind a speech in
/// progress; speech_id is the caller's and comes back in every chunk.
struct speak {
  static constexpr const char* name = "speak";
  uint32_t speech_id = 0;
  std::string text;
  SOF_FIELDS(speech_id, text)
};

/// The candidate started talking: stop speaking now.
struct barge_in {
  static constexpr const char* name = "barge_in";
  int64_t at_ms = 0;
  SOF_FIELDS(at_ms)
};

struct tts_synth {
  static constexpr const char* name = "tts_synth";
  uint64_t job = 0;
  std::string text;
  uint64_t skip_samples = 0;  // already played before a restart: not again
  uint64_t fault_call = 0;    // identifies the unit of work for chaos
  uint32_t attempt = 0;
  SOF_FIELDS(job, text, skip_samples, fault_call, attempt)
};

struct tts_chunk {
  static constexpr const char* name = "tts_chunk";
  uint64_t job = 0;
  std::vector<int16_t> pcm;
  SOF_FIELDS(job, pcm)
};

struct tts_done {
  static constexpr const char* name = "tts_done";
  uint64_t job = 0;
  uint64_t samples = 0;
  SOF_FIELDS(job, samples)
};

struct tts_failed {
  static constexpr const char* name = "tts_failed";
  uint64_t job = 0;
  std::string reason;
  bool fatal = false;  // retrying cannot help (unknown voice, no engine)
  SOF_FIELDS(job, reason, fatal)
};

/// Interviewer audio going out: PCM16 16 kHz mono, chunk_ms long.
struct voice_chunk {
  static constexpr const char* name = "voice_chunk";
  uint32_t speech_id = 0;
  uint32_t seq = 0;  // per speech, from 0
  std::string provider;
  std::vector<int16_t> pcm;
  SOF_FIELDS(speech_id, seq, provider, pcm)
};

/// How a speech ended. outcome: spoken | barged_in | failed | cancelled.
struct voice_done {
  static constexpr const char* name = "voice_done";
  uint32_t speech_id = 0;
  std::string outcome;
  std::string provider;       // whose voice was heard (empty: none)
  double ttfa_ms = -1;        // speak -> first audio out; -1: none
  double synth_ms = -1;       // speak -> all audio made; -1: not finished
  double audio_ms = 0;        // audio sent out
  std::string spoken_text;    // what the candidate heard
  std::string unspoken_text;  // cut by barge-in or failure
  std::string reason;
  SOF_FIELDS(speech_id, outcome, provider, ttfa_ms, synth_ms, audio_ms,
             spoken_text, unspoken_text, reason)
};

/// Log-spaced latency buckets (see histogram.hpp), exportable as-is.
struct latency_histogram {
  static constexpr const char* name = "latency_histogram";
  std::vector<uint64_t> counts;
  double sum_ms = 0;
  uint64_t count = 0;
  SOF_FIELDS(counts, sum_ms, count)
};

struct tts_provider_stats {
  static constexpr const char* name = "tts_provider_stats";
  std::string provider;
  latency_histogram first_chunk_ms;  // job start -> first chunk
  latency_histogram total_ms;        // job start -> job done
  uint64_t starts = 0;
  uint64_t wins = 0;
  uint64_t failures = 0;
  uint64_t cancels = 0;
  uint64_t restarts = 0;
  SOF_FIELDS(provider, first_chunk_ms, total_ms, starts, wins, failures,
             cancels, restarts)
};

struct voice_stats {
  static constexpr const char* name = "voice_stats";
  std::string policy;
  double hedge_delay_ms = 0;  // the delay in force now
  std::vector<tts_provider_stats> providers;
  latency_histogram ttfa_ms;  // the policy's time to first audio
  uint64_t spoken = 0;
  uint64_t barged_in = 0;
  uint64_t failed = 0;
  SOF_FIELDS(policy, hedge_delay_ms, providers, ttfa_ms, spoken, barged_in,
             failed)
};

// -- session results -----------------------------------------------------------

struct session_summary {
  static constexpr const char* name = "session_summary";
  std::string session_id;
  std::string text;
  std::vector<transcript_segment> segments;
  double audio_seconds = 0;
  std::map<std::string, uint32_t> restarts;
  delivery_stats delivery;
  capture_counters counters;
  std::string error;  // empty when the session completed normally
  std::vector<followup_question> followups;
  bool graded = false;  // false: transcription only (no question)
  scorecard card;
  std::vector<voice_done> speech;  // how each spoken follow-up went
  // Faults the session absorbed without failing, by what was lost:
  // "followup_lost" (the agent crashed, erred or missed its deadline),
  // "followup_rejected" (a malformed decision was dropped).
  std::map<std::string, uint32_t> absorbed;
  // Second-pass outcomes by kind ("won", "late", "failed"; see
  // second_pass_outcome); empty when the second pass is off.
  std::map<std::string, uint32_t> second_pass;
  SOF_FIELDS(session_id, text, segments, audio_seconds, restarts, delivery,
             counters, error, followups, graded, card, speech, absorbed,
             second_pass)
};

/// Every message type, for registration and for the journal reader.
template <class... Ts>
struct type_list {};
using all_messages
  = type_list<audio_frame, frame_rejected, utterance_begin, utterance_audio,
              utterance_end, speech_started, turn_ended, delivery_stats,
              capture_counters, capture_report, stt_begin, stt_audio, stt_end,
              stt_partial, transcript_word, stt_final, stt_failed,
              transcript_partial,
              transcript_segment, second_pass_request, second_pass_answer,
              second_pass_failed, second_pass_outcome, provider_restarted,
              provider_escalated,
              session_summary, kb_query, kb_hit, kb_results, heard_term, evidence_quote,
              missing_item, dimension_result, followup_question,
              dimension_coverage, coverage_update, scorecard,
              speak, barge_in, tts_synth, tts_chunk, tts_done, tts_failed,
              voice_chunk, voice_done, latency_histogram, tts_provider_stats,
              voice_stats>;

template <class T>
concept catalogued = requires(T& x) {
  { T::name } -> std::convertible_to<const char*>;
  x.for_fields([](auto&...) {});
};

/// CAF inspection generated from the SOF_FIELDS list (found by ADL).
template <class Inspector, catalogued T>
typename Inspector::result_type inspect(Inspector& f, T& x) {
  return x.for_fields([&](auto&... xs) {
    return f(caf::meta::type_name(T::name), xs...);
  });
}

// -- atoms (CAF 0.17: at most 10 characters) ----------------------------------
using end_atom = caf::atom_constant<caf::atom("end")>;          // end of audio
using drain_atom = caf::atom_constant<caf::atom("drain")>;      // finish work
using finish_atom = caf::atom_constant<caf::atom("finish")>;    // end session
using restart_atom = caf::atom_constant<caf::atom("restart")>;  // backoff over
using watchdog_atom = caf::atom_constant<caf::atom("watchdog")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;  // 2nd pass
using second_atom = caf::atom_constant<caf::atom("secondpass")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using grade_atom = caf::atom_constant<caf::atom("grade")>;
using followup_atom = caf::atom_constant<caf::atom("followup")>;
using coverage_atom = caf::atom_constant<caf::atom("coverage")>;
using detached_atom = caf::atom_constant<caf::atom("detached")>;  // client gone
using expire_atom = caf::atom_constant<caf::atom("expire")>;      // resume window over

}  // namespace sof::msg

namespace caf {
class actor_system_config;
}

namespace sof::msg {
/// Registers every catalogued type (and the sof error category) with CAF.
void register_all(caf::actor_system_config& cfg);
}  // namespace sof::msg
