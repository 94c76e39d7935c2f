#include "tools/sof/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace sof::cli {
namespace {

std::string str(const nlohmann::json& j, const char* key,
                const std::string& fallback = "") {
  if (j.is_object() && j.contains(key) && j[key].is_string())
    return j[key].get<std::string>();
  return fallback;
}

double num(const nlohmann::json& j, const char* key, double fallback = 0) {
  if (j.is_object() && j.contains(key) && j[key].is_number())
    return j[key].get<double>();
  return fallback;
}

std::string mmss(double seconds) {
  int s = static_cast<int>(seconds);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

// Horizontal bars, one per dimension, 0-10; unavailable ones are hatched.
std::string dimension_chart(const nlohmann::json& dims) {
  const int row = 34, left = 150, width = 420;
  const int height = static_cast<int>(dims.size()) * row + 30;
  std::string svg = fmt::format(
    "<svg role=\"img\" aria-label=\"Scores of the six dimensions\" "
    "viewBox=\"0 0 {} {}\" width=\"100%\" style=\"max-width:640px\">"
    "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bbb\" "
    "stroke-width=\"3\"/></pattern></defs>",
    left + width + 60, height);
  for (int t = 0; t <= 10; t += 2) {
    int x = left + width * t / 10;
    svg += fmt::format("<line x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"{1}\" "
                       "stroke=\"#eee\"/><text x=\"{0}\" y=\"{2}\" "
                       "font-size=\"11\" text-anchor=\"middle\" "
                       "fill=\"#888\">{3}</text>",
                       x, height - 22, height - 8, t);
  }
  int y = 0;
  for (const auto& d : dims) {
    auto name = html_escape(str(d, "name"));
    bool available = str(d, "status", "ok") != "unavailable";
    double score = num(d, "score");
    int w = available ? static_cast<int>(width * std::clamp(score, 0.0, 10.0) / 10)
                      : width;
    std::string fill = !available ? "url(#hatch)"
                       : score >= 7 ? "#2f855a" : score >= 5 ? "#b7791f"
                                                              : "#c53030";
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"14\" "
                       "text-anchor=\"end\">{}</text>",
                       left - 10, y + 21, name);
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" "
                       "rx=\"3\" fill=\"{}\"/>",
                       left, y + 6, w, fill);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
                       left + (available ? w : width) + 8, y + 22,
                       available ? fmt::format("{:.1f}", score)
                                 : std::string{"unavailable"});
    y += row;
  }
  return svg + "</svg>";
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string uncertain_word(const std::string& w) {
  return "<span class=\"unc\" title=\"the recogniser was unsure of this "
         "word\">" + html_escape(w) + "<sup>?</sup></span>";
}

// A segment's words with the uncertain ones marked (underline and "?", not
// colour alone); its text as it is when the words do not spell it.
std::string marked_segment(const nlohmann::json& seg) {
  const auto text = str(seg, "text");
  const auto words = seg.value("words", nlohmann::json::array());
  std::string spelled, out;
  for (const auto& w : words)
    spelled += (spelled.empty() ? "" : " ") + str(w, "word");
  if (words.empty() || spelled != text)
    return html_escape(text);
  for (const auto& w : words) {
    if (!out.empty())
      out += " ";
    const bool unsure = w.is_object() && w.value("uncertain", false);
    out += unsure ? uncertain_word(str(w, "word")) : html_escape(str(w, "word"));
  }
  return out;
}

// The rubric words matched in other words: the recognised word a sound
// match counted (marked in the quote), and a note for each match.
std::string heard_note(const nlohmann::json& e) {
  std::string out;
  for (const auto& h : e.value("heard", nlohmann::json::array())) {
    if (!h.is_object())
      continue;
    const bool sound = str(h, "how") == "sound";
    out += fmt::format("<span class=\"heard\">{} &ldquo;{}&rdquo;, counted as &ldquo;{}&rdquo;</span>",
                       sound ? "heard" : "the recogniser's second guess", html_escape(str(h, "heard")),
                       html_escape(str(h, "term")));
  }
  return out;
}

std::string marked_quote(const nlohmann::json& e) {
  const auto unsure = e.value("uncertain", nlohmann::json::array());
  std::map<std::string, std::string> sounded;  // recognised word -> rubric term
  for (const auto& h : e.value("heard", nlohmann::json::array()))
    if (h.is_object() && str(h, "how") == "sound")
      sounded[str(h, "heard")] = str(h, "term");
  if (unsure.empty() && sounded.empty())
    return html_escape(str(e, "quote"));
  std::string out, word;
  std::istringstream in{str(e, "quote")};
  while (in >> word) {
    if (!out.empty())
      out += " ";
    bool marked = false;
    for (const auto& u : unsure)
      if (u.is_string() && u.get<std::string>() == word)
        marked = true;
    std::string bare = word;  // "whole," -> "whole"
    while (!bare.empty() && std::ispunct(static_cast<unsigned char>(bare.back())))
      bare.pop_back();
    std::transform(bare.begin(), bare.end(), bare.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (auto s = sounded.find(bare); s != sounded.end())
      out += fmt::format("<mark title=\"counted as {}\">{}</mark>", html_escape(s->second),
                         html_escape(word));
    else
      out += marked ? uncertain_word(word) : html_escape(word);
  }
  return out;
}

}  // namespace

