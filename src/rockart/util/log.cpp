// SPDX-License-Identifier: MIT
#include <rockart/util/log.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>

namespace rockart::util {

namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
std::mutex g_mutex;
std::function<void(LogLevel, std::string_view)> g_sink;

const char* level_name(LogLevel level) {
  switch (level) {
  case LogLevel::error:
    return "error";
  case LogLevel::warn:
    return "warn";
  case LogLevel::info:
    return "info";
  case LogLevel::debug:
    return "debug";
  case LogLevel::trace:
    return "trace";
  }
  return "?";
}

} // namespace

void set_log_level(LogLevel level) {
  g_level = static_cast<int>(level);
}

LogLevel log_level() {
  return static_cast<LogLevel>(g_level.load());
}

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) <= g_level.load();
}

void set_log_sink(std::function<void(LogLevel, std::string_view)> sink) {
  const std::lock_guard lock(g_mutex);
  g_sink = std::move(sink);
}

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) {
    return;
  }
  std::string line = "rockart: ";
  line += level_name(level);
  line += ": ";
  line += message;
  const std::lock_guard lock(g_mutex);
  if (g_sink) {
    g_sink(level, line);
    return;
  }
  line += '\n';
  (void)std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace rockart::util
