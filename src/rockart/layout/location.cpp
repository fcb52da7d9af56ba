// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/location.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/uri.hpp>

namespace rockart::layout {

namespace {

constexpr std::size_t k_min_bucket_length = 3;
constexpr std::size_t k_max_bucket_length = 63;

[[noreturn]] void fail(std::string_view what, std::string_view value, std::string_view rule) {
  throw UsageError("invalid " + std::string(what) + " '" + std::string(value)
                   + "': " + std::string(rule));
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_bucket_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// The "relative only" checks, which look at the path as a whole rather than
// per segment.
void check_relative_only(std::string_view path, std::string_view what) {
  if (path.front() == '/' || path.front() == '\\') {
    fail(what, path, "must be relative (must not start with '/' or '\\')");
  }
  // "C:" at the start would be an absolute Windows path; a ':' later on is
  // legal (artifact names like rccl_test_gfx942:xnack+.tar.zst).
  if (path.size() >= 2 && is_ascii_letter(path[0]) && path[1] == ':') {
    fail(what,
         path,
         "must not start with a drive designator ('" + std::string(path.substr(0, 2)) + "')");
  }
  if (path.find("://") != std::string_view::npos) {
    fail(what, path, "must not contain '://' (a URI is not a relative path)");
  }
  if (path.find('\\') != std::string_view::npos) {
    fail(what, path, "must not contain '\\' (the separator is '/')");
  }
}

} // namespace

void validate_bucket_name(std::string_view bucket) {
  const std::string_view rule = "S3 bucket names have 3-63 characters from a-z 0-9 . -";
  if (bucket.size() < k_min_bucket_length || bucket.size() > k_max_bucket_length) {
    fail("bucket name",
         bucket,
         "has " + std::to_string(bucket.size()) + " characters; " + std::string(rule));
  }
  for (char c : bucket) {
    if (!is_bucket_char(c)) {
      fail("bucket name",
           bucket,
           "character '" + std::string(1, c) + "' is not allowed; " + std::string(rule));
    }
  }
}

void validate_relative_path(std::string_view path, std::string_view what) {
  if (path.empty()) {
    fail(what, path, "must not be empty");
  }
  check_relative_only(path, what);
  for (const std::string& segment : util::split(path, '/')) {
    if (segment.empty()) {
      fail(what, path, "empty path segment (no leading, trailing or doubled '/')");
    }
    if (segment == "." || segment == "..") {
      throw UsageError("invalid path segment '" + segment + "' in '" + std::string(path)
                       + "': dot segments are not allowed");
    }
  }
}

void validate_segment(std::string_view segment, std::string_view what) {
  if (segment.empty()) {
    fail(what, segment, "must not be empty");
  }
  if (segment.find('/') != std::string_view::npos) {
    fail(what, segment, "must be a single path segment (no '/')");
  }
  if (segment == "." || segment == "..") {
    fail(what, segment, "dot segments are not allowed");
  }
  check_relative_only(segment, what);
}

StorageLocation::StorageLocation(std::string bucket, std::string relative_path)
    : m_bucket(std::move(bucket)), m_relative_path(std::move(relative_path)) {
  validate_bucket_name(m_bucket);
  validate_relative_path(m_relative_path);
}

std::string StorageLocation::s3_uri() const {
  return "s3://" + m_bucket + "/" + m_relative_path;
}

std::string StorageLocation::https_url() const {
  // Segments never contain '/', so encoding the whole path while keeping '/'
  // is exactly per-segment encoding.
  return "https://" + m_bucket + ".s3.amazonaws.com/"
         + util::percent_encode(m_relative_path, /*keep_slash=*/true);
}

std::filesystem::path
StorageLocation::staging_path(const std::filesystem::path& staging_dir) const {
  std::filesystem::path result = staging_dir;
  for (const std::string& segment : util::split(m_relative_path, '/')) {
    result /= segment;
  }
  return result;
}

std::string StorageLocation::prefix() const {
  return m_relative_path + "/";
}

std::string StorageLocation::s3_prefix_uri() const {
  return s3_uri() + "/";
}

StorageLocation StorageLocation::child(std::string_view name) const {
  validate_relative_path(name, "child path");
  return StorageLocation(m_bucket, m_relative_path + "/" + std::string(name));
}

StorageLocation StorageLocation::child_segment(std::string_view name, std::string_view what) const {
  validate_segment(name, what);
  return StorageLocation(m_bucket, m_relative_path + "/" + std::string(name));
}

bool StorageLocation::is_within(const StorageLocation& ancestor) const {
  if (m_bucket != ancestor.m_bucket) {
    return false;
  }
  const std::string& base = ancestor.m_relative_path;
  return m_relative_path == base
         || (m_relative_path.size() > base.size() && m_relative_path.starts_with(base)
             && m_relative_path[base.size()] == '/');
}

} // namespace rockart::layout
