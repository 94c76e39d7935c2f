#include "actors/session/summary_json.hpp"

#include "base/text/fillers.hpp"

#include <algorithm>
#include <cmath>

namespace sof::session {

nlohmann::json to_json(const msg::delivery_stats& d) {
  return {
    {"audio_seconds", d.audio_seconds},
    {"speaking_seconds", d.speaking_seconds},
    {"time_to_first_speech_seconds", d.time_to_first_speech_seconds},
    {"utterances", d.utterances},
    {"turns", d.turns},
    {"pauses", d.pauses},
    {"longest_pause_seconds", d.longest_pause_seconds},
    {"mean_pause_seconds", d.mean_pause_seconds},
    {"words", d.words},
    {"words_per_minute", d.words_per_minute},
  };
}

nlohmann::json delivery_json(const msg::session_summary& s) {
  // Counted here from the final transcript rather than stored in
  // delivery_stats: adding fields to a catalogued message changes the
  // journal format.
  auto fillers = text::count_fillers(s.text);
  auto j = to_json(s.delivery);
  j["fillers"] = text::total_fillers(fillers);
  j["filler_words"] = fillers.empty() ? nlohmann::json::object() : nlohmann::json(fillers);
  return j;
}

nlohmann::json to_json(const msg::transcript_word& w) {
  nlohmann::json j{{"word", w.word},
                   {"start", w.start_ms / 1000.0},
                   {"end", w.end_ms / 1000.0},
                   {"confidence", std::round(w.confidence * 1000.0) / 1000.0}};
  if (w.confidence < msg::low_confidence)
    j["uncertain"] = true;
  return j;
}

nlohmann::json to_json(const msg::transcript_segment& seg) {
  nlohmann::json words = nlohmann::json::array();
  for (const auto& w : seg.words)
    words.push_back(to_json(w));
  nlohmann::json j{{"start", seg.start_ms / 1000.0},
                   {"end", seg.end_ms / 1000.0},
                   {"text", seg.text},
                   {"words", words},
                   {"alternatives", seg.alternatives}};
  if (!seg.recognizer.empty())
    j["recognizer"] = seg.recognizer;
  return j;
}

nlohmann::json to_json(const msg::session_summary& s) {
  nlohmann::json segs = nlohmann::json::array();
  for (const auto& seg : s.segments)
    segs.push_back(to_json(seg));
  nlohmann::json restarts = nlohmann::json::object();
  for (const auto& [k, v] : s.restarts)
    restarts[k] = v;
  nlohmann::json j = {
    {"session_id", s.session_id},
    {"text", s.text},
    {"segments", segs},
    {"audio_seconds", s.audio_seconds},
    {"restarts", restarts},
    {"delivery", delivery_json(s)},
    {"frames",
     {{"received", s.counters.frames},
      {"duplicates", s.counters.duplicates},
      {"reordered", s.counters.reordered},
      {"late", s.counters.late},
      {"gaps", s.counters.gaps},
      {"rejected", s.counters.rejected}}},
    {"error", s.error.empty() ? nlohmann::json{} : nlohmann::json{s.error}},
  };
  // Second-pass recogniser outcomes (docs/stt.md), only when it is on.
  if (!s.second_pass.empty()) {
    nlohmann::json sp = nlohmann::json::object();
    for (const auto& [k, v] : s.second_pass)
      sp[k] = v;
    j["second_pass"] = sp;
  }
  return j;
}

std::vector<std::string> uncertain_words(const msg::session_summary& s,
                                         const msg::evidence_quote& e) {
  // The recogniser's doubtful words inside the quoted stretch of speech,
  // so the scorecard can say "we may have misheard this" next to evidence.
  std::vector<std::string> out;
  const auto in_quote = [&](const std::string& w) {
    return (" " + e.quote + " ").find(" " + w) != std::string::npos;
  };
  for (const auto& seg : s.segments) {
    if (seg.end_ms < e.start_ms || seg.start_ms > e.end_ms)
      continue;
    for (const auto& w : seg.words)
      if (w.confidence < msg::low_confidence && w.end_ms > e.start_ms
          && w.start_ms < e.end_ms && in_quote(w.word)
          && std::find(out.begin(), out.end(), w.word) == out.end())
        out.push_back(w.word);
  }
  return out;
}

nlohmann::json scorecard_json(const msg::session_summary& s) {
  const auto& c = s.card;
  nlohmann::json dims = nlohmann::json::array();
  for (const auto& d : c.dimensions) {
    nlohmann::json ev = nlohmann::json::array(), miss = nlohmann::json::array(),
                   cites = nlohmann::json::array();
    for (const auto& e : d.evidence) {
      ev.push_back({{"point", e.point_id}, {"quote", e.quote},
                    {"start", e.start_ms / 1000.0}, {"end", e.end_ms / 1000.0},
                    {"score", e.score}});
      if (auto u = uncertain_words(s, e); !u.empty())
        ev.back()["uncertain"] = u;
      for (const auto& h : e.heard)  // a rubric word heard in other words
        ev.back()["heard"].push_back({{"heard", h.heard}, {"term", h.term}, {"how", h.how}});
    }
    for (const auto& m : d.missing)
      miss.push_back({{"point_id", m.point_id}, {"point", m.point},
                      {"followup", m.followup}, {"weight", m.weight}});
    for (const auto& h : d.citations)
      cites.push_back({{"source", h.source}, {"heading", h.heading},
                       {"text", h.text}, {"attribution", h.attribution}});
    dims.push_back({{"name", d.dimension}, {"score", d.score},
                    {"status", d.status}, {"evidence", ev}, {"missing", miss},
                    {"citations", cites}, {"note", d.note}});
    if (!d.degraded.empty())  // graded without a dependency (docs/chaos.md)
      dims.back()["degraded"] = d.degraded;
  }
  nlohmann::json fus = nlohmann::json::array();
  for (const auto& f : s.followups)
    if (!f.text.empty())
      fus.push_back({{"turn", f.turn}, {"action", f.action}, {"text", f.text},
                     {"point_id", f.point_id}, {"phase", f.phase},
                     {"at", f.at_ms / 1000.0}});
  auto base = to_json(s);
  return {
    {"question", c.question_id},
    {"question_title", c.question_title},
    {"verdict", c.verdict},
    {"overall", c.overall},
    {"reason", c.reason},
    {"dimensions", dims},
    {"improvements", c.improvements},
    {"unavailable", c.unavailable},
    {"relevance", c.relevance},
    {"unmentioned", c.unmentioned},
    {"followups", fus},
    {"transcript", s.text},
    {"segments", base["segments"]},
    {"delivery", base["delivery"]},
    {"restarts", base["restarts"]},
    {"session_id", s.session_id},
    {"error", base["error"]},
  };
}

}  // namespace sof::session
