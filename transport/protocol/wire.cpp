#include "transport/protocol/wire.hpp"

#include "actors/common/errors.hpp"

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

}  // namespace

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
  nlohmann::json j = nlohmann::json::from_msgpack(bytes.begin(), bytes.end(), true,
                                                  false);
  if (j.is_discarded())
    return bad("not a msgpack message (truncated or malformed)");
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
    if (auto o = j.find("followups"); o != j.end() && o->is_boolean())
      s.followups = o->get<bool>();
    if (auto o = j.find("voice"); o != j.end() && o->is_boolean())
      s.voice = o->get<bool>();
    if (auto o = j.find("read_prompt"); o != j.end()) {
      if (!o->is_boolean())
        return bad("start: \"read_prompt\" must be a boolean");
      s.read_prompt = o->get<bool>();
    }
    return client_message{std::move(s)};
  }
  if (type == "end")
    return client_message{end{}};
  if (type == "ping") {
    ping p;
    get_u64(j, "id", p.id);
    return client_message{p};
  }
  return bad("unknown message type \"" + type.substr(0, 32) + "\"");
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
  nlohmann::json j = nlohmann::json::from_msgpack(bytes.begin(), bytes.end(), true,
                                                  false);
  if (j.is_discarded() || !j.is_object())
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
