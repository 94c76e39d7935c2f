#include "config/questions.hpp"

#include "actors/common/errors.hpp"

#include "config/toml_text.hpp"

#include <toml.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace sof::config {

namespace {

constexpr std::array<std::string_view, 6> system_design_dims{
  "requirements", "architecture", "data",
  "scalability",  "reliability",  "communication"};
constexpr std::array<std::string_view, 8> deep_dive_dims{
  "problem_and_slos", "architecture", "decisions_and_tradeoffs", "role",
  "challenges",       "outcomes",     "hindsight",               "communication"};
constexpr std::array<std::string_view, 6> behavioural_dims{
  "situation", "task", "action", "result", "reflection", "communication"};

constexpr int min_minutes = 5;
constexpr int max_minutes = 120;
// A phrasing is what a candidate would say; a bare keyword would let a
// buzzword list score like an explanation, so require a short sentence.
constexpr std::size_t min_phrasing_words = 4;

bool is_slug(std::string_view s) {
  if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0]))
                     || std::isdigit(static_cast<unsigned char>(s[0]))))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::islower(u) || std::isdigit(u) || c == '-' || c == '_';
  });
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = std::isspace(static_cast<unsigned char>(c));
    if (!space && !in_word)
      ++n;
    in_word = !space;
  }
  return n;
}

// Reads typed keys out of one TOML table, recording every problem as
// "key: what" and remembering the keys it consumed so leftovers (typos,
// stale fields) are reported as unknown instead of ignored.
class reader {
 public:
  reader(const toml::value& table, std::string prefix,
         std::vector<std::string>& problems)
    : table_(table), prefix_(std::move(prefix)), problems_(problems) {
  }

  const toml::value* get(const char* key, bool required = true) {
    seen_.insert(key);
    if (!table_.contains(key)) {
      if (required)
        problem(key, "missing");
      return nullptr;
    }
    return &table_.at(key);
  }

