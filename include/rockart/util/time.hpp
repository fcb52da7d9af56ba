// SPDX-License-Identifier: MIT
// UTC timestamps as used by GitHub (ISO 8601) and AWS (x-amz-date).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::util {

// Parses `YYYY-MM-DDTHH:MM:SSZ`; fractional seconds (dropped) and a numeric
// offset `±HH:MM` (normalised to UTC) are accepted. Returns nullopt otherwise.
std::optional<std::chrono::sys_seconds> parse_iso8601(std::string_view text);

// Formats as `YYYY-MM-DDTHH:MM:SSZ`.
std::string format_iso8601(std::chrono::sys_seconds time);

// Formats as the AWS basic form `YYYYMMDDTHHMMSSZ`.
std::string format_amz_date(std::chrono::sys_seconds time);

} // namespace rockart::util
