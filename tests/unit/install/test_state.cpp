// SPDX-License-Identifier: MIT
// The install state file: round trip, refusal of damaged or unsafe records,
// and the directory checks and deletions of an install.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/install/install.hpp>
#include <rockart/install/state.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rockart::install {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

InstallState sample_state() {
  InstallState state;
  state.source = {"run", "ROCm/TheRock", 123, "abc", "ci.yml", "linux", "s3://b/123-linux"};
  state.group = "gfx94X-dcgpu";
  state.targets = {"gfx942"};
  state.patterns = {"core-runtime_lib", "blas_lib"};
  AppliedArchive& a = state.upsert("blas_lib_gfx942.tar.zst");
  a.digest = "sha256:aa";
  a.complete = true;
  a.paths = {"lib/librocblas.so", "lib/rocblas/library/x.dat"};
  a.sequence = 2;
  AppliedArchive& b = state.upsert("base_lib_generic.tar.zst");
  b.digest = "etag:e:10";
  b.stale = {"lib/old.so"};
  b.sequence = 1;
  state.next_sequence = 3;
  return state;
}

TEST(InstallState, RoundTripsThroughTheFile) {
  TempDir dir;
  const auto state = sample_state();
  EXPECT_EQ(state.archives.front().name, "base_lib_generic.tar.zst"); // kept sorted by name
  write_state(dir.path(), state);
  EXPECT_TRUE(fs::exists(dir.path() / ".rockart" / "install-manifest.json"));
  const auto back = read_state(dir.path());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, state);
  const auto doc = nlohmann::json::parse(test::read_file(state_path(dir.path())));
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["source"]["run_id"], 123);
}

TEST(InstallState, NoFileIsNoInstall) {
  TempDir dir;
  EXPECT_FALSE(read_state(dir.path()).has_value());
}

TEST(InstallState, ADamagedFileSaysSoAndSuggestsClean) {
  TempDir dir;
  write_file(state_path(dir.path()), "{not json");
  try {
    read_state(dir.path());
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("install-manifest.json"), std::string::npos);
    EXPECT_NE(e.hint().find("--clean"), std::string::npos);
  }
}

TEST(InstallState, RefusesOtherSchemasMissingFieldsAndPathsOutsideTheTree) {
  auto doc = nlohmann::json::parse(to_json(sample_state()));
  auto with = [&](auto change) {
    auto copy = doc;
    change(copy);
    return copy.dump();
  };
  EXPECT_ERROR(
      from_json(with([](auto& d) { d["schema_version"] = 2; })), ConfigError, "schema_version 2");
  EXPECT_ERROR(from_json(with([](auto& d) { d.erase("group"); })), ConfigError, "has no 'group'");
  EXPECT_ERROR(from_json(with([](auto& d) { d["archives"][0]["paths"] = {"../etc/passwd"}; })),
               ConfigError,
               "not inside the install directory");
  EXPECT_ERROR(from_json(with([](auto& d) { d["archives"][0]["stale"] = {"/etc/passwd"}; })),
               ConfigError,
               "not inside the install directory");
  EXPECT_ERROR(
      from_json(with([](auto& d) { d["archives"][1]["name"] = d["archives"][0]["name"]; })),
      ConfigError,
      "recorded twice");
}

TEST(TargetKind, FreshInstalledOrForeign) {
  TempDir dir;
  EXPECT_EQ(target_kind(dir.path() / "absent"), TargetKind::fresh);
  fs::create_directories(dir.path() / "empty");
  EXPECT_EQ(target_kind(dir.path() / "empty"), TargetKind::fresh);
  write_file(dir.path() / "theirs" / "notes.txt", "mine");
  EXPECT_EQ(target_kind(dir.path() / "theirs"), TargetKind::foreign);
  write_state(dir.path() / "ours", sample_state());
  EXPECT_EQ(target_kind(dir.path() / "ours"), TargetKind::installed);
  write_file(dir.path() / "file", "x");
  EXPECT_ERROR(target_kind(dir.path() / "file"), UsageError, "is not a directory");
}

TEST(DeletePaths, DeletesFilesAndEmptiedDirectoriesOnly) {
  TempDir dir;
  const fs::path out = dir.path() / "out";
  write_file(out / "lib/rocblas/library/x.dat", "x");
  write_file(out / "lib/librocblas.so", "so");
  write_file(out / "lib/user-notes.txt", "mine"); // not recorded: stays, and so does lib/
  write_file(out / "bin/tool", "t");
  fs::create_symlink("tool", out / "bin/link");
  write_state(out, sample_state());
  const std::size_t deleted = delete_paths(
      out, {"lib/rocblas/library/x.dat", "lib/librocblas.so", "bin/link", "bin/tool", "gone"});
  EXPECT_EQ(deleted, 4u);
  EXPECT_FALSE(fs::exists(out / "lib/rocblas"));
  EXPECT_FALSE(fs::exists(out / "bin"));
  EXPECT_EQ(test::read_file(out / "lib/user-notes.txt"), "mine");
  EXPECT_TRUE(fs::exists(state_path(out)));
}

TEST(DeletePaths, NeverFollowsASymlinkedDirectory) {
  TempDir dir;
  const fs::path out = dir.path() / "out";
  write_file(dir.path() / "elsewhere/keep.so", "keep");
  fs::create_directories(out);
  fs::create_directory_symlink(dir.path() / "elsewhere", out / "lib");
  EXPECT_EQ(delete_paths(out, {"lib/keep.so"}), 0u);
  EXPECT_EQ(test::read_file(dir.path() / "elsewhere/keep.so"), "keep");
}

TEST(Wipe, EmptiesTheDirectory) {
  TempDir dir;
  write_file(dir.path() / "out/a/b", "x");
  write_file(dir.path() / "out/c", "x");
  wipe(dir.path() / "out");
  EXPECT_TRUE(fs::is_empty(dir.path() / "out"));
}

} // namespace
} // namespace rockart::install
