// SPDX-License-Identifier: MIT
// Progress of a batch of S3 transfers on stderr. With the status line one
// line is redrawn at most 10 times a second and each finished file is printed
// above it; otherwise each finished file is one info line, so logs of
// non-interactive runs stay readable.
#pragma once

#include "status_line.hpp"

#include <rockart/storage/s3_transfers.hpp>
#include <rockart/util/format.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace rockart::cli {

class TransferProgress final : public storage::TransferObserver {
public:
  // `files` and `total_bytes` are the batch's totals (`total_bytes` 0 = unknown);
  // `style` from progress_style().
  TransferProgress(std::size_t files, std::uint64_t total_bytes, util::ProgressStyle style);
  TransferProgress(const TransferProgress&) = delete;
  TransferProgress& operator=(const TransferProgress&) = delete;

  // Adds `delta` transferred bytes (thread-safe).
  void add_bytes(std::uint64_t delta) override;

  // Records a finished file and logs it at info, aws-cli style (thread-safe).
  void file_done(const storage::Transfer& transfer) override;

private:
  std::string status_line() const;
  void redraw(bool force);

  std::mutex m_mutex; // the counters below
  const std::size_t m_files;
  const std::uint64_t m_total_bytes;
  std::size_t m_done_files = 0;
  std::uint64_t m_done_bytes = 0;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_draw;
  std::optional<StatusLine> m_status; // with ProgressStyle::bar; destroyed first
};

} // namespace rockart::cli
