// SPDX-License-Identifier: MIT
#include <rockart/bisect/bounds.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace rockart::bisect {
namespace {

TEST(UntilTimestamp, ADayIsItsLastSecondATimeIsKept) {
  EXPECT_EQ(until_timestamp("2026-02-03"), "2026-02-03T23:59:59Z");
  EXPECT_EQ(until_timestamp("2026-02-03T12:30:00Z"), "2026-02-03T12:30:00Z");
  for (const char* bad : {"",
                          "yesterday",
                          "2026-2-3",
                          "2026-13-01",
                          "2026-02-03T12:30:00",
                          "2026-02-03 12:30:00Z",
                          "2026-02-03T25:00:00Z",
                          "2026-02-00"}) {
    EXPECT_THROW(until_timestamp(bad), UsageError) << bad;
  }
}

Position available(std::optional<Verdict> verdict = std::nullopt) {
  return {Availability::available, verdict};
}

TEST(Lookback, DoublesTheDistanceFromTheOldestBadCommit) {
  std::vector<Position> window(20, available());
  const std::size_t bad = 19;
  auto step = next_lookback_step(window);
  ASSERT_EQ(step.kind, LookbackStep::Kind::probe);
  EXPECT_EQ(step.position, bad - 1);
  window[bad - 1].verdict = Verdict::bad;
  EXPECT_EQ(next_lookback_step(window).position, bad - 2);
  window[bad - 2].verdict = Verdict::bad;
  EXPECT_EQ(next_lookback_step(window).position, bad - 4);
  window[bad - 4].verdict = Verdict::bad;
  EXPECT_EQ(next_lookback_step(window).position, bad - 8);
  window[bad - 8].verdict = Verdict::bad;
  EXPECT_EQ(next_lookback_step(window).position, bad - 16);
  window[bad - 16].verdict = Verdict::bad;
  // 32 is past the window's start: its oldest commit is the last chance.
  EXPECT_EQ(next_lookback_step(window).position, 0u);
  window[0].verdict = Verdict::bad;
  EXPECT_EQ(next_lookback_step(window).kind, LookbackStep::Kind::exhausted);
}

TEST(Lookback, MovesPastCommitsWithoutArtifactsAndSkips) {
  std::vector<Position> window(10, available());
  window[8].availability = Availability::unavailable;
  window[7].verdict = Verdict::skip;
  window[6].availability = Availability::unknown; // the driver resolves it
  const auto step = next_lookback_step(window);
  EXPECT_EQ(step.kind, LookbackStep::Kind::probe);
  EXPECT_EQ(step.position, 6u);
}

TEST(Lookback, AGoodCommitEndsTheSearch) {
  std::vector<Position> window(10, available());
  window[8].verdict = Verdict::bad;
  window[7].verdict = Verdict::good;
  const auto step = next_lookback_step(window);
  EXPECT_EQ(step.kind, LookbackStep::Kind::found);
  EXPECT_EQ(step.position, 7u);
}

// Against brute force: random windows, availability and culprits. The search
// ends; a good bound found is older than the culprit and was testable; it is
// exhausted exactly when no testable commit older than the culprit exists;
// and it tests at most about log2 of the window's size commits.
TEST(Lookback, AgreesWithBruteForce) {
  std::mt19937 random(17);
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t size = 2 + random() % 90;
    const std::size_t culprit = random() % size; // positions >= culprit are bad
    std::vector<Availability> truth(size);
    std::vector<Position> window(size);
    for (std::size_t i = 0; i < size; ++i) {
      truth[i] = random() % 4 == 0 ? Availability::unavailable : Availability::available;
      window[i].availability = random() % 2 == 0 ? Availability::unknown : truth[i];
    }
    truth[size - 1] = window[size - 1].availability = Availability::available;
    std::size_t tests = 0;
    std::size_t steps = 0;
    LookbackStep step;
    for (;; ++steps) {
      ASSERT_LT(steps, 2 * size + 2) << "no end, trial " << trial;
      step = next_lookback_step(window);
      if (step.kind != LookbackStep::Kind::probe) {
        break;
      }
      ASSERT_LT(step.position, size - 1);
      Position& p = window[step.position];
      ASSERT_FALSE(p.verdict.has_value()) << "tested twice, trial " << trial;
      if (p.availability == Availability::unknown) {
        p.availability = truth[step.position];
        continue;
      }
      ASSERT_EQ(p.availability, Availability::available);
      p.verdict = step.position >= culprit ? Verdict::bad : Verdict::good;
      ++tests;
    }
    bool any_good = false;
    for (std::size_t i = 0; i < culprit; ++i) {
      any_good = any_good || truth[i] == Availability::available;
    }
    if (step.kind == LookbackStep::Kind::found) {
      EXPECT_LT(step.position, culprit) << "trial " << trial;
      EXPECT_EQ(truth[step.position], Availability::available);
    } else {
      EXPECT_FALSE(any_good) << "exhausted with a good commit left, trial " << trial;
    }
    EXPECT_LE(tests, static_cast<std::size_t>(std::log2(size)) + 2) << "trial " << trial;
  }
}

} // namespace
} // namespace rockart::bisect
