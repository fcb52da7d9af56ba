// SPDX-License-Identifier: MIT
#include <rockart/bisect/state.hpp>
#include <rockart/error.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace rockart::bisect {
namespace {

// Positions are handled as signed numbers so that the good commit can be -1.
using Index = std::int64_t;

struct Bounds {
  Index last_good = -1; // newest position marked good (-1: the good commit)
  Index first_bad = 0;  // oldest position marked bad (the bad end if none)
};

Bounds find_bounds(std::span<const Position> positions) {
  Bounds bounds;
  bounds.first_bad = static_cast<Index>(positions.size()) - 1;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const auto& verdict = positions[i].verdict;
    const auto index = static_cast<Index>(i);
    if (verdict == Verdict::good) {
      bounds.last_good = index;
    } else if (verdict == Verdict::bad) {
      bounds.first_bad = std::min(bounds.first_bad, index);
    }
  }
  return bounds;
}

bool is_candidate(const Position& position) {
  return !position.verdict && position.availability != Availability::unavailable;
}

// The candidate strictly inside `bounds` closest to `target / scale` (the older
// one on a tie) that is not in `taken`; -1 if there is none.
Index nearest_candidate(std::span<const Position> positions,
                        const Bounds& bounds,
                        Index target,
                        Index scale,
                        const std::vector<std::size_t>& taken) {
  Index best = -1;
  Index best_distance = std::numeric_limits<Index>::max();
  for (Index i = bounds.last_good + 1; i < bounds.first_bad; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (!is_candidate(positions[u]) || std::find(taken.begin(), taken.end(), u) != taken.end()) {
      continue;
    }
    const Index distance = i * scale > target ? i * scale - target : target - i * scale;
    if (distance < best_distance) {
      best = i;
      best_distance = distance;
    }
  }
  return best;
}

void require_non_empty(std::span<const Position> positions) {
  if (positions.empty()) {
    throw UsageError("bisect range is empty: the good commit must be an ancestor of the bad one",
                     "check the order of --good and --bad");
  }
}

} // namespace

Action next_action(std::span<const Position> positions) {
  require_non_empty(positions);
  const Bounds bounds = find_bounds(positions);
  Action action;
  action.first_bad = static_cast<std::size_t>(bounds.first_bad);
  if (bounds.last_good >= 0) {
    action.last_good = static_cast<std::size_t>(bounds.last_good);
  }
  if (bounds.last_good >= bounds.first_bad) {
    action.kind = Action::Kind::inconsistent;
    action.commit = static_cast<std::size_t>(bounds.last_good);
    return action;
  }
  for (Index i = bounds.last_good + 1; i < bounds.first_bad; ++i) {
    action.candidates += is_candidate(positions[static_cast<std::size_t>(i)]) ? 1 : 0;
  }
  if (action.candidates > 0) {
    // Twice the midpoint keeps the arithmetic exact.
    const Index best = nearest_candidate(
        positions, bounds, bounds.last_good + bounds.first_bad, 2, std::vector<std::size_t>{});
    action.kind = Action::Kind::test;
    action.commit = static_cast<std::size_t>(best);
    return action;
  }
  if (bounds.first_bad == bounds.last_good + 1) {
    action.kind = Action::Kind::culprit;
    action.commit = action.first_bad;
    return action;
  }
  action.kind = Action::Kind::range;
  for (Index i = bounds.last_good + 1; i <= bounds.first_bad; ++i) {
    action.range.push_back(static_cast<std::size_t>(i));
  }
  return action;
}

std::size_t estimated_steps(std::size_t candidates) {
  std::size_t steps = 0;
  while ((std::size_t{1} << steps) < candidates + 1) {
    ++steps;
  }
  return steps;
}

NextCandidates next_candidates(std::span<const Position> positions, std::size_t current) {
  NextCandidates next;
  for (const Verdict verdict : {Verdict::good, Verdict::bad}) {
    const std::pair<std::size_t, Verdict> hypothesis{current, verdict};
    const auto after = apply_verdicts(positions, std::span(&hypothesis, 1));
    const Action action = next_action(after);
    if (action.kind == Action::Kind::test) {
      (verdict == Verdict::good ? next.if_good : next.if_bad) = action.commit;
    }
  }
  return next;
}

std::vector<std::size_t> choose_batch(std::span<const Position> positions, std::size_t k) {
  require_non_empty(positions);
  const Bounds bounds = find_bounds(positions);
  std::vector<std::size_t> batch;
  if (bounds.last_good >= bounds.first_bad) {
    return batch;
  }
  const auto parts = static_cast<Index>(k) + 1;
  for (Index j = 1; j <= static_cast<Index>(k); ++j) {
    // Split point j/(k+1) of the way from last_good to first_bad, scaled by k+1.
    const Index target = (parts - j) * bounds.last_good + j * bounds.first_bad;
    const Index pick = nearest_candidate(positions, bounds, target, parts, batch);
    if (pick < 0) {
      break;
    }
    batch.push_back(static_cast<std::size_t>(pick));
  }
  std::sort(batch.begin(), batch.end());
  return batch;
}

std::vector<Position> apply_verdicts(std::span<const Position> positions,
                                     std::span<const std::pair<std::size_t, Verdict>> verdicts) {
  std::vector<Position> result(positions.begin(), positions.end());
  for (const auto& [position, verdict] : verdicts) {
    if (position >= result.size()) {
      throw UsageError("bisect position " + std::to_string(position) + " is outside the range of "
                       + std::to_string(result.size()) + " commits");
    }
    result[position].verdict = verdict;
  }
  return result;
}

const char* to_string(Verdict verdict) {
  switch (verdict) {
  case Verdict::good:
    return "good";
  case Verdict::bad:
    return "bad";
  case Verdict::skip:
    return "skip";
  }
  return "?";
}

const char* to_string(Availability availability) {
  switch (availability) {
  case Availability::unknown:
    return "unknown";
  case Availability::available:
    return "available";
  case Availability::unavailable:
    return "unavailable";
  }
  return "?";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (const Verdict verdict : {Verdict::good, Verdict::bad, Verdict::skip}) {
    if (text == to_string(verdict)) {
      return verdict;
    }
  }
  return std::nullopt;
}

std::optional<Availability> parse_availability(std::string_view text) {
  for (const Availability availability :
       {Availability::unknown, Availability::available, Availability::unavailable}) {
    if (text == to_string(availability)) {
      return availability;
    }
  }
  return std::nullopt;
}

} // namespace rockart::bisect
