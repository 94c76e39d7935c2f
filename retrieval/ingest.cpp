#include "retrieval/ingest.hpp"

#include "retrieval/text.hpp"

#include "actors/common/errors.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace sof::retrieval {

namespace {

bool is_metadata_name(const std::string& name) {
  auto n = ascii_lower(name);
  for (const char* p : {"source", "license", "licence", "copying", "notice"})
    if (n.starts_with(p))
      return true;
  return false;
}

std::optional<doc_format> format_of(const fs::path& p) {
  auto ext = ascii_lower(p.extension().string());
  if (ext == ".md" || ext == ".markdown")
    return doc_format::markdown;
  if (ext == ".txt" || ext == ".text")
    return doc_format::plain;
  if (ext == ".pdf")
    return doc_format::pdf;
  return std::nullopt;
}

caf::expected<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return make_error(errc::io_error, "cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return make_error(errc::io_error, "cannot read " + p.string());
  return ss.str();
}

std::string trim_copy(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// poppler reports syntax errors of corrupt files on stderr by default; we
// count those files as skipped instead, so keep its chatter out of the UI.
void quiet_poppler(const std::string&, void*) {
}

}  // namespace

std::string sanitize_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    auto c = static_cast<unsigned char>(in[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3
                    : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 0x2;
    if (ok && (c >= 0x20 || c == '\n' || c == '\t' || c == '\f' || c == '\r' ||
               len > 1)) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += ok && c < 0x20 ? ' ' : '?';
      i += ok ? len : 1;
    }
  }
  return out;
}

std::vector<fs::path> list_corpus_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(
    root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory(ec))
        it.disable_recursion_pending();
      continue;
    }
    // Dangling symlinks and the like are still listed so that reading them
    // fails loudly and is counted, rather than vanishing silently.
    if (it->is_directory(ec) || is_metadata_name(name) || !format_of(it->path()))
      continue;
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

caf::expected<std::string> read_pdf_text(const fs::path& file) {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(quiet_poppler, nullptr); });
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
  if (!doc)
    return make_error(errc::corrupt_data, "not a readable PDF: " + file.string());
  if (doc->is_locked())
    return make_error(errc::unsupported, "encrypted PDF: " + file.string());
  std::string text;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (i > 0)
      text += '\f';
    if (page) {
      auto bytes = page->text().to_utf8();
      text.append(bytes.begin(), bytes.end());
    }
  }
  return text;
}

attribution_info find_attribution(const fs::path& file, const fs::path& root) {
  std::error_code ec;
  auto root_abs = fs::weakly_canonical(root, ec);
  for (auto dir = fs::weakly_canonical(file, ec).parent_path();; dir = dir.parent_path()) {
    std::vector<fs::path> meta;
    for (auto& e : fs::directory_iterator(dir, ec))
      if (e.is_regular_file(ec) && is_metadata_name(e.path().filename().string()))
        meta.push_back(e.path());
    std::sort(meta.begin(), meta.end());
    if (!meta.empty()) {
      std::string source_url, licence, credit, title, licence_file_line;
      auto fname = file.filename().string();
      for (auto& m : meta) {
        auto text = slurp(m);
        if (!text)
          continue;
        bool is_source = ascii_lower(m.filename().string()).starts_with("source");
        std::istringstream lines(*text);
        std::string line;
        while (std::getline(lines, line)) {
          auto t = trim_copy(line);
          if (is_source && t.starts_with("Source:") && source_url.empty())
            source_url = trim_copy(t.substr(7));
          else if (is_source && (t.starts_with("License:") || t.starts_with("Licence:")) &&
                   licence.empty()) {
            licence = trim_copy(t.substr(8));
            // Keep the licence name, not the provenance notes after it.
            for (const char* cut : {" \xE2\x80\x94 ", "; "})
              if (auto p = licence.find(cut); p != std::string::npos)
                licence.resize(p);
          } else if (is_source && credit.empty()) {
            // A per-file line: `path -> file.md  "Title" (Book), Authors`.
            auto arrow = t.find("-> " + fname);
            if (arrow != std::string::npos) {
              credit = trim_copy(t.substr(arrow + 3 + fname.size()));
              auto q1 = credit.find('"');
              auto q2 = q1 == std::string::npos ? q1 : credit.find('"', q1 + 1);
              if (q2 != std::string::npos)
                title = credit.substr(q1 + 1, q2 - q1 - 1);
            }
          } else if (!is_source && licence_file_line.empty() &&
                     (t.find("Creative Commons") != std::string::npos ||
                      t.find("License") != std::string::npos)) {
            licence_file_line = t;
          }
        }
      }
      if (licence.empty())
        licence = licence_file_line;
      std::string attr = credit;
      for (const auto& part : {licence, source_url})
        if (!part.empty())
          attr += (attr.empty() ? "" : " \xE2\x80\x94 ") + part;
      return {sanitize_utf8(attr), sanitize_utf8(title)};
    }
    if (dir == root_abs || dir == dir.parent_path() || !dir.string().starts_with(root_abs.string()))
      break;
  }
  return {};
}

