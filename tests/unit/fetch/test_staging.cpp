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

TEST(FlattenMerger, MovesNewTreesAndMergesExistingDirectories) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  const fs::path out = dir.path() / "out";
  write_file(out / "lib/old.so", "old");
  write_file(out / "bin/tool", "v1");
  write_file(staged / "lib/new.so", "new");
  write_file(staged / "bin/tool", "v2");
  write_file(staged / "share/doc/readme", "doc");
  fs::create_symlink("new.so", staged / "lib/link.so");
  // What the archive holds (an install records it), not what D had before.
  EXPECT_EQ(
      FlattenMerger(out).merge(staged, 0, "x.tar.zst"),
      (std::vector<std::string>{"bin/tool", "lib/link.so", "lib/new.so", "share/doc/readme"}));
  EXPECT_EQ(read_file(out / "lib/old.so"), "old");
  EXPECT_EQ(read_file(out / "lib/new.so"), "new");
  EXPECT_EQ(read_file(out / "bin/tool"), "v2");
  EXPECT_EQ(read_file(out / "share/doc/readme"), "doc");
  EXPECT_EQ(fs::read_symlink(out / "lib/link.so"), "new.so");
}

TEST(FlattenMerger, ReplacesASymlinkInTheWayOfADirectoryWithoutFollowingIt) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  const fs::path out = dir.path() / "out";
  const fs::path elsewhere = dir.path() / "elsewhere";
  fs::create_directories(elsewhere);
  fs::create_directories(out);
  fs::create_directory_symlink(elsewhere, out / "lib");
  write_file(staged / "lib/x.so", "x");
  FlattenMerger(out).merge(staged, 0, "x.tar.zst");
  EXPECT_FALSE(fs::is_symlink(out / "lib"));
  EXPECT_EQ(read_file(out / "lib/x.so"), "x");
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST(FlattenMerger, KeepsHardLinksTogether) {
  TempDir dir;
  const fs::path staged = dir.path() / "s";
  write_file(staged / "lib/a", "same");
  fs::create_hard_link(staged / "lib/a", staged / "lib/b");
  fs::create_directories(dir.path() / "out/lib");
  FlattenMerger(dir.path() / "out").merge(staged, 0, "x.tar.zst");
  EXPECT_TRUE(fs::equivalent(dir.path() / "out/lib/a", dir.path() / "out/lib/b"));
}

TEST(FlattenMerger, RefusesToReplaceADirectoryWithAFile) {
  TempDir dir;
  write_file(dir.path() / "out/lib/keep", "k");
  write_file(dir.path() / "s/lib", "file");
  EXPECT_ERROR(FlattenMerger(dir.path() / "out").merge(dir.path() / "s", 0, "x.tar.zst"),
               ArchiveError,
               "cannot flatten x.tar.zst: " + (dir.path() / "out/lib").string()
                   + " is a directory");
  EXPECT_EQ(read_file(dir.path() / "out/lib/keep"), "k");
}

// Archives finish in any order; where they overlap, the later one in the plan
// must win exactly as if they had been merged in plan order.
TEST(FlattenMerger, LaterPlanRankWinsWhateverTheMergeOrder) {
  for (const bool later_first : {false, true}) {
    TempDir dir;
    const fs::path out = dir.path() / "out";
    write_file(dir.path() / "s0/lib/same.so", "from 0");
    write_file(dir.path() / "s0/lib/only0.so", "0");
    fs::create_symlink("only0.so", dir.path() / "s0/lib/link.so");
    write_file(dir.path() / "s1/lib/same.so", "from 1");
    fs::create_symlink("same.so", dir.path() / "s1/lib/link.so");
    write_file(dir.path() / "s1/share/new/readme", "1");
    fs::create_directories(out);
    FlattenMerger merger(out);
    const std::vector<std::string> paths0 = {"lib/link.so", "lib/only0.so", "lib/same.so"};
    const std::vector<std::string> paths1 = {"lib/link.so", "lib/same.so", "share/new/readme"};
    // Each archive's paths are all it holds, also those the other one's copy shadows.
    if (later_first) {
      EXPECT_EQ(merger.merge(dir.path() / "s1", 1, "one.tar.zst"), paths1);
      EXPECT_EQ(merger.merge(dir.path() / "s0", 0, "zero.tar.zst"), paths0);
    } else {
      EXPECT_EQ(merger.merge(dir.path() / "s0", 0, "zero.tar.zst"), paths0);
      EXPECT_EQ(merger.merge(dir.path() / "s1", 1, "one.tar.zst"), paths1);
    }
    SCOPED_TRACE(later_first ? "rank 1 merged first" : "plan order");
    EXPECT_EQ(read_file(out / "lib/same.so"), "from 1");
    EXPECT_EQ(read_file(out / "lib/only0.so"), "0");
    EXPECT_EQ(fs::read_symlink(out / "lib/link.so"), "same.so");
    EXPECT_EQ(read_file(out / "share/new/readme"), "1");
  }
}

// A directory moved whole still records its files: an earlier archive merged
// afterwards does not overwrite them.
TEST(FlattenMerger, RemembersTheFilesOfADirectoryMovedWhole) {
  TempDir dir;
  const fs::path out = dir.path() / "out";
  write_file(dir.path() / "s2/include/rocblas/a.h", "2");
  write_file(dir.path() / "s1/include/rocblas/a.h", "1");
  write_file(dir.path() / "s1/include/rocblas/b.h", "1");
  fs::create_directories(out);
  FlattenMerger merger(out);
  merger.merge(dir.path() / "s2", 2, "two.tar.zst");
  merger.merge(dir.path() / "s1", 1, "one.tar.zst");
  EXPECT_EQ(read_file(out / "include/rocblas/a.h"), "2");
  EXPECT_EQ(read_file(out / "include/rocblas/b.h"), "1");
}

TEST(FlattenMerger, RefusesToPutADirectoryOverALaterArchivesFile) {
  TempDir dir;
  const fs::path out = dir.path() / "out";
  write_file(dir.path() / "s1/lib/thing", "file");
  write_file(dir.path() / "s0/lib/thing/inner", "dir");
  fs::create_directories(out);
  FlattenMerger merger(out);
  merger.merge(dir.path() / "s1", 1, "one.tar.zst");
  EXPECT_ERROR(merger.merge(dir.path() / "s0", 0, "zero.tar.zst"),
               ArchiveError,
               "cannot flatten zero.tar.zst: " + (out / "lib/thing").string()
                   + " is a file of an archive later in the plan");
  EXPECT_EQ(read_file(out / "lib/thing"), "file");
}

} // namespace
} // namespace rockart::fetch::detail
