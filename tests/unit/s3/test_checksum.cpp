// SPDX-License-Identifier: MIT
// CRC-32 and the base64 forms of S3's x-amz-checksum-crc32, against published
// vectors (CRC catalogue check value, RFC 4648 §10) and values from Python's
// binascii.crc32, an independent implementation.
#include <rockart/error.hpp>
#include <rockart/s3/checksum.hpp>

#include <gtest/gtest.h>

#include <support/support.hpp>

namespace rockart::s3 {
namespace {

struct CrcCase {
  std::string input;
  std::uint32_t crc;
  std::string header; // base64 of the big-endian CRC
};

TEST(Crc32, MatchesKnownVectorsAndTheirHeaderValues) {
  const std::vector<CrcCase> cases = {
      {"", 0x00000000u, "AAAAAA=="},
      {"a", 0xE8B7BE43u, "6Le+Qw=="},
      {"123456789", 0xCBF43926u, "y/Q5Jg=="}, // the CRC-32/ISO-HDLC check value
      {"The quick brown fox jumps over the lazy dog", 0x414FA339u, "QU+jOQ=="},
      {std::string(32, '\0'), 0x190A55ADu, "GQpVrQ=="},
      {std::string(32, '\xff'), 0xFF6CAB0Bu, "/2yrCw=="},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input of " + std::to_string(c.input.size()) + " bytes, CRC " + c.header);
    EXPECT_EQ(crc32(c.input), c.crc);
    EXPECT_EQ(crc32_checksum_value(c.crc), c.header);
  }
}

TEST(Crc32, ContinuesFromAPreviousValueLikeOneCall) {
  EXPECT_EQ(crc32("6789", crc32("12345")), 0xCBF43926u);
  EXPECT_EQ(crc32("", crc32("123456789")), 0xCBF43926u);
}

TEST(Base64, EncodesRfc4648TestVectors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"\xff\xff\xff", "////"}, // the last two alphabet characters
      {"\xfb\xef", "++8="},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_EQ(base64_encode(input), expected) << "input '" << input << "'";
  }
}

TEST(Crc32, CompositeChecksumIsTheCrcOfThePartCrcsWithTheCount) {
  // Python: base64(crc32(pack(">II", crc32(b"123456789"), crc32(b"abc")))) + "-2"
  EXPECT_EQ(composite_crc32_checksum({crc32("123456789"), crc32("abc")}), "25ItdA==-2");
  EXPECT_EQ(composite_crc32_checksum({0xCBF43926u}),
            crc32_checksum_value(crc32(std::string("\xCB\xF4\x39\x26", 4))) + "-1");
}

TEST(Crc32, OfAFileRangeEqualsTheCrcOfThoseBytes) {
  test::TempDir dir;
  const auto path = dir.path() / "data.bin";
  // Longer than the 1 MiB read chunk, so a range spans several reads.
  std::string data(3u << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<char>((i * 131) ^ (i >> 9));
  }
  test::write_file(path, data);
  EXPECT_EQ(crc32_file_range(path, 0, data.size()), crc32(data));
  EXPECT_EQ(crc32_file_range(path, 1000, (2u << 20) + 7), crc32(data.substr(1000, (2u << 20) + 7)));
  EXPECT_EQ(crc32_file_range(path, data.size(), 0), 0u);
}

TEST(Crc32, OfAFileRangeNamesTheFileWhenItCannotBeRead) {
  test::TempDir dir;
  const auto path = dir.path() / "short.bin";
  test::write_file(path, "123456789");
  EXPECT_ERROR(crc32_file_range(path, 5, 10),
               LocalIoError,
               "cannot read " + path.string()
                   + " to checksum it: the file ends before byte 15 (was it changed during the "
                     "upload?)");
  EXPECT_ERROR(crc32_file_range(dir.path() / "absent.bin", 0, 1),
               LocalIoError,
               "cannot read " + (dir.path() / "absent.bin").string()
                   + " to checksum it: No such file or directory");
}

} // namespace
} // namespace rockart::s3
