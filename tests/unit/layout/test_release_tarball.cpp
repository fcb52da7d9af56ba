// SPDX-License-Identifier: MIT
// Release tarballs: asset-name and version grammar, bucket choice, and picking
// the latest nightly of a GPU family from a bucket listing.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/release_tarball.hpp>

#include <gmock/gmock.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rockart::layout {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct ParseCase {
  const char* name;
  TarballAsset asset;
};

TEST(ReleaseTarball, ParsesAssetNames) {
  const std::vector<ParseCase> cases = {
      {"therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz",
       {"linux", "gfx94X-dcgpu", "7.15.0a20260722"}},
      {"therock-dist-windows-multiarch-7.15.0.tar.gz", {"windows", "multiarch", "7.15.0"}},
      {"therock-dist-linux-gfx90a-7.15.0.dev0+deadbeef.tar.gz",
       {"linux", "gfx90a", "7.15.0.dev0+deadbeef"}},
      {"therock-dist-linux-gfx110X-all-7.11.0rc20260119.tar.gz",
       {"linux", "gfx110X-all", "7.11.0rc20260119"}},
      {"therock-dist-linux-gfx94X-dcgpu-tests-7.15.0a20260722.tar.gz",
       {"linux", "gfx94X-dcgpu-tests", "7.15.0a20260722"}},
      {"therock-dist-linux-gfx90a-17.150.10.tar.gz", {"linux", "gfx90a", "17.150.10"}},
  };
  for (const auto& c : cases) {
    const auto asset = parse_tarball_asset(c.name);
    ASSERT_TRUE(asset.has_value()) << c.name;
    EXPECT_EQ(*asset, c.asset) << c.name;
  }
}

TEST(ReleaseTarball, RejectsOtherNames) {
  for (const char* name : {
           "therock-dist-linux-gfx90a-not-a-version.tar.gz",
           "therock-dist-macos-gfx90a-7.15.0.tar.gz",  // wrong platform
           "therock-dist-Linux-gfx90a-7.15.0.tar.gz",  // platform is lower-case
           "therock-dist-linux-gfx90a-7.15.0.tar.zst", // not .tar.gz
           "therock-dist-linux-gfx90a-7.15.0",
           "therock-dist-linux--7.15.0.tar.gz", // empty group
           "therock-dist-linux-7.15.0.tar.gz",  // no group at all
           "therock-dist-linux-gfx90a-7.15.tar.gz",
           "therock-dist-linux-gfx90a-7.15.0a2026072.tar.gz",  // 7 date digits
           "therock-dist-linux-gfx90a-7.15.0b20260722.tar.gz", // unknown tag
           "therock-dist-linux-gfx90a-7.15.0.dev0+DEADBEEF.tar.gz",
           "therock-dist-linux-gfx90a-7.15.0.dev0+.tar.gz",
           "therock-dist-linux-gfx90a-7.15.0.dev1+abc.tar.gz",
           "therock-dist-linux-a/b-7.15.0.tar.gz", // more than one key segment
           "v4/tarball/therock-dist-linux-gfx90a-7.15.0.tar.gz",
           "xtherock-dist-linux-gfx90a-7.15.0.tar.gz",
           "therock-dist-linux-gfx90a-7.15.0.tar.gz.sha256",
           "therock-dist-.tar.gz",
           "",
       }) {
    EXPECT_EQ(parse_tarball_asset(name), std::nullopt) << name;
  }
}

TEST(ReleaseTarball, AssetNameRoundTrips) {
  const std::string name = tarball_asset_name("linux", "gfx94X-dcgpu", "7.15.0a20260722");
  EXPECT_EQ(name, "therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz");
  EXPECT_EQ(parse_tarball_asset(name), (TarballAsset{"linux", "gfx94X-dcgpu", "7.15.0a20260722"}));
  const std::string dev = tarball_asset_name("windows", "gfx1151", "7.15.0.dev0+0123abcd");
  EXPECT_EQ(parse_tarball_asset(dev), (TarballAsset{"windows", "gfx1151", "7.15.0.dev0+0123abcd"}));
}

