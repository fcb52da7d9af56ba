// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/release_tarball.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <tuple>

namespace rockart::layout {

namespace {

constexpr std::string_view k_asset_prefix = "therock-dist-";
constexpr std::string_view k_asset_suffix = ".tar.gz";
constexpr std::string_view k_dev_marker = ".dev0+";
constexpr std::string_view k_tests_suffix = "-tests";
constexpr size_t k_date_digits = 8;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

size_t digit_run(std::string_view text) {
  return static_cast<size_t>(std::find_if_not(text.begin(), text.end(), is_digit) - text.begin());
}

// Length of the `X.Y.Z` (digits only) at the front of `text`, 0 when absent.
// Each digit run ends at a non-digit, so a greedy scan needs no backtracking.
size_t base_version_length(std::string_view text) {
  size_t pos = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') {
        return 0;
      }
      ++pos;
    }
    const size_t digits = digit_run(text.substr(pos));
    if (digits == 0) {
      return 0;
    }
    pos += digits;
  }
  return pos;
}

// Length of the pre-release tag (`a` or `rc`) at the front of `text`, 0 when absent.
size_t prerelease_tag_length(std::string_view text) {
  if (text.starts_with('a')) {
    return 1;
  }
  return text.starts_with("rc") ? 2 : 0;
}

// The shape of a whole version string; `invalid` when it is no tarball version.
enum class VersionShape { stable, dated, dev, invalid };

VersionShape version_shape(std::string_view version) {
  const size_t base = base_version_length(version);
  if (base == 0) {
    return VersionShape::invalid;
  }
  const std::string_view rest = version.substr(base);
  if (rest.empty()) {
    return VersionShape::stable;
  }
  if (const size_t tag = prerelease_tag_length(rest); tag != 0) {
    const std::string_view date = rest.substr(tag);
    return date.size() == k_date_digits && util::is_decimal(date) ? VersionShape::dated
                                                                  : VersionShape::invalid;
  }
  if (rest.starts_with(k_dev_marker)) {
    const std::string_view hash = rest.substr(k_dev_marker.size());
    return !hash.empty() && std::all_of(hash.begin(), hash.end(), is_lower_hex)
               ? VersionShape::dev
               : VersionShape::invalid;
  }
  return VersionShape::invalid;
}

// The 8 date digits of the leftmost `X.Y.Z(a|rc)DDDDDDDD` in `version`, searched
// like an unanchored regex: text may surround it and more digits may follow.
std::optional<std::string_view> find_date_digits(std::string_view version) {
  for (size_t start = 0; start < version.size(); ++start) {
    const std::string_view text = version.substr(start);
    const size_t base = base_version_length(text);
    if (base == 0) {
      continue;
    }
    const size_t tag = prerelease_tag_length(text.substr(base));
    if (tag == 0) {
      continue;
    }
    const std::string_view date = text.substr(base + tag, k_date_digits);
    if (date.size() == k_date_digits && util::is_decimal(date)) {
      return date;
    }
  }
  return std::nullopt;
}

// YYYYMMDD as a number when `digits` is a real Gregorian date (leap years
// included); year 0000 is no build date either.
std::optional<int> calendar_date(std::string_view digits) {
  const int value = std::stoi(std::string(digits));
  const int year = value / 10000;
  const auto month = static_cast<unsigned>(value / 100 % 100);
  const auto day = static_cast<unsigned>(value % 100);
  const std::chrono::year_month_day date{
      std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (year < 1 || !date.ok()) {
    return std::nullopt;
  }
  return value;
}

// Listings come from S3 as full keys; callers that already stripped the
// prefix pass bare names. Both reduce to the file name.
std::string_view file_name_of(std::string_view key_or_name) {
  if (key_or_name.starts_with(k_tarball_prefix)) {
    key_or_name.remove_prefix(k_tarball_prefix.size());
  }
  return key_or_name;
}

bool is_tests_group(std::string_view group) {
  return group.ends_with(k_tests_suffix);
}

// What "newest" compares: build date first, then LastModified. An empty
// optional is smaller than any value, so undated versions and unparseable
// timestamps sort as oldest. Timestamps compare as instants rather than text
// because stores differ in form ("...00Z" vs "...00.000Z"); S3 reports whole
// seconds, so dropping the fraction loses nothing.
using Recency = std::tuple<std::optional<int>, std::optional<std::chrono::sys_seconds>>;

} // namespace

ReleaseKind release_kind(std::string_view version) {
  switch (version_shape(version)) {
  case VersionShape::dated:
    return ReleaseKind::nightly;
  case VersionShape::dev:
    return ReleaseKind::dev;
  default:
    return ReleaseKind::other;
  }
}

