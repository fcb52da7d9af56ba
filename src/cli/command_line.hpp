// SPDX-License-Identifier: MIT
// Checks a command line against the command tree before CLI11 parses it, so a
// typo gets "did you mean …" instead of CLI11's "A subcommand is required" or
// "arguments were not expected", and `rockart help [command…]`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace rockart::cli {

// Throws UsageError for the first word that is not a subcommand of a command
// that needs one, or the first `--name` no command on the path defines, naming
// the closest known names. Stops at "--" (what follows belongs to a test
// command). Values of options are skipped.
void check_command_line(const CLI::App& app, const std::vector<std::string>& args);

// The help of the command `path` names below `app` ("fetch", "s3 cp"; empty:
// the top level). Throws UsageError naming the closest command for an unknown one.
std::string help_for(const CLI::App& app, const std::vector<std::string>& path);

// Adds `rockart help [COMMAND…]`, printing help_for() of the words.
void register_help(CLI::App& app);

} // namespace rockart::cli
