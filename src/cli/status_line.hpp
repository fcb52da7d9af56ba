// SPDX-License-Identifier: MIT
// The one live status line of a long command on stderr (fetch, install,
// s3 cp): redrawn in place, never wider than the terminal (re-measured on
// every draw and at once on SIGWINCH), with log lines and finished items
// printed above it so nothing is overwritten.
#pragma once

#include "cli.hpp"
#include "environment.hpp"

#include <rockart/util/terminal.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::cli {

// How this command shows progress: --progress / --no-progress, -q, whether
// stderr is a terminal, $CI and $TERM.
util::ProgressStyle progress_style(const Context& context);

class StatusLine {
public:
  // Takes over the log sink and SIGWINCH for its lifetime (one at a time).
  StatusLine();
  // Clears the line and gives both back.
  ~StatusLine();
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // The terminal's width now.
  std::size_t columns() const;

  // Shows `line` cut to the terminal's width, replacing what was shown.
  void show(std::string_view line);

  // Prints `line` and a newline above the status line, which is redrawn below it.
  void print_above(std::string_view line);

  // True once after the terminal was resized (SIGWINCH): the owner redraws.
  static bool take_resize();

private:
  void draw_locked();

  const std::optional<std::string> m_columns_env = process_env("COLUMNS"); // read once
  std::mutex m_mutex;                                                      // m_line and stderr
  std::string m_line; // the full line (before cutting to the width)
};

} // namespace rockart::cli
