// SPDX-License-Identifier: MIT
// How lower layers see the process environment and the file system: as
// injected functions, so tests hand them a map instead of the real ones.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::util {

// The value of environment variable `name`, nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The whole content of the file at `path`, nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

} // namespace rockart::util
