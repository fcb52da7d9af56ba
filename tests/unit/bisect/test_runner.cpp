// SPDX-License-Identifier: MIT
// The test-command contract: outcome → verdict, and CMD's environment.
#include "support/support.hpp"

#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

namespace rockart::bisect {
namespace {

TEST(BisectRunner, OutcomeToVerdict) {
  EXPECT_EQ(verdict_from_outcome(TestOutcome::good), Verdict::good);
  EXPECT_EQ(verdict_from_outcome(TestOutcome::bad), Verdict::bad);
  EXPECT_EQ(verdict_from_outcome(TestOutcome::skip), Verdict::skip);
  EXPECT_FALSE(verdict_from_outcome(TestOutcome::abort));
}

TEST(BisectRunner, ParseEnvironment) {
  const Environment env =
      parse_environment({"HOME=/home/u", "EMPTY=", "NOEQUALS", "=novalue", "A=1=2", "HOME=/other"});
  EXPECT_EQ(env, (Environment{{"HOME", "/home/u"}, {"EMPTY", ""}, {"A", "1=2"}}));
}

TEST(BisectRunner, TestEnvironmentPrependsTheTree) {
  const Environment base = {{"PATH", "/usr/bin:/bin"},
                            {"LD_LIBRARY_PATH", "/opt/old/lib"},
                            {"ROCM_PATH", "/opt/rocm"},
                            {"HOME", "/home/u"}};
  const Environment env = build_test_environment(
      base, {"050e88ee710f0d8580e2df31425c9fd03e8f1a77", 20784068010, "/c/050e/linux/g/install"});
  const Environment expected = {
      {"HOME", "/home/u"},
      {"PATH", "/c/050e/linux/g/install/bin:/usr/bin:/bin"},
      {"LD_LIBRARY_PATH", "/c/050e/linux/g/install/lib:/opt/old/lib"},
      {"ROCM_PATH", "/c/050e/linux/g/install"},
      {"ROCKART_ARTIFACTS_DIR", "/c/050e/linux/g/install"},
      {"ROCKART_COMMIT", "050e88ee710f0d8580e2df31425c9fd03e8f1a77"},
      {"ROCKART_RUN_ID", "20784068010"},
  };
  EXPECT_EQ(env, expected);
}

TEST(BisectRunner, TestEnvironmentWithoutPathsOrRunId) {
  // No trailing ':' (which would put the current directory on PATH) and no
  // stale run id from the caller.
  const Environment env = build_test_environment({{"LD_LIBRARY_PATH", ""}, {"ROCKART_RUN_ID", "1"}},
                                                 {"abc", std::nullopt, "/t"});
  EXPECT_EQ(env.at("PATH"), "/t/bin");
  EXPECT_EQ(env.at("LD_LIBRARY_PATH"), "/t/lib");
  EXPECT_EQ(env.count("ROCKART_RUN_ID"), 0u);
}

TEST(BisectRunner, ResolveCommand) {
  EXPECT_EQ(resolve_command("./check.sh", "/nowhere"), "./check.sh");
  EXPECT_EQ(resolve_command("sh", "/nonexistent-dir::/bin:/usr/bin"), "/bin/sh");
  EXPECT_ERROR(resolve_command("no-such-tool-xyz", "/bin:/usr/bin"),
               UsageError,
               "test command 'no-such-tool-xyz' was not found in PATH (/bin:/usr/bin)");
  EXPECT_ERROR(resolve_command("", "/bin"), UsageError, "the test command is empty");
}

} // namespace
} // namespace rockart::bisect
