#pragma once
// The HTML page of `sof chaos --report`: self-contained (inline SVG, no
// scripts, no external assets), drawn from the --json document so the page
// shows exactly what the JSON reports: the summary, restarts per actor kind,
// and each session's wall time and follow-up latency against the fault-free
// baseline of the same audio.
#include <nlohmann/json.hpp>

#include <string>

namespace sof::cli {

std::string render_chaos_html(const nlohmann::json& result);

}  // namespace sof::cli
