// SPDX-License-Identifier: MIT
#include "fetch_progress.hpp"

#include <cstdio>

namespace rockart::cli {

FetchProgress::FetchProgress(std::uint64_t total_bytes, std::size_t archives, bool live, bool quiet)
    : m_model(total_bytes, archives), m_live(live), m_quiet(quiet) {
  if (m_live) {
    m_thread = std::thread([this] { redraw_loop(); });
  }
}

FetchProgress::~FetchProgress() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void FetchProgress::mark_dirty() {
  std::lock_guard lock(m_mutex);
  m_dirty = true;
}

void FetchProgress::started(const fetch::PlannedArchive& archive, int attempt) {
  m_model.started(archive, attempt);
  mark_dirty();
}

void FetchProgress::received(const fetch::PlannedArchive& archive, std::uint64_t bytes) {
  m_model.received(archive, bytes);
  mark_dirty();
}

void FetchProgress::stored(const fetch::PlannedArchive& archive) {
  m_model.stored(archive);
  mark_dirty();
}

void FetchProgress::finished(const fetch::PlannedArchive& archive,
                             const fetch::ArchiveOutcome& outcome) {
  const std::string line = m_model.finished(archive, outcome);
  mark_dirty();
  // On a live display successes show in the status line; failures always print.
  if (!outcome.ok || (!m_quiet && !m_live)) {
    print_line(line);
  }
}

void FetchProgress::print_line(const std::string& line) {
  std::lock_guard lock(m_mutex);
  if (m_bar_width > 0) {
    (void)std::fprintf(stderr, "\r%*s\r", static_cast<int>(m_bar_width), "");
    m_bar_width = 0;
  }
  (void)std::fprintf(stderr, "%s\n", line.c_str());
  m_dirty = true;
}

void FetchProgress::redraw_loop() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    m_wake.wait_for(lock, std::chrono::milliseconds(100)); // at most 10 redraws a second
    if (m_dirty && !m_stopping) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
      const std::string bar = m_model.status(elapsed);
      (void)std::fprintf(stderr,
                         "\r%s%*s",
                         bar.c_str(),
                         static_cast<int>(m_bar_width > bar.size() ? m_bar_width - bar.size() : 0),
                         "");
      (void)std::fflush(stderr);
      m_bar_width = bar.size();
      m_dirty = false;
    }
  }
  if (m_bar_width > 0) {
    (void)std::fprintf(stderr, "\r%*s\r", static_cast<int>(m_bar_width), "");
  }
}

} // namespace rockart::cli
