// SPDX-License-Identifier: MIT
// Pure helpers of request.hpp: Content-Range parsing (RFC 9110 §14.4) and header lookup.
#include <rockart/http/request.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using rockart::http::ContentRange;
using rockart::http::parse_content_range;

struct RangeCase {
  std::string value;
  std::optional<ContentRange> expected;
};

TEST(ContentRange, ParsesTheSatisfiedFormOnly) {
  const RangeCase cases[] = {
      {"bytes 0-499/1234", ContentRange{0, 499, 1234}},
      {"bytes 734-1233/1234", ContentRange{734, 1233, 1234}},
      {"bytes 0-0/1", ContentRange{0, 0, 1}},
      {"  bytes 5-9/10 ", ContentRange{5, 9, 10}}, // header values may carry spaces
      {"bytes 42-1233/*", ContentRange{42, 1233, std::nullopt}},
      {"bytes 0-18446744073709551614/18446744073709551615",
       ContentRange{0, 18446744073709551614ull, 18446744073709551615ull}},
      {"bytes */1234", std::nullopt}, // the 416 form names no range
      {"bytes 500-499/1234", std::nullopt},
      {"bytes 0-1234/1234", std::nullopt}, // last byte beyond the size
      {"bytes 0-499", std::nullopt},
      {"bytes 0/1234", std::nullopt},
      {"bytes -1-499/1234", std::nullopt},
      {"bytes 0-+4/10", std::nullopt},
      {"bytes 0-4/1x", std::nullopt},
      {"bytes 0-18446744073709551616/*", std::nullopt}, // overflows uint64
      {"items 0-4/10", std::nullopt},
      {"bytes=0-4/10", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_content_range(c.value), c.expected) << "'" << c.value << "'";
  }
}

TEST(FindHeader, IsCaseInsensitiveAndTakesTheFirst) {
  const rockart::http::Headers headers = {{"ETag", "\"a\""}, {"etag", "\"b\""}, {"X-Y", ""}};
  EXPECT_EQ(rockart::http::find_header(headers, "etag"), "\"a\"");
  EXPECT_EQ(rockart::http::find_header(headers, "x-y"), "");
  EXPECT_FALSE(rockart::http::find_header(headers, "ETa").has_value());
}

} // namespace
