#include "actors/followup/followup_policy.hpp"

#include "actors/common/errors.hpp"

#include "actors/followup/phrasing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

namespace sof::followup {

std::string_view to_string(action a) {
  switch (a) {
    case action::ask: return "ask";
    case action::encourage: return "encourage";
    case action::wrap_up: return "wrap_up";
    case action::close: return "close";
    case action::none: return "none";
  }
  return "none";
}

caf::error validate_decision(std::string_view act, const std::string& text) {
  static constexpr std::string_view known[] = {"ask", "encourage", "wrap_up", "close", "none"};
  if (std::find(std::begin(known), std::end(known), act) == std::end(known))
    return make_error(errc::provider_failed, "follow-up: unknown action");
  // The longest phrasing is a few sentences; anything near this is broken.
  if (text.size() > 1000)
    return make_error(errc::provider_failed, "follow-up: text too long");
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size() || (n == 1 && c < 0x20))
      return make_error(errc::provider_failed, "follow-up: malformed text");
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2)
        return make_error(errc::provider_failed, "follow-up: malformed text");
    i += n;
  }
  return {};
}

namespace {

const interview_memory& memory_of(const turn_context& ctx) {
  static const interview_memory fresh;
  return ctx.memory ? *ctx.memory : fresh;
}

using coverage_map = std::map<std::string, const grading::point_coverage*,
                              std::less<>>;

coverage_map index_coverage(std::span<const grading::point_coverage> cov) {
  coverage_map out;
  for (const auto& c : cov) out[c.point_id] = &c;
  return out;
}

bool is_covered(const coverage_map& cov, std::string_view id) {
  auto it = cov.find(id);
  return it != cov.end() && it->second->covered;
}

size_t phase_index(const config::question& q, std::string_view name) {
  auto it = std::find(q.phases.begin(), q.phases.end(), name);
  return static_cast<size_t>(it - q.phases.begin());
}

// A phase is done when its essential points are: those of the highest
// weight present in it. A phase with no points never holds the interview.
//
// A phase is also done when every point in it was covered or already asked:
// staying would leave the interviewer with nothing to say, and a point the
// candidate was asked but did not answer is not asked twice anyway.
bool phase_done(const config::question& q, size_t phase,
                const coverage_map& cov, const interview_memory& mem) {
  auto points = q.points_in_phase(q.phases[phase]);
  int top = 0;
  for (const auto* p : points) top = std::max(top, p->weight);
  bool essentials = std::all_of(points.begin(), points.end(), [&](auto* p) {
    return p->weight < top || is_covered(cov, p->id);
  });
  bool exhausted = std::all_of(points.begin(), points.end(), [&](auto* p) {
    return is_covered(cov, p->id) || mem.asked_points.contains(p->id);
  });
  return essentials || exhausted;
}

struct candidate {
  const config::rubric_point* point;
  std::string dimension;
  size_t phase;  // index of the point's phase
  size_t order;  // position in the rubric, the last tie-break
  int relevance;  // content words shared with the last turn
};

// Open points of the current phase and every earlier one, most important
// first: weight, then earlier phase (an essential requirement left open
// matters more than the next deep-dive detail), then what connects to what
// the candidate just said, then rubric order.
std::vector<candidate> open_points(const config::question& q,
                                   const turn_context& ctx,
                                   const coverage_map& cov, size_t phase) {
  const auto& mem = memory_of(ctx);
  std::vector<candidate> out;
  size_t order = 0;
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      ++order;
      auto ph = phase_index(q, p.phase);
      if (ph > phase || is_covered(cov, p.id)) continue;
      if (mem.asked_points.contains(p.id)) continue;
      if (mem.asked_texts.contains(normalize(p.followup))) continue;
      out.push_back({&p, d.name, ph, order,
                     overlap(ctx.last_turn, p.point + " " + p.followup)});
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.point->weight != b.point->weight)
      return a.point->weight > b.point->weight;
    if (a.phase != b.phase) return a.phase < b.phase;
    if (a.relevance != b.relevance) return a.relevance > b.relevance;
    return a.order < b.order;
  });
  return out;
}

template <size_t N>
std::string_view pick(const std::array<std::string_view, N>& options,
                      std::string_view seed) {
  return options[stable_hash(seed) % N];
}

std::string spoken_phase(std::string_view phase) {
  std::string out(phase);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (out == "high level") out = "the high-level design";
  return out;
}

