#include "tests/actors/providers/stt/eval_sets.hpp"

#include "actors/providers/stt/lm/spoken_text.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sof::stt::testing {

namespace {

namespace fs = std::filesystem;

const std::string speech_dir = std::string{SOF_SHARED_DIR} + "/speech";
const std::string testdata_dir = "/usr/share/pocketsphinx/test/data";

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size()
         && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The speaker of a recording, from the naming of ../shared/speech: sessions
// must not carry one speaker's adapted state into another's audio.
//   an4_an104-mrcb-b.wav -> mrcb, sb_spk1_snt1.wav -> spk1, mfa_* -> mfa,
//   librivox_* -> librivox, anything else: its own file name.
std::string speaker_of(const std::string& file) {
  if (starts_with(file, "an4_")) {
    auto a = file.find('-'), b = file.rfind('-');
    if (a != std::string::npos && b > a)
      return file.substr(a + 1, b - a - 1);
  }
  if (starts_with(file, "sb_")) {
    auto a = file.find('_') + 1;
    return file.substr(a, file.find('_', a) - a);
  }
  if (starts_with(file, "mfa_"))
    return "mfa";
  if (starts_with(file, "librivox_"))
    return "librivox";
  return file;
}

// Groups utterances into one session per speaker, sessions in the order of
// each speaker's first file, files in their listed order.
std::vector<eval_session> by_speaker(std::vector<labelled_audio> items) {
  std::vector<eval_session> sessions;
  std::map<std::string, std::size_t> index;
  for (auto& item : items) {
    auto who = speaker_of(item.name);
    auto [it, fresh] = index.emplace(who, sessions.size());
    if (fresh)
      sessions.push_back({who, {}});
    sessions[it->second].utterances.push_back(std::move(item));
  }
  return sessions;
}

// file<TAB>transcript rows of a transcripts.tsv (header skipped).
std::vector<labelled_audio> tsv_recordings(const std::string& dir) {
  std::ifstream in{dir + "/transcripts.tsv"};
  if (!in)
    throw set_unavailable("cannot read " + dir + "/transcripts.tsv");
  std::vector<labelled_audio> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream row{line};
    std::string file, transcript;
    if (std::getline(row, file, '\t') && std::getline(row, transcript, '\t'))
      out.push_back({file, transcript, read_wav_16k_mono(dir + "/" + file)});
  }
  return out;
}

// "<s> words </s> (id)" lines of a pocketsphinx test transcription file.
std::map<std::string, std::string> sphinx_transcription(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw set_unavailable(path + " is missing: install pocketsphinx-testdata "
                          "(tools/setup/install-deps.sh)");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    auto open = line.rfind('('), close = line.rfind(')');
    if (open == std::string::npos || close < open)
      continue;
    std::string words;
    std::istringstream ws{line.substr(0, open)};
    for (std::string w; ws >> w;)
      if (w != "<s>" && w != "</s>")
        words += (words.empty() ? "" : " ") + w;
    out[line.substr(open + 1, close - open - 1)] = words;
  }
  return out;
}

eval_set extra_read_set() {
  eval_set set{"extra-read", "calibration", scoring::plain, {}};
  auto books = sphinx_transcription(testdata_dir + "/librivox/transcription");
  auto cards = sphinx_transcription(testdata_dir + "/cards/cards.transcription");
  // One reader for the book, one speaker for the cards.
  eval_session book{"librivox", {}}, deck{"cards", {}};
  for (const char* id : {"sense_and_sensibility_01_austen_64kb-0920",
                         "sense_and_sensibility_01_austen_64kb-0930"})
    book.utterances.push_back(
      {id, books.at(id),
       read_wav_16k_mono(testdata_dir + "/librivox/" + id + ".wav")});
  for (const char* id : {"002", "003", "004", "005"})
    deck.utterances.push_back(
      {std::string{"cards_"} + id, cards.at(id),
       read_wav_16k_mono(testdata_dir + "/cards/" + id + ".wav")});
  set.sessions = {std::move(book), std::move(deck)};
  return set;
}