  std::optional<std::string> string(const char* key, bool non_empty = true) {
    const auto* v = get(key);
    if (!v)
      return std::nullopt;
    if (!v->is_string()) {
      problem(key, "wrong type, expected a string");
      return std::nullopt;
    }
    auto s = toml::get<std::string>(*v);
    if (non_empty && blank(s)) {
      problem(key, "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<int> integer(const char* key, int lo, int hi) {
    const auto* v = get(key);
    if (!v)
      return std::nullopt;
    if (!v->is_integer()) {
      problem(key, "wrong type, expected an integer");
      return std::nullopt;
    }
    auto i = v->as_integer();
    if (i < lo || i > hi) {
      problem(key, std::to_string(i) + " out of range " + std::to_string(lo)
                     + ".." + std::to_string(hi));
      return std::nullopt;
    }
    return static_cast<int>(i);
  }

  std::optional<std::vector<std::string>> strings(const char* key, bool required = true) {
    const auto* v = get(key, required);
    if (!v)
      return std::nullopt;
    if (!v->is_array()) {
      problem(key, "wrong type, expected an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    const auto& arr = v->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) {
        problem(std::string{key} + "[" + std::to_string(i) + "]",
                "wrong type, expected a string");
        return std::nullopt;
      }
      out.push_back(toml::get<std::string>(arr[i]));
    }
    if (out.empty()) {
      problem(key, "must not be empty");
      return std::nullopt;
    }
    return out;
  }

  void problem(const std::string& key, const std::string& what) {
    problems_.push_back(prefix_ + key + ": " + what);
  }

  void report_unknown() {
    // toml::table is unordered; sort so messages are stable across runs.
    std::vector<std::string> unknown;
    for (const auto& [k, _] : table_.as_table())
      if (!seen_.count(k))
        unknown.push_back(k);
    std::sort(unknown.begin(), unknown.end());
    for (const auto& k : unknown)
      problems_.push_back("unknown key '" + prefix_ + k + "'");
  }

  const std::string& prefix() const {
    return prefix_;
  }

 private:
  const toml::value& table_;
  std::string prefix_;
  std::vector<std::string>& problems_;
  std::set<std::string> seen_;
};

std::optional<rubric_point> read_point(const toml::value& v,
                                       const std::string& prefix,
                                       const std::vector<std::string>& phases,
                                       std::vector<std::string>& problems) {
  if (!v.is_table()) {
    problems.push_back(prefix.substr(0, prefix.size() - 1)
                       + ": wrong type, expected a table");
    return std::nullopt;
  }
  reader r{v, prefix, problems};
  auto before = problems.size();
  rubric_point p;
  if (auto id = r.string("id")) {
    if (!is_slug(*id))
      r.problem("id", "'" + *id + "' is not a slug (a-z, 0-9, '-', '_')");
    p.id = *id;
  }
  if (auto s = r.string("point"))
    p.point = *s;
  if (auto w = r.integer("weight", 1, 3))
    p.weight = *w;
  if (auto ph = r.string("phase")) {
    if (!phases.empty()
        && std::find(phases.begin(), phases.end(), *ph) == phases.end())
      r.problem("phase", "'" + *ph + "' is not one of the question's phases");
    p.phase = *ph;
  }
  if (auto ps = r.strings("phrasings")) {
    for (std::size_t i = 0; i < ps->size(); ++i)
      if (word_count((*ps)[i]) < min_phrasing_words)
        r.problem("phrasings[" + std::to_string(i) + "]",
                  "'" + (*ps)[i] + "' is a keyword, write what a candidate "
                  "would say (at least 4 words)");
    p.phrasings = std::move(*ps);
  }
  if (auto f = r.string("followup"))
    p.followup = *f;
  if (auto cs = r.strings("cues", false)) {
    for (std::size_t i = 0; i < cs->size(); ++i)
      if (blank((*cs)[i]))
        r.problem("cues[" + std::to_string(i) + "]", "must not be empty");
    p.cues = std::move(*cs);
  }
  r.report_unknown();
  if (problems.size() != before)
    return std::nullopt;
  return p;
}

void read_rubric(const toml::value& rubric, question& q, bool track_known,
                 std::vector<std::string>& problems) {
  if (!rubric.is_table()) {
    problems.push_back("rubric: wrong type, expected a table of dimensions");
    return;
  }
  const auto& table = rubric.as_table();
  std::set<std::string> point_ids;
  if (track_known) {
    for (const auto& [name, _] : table) {
      auto dims = track_dimensions(q.track);
      if (std::find(dims.begin(), dims.end(), name) == dims.end())
        problems.push_back("rubric." + name + ": unknown dimension for track "
                           + std::string{to_string(q.track)});
    }
  }
  if (!track_known)
    return;
  for (auto name : track_dimensions(q.track)) {
    auto key = std::string{name};
    auto it = table.find(key);
    if (it == table.end()) {
      problems.push_back("rubric." + key + ": missing (track "
                         + std::string{to_string(q.track)} + " needs it)");
      continue;
    }
    if (!it->second.is_array() || it->second.as_array().empty()) {
      problems.push_back("rubric." + key
                         + ": expected a non-empty array of points "
                           "([[rubric." + key + "]])");
      continue;
    }
    dimension_rubric dim{key, {}};
    const auto& arr = it->second.as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      auto prefix = "rubric." + key + "[" + std::to_string(i) + "].";
      auto p = read_point(arr[i], prefix, q.phases, problems);
      if (!p)
        continue;
      if (!point_ids.insert(p->id).second)
        problems.push_back(prefix + "id: duplicate point id '" + p->id + "'");
      dim.points.push_back(std::move(*p));
    }
    q.dimensions.push_back(std::move(dim));
  }
}

caf::error file_error(const std::string& origin,
                      const std::vector<std::string>& problems) {
  std::string msg = origin + ": ";
  for (std::size_t i = 0; i < problems.size(); ++i)
    msg += (i ? "; " : "") + problems[i];
  return make_error(errc::invalid_config, std::move(msg));
}

}  // namespace

std::string_view to_string(question_track x) {
  switch (x) {
    case question_track::system_design: return "system_design";
    case question_track::project_deep_dive: return "project_deep_dive";
    case question_track::behavioural: return "behavioural";
  }
  return "?";
}

std::string_view to_string(question_difficulty x) {
  switch (x) {
    case question_difficulty::easy: return "easy";
    case question_difficulty::medium: return "medium";
    case question_difficulty::hard: return "hard";
  }
  return "?";
}

std::optional<question_track> parse_track(std::string_view s) {
  for (auto t : {question_track::system_design, question_track::project_deep_dive,
                 question_track::behavioural})
    if (to_string(t) == s)
      return t;
  return std::nullopt;
}

std::optional<question_difficulty> parse_difficulty(std::string_view s) {
  for (auto d : {question_difficulty::easy, question_difficulty::medium,
                 question_difficulty::hard})
    if (to_string(d) == s)
      return d;
  return std::nullopt;
}

std::span<const std::string_view> track_dimensions(question_track track) {
  switch (track) {
    case question_track::project_deep_dive: return deep_dive_dims;
    case question_track::behavioural: return behavioural_dims;
    case question_track::system_design: break;
  }
  return system_design_dims;
}

int dimension_rubric::total_weight() const {
  int sum = 0;
  for (const auto& p : points)
    sum += p.weight;
  return sum;
}

const dimension_rubric* question::dimension(std::string_view name) const {
  for (const auto& d : dimensions)
    if (d.name == name)
      return &d;
  return nullptr;
}

