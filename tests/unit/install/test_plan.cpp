// SPDX-License-Identifier: MIT
// The incremental install plan: keep / add / update / remove by (name, digest),
// restores of shared paths, and what is deleted afterwards.
#include "support/support.hpp"

#include <rockart/install/plan.hpp>

#include <gtest/gtest.h>

namespace rockart::install {
namespace {

using Names = std::vector<std::string>;

AppliedArchive record(std::string name,
                      std::string digest,
                      std::uint64_t sequence,
                      Names paths,
                      bool complete = true) {
  AppliedArchive a;
  a.name = std::move(name);
  a.digest = std::move(digest);
  a.sequence = sequence;
  a.paths = std::move(paths);
  a.complete = complete;
  return a;
}

InstallState state_of(std::vector<AppliedArchive> archives) {
  InstallState state;
  for (auto& a : archives) {
    state.upsert(a.name) = a;
  }
  state.next_sequence = 100;
  return state;
}

TEST(InstallPlan, AFirstInstallAddsEverything) {
  const auto plan = plan_install({}, {{"b.tar.zst", "sha256:b"}, {"a.tar.zst", "sha256:a"}});
  EXPECT_EQ(plan.add, (Names{"a.tar.zst", "b.tar.zst"}));
  EXPECT_TRUE(plan.keep.empty());
  EXPECT_EQ(plan.apply_order(), (Names{"a.tar.zst", "b.tar.zst"}));
  EXPECT_EQ(plan_line(plan), "Install plan: keep 0, add 2, update 0, remove 0");
}

TEST(InstallPlan, SameNameAndDigestIsKeptOtherwiseUpdated) {
  const auto state = state_of({record("a.tar.zst", "sha256:a", 1, {"lib/a.so"}),
                               record("b.tar.zst", "sha256:b", 2, {"lib/b.so"}),
                               record("c.tar.zst", "sha256:c", 3, {"lib/c.so"})});
  const auto plan = plan_install(
      state, {{"a.tar.zst", "sha256:a"}, {"b.tar.zst", "sha256:B"}, {"d.tar.zst", "sha256:d"}});
  EXPECT_EQ(plan.keep, Names{"a.tar.zst"});
  EXPECT_EQ(plan.update, Names{"b.tar.zst"});
  EXPECT_EQ(plan.add, Names{"d.tar.zst"});
  EXPECT_EQ(plan.remove, Names{"c.tar.zst"});
  EXPECT_TRUE(plan.restore.empty()); // nothing shared
  EXPECT_EQ(plan.apply_order(), (Names{"b.tar.zst", "d.tar.zst"}));
  EXPECT_EQ(plan_line(plan), "Install plan: keep 1, add 1, update 1, remove 1");
}

TEST(InstallPlan, TheSameArchivesAgainChangeNothing) {
  const auto state = state_of({record("a.tar.zst", "sha256:a", 1, {"lib/a.so"})});
  const auto plan = plan_install(state, {{"a.tar.zst", "sha256:a"}});
  EXPECT_TRUE(plan.changes_nothing());
  EXPECT_TRUE(plan.apply_order().empty());
}

TEST(InstallPlan, AnIncompleteRecordIsRedone) {
  const auto state = state_of({record("a.tar.zst", "sha256:a", 1, {}, false)});
  EXPECT_EQ(plan_install(state, {{"a.tar.zst", "sha256:a"}}).update, Names{"a.tar.zst"});
  EXPECT_EQ(plan_install(state, {}).remove, Names{"a.tar.zst"});
}

TEST(InstallPlan, ARemovedArchiveAppliedLaterRestoresTheKeptCopyOfASharedPath) {
  // blas went in after core and wrote over share/doc/LICENSE; removing blas
  // must bring core's copy back, not leave blas's.
  const auto state =
      state_of({record("core.tar.zst", "sha256:c", 1, {"lib/core.so", "share/doc/LICENSE"}),
                record("blas.tar.zst", "sha256:b", 2, {"lib/blas.so", "share/doc/LICENSE"})});
  const auto plan = plan_install(state, {{"core.tar.zst", "sha256:c"}});
  EXPECT_EQ(plan.remove, Names{"blas.tar.zst"});
  EXPECT_EQ(plan.restore, Names{"core.tar.zst"});
  EXPECT_EQ(plan.apply_order(), Names{"core.tar.zst"});
  EXPECT_EQ(plan_line(plan), "Install plan: keep 1, add 0, update 0, remove 1, restore 1");
}

TEST(InstallPlan, ARemovedArchiveAppliedEarlierRestoresNothing) {
  const auto state =
      state_of({record("blas.tar.zst", "sha256:b", 1, {"lib/blas.so", "share/doc/LICENSE"}),
                record("core.tar.zst", "sha256:c", 2, {"lib/core.so", "share/doc/LICENSE"})});
  EXPECT_TRUE(plan_install(state, {{"core.tar.zst", "sha256:c"}}).restore.empty());
}

TEST(InstallPlan, ARestoreCascadesToLaterKeptArchivesSharingItsPaths) {
  // a(1) and c(3) share x; b(2) shares y with a; removing d(4), which shares
  // only with a, restores a, whose re-application would beat c on x: c too.
  const auto state = state_of({record("a.tar.zst", "1", 1, {"x", "y", "z"}),
                               record("b.tar.zst", "2", 2, {"y"}),
                               record("c.tar.zst", "3", 3, {"x"}),
                               record("d.tar.zst", "4", 4, {"z"})});
  const auto plan =
      plan_install(state, {{"a.tar.zst", "1"}, {"b.tar.zst", "2"}, {"c.tar.zst", "3"}});
  EXPECT_EQ(plan.restore, (Names{"a.tar.zst", "b.tar.zst", "c.tar.zst"}));
}

TEST(InstallPlan, AnUpdatedArchiveRestoresEarlierSharersBeforeItIsApplied) {
  const auto state = state_of({record("core.tar.zst", "c", 1, {"share/LICENSE"}),
                               record("blas.tar.zst", "b1", 2, {"share/LICENSE"})});
  const auto plan = plan_install(state, {{"core.tar.zst", "c"}, {"blas.tar.zst", "b2"}});
  EXPECT_EQ(plan.update, Names{"blas.tar.zst"});
  EXPECT_EQ(plan.apply_order(), (Names{"core.tar.zst", "blas.tar.zst"}));
}

TEST(PathsToDelete, OnlyWhatNoRemainingRecordHolds) {
  auto state = state_of({record("core.tar.zst", "c", 1, {"lib/core.so", "share/LICENSE"}),
                         record("blas.tar.zst", "b", 2, {"lib/blas.so", "share/LICENSE"}),
                         record("fft.tar.zst", "f", 3, {"lib/fft.so"})});
  state.find("fft.tar.zst")->stale = {"lib/fft-old.so", "lib/core.so"};
  EXPECT_EQ(paths_to_delete(state, {"blas.tar.zst"}),
            (Names{"lib/blas.so", "lib/fft-old.so"})); // LICENSE and core.so are still held
  EXPECT_EQ(paths_to_delete(state, {"blas.tar.zst", "core.tar.zst"}),
            (Names{"lib/blas.so", "lib/core.so", "lib/fft-old.so", "share/LICENSE"}));
}

} // namespace
} // namespace rockart::install
