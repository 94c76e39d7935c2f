#include "actors/session/offline_run.hpp"

#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/sentences.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <sstream>
#include <thread>

namespace sof::session {

void prepare_actor_config(caf::actor_system_config& cfg) {
  msg::register_all(cfg);
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
}

namespace {

// Live events go to a small actor that calls the caller's callbacks.
caf::actor spawn_listener(caf::actor_system& sys, const offline_run& run) {
  return sys.spawn([run](caf::event_based_actor* self) -> caf::behavior {
    harden(self, log::get("session"), "listener");
    return {
      [=](msg::transcript_partial& m) { if (run.on_partial) run.on_partial(m); },
      [=](msg::transcript_segment& m) { if (run.on_segment) run.on_segment(m); },
      [=](msg::provider_restarted& m) { if (run.on_restart) run.on_restart(m); },
      [=](msg::followup_question& m) { if (run.on_followup) run.on_followup(m); },
      // Events this caller does not need.
      [=](msg::turn_ended& m) { if (run.on_turn_end) run.on_turn_end(m); },
      [=](msg::provider_escalated& m) { if (run.on_escalated) run.on_escalated(m); },
      [](msg::speech_started&) {}, [](msg::frame_rejected&) {},
      [](msg::voice_chunk&) {}, [](msg::voice_done&) {},
      [](msg::coverage_update&) {}, [](msg::second_pass_outcome&) {},
    };
  });
}

// Asks for the summary (the session ends the audio first) and shuts down.
caf::expected<msg::session_summary>
finish(caf::scoped_actor& self, caf::actor session, caf::actor listener) {
  caf::expected<msg::session_summary> result{caf::error{}};
  self->request(session, caf::infinite, msg::finish_atom::value)
    .receive([&](msg::session_summary& s) { result = std::move(s); },
             [&](caf::error& err) { result = err; });
  self->send_exit(session, caf::exit_reason::user_shutdown);
  self->send_exit(listener, caf::exit_reason::user_shutdown);
  return result;
}

}  // namespace

caf::expected<msg::session_summary>
run_offline(caf::actor_system& sys, session_options opts,
            const std::vector<int16_t>& pcm, const offline_run& run) {
  auto listener = spawn_listener(sys, run);
  opts.listener = listener;
  auto session = spawn_session(sys, std::move(opts));
  caf::scoped_actor self{sys};
  const std::size_t step = static_cast<std::size_t>(run.frame_ms) * 16;
  auto start = std::chrono::steady_clock::now();
  uint64_t seq = 0;
  for (std::size_t off = 0; off < pcm.size(); off += step, ++seq) {
    msg::audio_frame f;
    f.seq = seq;
    f.timestamp_ms = static_cast<int64_t>(seq) * run.frame_ms;
    auto end = std::min(pcm.size(), off + step);
    f.pcm.assign(pcm.begin() + off, pcm.begin() + end);
    if (run.realtime)
      std::this_thread::sleep_until(start + std::chrono::milliseconds{
                                              f.timestamp_ms});
    self->send(session, std::move(f));
  }
  return finish(self, session, listener);
}

typed_answer parse_typed_answer(const std::string& text) {
  typed_answer a;
  std::string para, line;
  std::istringstream in{text};
  auto flush = [&] {
    if (para.find_first_not_of(" \t\r") != std::string::npos)
      a.paragraphs.push_back(para);
    para.clear();
  };
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      flush();
    else
      para += (para.empty() ? "" : "\n") + line;  // notes need their lines
  }
  flush();
  return a;
}

caf::expected<msg::session_summary>
run_offline_text(caf::actor_system& sys, session_options opts,
                 const typed_answer& answer, const offline_run& run) {
  auto listener = spawn_listener(sys, run);
  opts.listener = listener;
  auto session = spawn_session(sys, std::move(opts));
  caf::scoped_actor self{sys};
  int64_t t = 0;
  uint32_t utt = 0, turn = 0;
  for (const auto& para : answer.paragraphs) {
    // The grader's own reading of text as speech, shifted onto the session's
    // timeline: one segment per sentence.
    int64_t end = t;
    for (auto& line :
         grading::transcript_from_text(para, answer.words_per_minute)) {
      self->send(session, msg::transcript_segment{utt++, t + line.start_ms,
                                                  t + line.end_ms,
                                                  std::move(line.text)});
      end = t + line.end_ms;
    }
    t = end + 300;  // a breath after the last sentence
    self->send(session, msg::turn_ended{turn++, t, answer.turn_gap_ms, false});
    t += answer.turn_gap_ms;
  }
  return finish(self, session, listener);
}

}  // namespace sof::session
