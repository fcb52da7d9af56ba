// SPDX-License-Identifier: MIT
// Running the user's test command for one commit: the exit
// status contract of `git bisect run`, the environment CMD sees, and the
// process runner itself.
#pragma once

#include <rockart/bisect/state.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rockart::bisect {

// How a test command ended.
struct ProcessStatus {
  std::optional<int> exit_code; // set when it exited normally
  std::optional<int> signal;    // set when a signal killed it
  bool interrupted = false;     // rockart got SIGINT/SIGTERM while it ran
};

// What the session does with a test result.
enum class TestOutcome { good, bad, skip, abort };

// `git bisect run` contract: exit 0 good, 125 skip, 1–127 bad; exit ≥ 128, a
// fatal signal, or an interrupt of rockart itself aborts the session.
TestOutcome outcome_from_status(const ProcessStatus& status);

// The verdict for `outcome`; nullopt for abort.
std::optional<Verdict> verdict_from_outcome(TestOutcome outcome);

// Short text for logs and the verdict reason: "CMD exited with 125",
// "CMD was killed by signal 9 (SIGKILL)", "... (rockart was interrupted)".
std::string describe_status(const ProcessStatus& status);

// An environment as a map (name → value).
using Environment = std::map<std::string, std::string>;

// Parses `NAME=value` entries (as in `environ`); entries without '=' are
// ignored and the first of duplicate names wins.
Environment parse_environment(const std::vector<std::string>& entries);

// This process's environment, parsed as parse_environment does.
Environment process_environment();

// What CMD needs to know about the commit under test.
struct TestContext {
  std::string commit;                  // full SHA
  std::optional<std::int64_t> run_id;  // the CI run whose artifacts are used
  std::filesystem::path artifacts_dir; // the flattened install tree
};

// `base` plus ROCKART_COMMIT, ROCKART_RUN_ID (removed when unknown),
// ROCKART_ARTIFACTS_DIR and ROCM_PATH (= the tree), with `{tree}/bin`
// prepended to PATH and `{tree}/lib` to LD_LIBRARY_PATH (no empty entries).
Environment build_test_environment(const Environment& base, const TestContext& context);

// The file `command` (argv[0]) runs: itself when it contains '/', else the
// first executable `{dir}/{command}` of `path_value` (':'-separated).
// Throws UsageError when there is none.
std::filesystem::path resolve_command(const std::string& command, const std::string& path_value);

struct RunOptions {
  std::filesystem::path working_dir; // empty: rockart's current directory
  bool stdout_to_stderr = true;      // keep rockart's stdout for results only
};

// Runs `argv` with exactly `env` (argv[0] resolved through env's PATH), waits
// for it and returns how it ended. SIGINT/SIGTERM sent to rockart by another
// process is forwarded to the child (a terminal's ^C already reaches both);
// either marks the status interrupted. Throws UsageError for an empty or
// unknown command, LocalIoError when the process cannot be started.
ProcessStatus run_test_command(const std::vector<std::string>& argv,
                               const Environment& env,
                               const RunOptions& options = {});

} // namespace rockart::bisect
