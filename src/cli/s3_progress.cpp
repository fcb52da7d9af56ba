// SPDX-License-Identifier: MIT
#include "s3_progress.hpp"

#include <rockart/util/log.hpp>

namespace rockart::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto k_redraw_interval = std::chrono::milliseconds(100);

} // namespace

TransferProgress::TransferProgress(std::size_t files,
                                   std::uint64_t total_bytes,
                                   util::ProgressStyle style)
    : m_files(files), m_total_bytes(total_bytes), m_start(Clock::now()),
      m_last_draw(m_start - k_redraw_interval) {
  if (style == util::ProgressStyle::bar) {
    m_status.emplace(); // log lines, finished files among them, go above it
  }
}

void TransferProgress::add_bytes(std::uint64_t delta) {
  {
    const std::lock_guard lock(m_mutex);
    m_done_bytes += delta;
  }
  redraw(false);
}

void TransferProgress::file_done(const storage::Transfer& transfer) {
  {
    const std::lock_guard lock(m_mutex);
    ++m_done_files;
  }
  util::log_info(transfer.describe());
  redraw(true);
}

// Caller holds m_mutex.
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

void TransferProgress::redraw(bool force) {
  if (!m_status) {
    return;
  }
  std::string line;
  {
    const std::lock_guard lock(m_mutex);
    const auto now = Clock::now();
    if (!force && !StatusLine::take_resize() && now - m_last_draw < k_redraw_interval) {
      return;
    }
    m_last_draw = now;
    line = status_line();
  }
  m_status->show(line);
}

} // namespace rockart::cli