TEST(ReleaseTarball, KeysAndListingPrefix) {
  EXPECT_EQ(tarball_key("therock-dist-linux-gfx90a-7.15.0.tar.gz"),
            "v4/tarball/therock-dist-linux-gfx90a-7.15.0.tar.gz");
  EXPECT_EQ(tarball_listing_prefix("linux"), "v4/tarball/therock-dist-linux-");
  EXPECT_EQ(tarball_listing_prefix("windows"), "v4/tarball/therock-dist-windows-");
}

struct KindCase {
  const char* version;
  ReleaseKind kind;
};

TEST(ReleaseTarball, ReleaseKindTable) {
  const std::vector<KindCase> cases = {
      {"7.11.0a20260119", ReleaseKind::nightly},
      {"7.11.0rc20260119", ReleaseKind::nightly},
      {"7.15.0.dev0+deadbeef", ReleaseKind::dev},
      {"7.15.0.dev0+0123456789abcdef", ReleaseKind::dev},
      {"7.15.0", ReleaseKind::other}, // stable
      {"7.15.0.dev0+DEADBEEF", ReleaseKind::other},
      {"7.15.0.dev0+", ReleaseKind::other},
      {"7.15.0.dev0+xyz", ReleaseKind::other},
      {"7.15.0a2026011", ReleaseKind::other},   // 7 digits
      {"7.15.0a202601190", ReleaseKind::other}, // 9 digits
      {"7.15a20260119", ReleaseKind::other},
      {"v7.15.0a20260119", ReleaseKind::other},
      {" 7.15.0a20260119", ReleaseKind::other},
      {"7.15.0A20260119", ReleaseKind::other},
      {"latest", ReleaseKind::other},
      {"", ReleaseKind::other},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(release_kind(c.version), c.kind) << c.version;
  }
}

TEST(ReleaseTarball, InstallableReleasesPass) {
  EXPECT_EQ(require_installable_release("7.11.0a20260119"), ReleaseKind::nightly);
  EXPECT_EQ(require_installable_release("7.11.0.dev0+abc123"), ReleaseKind::dev);
}

TEST(ReleaseTarball, OtherReleasesAreAUsageErrorNamingBothIndexes) {
  EXPECT_ERROR(require_installable_release("7.15.0"), UsageError, "release version '7.15.0'");
  try {
    require_installable_release("garbage");
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'garbage' is not a nightly"));
    EXPECT_THAT(e.hint(), HasSubstr("https://rocm.nightlies.amd.com/tarball-multi-arch/"));
    EXPECT_THAT(e.hint(), HasSubstr("https://rocm.devreleases.amd.com/tarball-multi-arch/"));
    EXPECT_THAT(e.hint(), HasSubstr("7.11.0a20260119"));
    EXPECT_THAT(e.hint(), HasSubstr("7.11.0.dev0+<hex>"));
  }
}

TEST(ReleaseTarball, BucketByKind) {
  EXPECT_EQ(tarball_bucket(ReleaseKind::nightly), "therock-nightly-tarball");
  EXPECT_EQ(tarball_bucket(ReleaseKind::dev), "therock-dev-tarball");
  EXPECT_THROW(tarball_bucket(ReleaseKind::other), std::invalid_argument);
  EXPECT_EQ(k_tarball_region, "us-east-2");
  EXPECT_EQ(k_tarball_prefix, "v4/tarball/");
}

TEST(ReleaseTarball, ReleaseDate) {
  EXPECT_EQ(release_date("7.15.0a20260722"), 20260722);
  EXPECT_EQ(release_date("7.15.0rc20240229"), 20240229); // leap day
  EXPECT_EQ(release_date("7.15.0.dev0+deadbeef"), std::nullopt);
  EXPECT_EQ(release_date("7.15.0"), std::nullopt);
  EXPECT_EQ(release_date("7.15.0a2026072"), std::nullopt);
  // Impossible dates count as undated.
  EXPECT_EQ(release_date("7.15.0a20261301"), std::nullopt); // month 13
  EXPECT_EQ(release_date("7.15.0a20260132"), std::nullopt); // day 32
  EXPECT_EQ(release_date("7.15.0a20260230"), std::nullopt); // Feb 30
  EXPECT_EQ(release_date("7.15.0a20250229"), std::nullopt); // not a leap year
  EXPECT_EQ(release_date("7.15.0a20260001"), std::nullopt); // month 0
  EXPECT_EQ(release_date("7.15.0a00000101"), std::nullopt); // year 0
}

