// SPDX-License-Identifier: MIT
// How many requests a fetch keeps in flight, decided from what the network
// says (pure: the caller feeds it time, bytes and throttling answers).
//
//  - Climbing (adaptive flows): every second, when the bytes of that second
//    beat the best second so far by 5 %, four more flows, up to the ceiling.
//    Three seconds without such a gain end the climb: more flows no longer
//    raise the total, they only share it.
//  - Backing off: when the server asks us to slow down (S3 answers 503
//    SlowDown), the flows are halved, at most once a second so that one burst
//    of answers counts once, and the climb ends. After five seconds without
//    such an answer one flow comes back every two seconds, up to the number
//    there was before the cut. Pinned flows back off and recover the same way:
//    retrying into a throttled server only makes it throttle longer.
#pragma once

#include <chrono>
#include <cstdint>

namespace rockart::fetch::detail {

class FlowPolicy {
public:
  // `start` flows at first, never more than `ceiling`; `climb` false pins them.
  FlowPolicy(int start, int ceiling, bool climb);

  // `elapsed` more time passed, in which `bytes` arrived and `throttled`
  // answers asked to slow down. Returns the flows allowed from now on.
  int tick(std::chrono::milliseconds elapsed, std::uint64_t bytes, std::uint64_t throttled);

  int flows() const { return m_flows; }

private:
  using ms = std::chrono::milliseconds;

  void climb(ms elapsed, std::uint64_t bytes);

  int m_flows;
  int m_ceiling;
  bool m_climbing;
  ms m_clock{0};
  // The climb's current one-second window and its record.
  ms m_window{0};
  std::uint64_t m_window_bytes = 0;
  double m_best = 0;
  int m_misses = 0;
  // The back-off: when it last cut or heard a throttle, and how far it recovers.
  bool m_cut = false;
  ms m_last_cut{0};
  ms m_last_throttle{0};
  ms m_last_step{0};
  int m_recover_to = 0;
};

} // namespace rockart::fetch::detail
