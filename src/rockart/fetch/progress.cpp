// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/fetch/progress.hpp>
#include <rockart/util/format.hpp>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace rockart::fetch {

namespace {

constexpr double k_rate_window = 5.0; // seconds the network rate is measured over

std::string format_eta(double seconds) {
  const long s = std::lround(seconds);
  std::ostringstream out;
  out << s / 60 << ":" << std::setw(2) << std::setfill('0') << s % 60;
  return out.str();
}

} // namespace

void ProgressModel::started(const PlannedArchive& archive, int attempt) {
  const std::lock_guard lock(m_mutex);
  auto& active = m_active[archive.name];
  active.size = archive.size;
  if (m_waiting.erase(archive.name) > 0) {
    active.done = archive.size; // its bytes arrived before: it is extracted from disk
    return;
  }
  if (attempt > 1) {
    m_done_bytes -= std::min(m_done_bytes, active.done); // counted again on this attempt
  }
  active.done = 0;
}

void ProgressModel::received(const PlannedArchive& archive, std::uint64_t bytes) {
  const std::lock_guard lock(m_mutex);
  m_active[archive.name].done += bytes;
  m_done_bytes += bytes;
}

void ProgressModel::stored(const PlannedArchive& archive) {
  const std::lock_guard lock(m_mutex);
  m_active.erase(archive.name);
  m_waiting[archive.name] = archive.size;
}

std::string ProgressModel::finished(const PlannedArchive& archive, const ArchiveOutcome& outcome) {
  const std::lock_guard lock(m_mutex);
  m_active.erase(archive.name);
  m_waiting.erase(archive.name);
  ++m_finished;
  if (failed_with<DiskFullError>(outcome)) {
    if (m_disk_full_told) {
      return {};
    }
    m_disk_full_told = true;
  }
  if (!outcome.ok) {
    return "!! Failed " + outcome.name + ": " + outcome.error;
  }
  return "[" + std::to_string(m_finished) + "/" + std::to_string(m_count) + "] "
         + (outcome.cached ? "== Cached " : "++ Fetched ") + outcome.name + " ("
         + util::format_bytes(archive.size) + ", " + util::format_fixed1(outcome.seconds) + " s"
         + (outcome.verified ? ", sha256 verified" : ", UNVERIFIED") + ") -> "
         + outcome.destination.string();
}

std::string ProgressModel::status(double elapsed_seconds, std::size_t columns) const {
  const std::lock_guard lock(m_mutex);
  // The rate since the oldest sample still inside the window (at first: since the start).
  m_samples.emplace_back(elapsed_seconds, m_done_bytes);
  while (m_samples.size() > 2 && elapsed_seconds - m_samples[1].first >= k_rate_window) {
    m_samples.pop_front();
  }
  const auto [then, bytes_then] = m_samples.front();
  const std::uint64_t since =
      m_done_bytes - std::min(m_done_bytes, bytes_then); // a retry subtracts
  const double rate =
      elapsed_seconds > then ? static_cast<double>(since) / (elapsed_seconds - then) : 0;
  std::string bar = "[" + std::to_string(m_finished) + "/" + std::to_string(m_count) + "] "
                    + util::format_bytes(m_done_bytes) + " / " + util::format_bytes(m_total)
                    + "  net " + util::format_bytes(static_cast<std::uint64_t>(rate)) + "/s";
  if (rate > 0 && m_total > m_done_bytes) {
    bar += "  ETA " + format_eta(static_cast<double>(m_total - m_done_bytes) / rate);
  }
  if (!m_waiting.empty()) {
    std::uint64_t waiting = 0;
    for (const auto& [name, size] : m_waiting) {
      waiting += size;
    }
    bar +=
        "  on disk " + std::to_string(m_waiting.size()) + " (" + util::format_bytes(waiting) + ")";
  }
  for (const auto& [name, active] : m_active) {
    const auto percent = active.size > 0 ? active.done * 100 / active.size : 100;
    const std::string item = " | " + name.substr(0, 24) + " " + std::to_string(percent) + "%";
    if (bar.size() + item.size() >= columns) {
      break; // the last column stays free
    }
    bar += item;
  }
  return bar;
}

} // namespace rockart::fetch
