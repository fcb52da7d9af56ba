// SPDX-License-Identifier: MIT
// How many flows a fetch keeps in flight: the climb adds flows while the
// total rises and stops when it does not; a server that says "slow down"
// halves them once per burst, and they come back slowly once it is quiet.
#include "../../../src/rockart/fetch/flow_policy.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rockart::fetch::detail {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds k_tick{250};

// Feeds `seconds` of ticks at `rate` bytes/s without throttling; returns the flows after each.
std::vector<int> run(FlowPolicy& policy, int seconds, std::uint64_t rate) {
  std::vector<int> flows;
  for (int i = 0; i < seconds * 4; ++i) {
    flows.push_back(policy.tick(k_tick, rate / 4, 0));
  }
  return flows;
}

// Feeds `seconds` one second at a time, the rate starting at `rate` and
// multiplied by `growth_percent` / 100 after each second.
void run_rising(FlowPolicy& policy, int seconds, std::uint64_t rate, int growth_percent) {
  for (int second = 0; second < seconds; ++second) {
    run(policy, 1, rate);
    rate = rate * growth_percent / 100;
  }
}

TEST(FlowPolicy, ClimbsFourFlowsASecondWhileTheRateRises) {
  FlowPolicy policy(16, 64, /*climb=*/true);
  std::uint64_t rate = 1'000'000;
  for (int second = 1; second <= 3; ++second) {
    run(policy, 1, rate);
    EXPECT_EQ(policy.flows(), 16 + 4 * second);
    rate = rate * 12 / 10;
  }
}

TEST(FlowPolicy, StopsClimbingAfterThreeSecondsWithoutAGain) {
  FlowPolicy policy(8, 64, /*climb=*/true);
  run(policy, 1, 1'000'000); // the first second is a gain over nothing
  EXPECT_EQ(policy.flows(), 12);
  run(policy, 3, 1'020'000); // +2 %: not worth more flows
  EXPECT_EQ(policy.flows(), 12);
  run(policy, 5, 5'000'000); // the climb is over: a later rise changes nothing
  EXPECT_EQ(policy.flows(), 12);
}

TEST(FlowPolicy, NeverClimbsPastTheCeiling) {
  FlowPolicy policy(14, 16, /*climb=*/true);
  run_rising(policy, 5, 1'000'000, 200);
  EXPECT_EQ(policy.flows(), 16);
}

TEST(FlowPolicy, PinnedFlowsDoNotClimb) {
  FlowPolicy policy(16, 64, /*climb=*/false);
  run_rising(policy, 5, 1'000'000, 200);
  EXPECT_EQ(policy.flows(), 16);
}

TEST(FlowPolicy, ABurstOfSlowDownsHalvesTheFlowsOnce) {
  FlowPolicy policy(16, 16, /*climb=*/false);
  EXPECT_EQ(policy.tick(k_tick, 0, 5), 8);
  EXPECT_EQ(policy.tick(k_tick, 0, 3), 8); // the same burst, 250 ms later
  EXPECT_EQ(policy.tick(k_tick, 0, 1), 8);
  EXPECT_EQ(policy.tick(k_tick, 0, 1), 8);
  EXPECT_EQ(policy.tick(k_tick, 0, 1), 4); // still throttled a second after the cut
}

TEST(FlowPolicy, NeverGoesBelowOneFlow) {
  FlowPolicy policy(2, 2, /*climb=*/false);
  for (int i = 0; i < 10; ++i) {
    policy.tick(milliseconds(1000), 0, 1);
  }
  EXPECT_EQ(policy.flows(), 1);
}

TEST(FlowPolicy, RecoversOneFlowEveryTwoSecondsAfterFiveQuietOnes) {
  FlowPolicy policy(16, 16, /*climb=*/false);
  policy.tick(k_tick, 0, 1);
  ASSERT_EQ(policy.flows(), 8);
  const auto flows = run(policy, 9, 1'000'000);
  // Quiet for 5 s (20 ticks) before the first flow comes back.
  EXPECT_EQ(flows[18], 8);
  EXPECT_EQ(flows[19], 9);
  EXPECT_EQ(flows[26], 9);
  EXPECT_EQ(flows[27], 10);
  EXPECT_EQ(flows[35], 11);
  run(policy, 60, 1'000'000);
  EXPECT_EQ(policy.flows(), 16); // back where it was, and no further
}

TEST(FlowPolicy, AThrottleDuringRecoveryCutsAgainAndRestartsTheQuietSpell) {
  FlowPolicy policy(16, 16, /*climb=*/false);
  policy.tick(k_tick, 0, 1);
  run(policy, 6, 1'000'000);
  ASSERT_EQ(policy.flows(), 9);
  policy.tick(k_tick, 0, 1);
  EXPECT_EQ(policy.flows(), 4);
  run(policy, 4, 1'000'000);
  EXPECT_EQ(policy.flows(), 4);
  run(policy, 60, 1'000'000);
  EXPECT_EQ(policy.flows(), 9); // recovers to where the second cut found it
}

TEST(FlowPolicy, AThrottleEndsTheClimb) {
  FlowPolicy policy(16, 64, /*climb=*/true);
  run(policy, 1, 1'000'000);
  ASSERT_EQ(policy.flows(), 20);
  policy.tick(k_tick, 0, 1);
  EXPECT_EQ(policy.flows(), 10);
  run_rising(policy, 40, 2'000'000, 110);
  EXPECT_EQ(policy.flows(), 20); // recovered, but rising rates climb no more
}

} // namespace
} // namespace rockart::fetch::detail
