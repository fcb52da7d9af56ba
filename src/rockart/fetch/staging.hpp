// SPDX-License-Identifier: MIT
// Staging directories inside the output directory: an archive is extracted
// into one while it streams in, and only moved into place once verified.
#pragma once

#include <filesystem>
#include <string>

namespace rockart::fetch::detail {

// A fresh directory `{parent}/.rockart-staging-XXXXXX`, removed with its
// content on destruction. Throws LocalIoError when it cannot be created.
class StagingDir {
public:
  explicit StagingDir(const std::filesystem::path& parent);
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

// Moves the content of `staged` into `dest` (flatten, artifacts.md §7.4 step 4):
// a directory absent from `dest` is moved whole; an existing real directory is
// merged into; a symlink or file in the way of a directory, and any file or
// symlink at a non-directory's place, is replaced (last writer wins). Never
// follows a symlink in `dest`. Throws ArchiveError when a non-directory would
// replace a directory (naming `archive`), LocalIoError on I/O failure.
void merge_into(const std::filesystem::path& staged,
                const std::filesystem::path& dest,
                const std::string& archive);

} // namespace rockart::fetch::detail