TEST(ReleaseTarball, ReleaseDateIsTheFirstDateFoundAnywhere) {
  EXPECT_EQ(release_date("rocm-7.15.0a20260722-extra"), 20260722);
  EXPECT_EQ(release_date("1.7.15.0a20260722"), 20260722);
  EXPECT_EQ(release_date("7.15.0a202607221"), 20260722);
  EXPECT_EQ(release_date("7.1.0a20260101+7.2.0a20260202"), 20260101);
}

TarballListingEntry entry(std::string name, std::string last_modified, std::uint64_t size = 1) {
  return {"v4/tarball/" + std::move(name), std::move(last_modified), size};
}

TEST(ReleaseTarball, LatestPrefersTheDateOverLastModified) {
  const std::vector<TarballListingEntry> listing = {
      entry(
          "therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z", 22),
      // Uploaded later, but an older build: a re-upload must not win.
      entry(
          "therock-dist-linux-gfx94X-dcgpu-7.16.0a20260720.tar.gz", "2026-07-23T10:00:00.000Z", 20),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx94X-dcgpu");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(*pick.latest,
            (LatestTarball{"therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz",
                           {"linux", "gfx94X-dcgpu", "7.15.0a20260722"},
                           22,
                           "2026-07-22T10:00:00.000Z"}));
  EXPECT_THAT(pick.warnings, IsEmpty());
}

TEST(ReleaseTarball, LatestBreaksDateTiesByLastModified) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-7.15.0a20260722.tar.gz", "2026-07-22T12:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.0rc20260722.tar.gz", "2026-07-22T13:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.14.0a20260722.tar.gz", "2026-07-22T11:00:00.000Z"),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->asset.version, "7.15.0rc20260722");
}

TEST(ReleaseTarball, LatestComparesTimestampsAsInstants) {
  // The same second in two spellings, then a later second without a fraction:
  // bytewise, "...00Z" would sort after "...00.000Z" and "...01Z" before it.
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-7.15.0a20260722.tar.gz", "2026-07-22T10:00:01Z"),
      entry("therock-dist-linux-gfx90a-7.15.1a20260722.tar.gz", "2026-07-22T10:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.2a20260722.tar.gz", ""), // unknown: oldest
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->asset.version, "7.15.0a20260722");
}

TEST(ReleaseTarball, LatestKeepsTheFirstListedOnAFullTie) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-7.15.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.16.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z"),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->asset.version, "7.15.0a20260722");
}

TEST(ReleaseTarball, LatestSortsUndatedVersionsLast) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-7.16.0.dev0+deadbeef.tar.gz", "2026-08-01T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.16.0.tar.gz", "2026-08-02T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.0a20260101.tar.gz", "2026-01-01T00:00:00.000Z"),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->asset.version, "7.15.0a20260101");

  // Among undated versions only LastModified counts.
  const std::vector<TarballListingEntry> undated_only(listing.begin(), listing.begin() + 2);
  const LatestPick undated = pick_latest_tarball(undated_only, "linux", "gfx90a");
  ASSERT_TRUE(undated.latest.has_value());
  EXPECT_EQ(undated.latest->asset.version, "7.16.0");
}

TEST(ReleaseTarball, LatestIgnoresOtherPlatformsGroupsTestsAndJunk) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-windows-gfx90a-7.15.0a20260730.tar.gz", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-dcgpu-7.15.0a20260730.tar.gz", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90-7.15.0a20260730.tar.gz", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-tests-7.15.0a20260730.tar.gz", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.0a20260730.tar.gz.sha256", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-nightly.tar.gz", "2026-07-30T00:00:00.000Z"),
      entry("index.html", "2026-07-30T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.0a20260701.tar.gz", "2026-07-01T00:00:00.000Z", 7),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->name, "therock-dist-linux-gfx90a-7.15.0a20260701.tar.gz");
  EXPECT_EQ(pick.latest->size, 7U);
  EXPECT_THAT(pick.warnings, IsEmpty());
}

TEST(ReleaseTarball, LatestNeverPicksATestsGroupEvenWhenAskedFor) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-tests-7.15.0a20260730.tar.gz", "2026-07-30T00:00:00.000Z"),
  };
  EXPECT_EQ(pick_latest_tarball(listing, "linux", "gfx90a-tests").latest, std::nullopt);
}

