#include "actors/messages/journal.hpp"

#include "actors/common/errors.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace sof;

namespace {
std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path()
          / (std::string{"sof_journal_"} + name + "_"
             + std::to_string(::getpid())))
    .string();
}
}  // namespace

TEST(journal, round_trips_entries_in_order) {
  auto path = temp_path("rt");
  {
    auto w = msg::journal_writer::open(path, {msg::journal_version, "s1", "acme", 5});
    ASSERT_TRUE(w);
    (*w)->record("client", msg::audio_frame{7, 140, std::vector<int16_t>(320, 3)});
    (*w)->record("transcription",
                 msg::transcript_segment{0, 100, 900, "we use a queue"});
    (*w)->record("transcription", msg::provider_restarted{"stt", "crashed", 1, 50});
    (*w)->flush();
  }
  auto j = msg::read_journal(path);
  ASSERT_TRUE(j) << describe(j.error());
  EXPECT_EQ(j->header.session_id, "s1");
  EXPECT_EQ(j->header.tenant, "acme");
  ASSERT_EQ(j->entries.size(), 3u);
  EXPECT_EQ(j->entries[0].type, "audio_frame");
  EXPECT_EQ(j->entries[1].from, "transcription");
  auto line = msg::describe_entry(j->entries[1]);
  EXPECT_NE(line.find("we use a queue"), std::string::npos) << line;
  auto audio_line = msg::describe_entry(j->entries[0]);
  EXPECT_NE(audio_line.find("samples=320"), std::string::npos) << audio_line;
  msg::audio_frame f;
  j->entries[0].payload->get().via.array.ptr[3].convert(f);
  EXPECT_EQ(f.seq, 7u);
  EXPECT_EQ(f.pcm.size(), 320u);
  std::remove(path.c_str());
}

TEST(journal, truncated_tail_keeps_complete_entries) {
  auto path = temp_path("trunc");
  {
    auto w = msg::journal_writer::open(path, {msg::journal_version, "s2", "t", 0});
    ASSERT_TRUE(w);
    for (int i = 0; i < 5; ++i)
      (*w)->record("transcription",
                   msg::transcript_segment{static_cast<uint32_t>(i), 0, 1, "x"});
  }
  auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 3);
  auto j = msg::read_journal(path);
  ASSERT_TRUE(j) << describe(j.error());
  EXPECT_EQ(j->entries.size(), 4u);
  EXPECT_NE(j->warning.find("truncated"), std::string::npos);
  std::remove(path.c_str());
}

TEST(journal, rejects_files_that_are_not_journals) {
  auto path = temp_path("bad");
  {
    std::ofstream out{path};
    out << "this is not msgpack at all";
  }
  auto j = msg::read_journal(path);
  EXPECT_FALSE(j);
  std::remove(path.c_str());
  EXPECT_FALSE(msg::read_journal(path + ".missing"));
}
