#include "actors/grading/phonetic.hpp"

#include "actors/common/errors.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace sof::grading {
namespace {

bool is_stop(std::string_view phone) {
  return phone == "P" || phone == "B" || phone == "T" || phone == "D" || phone == "K"
         || phone == "G";
}

// "HH OW1 L D" -> {"HH", "OW", "L", "D"}.
std::vector<std::string> phones_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string{text}};
  for (std::string p; in >> p;) {
    while (!p.empty() && std::isdigit(static_cast<unsigned char>(p.back())))
      p.pop_back();
    if (!p.empty())
      out.push_back(std::move(p));
  }
  return out;
}

std::string join(const std::vector<std::string>& phones, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += (i ? " " : "") + phones[i];
  return out;
}

}  // namespace

void phonetic_index::add(std::string word, std::string pron) {
  // The keys are made once here: grading looks them up for every word of
  // every candidate sentence.
  auto& v = keys_[std::move(word)];
  auto put = [&v](std::string k) {
    if (std::find(v.begin(), v.end(), k) == v.end())
      v.push_back(std::move(k));
  };
  const auto phones = phones_of(pron);
  put(pron);
  if (phones.size() >= 4 && is_stop(phones.back()))
    put(join(phones, phones.size() - 1));
}

caf::expected<phonetic_index>
phonetic_index::load(const std::vector<std::filesystem::path>& dictionaries) {
  phonetic_index idx;
  for (const auto& path : dictionaries) {
    std::ifstream in{path};
    if (!in)
      return make_error(errc::io_error, "cannot read the pronunciation dictionary " + path.string());
    for (std::string line; std::getline(in, line);) {
      auto sp = line.find_first_of(" \t");
      if (sp == std::string::npos || sp == 0)
        continue;
      std::string word = line.substr(0, sp);
      if (auto paren = word.find('('); paren != std::string::npos)
        word.resize(paren);  // "read(2)": an alternate pronunciation
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      auto phones = phones_of(std::string_view{line}.substr(sp));
      if (!word.empty() && !phones.empty())
        idx.add(std::move(word), join(phones, phones.size()));
    }
    if (in.bad())
      return make_error(errc::io_error, "error reading " + path.string());
  }
  return idx;
}

phonetic_index
phonetic_index::from_entries(const std::vector<std::pair<std::string, std::string>>& entries) {
  phonetic_index idx;
  for (const auto& [w, p] : entries)
    if (auto phones = phones_of(p); !w.empty() && !phones.empty())
      idx.add(w, join(phones, phones.size()));
  return idx;
}

const std::vector<std::string>& phonetic_index::keys(std::string_view word) const {
  static const std::vector<std::string> none;
  auto it = keys_.find(std::string{word});
  return it == keys_.end() ? none : it->second;
}

bool phonetic_index::sounds_alike(std::string_view heard, std::string_view said) const {
  if (heard == said)
    return false;
  const auto& a = keys(heard);
  const auto& b = keys(said);
  return std::any_of(a.begin(), a.end(), [&](const std::string& k) {
    return std::find(b.begin(), b.end(), k) != b.end();
  });
}

}  // namespace sof::grading
