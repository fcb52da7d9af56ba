// SPDX-License-Identifier: MIT
// The command tree as a user sees it: every command path the built binary's
// `rockart help` lists, found by walking its "Subcommands:" sections.
#pragma once

#include <string>
#include <vector>

namespace rockart::test {

// The lines of `text`, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

// The whitespace-separated words of `text`.
std::vector<std::string> words_of(const std::string& text);

// Every command path below rockart, {} (rockart itself) first, parents
// before children: {"s3"}, {"s3", "cp"}, ... Fails the test (ADD_FAILURE)
// when a `rockart help PATH` fails.
std::vector<std::vector<std::string>> rockart_command_paths();

} // namespace rockart::test
