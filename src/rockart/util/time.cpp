// SPDX-License-Identifier: MIT
#include <rockart/util/time.hpp>

#include <array>
#include <cstdio>

namespace rockart::util {

namespace {

bool read_int(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) {
    return false;
  }
  int value = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

} // namespace

std::optional<std::chrono::sys_seconds> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 20 || !read_int(text, 0, 4, y) || text[4] != '-' || !read_int(text, 5, 2, mo)
      || text[7] != '-' || !read_int(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ')
      || !read_int(text, 11, 2, h) || text[13] != ':' || !read_int(text, 14, 2, mi)
      || text[16] != ':' || !read_int(text, 17, 2, s)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      rest.remove_prefix(1);
    }
  }
  // RFC 3339 numeric offsets (`+05:30`, `-08:00`) are normalised to UTC.
  int offset_minutes = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!read_int(rest, 1, 2, oh) || !read_int(rest, 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else if (rest != "Z") {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi}
         + std::chrono::seconds{s} - std::chrono::minutes{offset_minutes};
}

namespace {

std::string format(std::chrono::sys_seconds time, const char* pattern) {
  const auto days = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{time - days};
  std::array<char, 32> buf{};
  (void)std::snprintf(buf.data(),
                      buf.size(),
                      pattern,
                      static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()),
                      static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
  return buf.data();
}

} // namespace

std::string format_iso8601(std::chrono::sys_seconds time) {
  return format(time, "%04d-%02u-%02uT%02d:%02d:%02dZ");
}

std::string format_amz_date(std::chrono::sys_seconds time) {
  return format(time, "%04d%02u%02uT%02d%02d%02dZ");
}

} // namespace rockart::util
