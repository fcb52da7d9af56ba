// SPDX-License-Identifier: MIT
// Running a helper program (`gh`, `git`) without a shell, behind an injectable
// function so token resolution and commit resolution are testable.
#pragma once

#include <rockart/util/env.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// What a finished program produced. `started` is false when it could not be
// run at all (not found, not executable) or timed out.
struct CommandResult {
  bool started = false;
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (an absolute path or a name found on PATH) with `argv`, no
// shell, stdin from /dev/null, in the current directory.
using CommandRunner = std::function<CommandResult(const std::vector<std::string>& argv)>;

// The first executable file `name` in the ':'-separated `path_value`, or nullopt.
std::optional<std::string> find_executable(std::string_view name, std::string_view path_value);

// Runs `argv` with posix_spawn (argv[0] looked up on the process PATH when it has
// no '/'), capturing stdout and stderr, killing it after `timeout`.
// Never throws for a program that fails; `started` is false when it could not run.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// run_command with its default timeout: the CommandRunner of the real process.
CommandResult run_process(const std::vector<std::string>& argv);

} // namespace rockart::github
