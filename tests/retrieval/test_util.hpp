#pragma once
// Helpers shared by the retrieval tests: scratch directories and an index of
// the shipped corpus built once per test process.
#include "actors/common/errors.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace sof::retrieval::test {

/// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("sof-kb-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

/// A minimal, valid one-page PDF whose page shows `text` (Helvetica); the
/// xref offsets are computed, so poppler reads it without repair.
inline std::string make_pdf(const std::string& text) {
  std::string stream = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
  std::vector<std::string> objs = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  auto xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

/// The shipped corpus (../shared/kb), indexed once per test process.
inline const retriever& shipped_kb() {
  static temp_dir dir;
  static std::shared_ptr<const retriever> kb = [] {
    build_options opts;
    opts.corpus_dirs = {default_corpus_dir()};
    opts.index_dir = dir / "index";
    opts.progress = false;
    auto built = build_index(opts);
    EXPECT_TRUE(built) << sof::describe(built.error());
    auto opened = retriever::open(opts.index_dir);
    EXPECT_TRUE(opened) << sof::describe(opened.error());
    return opened ? *opened : nullptr;
  }();
  if (!kb)
    throw std::runtime_error("could not index the shipped corpus");
  return *kb;
}

inline std::string labelled_queries_file() {
  return std::string(SOF_SOURCE_DIR) + "/tests/data/retrieval/queries.json";
}

}  // namespace sof::retrieval::test
