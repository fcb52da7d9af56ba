// SPDX-License-Identifier: MIT
// S3 additional checksums: CRC-32 of uploaded bytes, sent as x-amz-checksum-crc32
// so S3 verifies every part and PutObject body against what the client read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::s3 {

// CRC-32 (ISO-HDLC, zlib's and S3's CRC32) of `data`, continuing from `crc`
// (0 to start). crc32("123456789") == 0xCBF43926.
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0);

// CRC-32 of `length` bytes of `path` starting at `offset`, read in 1 MiB
// chunks. Throws LocalIoError naming the file when it cannot be opened or
// ends before offset + length.
std::uint32_t
crc32_file_range(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length);

// Base64 of `bytes` with the standard alphabet (A-Z a-z 0-9 + /) and '='
// padding: the form S3 expects in x-amz-checksum-* headers.
std::string base64_encode(std::string_view bytes);

// Value of the x-amz-checksum-crc32 header and of <ChecksumCRC32>: base64 of
// the four big-endian bytes of `crc`. 0xCBF43926 -> "y/Q5Jg==".
std::string crc32_checksum_value(std::uint32_t crc);

// S3's COMPOSITE checksum of a multipart object from its parts' CRC-32s in
// part order: base64 of the CRC-32 of the concatenated big-endian part CRCs,
// then "-<part count>" (what HeadObject reports with x-amz-checksum-mode).
std::string composite_crc32_checksum(const std::vector<std::uint32_t>& part_crcs);

} // namespace rockart::s3
