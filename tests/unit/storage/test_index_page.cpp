// SPDX-License-Identifier: MIT
// Index pages (spec/layout.md §5): sizes, dates, sorting, escaping, the `..`
// rule and which directories get a page.
#include <rockart/storage/index_page.hpp>
#include <rockart/util/strings.hpp>

#include <gtest/gtest.h>

namespace rockart::storage {
namespace {

struct SizeRow {
  std::uint64_t bytes;
  const char* text;
};

class FormatSize : public ::testing::TestWithParam<SizeRow> {};

TEST_P(FormatSize, LargestBinaryUnitTruncated) {
  EXPECT_EQ(format_size(GetParam().bytes), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(Units,
                         FormatSize,
                         ::testing::Values(SizeRow{0, "0 B"},
                                           SizeRow{1023, "1023 B"},
                                           SizeRow{1024, "1 KB"},
                                           SizeRow{2047, "1 KB"},
                                           SizeRow{(12ull << 20) + (900ull << 10), "12 MB"},
                                           SizeRow{(1ull << 30) - 1, "1023 MB"},
                                           SizeRow{3ull << 30, "3 GB"},
                                           SizeRow{5ull << 40, "5 TB"},
                                           SizeRow{2ull << 50, "2 PB"},
                                           SizeRow{4096ull << 50, "4096 PB"}));

TEST(IndexPage, TimeIsMinutePrecisionUtc) {
  EXPECT_EQ(format_listing_time("2026-03-27T12:05:59Z"), "2026-03-27 12:05 UTC");
  EXPECT_EQ(format_listing_time("2026-03-27T12:05:59.000Z"), "2026-03-27 12:05 UTC");
  EXPECT_EQ(format_listing_time("garbage"), "&mdash;");
}

TEST(IndexPage, EscapesHtml) {
  EXPECT_EQ(util::escape_markup(R"(<a href="x">&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

TEST(IndexPage, RendersSortedMixedEntriesWithParentLink) {
  const std::string html = render_index_page("gfx94X",
                                             {{"z.log", false, 2048, "2026-03-27T12:05:09Z"},
                                              {"index.html", false, 10, "2026-03-27T12:05:09Z"},
                                              {"sub", true, 0, ""},
                                              {"a+b<c>.tar.zst", false, 5, "2026-01-02T03:04:05Z"}},
                                             true);
  EXPECT_EQ(html,
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>gfx94X</title>\n"
            "</head>\n<body>\n<h1>gfx94X</h1>\n<table>\n"
            "<tr><th>Name</th><th>Size</th><th>Last modified</th></tr>\n"
            "<tr><td><a href=\"../index.html\">..</a></td><td>&mdash;</td><td>&mdash;</td></tr>\n"
            "<tr><td><a href=\"a%2Bb%3Cc%3E.tar.zst\">a+b&lt;c&gt;.tar.zst</a></td><td>5 B</td>"
            "<td><time datetime=\"2026-01-02T03:04:05Z\">2026-01-02 03:04 UTC</time></td></tr>\n"
            "<tr><td><a href=\"sub/index.html\">sub/</a></td><td>&mdash;</td><td>&mdash;</td>"
            "</tr>\n"
            "<tr><td><a href=\"z.log\">z.log</a></td><td>2 KB</td>"
            "<td><time datetime=\"2026-03-27T12:05:09Z\">2026-03-27 12:05 UTC</time></td></tr>\n"
            "</table>\n</body>\n</html>\n");
}

std::vector<std::string> dirs(const std::vector<IndexPage>& pages) {
  std::vector<std::string> out;
  for (const auto& page : pages) {
    out.push_back(page.directory);
  }
  return out;
}

const std::vector<StoredObject> k_listing{
    {"a.tar.zst", 10, "2026-03-27T12:00:00Z"},
    {"index.html", 1, "2026-03-27T12:00:00Z"},
    {"logs/g/build.log", 10, "2026-03-27T12:00:00Z"},
    {"logs/g/therock-build-prof/comp-summary.md", 10, "2026-03-27T12:00:00Z"},
    {"manifests/index.html", 1, "2026-03-27T12:00:00Z"},
};

TEST(IndexPlan, PagesForDirectoriesWithFiles) {
  EXPECT_EQ(dirs(plan_index_pages(k_listing, "12345-linux", false)),
            (std::vector<std::string>{"", "logs/g", "logs/g/therock-build-prof"}));
}

TEST(IndexPlan, IntermediateDirectoriesOnRequest) {
  EXPECT_EQ(dirs(plan_index_pages(k_listing, "12345-linux", true)),
            (std::vector<std::string>{"", "logs", "logs/g", "logs/g/therock-build-prof"}));
}

TEST(IndexPlan, RootPageHasNoParentLinkAndListsSubdirectories) {
  const auto pages = plan_index_pages(k_listing, "12345-linux", false);
  EXPECT_NE(pages[0].html.find("<title>12345-linux</title>"), std::string::npos);
  EXPECT_EQ(pages[0].html.find("../index.html"), std::string::npos);
  EXPECT_NE(pages[0].html.find("<a href=\"logs/index.html\">logs/</a>"), std::string::npos);
  EXPECT_NE(pages[0].html.find("<a href=\"manifests/index.html\">manifests/</a>"),
            std::string::npos);
  EXPECT_EQ(pages[0].html.find(">index.html<"), std::string::npos);
  EXPECT_NE(pages[1].html.find("<title>g</title>"), std::string::npos);
  EXPECT_NE(pages[1].html.find("../index.html"), std::string::npos);
}

TEST(IndexPlan, OnlyIndexFilesGiveNoPages) {
  EXPECT_TRUE(plan_index_pages({{"index.html", 1, ""}}, "P", true).empty());
}

} // namespace
} // namespace rockart::storage
