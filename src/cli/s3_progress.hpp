// SPDX-License-Identifier: MIT
// Progress of a batch of S3 transfers on stderr. On a TTY (and without -q) one
// status line is redrawn at most 10 times a second, and log lines are printed
// above it; otherwise each finished file is one info line, so logs of
// non-interactive runs stay readable.
#pragma once

#include <rockart/storage/s3_transfers.hpp>
#include <rockart/util/format.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace rockart::cli {

class TransferProgress final : public storage::TransferObserver {
public:
  // `files` and `total_bytes` are the batch's totals (`total_bytes` 0 = unknown).
  // `interactive` draws the redrawn line; pass stderr_is_interactive().
  TransferProgress(std::size_t files, std::uint64_t total_bytes, bool interactive);
  ~TransferProgress() override;
  TransferProgress(const TransferProgress&) = delete;
  TransferProgress& operator=(const TransferProgress&) = delete;

  // Adds `delta` transferred bytes (thread-safe).
  void add_bytes(std::uint64_t delta) override;

  // Records a finished file and logs it at info, aws-cli style (thread-safe).
  void file_done(const storage::Transfer& transfer) override;

private:
  std::string status_line() const;
  void redraw(bool force);
  void write_above(std::string_view line);

  std::mutex m_mutex;
  const std::size_t m_files;
  const std::uint64_t m_total_bytes;
  const bool m_interactive;
  std::size_t m_done_files = 0;
  std::uint64_t m_done_bytes = 0;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_draw;
  std::string m_shown;
};

// True when stderr is a terminal and info messages are enabled (no -q).
bool stderr_is_interactive();

} // namespace rockart::cli
