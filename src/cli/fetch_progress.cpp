// SPDX-License-Identifier: MIT
#include "fetch_progress.hpp"

#include <rockart/util/log.hpp>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace rockart::cli {

namespace {

std::string fixed1(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << value;
  return out.str();
}

std::string format_eta(double seconds) {
  const long s = std::lround(seconds);
  std::ostringstream out;
  out << s / 60 << ":" << std::setw(2) << std::setfill('0') << s % 60;
  return out.str();
}

} // namespace

FetchProgress::FetchProgress(std::uint64_t total_bytes, std::size_t archives, bool live, bool quiet)
    : m_total(total_bytes), m_count(archives), m_live(live), m_quiet(quiet) {
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

void FetchProgress::started(const fetch::PlannedArchive& archive, int attempt) {
  std::lock_guard lock(m_mutex);
  auto& active = m_active[archive.name];
  active.size = archive.size;
  if (attempt > 1) {
    m_done_bytes -= std::min(m_done_bytes, active.done); // counted again on this attempt
  }
  active.done = 0;
  m_dirty = true;
}

void FetchProgress::received(const fetch::PlannedArchive& archive, std::uint64_t bytes) {
  std::lock_guard lock(m_mutex);
  m_active[archive.name].done += bytes;
  m_done_bytes += bytes;
  m_dirty = true;
}

void FetchProgress::finished(const fetch::PlannedArchive& archive,
                             const fetch::ArchiveOutcome& outcome) {
  std::string line;
  {
    std::lock_guard lock(m_mutex);
    m_active.erase(archive.name);
    ++m_finished;
    m_dirty = true;
    if (outcome.ok && !m_quiet) {
      line = "[" + std::to_string(m_finished) + "/" + std::to_string(m_count) + "] "
             + (outcome.cached ? "== Cached " : "++ Fetched ") + outcome.name + " ("
             + util::format_bytes(archive.size) + ", " + fixed1(outcome.seconds) + " s"
             + (outcome.verified ? ", sha256 verified" : ", UNVERIFIED") + ") -> "
             + outcome.destination.string();
    } else if (!outcome.ok) {
      line = "!! Failed " + outcome.name + ": " + outcome.error;
    }
  }
  if (!line.empty() && (!m_live || !outcome.ok)) {
    print_line(line);
  }
}

// Whole-set figures first, then the active archives by name.
std::string FetchProgress::bar_locked() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const double rate = elapsed > 0 ? static_cast<double>(m_done_bytes) / elapsed : 0;
  std::string bar = "[" + std::to_string(m_finished) + "/" + std::to_string(m_count) + "] "
                    + util::format_bytes(m_done_bytes) + " / " + util::format_bytes(m_total) + "  "
                    + util::format_bytes(static_cast<std::uint64_t>(rate)) + "/s";
  if (rate > 0 && m_total > m_done_bytes) {
    bar += "  ETA " + format_eta(static_cast<double>(m_total - m_done_bytes) / rate);
  }
  for (const auto& [name, active] : m_active) {
    const auto percent = active.size > 0 ? active.done * 100 / active.size : 100;
    bar += " | " + name.substr(0, 24) + " " + std::to_string(percent) + "%";
    if (bar.size() > 160) {
      break;
    }
  }
  return bar;
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
      const std::string bar = bar_locked();
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
