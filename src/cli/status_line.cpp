// SPDX-License-Identifier: MIT
#include "status_line.hpp"

#include <rockart/util/log.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace rockart::cli {

namespace {

std::atomic<bool> g_resized{false};

struct sigaction g_previous_winch {};

extern "C" void on_winch(int /*signo*/) {
  g_resized.store(true);
}

// "\r" back to column 0, then erase to the end of the line (ANSI EL): a
// shorter line leaves nothing of a longer one behind.
constexpr std::string_view k_clear_line = "\r\033[K";

void write_stderr(std::string_view text) {
  (void)std::fwrite(text.data(), 1, text.size(), stderr);
  (void)std::fflush(stderr);
}

} // namespace

util::ProgressStyle progress_style(const Context& context) {
  return util::choose_progress({.mode = context.progress,
                                .quiet = context.quiet,
                                .stderr_is_tty = ::isatty(STDERR_FILENO) == 1,
                                .ci = process_env("CI"),
                                .term = process_env("TERM")});
}

StatusLine::StatusLine() {
  // Other log lines (retries, warnings) must not be overwritten by the status
  // line: print them above it. The sink runs under the logger's lock, and we
  // never log while holding m_mutex, so the lock order is always log -> ours.
  util::set_log_sink([this](util::LogLevel, std::string_view line) { print_above(line); });

  struct sigaction action {};

  action.sa_handler = on_winch;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGWINCH, &action, &g_previous_winch);
}

StatusLine::~StatusLine() {
  sigaction(SIGWINCH, &g_previous_winch, nullptr);
  util::set_log_sink(nullptr);
  const std::lock_guard lock(m_mutex);
  if (!m_line.empty()) {
    write_stderr(k_clear_line);
  }
}

std::size_t StatusLine::columns() const {
  return util::terminal_columns(STDERR_FILENO, m_columns_env);
}

bool StatusLine::take_resize() {
  return g_resized.exchange(false);
}

void StatusLine::show(std::string_view line) {
  const std::lock_guard lock(m_mutex);
  m_line = line;
  draw_locked();
}

void StatusLine::print_above(std::string_view line) {
  const std::lock_guard lock(m_mutex);
  write_stderr(std::string(k_clear_line) + std::string(line) + "\n");
  draw_locked();
}

void StatusLine::draw_locked() {
  if (!m_line.empty()) {
    write_stderr(std::string(k_clear_line) + util::fit_to_width(m_line, columns()));
  }
}

} // namespace rockart::cli
