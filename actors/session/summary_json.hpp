#pragma once
// JSON forms of a session's results, shared by the command line and the
// service so that both show the same thing: the summary (`sof transcribe
// --json`) and the scorecard (docs/scorecard.md).
#include "actors/messages/messages.hpp"

#include <nlohmann/json.hpp>

namespace sof::session {

nlohmann::json to_json(const msg::delivery_stats& d);
/// A word with its timing and confidence ("uncertain": true below
/// msg::low_confidence).
nlohmann::json to_json(const msg::transcript_word& w);
/// A segment: times, text, words, alternatives, recognizer.
nlohmann::json to_json(const msg::transcript_segment& seg);
/// Words of the transcript inside an evidence quote that the recogniser
/// was unsure of.
std::vector<std::string> uncertain_words(const msg::session_summary& s,
                                         const msg::evidence_quote& e);
/// The delivery statistics plus the filler words of the final transcript
/// ("fillers": total, "filler_words": {filler: count}).
nlohmann::json delivery_json(const msg::session_summary& s);
nlohmann::json to_json(const msg::session_summary& s);
/// The scorecard document of docs/scorecard.md.
nlohmann::json scorecard_json(const msg::session_summary& s);

}  // namespace sof::session