// `lines` spoken by `voice`: one session, as one candidate answering.
eval_set spoken_set(std::string name, std::string group,
                    const std::vector<std::string>& lines,
                    const std::string& voice, condition c) {
  eval_set set{std::move(name), std::move(group), scoring::plain, {}};
  eval_session session{voice, {}};
  for (std::size_t i = 0; i < lines.size(); ++i)
    session.utterances.push_back(
      {"line " + std::to_string(i + 1), lines[i], spoken(voice, lines[i], c)});
  set.sessions.push_back(std::move(session));
  return set;
}

std::vector<std::string> source_lines(const char* relative) {
  std::vector<std::string> out;
  for (const auto& line : read_lines(std::string{SOF_SOURCE_DIR} + "/" + relative))
    out.push_back(joined(text::normalize_words(line)));
  return out;
}

std::vector<std::string> synthetic_names(const std::string& prefix) {
  std::vector<std::string> out;
  for (const char* suffix : {"", "-noisy"})
    for (const auto& v : flite_voices())
      out.push_back(prefix + v + suffix);
  return out;
}

}  // namespace

std::size_t eval_set::utterance_count() const {
  std::size_t n = 0;
  for (const auto& s : sessions)
    n += s.utterances.size();
  return n;
}

namespace {

// The folders below `root` (a path in the source tree) that hold `file`.
std::vector<std::string> question_dirs_with(const std::string& root, const std::string& file) {
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(std::string{SOF_SOURCE_DIR} + "/" + root))
    if (entry.is_directory() && fs::exists(entry.path() / file))
      ids.push_back(entry.path().filename().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

std::vector<std::string> answer_question_ids() {
  return question_dirs_with("tests/data/grading", "strong.txt");
}

std::vector<std::string> validation_answer_ids() {
  return question_dirs_with("tests/data/grading/validation/bank", "strong-spoken.txt");
}

std::vector<std::string> expand_set_names(const std::string& list) {
  std::vector<std::string> validation{"read", "conv"};
  for (auto& n : synthetic_names("sd-"))
    validation.push_back(n);
  auto calibration = synthetic_names("calib-");
  calibration.push_back("extra-read");
  std::vector<std::string> answers;
  for (const auto& q : answer_question_ids())
    for (const char* kind : {"answers-", "partial-"})
      for (auto& n : synthetic_names(kind + q + "-"))
        answers.push_back(n);
  // The grading validation set's bank answers (never tuned on), spoken.
  std::vector<std::string> val_answers;
  for (const auto& q : validation_answer_ids())
    for (const char* kind : {"strong", "partial", "thin"})
      for (auto& n : synthetic_names(std::string{"val-"} + kind + "-" + q + "-"))
        val_answers.push_back(n);
  // The positional modes of the first stt_eval, kept for old command lines.
  const std::map<std::string, std::vector<std::string>> aliases{
    {"flite", {"calib-kal16"}}, {"real", {"read"}},
    {"both", {"calib-kal16", "read"}}};

  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::vector<std::string>& names) {
    for (const auto& n : names)
      if (seen.insert(n).second)
        out.push_back(n);
  };
  std::istringstream items{list};
  for (std::string item; std::getline(items, item, ',');) {
    if (item.empty())
      continue;
    if (item == "validation" || item == "all")
      add(validation);
    if (item == "calibration" || item == "all")
      add(calibration);
    if (item == "answers")
      add(answers);
    if (item == "val-answers")
      add(val_answers);
    if (item == "validation" || item == "calibration" || item == "all"
        || item == "answers" || item == "val-answers")
      continue;
    if (auto a = aliases.find(item); a != aliases.end()) {
      add(a->second);
      continue;
    }
    bool known = std::count(validation.begin(), validation.end(), item)
                 || std::count(calibration.begin(), calibration.end(), item)
                 || std::count(answers.begin(), answers.end(), item)
                 || std::count(val_answers.begin(), val_answers.end(), item);
    if (!known)
      throw std::runtime_error("unknown set: " + item);
    add({item});
  }
  return out;
}

eval_set load_set(const std::string& name) {
  if (name == "read") {
    eval_set set{name, "validation", scoring::plain,
                 by_speaker(tsv_recordings(speech_dir))};
    return set;
  }
  if (name == "conv")
    return {name, "validation", scoring::conversational,
            by_speaker(tsv_recordings(speech_dir + "/conversational"))};
  if (name == "extra-read")
    return extra_read_set();

  bool noisy = ends_with(name, "-noisy");
  auto base = noisy ? name.substr(0, name.size() - 6) : name;
  auto voice = base.substr(base.rfind('-') + 1);
  auto c = noisy ? condition::noisy : condition::clean;
  if (std::count(flite_voices().begin(), flite_voices().end(), voice) == 0)
    throw std::runtime_error("unknown set: " + name);
  if (base == "sd-" + voice)
    return spoken_set(name, "validation",
                      source_lines("tests/data/stt/validation_sentences.txt"),
                      voice, c);
  if (base == "calib-" + voice)
    return spoken_set(name, "calibration",
                      source_lines("tests/data/stt/system_design_sentences.txt"),
                      voice, c);
  if (starts_with(base, "answers-")) {
    auto qid = base.substr(8, base.size() - 8 - voice.size() - 1);
    return answer_set(qid, voice, noisy);
  }
  if (starts_with(base, "partial-")) {
    auto qid = base.substr(8, base.size() - 8 - voice.size() - 1);
    return answer_set(qid, voice, noisy, "partial");
  }
  if (starts_with(base, "val-")) {  // val-KIND-QID-VOICE
    auto rest = base.substr(4, base.size() - 4 - voice.size() - 1);
    auto dash = rest.find('-');
    if (dash != std::string::npos) {
      auto kind = rest.substr(0, dash), qid = rest.substr(dash + 1);
      auto file = kind == "strong" ? std::string{"strong-spoken"} : kind;
      return spoken_answer(name, "validation",
                           std::string{SOF_SOURCE_DIR} + "/tests/data/grading/validation/bank/"
                             + qid + "/" + file + ".txt",
                           voice, c);
    }
  }
  throw std::runtime_error("unknown set: " + name);
}

std::vector<std::string> split_sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    auto words = joined(text::normalize_words(cur));
    if (!words.empty())
      out.push_back(words);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool at_end = i + 1 == text.size()
                  || std::isspace(static_cast<unsigned char>(text[i + 1]));
    if (ch == '\n' || ((ch == '.' || ch == '?' || ch == '!') && at_end))
      flush();  // "1.5" and "e.g" inside a word do not end a sentence
    else
      cur.push_back(ch);
  }
  flush();
  return out;
}

