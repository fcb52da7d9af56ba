// SPDX-License-Identifier: MIT
// The hostile-archive corpus (tools/gen_artifacts/hostile_corpus.hpp) in every
// mode and both compressions: each attack ends in an ArchiveError naming the
// entry, and nothing appears outside the output directory.
#include "../../../tools/gen_artifacts/hostile_corpus.hpp"
#include "support/support.hpp"

#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;
using testdata::hostile_cases;
using testdata::HostileCase;

using Param = std::tuple<HostileCase, ExtractMode, Compression>;

std::string mode_name(ExtractMode mode) {
  return mode == ExtractMode::extract   ? "extract"
         : mode == ExtractMode::flatten ? "flatten"
                                        : "bootstrap";
}

// Every path below `root`, for "nothing outside D" checks.
std::set<std::string> everything_below(const fs::path& root) {
  std::set<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    paths.insert(e.path().lexically_relative(root).generic_string());
  }
  return paths;
}

// True when the '*'-separated pieces of `pattern` occur in `text` in order.
bool matches(std::string_view text, std::string_view pattern) {
  size_t at = 0;
  for (;;) {
    const size_t star = pattern.find('*');
    const std::string_view piece = pattern.substr(0, star);
    at = text.find(piece, at);
    if (at == std::string_view::npos) {
      return false;
    }
    at += piece.size();
    if (star == std::string_view::npos) {
      return true;
    }
    pattern.remove_prefix(star + 1);
  }
}

class Hostile : public ::testing::TestWithParam<Param> {};

TEST_P(Hostile, RefusedAndNothingOutsideTarget) {
  const auto& [hostile, mode, compression] = GetParam();
  test::TempDir tmp;
  // sentinel/ holds only the archive and out/; out/ is D.
  const fs::path sentinel = tmp.path() / "sentinel";
  const fs::path out = sentinel / "deep" / "out";
  fs::create_directories(out);
  const fs::path archive = tmp.path() / ("hostile" + std::string(archive_extension(compression)));
  hostile.write(archive, compression);

  FileSource source(archive);
  ExtractOptions options;
  options.mode = mode;
  options.output_dir = out;
  options.directory_name = "hostile_lib_generic";
  options.archive_name = archive.filename().string();
  BootstrapRegistry registry;
  options.bootstrap = &registry;
  try {
    extract(source, options);
    ADD_FAILURE() << "no ArchiveError for " << hostile.kind;
  } catch (const ArchiveError& e) {
    EXPECT_TRUE(matches(e.what(), hostile.expected))
        << "message: " << e.what() << "\nexpected: " << hostile.expected;
  }

  std::set<std::string> outside = everything_below(sentinel);
  std::erase_if(outside, [](const std::string& p) { return p.rfind("deep/out/", 0) == 0; });
  EXPECT_EQ(outside, (std::set<std::string>{"deep", "deep/out"}));
  if (mode == ExtractMode::extract) {
    EXPECT_TRUE(fs::is_empty(out)) << "temporary directory left behind";
  }
  EXPECT_FALSE(fs::exists("/tmp/rockart-hostile-abs"));
  for (const auto& p : everything_below(out)) {
    EXPECT_EQ(p.find(".rockart-"), std::string::npos) << "temporary file left behind: " << p;
  }
}

std::vector<Param> all_params() {
  std::vector<Param> params;
  for (const HostileCase& c : hostile_cases()) {
    for (const ExtractMode mode : {ExtractMode::extract, ExtractMode::flatten}) {
      params.emplace_back(c, mode, Compression::zstd);
    }
    params.emplace_back(c, ExtractMode::bootstrap, Compression::xz);
  }
  return params;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Hostile, ::testing::ValuesIn(all_params()), [](const auto& p) {
  std::string name = std::get<0>(p.param).kind + "_" + mode_name(std::get<1>(p.param));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

TEST(HostileCorpus, HasAtLeastTwelveDistinctAttacks) {
  std::set<std::string> kinds;
  for (const HostileCase& c : hostile_cases()) {
    EXPECT_TRUE(kinds.insert(c.kind).second) << "duplicate kind " << c.kind;
  }
  EXPECT_GE(kinds.size(), 12U);
}

} // namespace
} // namespace rockart::archive
