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

TEST(pcm_msgpack, audio_is_a_compact_blob_and_round_trips) {
  msg::audio_frame f{3, 60, {}};
  for (int i = 0; i < 320; ++i)
    f.pcm.push_back(static_cast<int16_t>(i * 97 - 15000));
  f.pcm.push_back(-32768);
  f.pcm.push_back(32767);
  msgpack::sbuffer buf;
  msgpack::pack(buf, f);
  // 2 bytes a sample plus a few bytes of framing.
  EXPECT_LT(buf.size(), f.pcm.size() * 2 + 16);
  auto oh = msgpack::unpack(buf.data(), buf.size());
  msg::audio_frame back;
  oh.get().convert(back);
  EXPECT_EQ(back.pcm, f.pcm);
  EXPECT_EQ(back.seq, 3u);
}

TEST(pcm_msgpack, integer_arrays_are_accepted_and_checked) {
  msgpack::sbuffer ok;
  msgpack::packer<msgpack::sbuffer> pk{ok};
  pk.pack_array(3);
  pk.pack(1);
  pk.pack(-2);
  pk.pack(300);
  std::vector<int16_t> v;
  msgpack::unpack(ok.data(), ok.size()).get().convert(v);
  EXPECT_EQ(v, (std::vector<int16_t>{1, -2, 300}));
  msgpack::sbuffer bad;
  msgpack::packer<msgpack::sbuffer> pk2{bad};
  pk2.pack_array(1);
  pk2.pack(70000);  // not a 16-bit sample
  EXPECT_THROW(msgpack::unpack(bad.data(), bad.size()).get().convert(v),
               msgpack::type_error);
  msgpack::sbuffer odd;
  msgpack::packer<msgpack::sbuffer> pk3{odd};
  pk3.pack_bin(3);
  pk3.pack_bin_body("abc", 3);
  EXPECT_THROW(msgpack::unpack(odd.data(), odd.size()).get().convert(v),
               msgpack::type_error);
}
