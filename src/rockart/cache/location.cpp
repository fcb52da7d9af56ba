// SPDX-License-Identifier: MIT
#include <rockart/cache/location.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace rockart::cache {
namespace {

std::optional<std::string> non_empty(const util::EnvLookup& env, std::string_view name) {
  auto value = env(name);
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::uint64_t k_kib = 1024;

// Single-letter units are binary (as in `du -h` and `sort -S`), so the
// default "50G" means 50 GiB; only an explicit "B" after a prefix (KB, MB,
// ...) selects decimal units.
constexpr std::array<Unit, 18> k_units{{
    {"", 1},
    {"b", 1},
    {"k", k_kib},
    {"ki", k_kib},
    {"kib", k_kib},
    {"kb", 1000},
    {"m", k_kib* k_kib},
    {"mi", k_kib* k_kib},
    {"mib", k_kib* k_kib},
    {"mb", 1000ULL * 1000},
    {"g", k_kib* k_kib* k_kib},
    {"gi", k_kib* k_kib* k_kib},
    {"gib", k_kib* k_kib* k_kib},
    {"gb", 1000ULL * 1000 * 1000},
    {"t", k_kib* k_kib* k_kib* k_kib},
    {"ti", k_kib* k_kib* k_kib* k_kib},
    {"tib", k_kib* k_kib* k_kib* k_kib},
    {"tb", 1000ULL * 1000 * 1000 * 1000},
}};

UsageError bad_size(std::string_view text) {
  return UsageError("invalid size '" + std::string(text) + "'",
                    "use a number of bytes with an optional unit, e.g. 50G, 500MiB, 1.5GB");
}

} // namespace

CacheLocation resolve_cache_dir(const std::optional<std::string>& flag,
                                const util::EnvLookup& env) {
  if (flag && !flag->empty()) {
    return {*flag, "--cache-dir"};
  }
  if (auto dir = non_empty(env, "ROCKART_CACHE_DIR")) {
    return {*dir, "ROCKART_CACHE_DIR"};
  }
  if (auto xdg = non_empty(env, "XDG_CACHE_HOME")) {
    return {std::filesystem::path(*xdg) / "rockart", "XDG_CACHE_HOME"};
  }
  if (auto home = non_empty(env, "HOME")) {
    return {std::filesystem::path(*home) / ".cache" / "rockart", "HOME"};
  }
  throw ConfigError("cannot locate the cache: none of --cache-dir, ROCKART_CACHE_DIR, "
                    "XDG_CACHE_HOME or HOME is set",
                    "pass --cache-dir DIR, or --no-cache to run without a cache");
}

namespace {

std::uint64_t scale(const std::string& number, std::uint64_t factor, std::string_view text) {
  if (number.find('.') == std::string::npos) {
    if (number.size() > 20) {
      throw bad_size(text);
    }
    const unsigned long long value = std::stoull(number);
    if (value > std::numeric_limits<std::uint64_t>::max() / factor) {
      throw bad_size(text);
    }
    return value * factor;
  }
  const long double value = std::stold(number) * static_cast<long double>(factor);
  if (value >= 18446744073709551615.0L) {
    throw bad_size(text);
  }
  return static_cast<std::uint64_t>(std::llround(value));
}

} // namespace

std::uint64_t parse_size(std::string_view text) {
  const std::string_view trimmed = util::trim(text);
  size_t end = 0;
  while (end < trimmed.size()
         && ((trimmed[end] >= '0' && trimmed[end] <= '9') || trimmed[end] == '.')) {
    ++end;
  }
  const std::string number(trimmed.substr(0, end));
  const std::string unit = util::to_lower(util::trim(trimmed.substr(end)));
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) {
    throw bad_size(text);
  }
  for (const Unit& candidate : k_units) {
    if (candidate.name == unit) {
      try {
        return scale(number, candidate.factor, text);
      } catch (const std::out_of_range&) {
        throw bad_size(text);
      }
    }
  }
  throw bad_size(text);
}

std::uint64_t resolve_max_size(const std::optional<std::string>& flag, const util::EnvLookup& env) {
  if (flag) {
    return parse_size(*flag);
  }
  if (auto value = non_empty(env, "ROCKART_CACHE_MAX_SIZE")) {
    try {
      return parse_size(*value);
    } catch (const UsageError& e) {
      throw ConfigError(std::string("ROCKART_CACHE_MAX_SIZE: ") + e.what(), e.hint());
    }
  }
  return k_default_max_size;
}

} // namespace rockart::cache
