// SPDX-License-Identifier: MIT
#include "s3_progress.hpp"

#include <rockart/util/log.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>

namespace rockart::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto k_redraw_interval = std::chrono::milliseconds(100);

// "\r" back to column 0, then erase the line (ANSI EL).
constexpr std::string_view k_clear_line = "\r\033[K";

void write_stderr(std::string_view text) {
  (void)std::fwrite(text.data(), 1, text.size(), stderr);
  (void)std::fflush(stderr);
}

} // namespace

bool stderr_is_interactive() {
  return isatty(STDERR_FILENO) == 1 && util::log_enabled(util::LogLevel::info);
}

TransferProgress::TransferProgress(std::size_t files, std::uint64_t total_bytes, bool interactive)
    : m_files(files), m_total_bytes(total_bytes), m_interactive(interactive), m_start(Clock::now()),
      m_last_draw(m_start - k_redraw_interval) {
  if (m_interactive) {
    // Other log lines (retries, warnings) must not be overwritten by the status
    // line: print them above it. The sink runs under the logger's lock, and we
    // never log while holding m_mutex, so the lock order is always log -> ours.
    util::set_log_sink([this](util::LogLevel, std::string_view line) { write_above(line); });
  }
}

TransferProgress::~TransferProgress() {
  if (m_interactive) {
    util::set_log_sink(nullptr);
    const std::lock_guard lock(m_mutex);
    if (!m_shown.empty()) {
      write_stderr(k_clear_line);
    }
  }
}

void TransferProgress::add_bytes(std::uint64_t delta) {
  const std::lock_guard lock(m_mutex);
  m_done_bytes += delta;
  redraw(false);
}

void TransferProgress::file_done(const storage::Transfer& transfer) {
  {
    const std::lock_guard lock(m_mutex);
    ++m_done_files;
  }
  util::log_info(transfer.describe());
}

std::string TransferProgress::status_line() const {
  const double seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
  const auto rate =
      seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(m_done_bytes) / seconds) : 0;
  std::string line = "Completed " + util::format_bytes(m_done_bytes);
  if (m_total_bytes > 0) {
    line += "/" + util::format_bytes(m_total_bytes);
  }
  line += " (" + util::format_bytes(rate) + "/s), " + std::to_string(m_done_files) + "/"
          + std::to_string(m_files) + " file(s)";
  return line;
}

// Caller holds m_mutex.
void TransferProgress::redraw(bool force) {
  if (!m_interactive) {
    return;
  }
  const auto now = Clock::now();
  if (!force && now - m_last_draw < k_redraw_interval) {
    return;
  }
  std::string line = status_line();
  if (line == m_shown) {
    return;
  }
  m_last_draw = now;
  write_stderr(std::string(k_clear_line) + line);
  m_shown = std::move(line);
}

void TransferProgress::write_above(std::string_view line) {
  const std::lock_guard lock(m_mutex);
  write_stderr(std::string(k_clear_line) + std::string(line) + "\n");
  m_shown.clear();
  redraw(true);
}

} // namespace rockart::cli
