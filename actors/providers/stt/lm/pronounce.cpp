#include "actors/providers/stt/lm/pronounce.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

namespace sof::stt::lm {
namespace {

// espeak-ng phoneme mnemonics (-x, en-us) -> CMU phones, longest first.
const std::vector<std::pair<std::string_view, std::string_view>> table{
  {"aI@", "AY ER"}, {"aU@", "AW ER"}, {"eI@", "EY ER"}, {"i@3", "IH R"},
  {"aI", "AY"},     {"aU", "AW"},     {"eI", "EY"},     {"oU", "OW"},
  {"OI", "OY"},     {"A@", "AA R"},   {"O@", "AO R"},   {"e@", "EH R"},
  {"i@", "IH R"},   {"U@", "UH R"},   {"o@", "AO R"},   {"3:", "ER"},
  {"@L", "AH L"},   {"@r", "ER"},     {"A:", "AA"},     {"O:", "AO"},
  {"i:", "IY"},     {"u:", "UW"},     {"I2", "IH"},     {"I#", "IH"},
  {"a#", "AH"},     {"@2", "AH"},     {"@5", "AH"},     {"e#", "EH"},
  {"tS", "CH"},     {"dZ", "JH"},     {"t#", "T"},      {"n-", "AH N"},
  {"l-", "AH L"},   {"r-", "ER"},     {"m-", "AH M"},   {"0", "AA"},
  {"a", "AE"},      {"A", "AA"},      {"O", "AO"},      {"e", "EH"},
  {"E", "EH"},      {"I", "IH"},      {"i", "IY"},      {"U", "UH"},
  {"u", "UW"},      {"V", "AH"},      {"@", "AH"},      {"3", "ER"},
  {"o", "OW"},      {"p", "P"},       {"b", "B"},       {"t", "T"},
  {"d", "D"},       {"k", "K"},       {"g", "G"},       {"f", "F"},
  {"v", "V"},       {"T", "TH"},      {"D", "DH"},      {"s", "S"},
  {"z", "Z"},       {"S", "SH"},      {"Z", "ZH"},      {"h", "HH"},
  {"m", "M"},       {"n", "N"},       {"N", "NG"},      {"l", "L"},
  {"r", "R"},       {"j", "Y"},       {"w", "W"},       {"x", "K"},
  {"?", "T"},       {"C", "HH"},
};

bool speakable(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '\'';
  });
}

}  // namespace

std::string espeak_to_cmu(std::string_view mnemonic) {
  // Stress and syllable marks carry no CMU phone; ':' (length) is kept
  // because it distinguishes vowels ("i:" vs "i").
  std::string s;
  for (char c : mnemonic)
    if (std::string_view{"',%=_|;"}.find(c) == std::string_view::npos
        && c != ' ')
      s += c;
  std::vector<std::string_view> phones;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t best = 0;
    std::string_view cmu;
    for (const auto& [k, v] : table)
      if (!k.empty() && k.size() > best
          && std::string_view{s}.substr(i, k.size()) == k) {
        best = k.size();
        cmu = v;
      }
    if (best == 0) {
      ++i;  // length marks and unknown symbols
      continue;
    }
    i += best;
    std::size_t b = 0;
    while (b < cmu.size()) {
      auto e = cmu.find(' ', b);
      if (e == std::string_view::npos)
        e = cmu.size();
      auto ph = cmu.substr(b, e - b);
      // espeak writes some doubled consonants across syllables.
      if (phones.empty() || phones.back() != ph)
        phones.push_back(ph);
      b = e + 1;
    }
  }
  std::string out;
  for (auto ph : phones)
    out += (out.empty() ? "" : " ") + std::string{ph};
  return out;
}

std::map<std::string, std::string>
espeak_pronunciations(const std::vector<std::string>& words) {
  std::map<std::string, std::string> out;
  std::vector<std::string> asked;
  for (const auto& w : words)
    if (speakable(w))
      asked.push_back(w);
  if (asked.empty())
    return out;
  namespace fs = std::filesystem;
  std::error_code ec;
  auto dir = fs::temp_directory_path(ec);
  if (ec)
    return out;
  std::random_device rd;
  auto path = dir / ("sof-words-" + std::to_string(rd()) + ".txt");
  {
    std::ofstream f{path};
    for (const auto& w : asked)
      f << w << "\n";
  }
  // One word a line in, one mnemonic line out; on standard input, since
  // `-f FILE` joins the lines into one clause. The words are [a-z'] only
  // and the path is ours: nothing here needs shell quoting.
  std::string cmd = "espeak-ng -q -x -v en-us < '" + path.string() + "' 2>/dev/null";
  std::vector<std::string> lines;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    std::array<char, 512> buf{};
    std::string line;
    while (std::fgets(buf.data(), buf.size(), p) != nullptr) {
      line += buf.data();
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        auto b = line.find_first_not_of(' ');
        if (b != std::string::npos)
          lines.push_back(line.substr(b));
        line.clear();
      }
    }
    ::pclose(p);
  }
  fs::remove(path, ec);
  if (lines.size() != asked.size())
    return out;  // misaligned: better no pronunciation than a wrong one
  for (std::size_t i = 0; i < asked.size(); ++i)
    if (auto cmu = espeak_to_cmu(lines[i]); !cmu.empty())
      out.emplace(asked[i], std::move(cmu));
  return out;
}

}  // namespace sof::stt::lm