caf::expected<ingest_result> ingest(const std::vector<fs::path>& corpus_dirs,
                                    const ingest_options& opts) {
  if (corpus_dirs.empty())
    return make_error(errc::invalid_argument, "no corpus directory given");
  std::vector<std::pair<fs::path, fs::path>> files;  // (root, file)
  for (const auto& root : corpus_dirs) {
    std::error_code ec;
    if (!fs::is_directory(root, ec))
      return make_error(errc::invalid_argument,
                        "corpus directory does not exist: " + root.string());
    for (auto& f : list_corpus_files(root))
      files.emplace_back(root, f);
  }
  if (files.empty())
    return make_error(errc::not_found,
                      "empty corpus: no Markdown, text or PDF files under the corpus "
                      "directories");
  ingest_result result;
  std::size_t done = 0;
  for (const auto& [root, file] : files) {
    auto rel = fs::relative(file, root).generic_string();
    if (corpus_dirs.size() > 1)  // keep sources unique across corpora
      rel = root.filename().generic_string() + "/" + rel;
    auto fmt = *format_of(file);
    caf::expected<std::string> body =
      fmt == doc_format::pdf ? read_pdf_text(file) : slurp(file);
    if (body && fmt != doc_format::pdf &&
        body->find('\0') != std::string::npos)
      body = make_error(errc::corrupt_data, "binary data in a text file");
    std::string reason;
    if (!body) {
      reason = describe(body.error());
    } else {
      auto attr = find_attribution(file, root);
      document doc{rel, attr.title, attr.attribution, fmt, sanitize_utf8(*body)};
      if (doc.title.empty() && fmt != doc_format::markdown)
        doc.title = file.stem().string();
      if (doc.title.empty())
        doc.title = markdown_title(doc.body);
      if (doc.title.empty())
        doc.title = file.stem().string();
      // Without a per-file credit line the attribution names no work yet:
      // cite the document's own title in front of the licence.
      if (attr.title.empty() && !doc.attribution.empty())
        doc.attribution = doc.title + " \xE2\x80\x94 " + doc.attribution;
      auto passages = chunk_document(doc, opts.chunking);
      if (passages.empty()) {
        reason = "no text to index";
      } else {
        ++result.files_indexed;
        for (auto& p : passages)
          result.passages.push_back(std::move(p));
      }
    }
    if (!reason.empty()) {
      ++result.files_skipped;
      result.warnings.push_back({rel, reason});
    }
    if (opts.on_file)
      opts.on_file(++done, files.size(), rel);
  }
  if (result.passages.empty())
    return make_error(errc::not_found,
                      "empty corpus: " + std::to_string(files.size()) +
                        " file(s) found but none had readable text");
  return result;
}

}  // namespace sof::retrieval
