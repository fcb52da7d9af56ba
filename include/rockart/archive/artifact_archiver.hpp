// SPDX-License-Identifier: MIT
// Creating an artifact archive from an exploded artifact directory
// (as the artifact manager's `push` does): the manifest first,
// then every entry below each manifest path, then the .sha256sum companion.
#pragma once

#include <rockart/archive/tar_writer.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace rockart::archive {

// What create_artifact_archive() wrote (for the per-archive push log line).
struct ArtifactArchiveSummary {
  std::uint64_t files = 0;              // regular files stored (manifest included)
  std::uint64_t uncompressed_bytes = 0; // their total size
  std::uint64_t compressed_bytes = 0;   // size of the archive file
  std::string sha256;                   // lower-case hex digest of the archive
};

// Writes `archive` (replacing it) from `artifact_dir`: first member
// `artifact_manifest.txt`, then for each non-empty manifest line R whose
// directory exists, every entry below `artifact_dir/R` as `R/…` in sorted
// order — directories, regular files (mode bits kept), symlinks (not followed),
// files sharing an inode as hard links to the first member. Then writes
// `{archive}.sha256sum` containing the digest and "\n". Throws
// ArchiveError when the manifest is missing or a line is absolute or has `..`,
// LocalIoError when a file cannot be read.
ArtifactArchiveSummary create_artifact_archive(const std::filesystem::path& artifact_dir,
                                               const std::filesystem::path& archive,
                                               Compression compression,
                                               int level = -1);

} // namespace rockart::archive
