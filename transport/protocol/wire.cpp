#include "transport/protocol/wire.hpp"

#include "actors/common/errors.hpp"
#include "base/text/utf8.hpp"

namespace sof::wire {
namespace {

caf::error bad(const std::string& what) {
  return make_error(errc::bad_frame, what);
}

// Reads an unsigned integer field; msgpack ints may arrive signed.
bool get_u64(const nlohmann::json& j, const char* key, uint64_t& out) {
  auto i = j.find(key);
  if (i == j.end())
    return false;
  if (i->is_number_unsigned()) {
    out = i->get<uint64_t>();
    return true;
  }
  if (i->is_number_integer() && i->get<int64_t>() >= 0) {
    out = static_cast<uint64_t>(i->get<int64_t>());
    return true;
  }
  return false;
}

// Builds the document like from_msgpack, but refuses nesting beyond
// max_client_depth before the reader recurses into it, and str values or
// keys that are not UTF-8 (msgpack str is UTF-8; error messages quote them
// back to the client and into JSON). Says which rule stopped it.
class bounded_sax {
 public:
  using json = nlohmann::json;
  enum class stop { none, too_deep, not_utf8 };

  bounded_sax(json& out, std::size_t max_depth) : dom_(out, false), max_depth_(max_depth) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return dom_.number_float(v, s);
  }
  bool string(json::string_t& v) { return utf8(v) && dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool key(json::string_t& v) { return utf8(v) && dom_.key(v); }
  bool start_object(std::size_t n) { return deeper() && dom_.start_object(n); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return deeper() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  stop stopped() const { return stop_; }

 private:
  bool deeper() {
    if (++depth_ <= max_depth_)
      return true;
    stop_ = stop::too_deep;
    return false;
  }
  bool utf8(const json::string_t& v) {
    if (text::valid_utf8(v))
      return true;
    stop_ = stop::not_utf8;
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  stop stop_ = stop::none;
};

// One msgpack message into a document, nested at most `max_depth` deep.
caf::expected<nlohmann::json> parse_bounded(std::span<const uint8_t> bytes,
                                            std::size_t max_depth) {
  nlohmann::json j;
  bounded_sax sax{j, max_depth};
  if (!nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &sax,
                                 nlohmann::json::input_format_t::msgpack, true)) {
    if (sax.stopped() == bounded_sax::stop::too_deep)
      return bad("maps and arrays nested deeper than " + std::to_string(max_depth)
                 + " levels");
    if (sax.stopped() == bounded_sax::stop::not_utf8)
      return bad("a msgpack str that is not UTF-8");
    return bad("not a msgpack message (truncated or malformed)");
  }
  return j;
}

// An optional boolean field: `out` unchanged when absent, false when it is
// present with another type (a client that sends "no" must not get true).
bool get_optional_bool(const nlohmann::json& j, const char* key, bool& out) {
  auto i = j.find(key);
  if (i == j.end())
    return true;
  if (!i->is_boolean())
    return false;
  out = i->get<bool>();
  return true;
}

}  // namespace

std::string clip_utf8(std::string_view text, std::size_t max) {
  if (text.size() <= max)
    return std::string{text};
  // Step back over continuation bytes (10xxxxxx) to a sequence start.
  auto cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
    --cut;
  return std::string{text.substr(0, cut)};
}

nlohmann::json pcm_bin(const std::vector<int16_t>& pcm) {
  std::vector<uint8_t> bytes(pcm.size() * 2);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    auto u = static_cast<uint16_t>(pcm[i]);
    bytes[2 * i] = static_cast<uint8_t>(u & 0xff);
    bytes[2 * i + 1] = static_cast<uint8_t>(u >> 8);
  }
  return nlohmann::json::binary(std::move(bytes));
}

caf::expected<std::vector<int16_t>> pcm_from(const nlohmann::json& bin) {
  if (!bin.is_binary())
    return bad("pcm must be msgpack bin (PCM16 little-endian)");
  const auto& bytes = bin.get_binary();
  if (bytes.size() % 2 != 0)
    return bad("pcm has an odd number of bytes");
  std::vector<int16_t> pcm(bytes.size() / 2);
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>(static_cast<uint16_t>(bytes[2 * i])
                                  | static_cast<uint16_t>(bytes[2 * i + 1]) << 8);
  return pcm;
}

caf::expected<client_message> decode_client(std::span<const uint8_t> bytes) {
  if (bytes.size() > max_client_message)
    return bad("message of " + std::to_string(bytes.size()) + " bytes; the limit is "
               + std::to_string(max_client_message));
  auto parsed = parse_bounded(bytes, max_client_depth);
  if (!parsed)
    return std::move(parsed.error());
  auto& j = *parsed;
  if (!j.is_object())
    return bad("a message must be a msgpack map");
  uint64_t v = 0;
  if (!get_u64(j, "v", v) || v != version)
    return bad("unsupported protocol version (this server speaks v1)");
  auto t = j.find("t");
  if (t == j.end() || !t->is_string())
    return bad("missing message type \"t\"");
  const auto& type = t->get_ref<const std::string&>();
  if (type == "audio") {
    audio a;
    if (!get_u64(j, "seq", a.seq))
      return bad("audio: missing or negative \"seq\"");
    if (auto ts = j.find("ts"); ts != j.end() && ts->is_number_integer())
      a.ts_ms = ts->get<int64_t>();
    auto pcm = j.find("pcm");
    if (pcm == j.end())
      return bad("audio: missing \"pcm\"");
    auto samples = pcm_from(*pcm);
    if (!samples)
      return samples.error();
    if (samples->size() < min_frame_samples || samples->size() > max_frame_samples)
      return bad("audio: a frame must hold 10..60 ms (160..960 samples), got "
                 + std::to_string(samples->size()));
    a.pcm = std::move(*samples);
    return client_message{std::move(a)};
  }
  if (type == "start") {
    start s;
    if (auto q = j.find("question"); q != j.end() && q->is_string())
      s.question = q->get<std::string>();
    if (auto r = j.find("resume"); r != j.end() && r->is_string())
      s.resume = r->get<std::string>();
    if (s.question.empty() == s.resume.empty())
      return bad("start: give either \"question\" (a new session) or \"resume\" "
                 "(a session id)");
    if (s.question.size() > 200 || s.resume.size() > 200)
      return bad("start: id too long");
    for (auto [key, out] : {std::pair{"followups", &s.followups}, std::pair{"voice", &s.voice},
                            std::pair{"read_prompt", &s.read_prompt}})
      if (!get_optional_bool(j, key, *out))
        return bad(std::string{"start: \""} + key + "\" must be a boolean");
    return client_message{std::move(s)};
  }
  if (type == "end")
    return client_message{end{}};
  if (type == "ping") {
    ping p;
    if (j.contains("id") && !get_u64(j, "id", p.id))
      return bad("ping: \"id\" must be an unsigned integer");
    return client_message{p};
  }
  return bad("unknown message type \"" + clip_utf8(type, 32) + "\"");
}

std::string encode(const client_message& m) {
  nlohmann::json j;
  if (auto* s = std::get_if<start>(&m)) {
    j = {{"t", "start"}, {"followups", s->followups}, {"voice", s->voice},
         {"read_prompt", s->read_prompt}};
    if (!s->question.empty())
      j["question"] = s->question;
    if (!s->resume.empty())
      j["resume"] = s->resume;
  } else if (auto* a = std::get_if<audio>(&m)) {
    j = {{"t", "audio"}, {"seq", a->seq}, {"ts", a->ts_ms}, {"pcm", pcm_bin(a->pcm)}};
  } else if (std::holds_alternative<end>(m)) {
    j = {{"t", "end"}};
  } else if (auto* p = std::get_if<ping>(&m)) {
    j = {{"t", "ping"}, {"id", p->id}};
  }
  j["v"] = version;
  auto bytes = nlohmann::json::to_msgpack(j);
  return {bytes.begin(), bytes.end()};
}

std::string encode_server(nlohmann::json msg) {
  msg["v"] = version;
  auto bytes = nlohmann::json::to_msgpack(msg);
  return {bytes.begin(), bytes.end()};
}

caf::expected<nlohmann::json> decode_server(std::span<const uint8_t> bytes) {
  // Clients read what a server sends with the same care: a scorecard is a
  // few levels deep, never max_server_depth.
  auto parsed = parse_bounded(bytes, max_server_depth);
  if (!parsed)
    return std::move(parsed.error());
  auto& j = *parsed;
  if (!j.is_object())
    return bad("not a msgpack map");
  uint64_t v = 0;
  if (!get_u64(j, "v", v) || v != version)
    return bad("unsupported protocol version");
  if (!j.contains("t") || !j["t"].is_string())
    return bad("missing message type");
  return j;
}

nlohmann::json error_message(const std::string& code, const std::string& message,
                             bool fatal) {
  return {{"t", "error"}, {"code", code}, {"message", message}, {"fatal", fatal}};
}

}  // namespace sof::wire
