// SPDX-License-Identifier: MIT
// Progress of `rockart fetch` on stderr: a live status line on a TTY (bytes,
// network rate, ETA for the whole set, the backlog waiting on disk and the
// active archives, redrawn at most 10 times a second), one line per archive
// otherwise. The figures and lines come from fetch::ProgressModel.
#pragma once

#include <rockart/fetch/progress.hpp>
#include <rockart/fetch/types.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace rockart::cli {

class FetchProgress final : public fetch::FetchObserver {
public:
  // `live`: draw the status line (stderr is a TTY and not -q); `quiet`: no per-archive lines.
  FetchProgress(std::uint64_t total_bytes, std::size_t archives, bool live, bool quiet);
  // Stops the redraw thread and clears the line.
  ~FetchProgress() override;
  FetchProgress(const FetchProgress&) = delete;
  FetchProgress& operator=(const FetchProgress&) = delete;

  void started(const fetch::PlannedArchive& archive, int attempt) override;
  void received(const fetch::PlannedArchive& archive, std::uint64_t bytes) override;
  void finished(const fetch::PlannedArchive& archive,
                const fetch::ArchiveOutcome& outcome) override;
  void stored(const fetch::PlannedArchive& archive) override;

private:
  void redraw_loop();
  void print_line(const std::string& line);
  void mark_dirty();

  fetch::ProgressModel m_model;
  const bool m_live;
  const bool m_quiet;
  const std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  std::mutex m_mutex; // the members below and stderr
  std::condition_variable m_wake;
  bool m_dirty = false;
  bool m_stopping = false;
  std::size_t m_bar_width = 0; // characters of the line currently shown
  std::thread m_thread;
};

} // namespace rockart::cli
