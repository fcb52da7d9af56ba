// SPDX-License-Identifier: MIT
// Range splitting and the flatten merge of a verified staging directory into
// D (artifacts.md §7.4 step 4: last writer wins, symlinks never followed).
#include "../../../src/rockart/fetch/ranged_download.hpp"
#include "../../../src/rockart/fetch/staging.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>

#include <gtest/gtest.h>

namespace rockart::fetch::detail {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;

TEST(SplitRanges, CoversTheObjectExactly) {
  using Ranges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  EXPECT_EQ(split_ranges(0, 4), Ranges{});
  EXPECT_EQ(split_ranges(1, 4), (Ranges{{0, 0}}));
  EXPECT_EQ(split_ranges(4, 4), (Ranges{{0, 3}}));
  EXPECT_EQ(split_ranges(5, 4), (Ranges{{0, 3}, {4, 4}}));
  EXPECT_EQ(split_ranges(12, 4), (Ranges{{0, 3}, {4, 7}, {8, 11}}));
}

TEST(StagingDir, IsInsideItsParentAndRemovedAfterwards) {
  TempDir dir;
  fs::path path;
  {
    StagingDir staging(dir.path());
    path = staging.path();
    EXPECT_EQ(path.parent_path(), dir.path());
    EXPECT_EQ(path.filename().string().rfind(".rockart-staging-", 0), 0u);
    write_file(path / "a/b", "x");
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(MergeInto, MovesNewTreesAndMergesExistingDirectories) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  const fs::path out = dir.path() / "out";
  write_file(out / "lib/old.so", "old");
  write_file(out / "bin/tool", "v1");
  write_file(staged / "lib/new.so", "new");
  write_file(staged / "bin/tool", "v2");
  write_file(staged / "share/doc/readme", "doc");
  fs::create_symlink("new.so", staged / "lib/link.so");
  merge_into(staged, out, "x.tar.zst");
  EXPECT_EQ(read_file(out / "lib/old.so"), "old");
  EXPECT_EQ(read_file(out / "lib/new.so"), "new");
  EXPECT_EQ(read_file(out / "bin/tool"), "v2");
  EXPECT_EQ(read_file(out / "share/doc/readme"), "doc");
  EXPECT_EQ(fs::read_symlink(out / "lib/link.so"), "new.so");
}

TEST(MergeInto, ReplacesASymlinkInTheWayOfADirectoryWithoutFollowingIt) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  const fs::path out = dir.path() / "out";
  const fs::path elsewhere = dir.path() / "elsewhere";
  fs::create_directories(elsewhere);
  fs::create_directories(out);
  fs::create_directory_symlink(elsewhere, out / "lib");
  write_file(staged / "lib/x.so", "x");
  merge_into(staged, out, "x.tar.zst");
  EXPECT_FALSE(fs::is_symlink(out / "lib"));
  EXPECT_EQ(read_file(out / "lib/x.so"), "x");
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST(MergeInto, KeepsHardLinksTogether) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  write_file(staged / "lib/a", "same");
  fs::create_hard_link(staged / "lib/a", staged / "lib/b");
  fs::create_directories(dir.path() / "out/lib");
  merge_into(staged, dir.path() / "out", "x.tar.zst");
  EXPECT_TRUE(fs::equivalent(dir.path() / "out/lib/a", dir.path() / "out/lib/b"));
}

TEST(MergeInto, RefusesToReplaceADirectoryWithAFile) {
  TempDir dir;
  write_file(dir.path() / "out/lib/keep", "k");
  write_file(dir.path() / "s/lib", "file");
  EXPECT_ERROR(merge_into(dir.path() / "s", dir.path() / "out", "x.tar.zst"),
               ArchiveError,
               "cannot flatten x.tar.zst: " + (dir.path() / "out/lib").string()
                   + " is a directory");
  EXPECT_EQ(read_file(dir.path() / "out/lib/keep"), "k");
}

} // namespace
} // namespace rockart::fetch::detail
