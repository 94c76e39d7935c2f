#include "tools/sof/chaos_report.hpp"

#include "tools/sof/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sof::cli {
namespace {

// Horizontal bars: restarts per actor kind.
std::string restarts_chart(const nlohmann::json& restarts) {
  const int left = 90, width = 480, row = 26, top = 8;
  const int rows = std::max<int>(1, static_cast<int>(restarts.size()));
  uint32_t most = 1;
  for (const auto& [_, n] : restarts.items())
    most = std::max(most, n.get<uint32_t>());
  std::string svg = fmt::format(
    "<svg role=\"img\" aria-label=\"Restarts per actor kind\" viewBox=\"0 0 {} {}\" "
    "width=\"100%\" style=\"max-width:700px\">",
    left + width + 60, top + rows * row + 8);
  int i = 0;
  for (const auto& [kind, v] : restarts.items()) {
    auto n = v.get<uint32_t>();
    int y = top + i * row;
    double w = width * static_cast<double>(n) / most;
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"end\">{}</text>"
                       "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"18\" fill=\"#c05621\"/>"
                       "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\">{}</text>",
                       left - 8, y + 14, html_escape(kind), left, y, w, left + w + 6, y + 14, n);
    ++i;
  }
  return svg + "</svg>";
}

// One column per session: its value (red when the session did not
// complete), with the fault-free baseline of the same input as a tick.
std::string sessions_chart(const nlohmann::json& per, const char* key, const char* base_key,
                           const char* label) {
  const int left = 60, width = 600, top = 10, height = 200;
  double most = 1;
  auto value = [&](const nlohmann::json& s, const char* k) {
    const auto& v = s.at(k);
    if (v.is_array()) {  // follow-up latencies: the session's worst turn
      double m = 0;
      for (const auto& x : v)
        m = std::max(m, x.get<double>());
      return m;
    }
    return v.get<double>();
  };
  for (const auto& s : per)
    most = std::max({most, value(s, key), value(s, base_key)});
  std::string svg = fmt::format(
    "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" width=\"100%\" "
    "style=\"max-width:760px\">",
    label, left + width + 20, top + height + 34);
  for (int q = 0; q <= 4; ++q) {
    int y = top + height - height * q / 4;
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#edf2f7\"/>"
                       "<text x=\"{3}\" y=\"{4}\" font-size=\"11\" text-anchor=\"end\" "
                       "fill=\"#718096\">{5:.0f} ms</text>",
                       left, y, left + width, left - 6, y + 4, most * q / 4);
  }
  const double n = std::max<std::size_t>(per.size(), 1);
  const double bw = std::max(2.0, width / n - 2);
  std::size_t k = 0;
  for (const auto& s : per) {
    double x = left + width * k / n + 1;
    double v = value(s, key), b = value(s, base_key);
    double h = height * v / most, by = top + height - height * b / most;
    bool ok = s.value("completed", false);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                       "fill=\"{}\"><title>session {}: {:.0f} ms (fault-free {:.0f} ms)</title></rect>"
                       "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                       "stroke=\"#1a202c\" stroke-width=\"2\"/>",
                       x, top + height - h, bw, h, ok ? "#2b6cb0" : "#c53030",
                       s.value("index", 0), v, b, x, by, x + bw, by);
    ++k;
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" "
                     "fill=\"#718096\">session (black tick: fault-free baseline)</text>",
                     left + width / 2, top + height + 26);
  return svg + "</svg>";
}

std::string latency_row(const char* what, const nlohmann::json& l) {
  return fmt::format("<tr><th>{}</th><td>{:.0f}</td><td>{:.0f}</td><td>{:.2f}</td>"
                     "<td>{:.0f}</td><td>{:.0f}</td><td>{:.2f}</td></tr>",
                     what, l.value("p50", 0.0), l.value("baseline_p50", 0.0),
                     l.value("ratio_p50", 0.0), l.value("p95", 0.0),
                     l.value("baseline_p95", 0.0), l.value("ratio_p95", 0.0));
}

}  // namespace

std::string render_chaos_html(const nlohmann::json& r) {
  std::string summary;
  auto add = [&](const char* what, const std::string& v) {
    summary += fmt::format("<tr><th>{}</th><td>{}</td></tr>", what, html_escape(v));
  };
  auto num = [&](const char* k) { return std::to_string(r.value(k, std::size_t{0})); };
  add("sessions completed", num("completed") + " / " + num("sessions"));
  add("words lost", num("words_lost"));
  add("escalations", num("escalations"));
  add("graders unavailable", num("graders_unavailable"));
  add("graders silently missing", num("graders_silently_missing"));
  add("verdicts changed", num("verdicts_changed"));
  add("grades without embeddings", num("embed_degraded"));
  for (const auto& [k, v] : r["absorbed"].items())
    add(k.c_str(), std::to_string(v.get<uint32_t>()));
  const auto& per = r["per_session"];
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chaos lab: {faults}</title>
<style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1a202c}}
table{{border-collapse:collapse;margin:1rem 0}} td,th{{padding:.3rem .6rem;border-bottom:1px solid #e2e8f0;text-align:right}}
th:first-child{{text-align:left}} .note{{color:#4a5568}}
</style></head><body>
<h1>Chaos lab</h1>
<p class="note">{sessions} sessions, concurrency {concurrency}, seed {seed}; faults <code>{faults}</code>.
Each session is compared with the fault-free run of the same audio and question.</p>
<table><tbody>{summary}</tbody></table>
<h2>Restarts per actor kind</h2>
{restarts}
<h2>Session wall time vs the fault-free baseline</h2>
{wall}
<h2>Slowest follow-up per session vs the fault-free baseline</h2>
{followup}
<h2>Latency (ms)</h2>
<table><thead><tr><th></th><th>p50</th><th>fault-free</th><th>ratio</th><th>p95</th><th>fault-free</th><th>ratio</th></tr></thead>
<tbody>{lat_session}{lat_followup}</tbody></table>
</body></html>
)",
                     fmt::arg("faults", html_escape(r.value("faults", std::string{}).empty()
                                                      ? std::string{"none"}
                                                      : r.value("faults", std::string{}))),
                     fmt::arg("sessions", r.value("sessions", 0)),
                     fmt::arg("concurrency", r.value("concurrency", 0)),
                     fmt::arg("seed", r.value("seed", uint64_t{0})),
                     fmt::arg("summary", summary),
                     fmt::arg("restarts", restarts_chart(r["restarts"])),
                     fmt::arg("wall", sessions_chart(per, "wall_ms", "baseline_wall_ms",
                                                     "Session wall time")),
                     fmt::arg("followup", sessions_chart(per, "followup_ms", "baseline_followup_ms",
                                                         "Follow-up latency")),
                     fmt::arg("lat_session", latency_row("session wall time", r["latency"]["session_ms"])),
                     fmt::arg("lat_followup", latency_row("follow-up latency", r["latency"]["followup_ms"])));
}

}  // namespace sof::cli
