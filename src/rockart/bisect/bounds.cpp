// SPDX-License-Identifier: MIT
#include <rockart/bisect/bounds.hpp>
#include <rockart/error.hpp>

#include <cctype>
#include <optional>

namespace rockart::bisect {

namespace {

bool digits(std::string_view text) {
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return !text.empty();
}

// "YYYY-MM-DD" with plausible fields.
bool is_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text.substr(0, 4))
      || !digits(text.substr(5, 2)) || !digits(text.substr(8, 2))) {
    return false;
  }
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "HH:MM:SS" with plausible fields.
bool is_time(std::string_view text) {
  return text.size() == 8 && text[2] == ':' && text[5] == ':' && digits(text.substr(0, 2))
         && digits(text.substr(3, 2)) && digits(text.substr(6, 2))
         && std::stoi(std::string(text.substr(0, 2))) < 24
         && std::stoi(std::string(text.substr(3, 2))) < 60
         && std::stoi(std::string(text.substr(6, 2))) < 61;
}

bool testable(const Position& p) {
  return p.availability != Availability::unavailable && (!p.verdict || *p.verdict != Verdict::skip);
}

} // namespace

std::string until_timestamp(std::string_view date) {
  if (is_day(date)) {
    return std::string(date) + "T23:59:59Z";
  }
  if (date.size() == 20 && is_day(date.substr(0, 10)) && date[10] == 'T'
      && is_time(date.substr(11, 8)) && date[19] == 'Z') {
    return std::string(date);
  }
  throw UsageError("'" + std::string(date) + "' is not a date",
                   "give a day (2026-02-03: its last commit) or a UTC time "
                   "(2026-02-03T12:00:00Z)");
}

LookbackStep next_lookback_step(std::span<const Position> window) {
  if (window.empty()) {
    throw UsageError("the look-back window is empty");
  }
  const std::size_t bad = window.size() - 1;
  // Distances from the bad commit (0 = the bad commit itself).
  std::size_t oldest_bad = 0;
  for (std::size_t distance = 1; distance <= bad; ++distance) {
    const Position& p = window[bad - distance];
    if (p.verdict == Verdict::good) {
      return {LookbackStep::Kind::found, bad - distance};
    }
    if (p.verdict == Verdict::bad) {
      oldest_bad = distance;
    }
  }
  const std::size_t target = oldest_bad == 0 ? 1 : 2 * oldest_bad;
  // The first testable, untested commit at or beyond `target`; past the
  // window's start, the oldest testable one older than the oldest bad.
  std::optional<std::size_t> last_chance;
  for (std::size_t distance = oldest_bad + 1; distance <= bad; ++distance) {
    const Position& p = window[bad - distance];
    if (!testable(p) || p.verdict) {
      continue;
    }
    if (distance >= target) {
      return {LookbackStep::Kind::probe, bad - distance};
    }
    last_chance = distance;
  }
  if (last_chance) {
    return {LookbackStep::Kind::probe, bad - *last_chance};
  }
  return {LookbackStep::Kind::exhausted, 0};
}

} // namespace rockart::bisect
