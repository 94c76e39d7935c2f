#include "tools/sof/tts_race_report.hpp"

#include "tools/sof/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace sof::cli {
namespace {

const char* palette[] = {"#2b6cb0", "#c05621", "#2f855a", "#6b46c1",
                         "#b83280", "#718096", "#975a16", "#285e61"};

struct axis {
  double lo, hi;  // log10 of ms
  int left, width;
  double x(double ms) const {
    double v = std::log10(std::max(ms, 0.01));
    return left + width * (v - lo) / (hi - lo);
  }
};

axis log_axis(const std::vector<double>& all, int left, int width) {
  double mn = 1e9, mx = 0;
  for (double v : all) {
    mn = std::min(mn, std::max(v, 0.01));
    mx = std::max(mx, v);
  }
  if (all.empty())
    mn = 0.1, mx = 100;
  return {std::floor(std::log10(mn)), std::ceil(std::log10(std::max(mx, mn * 10))),
          left, width};
}

std::string x_ticks(const axis& a, int top, int bottom) {
  std::string svg;
  for (double e = a.lo; e <= a.hi + 1e-9; e += 1) {
    double ms = std::pow(10.0, e);
    int x = static_cast<int>(a.x(ms));
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e2e8f0\"/>"
                       "<text x=\"{0}\" y=\"{3}\" font-size=\"11\" text-anchor=\"middle\" "
                       "fill=\"#718096\">{4} ms</text>",
                       x, top, bottom, bottom + 14, ms < 1 ? fmt::format("{:g}", ms)
                                                           : fmt::format("{:.0f}", ms));
  }
  return svg;
}

// Cumulative distribution of time to first audio, one line per series.
std::string cdf_chart(const std::vector<std::pair<std::string, std::vector<double>>>& series) {
  const int left = 50, width = 560, top = 10, height = 220;
  std::vector<double> all;
  for (const auto& [_, v] : series)
    all.insert(all.end(), v.begin(), v.end());
  auto a = log_axis(all, left, width);
  std::string svg = fmt::format(
    "<svg role=\"img\" aria-label=\"Time to first audio, cumulative\" viewBox=\"0 0 {} {}\" "
    "width=\"100%\" style=\"max-width:760px\">",
    left + width + 170, top + height + 40);
  svg += x_ticks(a, top, top + height);
  for (int q = 0; q <= 100; q += 25) {
    int y = top + height - height * q / 100;
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#edf2f7\"/>"
                       "<text x=\"{3}\" y=\"{4}\" font-size=\"11\" text-anchor=\"end\" "
                       "fill=\"#718096\">{5}%</text>",
                       left, y, left + width, left - 6, y + 4, q);
  }
  int i = 0;
  for (const auto& [name, values] : series) {
    auto v = values;
    std::sort(v.begin(), v.end());
    std::string pts;
    for (std::size_t k = 0; k < v.size(); ++k) {
      double y0 = top + height - height * double(k) / v.size();
      double y1 = top + height - height * double(k + 1) / v.size();
      double x = a.x(v[k]);
      pts += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x, y0, x, y1);
    }
    const char* color = palette[i % 8];
    bool policy = i == static_cast<int>(series.size()) - 1;
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" points=\"{}\"/>",
                       color, policy ? 3 : 1.5, pts);
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
                       left + width + 16, top + 8 + i * 20, color, left + width + 34,
                       top + 18 + i * 20, html_escape(name));
    ++i;
  }
  return svg + "</svg>";
}

// The policy's time to first audio per run, coloured by the winner.
std::string runs_chart(const nlohmann::json& runs,
                       const std::map<std::string, std::string>& colors) {
  const int left = 50, width = 560, top = 10, height = 200;
  std::vector<double> all;
  for (const auto& r : runs)
    all.push_back(r.value("ttfb_ms", 0.0));
  auto a = log_axis(all, 0, height);  // vertical log axis
  std::string svg = fmt::format(
    "<svg role=\"img\" aria-label=\"Time to first audio per run\" viewBox=\"0 0 {} {}\" "
    "width=\"100%\" style=\"max-width:760px\">",
    left + width + 170, top + height + 30);
  for (double e = a.lo; e <= a.hi + 1e-9; e += 1) {
    double ms = std::pow(10.0, e);
    int y = top + height - static_cast<int>(a.x(ms));
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e2e8f0\"/>"
                       "<text x=\"{3}\" y=\"{4}\" font-size=\"11\" text-anchor=\"end\" "
                       "fill=\"#718096\">{5:g} ms</text>",
                       left, y, left + width, left - 6, y + 4, ms);
  }
  const double n = std::max<std::size_t>(runs.size(), 1);
  std::size_t k = 0;
  for (const auto& r : runs) {
    double x = left + width * (k + 0.5) / n;
    double y = top + height - a.x(r.value("ttfb_ms", 0.0));
    auto w = r.value("winner", std::string{});
    auto c = colors.count(w) ? colors.at(w) : std::string{"#a0aec0"};
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\">"
                       "<title>run {}: {:.2f} ms by {}</title></circle>",
                       x, y, c, k + 1, r.value("ttfb_ms", 0.0), html_escape(w));
    ++k;
  }
  int i = 0;
  for (const auto& [name, c] : colors) {
    svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\" font-size=\"13\">{} wins</text>",
                       left + width + 22, top + 14 + i * 20, c, left + width + 34,
                       top + 18 + i * 20, html_escape(name));
    ++i;
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" "
                     "fill=\"#718096\">run</text>",
                     left + width / 2, top + height + 22);
  return svg + "</svg>";
}

