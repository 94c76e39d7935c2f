#include "retrieval/index_store.hpp"

#include "actors/common/errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace sof::retrieval {

namespace {

constexpr const char* data_files[] = {"passages.json", "embedder.bin", "vectors.faiss"};

caf::error corrupt(const fs::path& dir, const std::string& what) {
  return make_error(errc::corrupt_data,
                    "knowledge-base index at " + dir.string() + " is unusable: " + what +
                      "; rebuild it with: " + rebuild_hint(dir));
}

}  // namespace

std::string rebuild_hint(const fs::path& dir) {
  return "sof kb build --index " + dir.string();
}

caf::expected<std::string> file_checksum(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return make_error(errc::io_error, "cannot open " + file.string());
  std::uint64_t h = 1469598103934665603ull;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ull;
    }
    if (!in)
      break;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(hex);
}

caf::error write_passages(const fs::path& file, const std::vector<passage>& ps) {
  json arr = json::array();
  for (const auto& p : ps)
    arr.push_back({{"source", p.source}, {"title", p.title}, {"heading", p.heading},
                   {"text", p.text}, {"attribution", p.attribution}});
  std::ofstream out(file, std::ios::trunc);
  out << arr.dump();
  out.flush();
  if (!out)
    return make_error(errc::io_error, "cannot write " + file.string());
  return {};
}

caf::expected<std::vector<passage>> read_passages(const fs::path& file) {
  std::ifstream in(file);
  if (!in)
    return make_error(errc::io_error, "cannot open " + file.string());
  std::vector<passage> out;
  try {
    auto arr = json::parse(in);
    out.reserve(arr.size());
    for (const auto& j : arr)
      out.push_back({j.at("source").get<std::string>(), j.at("title").get<std::string>(),
                     j.at("heading").get<std::string>(), j.at("text").get<std::string>(),
                     j.at("attribution").get<std::string>()});
  } catch (const json::exception& e) {
    return make_error(errc::corrupt_data, file.string() + ": " + e.what());
  }
  return out;
}

caf::error write_manifest(const fs::path& dir, index_manifest m) {
  m.checksums.clear();
  for (const char* name : data_files) {
    if (!fs::exists(dir / name))
      continue;
    auto sum = file_checksum(dir / name);
    if (!sum)
      return sum.error();
    m.checksums[name] = *sum;
  }
  json j = {{"format", index_format_name},
            {"format_version", m.format_version},
            {"embedder", {{"kind", m.embedder}, {"dims", m.dims}, {"url", m.remote_url},
                          {"model", m.remote_model}}},
            {"index", {{"kind", m.index_kind}, {"passages", m.passages}}},
            {"stats", {{"files_indexed", m.files_indexed}, {"files_skipped", m.files_skipped},
                       {"build_seconds", m.build_seconds}}},
            {"corpus", m.corpus},
            {"created", m.created},
            {"checksums", m.checksums}};
  std::ofstream out(dir / "manifest.json", std::ios::trunc);
  out << j.dump(2) << '\n';
  out.flush();
  if (!out)
    return make_error(errc::io_error, "cannot write " + (dir / "manifest.json").string());
  return {};
}

caf::expected<index_manifest> read_manifest(const fs::path& dir) {
  auto file = dir / "manifest.json";
  std::error_code ec;
  if (!fs::exists(file, ec))
    return make_error(errc::not_found, "no knowledge-base index at " + dir.string() +
                                         "; build one with: " + rebuild_hint(dir));
  std::ifstream in(file);
  index_manifest m;
  try {
    auto j = json::parse(in);
    if (j.at("format").get<std::string>() != index_format_name)
      return corrupt(dir, "manifest.json is not a sof knowledge-base manifest");
    m.format_version = j.at("format_version").get<std::uint32_t>();
    if (m.format_version < index_format_version)
      // Built by an older sof: sound, but its terms mean something else.
      return make_error(errc::unsupported,
                        "knowledge-base index at " + dir.string() + " has format version " +
                          std::to_string(m.format_version) + ", older than this sof's " +
                          std::to_string(index_format_version) +
                          "; rebuild it with: " + rebuild_hint(dir));
    if (m.format_version != index_format_version)
      return corrupt(dir, "index format version " + std::to_string(m.format_version) +
                            ", this sof reads version " +
                            std::to_string(index_format_version));
    const auto& e = j.at("embedder");
    m.embedder = e.at("kind").get<std::string>();
    m.dims = e.at("dims").get<std::size_t>();
    m.remote_url = e.value("url", "");
    m.remote_model = e.value("model", "");
    m.index_kind = j.at("index").at("kind").get<std::string>();
    m.passages = j.at("index").at("passages").get<std::size_t>();
    const auto& s = j.at("stats");
    m.files_indexed = s.value("files_indexed", std::size_t{0});
    m.files_skipped = s.value("files_skipped", std::size_t{0});
    m.build_seconds = s.value("build_seconds", 0.0);
    m.corpus = j.value("corpus", std::vector<std::string>{});
    m.created = j.value("created", "");
    m.checksums = j.at("checksums").get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return corrupt(dir, std::string("manifest.json: ") + e.what());
  }
  for (const auto& [name, sum] : m.checksums) {
    auto actual = file_checksum(dir / name);
    if (!actual)
      return corrupt(dir, name + " is missing");
    if (*actual != sum)
      return corrupt(dir, name + " does not match its checksum");
  }
  for (const char* required : {"passages.json", "vectors.faiss"})
    if (!m.checksums.count(required))
      return corrupt(dir, std::string(required) + " is not listed in the manifest");
  return m;
}

}  // namespace sof::retrieval
