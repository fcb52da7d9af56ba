// SPDX-License-Identifier: MIT
// CRC-32 through zlib, and the base64 forms S3 expects in x-amz-checksum-crc32
// and <ChecksumCRC32>.
#include <rockart/error.hpp>
#include <rockart/s3/checksum.hpp>

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace rockart::s3 {

namespace {

constexpr std::size_t k_read_chunk = 1u << 20;

std::string big_endian_bytes(std::uint32_t value) {
  return {static_cast<char>((value >> 24) & 0xFF),
          static_cast<char>((value >> 16) & 0xFF),
          static_cast<char>((value >> 8) & 0xFF),
          static_cast<char>(value & 0xFF)};
}

} // namespace

std::uint32_t crc32(std::string_view data, std::uint32_t crc) {
  // crc32_z takes a size_t length, so no 4 GiB split is needed.
  return static_cast<std::uint32_t>(
      ::crc32_z(crc, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

std::uint32_t
crc32_file_range(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw LocalIoError("cannot read " + path.string() + " to checksum it: "
                       + (errno != 0 ? std::strerror(errno) : "cannot open the file"));
  }
  in.seekg(static_cast<std::streamoff>(offset));
  std::vector<char> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(length, k_read_chunk)));
  std::uint32_t crc = 0;
  std::uint64_t left = length;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    in.read(buffer.data(), static_cast<std::streamsize>(want));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got != want) {
      throw LocalIoError(
          "cannot read " + path.string() + " to checksum it: the file ends before byte "
          + std::to_string(offset + length) + " (was it changed during the upload?)");
    }
    crc = crc32({buffer.data(), got}, crc);
    left -= got;
  }
  return crc;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16)
                            | (static_cast<std::uint8_t>(bytes[i + 1]) << 8)
                            | static_cast<std::uint8_t>(bytes[i + 2]);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += k_alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) {
      n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    }
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += rest == 2 ? k_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string crc32_checksum_value(std::uint32_t crc) {
  return base64_encode(big_endian_bytes(crc));
}

std::string composite_crc32_checksum(const std::vector<std::uint32_t>& part_crcs) {
  std::string joined;
  joined.reserve(part_crcs.size() * 4);
  for (const std::uint32_t crc : part_crcs) {
    joined += big_endian_bytes(crc);
  }
  return crc32_checksum_value(crc32(joined)) + "-" + std::to_string(part_crcs.size());
}

} // namespace rockart::s3