// The question as an interviewer says it: hooked onto the candidate's own
// words when they share a content word with the point, flagged when it
// returns to an earlier phase, otherwise a light, stable lead-in.
std::string phrase_question(const config::question& q, const candidate& c,
                            const turn_context& ctx, size_t phase) {
  const auto& p = *c.point;
  std::string lead;
  auto hook = hook_phrase(ctx.last_turn, p.point + " " + p.followup);
  // Hooking twice onto the same words sounds scripted; fall through to
  // another lead-in instead.
  if (!hook.empty() && !memory_of(ctx).used_hooks.contains(hook)) {
    lead = "You mentioned " + hook + ". ";
  } else if (c.phase < phase) {
    lead = "Going back to " + spoken_phase(q.phases[c.phase])
           + " for a moment. ";
  } else if (!ctx.last_turn.empty()) {
    static constexpr std::array<std::string_view, 4> leads{
      "Okay. ", "Thanks. ", "Let me push on one area. ", ""};
    lead = pick(leads, p.id + std::to_string(memory_of(ctx).asked_points.size()));
  }
  return lead + p.followup;
}

decision make(action a, std::string text, std::string point_id,
              const config::question& q, size_t phase, std::string reason) {
  return {a, std::move(text), std::move(point_id),
          phase < q.phases.size() ? q.phases[phase] : std::string{},
          std::move(reason)};
}

// `early`: everything was discussed before the clock forced it, so the
// time left is not the reason to summarise.
std::string wrap_up_text(const config::question& q, double remaining_s,
                         bool early) {
  std::string left = early ? "We've been through the main areas. "
                           : "We have about " + spoken_minutes(remaining_s)
                               + " left. ";
  switch (q.track) {
    case config::question_track::system_design:
      return left + "How would you summarise the main trade-offs of your design?";
    case config::question_track::project_deep_dive:
      return left + "Looking back, what would you do differently, and what did "
                    "you learn from the project?";
    case config::question_track::behavioural:
      return left + "What is the main thing you took away from that experience?";
  }
  return left + "How would you summarise your answer?";
}

int newly_covered(const turn_context& ctx) {
  const auto& mem = memory_of(ctx);
  int n = 0;
  for (const auto& c : ctx.coverage)
    if (c.covered && !mem.covered_before.contains(c.point_id)) ++n;
  return n;
}

}  // namespace

size_t current_phase(const config::question& q, const turn_context& ctx) {
  if (q.phases.empty()) return 0;
  const size_t n = q.phases.size();
  double limit_s = q.time_limit_minutes * 60.0;
  double share = limit_s > 0 ? ctx.elapsed_s / limit_s : 1.0;
  auto by_time = static_cast<size_t>(
    std::clamp(std::floor(share * static_cast<double>(n)), 0.0,
               static_cast<double>(n - 1)));
  size_t phase = std::max(by_time, static_cast<size_t>(std::max(
                                     0, memory_of(ctx).phase_floor)));
  phase = std::min(phase, n - 1);
  auto cov = index_coverage(ctx.coverage);
  while (phase + 1 < n && phase_done(q, phase, cov, memory_of(ctx))) ++phase;
  return phase;
}

