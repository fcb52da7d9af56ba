// SPDX-License-Identifier: MIT
// The bisect state machine: pure functions from the ordered
// commits of the range (good, bad], their availability and the verdicts so far
// to the next action. No I/O, no clock: the driver feeds it and acts on it.
//
// Positions index the range oldest → newest; the good commit is not part of it
// (it is position -1, implicitly good) and the last position is the bad commit
// (implicitly bad unless a verdict says otherwise, which is inconsistent).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace rockart::bisect {

// What a test of one commit said (`git bisect` terms).
enum class Verdict { good, bad, skip };

// Whether a commit has usable CI artifacts. `unknown` commits are candidates;
// the driver resolves them (through find) before testing.
enum class Availability { unknown, available, unavailable };

// One commit of the range as the state machine sees it.
struct Position {
  Availability availability = Availability::unknown;
  std::optional<Verdict> verdict; // the latest verdict, if any
};

// The next thing to do, or the end result.
struct Action {
  enum class Kind {
    test,         // test `commit`
    culprit,      // `commit` is the first bad commit
    range,        // the first bad commit is one of `range` (untestable neighbours)
    inconsistent, // verdicts contradict a monotone regression (see below)
  };
  Kind kind = Kind::test;
  // test / culprit: a position. inconsistent: the newest position marked good,
  // which is not older than `first_bad` (the oldest position marked bad).
  std::size_t commit = 0;
  std::vector<std::size_t> range; // range: positions, oldest first, the bad end last
  // Bounds of the remaining search: last position known good (nullopt = the
  // good commit itself) and first position known bad.
  std::optional<std::size_t> last_good;
  std::size_t first_bad = 0;
  std::size_t candidates = 0; // untested, not-unavailable positions strictly inside the bounds
};

// Next action for `positions` (non-empty, else throws UsageError). Picks the
// candidate closest to the midpoint of the remaining range (the older one on
// a tie), routing around unavailable and skipped commits.
Action next_action(std::span<const Position> positions);

// Upper bound on the remaining test runs when every candidate is testable:
// ceil(log2(candidates + 1)).
std::size_t estimated_steps(std::size_t candidates);

// The two commits that would be tested next if `current` turns out good or
// bad (for prefetching); nullopt when that outcome ends the search.
struct NextCandidates {
  std::optional<std::size_t> if_good;
  std::optional<std::size_t> if_bad;
};

// Hypothetical next tests after `current` (a position in `positions`). Throws
// UsageError if `current` is out of range.
NextCandidates next_candidates(std::span<const Position> positions, std::size_t current);

// k-ary step (CI strategy): up to `k` distinct candidates splitting the
// remaining range into k+1 near-equal parts, oldest first. Empty when the
// search is over (see next_action) or `k` is 0.
std::vector<std::size_t> choose_batch(std::span<const Position> positions, std::size_t k);

// Returns `positions` with each (position, verdict) of `verdicts` applied (a
// later verdict replaces an earlier one). Throws UsageError on a bad position.
std::vector<Position> apply_verdicts(std::span<const Position> positions,
                                     std::span<const std::pair<std::size_t, Verdict>> verdicts);

// "good" / "bad" / "skip".
const char* to_string(Verdict verdict);

// "unknown" / "available" / "unavailable".
const char* to_string(Availability availability);

// Inverse of to_string(Verdict); nullopt for anything else.
std::optional<Verdict> parse_verdict(std::string_view text);

// Inverse of to_string(Availability); nullopt for anything else.
std::optional<Availability> parse_availability(std::string_view text);

} // namespace rockart::bisect
