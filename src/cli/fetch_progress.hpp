// SPDX-License-Identifier: MIT
// Progress of `rockart fetch` on stderr (issue 5 item 6): a live bar on a TTY
// (bytes, rate, ETA for the whole set and the active archives, redrawn at most
// 10 times a second), one line per archive otherwise, and the summary line.
#pragma once

#include <rockart/fetch/pipeline.hpp>
#include <rockart/util/format.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace rockart::cli {

class FetchProgress final : public fetch::FetchObserver {
public:
  // `live`: draw the bar (stderr is a TTY and not -q); `quiet`: no per-archive lines.
  FetchProgress(std::uint64_t total_bytes, std::size_t archives, bool live, bool quiet);
  // Stops the redraw thread and clears the bar.
  ~FetchProgress() override;
  FetchProgress(const FetchProgress&) = delete;
  FetchProgress& operator=(const FetchProgress&) = delete;

  void started(const fetch::PlannedArchive& archive, int attempt) override;
  void received(const fetch::PlannedArchive& archive, std::uint64_t bytes) override;
  void finished(const fetch::PlannedArchive& archive,
                const fetch::ArchiveOutcome& outcome) override;

private:
  struct Active {
    std::uint64_t size = 0;
    std::uint64_t done = 0;
  };

  void redraw_loop();
  std::string bar_locked() const;
  void print_line(const std::string& line);

  const std::uint64_t m_total;
  const std::size_t m_count;
  const bool m_live;
  const bool m_quiet;
  const std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::map<std::string, Active> m_active;
  std::uint64_t m_done_bytes = 0;
  std::size_t m_finished = 0;
  bool m_dirty = false;
  bool m_stopping = false;
  std::size_t m_bar_width = 0; // characters of the bar currently shown
  std::thread m_thread;
};

} // namespace rockart::cli
