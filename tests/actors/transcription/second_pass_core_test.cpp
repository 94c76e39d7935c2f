// The second-pass race decided from events alone: every ordering of the
// local final, the second pass's answer or failure and the deadline.
#include "actors/transcription/second_pass_core.hpp"

#include <gtest/gtest.h>

using namespace sof;
using transcription::deadline_timer;
using transcription::second_pass_core;
using transcription::second_pass_effects;
using transcription::worker_fault;

namespace {

constexpr int64_t deadline = 1500;

template <class T>
std::vector<T> only(const second_pass_effects& fx) {
  std::vector<T> out;
  for (const auto& e : fx)
    if (auto* x = std::get_if<T>(&e))
      out.push_back(*x);
  return out;
}

// A core with its worker up.
second_pass_core make_core() {
  second_pass_core core{"openai", deadline};
  EXPECT_TRUE(core.on_worker_up().empty());
  return core;
}

// Utterance `utt`: 1 s of audio from start_ms, closed at `now`.
second_pass_effects close_utterance(second_pass_core& core, uint32_t utt,
                                    int64_t start_ms, int64_t now = 0) {
  core.on_utterance_begin({utt, start_ms});
  core.on_utterance_audio({utt, std::vector<int16_t>(16000, int16_t(utt + 1))});
  return core.on_utterance_end({utt, start_ms + 1000}, now);
}

msg::transcript_segment local(uint32_t utt, int64_t start_ms,
                              std::string text = "go forward ten meters") {
  msg::transcript_segment seg{utt, start_ms, start_ms + 1000, std::move(text)};
  seg.words = {{"go", start_ms, start_ms + 200, 0.9f}};
  seg.alternatives = {"go forward ten meter"};
  seg.recognizer = "pocketsphinx";
  seg.adapt_state = {1.5f, 2.5f};
  return seg;
}

msg::second_pass_answer answer(uint32_t utt,
                               std::string text = "Go forward ten meters.") {
  msg::second_pass_answer a;
  a.utt = utt;
  a.text = std::move(text);
  a.recognizer = "openai";
  return a;
}

std::vector<std::string> outcomes(const second_pass_effects& fx) {
  std::vector<std::string> out;
  for (const auto& o : only<msg::second_pass_outcome>(fx))
    out.push_back(o.outcome);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST(second_pass_core, closing_sends_all_audio_and_arms_the_deadline) {
  auto core = make_core();
  core.on_utterance_begin({3, 500});
  core.on_utterance_audio({3, std::vector<int16_t>(100, 1)});
  core.on_utterance_audio({3, std::vector<int16_t>(60, 2)});
  auto fx = core.on_utterance_end({3, 510}, 10'000);
  auto reqs = only<msg::second_pass_request>(fx);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].utt, 3u);
  EXPECT_EQ(reqs[0].expires_ms, 10'000 + deadline);
  ASSERT_EQ(reqs[0].pcm.size(), 160u);
  EXPECT_EQ(reqs[0].pcm[99], 1);
  EXPECT_EQ(reqs[0].pcm[100], 2);
  auto timers = only<deadline_timer>(fx);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].utt, 3u);
  EXPECT_FALSE(core.idle());
  EXPECT_TRUE(core.busy());
}

