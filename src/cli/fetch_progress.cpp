// SPDX-License-Identifier: MIT
#include "fetch_progress.hpp"

#include <cstdio>

namespace rockart::cli {

FetchProgress::FetchProgress(std::uint64_t total_bytes,
                             std::size_t archives,
                             util::ProgressStyle style)
    : m_model(total_bytes, archives), m_style(style) {
  if (m_style == util::ProgressStyle::bar) {
    m_status.emplace();
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
  if (line.empty()) {
    return; // already said (a full disk)
  }
  // With the status line, successes show in it; failures always print.
  if (m_status) {
    if (!outcome.ok) {
      m_status->print_above(line);
    }
  } else if (!outcome.ok || m_style == util::ProgressStyle::lines) {
    (void)std::fprintf(stderr, "%s\n", line.c_str());
  }
}

void FetchProgress::redraw_loop() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    m_wake.wait_for(lock, std::chrono::milliseconds(100)); // at most 10 redraws a second
    const bool resized = StatusLine::take_resize();
    if ((m_dirty || resized) && !m_stopping) {
      m_dirty = false;
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
      lock.unlock(); // the model has its own lock; the status line its own
      m_status->show(m_model.status(elapsed, m_status->columns()));
      lock.lock();
    }
  }
}

} // namespace rockart::cli
