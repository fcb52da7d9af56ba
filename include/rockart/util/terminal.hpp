// SPDX-License-Identifier: MIT
// How progress is shown on stderr, and fitting a line to the terminal. The
// choice is pure (the caller passes what it saw of the terminal and the
// environment) so it is tested as a table; terminal_columns() asks the kernel.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::util {

enum class ProgressStyle {
  bar,   // one status line redrawn in place; finished items are printed above it
  lines, // one line per finished item, nothing redrawn (logs, pipes, CI)
  none,  // -q: errors only
};

struct ProgressRequest {
  std::string mode = "auto"; // --progress: auto | bar | plain
  bool quiet = false;        // -q
  bool stderr_is_tty = false;
  std::optional<std::string> ci;   // $CI
  std::optional<std::string> term; // $TERM
};

// -q wins; `bar` and `plain` are taken as asked; `auto` draws the bar only on
// a terminal that can redraw a line (not TERM=dumb) and outside CI (CI=true
// on GitHub Actions, where each redraw would be a log line of its own).
ProgressStyle choose_progress(const ProgressRequest& request);

// True for a set $CI other than "", "0" and "false" (the values CI systems
// and users write to say "not CI").
bool ci_is_set(const std::optional<std::string>& ci);

// The first characters of `line` that take at most `columns - 1` terminal
// cells (the last column stays free: writing it makes many terminals wrap).
// Cuts between UTF-8 code points, never inside one; each code point is
// counted as one cell.
std::string fit_to_width(std::string_view line, std::size_t columns);

// The width of the terminal on `fd` (TIOCGWINSZ), else `columns_env` (the
// caller's $COLUMNS) when it is a number, else 80.
std::size_t terminal_columns(int fd, const std::optional<std::string>& columns_env);

} // namespace rockart::util
