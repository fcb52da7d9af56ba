// SPDX-License-Identifier: MIT
#include <rockart/cache/location.hpp>
#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>

#include <thread>

namespace rockart::fetch {

std::uint64_t parse_bandwidth(std::string_view text) {
  std::string_view size = text;
  if (size.ends_with("/s")) {
    size.remove_suffix(2);
  }
  std::uint64_t rate = 0;
  try {
    rate = cache::parse_size(size);
  } catch (const UsageError&) {
    rate = 0;
  }
  if (rate == 0) {
    throw UsageError("invalid bandwidth '" + std::string(text) + "'",
                     "give bytes per second, e.g. --max-bandwidth 10MB/s or 500KiB/s");
  }
  return rate;
}

BandwidthLimit::BandwidthLimit(std::uint64_t bytes_per_second, Clock clock, Sleep sleep)
    : m_rate(std::max<std::uint64_t>(1, bytes_per_second)), m_clock(std::move(clock)),
      m_sleep(sleep ? std::move(sleep)
                    : Sleep([](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); })) {}

void BandwidthLimit::take(std::uint64_t bytes) {
  using namespace std::chrono;
  const auto burst = milliseconds(50);
  const auto cost = duration_cast<nanoseconds>(
      duration<double>(static_cast<double>(bytes) / static_cast<double>(m_rate)));
  steady_clock::time_point due;
  {
    std::lock_guard lock(m_mutex);
    const auto now = m_clock();
    // Time not used while the link was idle is not saved up beyond one burst.
    m_next = std::max(m_next, now - burst) + cost;
    due = m_next - burst; // it may run one burst ahead of the schedule
    if (due <= now) {
      return;
    }
  }
  m_sleep(due - m_clock());
}

} // namespace rockart::fetch
