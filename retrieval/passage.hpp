#pragma once
// The unit the knowledge base stores and returns: one citable passage of a
// document, with everything a grader needs to quote and attribute it.
#include <cstdint>
#include <string>
#include <vector>

namespace sof::retrieval {

struct passage {
  std::string source;       // file path relative to its corpus root
  std::string title;        // document title
  std::string heading;      // heading path, "Load balancer > Layer 7 load balancing"
  std::string text;         // the passage body, inline markup stripped
  std::string attribution;  // title, authors, licence, origin (from SOURCE/LICENSE)
};

/// One search result: a copy of the passage plus its score, so results can be
/// sent between actors and outlive the index that produced them.
struct hit {
  float score = 0;
  std::uint32_t id = 0;     // position of the passage in the index
  passage doc;
};

}  // namespace sof::retrieval
