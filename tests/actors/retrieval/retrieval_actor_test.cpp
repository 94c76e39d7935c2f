// The retrieval service on the deterministic scheduler, over a real index
// built from a small corpus written by the test.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/common/errors.hpp"
#include "actors/retrieval/retrieval_actor.hpp"
#include "retrieval/builder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace sof;
namespace fs = std::filesystem;

namespace {

struct corpus {
  fs::path root = fs::temp_directory_path()
                  / ("sof_kb_actor_" + std::to_string(::getpid()));
  corpus() {
    fs::create_directories(root / "docs");
    std::ofstream{root / "docs" / "SOURCE.txt"}
      << "Source: written by the retrieval actor test\nLicense: CC0 1.0\n";
    std::ofstream{root / "docs" / "lb.md"}
      << "# Load balancing\n\n## Failover\n\nRun two load balancers in "
         "active-passive mode with a heartbeat, so that the passive one takes "
         "over the virtual IP when the active one fails. This removes the "
         "single point of failure.\n\n## Algorithms\n\nRound robin, least "
         "connections and consistent hashing spread requests across servers.\n";
    std::ofstream{root / "docs" / "cache.md"}
      << "# Caching\n\n## Cache aside\n\nThe application reads the cache "
         "first and on a miss loads from the database and writes the entry "
         "back with a time to live.\n\n## Write through\n\nEvery write goes to "
         "the cache and the database together, keeping them consistent.\n";
    std::ofstream{root / "docs" / "queues.md"}
      << "# Message queues\n\n## Back pressure\n\nWhen the queue grows past "
         "a limit, producers are slowed or rejected so consumers can catch "
         "up.\n";
  }
  ~corpus() { fs::remove_all(root); }
};

}  // namespace

class retrieval_actor_test : public ::testing::Test, public test::actor_fixture {
 protected:
  void SetUp() override {
    retrieval::build_options opts;
    opts.corpus_dirs = {corpus_.root};
    opts.index_dir = corpus_.root / "index";
    opts.progress = false;
    auto built = retrieval::build_index(opts);
    ASSERT_TRUE(built) << describe(built.error());
    auto kb = retrieval::retriever::open(opts.index_dir);
    ASSERT_TRUE(kb) << describe(kb.error());
    kb_ = *kb;
  }
  corpus corpus_;
  std::shared_ptr<const retrieval::retriever> kb_;
};

TEST_F(retrieval_actor_test, concurrent_clients_each_get_their_answer) {
  auto service = track(retrieval::spawn_retrieval_service(sys(), kb_, 2));
  struct answer {
    std::string query;
    std::vector<msg::kb_hit> hits;
    std::optional<caf::error> err;
  };
  auto answers = std::make_shared<std::vector<answer>>();
  const std::vector<std::string> queries{
    "single point of failure in the load balancer",
    "what happens on a cache miss",
    "producers are too fast for the consumers",
    "", // an empty query is an error value, not a crash
  };
  for (const auto& q : queries)
    sys().spawn([=](caf::event_based_actor* self) {
      self->request(service, caf::infinite, msg::kb_query{q, 3})
        .then([=](msg::kb_results& r) { answers->push_back({q, r.hits, {}}); },
              [=](caf::error& e) { answers->push_back({q, {}, e}); });
    });
  run_all();
  ASSERT_EQ(answers->size(), queries.size());
  for (const auto& a : *answers) {
    if (a.query.empty()) {
      EXPECT_TRUE(a.err) << "empty query must be refused";
      continue;
    }
    ASSERT_FALSE(a.err) << a.query << ": " << describe(*a.err);
    ASSERT_FALSE(a.hits.empty()) << a.query;
    const auto& top = a.hits.front();
    EXPECT_FALSE(top.attribution.empty());
    if (a.query.find("load balancer") != std::string::npos) {
      EXPECT_NE(top.heading.find("Failover"), std::string::npos) << top.heading;
    }
    if (a.query.find("cache miss") != std::string::npos) {
      EXPECT_NE(top.heading.find("Cache aside"), std::string::npos) << top.heading;
    }
    if (a.query.find("consumers") != std::string::npos) {
      EXPECT_NE(top.heading.find("Back pressure"), std::string::npos) << top.heading;
    }
  }
}