std::string pct_cells(const nlohmann::json& p) {
  return fmt::format("<td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td>", p.value("p50", 0.0),
                     p.value("p95", 0.0), p.value("p99", 0.0));
}

}  // namespace

std::string render_tts_race_html(const nlohmann::json& r) {
  const auto& providers = r.at("providers");
  const auto& policy = r.at("policy");
  std::vector<std::pair<std::string, std::vector<double>>> series;
  std::map<std::string, std::string> colors;
  int i = 0;
  for (const auto& [name, _] : providers.items()) {
    std::vector<double> v;
    for (const auto& x : r["samples"]["providers"][name])
      v.push_back(x.get<double>());
    series.emplace_back(name + " alone", std::move(v));
    colors[name] = palette[i++ % 8];
  }
  std::vector<double> pv;
  for (const auto& run : r["samples"]["policy"])
    pv.push_back(run.value("ttfb_ms", 0.0));
  series.emplace_back(policy.value("name", std::string{}) + " (policy)", pv);

  std::string rows;
  for (const auto& [name, p] : providers.items())
    rows += fmt::format("<tr><th>{}</th><td>alone</td>{}{}<td>{}</td><td>{}</td><td>{:.2f}</td></tr>",
                        html_escape(name), pct_cells(p["ttfb_ms"]), pct_cells(p["total_ms"]),
                        p.value("wins", 0), p.value("failures", 0),
                        p.value("cpu_ms_per_utterance", 0.0));
  rows += fmt::format("<tr class=\"policy\"><th>{}</th><td>policy</td>{}{}<td>{}</td><td>{}</td><td>{:.2f}</td></tr>",
                      html_escape(policy.value("name", std::string{})),
                      pct_cells(policy["ttfb_ms"]), pct_cells(policy["total_ms"]),
                      policy.value("runs", 0), policy.value("failures", 0),
                      policy.value("cpu_ms_per_utterance", 0.0));
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TTS race: {policy}</title>
<style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1a202c}}
table{{border-collapse:collapse;margin:1rem 0}} td,th{{padding:.3rem .6rem;border-bottom:1px solid #e2e8f0;text-align:right}}
th:first-child{{text-align:left}} tr.policy{{font-weight:600;background:#f7fafc}}
.note{{color:#4a5568}}
</style></head><body>
<h1>Text-to-speech race</h1>
<p class="note">{runs} runs per configuration over {texts} text(s); policy <b>{policy}</b>{hedge}; chaos <code>{chaos}</code>.
Time to first audio is measured from the speak request to the first chunk leaving the voice agent.</p>
<h2>Time to first audio (cumulative)</h2>
{cdf}
<h2>The policy, run by run</h2>
{runs_svg}
<h2>Numbers (ms)</h2>
<table><thead><tr><th>provider</th><th>mode</th><th>first p50</th><th>p95</th><th>p99</th>
<th>total p50</th><th>p95</th><th>p99</th><th>wins / runs</th><th>failures</th><th>CPU ms / utterance</th></tr></thead>
<tbody>{rows}</tbody></table>
</body></html>
)",
                     fmt::arg("policy", html_escape(policy.value("name", std::string{}))),
                     fmt::arg("runs", r.value("runs", 0)),
                     fmt::arg("texts", r.value("texts", 0)),
                     fmt::arg("hedge", policy.contains("hedge_delay_ms")
                                         ? fmt::format(" (hedge delay now {:.0f} ms)",
                                                       policy.value("hedge_delay_ms", 0.0))
                                         : std::string{}),
                     fmt::arg("chaos", html_escape(r.value("chaos", std::string{"none"}))),
                     fmt::arg("cdf", cdf_chart(series)),
                     fmt::arg("runs_svg", runs_chart(r["samples"]["policy"], colors)),
                     fmt::arg("rows", rows));
}

}  // namespace sof::cli
