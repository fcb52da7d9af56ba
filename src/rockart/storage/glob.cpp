// SPDX-License-Identifier: MIT
#include <rockart/storage/glob.hpp>
#include <rockart/util/strings.hpp>

#include <fnmatch.h>

#include <string>
#include <vector>

namespace rockart::storage {
namespace {

bool segment_match(const std::string& pattern, const std::string& segment) {
  // FNM_PATHNAME is irrelevant within one segment; no FNM_PERIOD so `*`
  // matches a leading dot, as pathlib's glob does.
  return ::fnmatch(pattern.c_str(), segment.c_str(), 0) == 0;
}

// Matches path segments [j..] against pattern segments [i..], `**` taking
// zero or more whole segments.
bool match_from(const std::vector<std::string>& pattern,
                std::size_t i,
                const std::vector<std::string>& path,
                std::size_t j) {
  if (i == pattern.size()) {
    return j == path.size();
  }
  if (pattern[i] == "**") {
    for (std::size_t k = j; k <= path.size(); ++k) {
      if (match_from(pattern, i + 1, path, k)) {
        return true;
      }
    }
    return false;
  }
  return j < path.size() && segment_match(pattern[i], path[j])
         && match_from(pattern, i + 1, path, j + 1);
}

} // namespace

bool fnmatch_match(std::string_view pattern, std::string_view text) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

bool rglob_match(std::string_view pattern, std::string_view relative_path, bool is_directory) {
  std::vector<std::string> pat;
  for (auto& segment : util::split(pattern, '/')) {
    if (!segment.empty()) {
      pat.push_back(std::move(segment));
    }
  }
  if (pat.empty()) {
    return false;
  }
  if (pat.back() == "**" && !is_directory) {
    return false;
  }
  const std::vector<std::string> path = util::split(relative_path, '/');
  // rglob(p) == glob("**/p"): the pattern may start at any depth.
  for (std::size_t start = 0; start < path.size(); ++start) {
    if (match_from(pat, 0, path, start)) {
      return true;
    }
  }
  return false;
}

} // namespace rockart::storage