TEST(second_pass_core, local_first_then_answer_in_time_wins) {
  auto core = make_core();
  close_utterance(core, 0, 100);
  auto fx = core.on_local(local(0, 100));
  EXPECT_TRUE(only<msg::transcript_segment>(fx).empty())
    << "emitted before the race was decided";
  auto a = answer(0, "  Go forward ten meters.\n");
  a.words = {{"Go", 0, 300, 0.8f}, {"forward", 300, 700, 0.7f}};
  fx = core.on_answer(a);
  EXPECT_EQ(outcomes(fx), strings{"won"});
  auto segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 1u);
  const auto& s = segs[0];
  EXPECT_EQ(s.text, "Go forward ten meters.");  // trimmed
  EXPECT_EQ(s.recognizer, "openai");
  // The local text leads the alternatives, the local ones follow.
  EXPECT_EQ(s.alternatives,
            (strings{"go forward ten meters", "go forward ten meter"}));
  // The answer's words, in session time; the chain of states stays local.
  ASSERT_EQ(s.words.size(), 2u);
  EXPECT_EQ(s.words[0].start_ms, 100);
  EXPECT_EQ(s.words[1].end_ms, 800);
  EXPECT_FLOAT_EQ(s.words[1].confidence, 0.7f);
  EXPECT_EQ(s.adapt_state, (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(s.start_ms, 100);
  EXPECT_EQ(s.end_ms, 1100);
  EXPECT_EQ(core.counters().won, 1u);
  EXPECT_TRUE(core.idle());
  EXPECT_FALSE(core.busy());
  // The deadline firing afterwards changes nothing.
  EXPECT_TRUE(core.on_deadline(0).empty());
}

TEST(second_pass_core, answer_first_waits_for_the_local_final) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto fx = core.on_answer(answer(0));
  EXPECT_EQ(outcomes(fx), strings{"won"});
  EXPECT_TRUE(only<msg::transcript_segment>(fx).empty())
    << "a segment before the local final exists";
  EXPECT_FALSE(core.idle());
  // Even past the deadline the answer that came in time stands.
  EXPECT_TRUE(only<msg::transcript_segment>(core.on_deadline(0)).empty());
  fx = core.on_local(local(0, 0));
  auto segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "Go forward ten meters.");
  EXPECT_EQ(segs[0].recognizer, "openai");
  // No word timestamps in the answer: no words, not the local ones.
  EXPECT_TRUE(segs[0].words.empty());
  EXPECT_TRUE(core.idle());
}

TEST(second_pass_core, deadline_before_either_then_local_stands_and_answer_is_late) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto fx = core.on_deadline(0);
  EXPECT_TRUE(fx.empty()) << "nothing to emit without the local final";
  fx = core.on_local(local(0, 0));
  auto segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "go forward ten meters");
  EXPECT_EQ(segs[0].recognizer, "pocketsphinx");
  EXPECT_EQ(segs[0].words.size(), 1u);
  EXPECT_TRUE(core.idle());
  EXPECT_TRUE(core.busy()) << "the late answer is still owed";
  fx = core.on_answer(answer(0));
  EXPECT_EQ(outcomes(fx), strings{"late"});
  EXPECT_TRUE(only<msg::transcript_segment>(fx).empty());
  EXPECT_TRUE(only<worker_fault>(fx).empty()) << "late is not a fault";
  EXPECT_EQ(core.counters().late, 1u);
  EXPECT_EQ(core.counters().won, 0u);
  EXPECT_FALSE(core.busy());
}

TEST(second_pass_core, deadline_after_the_local_final_emits_it_at_once) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  EXPECT_TRUE(core.on_local(local(0, 0)).empty());
  auto segs = only<msg::transcript_segment>(core.on_deadline(0));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].recognizer, "pocketsphinx");
  EXPECT_EQ(outcomes(core.on_answer(answer(0))), strings{"late"});
}

TEST(second_pass_core, failure_emits_the_local_final_without_waiting) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  EXPECT_TRUE(core.on_local(local(0, 0)).empty());
  auto fx = core.on_failure({0, "HTTP 500"});
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  ASSERT_EQ(only<worker_fault>(fx).size(), 1u);
  auto segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "go forward ten meters");
  EXPECT_EQ(core.counters().failed, 1u);
  // A later answer for the same utterance is a stale duplicate.
  EXPECT_TRUE(core.on_answer(answer(0)).empty());
  EXPECT_TRUE(core.on_deadline(0).empty());
}

TEST(second_pass_core, failure_before_the_local_final_lets_it_pass_when_it_comes) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  EXPECT_EQ(outcomes(core.on_failure({0, "timeout"})), strings{"failed"});
  auto segs = only<msg::transcript_segment>(core.on_local(local(0, 0)));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].recognizer, "pocketsphinx");
  EXPECT_TRUE(core.idle());
}

