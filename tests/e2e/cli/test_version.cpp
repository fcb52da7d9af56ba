// SPDX-License-Identifier: MIT
// `rockart --version` names the project version and the commit the binary was
// built from; cmake/RockartBuildCommit.cmake, which computes that commit at
// build time, falls back to "unknown" outside git and rewrites its output
// only when the text changes.
#include "support/support.hpp"

#include <rockart/util/version.hpp>

#include <filesystem>
#include <regex>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

const std::string k_script = std::string(ROCKART_SOURCE_DIR) + "/cmake/RockartBuildCommit.cmake";

// Runs the build-commit script as the rockart_build_commit target does.
ProcessResult run_commit_script(const fs::path& source_dir, const fs::path& output) {
  return run_process({"cmake",
                      "-DSOURCE_DIR=" + source_dir.string(),
                      "-DGIT_EXECUTABLE=git",
                      "-DOUTPUT=" + output.string(),
                      "-P",
                      k_script});
}

TEST(Version, NamesTheVersionAndTheCommitOfTheSourceTree) {
  const auto head = run_process({"git", "-C", ROCKART_SOURCE_DIR, "rev-parse", "HEAD"});
  if (head.exit_code != 0 || !fs::exists(fs::path(ROCKART_SOURCE_DIR) / ".git")) {
    GTEST_SKIP() << "the source tree is not a git checkout (or git is missing): " << head.err;
  }
  const std::string full_hash = head.out.substr(0, head.out.find('\n'));
  const auto r = run_rockart({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch match;
  const std::regex form("^rockart (\\S+) \\(git ([0-9a-f]+)\\)\n$");
  ASSERT_TRUE(std::regex_match(r.out, match, form)) << r.out;
  EXPECT_EQ(match[1], util::version());
  const std::string short_hash = match[2];
  EXPECT_GE(short_hash.size(), 7U) << r.out;
  EXPECT_TRUE(full_hash.starts_with(short_hash))
      << r.out << " is not HEAD " << full_hash << " (rebuild after committing)";
}

TEST(Version, CommitScriptFallsBackToUnknownOutsideGit) {
  TempDir dir;
  fs::create_directory(dir.path() / "src");
  const auto r = run_commit_script(dir.path() / "src", dir.path() / "build_commit.cpp");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir.path() / "build_commit.cpp").find("return \"unknown\";"),
            std::string::npos);
}

TEST(Version, CommitScriptLeavesAnUnchangedFileUntouched) {
  TempDir dir;
  fs::create_directory(dir.path() / "src");
  const fs::path output = dir.path() / "build_commit.cpp";
  ASSERT_EQ(run_commit_script(dir.path() / "src", output).exit_code, 0);
  // An old time stamp that a rewrite would replace with the current time.
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(output, old_time);
  ASSERT_EQ(run_commit_script(dir.path() / "src", output).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(output), old_time);
  // A different text is written.
  write_file(output, "stale");
  ASSERT_EQ(run_commit_script(dir.path() / "src", output).exit_code, 0);
  EXPECT_NE(read_file(output), "stale");
}

} // namespace
} // namespace rockart::test
