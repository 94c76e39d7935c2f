#pragma once
// Words that sound alike, from the recogniser's own pronunciation
// dictionaries: a candidate who said "hold" and was recognised as "whole"
// still named the term. Pure: built once from files, then read-only and
// shared by every grader.
#include <caf/expected.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sof::grading {

class phonetic_index {
 public:
  phonetic_index() = default;

  /// Reads dictionaries in pocketsphinx's format: "word PH1 PH2 ..." per
  /// line, alternates as "word(2) ...", CMU phones; later files add to
  /// earlier ones (the domain dictionary after the general one). A missing
  /// or unreadable file is an error; a malformed line is skipped.
  static caf::expected<phonetic_index>
  load(const std::vector<std::filesystem::path>& dictionaries);

  /// From (word, "PH1 PH2 ...") pairs; stress digits are ignored.
  static phonetic_index from_entries(const std::vector<std::pair<std::string, std::string>>& e);

  /// The sound keys of a lower-case word: each pronunciation without
  /// stress, and for pronunciations of four phones or more the same with a
  /// final stop (P B T D K G) dropped, the recogniser's most frequent slip
  /// on a word end ("hold" -> "whole", "fault" -> "fall"). Empty for a
  /// word the dictionaries do not know.
  const std::vector<std::string>& keys(std::string_view word) const;

  /// True when `heard` and `said` share a sound key and are different
  /// words: "whole"/"hold", "cash"/"cache", "right"/"write".
  bool sounds_alike(std::string_view heard, std::string_view said) const;

  std::size_t words() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  void add(std::string word, std::string pron);  // pron: "HH OW L D", no stress
  std::unordered_map<std::string, std::vector<std::string>> keys_;  // word -> sound keys
};

}  // namespace sof::grading
