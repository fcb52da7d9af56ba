// SPDX-License-Identifier: MIT
// Private: the INI dialect of ~/.aws/credentials and ~/.aws/config.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::s3::detail {

// Section name -> (lower-cased key -> value). Values are trimmed; indented
// continuation lines (nested "s3 =" blocks) are appended after a '\n'.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

// Parses `text` read from `path` (used only in messages). Throws ConfigError
// "<path> line N: ..." for a malformed line; the line itself is never quoted,
// since it may hold a secret.
IniSections parse_aws_ini(std::string_view text, const std::filesystem::path& path);

// Reads and parses `path`; nullopt when `path` is empty or does not exist.
// Throws ConfigError when it exists but cannot be read, or is malformed.
std::optional<IniSections> read_aws_ini(const std::filesystem::path& path);

} // namespace rockart::s3::detail
