#pragma once
// The HTML page of `sof tts-race --report`: self-contained (inline SVG, no
// scripts, no external assets). Input is the command's JSON result plus the
// raw per-run samples, so what the page shows is what --json reports.
#include <nlohmann/json.hpp>

#include <string>

namespace sof::cli {

/// `result` is the --json document with an extra "samples" object:
/// {"providers": {NAME: [ttfb_ms...]}, "policy": [{"ttfb_ms", "winner"}...]}.
std::string render_tts_race_html(const nlohmann::json& result);

}  // namespace sof::cli