std::vector<const rubric_point*>
question::points_in_phase(std::string_view phase) const {
  std::vector<const rubric_point*> out;
  for (const auto& d : dimensions)
    for (const auto& p : d.points)
      if (p.phase == phase)
        out.push_back(&p);
  return out;
}

std::filesystem::path question_bank::default_dir() {
  return std::filesystem::path{std::string{SOF_SOURCE_DIR} + "/config/questions"};
}

caf::expected<question> question_bank::parse(const std::string& toml_text,
                                             const std::string& origin) {
  auto parsed = parse_toml(toml_text, origin);
  if (!parsed)
    return parsed.error();
  const toml::value& root = *parsed;
  std::vector<std::string> problems;
  reader r{root, "", problems};
  question q;
  if (auto id = r.string("id")) {
    if (!is_slug(*id))
      r.problem("id", "'" + *id + "' is not a slug (a-z, 0-9, '-', '_')");
    q.id = *id;
  }
  if (auto s = r.string("title"))
    q.title = *s;
  if (auto s = r.string("prompt"))
    q.prompt = *s;
  bool track_known = false;
  if (auto s = r.string("track")) {
    if (auto t = parse_track(*s)) {
      q.track = *t;
      track_known = true;
    } else {
      r.problem("track", "unknown track '" + *s
                           + "' (system_design, project_deep_dive, behavioural)");
    }
  }
  if (auto s = r.string("difficulty")) {
    if (auto d = parse_difficulty(*s))
      q.difficulty = *d;
    else
      r.problem("difficulty", "unknown difficulty '" + *s + "' (easy, medium, hard)");
  }
  if (auto m = r.integer("time_limit_minutes", min_minutes, max_minutes))
    q.time_limit_minutes = *m;
  if (auto ph = r.strings("phases")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ph->size(); ++i) {
      const auto& p = (*ph)[i];
      auto key = "phases[" + std::to_string(i) + "]";
      if (!is_slug(p))
        r.problem(key, "'" + p + "' is not a slug");
      else if (!seen.insert(p).second)
        r.problem(key, "duplicate phase '" + p + "'");
    }
    q.phases = std::move(*ph);
  }
  if (const auto* rubric = r.get("rubric"))
    read_rubric(*rubric, q, track_known, problems);
  r.report_unknown();
  if (!problems.empty())
    return file_error(origin, problems);
  q.source = origin;
  return q;
}

caf::expected<question_bank>
question_bank::load(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return make_error(errc::invalid_config,
                      dir.string() + ": question directory does not exist");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator{dir, ec})
    if (e.is_regular_file() && e.path().extension() == ".toml")
      files.push_back(e.path());
  if (ec)
    return make_error(errc::io_error, dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  question_bank bank;
  bool have_generic = false;
  std::map<std::string, fs::path> ids;
  for (const auto& path : files) {
    std::ifstream in{path, std::ios::binary};
    if (!in)
      return make_error(errc::io_error, path.string() + ": cannot read");
    std::ostringstream ss;
    ss << in.rdbuf();
    auto q = parse(ss.str(), path.string());
    if (!q)
      return q.error();
    if (auto [it, fresh] = ids.emplace(q->id, path); !fresh)
      return make_error(errc::invalid_config,
                        path.string() + ": id: duplicate question id '" + q->id
                          + "' (already defined in " + it->second.string() + ")");
    bool generic_file = path.filename() == "generic.toml";
    if (generic_file != (q->id == "generic"))
      return make_error(errc::invalid_config,
                        path.string() + ": id: the generic rubric is "
                                        "generic.toml with id \"generic\"");
    if (generic_file) {
      if (q->track != question_track::system_design)
        return make_error(errc::invalid_config,
                          path.string() + ": track: the generic rubric must be "
                                          "system_design");
      bank.generic_ = std::move(*q);
      have_generic = true;
    } else {
      bank.questions_.push_back(std::move(*q));
    }
  }
  if (!have_generic)
    return make_error(errc::invalid_config,
                      (dir / "generic.toml").string()
                        + ": missing (the generic rubric is required)");
  std::sort(bank.questions_.begin(), bank.questions_.end(),
            [](const question& a, const question& b) {
              return std::tie(a.track, a.id) < std::tie(b.track, b.id);
            });
  return bank;
}

const question* question_bank::find(std::string_view id) const {
  for (const auto& q : questions_)
    if (q.id == id)
      return &q;
  return nullptr;
}

std::vector<const question*>
question_bank::filter(std::optional<question_track> track,
                      std::optional<question_difficulty> difficulty) const {
  std::vector<const question*> out;
  for (const auto& q : questions_)
    if ((!track || q.track == *track) && (!difficulty || q.difficulty == *difficulty))
      out.push_back(&q);
  return out;
}

}  // namespace sof::config
