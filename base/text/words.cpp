#include "base/text/words.hpp"

#include "base/text/fillers.hpp"

#include <unordered_set>

namespace sof::text {

bool is_stopword(std::string_view word) {
  static const std::unordered_set<std::string_view> words = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am",
    "an", "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "either", "etc", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "me", "might", "more", "most", "must", "my",
    "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours", "e", "g", "eg", "ie", "via", "may",
    "use", "used", "using", "one", "way", "s", "t", "let", "lets"};
  return words.contains(word);
}

bool is_vague_word(std::string_view word) {
  static const std::unordered_set<std::string_view> words = {
    "basically", "bit", "done", "else", "even", "every", "first", "get",
    "gets", "getting", "go", "goes", "going", "gonna", "got", "kind", "know",
    "like", "lot", "lots", "make", "makes", "many", "maybe", "much", "need",
    "needs", "ok", "okay", "pretty", "probably", "put", "really", "right",
    "say", "says", "see", "something", "sort", "still", "sure", "take",
    "thing", "things", "think", "uses", "want", "well", "yeah"};
  return words.contains(word) || is_hesitation(word);
}

}  // namespace sof::text
