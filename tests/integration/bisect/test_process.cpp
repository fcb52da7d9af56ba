// SPDX-License-Identifier: MIT
// The real process runner: exit codes, signals, environment, PATH lookup in
// the child's environment, working directory, stdout routing, SIGINT
// forwarding, timeouts that kill the whole process group, output matching.
#include "support/support.hpp"

#include <rockart/bisect/driver.hpp>
#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace rockart::bisect {
namespace {

using namespace std::chrono_literals;

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
  EXPECT_EQ(judge(run_sh("exit 125"), {}).outcome, TestOutcome::skip);
}

TEST(BisectProcess, ReportsFatalSignals) {
  const ProcessStatus status = run_sh("kill -KILL $$");
  EXPECT_EQ(status.signal, std::optional<int>(SIGKILL));
  EXPECT_FALSE(status.exit_code);
  EXPECT_EQ(judge(status, {}).outcome, TestOutcome::abort);
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
  EXPECT_EQ(judge(status, {}).outcome, TestOutcome::abort);
  // The handler is gone afterwards: the next run is not marked interrupted.
  EXPECT_FALSE(run_sh("exit 0").interrupted);
}

// Whether `pid` stops running within `limit` (a SIGKILL is delivered
// asynchronously: the process dies when next scheduled).
bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (test::process_running(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

pid_t read_pid(const std::filesystem::path& file) {
  return static_cast<pid_t>(std::stol(test::read_file(file)));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(BisectProcess, TimeoutKillsTheWholeProcessGroup) {
  test::TempDir dir;
  const auto main_pid = dir.path() / "main";
  const auto grandchild = dir.path() / "grandchild";
  RunOptions options;
  options.timeout = 300ms;
  options.kill_grace = 3s;
  const auto started = std::chrono::steady_clock::now();
  // The test sleeps "forever" and so does the grandchild it started.
  const auto status =
      run_test_command({"sh",
                        "-c",
                        "echo $$ > \"$1\"; sleep 1000 & echo $! > \"$2\"; sleep 1000",
                        "sh",
                        main_pid.string(),
                        grandchild.string()},
                       k_env,
                       options);
  const double seconds = seconds_since(started);
  EXPECT_EQ(status.timed_out, std::optional(std::chrono::milliseconds(300)));
  EXPECT_EQ(status.signal, std::optional<int>(SIGTERM));
  EXPECT_GE(seconds, 0.3);
  EXPECT_LT(seconds, 0.3 + 1.5) << "SIGTERM ended the group: no wait for the grace";
  EXPECT_FALSE(test::process_running(read_pid(main_pid)));
  EXPECT_FALSE(test::process_running(read_pid(grandchild)));
  const auto judged = judge(status, {});
  EXPECT_EQ(judged.outcome, TestOutcome::bad);
  EXPECT_EQ(judged.reason, "CMD timed out after 300ms (its process group was killed)");
}

TEST(BisectProcess, TimeoutSendsSigkillAfterTheGraceToWhatIgnoresSigterm) {
  test::TempDir dir;
  const auto grandchild = dir.path() / "grandchild";
  RunOptions options;
  options.timeout = 300ms;
  options.kill_grace = 1s;
  const auto started = std::chrono::steady_clock::now();
  // CMD itself dies of the SIGTERM; its grandchild ignores it.
  const auto status =
      run_test_command({"sh",
                        "-c",
                        "(trap '' TERM; exec sleep 1000) & echo $! > \"$1\"; sleep 1000",
                        "sh",
                        grandchild.string()},
                       k_env,
                       options);
  const double seconds = seconds_since(started);
  EXPECT_TRUE(status.timed_out);
  EXPECT_GE(seconds, 0.3 + 1.0 - 0.05);
  EXPECT_LT(seconds, 0.3 + 1.0 + 1.5);
  EXPECT_TRUE(gone_within(read_pid(grandchild), 500ms));
}

TEST(BisectProcess, NoTimeoutBeforeTheLimit) {
  RunOptions options;
  options.timeout = 10s;
  const auto status = run_test_command({"sh", "-c", "sleep 0.2; exit 3"}, k_env, options);
  EXPECT_EQ(status.exit_code, std::optional<int>(3));
  EXPECT_FALSE(status.timed_out);
}

TEST(BisectProcess, CrashSignalsAreBad) {
  for (const char* name : {"SEGV", "ABRT", "BUS", "ILL", "FPE"}) {
    const auto status = run_sh(std::string("ulimit -c 0; kill -") + name + " $$");
    ASSERT_TRUE(status.signal) << name;
    EXPECT_TRUE(is_crash_signal(*status.signal)) << name;
    EXPECT_EQ(judge(status, {}).outcome, TestOutcome::bad) << name;
  }
  const auto segv = run_sh("ulimit -c 0; kill -SEGV $$");
  EXPECT_EQ(segv.signal, std::optional<int>(SIGSEGV));
  EXPECT_EQ(judge(segv, {}).reason, "CMD was killed by signal 11 (SIGSEGV)");
  TestRules skip;
  skip.crash_verdict = TestOutcome::skip;
  EXPECT_EQ(judge(segv, skip).outcome, TestOutcome::skip);
}

TEST(BisectProcess, OutputIsCopiedToStderrAndMatchedWithoutWaitingForLeftovers) {
  test::TempDir dir;
  const auto leftover = dir.path() / "leftover";
  TestRules rules;
  rules.skip_if = "no GPU found";
  rules.bad_if = "mismatch";
  ProcessTestRunner runner(rules);
  TestRequest request;
  // stdout and stderr both matched; a background sleep keeps the pipe open.
  request.argv = {"sh",
                  "-c",
                  "echo checking; echo 'error: no GPU found' >&2; sleep 30 & echo $! > \"$1\"",
                  "sh",
                  leftover.string()};
  request.env = k_env;
  ProcessStatus status;
  const auto started = std::chrono::steady_clock::now();
  const std::string captured =
      capture_stderr(dir.path() / "err.txt", [&] { status = runner.run(request); });
  EXPECT_LT(seconds_since(started), 10.0);
  ::kill(read_pid(leftover), SIGKILL);
  EXPECT_EQ(captured, "checking\nerror: no GPU found\n");
  EXPECT_EQ(status.exit_code, std::optional<int>(0));
  EXPECT_EQ(status.matches.skip_if, std::optional<std::string>("error: no GPU found"));
  EXPECT_FALSE(status.matches.bad_if);
  EXPECT_EQ(judge(status, rules).outcome, TestOutcome::skip);
  // --bad-if where the exit status says good.
  rules.skip_if.clear();
  ProcessTestRunner bad_if(rules);
  request.argv = {"sh", "-c", "printf 'step 1 ok\\nresult mismatch at 7'; exit 0"};
  capture_stderr(dir.path() / "err2.txt", [&] { status = bad_if.run(request); });
  EXPECT_EQ(status.matches.bad_if, std::optional<std::string>("result mismatch at 7"));
  EXPECT_EQ(judge(status, rules).outcome, TestOutcome::bad);
}

TEST(BisectProcess, ForwardsSigintToTheWholeProcessGroup) {
  test::TempDir dir;
  const auto grandchild = dir.path() / "grandchild";
  // A background job of sh ignores SIGINT; env --default-signal undoes that,
  // and the signal sent to rockart reaches the grandchild through the group.
  const ProcessStatus status = run_test_command({"sh",
                                                 "-c",
                                                 "env --default-signal=INT sleep 30 & echo $! > "
                                                 "\"$1\"; sleep 0.2; kill -INT $PPID; wait $!",
                                                 "sh",
                                                 grandchild.string()},
                                                k_env);
  EXPECT_TRUE(status.interrupted);
  EXPECT_TRUE(gone_within(read_pid(grandchild), 2000ms));
  EXPECT_EQ(judge(status, {}).outcome, TestOutcome::abort);
}

} // namespace
} // namespace rockart::bisect
