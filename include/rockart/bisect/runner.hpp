// SPDX-License-Identifier: MIT
// Running the user's test command for one commit: the environment CMD
// sees and the process runner itself (its status is judged in verdict.hpp).
#pragma once

#include <rockart/bisect/state.hpp>
#include <rockart/bisect/verdict.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rockart::bisect {

// The verdict for `outcome`; nullopt for abort.
std::optional<Verdict> verdict_from_outcome(TestOutcome outcome);

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

// After a timeout's SIGTERM, how long the process group has before SIGKILL.
inline constexpr std::chrono::milliseconds k_default_kill_grace{5000};

struct RunOptions {
  std::filesystem::path working_dir; // empty: rockart's current directory
  bool stdout_to_stderr = true;      // keep rockart's stdout for results only
  // Set: once it has run this long the process group gets SIGTERM, then
  // SIGKILL after `kill_grace` unless all of it has exited; the status is timed_out.
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds kill_grace = k_default_kill_grace;
  // Set: CMD's stdout and stderr go to one pipe that rockart copies to its
  // stderr and passes here chunk by chunk (called on the waiting thread).
  std::function<void(std::string_view)> on_output;
};

// Runs `argv` with exactly `env` (argv[0] resolved through env's PATH) in a
// process group of its own, waits for it and returns how it ended. Its stdin
// is rockart's, or /dev/null when that is a terminal (a background process
// group reading it would stop). SIGINT, SIGTERM and SIGHUP sent to rockart
// (a terminal's ^C included) are forwarded to the process group and mark the
// status interrupted. When CMD itself exits, what it left running in the
// background is not waited for (nor killed, except on a timeout). Throws
// UsageError for an empty or unknown command, LocalIoError when the process
// cannot be started.
ProcessStatus run_test_command(const std::vector<std::string>& argv,
                               const Environment& env,
                               const RunOptions& options = {});

} // namespace rockart::bisect
