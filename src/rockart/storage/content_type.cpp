// SPDX-License-Identifier: MIT
#include <rockart/storage/content_type.hpp>
#include <rockart/util/strings.hpp>

#include <array>
#include <string>
#include <utility>

namespace rockart::storage {
namespace {

// The upstream rows first, then our fixed table that
// replaces Python's platform-dependent mimetypes guess.
constexpr std::array<std::pair<std::string_view, std::string_view>, 26> k_types{{
    {"gz", "application/gzip"},   {"html", "text/html"},
    {"log", "text/plain"},        {"md", "text/plain"},
    {"whl", "application/zip"},   {"xz", "application/x-xz"},
    {"zst", "application/zstd"},  {"json", "application/json"},
    {"txt", "text/plain"},        {"htm", "text/html"},
    {"tar", "application/x-tar"}, {"tgz", "application/x-tar"},
    {"zip", "application/zip"},   {"csv", "text/csv"},
    {"xml", "text/xml"},          {"svg", "image/svg+xml"},
    {"png", "image/png"},         {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},       {"gif", "image/gif"},
    {"css", "text/css"},          {"js", "application/javascript"},
    {"pdf", "application/pdf"},   {"py", "text/x-python"},
    {"sh", "application/x-sh"},   {"", "application/octet-stream"},
}};

} // namespace

std::string_view content_type_for(std::string_view filename) {
  const auto slash = filename.find_last_of('/');
  if (slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  const auto dot = filename.find_last_of('.');
  // A leading dot alone (".bashrc") is a hidden name, not a suffix (as in Python).
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == filename.size()) {
    return "application/octet-stream";
  }
  const std::string extension = util::to_lower(filename.substr(dot + 1));
  for (const auto& [ext, type] : k_types) {
    if (!ext.empty() && ext == extension) {
      return type;
    }
  }
  return "application/octet-stream";
}

} // namespace rockart::storage