ReleaseKind require_installable_release(std::string_view version) {
  const ReleaseKind kind = release_kind(version);
  if (kind == ReleaseKind::other) {
    // Only the nightly and dev buckets are searched, and the kind alone picks
    // the bucket, so any other form could never be found.
    throw UsageError("release version '" + std::string(version)
                         + "' is not a nightly (X.Y.ZaYYYYMMDD or X.Y.ZrcYYYYMMDD) or dev"
                           " (X.Y.Z.dev0+<hex>) version; only those can be installed by version",
                     "pick a nightly version from " + std::string(k_nightly_tarball_index_url)
                         + " (e.g. 7.11.0a20260119) or a dev version from "
                         + std::string(k_dev_tarball_index_url) + " (e.g. 7.11.0.dev0+<hex>)");
  }
  return kind;
}

std::string_view tarball_bucket(ReleaseKind kind) {
  switch (kind) {
  case ReleaseKind::nightly:
    return k_nightly_tarball_bucket;
  case ReleaseKind::dev:
    return k_dev_tarball_bucket;
  case ReleaseKind::other:
    break;
  }
  throw std::invalid_argument("tarball_bucket: no bucket holds releases that are neither "
                              "nightly nor dev");
}

std::optional<TarballAsset> parse_tarball_asset(std::string_view file_name) {
  if (file_name.size() < k_asset_prefix.size() + k_asset_suffix.size()
      || !file_name.starts_with(k_asset_prefix) || !file_name.ends_with(k_asset_suffix)) {
    return std::nullopt;
  }
  std::string_view middle = file_name.substr(
      k_asset_prefix.size(), file_name.size() - k_asset_prefix.size() - k_asset_suffix.size());
  const size_t platform_end = middle.find('-');
  if (platform_end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view platform = middle.substr(0, platform_end);
  if (platform != "linux" && platform != "windows") {
    return std::nullopt;
  }
  // A version never contains '-', so the last '-' separates group and version
  // however many '-' the group itself has (gfx94X-dcgpu).
  middle.remove_prefix(platform_end + 1);
  const size_t version_start = middle.rfind('-');
  if (version_start == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view group = middle.substr(0, version_start);
  const std::string_view version = middle.substr(version_start + 1);
  // A group with a path separator would make the name more than one key
  // segment (and an unsafe local file name).
  if (group.empty() || group.find_first_of("/\\") != std::string_view::npos
      || version_shape(version) == VersionShape::invalid) {
    return std::nullopt;
  }
  return TarballAsset{std::string(platform), std::string(group), std::string(version)};
}

std::string
tarball_asset_name(std::string_view platform, std::string_view group, std::string_view version) {
  std::string name(k_asset_prefix);
  name.append(platform).append("-").append(group).append("-").append(version);
  name.append(k_asset_suffix);
  return name;
}

std::string tarball_key(std::string_view asset_name) {
  return std::string(k_tarball_prefix) + std::string(asset_name);
}

std::string tarball_listing_prefix(std::string_view platform) {
  return std::string(k_tarball_prefix) + std::string(k_asset_prefix) + std::string(platform) + "-";
}

std::optional<int> release_date(std::string_view version) {
  const auto digits = find_date_digits(version);
  return digits ? calendar_date(*digits) : std::nullopt;
}

LatestPick pick_latest_tarball(const std::vector<TarballListingEntry>& listing,
                               std::string_view platform,
                               std::string_view group) {
  const std::string wanted_group = util::to_lower(group);
  LatestPick pick;
  std::optional<Recency> best;
  for (const auto& entry : listing) {
    const std::string_view name = file_name_of(entry.key_or_name);
    auto asset = parse_tarball_asset(name);
    if (!asset || asset->platform != platform || is_tests_group(asset->group)
        || util::to_lower(asset->group) != wanted_group) {
      continue;
    }
    const auto digits = find_date_digits(asset->version);
    const std::optional<int> date = digits ? calendar_date(*digits) : std::nullopt;
    if (digits && !date) {
      pick.warnings.push_back(std::string(name) + ": version " + asset->version
                              + " has an impossible date " + std::string(*digits)
                              + "; treating it as undated (oldest)");
    }
    const Recency recency{date, util::parse_iso8601(entry.last_modified)};
    // Strictly newer only: on a full tie the entry listed first stays.
    if (!best || recency > *best) {
      best = recency;
      pick.latest =
          LatestTarball{std::string(name), std::move(*asset), entry.size, entry.last_modified};
    }
  }
  return pick;
}

std::vector<std::string> available_tarball_groups(const std::vector<TarballListingEntry>& listing,
                                                  std::string_view platform) {
  std::set<std::string, std::less<>> groups;
  for (const auto& entry : listing) {
    const auto asset = parse_tarball_asset(file_name_of(entry.key_or_name));
    if (asset && asset->platform == platform && !is_tests_group(asset->group)) {
      groups.insert(asset->group);
    }
  }
  return {groups.begin(), groups.end()};
}

} // namespace rockart::layout
