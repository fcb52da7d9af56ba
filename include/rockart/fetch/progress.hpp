// SPDX-License-Identifier: MIT
// The figures behind fetch's progress display: bytes and archives done of the
// planned total, the network's recent rate, the archives in flight and those
// downloaded ahead that wait on disk for an extractor, rendered as one status
// line and as one line per finished archive. The front end decides where
// they go.
#pragma once

#include <rockart/fetch/types.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace rockart::fetch {

// Thread-safe: the pipeline's workers report, the display thread reads.
class ProgressModel {
public:
  ProgressModel(std::uint64_t total_bytes, std::size_t archives)
      : m_total(total_bytes), m_count(archives) {
    m_samples.emplace_back(0.0, 0);
  }

  // An attempt of `archive` begins; a retry's bytes are counted afresh.
  void started(const PlannedArchive& archive, int attempt);

  void received(const PlannedArchive& archive, std::uint64_t bytes);

  // `archive` is downloaded and waits on disk for an extractor.
  void stored(const PlannedArchive& archive);

  // Records the end of `archive` and returns its line: "[3/12] ++ Fetched x
  // (1.0 MiB, 0.5 s, sha256 verified) -> D/x" ("== Cached" for a file already
  // in D, "UNVERIFIED" without companion) or "!! Failed x: why". Empty for a
  // full disk after the first: one such line says it all.
  std::string finished(const PlannedArchive& archive, const ArchiveOutcome& outcome);

  // "[3/12] 10.0 MiB / 40.0 MiB  net 2.0 MiB/s  ETA 0:15  on disk 2 (5.0 MiB)
  // | a_lib_generic.tar.z 40%" after `elapsed_seconds` (called with growing
  // values): the whole set, the rate of the last five seconds, the archives
  // waiting on disk for an extractor when there are any, then the archives in
  // flight by name while they fit in `columns` (the line itself is not cut:
  // the display cuts it to the terminal).
  std::string status(double elapsed_seconds, std::size_t columns = 160) const;

private:
  struct Active {
    std::uint64_t size = 0;
    std::uint64_t done = 0;
  };

  const std::uint64_t m_total;
  const std::size_t m_count;
  mutable std::mutex m_mutex;
  std::map<std::string, Active> m_active;
  std::map<std::string, std::uint64_t> m_waiting; // name -> size, stored ahead
  std::uint64_t m_done_bytes = 0;
  std::size_t m_finished = 0;
  bool m_disk_full_told = false;
  // (elapsed seconds, bytes done) of recent status() calls, for the rate.
  mutable std::deque<std::pair<double, std::uint64_t>> m_samples;
};

} // namespace rockart::fetch