decision decide(const config::question& q, const turn_context& ctx,
                const policy_settings& s) {
  const auto& mem = memory_of(ctx);
  const size_t phase = current_phase(q, ctx);
  if (mem.closed) return make(action::none, "", "", q, phase, "closed");

  const double limit_s = q.time_limit_minutes * 60.0;
  const double remaining = limit_s - ctx.elapsed_s;
  if (remaining <= 0)
    return make(action::close,
                "We're out of time, so let's stop here. Thank you for walking "
                "me through it.",
                "", q, phase, "time_up");

  const auto cov = index_coverage(ctx.coverage);
  const auto open = open_points(q, ctx, cov, phase);
  const int words = ctx.delivery.words.value_or(count_words(ctx.last_turn));
  const bool silent = words <= s.few_words;
  const auto seed = std::to_string(mem.asked_points.size()) + mem.last_point_id;

  // Time first: whatever else is going on, the candidate needs the chance
  // to summarise before the limit.
  double window = std::min(s.wrap_up_window_s, s.wrap_up_max_fraction * limit_s);
  if (remaining <= window) {
    if (!mem.wrap_up_asked)
      return make(action::wrap_up, wrap_up_text(q, remaining, false), "", q,
                  phase, "time_low");
    // After the summary request only a last-phase point still fits, and only
    // with time to answer it.
    if (!silent && remaining >= s.last_question_min_s)
      for (const auto& c : open)
        if (c.phase + 1 == q.phases.size())
          return make(action::ask, phrase_question(q, c, ctx, phase),
                      c.point->id, q, phase, "wrap_up_last_point");
    return make(action::none, "", "", q, phase, "wrapping_up");
  }

  // "I'm not sure": acknowledge, then a smaller step in the same dimension
  // (the point just asked is already excluded), or move on to another area.
  // A long hedged turn that covered something is an answer, not a pass.
  if (sounds_unsure(ctx.last_turn) && words <= s.unsure_max_words
      && newly_covered(ctx) == 0) {
    std::string last_dim;
    for (const auto& d : q.dimensions)
      for (const auto& p : d.points)
        if (p.id == mem.last_point_id) last_dim = d.name;
    for (const auto& c : open) {
      if (c.dimension != last_dim) continue;
      auto narrow = narrow_question(c.point->point);
      if (narrow.empty()) break;
      return make(action::ask,
                  "That's fine, it's a hard one. Let's take a smaller step: "
                    + narrow,
                  c.point->id, q, phase, "unsure_smaller_step");
    }
    if (!open.empty())
      return make(action::ask,
                  "That's fine, let's move on. " + open.front().point->followup,
                  open.front().point->id, q, phase, "unsure_move_on");
  }

  // Silence: a narrower way into the current phase's top open point, so
  // the candidate has something concrete to start from.
  if (silent) {
    const candidate* target = nullptr;
    for (const auto& c : open)
      if (c.phase == phase) {
        target = &c;
        break;
      }
    if (!target && !open.empty()) target = &open.front();
    if (!target)
      return make(action::encourage,
                  "Take your time. What would you look at next?", "", q,
                  phase, "silence_nothing_open");
    auto narrow = narrow_question(target->point->point);
    if (!narrow.empty())
      return make(action::ask, "Take your time. Maybe start smaller: " + narrow,
                  target->point->id, q, phase, "silence_hint");
    return make(action::ask, "Take your time. " + target->point->followup,
                target->point->id, q, phase, "silence_followup");
  }

  // A candidate covering new ground is left to carry on, but not for ever:
  // after max_quiet_turns the interviewer steers again.
  const int fresh = newly_covered(ctx);
  if (fresh >= s.flowing_new_points && mem.quiet_turns < s.max_quiet_turns
      && !open.empty()) {
    if (fresh >= s.flowing_quiet_new_points)
      return make(action::none, "", "", q, phase, "candidate_flowing");
    static constexpr std::array<std::string_view, 3> go_on{
      "That's helpful, keep going.", "Good, please carry on.",
      "Makes sense. Go on."};
    return make(action::encourage, std::string(pick(go_on, seed)), "", q,
                phase, "candidate_progressing");
  }

  if (!open.empty()) {
    const auto& c = open.front();
    return make(action::ask, phrase_question(q, c, ctx, phase), c.point->id, q,
                phase,
                c.phase < phase ? "top_uncovered_earlier_phase"
                                : "top_uncovered");
  }

  // Nothing left to ask: summarise early, and after that end gracefully.
  if (!mem.wrap_up_asked)
    return make(action::wrap_up, wrap_up_text(q, remaining, true), "", q, phase,
                "nothing_open");
  return make(action::close,
              "I think we've covered what I wanted to. Thank you, let's stop "
              "here.",
              "", q, phase, "all_covered");
}

followup_session::followup_session(const config::question& q,
                                   policy_settings s)
    : q_(&q), settings_(s) {}

decision followup_session::on_turn(
  double elapsed_s, std::span<const grading::point_coverage> coverage,
  std::span<const grading::transcript_line> last_turn,
  delivery_signals delivery) {
  turn_context ctx{elapsed_s, coverage, last_turn, delivery, &memory_};
  auto d = decide(*q_, ctx, settings_);

  memory_.phase_floor = static_cast<int>(phase_index(*q_, d.phase));
  for (const auto& c : coverage)
    if (c.covered) memory_.covered_before.insert(c.point_id);
  if (!d.text.empty()) memory_.asked_texts.insert(normalize(d.text));
  if (constexpr std::string_view lead = "You mentioned ";
      d.text.starts_with(lead)) {
    auto end = d.text.find(". ", lead.size());
    if (end != std::string::npos)
      memory_.used_hooks.insert(d.text.substr(lead.size(), end - lead.size()));
  }
  switch (d.act) {
    case action::ask:
      memory_.asked_points.insert(d.point_id);
      // The rubric's own wording counts as asked too, so a later lead-in
      // variant cannot smuggle the same question back in.
      for (const auto& dim : q_->dimensions)
        for (const auto& p : dim.points)
          if (p.id == d.point_id) memory_.asked_texts.insert(normalize(p.followup));
      memory_.last_point_id = d.point_id;
      memory_.quiet_turns = 0;
      break;
    case action::encourage:
    case action::none:
      ++memory_.quiet_turns;
      break;
    case action::wrap_up:
      memory_.wrap_up_asked = true;
      memory_.quiet_turns = 0;
      break;
    case action::close:
      memory_.closed = true;
      break;
  }
  return d;
}

}  // namespace sof::followup
