// SPDX-License-Identifier: MIT
// Process-wide leveled logging to stderr (or a sink the CLI installs).
// Lines look like `rockart: warn: message`. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace rockart::util {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3, trace = 4 };

// Messages above `level` are dropped. Default: info.
void set_log_level(LogLevel level);

LogLevel log_level();

// True when a message at `level` would be emitted (use to skip costly formatting).
bool log_enabled(LogLevel level);

// Replaces the output sink (default writes the formatted line to stderr).
// Tests install a sink to capture lines; pass nullptr to restore stderr.
void set_log_sink(std::function<void(LogLevel, std::string_view line)> sink);

// Emits `message` at `level`. Callers must have redacted secrets already.
void log(LogLevel level, std::string_view message);

inline void log_error(std::string_view m) {
  log(LogLevel::error, m);
}

inline void log_warn(std::string_view m) {
  log(LogLevel::warn, m);
}

inline void log_info(std::string_view m) {
  log(LogLevel::info, m);
}

inline void log_debug(std::string_view m) {
  log(LogLevel::debug, m);
}

} // namespace rockart::util
