// SPDX-License-Identifier: MIT
#include "entry_checks.hpp"

#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <set>

namespace rockart::archive {
namespace detail {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      return segments;
    }
    start = slash + 1;
  }
}

} // namespace

std::string_view strip_trailing_slashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  return path;
}

std::string strip_dot_prefix(std::string_view path) {
  while (path.starts_with("./")) {
    path.remove_prefix(2);
    while (path.starts_with('/')) {
      path.remove_prefix(1); // ".//x"
    }
  }
  return path == "." ? std::string() : std::string(path);
}

std::string path_problem(std::string_view path, std::string_view what) {
  const std::string w(what);
  if (path.empty()) {
    return w + " is empty";
  }
  if (path.front() == '/') {
    return w + " is an absolute path";
  }
  // Names end up in logs, JSON reports and state files: bytes that are not
  // text have no place in an artifact.
  if (!util::is_valid_utf8(path)) {
    return w + " is not valid UTF-8";
  }
  if (std::any_of(path.begin(), path.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    return w + " has a control character";
  }
  for (const std::string_view segment : split_segments(path)) {
    if (segment.empty()) {
      return w + " has an empty path segment";
    }
    if (segment == ".") {
      return w + " has a '.' path segment";
    }
    if (segment == "..") {
      return w + " has a '..' path segment";
    }
  }
  return {};
}

std::optional<std::string>
match_relpath(std::string_view name, const std::vector<std::string>& relpaths, bool allow_equal) {
  for (const std::string& relpath : relpaths) {
    if (name.size() > relpath.size() && name.substr(0, relpath.size()) == relpath
        && name[relpath.size()] == '/') {
      return relpath;
    }
    if (allow_equal && name == relpath) {
      return relpath;
    }
  }
  return std::nullopt;
}

std::string symlink_target_problem(std::string_view link_rel, std::string_view target) {
  if (target.empty()) {
    return "symlink target is empty";
  }
  if (target.front() == '/') {
    return "symlink target '" + std::string(target) + "' is absolute";
  }
  // Only leading ".." segments: they climb real directories (no parent of an
  // extracted member is ever a symlink), so counting them is exact. A ".." after
  // a name could climb out of a symlinked directory, hence refused.
  size_t ups = 0;
  bool seen_name = false;
  for (const std::string_view segment : split_segments(target)) {
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment != "..") {
      seen_name = true;
    } else if (seen_name) {
      return "symlink target '" + std::string(target) + "' has '..' after a directory name";
    } else {
      ++ups;
    }
  }
  const auto depth = static_cast<size_t>(std::count(link_rel.begin(), link_rel.end(), '/'));
  if (ups > depth) {
    return "symlink target '" + std::string(target) + "' points outside the output directory";
  }
  return {};
}

} // namespace detail

std::vector<std::string> parse_manifest(std::string_view text) {
  std::vector<std::string> relpaths;
  std::set<std::string, std::less<>> seen;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      continue;
    }
    line = detail::strip_trailing_slashes(line);
    if (const std::string problem = detail::path_problem(line, "relpath"); !problem.empty()) {
      throw ArchiveError(std::string(k_manifest_name) + ": " + problem + ": '" + std::string(line)
                         + "'");
    }
    // A repeated line adds nothing: the first occurrence decides the order.
    if (seen.emplace(line).second) {
      relpaths.emplace_back(line);
    }
  }
  return relpaths;
}

} // namespace rockart::archive
