// The wire codec on well-formed and hostile input: every bad message is an
// error value naming the problem, never an exception or a crash.
#include "actors/common/errors.hpp"
#include "transport/protocol/wire.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace sof;

namespace {

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string pack(nlohmann::json j) {
  auto b = nlohmann::json::to_msgpack(j);
  return {b.begin(), b.end()};
}

std::string error_of(const std::string& bytes) {
  auto m = wire::decode_client(bytes_of(bytes));
  EXPECT_FALSE(m);
  return m ? "" : describe(m.error());
}

}  // namespace

TEST(wire, client_messages_round_trip) {
  std::vector<int16_t> pcm(320);
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>(i * 97 - 16000);
  auto a = wire::decode_client(bytes_of(wire::encode(wire::audio{42, 840, pcm})));
  ASSERT_TRUE(a) << describe(a.error());
  auto& got = std::get<wire::audio>(*a);
  EXPECT_EQ(got.seq, 42u);
  EXPECT_EQ(got.ts_ms, 840);
  EXPECT_EQ(got.pcm, pcm);
  auto s = wire::decode_client(bytes_of(wire::encode(wire::start{"rate-limiter", "", true, false})));
  ASSERT_TRUE(s);
  EXPECT_EQ(std::get<wire::start>(*s).question, "rate-limiter");
  EXPECT_FALSE(std::get<wire::start>(*s).voice);
  auto r = wire::decode_client(bytes_of(wire::encode(wire::start{"", "s123", true, true})));
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<wire::start>(*r).resume, "s123");
  EXPECT_TRUE(std::holds_alternative<wire::end>(
    *wire::decode_client(bytes_of(wire::encode(wire::end{})))));
}

TEST(wire, start_read_prompt_is_an_optional_boolean) {
  auto dflt = wire::decode_client(bytes_of(pack({{"v", 1}, {"t", "start"}, {"question", "q"}})));
  ASSERT_TRUE(dflt) << describe(dflt.error());
  EXPECT_FALSE(std::get<wire::start>(*dflt).read_prompt) << "default is false";
  auto on = wire::decode_client(
    bytes_of(pack({{"v", 1}, {"t", "start"}, {"question", "q"}, {"read_prompt", true}})));
  ASSERT_TRUE(on) << describe(on.error());
  EXPECT_TRUE(std::get<wire::start>(*on).read_prompt);
  wire::start s{"q", "", true, true, true};
  auto rt = wire::decode_client(bytes_of(wire::encode(s)));
  ASSERT_TRUE(rt);
  EXPECT_TRUE(std::get<wire::start>(*rt).read_prompt) << "encode carries it";
  for (nlohmann::json bad : {nlohmann::json("yes"), nlohmann::json(1), nlohmann::json(nullptr)})
    EXPECT_NE(error_of(pack({{"v", 1}, {"t", "start"}, {"question", "q"}, {"read_prompt", bad}}))
                .find("read_prompt"),
              std::string::npos)
      << bad.dump();
}

TEST(wire, server_messages_carry_the_version) {
  auto enc = wire::encode_server({{"t", "ack"}, {"seq", 7}});
  auto j = wire::decode_server(bytes_of(enc));
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["v"], 1);
  EXPECT_EQ((*j)["seq"], 7);
}

TEST(wire, hostile_input_is_a_clear_error) {
  EXPECT_NE(error_of("").find("malformed"), std::string::npos);
  EXPECT_NE(error_of("\x92\x01").find("malformed"), std::string::npos);  // truncated array
  EXPECT_NE(error_of(pack({1, 2, 3})).find("map"), std::string::npos);
  EXPECT_NE(error_of(pack({{"t", "audio"}, {"seq", 1}})).find("version"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 2}, {"t", "audio"}})).find("version"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}})).find("type"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "launch"}})).find("unknown"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "audio"}, {"pcm", wire::pcm_bin(std::vector<int16_t>(320))}}))
              .find("seq"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "audio"}, {"seq", -1}, {"pcm", wire::pcm_bin(std::vector<int16_t>(320))}}))
              .find("seq"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "audio"}, {"seq", 1}, {"pcm", "text"}})).find("bin"),
            std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "audio"}, {"seq", 1},
                           {"pcm", nlohmann::json::binary({1, 2, 3})}}))
              .find("odd"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "audio"}, {"seq", 1},
                           {"pcm", wire::pcm_bin(std::vector<int16_t>(10))}}))
              .find("10..60 ms"), std::string::npos);
  EXPECT_NE(error_of(std::string(wire::max_client_message + 1, '\x80')).find("limit"),
            std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "start"}})).find("either"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "start"}, {"question", "a"}, {"resume", "b"}}))
              .find("either"), std::string::npos);
}

