// SPDX-License-Identifier: MIT
// Human-readable numbers for logs, progress and summaries.
#pragma once

#include <cstdint>
#include <string>

namespace rockart::util {

// `bytes` in binary units with one decimal: "1023 B", "1.5 KiB", "50.0 GiB".
std::string format_bytes(std::uint64_t bytes);

// `value` with one decimal: "0.5", "12.0", "-3.2".
std::string format_fixed1(double value);

} // namespace rockart::util
