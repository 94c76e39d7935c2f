// sof replay FILE: prints a session journal as a readable timeline.
#include "actors/messages/journal.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"

#include <cstdio>
#include <memory>

namespace sof::cli {

void add_replay_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto types = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("replay", "print a session journal as a timeline");
  cmd->add_option("FILE", *path, "journal written by --journal")->required();
  cmd->add_option("--type", *types,
                  "only entries of these message types (e.g. transcript_segment)");
  cmd->callback([path, types] {
    auto j = msg::read_journal(*path);
    if (!j)
      throw exit_code{fail(j.error())};
    std::printf("journal %s  session=%s tenant=%s  version=%u  entries=%zu\n",
                path->c_str(), j->header.session_id.c_str(),
                j->header.tenant.c_str(), j->header.version,
                j->entries.size());
    for (const auto& e : j->entries) {
      if (!types->empty()
          && std::find(types->begin(), types->end(), e.type) == types->end())
        continue;
      std::printf("%s\n", msg::describe_entry(e).c_str());
    }
    if (!j->warning.empty())
      std::fprintf(stderr, "sof: warning: %s\n", j->warning.c_str());
  });
}

}  // namespace sof::cli