TEST(wire, random_bytes_never_crash) {
  std::mt19937 rng{5};
  auto valid = wire::encode(wire::audio{1, 0, std::vector<int16_t>(320, 3)});
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string b = valid;
    // Flip, cut or extend a few bytes of a valid frame.
    for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k)
      b[rng() % b.size()] = static_cast<char>(rng());
    if (rng() % 3 == 0)
      b.resize(rng() % b.size());
    accepted += static_cast<bool>(wire::decode_client(bytes_of(b)));
  }
  EXPECT_GT(accepted, 0);  // PCM byte flips still decode: audio is audio
}

// {"v": 1, "t": "ping", "x": <levels nested arrays around nil>}: the map is
// one level, so the message nests levels + 1 deep.
std::string nested_ping(std::size_t levels) {
  return std::string{"\x83\xa1v\x01\xa1t\xa4ping\xa1x"} + std::string(levels, '\x91') + '\xc0';
}

TEST(wire, nesting_beyond_the_limit_is_refused_before_the_reader_recurses) {
  auto at_limit = wire::decode_client(bytes_of(nested_ping(wire::max_client_depth - 1)));
  ASSERT_TRUE(at_limit) << describe(at_limit.error());
  EXPECT_TRUE(std::holds_alternative<wire::ping>(*at_limit));
  EXPECT_NE(error_of(nested_ping(wire::max_client_depth)).find("nested"), std::string::npos);
  // 16 KB of nesting: ~16,000 recursions in the reader without the bound.
  EXPECT_NE(error_of(nested_ping(16000)).find("nested"), std::string::npos);
  std::string maps = "\x83\xa1v\x01\xa1t\xa4ping\xa1x";
  for (int i = 0; i < 5000; ++i)
    maps += "\x81\xa1k";
  EXPECT_NE(error_of(maps + '\xc0').find("nested"), std::string::npos);
}

TEST(wire, strings_must_be_strict_utf8) {
  auto with_type = [](const std::string& t) {
    return std::string{"\x82\xa1v\x01\xa1t"} + static_cast<char>(0xa0 | t.size()) + t;
  };
  // Invalid byte, overlong NUL, a surrogate, past U+10FFFF, a cut sequence.
  for (std::string bad : {"\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ab\xc3"})
    EXPECT_NE(error_of(with_type(bad)).find("UTF-8"), std::string::npos) << bad;
  EXPECT_NE(error_of(with_type("caf\xc3\xa9")).find("unknown message type"), std::string::npos);
  std::string key = "\x83\xa1v\x01\xa1t\xa4ping\xa2\xc3(";  // a key that is not UTF-8
  EXPECT_NE(error_of(key + '\xc0').find("UTF-8"), std::string::npos);
}

TEST(wire, optional_fields_of_another_type_are_refused) {
  for (const char* key : {"followups", "voice"})
    EXPECT_NE(error_of(pack({{"v", 1}, {"t", "start"}, {"question", "q"}, {key, "no"}})).find(key),
              std::string::npos)
      << key;
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "ping"}, {"id", "x"}})).find("id"), std::string::npos);
  EXPECT_NE(error_of(pack({{"v", 1}, {"t", "ping"}, {"id", -1}})).find("id"), std::string::npos);
  auto no_id = wire::decode_client(bytes_of(pack({{"v", 1}, {"t", "ping"}})));
  ASSERT_TRUE(no_id) << describe(no_id.error());
  EXPECT_EQ(std::get<wire::ping>(*no_id).id, 0u);
}

TEST(wire, clip_utf8_never_splits_a_character) {
  EXPECT_EQ(wire::clip_utf8("abc", 5), "abc");
  EXPECT_EQ(wire::clip_utf8("abc", 2), "ab");
  EXPECT_EQ(wire::clip_utf8("ab\xc3\xa9", 3), "ab");
  EXPECT_EQ(wire::clip_utf8("\xe2\x82\xac\xe2\x82\xac", 5), "\xe2\x82\xac");
  std::string type = "a";
  for (int i = 0; i < 40; ++i)
    type += "\xc3\xa9";
  auto msg = error_of(pack({{"v", 1}, {"t", type}}));
  EXPECT_NO_THROW((void)nlohmann::json(msg).dump()) << "the quoted type stays UTF-8";
}
