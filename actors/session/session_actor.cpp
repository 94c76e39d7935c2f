#include "actors/session/session_actor.hpp"

#include "actors/session/question_bias.hpp"

#include "actors/capture/capture_actor.hpp"
#include "actors/followup/followup_actor.hpp"
#include "actors/followup/followup_policy.hpp"
#include "actors/grading/grading_supervisor.hpp"
#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/coverage_actor.hpp"
#include "actors/messages/journal.hpp"
#include "actors/messages/messages.hpp"
#include "actors/supervision/restart_policy.hpp"
#include "base/text/wer.hpp"
#include "actors/transcription/transcription_actor.hpp"
#include "actors/voice/voice_actor.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <functional>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <random>

namespace sof::session {
namespace {

struct session_state {
  session_options opts;
  log::context ctx;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<msg::journal_writer> journal;
  caf::actor capture;
  caf::actor transcription;
  caf::actor followup;  // only with a question and follow-ups on
  // The follow-up agent is supervised here: restarted with backoff after a
  // crash; null while waiting out the backoff or after escalation.
  std::optional<supervision::restart_policy> followup_restarts;
  bool followup_escalated = false;
  std::map<std::string, uint32_t> absorbed;  // session_summary::absorbed
  std::map<std::string, uint32_t> second_pass;  // session_summary::second_pass
  caf::actor coverage;  // only with a question
  caf::actor graders;   // only with a question
  caf::actor voice;     // only when follow-ups are spoken
  std::vector<msg::voice_done> speech;
  std::vector<msg::transcript_segment> segments;
  std::vector<msg::followup_question> followups;
  std::size_t followups_pending = 0;
  bool coverage_busy = false;   // a coverage computation is in flight
  bool coverage_stale = false;  // segments arrived since it started
  std::function<void()> after_followups;  // the finish step waiting on them
  std::map<std::string, uint32_t> restarts;
  std::string error;
  double audio_seconds = 0;
  bool finishing = false;
  static inline const char* name = "session";
};

using self_t = caf::stateful_actor<session_state>;

template <class T>
void note(self_t* self, const char* from, const T& m) {
  if (self->state.journal)
    self->state.journal->record(from, m);
}

template <class T>
void to_listener(self_t* self, const T& m) {
  if (self->state.opts.listener)
    self->send(self->state.opts.listener, m);
}

// A typed answer has no audio: its timeline comes from the segments' times.
msg::delivery_stats typed_delivery(const std::vector<msg::transcript_segment>& segs,
                                   int pause_min_ms) {
  msg::delivery_stats d;
  int64_t prev_end = -1;
  int64_t pause_total = 0;
  for (const auto& seg : segs) {
    d.speaking_seconds += (seg.end_ms - seg.start_ms) / 1000.0;
    if (prev_end >= 0 && seg.start_ms - prev_end >= pause_min_ms) {
      ++d.pauses;
      pause_total += seg.start_ms - prev_end;
      d.longest_pause_seconds
        = std::max(d.longest_pause_seconds, (seg.start_ms - prev_end) / 1000.0);
    }
    prev_end = std::max(prev_end, seg.end_ms);
  }
  d.audio_seconds = prev_end / 1000.0;
  d.time_to_first_speech_seconds = segs.front().start_ms / 1000.0;
  d.utterances = static_cast<uint32_t>(segs.size());
  d.turns = 1;
  d.mean_pause_seconds = d.pauses ? pause_total / 1000.0 / d.pauses : 0.0;
  return d;
}

msg::session_summary summarize(self_t* self, const msg::capture_report& rep) {
  auto& st = self->state;
  msg::session_summary s;
  s.session_id = st.opts.session_id;
  auto segs = st.segments;
  std::sort(segs.begin(), segs.end(),
            [](const auto& a, const auto& b) { return a.utt < b.utt; });
  for (const auto& seg : segs) {
    if (seg.text.empty())
      continue;
    if (!s.text.empty())
      s.text += ' ';
    s.text += seg.text;
  }
  s.segments = std::move(segs);
  s.audio_seconds = rep.delivery.audio_seconds;
  s.restarts = st.restarts;
  s.restarts.try_emplace("stt", 0);
  s.delivery = rep.delivery;
  if (rep.delivery.audio_seconds == 0 && !s.segments.empty())
    s.delivery = typed_delivery(s.segments, st.opts.cfg.capture.pause_min_ms);
  auto words = static_cast<uint32_t>(text::count_words(s.text));
  s.delivery.words = words;
  s.delivery.words_per_minute = rep.delivery.speaking_seconds > 0
                                  ? words / (rep.delivery.speaking_seconds / 60.0)
                                  : 0.0;
  s.counters = rep.counters;
  s.error = st.error;
  s.followups = st.followups;
  s.speech = st.speech;
  s.absorbed = st.absorbed;
  s.second_pass = st.second_pass;
  if (!st.opts.cfg.stt.second_pass.empty()) {
    for (const char* k : {"won", "late", "failed"})
      s.second_pass.try_emplace(k, 0);
    s.restarts.try_emplace("stt.second_pass", 0);
  }
  std::sort(s.followups.begin(), s.followups.end(),
            [](const auto& a, const auto& b) { return a.turn < b.turn; });
  return s;
}

// At the end of a turn: once the turn's words are final, ask the follow-up
// agent what the interviewer says next.
void on_turn_end(self_t* self, const msg::turn_ended& turn) {
  auto& st = self->state;
  if (!st.followup_restarts || turn.end_of_audio)
    return;  // no follow-ups in this session
  if (!st.followup) {  // backing off after a crash, or escalated
    ++st.absorbed["followup_lost"];
    st.log->warn("{} no follow-up agent for turn {}", st.ctx.tag(), turn.turn);
    return;
  }
  ++st.followups_pending;
  auto done = [self] {
    auto& st = self->state;
    if (--st.followups_pending == 0 && st.after_followups) {
      auto next = std::move(st.after_followups);
      st.after_followups = nullptr;
      next();
    }
  };
  self->request(st.transcription, caf::infinite, msg::drain_atom::value)
    .then(
      [=](uint32_t) {
        auto& st = self->state;
        if (!st.followup) {  // it crashed while the words became final
          ++st.absorbed["followup_lost"];
          return done();
        }
        self->request(st.followup,
                      std::chrono::milliseconds{st.opts.interview.followup_deadline_ms},
                      msg::followup_atom::value, st.segments, turn)
          .then(
            [=](msg::followup_question& q) {
              auto& st = self->state;
              if (auto bad = followup::validate_decision(q.action, q.text)) {
                ++st.absorbed["followup_rejected"];
                st.log->warn("{} follow-up for turn {} dropped: {}", st.ctx.tag(),
                             turn.turn, describe(bad));
                return done();
              }
              if (st.followup_restarts)
                st.followup_restarts->on_progress();
              note(self, "followup", q);
              self->state.followups.push_back(q);
              to_listener(self, q);
              // The interviewer says it out loud; speech ids are turns.
              if (self->state.voice && !q.text.empty() && q.action != "none")
                self->send(self->state.voice, msg::speak{q.turn, q.text});
              done();
            },
            [=](caf::error& err) {
              // Crashed, erred or missed its deadline: this turn goes
              // without a follow-up; nothing the candidate said is lost.
              ++self->state.absorbed["followup_lost"];
              self->state.log->warn("{} follow-up for turn {} failed: {}",
                                    self->state.ctx.tag(), turn.turn,
                                    describe(err));
              done();
            });
      },
      [=](caf::error&) { done(); });
}

caf::actor spawn_followup_agent(self_t* self) {
  const auto& iv = self->state.opts.interview;
  return followup::spawn_followup(self, {iv.engine, iv.question, self->state.opts.faults});
}

// The follow-up agent died: one-for-one restart with the configured backoff
// and intensity (config [supervision]); past the intensity the interview
// goes on without follow-ups rather than failing the session.
void on_followup_down(self_t* self, const caf::error& reason) {
  auto& st = self->state;
  st.followup = nullptr;
  if (!reason || reason == caf::exit_reason::user_shutdown)
    return;
  auto d = st.followup_restarts->on_failure(supervision::clock::now());
  if (!d.restart) {
    st.followup_escalated = true;
    msg::provider_escalated m{"followup", "restarted " + std::to_string(d.restarts_in_window)
                                            + " times within the window"};
    st.log->error("{} follow-up agent escalated: {}", st.ctx.tag(), m.reason);
    note(self, "followup", m);
    to_listener(self, m);
    return;
  }
  auto n = ++st.restarts["followup"];
  msg::provider_restarted m{"followup", describe(reason), n, d.delay.count()};
  st.log->warn("{} follow-up agent failed ({}); restart #{} in {} ms", st.ctx.tag(),
               m.reason, n, m.backoff_ms);
  note(self, "followup", m);
  to_listener(self, m);
  self->delayed_send(self, d.delay, msg::restart_atom::value, std::string{"followup"});
}

// Live coverage after a final segment. At most one computation is in
// flight: segments arriving meanwhile only mark it stale, and one more
// computation over everything said so far follows when it returns, so a
// burst of segments costs two computations, not one each.
void request_coverage(self_t* self) {
  auto& st = self->state;
  if (!st.coverage)
    return;
  if (st.coverage_busy) {
    st.coverage_stale = true;
    return;
  }
  st.coverage_busy = true;
  st.coverage_stale = false;
  auto next = [self] {
    self->state.coverage_busy = false;
    if (self->state.coverage_stale)
      request_coverage(self);
  };
  self->request(st.coverage, std::chrono::seconds{30}, msg::coverage_atom::value,
                st.segments)
    .then(
      [=](msg::coverage_update& u) {
        note(self, "coverage", u);
        to_listener(self, u);
        next();
      },
      [=](caf::error& err) {
        self->state.log->warn("{} live coverage failed: {}", self->state.ctx.tag(),
                              describe(err));
        next();
      });
}

void on_segment(self_t* self, const msg::transcript_segment& m) {
  note(self, "transcription", m);
  self->state.segments.push_back(m);
  to_listener(self, m);
  if (!m.text.empty())  // no words, no change in coverage
    request_coverage(self);
}

// The last step of finishing: grade when there is a question, then reply.
void grade_and_deliver(self_t* self, caf::response_promise rp,
                       msg::session_summary summary) {
  auto& st = self->state;
  if (st.voice)  // the interview is over: stop talking
    self->send(st.voice, msg::finish_atom::value);
  if (!st.graders) {
    note(self, "session", summary);
    rp.deliver(std::move(summary));
    return;
  }
  self->request(st.graders, caf::infinite, msg::grade_atom::value,
                summary.segments, summary.delivery)
    .then(
      [=](msg::scorecard& card) mutable {
        note(self, "graders", card);
        // Grader restarts happened after the summary was first drawn up.
        for (const auto& [kind, n] : self->state.restarts)
          summary.restarts[kind] = n;
        summary.restarts.try_emplace("grader", 0);
        summary.graded = true;
        summary.card = std::move(card);
        note(self, "session", summary);
        rp.deliver(std::move(summary));
      },
      [=](caf::error& err) mutable {
        summary.error = "grading failed: " + describe(err);
        note(self, "session", summary);
        rp.deliver(std::move(summary));
      });
}

caf::behavior session_impl(self_t* self, session_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.ctx = {st.opts.tenant, st.opts.session_id};
  st.log = log::get("session");
  if (!st.opts.journal_path.empty()) {
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    auto j = msg::journal_writer::open(
      st.opts.journal_path,
      {msg::journal_version, st.opts.session_id, st.opts.tenant, now_ms});
    if (j)
      st.journal = std::move(*j);
    else
      st.log->error("{} {}", st.ctx.tag(), describe(j.error()));
  }
  transcription::transcription_options topts;
  topts.worker = {st.opts.cfg.stt, st.opts.faults, st.opts.detached_providers,
                  st.opts.stt_hints};
  if (!topts.worker.hints.bias)
    topts.worker.hints.bias = question_bias_source(st.opts.interview.question,
                                                   st.opts.interview.engine);
  topts.supervision = st.opts.cfg.supervision;
  topts.log_ctx = st.ctx;
  st.transcription = transcription::spawn_transcription(self, topts);
  st.capture = capture::spawn_capture(self, st.opts.cfg.capture,
                                      caf::actor_cast<caf::actor>(self),
                                      st.transcription);
  if (const auto& iv = st.opts.interview; iv.question && iv.engine) {
    if (iv.followups) {
      st.followup_restarts.emplace(st.opts.cfg.supervision);
      st.followup = spawn_followup_agent(self);
    }
    st.coverage = grading::spawn_coverage(self, iv.engine, iv.question);
    grading::grading_options gopts;
    gopts.engine = iv.engine;
    gopts.question = iv.question;
    gopts.faults = st.opts.faults;
    gopts.deadline_ms = iv.grader_deadline_ms;
    gopts.retries = iv.grader_retries;
    gopts.detached = st.opts.detached_providers;
    gopts.listener = caf::actor_cast<caf::actor>(self);
    st.graders = grading::spawn_grading_supervisor(self, gopts);
  }
  if (st.opts.voice) {
    voice::voice_options vo;
    vo.tts = st.opts.cfg.tts;
    vo.supervision = st.opts.cfg.supervision;
    vo.faults = st.opts.faults;
    vo.detached = st.opts.detached_providers;
    vo.log_ctx = st.ctx;
    vo.sink = caf::actor_cast<caf::actor>(self);
    st.voice = voice::spawn_voice(self, vo);
    // The interviewer opens by reading the question; barge-in stops it like
    // any other speech.
    if (st.opts.read_prompt && st.opts.interview.question)
      self->send(st.voice, msg::speak{msg::prompt_speech_id,
                                      st.opts.interview.question->prompt});
  }
  // A child that dies is recorded; the session then finishes with an error
  // rather than dying itself, so that what was transcribed is still reported.
  self->set_exit_handler([self](caf::exit_msg& em) {
    auto& st = self->state;
    if (em.source == st.transcription.address() && em.reason) {
      st.error = "transcription stopped: " + describe(em.reason);
      st.log->error("{} {}", st.ctx.tag(), st.error);
    } else if (em.source == st.capture.address() && em.reason) {
      st.error = "capture stopped: " + describe(em.reason);
      st.log->error("{} {}", st.ctx.tag(), st.error);
    } else if (st.voice && em.source == st.voice.address()) {
      // Follow-ups still reach the candidate as text; the session goes on.
      st.log->error("{} voice stopped: {}", st.ctx.tag(), describe(em.reason));
      st.voice = nullptr;
    } else if (st.followup && em.source == st.followup.address()) {
      on_followup_down(self, em.reason);
    } else if (st.coverage && em.source == st.coverage.address()) {
      // Live coverage is a view for the candidate; the interview goes on.
      st.log->error("{} coverage stopped: {}", st.ctx.tag(), describe(em.reason));
      st.coverage = nullptr;
    } else if (em.reason) {
      self->quit(em.reason);
    }
  });
  harden(self, st.log, st.ctx.tag());
  // No attach_functor for the journal: the state (and with it the journal)
  // is gone by the time attached functors run; its ofstream flushes on close.
  st.log->debug("{} session actor {} capture {} transcription {} listener {}",
                st.ctx.tag(), self->id(), st.capture.id(), st.transcription.id(),
                st.opts.listener ? st.opts.listener.id() : 0);
  st.log->info("{} session started (stt={}, chaos='{}')", st.ctx.tag(),
               st.opts.cfg.stt.provider, st.opts.faults.spec().to_string());
  return {
    [=](msg::audio_frame& f) {
      note(self, "client", f);
      self->send(self->state.capture, std::move(f));
    },
    [=](msg::frame_rejected& m) {
      note(self, "capture", m);
      self->state.log->warn("{} frame {} rejected: {}", self->state.ctx.tag(),
                            m.seq, m.reason);
      to_listener(self, m);
    },
    [=](msg::speech_started& m) {
      note(self, "capture", m);
      to_listener(self, m);
      if (self->state.voice)  // barge-in: the candidate has the floor
        self->send(self->state.voice, msg::barge_in{m.at_ms});
    },
    [=](msg::voice_chunk& m) { to_listener(self, m); },
    [=](msg::voice_done& m) {
      note(self, "voice", m);
      self->state.speech.push_back(m);
      to_listener(self, m);
    },
    [=](msg::turn_ended& m) {
      note(self, "capture", m);
      if (self->state.journal)
        self->state.journal->flush();
      to_listener(self, m);
      on_turn_end(self, m);
    },
    [=](msg::transcript_partial& m) { note(self, "transcription", m); to_listener(self, m); },
    [=](msg::transcript_segment& m) { on_segment(self, m); },
    [=](msg::restart_atom, std::string& kind) {  // a backoff is over
      auto& st = self->state;
      if (kind == "followup" && !st.followup && !st.followup_escalated)
        st.followup = spawn_followup_agent(self);
    },
    [=](msg::provider_restarted& m) {
      note(self, m.kind == "grader" ? "graders"
                 : m.kind == "tts"  ? "voice"
                                    : "transcription",
           m);
      self->state.restarts[m.kind] = m.restarts;
      to_listener(self, m);
    },
    [=](msg::second_pass_outcome& m) {
      note(self, "transcription", m);
      ++self->state.second_pass[m.outcome];
      to_listener(self, m);
    },
    [=](msg::provider_escalated& m) {
      note(self, m.kind == "tts" ? "voice" : "transcription", m);
      // Without a voice the interview goes on in text; without speech-to-
      // text it cannot. Without the second pass it goes on with the local
      // recogniser's words.
      if (m.kind != "tts" && m.kind != "stt.second_pass")
        self->state.error = m.kind + " escalated: " + m.reason;
      to_listener(self, m);
    },
    [=](msg::finish_atom) -> caf::result<msg::session_summary> {
      auto rp = self->make_response_promise<msg::session_summary>();
      auto& st = self->state;
      st.finishing = true;
      self->request(st.capture, caf::infinite, msg::end_atom::value)
        .then([=](msg::capture_report& rep) mutable {
          note(self, "capture", rep);
          auto done = [=](const std::string& err) mutable {
            if (!err.empty() && self->state.error.empty())
              self->state.error = err;
            auto finish = [=]() mutable {
              grade_and_deliver(self, rp, summarize(self, rep));
            };
            if (self->state.followups_pending == 0)
              finish();
            else
              self->state.after_followups = finish;
          };
          self->request(self->state.transcription, caf::infinite,
                        msg::drain_atom::value)
            .then([=](uint32_t) mutable { done({}); },
                  [=](caf::error& err) mutable { done(describe(err)); });
        },
                                [=](caf::error& err) mutable {
                                  rp.deliver(err);
                                });
      return rp;
    },
  };
}

}  // namespace

caf::actor spawn_session(caf::actor_system& sys, session_options opts) {
  return sys.spawn(session_impl, std::move(opts));
}

std::string new_session_id() {
  static std::atomic<uint32_t> counter{0};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  std::random_device rd;
  char buf[40];
  std::snprintf(buf, sizeof(buf), "s%011llx%04x%04x",
                static_cast<unsigned long long>(ms), counter++ & 0xffff,
                rd() & 0xffff);
  return buf;
}

}  // namespace sof::session
