// SPDX-License-Identifier: MIT
// The cache's store of extracted trees: publish and find, read-only files,
// verification against the manifest, placing by hard link or copy, and the
// size cap evicting trees before blobs.
#include "support/support.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/cache/tree_store.hpp>
#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace rockart::cache {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;

const std::string k_sha(64, 'a');

// A staged tree: lib/libx.so.1 (0755), its symlink, share/doc/README.
fs::path stage(TreeStore& store) {
  const fs::path staged = store.make_staging();
  write_file(staged / "lib/libx.so.1", "elf");
  fs::permissions(staged / "lib/libx.so.1",
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  fs::create_symlink("libx.so.1", staged / "lib/libx.so");
  write_file(staged / "share/doc/README", "read me");
  return staged;
}

struct ::stat stat_of(const fs::path& path) {
  struct ::stat st {};

  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

TEST(TreeStore, APublishedTreeIsFoundWithItsManifestAndIsReadOnly) {
  TempDir dir;
  TreeStore store(dir.path());
  EXPECT_FALSE(store.find(k_sha).has_value());
  const Tree tree = store.publish(stage(store), k_sha);
  EXPECT_EQ(tree.paths(),
            (std::vector<std::string>{"lib/libx.so", "lib/libx.so.1", "share/doc/README"}));
  EXPECT_EQ(tree.bytes, 10u);
  const auto found = store.find(k_sha);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->entries, tree.entries);
  // No write bit: a hard-linked install cannot change the store through its path.
  EXPECT_EQ(stat_of(tree.root / "lib/libx.so.1").st_mode & 0777, 0550u);
  EXPECT_EQ(stat_of(tree.root / "share/doc/README").st_mode & 0222, 0u);
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_TRUE(store.verify(k_sha));
}

TEST(TreeStore, VerifyCatchesAChangedFileAndRemovesTheTree) {
  TempDir dir;
  TreeStore store(dir.path());
  const Tree tree = store.publish(stage(store), k_sha);
  const fs::path readme = tree.root / "share/doc/README";
  fs::permissions(readme, fs::perms::owner_write, fs::perm_options::add);
  write_file(readme, "read mE");
  EXPECT_FALSE(store.verify(k_sha));
  EXPECT_FALSE(store.find(k_sha).has_value());
  EXPECT_FALSE(fs::exists(tree.root));
}

TEST(TreeStore, ADamagedManifestIsATreeNotThere) {
  TempDir dir;
  TreeStore store(dir.path());
  store.publish(stage(store), k_sha);
  write_file(store.root() / (k_sha + ".json"), "{");
  EXPECT_FALSE(store.find(k_sha).has_value());
  EXPECT_FALSE(fs::exists(store.root() / k_sha));
}

TEST(PlaceTree, HardLinksShareTheStoresReadOnlyInodes) {
  TempDir dir;
  TreeStore store(dir.path() / "cache");
  const Tree tree = store.publish(stage(store), k_sha);
  const fs::path out = dir.path() / "out";
  fs::create_directories(out);
  const PlaceReport report = place_tree(tree, out, LinkMode::hardlink);
  EXPECT_EQ(report.files, 2u);
  EXPECT_EQ(report.hardlinked, 2u);
  EXPECT_EQ(stat_of(out / "lib/libx.so.1").st_ino, stat_of(tree.root / "lib/libx.so.1").st_ino);
  EXPECT_EQ(fs::read_symlink(out / "lib/libx.so"), "libx.so.1");
  EXPECT_EQ(read_file(out / "share/doc/README"), "read me");
  // Placing again over the same links leaves no temporary behind.
  place_tree(tree, out, LinkMode::hardlink);
  std::size_t entries = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 6u); // lib, lib/libx.so, lib/libx.so.1, share, share/doc, share/doc/README
}

TEST(PlaceTree, CopiesAreNewWritableFilesWithTheArchivesModes) {
  TempDir dir;
  TreeStore store(dir.path() / "cache");
  const Tree tree = store.publish(stage(store), k_sha);
  const fs::path out = dir.path() / "out";
  fs::create_directories(out);
  write_file(out / "share/doc/README", "old"); // replaced
  const PlaceReport report = place_tree(tree, out, LinkMode::copy);
  EXPECT_EQ(report.copied, 2u);
  EXPECT_NE(stat_of(out / "lib/libx.so.1").st_ino, stat_of(tree.root / "lib/libx.so.1").st_ino);
  EXPECT_EQ(stat_of(out / "lib/libx.so.1").st_mode & 0777, 0750u);
  EXPECT_EQ(read_file(out / "share/doc/README"), "read me");
}

TEST(PlaceTree, ADirectoryInTheWayOfAFileIsAnArchiveError) {
  TempDir dir;
  TreeStore store(dir.path() / "cache");
  const Tree tree = store.publish(stage(store), k_sha);
  const fs::path out = dir.path() / "out";
  fs::create_directories(out / "share/doc/README");
  EXPECT_ERROR(place_tree(tree, out, LinkMode::auto_), ArchiveError, "is a directory");
}

TEST(LinkMode, ParsesTheFourNames) {
  for (const auto mode : {LinkMode::auto_, LinkMode::reflink, LinkMode::hardlink, LinkMode::copy}) {
    EXPECT_EQ(parse_link_mode(to_string(mode)), mode);
  }
  EXPECT_ERROR(parse_link_mode("symlink"), UsageError, "unknown link mode 'symlink'");
}

TEST(CacheGc, TreesGoBeforeBlobsAndCountTowardTheCap) {
  TempDir dir;
  Cache cache = Cache::open({dir.path(), 1ULL << 30, system_now, std::chrono::hours(1)});
  const std::string content(100, 'x');
  auto got = cache.acquire_blob(util::sha256_hex(content));
  ASSERT_TRUE(got.writer);
  got.writer->write(content);
  cache.commit_blob(*got.writer);
  cache.trees().publish(stage(cache.trees()), k_sha); // 10 bytes
  const GcReport report = cache.gc(105);
  EXPECT_EQ(report.evicted_trees, std::vector<std::string>{k_sha});
  EXPECT_TRUE(report.evicted.empty());
  EXPECT_EQ(report.bytes_kept, 100u);
  EXPECT_FALSE(cache.trees().find(k_sha).has_value());
}

TEST(CacheVerify, ChecksTheExtractedTreesToo) {
  TempDir dir;
  Cache cache = Cache::open({dir.path(), 1ULL << 30, system_now, std::chrono::hours(1)});
  const Tree tree = cache.trees().publish(stage(cache.trees()), k_sha);
  EXPECT_EQ(cache.verify_all().trees_checked, 1u);
  ::chmod((tree.root / "lib/libx.so.1").c_str(), 0700);
  write_file(tree.root / "lib/libx.so.1", "ELF");
  const VerifyReport report = cache.verify_all();
  EXPECT_EQ(report.corrupt_trees, std::vector<std::string>{k_sha});
}

} // namespace
} // namespace rockart::cache
