// SPDX-License-Identifier: MIT
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/util/scratch.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace rockart::util {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_prefix = ".rockart-staging-";

TEST(ScratchDir, IsNamedByItsOwnerAndRemovedWithItsContent) {
  test::TempDir parent;
  fs::path made;
  {
    ScratchDir scratch(parent.path(), k_prefix);
    made = scratch.path();
    EXPECT_EQ(made.parent_path(), parent.path());
    EXPECT_TRUE(made.filename().string().starts_with(std::string(k_prefix)
                                                     + std::to_string(::getpid()) + "-"))
        << made;
    test::write_file(made / "a/b.txt", "x");
  }
  EXPECT_FALSE(fs::exists(made));
}

TEST(ScratchDir, ThrowsAnIoErrorWhenTheParentIsMissing) {
  test::TempDir parent;
  EXPECT_THROW(ScratchDir(parent.path() / "missing", k_prefix), LocalIoError);
}

TEST(RemoveOrphanedScratch, TakesOnlyWhatADeadOwnerLeft) {
  test::TempDir parent;
  const fs::path orphan =
      parent.path() / (std::string(k_prefix) + std::to_string(test::dead_pid()) + "-aaaaaa");
  test::write_file(orphan / "lib/libx.so", "partial");
  // Its name says dead, but someone holds its lock (another host sharing the directory).
  const fs::path locked =
      parent.path() / (std::string(k_prefix) + std::to_string(test::dead_pid()) + "-bbbbbb");
  fs::create_directories(locked);
  const int lock = ::open(locked.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(::flock(lock, LOCK_EX), 0);
  // A name without a pid, fresh: left for an hour.
  const fs::path unnamed = parent.path() / (std::string(k_prefix) + "cccccc");
  fs::create_directories(unnamed);
  // Another prefix, and a plain file with the prefix: not ours to take.
  const fs::path other = parent.path() / ".rockart-spill-1-dddddd";
  fs::create_directories(other);
  test::write_file(parent.path() / (std::string(k_prefix) + "1-file"), "x");
  ScratchDir live(parent.path(), k_prefix); // this process's own

  EXPECT_EQ(remove_orphaned_scratch(parent.path(), k_prefix), 1u);
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(locked));
  EXPECT_TRUE(fs::exists(unnamed));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(live.path()));
  ::close(lock);
  EXPECT_EQ(remove_orphaned_scratch(parent.path(), k_prefix), 1u); // the lock is free now
  EXPECT_FALSE(fs::exists(locked));
}

TEST(RemoveOrphanedScratch, AMissingParentIsNoError) {
  test::TempDir parent;
  EXPECT_EQ(remove_orphaned_scratch(parent.path() / "missing", k_prefix), 0u);
}

TEST(RegisteredScratch, IsRemovedOnDemandAndForgottenOnceDone) {
  test::TempDir parent;
  const fs::path file = parent.path() / ".x.rockart-tmp-1-1";
  test::write_file(file, "half");
  register_scratch(file);
  const fs::path kept = parent.path() / "kept";
  test::write_file(kept, "done");
  register_scratch(kept);
  forget_scratch(kept);
  EXPECT_EQ(remove_registered_scratch(), 1u);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(kept));
  EXPECT_EQ(remove_registered_scratch(), 0u);
}

} // namespace
} // namespace rockart::util
