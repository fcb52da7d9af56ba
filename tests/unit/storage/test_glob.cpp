// SPDX-License-Identifier: MIT
// The two pattern dialects of spec/behaviours.md §6.1, with its examples.
#include <rockart/storage/glob.hpp>

#include <gtest/gtest.h>

namespace rockart::storage {
namespace {

struct GlobRow {
  const char* pattern;
  const char* path;
  bool is_directory;
  bool expected;
};

class RglobMatch : public ::testing::TestWithParam<GlobRow> {};

TEST_P(RglobMatch, MatchesTrailingSegments) {
  const auto& row = GetParam();
  EXPECT_EQ(rglob_match(row.pattern, row.path, row.is_directory), row.expected)
      << row.pattern << " vs " << row.path;
}

INSTANTIATE_TEST_SUITE_P(SpecExamples,
                         RglobMatch,
                         ::testing::Values(
                             // `*.tar.xz*` selects x.tar.xz, its checksum and nested archives.
                             GlobRow{"*.tar.xz*", "x.tar.xz", false, true},
                             GlobRow{"*.tar.xz*", "x.tar.xz.sha256sum", false, true},
                             GlobRow{"*.tar.xz*", "sub/y.tar.xz", false, true},
                             GlobRow{"*.tar.xz*", "x.tar.zst", false, false},
                             // exclude `sub/*` removes sub/nested.html but not sub/deep/deep.txt.
                             GlobRow{"sub/*", "sub/nested.html", false, true},
                             GlobRow{"sub/*", "sub/deep/deep.txt", false, false},
                             // exclude `sub/**/*` removes both.
                             GlobRow{"sub/**/*", "sub/nested.html", false, true},
                             GlobRow{"sub/**/*", "sub/deep/deep.txt", false, true},
                             // `*.log` at every depth.
                             GlobRow{"*.log", "build.log", false, true},
                             GlobRow{"*.log", "a/b/c/build.log", false, true},
                             // A pattern ending in `**` matches directories only.
                             GlobRow{"ccache/**", "ccache/ccache.log", false, false},
                             GlobRow{"ccache/**", "ccache", true, true},
                             GlobRow{"ccache/**/*", "ccache/ccache.log", false, true},
                             GlobRow{"ccache/**/*", "ccache/deep/stats", false, true},
                             GlobRow{"ccache/**/*", "logs_ccache/x", false, false},
                             // `*` and `?` stay within one segment, also match leading dots.
                             GlobRow{"*", ".hidden", false, true},
                             GlobRow{"a*c", "ab/c", false, false},
                             GlobRow{"a?c", "a/c", false, false},
                             GlobRow{"a?c", "abc", false, true},
                             // Classes and case sensitivity.
                             GlobRow{"[ab].txt", "b.txt", false, true},
                             GlobRow{"[ab].txt", "c.txt", false, false},
                             GlobRow{"*.LOG", "build.log", false, false},
                             // The pattern must match whole trailing segments.
                             GlobRow{"b/c.txt", "a/b/c.txt", false, true},
                             GlobRow{"b/c.txt", "a/xb/c.txt", false, false},
                             GlobRow{"", "a", false, false}));

TEST(FnmatchMatch, StarCrossesSlashes) {
  EXPECT_TRUE(fnmatch_match("*", "logs/gfx94X/build.log"));
  EXPECT_TRUE(fnmatch_match("*.tar.zst", "sub/x.tar.zst"));
  EXPECT_TRUE(fnmatch_match("logs/*.log", "logs/a/b.log"));
  EXPECT_TRUE(fnmatch_match("?", "/"));
  EXPECT_TRUE(fnmatch_match("*", ".hidden"));
  EXPECT_FALSE(fnmatch_match("*.tar.zst", "x.tar.zst.sha256sum"));
  EXPECT_FALSE(fnmatch_match("*.ZST", "x.zst"));
  EXPECT_TRUE(fnmatch_match("blas_[lr]*", "blas_lib_gfx94X.tar.zst"));
}

} // namespace
} // namespace rockart::storage
