// SPDX-License-Identifier: MIT
// Damaged archives are refused with a message that names the damage: a broken
// member header, a truncated stream, damaged compressed data or garbage after
// it, a stream that holds no tar at all. (libarchive reports a broken header as
// "retry": taking that for success extracted a nameless member.)
#include "support/support.hpp"

#include <rockart/archive/byte_source.hpp>
#include <rockart/archive/extract.hpp>
#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;

// Writes `text` into `header` at `offset` (no resize).
void put(std::string& header, std::size_t offset, const std::string& text) {
  std::copy(text.begin(), text.end(), header.begin() + static_cast<std::ptrdiff_t>(offset));
}

std::string octal(unsigned value, int digits) {
  char text[16];
  (void)std::snprintf(text, sizeof text, "%0*o", digits, value);
  return text;
}

// One ustar member: a 512-byte header (checksum computed) and its data, padded.
std::string member(const std::string& name, const std::string& data) {
  std::string header(512, '\0');
  put(header, 0, name);
  put(header, 100, octal(0644, 7));
  put(header, 108, octal(0, 7));
  put(header, 116, octal(0, 7));
  put(header, 124, octal(static_cast<unsigned>(data.size()), 11));
  put(header, 136, octal(0, 11));
  header[156] = '0';
  put(header, 257, "ustar");
  put(header, 263, "00");
  put(header, 148, "        "); // the checksum counts its own field as spaces
  unsigned sum = 0;
  for (const char c : header) {
    sum += static_cast<unsigned char>(c);
  }
  put(header, 148, octal(sum, 6));
  header[154] = '\0';
  header[155] = ' ';
  std::string padded = data;
  padded.resize((data.size() + 511) / 512 * 512, '\0');
  return header + padded;
}

// A valid artifact tar: the manifest, then two files; offsets of each header.
struct Tar {
  std::string bytes;
  std::size_t second_header = 0;
};

Tar sample_tar() {
  Tar tar;
  tar.bytes = member("artifact_manifest.txt", "a/stage\n");
  tar.second_header = tar.bytes.size();
  tar.bytes += member("a/stage/x.txt", std::string(1000, 'x'));
  tar.bytes += member("a/stage/y.txt", std::string(1500, 'y'));
  tar.bytes += std::string(1024, '\0'); // end of archive
  return tar;
}

// Extracts `compressed` (a .tar.zst file's bytes) and returns the error message; "" on success.
std::string extract_error(const std::string& compressed) {
  test::TempDir dir;
  const fs::path path = dir.path() / "damaged_lib_generic.tar.zst";
  test::write_file(path, compressed);
  fs::create_directories(dir.path() / "out");
  FileSource source(path);
  ExtractOptions options;
  options.output_dir = dir.path() / "out";
  options.directory_name = "damaged_lib_generic";
  options.archive_name = path.filename().string();
  try {
    extract(source, options);
    return "";
  } catch (const ArchiveError& e) {
    EXPECT_FALSE(fs::exists(dir.path() / "out" / "damaged_lib_generic")) << "left a partial tree";
    return e.what();
  }
}

std::string zstd_of(const std::string& tar) {
  test::TempDir dir;
  write_compressed_raw(dir.path() / "x.zst", Compression::zstd, tar);
  return test::read_file(dir.path() / "x.zst");
}

TEST(DamagedArchive, TheSampleItselfExtracts) {
  EXPECT_EQ(extract_error(zstd_of(sample_tar().bytes)), "");
}

TEST(DamagedArchive, ABadHeaderChecksumIsADamagedMemberHeader) {
  Tar tar = sample_tar();
  tar.bytes[tar.second_header + 148] ^= 0x01; // one bit of the stored checksum
  const auto message = extract_error(zstd_of(tar.bytes));
  EXPECT_NE(message.find("damaged member header (after member 'artifact_manifest.txt')"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("empty"), std::string::npos) << message;
}

TEST(DamagedArchive, GarbageWhereAHeaderBelongsIsADamagedMemberHeader) {
  Tar tar = sample_tar();
  tar.bytes.replace(tar.second_header, 512, std::string(512, '\xA5'));
  EXPECT_NE(extract_error(zstd_of(tar.bytes)).find("damaged member header"), std::string::npos);
}

TEST(DamagedArchive, ATruncatedTarIsNamedTruncated) {
  const Tar tar = sample_tar();
  const auto message = extract_error(zstd_of(tar.bytes.substr(0, tar.second_header + 700)));
  EXPECT_NE(message.find("truncated archive"), std::string::npos) << message;
}

TEST(DamagedArchive, ATruncatedCompressedStreamIsNamedTruncated) {
  const std::string whole = zstd_of(sample_tar().bytes);
  const auto message = extract_error(whole.substr(0, whole.size() - 8));
  EXPECT_NE(message.find("truncated zstd stream"), std::string::npos) << message;
}

TEST(DamagedArchive, GarbageAfterTheCompressedStreamIsNamed) {
  const auto message = extract_error(zstd_of(sample_tar().bytes) + std::string(300, 'J'));
  EXPECT_NE(message.find("damaged zstd stream"), std::string::npos) << message;
  EXPECT_NE(message.find("trailing garbage"), std::string::npos) << message;
}

TEST(DamagedArchive, AStreamWithoutATarInsideSaysSo) {
  Tar tar = sample_tar();
  tar.bytes.replace(0, 512, std::string(512, '\x01'));
  const auto message = extract_error(zstd_of(tar.bytes));
  EXPECT_NE(message.find("the zstd stream holds no tar archive"), std::string::npos) << message;
}

TEST(DamagedArchive, ANameThatIsNotTextIsRefusedAndNotEchoedRaw) {
  for (const std::string name : {"a/stage/\xff\xfe.txt", "a/stage/new\nline.txt"}) {
    std::string tar =
        member("artifact_manifest.txt", "a/stage\n") + member(name, "x") + std::string(1024, '\0');
    const auto message = extract_error(zstd_of(tar));
    EXPECT_TRUE(message.find("is not valid UTF-8") != std::string::npos
                || message.find("has a control character") != std::string::npos)
        << message;
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(DamagedArchive, AnotherFormatIsStillAnUnknownFormat) {
  const auto message = extract_error("PK\x03\x04 this is a zip file, not a tar stream");
  EXPECT_NE(message.find("unknown archive format"), std::string::npos) << message;
}

} // namespace
} // namespace rockart::archive
