// SPDX-License-Identifier: MIT
#include "flow_policy.hpp"

#include <algorithm>

namespace rockart::fetch::detail {

namespace {

constexpr std::chrono::milliseconds k_window{1000};      // the climb measures per second
constexpr int k_climb_step = 4;                          // flows added per gain
constexpr double k_gain = 1.05;                          // what counts as a gain
constexpr int k_max_misses = 3;                          // seconds without one end the climb
constexpr std::chrono::milliseconds k_cut_spacing{1000}; // one burst is one cut
constexpr std::chrono::milliseconds k_quiet{5000};       // before recovery starts
constexpr std::chrono::milliseconds k_step{2000};        // between recovered flows

} // namespace

FlowPolicy::FlowPolicy(int start, int ceiling, bool climb)
    : m_flows(std::max(1, start)), m_ceiling(std::max(m_flows, ceiling)),
      m_climbing(climb && m_ceiling > m_flows) {}

int FlowPolicy::tick(ms elapsed, std::uint64_t bytes, std::uint64_t throttled) {
  m_clock += elapsed;
  if (throttled > 0) {
    m_last_throttle = m_clock;
    if (!m_cut || m_clock - m_last_cut >= k_cut_spacing) {
      m_recover_to = m_flows;
      m_flows = std::max(1, m_flows / 2);
      m_cut = true;
      m_last_cut = m_clock;
      m_climbing = false;
    }
    return m_flows;
  }
  // The first flow comes back after a quiet spell, the next ones a step apart.
  const ms next_step =
      m_last_step > m_last_throttle ? m_last_step + k_step : m_last_throttle + k_quiet;
  if (m_cut && m_flows < m_recover_to && m_clock >= next_step) {
    ++m_flows;
    m_last_step = m_clock;
  }
  if (m_climbing) {
    climb(elapsed, bytes);
  }
  return m_flows;
}

void FlowPolicy::climb(ms elapsed, std::uint64_t bytes) {
  m_window += elapsed;
  m_window_bytes += bytes;
  if (m_window < k_window) {
    return;
  }
  const double rate =
      static_cast<double>(m_window_bytes) * 1000.0 / static_cast<double>(m_window.count());
  m_window = ms{0};
  m_window_bytes = 0;
  if (rate > m_best * k_gain) {
    m_best = rate;
    m_misses = 0;
    m_flows = std::min(m_ceiling, m_flows + k_climb_step);
  } else {
    ++m_misses;
  }
  if (m_misses >= k_max_misses || m_flows >= m_ceiling) {
    m_climbing = false;
  }
}

} // namespace rockart::fetch::detail
