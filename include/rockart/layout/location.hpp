// SPDX-License-Identifier: MIT
// A storage location (bucket, relative path) and its forms: relative path,
// s3:// URI, public HTTPS URL and local staging path, plus the validity rules
// every location obeys (upstream built paths by unchecked concatenation).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rockart::layout {

// Throws UsageError unless `bucket` has 3-63 characters from `a-z 0-9 . -`
// (S3 rules; the local placeholder `local` satisfies this too).
void validate_bucket_name(std::string_view bucket);

// Throws UsageError unless `path` is a valid relative path: non-empty, no
// leading `/` or `\`, no drive designator, no `://`, no `\`, no empty
// segment, no `.`/`..` segment. `what` names the input in the
// message (e.g. "test report subfolder").
void validate_relative_path(std::string_view path, std::string_view what = "relative path");

// Throws UsageError unless `segment` is exactly one valid path segment (a
// valid relative path without `/`). `what` names the input, e.g. "artifact group".
void validate_segment(std::string_view segment, std::string_view what = "path segment");

// An immutable (bucket, relative_path) pair; both parts are always valid.
// Directory or file is a matter of use: the path never ends with `/`.
class StorageLocation {
public:
  // Validates both parts; throws UsageError naming the bad input and rule.
  StorageLocation(std::string bucket, std::string relative_path);

  const std::string& bucket() const noexcept { return m_bucket; }

  const std::string& relative_path() const noexcept { return m_relative_path; }

  // `s3://{bucket}/{relative_path}`, never percent-encoded.
  std::string s3_uri() const;

  // `https://{bucket}.s3.amazonaws.com/{path}` with every path segment
  // percent-encoded per RFC 3986: `+` -> `%2B` (S3 would read a raw `+` as a
  // space), `:` -> `%3A`.
  std::string https_url() const;

  // `staging_dir` joined with each segment (bucket not included: buckets share
  // one staging tree).
  // Pure path arithmetic: the file system is not touched.
  std::filesystem::path staging_path(const std::filesystem::path& staging_dir) const;

  // Directory display forms with exactly one trailing `/`:
  // `prefix()` = `{relative_path}/`, `s3_prefix_uri()` = `s3://{bucket}/{relative_path}/`.
  std::string prefix() const;

  std::string s3_prefix_uri() const;

  // The location `name` below this one in the same bucket, so always strictly
  // inside it. `name` may have several segments; throws UsageError if it is
  // empty or not a valid relative path.
  StorageLocation child(std::string_view name) const;

  // Like child() but `name` must be exactly one segment; `what`
  // names the input in errors (e.g. "artifact file name").
  StorageLocation child_segment(std::string_view name, std::string_view what) const;

  // True when this location equals `ancestor` or lies strictly below it
  // (same bucket and `ancestor.relative_path() + "/"` is a prefix).
  bool is_within(const StorageLocation& ancestor) const;

  friend bool operator==(const StorageLocation&, const StorageLocation&) = default;

private:
  std::string m_bucket;
  std::string m_relative_path;
};

} // namespace rockart::layout
