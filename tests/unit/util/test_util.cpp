// SPDX-License-Identifier: MIT
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>
#include <rockart/util/uri.hpp>

#include <atomic>
#include <stdexcept>

namespace rockart::util {
namespace {

TEST(Strings, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a//b", '/'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", '/'), (std::vector<std::string>{""}));
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
}

TEST(Strings, LowerTrimDecimal) {
  EXPECT_EQ(to_lower("GFX94X-DcGpu"), "gfx94x-dcgpu");
  EXPECT_EQ(trim("  x y \r\n"), "x y");
  EXPECT_TRUE(is_decimal("20723767265"));
  EXPECT_FALSE(is_decimal(""));
  EXPECT_FALSE(is_decimal("12a"));
}

TEST(Strings, EscapeMarkupCoversTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_markup("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(escape_markup("rocm_7.0+rc1 ünïcode"), "rocm_7.0+rc1 ünïcode");
  EXPECT_EQ(escape_markup(""), "");
}

TEST(Parallel, RunsEveryIndexAndReportsEachFailureByIndex) {
  for (const int concurrency : {1, 3, 50}) {
    std::vector<std::atomic<int>> runs(20);
    const auto failures = run_parallel(runs.size(), concurrency, [&](std::size_t i) {
      ++runs[i];
      if (i % 7 == 3) {
        throw std::runtime_error("job " + std::to_string(i));
      }
    });
    ASSERT_EQ(failures.size(), runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
      EXPECT_EQ(runs[i].load(), 1) << i;
      EXPECT_EQ(failures[i] != nullptr, i % 7 == 3) << i;
    }
    EXPECT_EQ(message_of(failures[10]), "job 10");
  }
  EXPECT_EQ(message_of(std::make_exception_ptr(42)), "unknown error");
}

TEST(Parallel, StopStartsNothingAfterAFailureAndRethrowsTheFirst) {
  // One thread: the order is fixed, so exactly the indices before the failure ran.
  std::vector<int> runs(10, 0);
  const auto failures = run_parallel(
      runs.size(),
      1,
      [&](std::size_t i) {
        ++runs[i];
        if (i == 4) {
          throw std::runtime_error("part 4");
        }
      },
      OnFailure::stop);
  EXPECT_EQ(runs, (std::vector<int>{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(failures[4] != nullptr, true);
  EXPECT_EQ(failures[5], nullptr); // never ran: no failure of its own
  try {
    rethrow_first(failures);
    ADD_FAILURE() << "rethrow_first threw nothing";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "part 4");
  }
  rethrow_first(std::vector<std::exception_ptr>(3)); // no failure: returns
}

TEST(Format, BytesInBinaryUnitsWithOneDecimal) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(50ULL << 30), "50.0 GiB");
  EXPECT_EQ(format_bytes(3ULL << 39), "1.5 TiB");
  EXPECT_EQ(format_bytes(3ULL << 49), "1.5 PiB");
}

TEST(Hash, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 incremental;
  incremental.update("a");
  incremental.update("bc");
  EXPECT_EQ(to_hex(incremental.digest()), sha256_hex("abc"));
  EXPECT_TRUE(is_sha256_hex(sha256_hex("x")));
  EXPECT_FALSE(is_sha256_hex("abc"));
}

TEST(Hash, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(to_hex(reinterpret_cast<const std::uint8_t*>(
                       hmac_sha256("Jefe", "what do ya want for nothing?").data()),
                   32),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Uri, PercentEncodeKeepsUnreserved) {
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("gfx942:xnack+"), "gfx942%3Axnack%2B");
  EXPECT_EQ(percent_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(percent_encode("a/b"), "a%2Fb");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(percent_decode("gfx942%3Axnack%2B"), "gfx942:xnack+");
  EXPECT_ERROR(percent_decode("bad%2"), UsageError, "malformed percent-escape");
}

TEST(Time, ParsesAndFormatsIso8601) {
  const auto t = parse_iso8601("2025-11-11T16:18:48Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_iso8601(*t), "2025-11-11T16:18:48Z");
  EXPECT_EQ(format_amz_date(*t), "20251111T161848Z");
  EXPECT_EQ(parse_iso8601("2025-11-11T16:18:48.123Z"), t);
  EXPECT_EQ(parse_iso8601("2025-11-11T16:18:48+00:00"), t);
  EXPECT_FALSE(parse_iso8601("2025-11-11").has_value());
  EXPECT_FALSE(parse_iso8601("2025-13-11T16:18:48Z").has_value());
  // Numeric offsets are normalised to UTC (buckets.md §4 decision).
  EXPECT_EQ(parse_iso8601("2025-11-11T18:18:48+02:00"), t);
  EXPECT_EQ(parse_iso8601("2025-11-11T08:18:48-08:00"), t);
  EXPECT_EQ(parse_iso8601("2025-11-11T21:48:48.5+05:30"), t);
  EXPECT_EQ(parse_iso8601("2025-11-10T23:18:48-17:00"), t);
  EXPECT_FALSE(parse_iso8601("2025-11-11T16:18:48+0200").has_value());
  EXPECT_FALSE(parse_iso8601("2025-11-11T16:18:48+24:00").has_value());
  EXPECT_FALSE(parse_iso8601("2025-11-11T16:18:48+02:60").has_value());
  EXPECT_FALSE(parse_iso8601("2025-11-11T16:18:48").has_value());
}

TEST(Redact, HidesSecretsInHeadersAndUrls) {
  EXPECT_EQ(redact_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA..."), "****");
  EXPECT_EQ(redact_header("x-amz-security-token", "tok"), "****");
  EXPECT_EQ(redact_header("Content-Type", "text/html"), "text/html");
  EXPECT_EQ(redact_url("https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&partNumber=1"),
            "https://b.s3.amazonaws.com/k?X-Amz-Signature=****&partNumber=1");
  EXPECT_EQ(redact_url("https://user:pw@host/x"), "https://****@host/x");
  EXPECT_EQ(redact_secret("token ghp_123 in text", "ghp_123"), "token **** in text");
}

TEST(Log, SinkReceivesFormattedLinesAtOrAboveLevel) {
  std::vector<std::string> lines;
  set_log_sink([&](LogLevel, std::string_view line) { lines.emplace_back(line); });
  set_log_level(LogLevel::info);
  log_debug("hidden");
  log_warn("shown");
  set_log_sink(nullptr);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "rockart: warn: shown");
}

TEST(Strings, EditDistanceIgnoresCase) {
  EXPECT_EQ(edit_distance("fetch", "fetch"), 0u);
  EXPECT_EQ(edit_distance("fecth", "fetch"), 2u);
  EXPECT_EQ(edit_distance("GFX942", "gfx942"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Strings, ClosestNamesNearestFirstWithinAThird) {
  const std::vector<std::string> known = {"fetch", "find", "install", "bisect", "latest"};
  EXPECT_EQ(closest_names("fecth", known), (std::vector<std::string>{"fetch"}));
  EXPECT_EQ(closest_names("fin", known), (std::vector<std::string>{"find"}));
  EXPECT_EQ(closest_names("instal", known), (std::vector<std::string>{"install"}));
  EXPECT_TRUE(closest_names("zzzzzzzz", known).empty());
  EXPECT_EQ(closest_names("fi", {"find", "fix", "fit", "file"}, 2).size(), 2u);
  // A prefix counts however short: "gfx94" is the start of a longer family name.
  EXPECT_EQ(closest_names("gfx94", {"gfx94X-dcgpu", "gfx1100"}),
            (std::vector<std::string>{"gfx94X-dcgpu"}));
}

} // namespace
} // namespace rockart::util

namespace rockart::util {
namespace {

TEST(Utf8, ValidAndInvalidSequences) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));             // cut short
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("ok\x80then"));       // a lone continuation byte
}

TEST(Printable, KeepsTextAndEscapesEverythingElse) {
  EXPECT_EQ(printable("abc def"), "abc def");
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(printable("\xff\x1b[0m\n\x7f"), "\\xff\\x1b[0m\\x0a\\x7f");
  EXPECT_EQ(printable("\xC3"), "\\xc3");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

} // namespace
} // namespace rockart::util
