#include "tools/sof/commands.hpp"

#include "test_util.hpp"

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

using sof::retrieval::test::make_pdf;
using sof::retrieval::test::temp_dir;
using sof::retrieval::test::write_file;

namespace {

// Runs `sof <args>` in-process; returns what the command wrote to std::cout.
std::string run(std::vector<std::string> args) {
  CLI::App app{"sof"};
  sof::cli::add_kb_commands(app);
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  try {
    app.parse(args);
  } catch (...) {
    std::cout.rdbuf(old);
    throw;
  }
  std::cout.rdbuf(old);
  return captured.str();
}

}  // namespace

TEST(kb_cli, build_then_search_json) {
  temp_dir dir;
  write_file(dir / "corpus/SOURCE.txt", "License: CC BY 4.0, Someone\n");
  write_file(dir / "corpus/lb.md",
             "# Guide\n\n## Load balancer\n\nRun two load balancers in active-passive mode so "
             "neither is a single point of failure.\n\n## Cache\n\nCache hot rows in memory to "
             "take load off the database.\n");
  write_file(dir / "corpus/doc.pdf", make_pdf("Replicas are placed on different racks for durability"));
  auto index = (dir / "index").string();
  run({"kb", "build", "--corpus", (dir / "corpus").string(), "--index", index, "-q"});

  auto out = run({"kb", "search", "single point of failure", "--index", index, "--k", "2", "--json"});
  auto j = nlohmann::json::parse(out);
  ASSERT_TRUE(j.contains("results"));
  ASSERT_FALSE(j["results"].empty());
  auto first = j["results"][0];
  for (const char* key : {"score", "source", "heading", "text", "attribution"})
    EXPECT_TRUE(first.contains(key)) << key;
  EXPECT_EQ(first["source"], "lb.md");
  EXPECT_EQ(first["heading"], "Load balancer");
  EXPECT_NE(first["attribution"].get<std::string>().find("CC BY 4.0"), std::string::npos);

  auto pdf = nlohmann::json::parse(
    run({"kb", "search", "racks durability", "--index", index, "--json", "--mode", "bm25"}));
  ASSERT_FALSE(pdf["results"].empty());
  EXPECT_EQ(pdf["results"][0]["source"], "doc.pdf");
}

TEST(kb_cli, search_without_index_fails_with_exit_code) {
  temp_dir dir;
  EXPECT_THROW(run({"kb", "search", "cache", "--index", (dir / "none").string()}),
               CLI::RuntimeError);
  EXPECT_THROW(run({"kb", "build", "--corpus", (dir / "empty").string(), "--index",
                    (dir / "i").string(), "-q"}),
               CLI::RuntimeError);
}
