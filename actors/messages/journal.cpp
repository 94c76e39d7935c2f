#include "actors/messages/journal.hpp"

#include "actors/common/errors.hpp"

#include <fmt/format.h>

#include <sstream>

namespace sof::msg {

journal_writer::journal_writer(std::ofstream out)
  : out_(std::move(out)), start_(std::chrono::steady_clock::now()) {
}

caf::expected<std::unique_ptr<journal_writer>>
journal_writer::open(const std::string& path, journal_header header) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  if (!out)
    return make_error(errc::io_error, "cannot write journal " + path);
  msgpack::packer<std::ofstream> pk{out};
  pk.pack_array(5);
  pk.pack(std::string_view{"sof-journal"});
  pk.pack(header.version);
  pk.pack(header.session_id);
  pk.pack(header.tenant);
  pk.pack(header.started_unix_ms);
  return std::unique_ptr<journal_writer>{new journal_writer(std::move(out))};
}

caf::expected<journal_contents> read_journal(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::io_error, "cannot read journal " + path);
  std::string data{std::istreambuf_iterator<char>{in}, {}};
  if (data.empty())
    return make_error(errc::corrupt_data, path + ": empty journal");
  journal_contents out;
  size_t off = 0;
  auto next = [&](msgpack::object_handle& oh) -> caf::expected<bool> {
    if (off >= data.size())
      return false;
    size_t before = off;
    try {
      oh = msgpack::unpack(data.data(), data.size(), off);
      return true;
    } catch (const msgpack::insufficient_bytes&) {
      out.warning = fmt::format("journal truncated at byte {} of {} "
                                "(the writer stopped mid-entry)",
                                before, data.size());
      off = data.size();
      return false;
    } catch (const std::exception& e) {
      return make_error(errc::corrupt_data,
                        fmt::format("{}: malformed msgpack at byte {}: {}",
                                    path, before, e.what()));
    }
  };
  msgpack::object_handle oh;
  auto got = next(oh);
  if (!got)
    return got.error();
  try {
    if (!*got)
      throw std::runtime_error("no header");
    auto arr = oh.get().as<std::vector<msgpack::object>>();
    if (arr.size() != 5 || arr[0].as<std::string>() != "sof-journal")
      throw std::runtime_error("not a sof journal");
    out.header.version = arr[1].as<uint32_t>();
    // Newer versions only append fields, and msgpack leaves fields missing
    // from an older array at their defaults, so older journals still read.
    if (out.header.version < oldest_readable_journal
        || out.header.version > journal_version)
      return make_error(errc::corrupt_data,
                        fmt::format("{}: journal version {} (this build reads "
                                    "versions {} to {})",
                                    path, out.header.version,
                                    oldest_readable_journal, journal_version));
    out.header.session_id = arr[2].as<std::string>();
    out.header.tenant = arr[3].as<std::string>();
    out.header.started_unix_ms = arr[4].as<int64_t>();
  } catch (const std::exception& e) {
    return make_error(errc::corrupt_data,
                      path + ": bad journal header (" + e.what() + ")");
  }
  for (;;) {
    size_t at = off;
    auto entry = std::make_shared<msgpack::object_handle>();
    auto more = next(*entry);
    if (!more)
      return more.error();
    if (!*more)
      break;
    try {
      const auto& o = entry->get();
      if (o.type != msgpack::type::ARRAY || o.via.array.size != 4)
        throw std::runtime_error("entry is not a 4-element array");
      journal_entry e;
      e.t_us = o.via.array.ptr[0].as<uint64_t>();
      e.from = o.via.array.ptr[1].as<std::string>();
      e.type = o.via.array.ptr[2].as<std::string>();
      e.payload = entry;
      out.entries.push_back(std::move(e));
    } catch (const std::exception& ex) {
      return make_error(errc::corrupt_data,
                        fmt::format("{}: bad entry at byte {}: {}", path, at,
                                    ex.what()));
    }
  }
  return out;
}

namespace {

std::string summarize(const audio_frame& m) {
  return fmt::format("seq={} ts={}ms samples={}", m.seq, m.timestamp_ms,
                     m.pcm.size());
}
std::string summarize(const utterance_audio& m) {
  return fmt::format("utt={} samples={}", m.utt, m.pcm.size());
}
std::string summarize(const stt_audio& m) {
  return fmt::format("utt={} samples={}", m.utt, m.pcm.size());
}
std::string summarize(const transcript_segment& m) {
  return fmt::format("utt={} [{:.2f}s-{:.2f}s] \"{}\"", m.utt,
                     m.start_ms / 1000.0, m.end_ms / 1000.0, m.text);
}
std::string summarize(const transcript_partial& m) {
  return fmt::format("utt={} \"{}\"", m.utt, m.text);
}
std::string summarize(const provider_restarted& m) {
  return fmt::format("{} restart #{} after {} (backoff {} ms)", m.kind,
                     m.restarts, m.reason, m.backoff_ms);
}
std::string summarize(const turn_ended& m) {
  return fmt::format("turn={} at={:.2f}s silence={}ms{}", m.turn,
                     m.at_ms / 1000.0, m.silence_ms,
                     m.end_of_audio ? " (end of audio)" : "");
}
// Anything without a dedicated summary prints its msgpack form.
template <class T>
std::string summarize(const T& m) {
  msgpack::sbuffer buf;
  msgpack::pack(buf, m);
  auto oh = msgpack::unpack(buf.data(), buf.size());
  std::ostringstream os;
  os << oh.get();
  return os.str();
}

template <class... Ts>
std::string dispatch(const journal_entry& e, type_list<Ts...>) {
  std::string out;
  bool found = false;
  auto try_one = [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (found || e.type != T::name)
      return;
    found = true;
    try {
      T value;
      e.payload->get().via.array.ptr[3].convert(value);
      out = summarize(value);
    } catch (const std::exception& ex) {
      out = std::string{"<undecodable payload: "} + ex.what() + ">";
    }
  };
  (try_one(std::type_identity<Ts>{}), ...);
  if (!found) {
    std::ostringstream os;
    os << e.payload->get().via.array.ptr[3];
    out = "<unknown type> " + os.str();
  }
  return out;
}

}  // namespace

std::string describe_entry(const journal_entry& e) {
  return fmt::format("{:>10.3f}s  {:<14} {:<20} {}", e.t_us / 1e6, e.from,
                     e.type, dispatch(e, all_messages{}));
}

}  // namespace sof::msg
