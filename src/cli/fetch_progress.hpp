// SPDX-License-Identifier: MIT
// Progress of `rockart fetch` and `install` on stderr: a live status line
// (bytes, network rate, ETA for the whole set, the backlog waiting on disk and
// the active archives, redrawn at most 10 times a second and cut to the
// terminal's width), or one line per archive. The figures and lines come from
// fetch::ProgressModel.
#pragma once

#include "status_line.hpp"

#include <rockart/fetch/progress.hpp>
#include <rockart/fetch/types.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace rockart::cli {

class FetchProgress final : public fetch::FetchObserver {
public:
  // `style` from progress_style(): the status line, lines, or failures only.
  FetchProgress(std::uint64_t total_bytes, std::size_t archives, util::ProgressStyle style);
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
  void mark_dirty();

  fetch::ProgressModel m_model;
  const util::ProgressStyle m_style;
  std::optional<StatusLine> m_status; // with ProgressStyle::bar
  const std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  std::mutex m_mutex; // the members below
  std::condition_variable m_wake;
  bool m_dirty = false;
  bool m_stopping = false;
  std::thread m_thread;
};

} // namespace rockart::cli
