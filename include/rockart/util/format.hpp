// SPDX-License-Identifier: MIT
// Human-readable numbers for logs, progress and summaries.
#pragma once

#include <cstdint>
#include <string>

namespace rockart::util {

// `bytes` in binary units with one decimal: "1023 B", "1.5 KiB", "50.0 GiB".
std::string format_bytes(std::uint64_t bytes);

} // namespace rockart::util