std::string render_scorecard_html(const nlohmann::json& sc) {
  const std::string verdict = str(sc, "verdict", "fail");
  const bool scale = verdict == "scale";
  const auto dims = sc.value("dimensions", nlohmann::json::array());
  std::string h;
  h += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
       "<title>Scale or Fail scorecard</title><style>"
       "body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;"
       "padding:0 1rem;color:#222;line-height:1.5}"
       ".verdict{font-size:2.2rem;font-weight:700}"
       ".scale{color:#2f855a}.fail{color:#c53030}"
       ".heard{display:block;font-size:.85em;color:#555}"
       "blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid #999;"
       "background:#f7f7f7}.t{color:#666;font-size:.85rem}"
       ".missing li{margin:.2rem 0}.cite{font-size:.9rem;color:#444}"
       "section{border-top:1px solid #ddd;margin-top:1.2rem;padding-top:.6rem}"
       "table{border-collapse:collapse}td{padding:.2rem .8rem .2rem 0}"
       ".unc{text-decoration:underline dotted}.unc sup{font-size:.7em}"
       "</style></head><body>";
  h += fmt::format("<h1>Scorecard: {}</h1>", html_escape(str(sc, "question_title",
                                                             str(sc, "question", ""))));
  h += fmt::format("<p class=\"verdict {}\">{} &middot; {:.0f}/100</p>",
                   scale ? "scale" : "fail", scale ? "Scale" : "Fail",
                   num(sc, "overall"));
  if (!str(sc, "reason", "").empty())
    h += "<p>" + html_escape(str(sc, "reason", "")) + "</p>";
  // Relevance bounds the score: say so where the candidate looks first.
  if (sc.contains("relevance") && sc["relevance"].is_number()
      && sc["relevance"].get<double>() < 1.0) {
    std::string words;
    if (sc.contains("unmentioned") && sc["unmentioned"].is_array())
      for (const auto& w : sc["unmentioned"])
        if (w.is_string())
          words += (words.empty() ? "" : ", ") + w.get<std::string>();
    h += fmt::format("<p class=\"t\">Relevance to the question: {:.2f} (the score is at "
                     "most {:.0f}){}</p>",
                     sc["relevance"].get<double>(),
                     10 + 90 * sc["relevance"].get<double>(),
                     words.empty() ? "" : ". Never mentioned: " + html_escape(words));
  }
  h += dimension_chart(dims);
  if (sc.contains("improvements") && sc["improvements"].is_array()
      && !sc["improvements"].empty()) {
    h += "<section><h2>Top improvements</h2><ol>";
    for (const auto& i : sc["improvements"])
      h += "<li>" + html_escape(i.is_string() ? i.get<std::string>() : i.dump())
           + "</li>";
    h += "</ol></section>";
  }
  for (const auto& d : dims) {
    h += fmt::format("<section><h2>{} &mdash; {}</h2>",
                     html_escape(str(d, "name")),
                     str(d, "status", "ok") == "unavailable"
                       ? std::string{"unavailable"}
                       : fmt::format("{:.1f}/10", num(d, "score")));
    for (const auto& e : d.value("evidence", nlohmann::json::array()))
      h += fmt::format("<blockquote>&ldquo;{}&rdquo; <span class=\"t\">at {} "
                       "&middot; {}</span>{}</blockquote>",
                       marked_quote(e), mmss(num(e, "start")),
                       html_escape(str(e, "point")), heard_note(e));
    auto missing = d.value("missing", nlohmann::json::array());
    if (!missing.empty()) {
      h += "<p>Missing:</p><ul class=\"missing\">";
      for (const auto& m : missing)
        h += "<li>" + html_escape(m.is_string() ? m.get<std::string>()
                                                : str(m, "point"))
             + "</li>";
      h += "</ul>";
    }
    for (const auto& c : d.value("citations", nlohmann::json::array()))
      h += fmt::format("<p class=\"cite\"><b>{}</b> &mdash; {}<br><i>{}</i></p>",
                       html_escape(str(c, "heading")),
                       html_escape(str(c, "text").substr(0, 280)),
                       html_escape(str(c, "attribution")));
    h += "</section>";
  }
  if (sc.contains("delivery") && sc["delivery"].is_object()) {
    const auto& d = sc["delivery"];
    h += "<section><h2>Delivery</h2><table>";
    h += fmt::format("<tr><td>Pace</td><td>{:.0f} words/min</td></tr>",
                     num(d, "words_per_minute"));
    h += fmt::format("<tr><td>Speaking time</td><td>{}</td></tr>",
                     mmss(num(d, "speaking_seconds")));
    h += fmt::format("<tr><td>Pauses</td><td>{:.0f} (longest {:.1f} s)</td></tr>",
                     num(d, "pauses"), num(d, "longest_pause_seconds"));
    if (d.contains("fillers"))
      h += fmt::format("<tr><td>Filler words</td><td>{:.0f}</td></tr>",
                       num(d, "fillers"));
    h += "</table></section>";
  }
  auto followups = sc.value("followups", nlohmann::json::array());
  if (!followups.empty()) {
    h += "<section><h2>Follow-up questions asked</h2><ol>";
    for (const auto& f : followups)
      h += "<li>" + html_escape(f.is_string() ? f.get<std::string>()
                                              : str(f, "text"))
           + "</li>";
    h += "</ol></section>";
  }
  if (sc.contains("segments") && sc["segments"].is_array()
      && !sc["segments"].empty()) {
    h += "<section><h2>Transcript</h2><p class=\"t\">Words marked "
         "<span class=\"unc\">like this<sup>?</sup></span> are ones the "
         "recogniser was unsure of.</p><p>";
    for (const auto& seg : sc["segments"])
      h += marked_segment(seg) + " ";
    h += "</p></section>";
  } else if (sc.contains("transcript") && sc["transcript"].is_string()) {
    h += "<section><h2>Transcript</h2><p>"
         + html_escape(sc["transcript"].get<std::string>()) + "</p></section>";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace sof::cli
