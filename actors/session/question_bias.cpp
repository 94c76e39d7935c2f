#include "actors/session/question_bias.hpp"

#include "actors/grading/rubric_engine.hpp"

#include <mutex>

namespace sof::session {

stt::question_bias question_bias_of(const config::question& q,
                                    const grading::rubric_engine* engine) {
  stt::question_bias b;
  b.id = q.id;
  b.written.push_back(q.title);
  b.written.push_back(q.prompt);
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      b.written.push_back(p.point);
      b.written.insert(b.written.end(), p.phrasings.begin(), p.phrasings.end());
      if (!p.followup.empty())
        b.written.push_back(p.followup);
    }
  if (engine != nullptr)
    for (auto& c : engine->passages_for(q, 2))
      b.passages.push_back(std::move(c.text));
  return b;
}

std::function<stt::question_bias()>
question_bias_source(std::shared_ptr<const config::question> q,
                     std::shared_ptr<const grading::rubric_engine> engine) {
  if (!q)
    return {};
  // Computed once per session, on the first recogniser's thread: a
  // restarted recogniser reuses it instead of querying the knowledge base
  // again.
  struct once {
    std::once_flag flag;
    stt::question_bias bias;
  };
  return [q = std::move(q), engine = std::move(engine),
          memo = std::make_shared<once>()] {
    std::call_once(memo->flag,
                   [&] { memo->bias = question_bias_of(*q, engine.get()); });
    return memo->bias;
  };
}

}  // namespace sof::session