TEST(ReleaseTarball, LatestTreatsAnImpossibleDateAsUndatedWithAWarning) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx90a-7.15.0a20260101.tar.gz", "2026-01-01T00:00:00.000Z"),
      entry("therock-dist-linux-gfx90a-7.15.0a20261301.tar.gz", "2026-12-01T00:00:00.000Z"),
      // Impossible, but a different group: no warning.
      entry("therock-dist-linux-gfx1151-7.15.0a20260230.tar.gz", "2026-03-01T00:00:00.000Z"),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->asset.version, "7.15.0a20260101");
  ASSERT_EQ(pick.warnings.size(), 1U);
  EXPECT_THAT(pick.warnings[0], HasSubstr("therock-dist-linux-gfx90a-7.15.0a20261301.tar.gz"));
  EXPECT_THAT(pick.warnings[0], HasSubstr("impossible date 20261301"));
  EXPECT_THAT(pick.warnings[0], HasSubstr("undated"));
}

TEST(ReleaseTarball, LatestMatchesTheGroupIgnoringCaseAndReportsTheListingsSpelling) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z"),
  };
  for (const char* asked : {"gfx94x-dcgpu", "GFX94X-DCGPU", "gfx94X-dcgpu"}) {
    const LatestPick pick = pick_latest_tarball(listing, "linux", asked);
    ASSERT_TRUE(pick.latest.has_value()) << asked;
    EXPECT_EQ(pick.latest->asset.group, "gfx94X-dcgpu") << asked;
    EXPECT_EQ(pick.latest->name, "therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz");
  }
}

TEST(ReleaseTarball, LatestAcceptsBareNamesAndFullKeys) {
  const std::vector<TarballListingEntry> listing = {
      {"therock-dist-linux-gfx90a-7.15.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z", 1},
      {"v4/tarball/therock-dist-linux-gfx90a-7.15.0a20260723.tar.gz",
       "2026-07-23T10:00:00.000Z",
       2},
      // Deeper keys are not tarballs of this layout.
      {"v4/tarball/old/therock-dist-linux-gfx90a-7.15.0a20260730.tar.gz",
       "2026-07-30T10:00:00.000Z",
       3},
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  ASSERT_TRUE(pick.latest.has_value());
  EXPECT_EQ(pick.latest->name, "therock-dist-linux-gfx90a-7.15.0a20260723.tar.gz");
  EXPECT_EQ(pick.latest->size, 2U);
}

TEST(ReleaseTarball, LatestOfNothingIsNullopt) {
  EXPECT_EQ(pick_latest_tarball({}, "linux", "gfx90a").latest, std::nullopt);
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx1151-7.15.0a20260722.tar.gz", "2026-07-22T10:00:00.000Z"),
  };
  const LatestPick pick = pick_latest_tarball(listing, "linux", "gfx90a");
  EXPECT_EQ(pick.latest, std::nullopt);
  EXPECT_THAT(pick.warnings, IsEmpty());
}

TEST(ReleaseTarball, AvailableGroupsAreSortedDistinctWithoutTestsOrOtherPlatforms) {
  const std::vector<TarballListingEntry> listing = {
      entry("therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz", ""),
      entry("therock-dist-linux-gfx1151-7.15.0a20260722.tar.gz", ""),
      entry("therock-dist-linux-gfx94X-dcgpu-7.15.0a20260723.tar.gz", ""),
      entry("therock-dist-linux-gfx94X-dcgpu-tests-7.15.0a20260723.tar.gz", ""),
      entry("therock-dist-windows-gfx110X-all-7.15.0a20260723.tar.gz", ""),
      entry("therock-dist-linux-gfx110X-all-7.15.0.dev0+deadbeef.tar.gz", ""),
      entry("therock-dist-linux-broken-name.tar.gz", ""),
      {"therock-dist-linux-gfx90a-7.15.0.tar.gz", "", 1},
  };
  EXPECT_THAT(available_tarball_groups(listing, "linux"),
              ElementsAre("gfx110X-all", "gfx1151", "gfx90a", "gfx94X-dcgpu"));
  EXPECT_THAT(available_tarball_groups(listing, "windows"), ElementsAre("gfx110X-all"));
  EXPECT_THAT(available_tarball_groups({}, "linux"), IsEmpty());
}

} // namespace
} // namespace rockart::layout
