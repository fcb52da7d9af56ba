// SPDX-License-Identifier: MIT
// The real process runner: exit codes, signals, environment, PATH lookup in
// the child's environment, working directory, stdout routing, SIGINT forwarding.
#include "support/support.hpp"

#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

namespace rockart::bisect {
namespace {

const Environment k_env = {{"PATH", "/usr/bin:/bin"}};

ProcessStatus run_sh(const std::string& script, const Environment& env = k_env) {
  return run_test_command({"sh", "-c", script}, env);
}

TEST(BisectProcess, ReportsExitCodes) {
  for (const int code : {0, 1, 3, 125, 127, 128, 200}) {
    const ProcessStatus status = run_sh("exit " + std::to_string(code));
    ASSERT_TRUE(status.exit_code) << code;
    EXPECT_EQ(*status.exit_code, code);
    EXPECT_FALSE(status.signal);
    EXPECT_FALSE(status.interrupted);
  }
  EXPECT_EQ(outcome_from_status(run_sh("exit 125")), TestOutcome::skip);
}

TEST(BisectProcess, ReportsFatalSignals) {
  const ProcessStatus status = run_sh("kill -KILL $$");
  EXPECT_EQ(status.signal, std::optional<int>(SIGKILL));
  EXPECT_FALSE(status.exit_code);
  EXPECT_EQ(outcome_from_status(status), TestOutcome::abort);
}

TEST(BisectProcess, ChildSeesExactlyTheGivenEnvironment) {
  test::TempDir dir;
  const Environment env = build_test_environment(k_env, {"abc123", 42, dir.path() / "tree"});
  const std::string script =
      "test \"$ROCKART_COMMIT\" = abc123 && test \"$ROCKART_RUN_ID\" = 42"
      " && test \"$ROCM_PATH\" = \"$ROCKART_ARTIFACTS_DIR\" && test -z \"$HOME\""
      " && test \"$PATH\" = \""
      + (dir.path() / "tree" / "bin").string() + ":/usr/bin:/bin\"";
  EXPECT_EQ(run_sh(script, env).exit_code, std::optional<int>(0));
}

TEST(BisectProcess, FindsCommandThroughTheChildsPath) {
  test::TempDir dir;
  const auto bin = dir.path() / "tree" / "bin";
  std::filesystem::create_directories(bin);
  {
    std::ofstream script(bin / "rocm-check");
    script << "#!/bin/sh\nexit 7\n";
  }
  std::filesystem::permissions(bin / "rocm-check", std::filesystem::perms::owner_all);
  const Environment env = build_test_environment(k_env, {"abc", std::nullopt, dir.path() / "tree"});
  EXPECT_EQ(run_test_command({"rocm-check"}, env).exit_code, std::optional<int>(7));
  EXPECT_ERROR(run_test_command({"rocm-check"}, k_env),
               UsageError,
               "test command 'rocm-check' was not found in PATH (/usr/bin:/bin)");
  EXPECT_ERROR(run_test_command({}, k_env), UsageError, "the test command is empty");
}

TEST(BisectProcess, RunsInTheWorkingDirectory) {
  test::TempDir dir;
  RunOptions options;
  options.working_dir = dir.path();
  const auto status = run_test_command({"sh",
                                        "-c",
                                        "test \"$(pwd -P)\" = \"$1\"",
                                        "sh",
                                        std::filesystem::canonical(dir.path()).string()},
                                       k_env,
                                       options);
  EXPECT_EQ(status.exit_code, std::optional<int>(0));
}

// Runs `fn` with rockart's stderr pointed at a file and returns what was written.
template <typename Fn>
std::string capture_stderr(const std::filesystem::path& file, Fn fn) {
  const int saved = ::dup(STDERR_FILENO);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  fn();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BisectProcess, ChildStdoutGoesToStderr) {
  test::TempDir dir;
  const std::string captured = capture_stderr(dir.path() / "err.txt", [] {
    EXPECT_EQ(run_sh("echo from-cmd-stdout").exit_code, std::optional<int>(0));
  });
  EXPECT_EQ(captured, "from-cmd-stdout\n");
}

TEST(BisectProcess, ForwardsSigintSentToRockart) {
  // The child asks the kernel to SIGINT its parent (this test process, as
  // `kill -INT <rockart>` would); the runner forwards it to the child, whose
  // trap exits 42, and reports the interrupt.
  const ProcessStatus status = run_sh(
      "trap 'kill $pid 2>/dev/null; exit 42' INT; sleep 30 & pid=$!; kill -INT $PPID; wait $pid");
  EXPECT_EQ(status.exit_code, std::optional<int>(42));
  EXPECT_TRUE(status.interrupted);
  EXPECT_EQ(outcome_from_status(status), TestOutcome::abort);
  // The handler is gone afterwards: the next run is not marked interrupted.
  EXPECT_FALSE(run_sh("exit 0").interrupted);
}

} // namespace
} // namespace rockart::bisect