TEST(second_pass_core, garbled_answers_are_failures_and_faults) {
  const std::string too_long(64 + 1000 / 10 + 1, 'a');  // 1 s of audio
  for (const std::string& text :
       {std::string{"   \n"}, std::string{"bad \x01 bytes"},
        std::string{"\xff\xfe not utf-8"}, too_long}) {
    auto core = make_core();
    close_utterance(core, 0, 0);
    core.on_local(local(0, 0));
    auto fx = core.on_answer(answer(0, text));
    EXPECT_EQ(outcomes(fx), strings{"failed"}) << text;
    EXPECT_EQ(only<worker_fault>(fx).size(), 1u);
    auto segs = only<msg::transcript_segment>(fx);
    ASSERT_EQ(segs.size(), 1u) << text;
    EXPECT_EQ(segs[0].text, "go forward ten meters");
    EXPECT_EQ(core.counters().failed, 1u);
  }
  // Words with invalid text make the whole answer garbled.
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto a = answer(0);
  a.words = {{"\xc3", 0, 100, 0.5f}};
  EXPECT_EQ(outcomes(core.on_answer(a)), strings{"failed"});
}

TEST(second_pass_core, a_skipped_request_fails_without_blaming_the_worker) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto fx = core.on_failure({0, "deadline passed", false, true});
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  EXPECT_TRUE(only<worker_fault>(fx).empty());
}

TEST(second_pass_core, unknown_and_duplicate_events_are_ignored) {
  auto core = make_core();
  EXPECT_TRUE(core.on_answer(answer(7)).empty());
  EXPECT_TRUE(core.on_failure({7, "x"}).empty());
  EXPECT_TRUE(core.on_deadline(7).empty());
  EXPECT_TRUE(core.on_utterance_end({7, 0}, 0).empty()) << "never began";
  close_utterance(core, 0, 0);
  EXPECT_TRUE(core.on_utterance_end({0, 1000}, 5).empty()) << "closed twice";
  EXPECT_TRUE(core.on_local(local(0, 0)).empty());
  EXPECT_TRUE(core.on_local(local(0, 0, "other")).empty()) << "a second final";
  auto fx = core.on_answer(answer(0));
  ASSERT_EQ(only<msg::transcript_segment>(fx).size(), 1u);
  EXPECT_TRUE(core.on_answer(answer(0, "again")).empty());
  EXPECT_TRUE(core.on_failure({0, "late error"}).empty());
  // The utterance is done and forgotten: a replayed final is not a second
  // segment.
  EXPECT_TRUE(core.on_local(local(0, 0)).empty());
  EXPECT_EQ(core.counters().won, 1u);
  EXPECT_EQ(core.counters().failed, 0u);
  // A final for an utterance this core never saw is passed on, not lost.
  auto passed = only<msg::transcript_segment>(core.on_local(local(9, 9000)));
  ASSERT_EQ(passed.size(), 1u);
  EXPECT_EQ(passed[0].recognizer, "pocketsphinx");
}

TEST(second_pass_core, one_request_at_a_time_in_utterance_order) {
  auto core = make_core();
  auto fx = close_utterance(core, 0, 0);
  ASSERT_EQ(only<msg::second_pass_request>(fx).size(), 1u);
  fx = close_utterance(core, 1, 2000);
  EXPECT_TRUE(only<msg::second_pass_request>(fx).empty()) << "worker busy";
  EXPECT_EQ(only<deadline_timer>(fx).size(), 1u);
  fx = core.on_answer(answer(0));
  auto reqs = only<msg::second_pass_request>(fx);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].utt, 1u);
  EXPECT_EQ(reqs[0].pcm.size(), 16000u);
}

TEST(second_pass_core, segments_leave_in_utterance_order) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  close_utterance(core, 1, 2000);
  core.on_local(local(0, 0, "first"));
  EXPECT_TRUE(core.on_local(local(1, 2000, "second")).empty());
  // Utterance 1 is decided first (its timer fired first; it was never
  // sent): it still waits for utterance 0.
  auto fx = core.on_deadline(1);
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  EXPECT_TRUE(only<msg::transcript_segment>(fx).empty());
  fx = core.on_answer(answer(0, "First."));
  auto segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].text, "First.");
  EXPECT_EQ(segs[0].recognizer, "openai");
  EXPECT_EQ(segs[1].text, "second");
  EXPECT_EQ(segs[1].recognizer, "pocketsphinx");
  EXPECT_TRUE(core.idle());
  EXPECT_TRUE(only<msg::second_pass_request>(fx).empty()) << "nothing left to send";
}

