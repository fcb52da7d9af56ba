// SPDX-License-Identifier: MIT
// ROCm release tarballs (the multi-arch dist tarballs TheRock publishes to its
// public nightly and dev buckets): bucket and key names, the asset-name and
// version grammar, and picking the newest nightly for a GPU family from a
// bucket listing. Pure: the listing and the host platform are inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// Both buckets are public: read them unsigned (anonymous requests).
inline constexpr std::string_view k_nightly_tarball_bucket = "therock-nightly-tarball";
inline constexpr std::string_view k_dev_tarball_bucket = "therock-dev-tarball";
inline constexpr std::string_view k_tarball_region = "us-east-2";
// Every tarball sits directly under this key prefix in both buckets.
inline constexpr std::string_view k_tarball_prefix = "v4/tarball/";

// Browsable indexes of the two buckets, named in the usage error for `--release`.
inline constexpr std::string_view k_nightly_tarball_index_url =
    "https://rocm.nightlies.amd.com/tarball-multi-arch/";
inline constexpr std::string_view k_dev_tarball_index_url =
    "https://rocm.devreleases.amd.com/tarball-multi-arch/";

// nightly: `X.Y.Z` + `a` or `rc` + exactly 8 digits (7.11.0a20260119);
// dev: `X.Y.Z.dev0+` + lower-case hex (7.11.0.dev0+0123abcd);
// other: anything else, stable versions (7.15.0) included.
enum class ReleaseKind { nightly, dev, other };

// The kind of the whole of `version` (no surrounding text allowed). ASCII
// digits only; the hex of a dev version must be lower-case.
ReleaseKind release_kind(std::string_view version);

// release_kind(`version`) when it is nightly or dev. Otherwise throws
// UsageError naming `version`, with a hint giving both index URLs and an
// example version of each kind.
ReleaseKind require_installable_release(std::string_view version);

// The bucket holding tarballs of `kind`. Throws std::invalid_argument for
// ReleaseKind::other, which no bucket serves (check with
// require_installable_release() first).
std::string_view tarball_bucket(ReleaseKind kind);

// The parts of a tarball file name `therock-dist-{platform}-{group}-{version}.tar.gz`.
struct TarballAsset {
  std::string platform; // "linux" or "windows"
  std::string group;    // GPU family as spelled in the name, may contain '-'
  std::string version;  // stable, nightly or dev version (see ReleaseKind)

  bool operator==(const TarballAsset&) const = default;
};

// Parses a bare file name (no key prefix). The version is the last
// '-'-separated part and must be `X.Y.Z`, optionally followed by `a`/`rc` + 8
// digits or `.dev0+` + lower-case hex; the group is the non-empty rest and may
// not contain '/' or '\'. Returns nullopt when `file_name` is not of that form.
std::optional<TarballAsset> parse_tarball_asset(std::string_view file_name);

// `therock-dist-{platform}-{group}-{version}.tar.gz`; no validation.
std::string
tarball_asset_name(std::string_view platform, std::string_view group, std::string_view version);

// `v4/tarball/{asset_name}`: the object key of a tarball in either bucket.
std::string tarball_key(std::string_view asset_name);

// `v4/tarball/therock-dist-{platform}-`: the prefix to list when looking for
// the latest nightly of a platform.
std::string tarball_listing_prefix(std::string_view platform);

// The build date in `version` as the number YYYYMMDD: the first
// `X.Y.Z(a|rc)YYYYMMDD` found anywhere in it. nullopt when there is none (dev
// and stable versions) or when it is not a calendar date (month 13, Feb 30).
std::optional<int> release_date(std::string_view version);

// One object of a bucket listing. `key_or_name` is either the full key
// (`v4/tarball/therock-dist-...tar.gz`) or the bare file name; both are
// accepted. `last_modified` is ISO 8601 as S3 reports it
// ("2026-07-22T10:00:00.000Z"); empty or unparseable counts as oldest.
struct TarballListingEntry {
  std::string key_or_name;
  std::string last_modified;
  std::uint64_t size = 0;
};

// The tarball chosen by pick_latest_tarball(); `name` is the bare file name.
struct LatestTarball {
  std::string name;
  TarballAsset asset;
  std::uint64_t size = 0;
  std::string last_modified;

  bool operator==(const LatestTarball&) const = default;
};

// `latest` is nullopt when nothing matched; `warnings` are sentences for the
// user (one per matching tarball whose date is impossible), in listing order.
struct LatestPick {
  std::optional<LatestTarball> latest;
  std::vector<std::string> warnings;
};

// The newest tarball in `listing` whose name parses, whose platform is
// `platform`, and whose group equals `group` ignoring ASCII case but does not
// end in "-tests". `latest.asset.group` keeps the listing's spelling (TheRock's
// script compares case-sensitively; ignoring case lets "gfx94x-dcgpu" find
// gfx94X-dcgpu). Newest means the greatest (release_date, last_modified), an undated version being
// older than any dated one; version numbers are never compared. On a full tie
// the entry listed first wins. An impossible date sorts as undated and adds a
// warning.
LatestPick pick_latest_tarball(const std::vector<TarballListingEntry>& listing,
                               std::string_view platform,
                               std::string_view group);

// The distinct groups, exactly as spelled, of the parseable tarballs of
// `platform` in `listing`, "-tests" groups left out, sorted bytewise: what to
// offer when pick_latest_tarball() found nothing.
std::vector<std::string> available_tarball_groups(const std::vector<TarballListingEntry>& listing,
                                                  std::string_view platform);

} // namespace rockart::layout
