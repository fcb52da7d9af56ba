// SPDX-License-Identifier: MIT
// The state machine against a brute-force answer over many random histories:
// culprit position, commits without artifacts (gaps) and commits whose test
// says "skip", with availability discovered lazily or known up front.
#include <rockart/bisect/state.hpp>

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace rockart::bisect {
namespace {

struct History {
  std::size_t size = 0;
  std::size_t culprit = 0;        // first bad position
  std::set<std::size_t> missing;  // no artifacts
  std::set<std::size_t> skipping; // the test exits 125
};

// Brute force: the last testable commit before the culprit and the first
// testable one at or after it (the bad end counts as known bad) bound the result.
Action expected_result(const History& h) {
  auto testable = [&](std::size_t i) {
    return !h.missing.count(i) && !h.skipping.count(i);
  };
  std::int64_t good = -1;
  for (std::size_t i = 0; i < h.culprit; ++i) {
    if (testable(i)) {
      good = static_cast<std::int64_t>(i);
    }
  }
  std::size_t bad = h.size - 1;
  for (std::size_t i = h.culprit; i + 1 < h.size; ++i) {
    if (testable(i)) {
      bad = i;
      break;
    }
  }
  Action expected;
  if (static_cast<std::int64_t>(bad) == good + 1) {
    expected.kind = Action::Kind::culprit;
    expected.commit = bad;
    return expected;
  }
  expected.kind = Action::Kind::range;
  for (auto i = static_cast<std::size_t>(good + 1); i <= bad; ++i) {
    expected.range.push_back(i);
  }
  return expected;
}

struct Outcome {
  Action result;
  std::size_t verdicts = 0;     // good/bad test runs
  std::size_t skips = 0;        // test runs that said skip
  std::size_t missing_hits = 0; // chosen commits found to lack artifacts
};

Outcome simulate(const History& h, bool known_up_front) {
  std::vector<Position> positions(h.size);
  if (known_up_front) {
    for (std::size_t i = 0; i < h.size; ++i) {
      positions[i].availability =
          h.missing.count(i) ? Availability::unavailable : Availability::available;
    }
  }
  Outcome out;
  for (std::size_t guard = 0; guard < 4 * h.size + 4; ++guard) {
    const Action action = next_action(positions);
    if (action.kind != Action::Kind::test) {
      out.result = action;
      return out;
    }
    Position& p = positions[action.commit];
    EXPECT_FALSE(p.verdict) << "retested position " << action.commit;
    EXPECT_NE(p.availability, Availability::unavailable);
    if (h.missing.count(action.commit)) {
      p.availability = Availability::unavailable;
      ++out.missing_hits;
      continue;
    }
    p.availability = Availability::available;
    if (h.skipping.count(action.commit)) {
      p.verdict = Verdict::skip;
      ++out.skips;
    } else {
      p.verdict = action.commit >= h.culprit ? Verdict::bad : Verdict::good;
      ++out.verdicts;
    }
  }
  ADD_FAILURE() << "no result after " << 4 * h.size + 4 << " steps";
  return out;
}

std::string describe(const History& h) {
  std::string text = "N=" + std::to_string(h.size) + " culprit=" + std::to_string(h.culprit);
  text += " missing={";
  for (auto i : h.missing) {
    text += std::to_string(i) + ",";
  }
  text += "} skipping={";
  for (auto i : h.skipping) {
    text += std::to_string(i) + ",";
  }
  return text + "}";
}

std::size_t ceil_log2(std::size_t n) {
  std::size_t bits = 0;
  while ((std::size_t{1} << bits) < n) {
    ++bits;
  }
  return bits;
}

History random_history(std::mt19937& rng) {
  History h;
  h.size = std::uniform_int_distribution<std::size_t>(1, 70)(rng);
  h.culprit = std::uniform_int_distribution<std::size_t>(0, h.size - 1)(rng);
  const double densities[] = {0.0, 0.05, 0.2, 0.5, 0.8};
  const double missing_p = densities[std::uniform_int_distribution<int>(0, 4)(rng)];
  const double skip_p = densities[std::uniform_int_distribution<int>(0, 2)(rng)];
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (std::size_t i = 0; i < h.size; ++i) {
    if (coin(rng) < missing_p) {
      h.missing.insert(i);
    } else if (coin(rng) < skip_p) {
      h.skipping.insert(i);
    }
  }
  return h;
}

void expect_same_result(const Action& got, const Action& want, const std::string& context) {
  ASSERT_EQ(got.kind, want.kind) << context;
  if (want.kind == Action::Kind::culprit) {
    EXPECT_EQ(got.commit, want.commit) << context;
  } else {
    EXPECT_EQ(got.range, want.range) << context;
  }
}

TEST(BisectStateRandom, MatchesBruteForceOverRandomHistories) {
  std::mt19937 rng(20260109); // fixed seed: failures are reproducible
  std::size_t ranges = 0;
  std::size_t culprits = 0;
  for (int round = 0; round < 3000; ++round) {
    const History h = random_history(rng);
    const std::string context = describe(h);
    const Action want = expected_result(h);
    (want.kind == Action::Kind::culprit ? culprits : ranges) += 1;
    for (const bool up_front : {false, true}) {
      const Outcome out = simulate(h, up_front);
      expect_same_result(out.result, want, context + (up_front ? " (known)" : " (lazy)"));
      // Test runs that decided something: binary search plus the detours
      // forced by commits found missing or skipped.
      EXPECT_LE(out.verdicts, ceil_log2(h.size) + out.missing_hits + out.skips + 2) << context;
    }
  }
  // The generator must exercise both kinds of result.
  EXPECT_GT(culprits, 1000u);
  EXPECT_GT(ranges, 300u);
}

TEST(BisectStateRandom, WithoutGapsNeedsAtMostCeilLog2Tests) {
  for (std::size_t n = 1; n <= 70; ++n) {
    for (std::size_t culprit = 0; culprit < n; ++culprit) {
      History h;
      h.size = n;
      h.culprit = culprit;
      const Outcome out = simulate(h, false);
      ASSERT_EQ(out.result.kind, Action::Kind::culprit) << describe(h);
      EXPECT_EQ(out.result.commit, culprit) << describe(h);
      EXPECT_LE(out.verdicts, ceil_log2(n)) << describe(h);
    }
  }
}

TEST(BisectStateRandom, BatchSearchMatchesBruteForce) {
  std::mt19937 rng(8);
  for (int round = 0; round < 2000; ++round) {
    const History h = random_history(rng);
    const std::size_t k = std::uniform_int_distribution<std::size_t>(1, 5)(rng);
    std::vector<Position> positions(h.size);
    for (std::size_t i = 0; i < h.size; ++i) {
      positions[i].availability =
          h.missing.count(i) ? Availability::unavailable : Availability::available;
    }
    std::size_t rounds = 0;
    for (auto batch = choose_batch(positions, k); !batch.empty();
         batch = choose_batch(positions, k)) {
      ASSERT_LE(batch.size(), k);
      std::vector<std::pair<std::size_t, Verdict>> verdicts;
      for (const auto i : batch) {
        verdicts.emplace_back(i,
                              h.skipping.count(i) ? Verdict::skip
                              : i >= h.culprit    ? Verdict::bad
                                                  : Verdict::good);
      }
      positions = apply_verdicts(positions, verdicts);
      ASSERT_LT(++rounds, h.size + 2) << describe(h);
    }
    expect_same_result(
        next_action(positions), expected_result(h), describe(h) + " k=" + std::to_string(k));
  }
}

} // namespace
} // namespace rockart::bisect
