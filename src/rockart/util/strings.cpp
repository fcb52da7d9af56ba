// SPDX-License-Identifier: MIT
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <utility>

namespace rockart::util {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      return parts;
    }
    parts.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_decimal(std::string_view text) {
  return !text.empty()
         && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::string x = to_lower(a);
  const std::string y = to_lower(b);
  // One row of the Wagner-Fischer table at a time.
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::vector<std::string>
closest_names(std::string_view typed, const std::vector<std::string>& known, std::size_t limit) {
  const std::string lower = to_lower(typed);
  std::vector<std::pair<std::size_t, std::size_t>> ranked; // (distance, index in known)
  for (std::size_t i = 0; i < known.size(); ++i) {
    const std::size_t distance = edit_distance(typed, known[i]);
    const std::size_t allowed =
        std::max<std::size_t>(2, std::max(typed.size(), known[i].size()) / 3);
    const bool prefix = !lower.empty() && to_lower(known[i]).starts_with(lower);
    if (distance <= allowed || prefix) {
      ranked.emplace_back(prefix ? std::min(distance, allowed) : distance, i);
    }
  }
  std::stable_sort(
      ranked.begin(), ranked.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  std::vector<std::string> names;
  for (const auto& [distance, index] : ranked) {
    if (names.size() == limit) {
      break;
    }
    if (std::find(names.begin(), names.end(), known[index]) == names.end()) {
      names.push_back(known[index]);
    }
  }
  return names;
}

} // namespace rockart::util
