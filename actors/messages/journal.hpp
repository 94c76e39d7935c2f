#pragma once
// The session journal: a msgpack stream of every message a session supervisor
// saw, so any session (including one that failed under chaos) can be replayed
// and inspected offline with `sof replay`.
//
// Layout: one header array ["sof-journal", version, session, tenant,
// started_unix_ms], then one array per entry [t_us, from, type, payload].
#include "actors/messages/messages.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace sof::msg {

// 2: PCM16 audio packed as a bin blob (1 packed it as an integer array).
// 3: voice messages, speech in summaries.
// 4: word timings, alternatives and adaptation state in stt_begin, stt_final
//    and transcript_segment (fields appended: version 3 still reads).
constexpr uint32_t journal_version = 4;
constexpr uint32_t oldest_readable_journal = 3;

struct journal_header {
  uint32_t version = journal_version;
  std::string session_id;
  std::string tenant;
  int64_t started_unix_ms = 0;
};

class journal_writer {
 public:
  static caf::expected<std::unique_ptr<journal_writer>>
  open(const std::string& path, journal_header header);

  template <class T>
  void record(const char* from, const T& payload) {
    auto t_us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start_)
                  .count();
    msgpack::packer<std::ofstream> pk{out_};
    pk.pack_array(4);
    pk.pack(static_cast<uint64_t>(t_us));
    pk.pack(std::string_view{from});
    pk.pack(std::string_view{T::name});
    pk.pack(payload);
    ++entries_;
  }

  void flush() { out_.flush(); }
  uint64_t entries() const { return entries_; }
  bool good() const { return out_.good(); }

 private:
  journal_writer(std::ofstream out);
  std::ofstream out_;
  std::chrono::steady_clock::time_point start_;
  uint64_t entries_ = 0;
};

struct journal_entry {
  uint64_t t_us = 0;
  std::string from;
  std::string type;
  std::shared_ptr<msgpack::object_handle> payload;
};

struct journal_contents {
  journal_header header;
  std::vector<journal_entry> entries;
  std::string warning;  // set when the tail was truncated (a crashed writer)
};

/// Reads a whole journal. A truncated tail (the writer died mid-entry) keeps
/// every complete entry and sets `warning`; anything else malformed is an
/// errc::corrupt_data error naming the byte offset.
caf::expected<journal_contents> read_journal(const std::string& path);

/// One readable line for an entry: known types are decoded field by field,
/// audio is summarised by its length rather than dumped.
std::string describe_entry(const journal_entry& e);

}  // namespace sof::msg
