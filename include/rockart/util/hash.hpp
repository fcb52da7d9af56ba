// SPDX-License-Identifier: MIT
// SHA-256 and HMAC-SHA256 over OpenSSL, plus hex encoding.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rockart::util {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Lower-case hex of `bytes`.
std::string to_hex(const std::uint8_t* bytes, size_t size);

inline std::string to_hex(const Sha256Digest& digest) {
  return to_hex(digest.data(), digest.size());
}

// True when `text` is exactly 64 hex digits (either case).
bool is_sha256_hex(std::string_view text);

// Incremental SHA-256. Feed with update(), finish once with digest().
class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(const void* data, size_t size);

  void update(std::string_view data) { update(data.data(), data.size()); }

  // Finalizes and returns the digest; the object must not be updated afterwards.
  Sha256Digest digest();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// One-shot SHA-256 of `data`, as lower-case hex.
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `key` (raw bytes in, raw 32 bytes out).
std::string hmac_sha256(std::string_view key, std::string_view data);

} // namespace rockart::util
