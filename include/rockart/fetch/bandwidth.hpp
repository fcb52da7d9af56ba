// SPDX-License-Identifier: MIT
// --max-bandwidth: one cap on the bytes/s of all of a fetch's downloads
// together, so a fetch on a shared runner leaves room for the other jobs.
// Every flow's receive callback takes its bytes from the limit and sleeps when
// it runs ahead; the sleeping callback stalls that flow's TCP window, so the
// server slows down too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace rockart::fetch {

// "10MB/s", "500KiB/s", "1048576" (bytes/s): the sizes of cache::parse_size
// with an optional "/s". Throws UsageError naming `text` otherwise, or for 0.
std::uint64_t parse_bandwidth(std::string_view text);

class BandwidthLimit {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Sleep = std::function<void(std::chrono::nanoseconds)>;

  // At most `bytes_per_second` on average, with bursts of 50 ms of traffic.
  explicit BandwidthLimit(std::uint64_t bytes_per_second,
                          Clock clock = std::chrono::steady_clock::now,
                          Sleep sleep = nullptr);

  // Accounts `bytes` just received; sleeps until they fit under the cap.
  // Thread-safe: callers are served in the order they arrive.
  void take(std::uint64_t bytes);

private:
  std::uint64_t m_rate;
  Clock m_clock;
  Sleep m_sleep;
  std::mutex m_mutex;
  std::chrono::steady_clock::time_point m_next{}; // when the bytes taken so far have passed
};

} // namespace rockart::fetch
