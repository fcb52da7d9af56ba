// SPDX-License-Identifier: MIT
// Table-driven cases for the bisect state machine (issue 8 item 3).
#include "support/support.hpp"

#include <rockart/bisect/state.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace rockart::bisect {
namespace {

// Builds positions from a compact picture, one character per commit, oldest
// first: '.' unknown, 'a' available, 'x' unavailable, 'g' good, 'b' bad, 's' skip.
std::vector<Position> picture(const std::string& text) {
  std::vector<Position> positions;
  for (const char c : text) {
    Position p;
    switch (c) {
    case 'a':
      p.availability = Availability::available;
      break;
    case 'x':
      p.availability = Availability::unavailable;
      break;
    case 'g':
      p = {Availability::available, Verdict::good};
      break;
    case 'b':
      p = {Availability::available, Verdict::bad};
      break;
    case 's':
      p = {Availability::available, Verdict::skip};
      break;
    default:
      break;
    }
    positions.push_back(p);
  }
  return positions;
}

struct NextCase {
  std::string name;
  std::string positions;
  Action::Kind kind;
  std::size_t commit; // test / culprit / inconsistent
  std::vector<std::size_t> range;
};

void PrintTo(const NextCase& c, std::ostream* os) {
  *os << c.name << " " << c.positions;
}

class NextActionTable : public ::testing::TestWithParam<NextCase> {};

TEST_P(NextActionTable, GivesExpectedAction) {
  const NextCase& c = GetParam();
  const Action action = next_action(picture(c.positions));
  ASSERT_EQ(action.kind, c.kind);
  if (c.kind == Action::Kind::range) {
    EXPECT_EQ(action.range, c.range);
  } else {
    EXPECT_EQ(action.commit, c.commit);
  }
}

using K = Action::Kind;
INSTANTIATE_TEST_SUITE_P(
    Cases,
    NextActionTable,
    ::testing::Values(
        // Only the bad commit in the range: it is the culprit without a test.
        NextCase{"OneCommit", ".", K::culprit, 0, {}},
        NextCase{"TwoCommitsTestOlder", "..", K::test, 0, {}},
        NextCase{"EightCommitsMidpoint", "........", K::test, 3, {}},
        // The 19 commits of behaviours.md §8.5: midpoint 8.5, the older one wins.
        NextCase{"NineteenCommits", "...................", K::test, 8, {}},
        NextCase{"AfterGoodMidpoint", "...g....", K::test, 5, {}},
        NextCase{"AfterBadMidpoint", "...b....", K::test, 1, {}},
        // Routing around missing artifacts and skips: the nearest candidate.
        NextCase{"GapAtMidpoint", "...xxx...", K::test, 2, {}},
        NextCase{"GapPushesRight", "xxxxx....", K::test, 5, {}},
        NextCase{"SkipAtMidpoint", "...s....", K::test, 2, {}},
        NextCase{"SkipsAroundMidpoint", "..sss....", K::test, 5, {}},
        // Results.
        NextCase{"CulpritFirst", "b.......", K::culprit, 0, {}},
        NextCase{"CulpritIsBadEnd", "ggggggg.", K::culprit, 7, {}},
        NextCase{"CulpritMiddle", "..gb....", K::culprit, 3, {}},
        NextCase{"GapBeforeBadGivesRange", ".gxxb...", K::range, 0, {2, 3, 4}},
        NextCase{"GapAtStartGivesRange", "xxb.", K::range, 0, {0, 1, 2}},
        NextCase{"SkipGivesRange", "ggsb", K::range, 0, {2, 3}},
        NextCase{"MissingBadEndGivesRange", "gggxx", K::range, 0, {3, 4}},
        NextCase{"UnknownIsStillTested", "gx.xb", K::test, 2, {}},
        // Inconsistent: a good commit newer than a bad one, or the bad end marked good.
        NextCase{"GoodAfterBad", "..b..g..", K::inconsistent, 5, {}},
        NextCase{"BadEndMarkedGood", "...g", K::inconsistent, 3, {}},
        NextCase{"SameCommitBothWays", "g", K::inconsistent, 0, {}}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(BisectState, CulpritAtEveryPositionOfSmallRanges) {
  for (std::size_t n = 1; n <= 12; ++n) {
    for (std::size_t culprit = 0; culprit < n; ++culprit) {
      std::vector<Position> positions(n);
      Action action = next_action(positions);
      std::size_t tests = 0;
      for (; action.kind == Action::Kind::test; action = next_action(positions)) {
        positions[action.commit].verdict = action.commit >= culprit ? Verdict::bad : Verdict::good;
        ++tests;
      }
      ASSERT_EQ(action.kind, Action::Kind::culprit) << "n=" << n << " culprit=" << culprit;
      EXPECT_EQ(action.commit, culprit);
      EXPECT_LE(tests, estimated_steps(n - 1)) << "n=" << n << " culprit=" << culprit;
    }
  }
}

TEST(BisectState, ReportsBoundsAndCandidates) {
  const Action action = next_action(picture(".gaxs..b.."));
  EXPECT_EQ(action.kind, Action::Kind::test);
  ASSERT_TRUE(action.last_good.has_value());
  EXPECT_EQ(*action.last_good, 1u);
  EXPECT_EQ(action.first_bad, 7u);
  EXPECT_EQ(action.candidates, 3u); // positions 2, 5, 6
  EXPECT_FALSE(next_action(picture("....")).last_good.has_value());
  EXPECT_EQ(next_action(picture("....")).first_bad, 3u);
}

TEST(BisectState, InconsistentNamesBothVerdicts) {
  const Action action = next_action(picture(".b.g.b"));
  ASSERT_EQ(action.kind, Action::Kind::inconsistent);
  EXPECT_EQ(action.commit, 3u);
  EXPECT_EQ(action.first_bad, 1u);
}

TEST(BisectState, EmptyRangeIsAUsageError) {
  EXPECT_ERROR(next_action(std::vector<Position>{}),
               UsageError,
               "bisect range is empty: the good commit must be an ancestor of the bad one");
}

TEST(BisectState, NextCandidatesForBothOutcomes) {
  const auto fresh = picture("........");
  const NextCandidates next = next_candidates(fresh, 3);
  EXPECT_EQ(next.if_good, std::optional<std::size_t>(5));
  EXPECT_EQ(next.if_bad, std::optional<std::size_t>(1));
  // Either outcome of testing position 0 of two ends the search.
  const NextCandidates last = next_candidates(picture(".."), 0);
  EXPECT_FALSE(last.if_good);
  EXPECT_FALSE(last.if_bad);
  // Routing applies to the hypothetical step too.
  const NextCandidates routed = next_candidates(picture(".....xx."), 3);
  EXPECT_EQ(routed.if_good, std::optional<std::size_t>(4));
  EXPECT_ERROR(
      next_candidates(fresh, 8), UsageError, "bisect position 8 is outside the range of 8 commits");
}

TEST(BisectState, BatchSplitsRangeIntoEqualParts) {
  const std::vector<Position> fresh(64);
  EXPECT_EQ(choose_batch(fresh, 1), (std::vector<std::size_t>{31}));
  EXPECT_EQ(choose_batch(fresh, 3), (std::vector<std::size_t>{15, 31, 47}));
  EXPECT_TRUE(choose_batch(fresh, 0).empty());
  // Fewer candidates than runners: every candidate once.
  EXPECT_EQ(choose_batch(picture("gxa.sb.."), 5), (std::vector<std::size_t>{2, 3}));
  // Missing artifacts at a split point: the nearest free candidate instead.
  EXPECT_EQ(choose_batch(picture("...x...."), 1), (std::vector<std::size_t>{2}));
  // Search over (or inconsistent): nothing to dispatch.
  EXPECT_TRUE(choose_batch(picture("gb.."), 3).empty());
  EXPECT_TRUE(choose_batch(picture("b.g."), 3).empty());
}

TEST(BisectState, BatchVerdictsApplyAtOnce) {
  const std::vector<Position> fresh(64);
  const std::vector<std::pair<std::size_t, Verdict>> verdicts = {
      {15, Verdict::good}, {31, Verdict::skip}, {47, Verdict::bad}};
  const auto after = apply_verdicts(fresh, verdicts);
  EXPECT_EQ(after[31].verdict, Verdict::skip);
  const Action action = next_action(after);
  EXPECT_EQ(*action.last_good, 15u);
  EXPECT_EQ(action.first_bad, 47u);
  EXPECT_EQ(action.candidates, 30u);
  EXPECT_EQ(choose_batch(after, 3), (std::vector<std::size_t>{23, 30, 39}));
}

TEST(BisectState, EstimatedSteps) {
  const std::pair<std::size_t, std::size_t> table[] = {
      {0, 0}, {1, 1}, {2, 2}, {3, 2}, {4, 3}, {7, 3}, {8, 4}, {18, 5}, {63, 6}, {64, 7}};
  for (const auto& [candidates, steps] : table) {
    EXPECT_EQ(estimated_steps(candidates), steps) << candidates;
  }
}

TEST(BisectState, NamesRoundTrip) {
  for (const Verdict v : {Verdict::good, Verdict::bad, Verdict::skip}) {
    EXPECT_EQ(parse_verdict(to_string(v)), v);
  }
  for (const Availability a :
       {Availability::unknown, Availability::available, Availability::unavailable}) {
    EXPECT_EQ(parse_availability(to_string(a)), a);
  }
  EXPECT_FALSE(parse_verdict("Good"));
  EXPECT_FALSE(parse_availability(""));
}

} // namespace
} // namespace rockart::bisect
