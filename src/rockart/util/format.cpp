// SPDX-License-Identifier: MIT
#include <rockart/util/format.hpp>

#include <array>
#include <cstdio>

namespace rockart::util {

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) {
    return std::to_string(bytes) + " B";
  }
  static constexpr std::array<const char*, 5> k_units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < k_units.size()) {
    value /= 1024;
    ++unit;
  }
  return format_fixed1(value) + " " + k_units[unit];
}

std::string format_fixed1(double value) {
  std::array<char, 32> buffer{};
  (void)std::snprintf(buffer.data(), buffer.size(), "%.1f", value);
  return buffer.data();
}

} // namespace rockart::util