TEST(second_pass_core, a_lost_worker_is_blamed_for_the_request_it_held) {
  auto core = make_core();
  close_utterance(core, 0, 0, 0);
  close_utterance(core, 1, 2000, 100);
  auto fx = core.on_worker_down("worker exited: crashed");
  auto out = only<msg::second_pass_outcome>(fx);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].utt, 0u);
  EXPECT_EQ(out[0].outcome, "failed");
  EXPECT_EQ(out[0].reason, "worker exited: crashed");
  EXPECT_FALSE(core.busy()) << "nothing in flight without a worker";
  // An utterance closing during the backoff waits for the next worker.
  fx = close_utterance(core, 2, 4000, 200);
  EXPECT_TRUE(only<msg::second_pass_request>(fx).empty());
  EXPECT_EQ(only<deadline_timer>(fx).size(), 1u);
  fx = core.on_worker_up();
  auto reqs = only<msg::second_pass_request>(fx);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].utt, 1u);
  EXPECT_EQ(reqs[0].expires_ms, 100 + deadline) << "its own deadline";
  EXPECT_EQ(reqs[0].pcm.size(), 16000u);
  // Utterance 0 failed: its local final passes at once.
  auto segs = only<msg::transcript_segment>(core.on_local(local(0, 0)));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].recognizer, "pocketsphinx");
  EXPECT_TRUE(core.on_local(local(1, 2000)).empty());
  fx = core.on_answer(answer(1, "Sent later."));
  segs = only<msg::transcript_segment>(fx);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "Sent later.");
  reqs = only<msg::second_pass_request>(fx);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].utt, 2u);
}

TEST(second_pass_core, a_faulty_worker_gets_nothing_more) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  close_utterance(core, 1, 2000);
  auto fx = core.on_failure({0, "HTTP 500"});
  ASSERT_EQ(only<worker_fault>(fx).size(), 1u);
  // Not sent to the worker about to be restarted: it would start on it
  // while its successor begins.
  EXPECT_TRUE(only<msg::second_pass_request>(fx).empty());
  fx = core.on_worker_down("");
  EXPECT_TRUE(only<msg::second_pass_outcome>(fx).empty());
  auto reqs = only<msg::second_pass_request>(core.on_worker_up());
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].utt, 1u);
  EXPECT_EQ(core.counters().failed, 1u);
}

TEST(second_pass_core, requests_that_can_no_longer_win_are_never_sent) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  close_utterance(core, 1, 2000);
  // Queued behind a hung request until past its deadline.
  auto fx = core.on_deadline(1);
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  fx = core.on_worker_down("no answer for 3000 ms");
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  // Queued during a backoff until past its deadline.
  close_utterance(core, 2, 4000);
  fx = core.on_deadline(2);
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  EXPECT_TRUE(only<msg::second_pass_request>(core.on_worker_up()).empty());
  EXPECT_EQ(core.counters().failed, 3u);
  // A request whose deadline passes in flight is awaited (late or failed).
  close_utterance(core, 3, 6000);
  core.on_deadline(3);
  EXPECT_TRUE(core.busy());
  EXPECT_EQ(outcomes(core.on_worker_down("no answer")), strings{"failed"});
}

TEST(second_pass_core, unavailable_fails_what_was_owed_and_turns_the_race_off) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto fx = core.on_unavailable("restarted 30 times");
  EXPECT_EQ(outcomes(fx), strings{"failed"});
  EXPECT_FALSE(core.available());
  // Later utterances: no request, no timer, the local final at once.
  fx = close_utterance(core, 1, 2000);
  EXPECT_TRUE(fx.empty());
  auto segs = only<msg::transcript_segment>(core.on_local(local(0, 0)));
  ASSERT_EQ(segs.size(), 1u);
  segs = only<msg::transcript_segment>(core.on_local(local(1, 2000)));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].recognizer, "pocketsphinx");
  EXPECT_TRUE(core.idle());
  EXPECT_TRUE(core.on_worker_up().empty());
}

TEST(second_pass_core, an_empty_local_text_is_not_an_alternative) {
  auto core = make_core();
  close_utterance(core, 0, 0);
  auto seg = local(0, 0, "");
  seg.alternatives.clear();
  core.on_local(seg);
  auto segs = only<msg::transcript_segment>(core.on_answer(answer(0, "Hello.")));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "Hello.");
  EXPECT_TRUE(segs[0].alternatives.empty());
}
