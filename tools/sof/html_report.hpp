#pragma once
// A self-contained HTML scorecard (no external assets, no scripts needed):
// verdict, a bar chart of the six dimensions in inline SVG, evidence quotes
// with timestamps, missing points, citations with attribution, delivery
// statistics and the follow-up questions asked. Input is the scorecard JSON
// documented in docs/scorecard.md, so the CLI and the service render the same.
#include <nlohmann/json.hpp>

#include <string>

namespace sof::cli {

std::string render_scorecard_html(const nlohmann::json& scorecard);

/// Escapes text for HTML element content and attribute values.
std::string html_escape(const std::string& s);

}  // namespace sof::cli
