// SPDX-License-Identifier: MIT
// Captures every rockart log line while alive, for tests that assert on what a
// function tells the user. The log calls the sink under its own lock.
#pragma once

#include <rockart/util/log.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::test {

class LogCapture {
public:
  LogCapture() {
    util::set_log_sink([this](util::LogLevel level, std::string_view line) {
      lines.emplace_back(line);
      entries.emplace_back(level, line);
    });
  }

  ~LogCapture() { util::set_log_sink(nullptr); }

  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // True when `line` was logged exactly.
  bool has(const std::string& line) const {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }

  // The lines containing `text`, in order.
  std::vector<std::string> containing(const std::string& text) const {
    std::vector<std::string> out;
    std::copy_if(lines.begin(), lines.end(), std::back_inserter(out), [&](const auto& line) {
      return line.find(text) != std::string::npos;
    });
    return out;
  }

  // Every line, for a failure message.
  std::string dump() const {
    std::string out;
    for (const auto& line : lines) {
      out += line + "\n";
    }
    return out;
  }

  std::vector<std::string> lines;                              // as printed
  std::vector<std::pair<util::LogLevel, std::string>> entries; // with their level
};

} // namespace rockart::test
