// SPDX-License-Identifier: MIT
// The bounds people have instead of two SHAs: a date (the newest commit of
// the branch at that time) and no good commit at all, found by looking back
// from the bad one at doubling distances (cargo-bisect-rustc's start search).
// Pure: the driver resolves and tests the commits these functions pick.
#pragma once

#include <rockart/bisect/state.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace rockart::bisect {

// The timestamp a `--good-date` / `--bad-date` stands for, as ISO 8601 UTC:
// a day ("2026-02-03") is its last second ("2026-02-03T23:59:59Z"): the
// commits of that day are in; a full timestamp ("2026-02-03T12:00:00Z") is
// kept. Throws UsageError for anything else.
std::string until_timestamp(std::string_view date);

// One step of the look-back search for a good commit.
struct LookbackStep {
  enum class Kind {
    probe,     // test `position`
    found,     // `position` tested good: it is the good bound
    exhausted, // every probe up to the window's oldest testable commit was bad
  };
  Kind kind = Kind::probe;
  std::size_t position = 0;
};

// The next step over `window` (oldest first, the bad commit last; no good
// commit known). Probes go back from the bad commit by 1, 2, 4, 8 … commits:
// each distance doubles the one of the oldest commit found bad so far, and a
// probe that lands on a commit without artifacts (or whose test said skip)
// moves back to the next older commit that may have them (an `unknown` one
// is returned for the driver to resolve). Past the window's start, the
// oldest testable commit is the last probe. The newest commit marked good
// ends the search.
LookbackStep next_lookback_step(std::span<const Position> window);

} // namespace rockart::bisect
