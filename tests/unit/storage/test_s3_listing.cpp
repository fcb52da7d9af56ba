// SPDX-License-Identifier: MIT
// `rockart s3 ls` output: the aws CLI's text columns ("PRE" lines, then
// "date time size name" in UTC, optional --human-readable sizes and a
// --summarize trailer) and the --json shape, from hand-built listings.
#include "support/support.hpp"

#include <rockart/s3/client.hpp>
#include <rockart/storage/s3_listing.hpp>
#include <rockart/util/format.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace rockart::storage {
namespace {

s3::ObjectInfo object(std::string key,
                      std::uint64_t size,
                      std::string last_modified,
                      std::string etag = "0123456789abcdef0123456789abcdef") {
  s3::ObjectInfo info;
  info.key = std::move(key);
  info.size = size;
  info.etag = std::move(etag);
  info.last_modified = std::move(last_modified);
  return info;
}

// A run root as `s3 ls s3://therock-ci-artifacts/20723767265-linux/` sees it.
s3::Listing run_root_listing() {
  s3::Listing listing;
  listing.common_prefixes = {"20723767265-linux/logs/", "20723767265-linux/manifests/"};
  listing.objects = {
      object(
          "20723767265-linux/blas_lib_gfx94X-dcgpu.tar.zst", 123456789, "2026-03-27T12:34:56.000Z"),
      object("20723767265-linux/blas_lib_gfx94X-dcgpu.tar.zst.sha256sum",
             65,
             "2026-03-27T12:35:01.000Z"),
      object("20723767265-linux/index.html", 0, "2026-01-02T03:04:05Z"),
  };
  return listing;
}

const std::string k_pre = std::string(27, ' ') + "PRE ";

TEST(RenderLsText, PrintsPrefixesThenObjectsRelativeToTheListedFolder) {
  EXPECT_EQ(render_ls_text(run_root_listing(), "20723767265-linux/", {}),
            k_pre + "logs/\n" + k_pre
                + "manifests/\n"
                  "2026-03-27 12:34:56  123456789 blas_lib_gfx94X-dcgpu.tar.zst\n"
                  "2026-03-27 12:35:01         65 blas_lib_gfx94X-dcgpu.tar.zst.sha256sum\n"
                  "2026-01-02 03:04:05          0 index.html\n");
}

TEST(RenderLsText, PreIsRightAlignedUnderTheThirtyColumnDateAndSizeField) {
  s3::Listing listing;
  listing.common_prefixes = {"a/"};
  const std::string text = render_ls_text(listing, "", {});
  EXPECT_EQ(text, "                           PRE a/\n");
  EXPECT_EQ(text.find("PRE"), 27u); // "PRE" ends at column 30, like "date time size"
  const std::string object_line =
      render_ls_text({{object("k", 1, "2026-03-27T12:00:00Z")}, {}}, "", {});
  EXPECT_EQ(object_line.find(" k\n"), 30u);
}

TEST(RenderLsText, WithoutAPrefixNamesAreWholeKeys) {
  s3::Listing listing;
  listing.common_prefixes = {"20723767265-linux/", "ROCm-TheRock/"};
  listing.objects = {object("README.md", 42, "2026-03-27T00:00:00Z")};
  EXPECT_EQ(render_ls_text(listing, "", {}),
            k_pre + "20723767265-linux/\n" + k_pre + "ROCm-TheRock/\n"
                + "2026-03-27 00:00:00         42 README.md\n");
}

TEST(RenderLsText, APrefixWithoutTrailingSlashShowsNamesAfterItsLastSlash) {
  // `s3 ls s3://b/run/blas` lists everything starting with "run/blas".
  s3::Listing listing;
  listing.common_prefixes = {"run/blas-extra/"};
  listing.objects = {object("run/blas_lib_generic.tar.zst", 7, "2026-03-27T12:00:00Z")};
  EXPECT_EQ(render_ls_text(listing, "run/blas", {}),
            k_pre + "blas-extra/\n" + "2026-03-27 12:00:00          7 blas_lib_generic.tar.zst\n");
  // A top-level partial prefix has no slash: names are whole keys.
  s3::Listing top;
  top.common_prefixes = {"20723767265-linux/"};
  EXPECT_EQ(render_ls_text(top, "2072", {}), k_pre + "20723767265-linux/\n");
}

TEST(RenderLsText, RecursiveShowsWholeKeys) {
  s3::Listing listing;
  listing.objects = {
      object("run/logs/gfx94X-dcgpu/build.log", 2048, "2026-03-27T12:00:00.123Z"),
      object("run/logs/index.html", 10, "2026-03-27T12:00:01Z"),
  };
  LsFormat format;
  format.recursive = true;
  EXPECT_EQ(render_ls_text(listing, "run/logs/", format),
            "2026-03-27 12:00:00       2048 run/logs/gfx94X-dcgpu/build.log\n"
            "2026-03-27 12:00:01         10 run/logs/index.html\n");
}

TEST(RenderLsText, TimesAreShownInUtc) {
  s3::Listing listing;
  listing.objects = {
      object("a", 1, "2026-03-27T23:30:00.000+02:00"), // 21:30 UTC
      object("b", 1, "2026-03-27T23:30:00-01:00"),     // next day 00:30 UTC
  };
  EXPECT_EQ(render_ls_text(listing, "", {}),
            "2026-03-27 21:30:00          1 a\n"
            "2026-03-28 00:30:00          1 b\n");
}

struct SizeCase {
  std::uint64_t size;
  std::string plain; // the 10-column field without --human-readable
  std::string human; // with it
};

class RenderLsSize : public ::testing::TestWithParam<SizeCase> {};

TEST_P(RenderLsSize, IsRightAlignedToTenColumns) {
  const SizeCase& c = GetParam();
  const s3::Listing listing{{object("f", c.size, "2026-03-27T12:00:00Z")}, {}};
  EXPECT_EQ(render_ls_text(listing, "", {}), "2026-03-27 12:00:00 " + c.plain + " f\n");
  LsFormat human;
  human.human = true;
  EXPECT_EQ(render_ls_text(listing, "", human), "2026-03-27 12:00:00 " + c.human + " f\n");
  EXPECT_EQ(util::format_bytes(c.size),
            std::string(c.human.substr(c.human.find_first_not_of(' '))));
}

INSTANTIATE_TEST_SUITE_P(Table,
                         RenderLsSize,
                         ::testing::Values(SizeCase{0, "         0", "       0 B"},
                                           SizeCase{1023, "      1023", "    1023 B"},
                                           SizeCase{1024, "      1024", "   1.0 KiB"},
                                           SizeCase{1536, "      1536", "   1.5 KiB"},
                                           SizeCase{5u << 20, "   5242880", "   5.0 MiB"},
                                           SizeCase{123456789, " 123456789", " 117.7 MiB"},
                                           SizeCase{3221225472ull, "3221225472", "   3.0 GiB"},
                                           // Wider than the column: printed whole.
                                           SizeCase{12345678901ull, "12345678901", "  11.5 GiB"}));

TEST(RenderLsText, SummarizeAppendsTheObjectCountAndTotalSize) {
  LsFormat format;
  format.summarize = true;
  const std::string text = render_ls_text(run_root_listing(), "20723767265-linux/", format);
  const std::string trailer = "\nTotal Objects: 3\n   Total Size: 123456854\n";
  ASSERT_GE(text.size(), trailer.size());
  EXPECT_EQ(text.substr(text.size() - trailer.size()), trailer);
  // The lines before the trailer are the plain listing.
  EXPECT_EQ(text.substr(0, text.size() - trailer.size()),
            render_ls_text(run_root_listing(), "20723767265-linux/", {}));
}

TEST(RenderLsText, SummarizeWithHumanReadableFormatsTheTotal) {
  LsFormat format;
  format.summarize = true;
  format.human = true;
  const s3::Listing listing{
      {object("a", 1024, "2026-03-27T12:00:00Z"), object("b", 512, "2026-03-27T12:00:00Z")},
      {"sub/"}};
  EXPECT_EQ(render_ls_text(listing, "", format),
            k_pre + "sub/\n"
                + "2026-03-27 12:00:00    1.0 KiB a\n"
                  "2026-03-27 12:00:00      512 B b\n"
                  "\nTotal Objects: 2\n   Total Size: 1.5 KiB\n");
}

TEST(RenderLsText, SummarizeCountsOnlyObjectsNotPrefixes) {
  LsFormat format;
  format.summarize = true;
  s3::Listing listing;
  listing.common_prefixes = {"a/", "b/"};
  EXPECT_EQ(render_ls_text(listing, "", format),
            k_pre + "a/\n" + k_pre + "b/\n" + "\nTotal Objects: 0\n   Total Size: 0\n");
}

TEST(RenderLsText, EmptyListingWithoutSummarizeIsEmpty) {
  EXPECT_EQ(render_ls_text({}, "x/", {}), "");
}

TEST(LsJson, HasBucketPrefixPrefixesAndObjects) {
  const nlohmann::json doc =
      ls_json(run_root_listing(), "therock-ci-artifacts", "20723767265-linux/");
  const nlohmann::json expected = {
      {"bucket", "therock-ci-artifacts"},
      {"prefix", "20723767265-linux/"},
      {"prefixes", {"20723767265-linux/logs/", "20723767265-linux/manifests/"}},
      {"objects",
       {
           {{"key", "20723767265-linux/blas_lib_gfx94X-dcgpu.tar.zst"},
            {"size", 123456789},
            {"etag", "0123456789abcdef0123456789abcdef"},
            {"last_modified", "2026-03-27T12:34:56.000Z"}},
           {{"key", "20723767265-linux/blas_lib_gfx94X-dcgpu.tar.zst.sha256sum"},
            {"size", 65},
            {"etag", "0123456789abcdef0123456789abcdef"},
            {"last_modified", "2026-03-27T12:35:01.000Z"}},
           {{"key", "20723767265-linux/index.html"},
            {"size", 0},
            {"etag", "0123456789abcdef0123456789abcdef"},
            {"last_modified", "2026-01-02T03:04:05Z"}},
       }},
  };
  EXPECT_EQ(doc, expected) << doc.dump(2);
  // Keys are the whole S3 keys and sizes are numbers, whatever the text form shows.
  EXPECT_TRUE(doc["objects"][0]["size"].is_number_unsigned());
}

TEST(LsJson, EmptyListingHasEmptyArrays) {
  const nlohmann::json doc = ls_json({}, "b", "");
  EXPECT_EQ(doc.dump(), R"({"bucket":"b","objects":[],"prefix":"","prefixes":[]})");
  EXPECT_TRUE(doc["prefixes"].is_array());
  EXPECT_TRUE(doc["objects"].is_array());
}

} // namespace
} // namespace rockart::storage
