// SPDX-License-Identifier: MIT
#include <rockart/util/terminal.hpp>

#include <sys/ioctl.h>

#include <charconv>

namespace rockart::util {

bool ci_is_set(const std::optional<std::string>& ci) {
  return ci && !ci->empty() && *ci != "0" && *ci != "false";
}

ProgressStyle choose_progress(const ProgressRequest& request) {
  if (request.quiet) {
    return ProgressStyle::none;
  }
  if (request.mode == "bar") {
    return ProgressStyle::bar;
  }
  if (request.mode == "plain") {
    return ProgressStyle::lines;
  }
  const bool dumb = request.term && (*request.term == "dumb" || request.term->empty());
  return request.stderr_is_tty && !dumb && !ci_is_set(request.ci) ? ProgressStyle::bar
                                                                  : ProgressStyle::lines;
}

std::string fit_to_width(std::string_view line, std::size_t columns) {
  const std::size_t cells = columns > 1 ? columns - 1 : 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if ((byte & 0xC0) == 0x80) {
      continue; // a continuation byte belongs to the code point already counted
    }
    if (used == cells) {
      return std::string(line.substr(0, i));
    }
    ++used;
  }
  return std::string(line);
}

std::size_t terminal_columns(int fd, const std::optional<std::string>& columns_env) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (columns_env) {
    std::size_t value = 0;
    const std::string_view text(*columns_env);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size() && value > 0) {
      return value;
    }
  }
  return 80;
}

} // namespace rockart::util