eval_set answer_set(const std::string& question_id, const std::string& voice,
                    bool degraded, const std::string& kind) {
  auto path = std::string{SOF_SOURCE_DIR} + "/tests/data/grading/" + question_id
              + "/" + kind + ".txt";
  return spoken_answer((kind == "strong" ? "answers-" : kind + "-") + question_id + "-" + voice
                         + (degraded ? "-noisy" : ""),
                       "answers", path, voice, degraded ? condition::noisy : condition::clean);
}

eval_set spoken_answer(const std::string& name, const std::string& group, const std::string& path,
                       const std::string& voice, condition c) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("no answer text " + path);
  std::stringstream text;
  text << in.rdbuf();
  // Spoken form, numbers spelled ("429" -> "four hundred twenty nine") as
  // the synthesizer says them, so references and audio agree.
  std::vector<std::string> sentences;
  for (const auto& s : lm::spoken_sentences(text.str(), 1)) {
    std::string line;
    for (const auto& w : s)
      line += (line.empty() ? "" : " ") + w;
    sentences.push_back(std::move(line));
  }
  return spoken_set(name, group, sentences, voice, c);
}

std::string strip_hesitations(const std::string& hyp) {
  static const std::set<std::string> hesitations{
    "uh", "um", "uhm", "umm", "hm", "hmm", "mm", "mhm", "er", "erm", "ah"};
  std::vector<std::string> kept;
  for (auto& w : text::normalize_words(hyp))
    if (hesitations.count(w) == 0)
      kept.push_back(std::move(w));
  return joined(kept);
}

text::wer_result score_utterance(scoring rule, const std::string& reference,
                                 const std::string& hypothesis) {
  return text::word_error_rate(
    reference,
    rule == scoring::conversational ? strip_hesitations(hypothesis) : hypothesis);
}

}  // namespace sof::stt::testing
